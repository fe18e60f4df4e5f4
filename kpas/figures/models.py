"""The dashboards' read model: one row per school, school year and cohort (docs/dashboards.md)."""

from __future__ import annotations

from django.db import models

from kpas.figures.rules import attendance_trend
from schools.models import School

COHORTS = [
    ("all", "All pupils of compulsory school age"),
    ("fsm", "Free school meals"),
    ("sen_support", "SEN support"),
    ("ehcp", "Education, health and care plan"),
    ("eal", "English as an additional language"),
    ("child_in_care", "Child in care"),
    ("social_worker", "Has or had a social worker"),
    ("grt", "Gypsy, Roma or Traveller"),
]


class SchoolFigures(models.Model):
    """Sessions and pupils of one cohort of one school's year to date, as of the evaluation.

    Rates are derived (attendance / possible, persistent / pupils ...), so sums over schools
    give exact area, district and county rates.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="figures")
    academic_year = models.PositiveSmallIntegerField()
    cohort = models.CharField(max_length=20, choices=COHORTS)
    as_of = models.DateField()
    data_date = models.DateField(null=True, blank=True)
    school_days_behind = models.PositiveSmallIntegerField(default=0)
    pupils = models.PositiveIntegerField(default=0)
    possible = models.PositiveIntegerField(default=0)
    attendance = models.PositiveIntegerField(default=0)
    authorised = models.PositiveIntegerField(default=0)
    unauthorised = models.PositiveIntegerField(default=0)
    persistent = models.PositiveIntegerField(default=0)
    severe = models.PositiveIntegerField(default=0)
    recent_possible = models.PositiveIntegerField(default=0)  # the last 4 school weeks
    recent_attendance = models.PositiveIntegerField(default=0)
    prior_possible = models.PositiveIntegerField(default=0)  # the 4 school weeks before those
    prior_attendance = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "cohort"], name="unique_school_figures"
            )
        ]
        indexes = [models.Index(fields=["academic_year", "cohort"])]

    def __str__(self) -> str:
        return f"{self.school_id} {self.academic_year} {self.cohort}"

    @staticmethod
    def _percent(part: int, whole: int) -> float | None:
        return None if not whole else 100 * part / whole

    @property
    def attendance_rate(self) -> float | None:
        return self._percent(self.attendance, self.possible)

    @property
    def persistent_rate(self) -> float | None:
        return self._percent(self.persistent, self.pupils)

    @property
    def severe_rate(self) -> float | None:
        return self._percent(self.severe, self.pupils)

    @property
    def recent_attendance_rate(self) -> float | None:
        return self._percent(self.recent_attendance, self.recent_possible)

    @property
    def prior_attendance_rate(self) -> float | None:
        return self._percent(self.prior_attendance, self.prior_possible)

    @property
    def trend(self) -> float | None:
        """Percentage points: the last 4 school weeks against the 4 school weeks before them
        (docs/dashboards.md); None when either has no possible session."""
        return attendance_trend(
            recent_attendance=self.recent_attendance,
            recent_possible=self.recent_possible,
            prior_attendance=self.prior_attendance,
            prior_possible=self.prior_possible,
        )


TERMS = [("autumn", "Autumn term"), ("spring", "Spring term"), ("summer", "Summer term")]


class SchoolWeekFigures(models.Model):
    """Sessions of one school's pupils of compulsory school age (cohort `all`) in one
    Monday-Sunday week of the year, as of the evaluation: the weekly and termly trends.

    The term is the census term of the week's first school day (DOMAIN §13), so every
    school's weeks fall in the same three terms whatever its own term dates."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="week_figures")
    academic_year = models.PositiveSmallIntegerField()
    monday = models.DateField()
    term = models.CharField(max_length=6, choices=TERMS)
    possible = models.PositiveIntegerField(default=0)
    attendance = models.PositiveIntegerField(default=0)
    authorised = models.PositiveIntegerField(default=0)
    unauthorised = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "monday"], name="unique_school_week_figures"
            )
        ]
        indexes = [models.Index(fields=["academic_year", "monday"])]

    def __str__(self) -> str:
        return f"{self.school_id} week of {self.monday}"
