"""Schools, pupils, parents, enrolments, calendars and the register (the legal record)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from stdnum.exceptions import ValidationError
from stdnum.gb import upn as upn_check

from kpas.base.models import District


class School(models.Model):
    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        PRU = "pru", "Pupil referral unit"

    class Type(models.TextChoices):
        MAINTAINED = "maintained", "Maintained"
        ACADEMY = "academy", "Academy"
        FREE = "free", "Free school"
        SPECIAL = "special", "Special"
        PRU = "pru", "Pupil referral unit"
        INDEPENDENT = "independent", "Independent"

    urn = models.CharField(
        "URN",
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{6,8}$", "A URN is 6 to 8 digits.")],
    )
    la_code = models.CharField("LA number", max_length=3, default="886", blank=True)
    estab = models.CharField("establishment number", max_length=4, blank=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    school_type = models.CharField("type", max_length=20, choices=Type.choices)
    state_funded = models.BooleanField(default=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    attendance_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools_as_attendance_officer",
        verbose_name="linked attendance officer",
    )
    exclusion_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools_as_exclusion_adviser",
        verbose_name="linked exclusion adviser",
    )
    attendance_target = models.DecimalField(
        "policy attendance target (%)",
        max_digits=5,
        decimal_places=2,
        default=96,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="SchoolMembership",
        related_name="schools",
        blank=True,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


class SchoolMembership(models.Model):
    """A member of school staff linked to a school they work for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    school = models.ForeignKey(School, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="unique_school_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.school_id}"


def validate_upn(value: str) -> None:
    """A unique pupil number: 13 characters whose first is the check letter (DfE)."""
    try:
        upn_check.validate(value)
    except ValidationError as error:
        raise DjangoValidationError(
            f"{value!r} is not a valid UPN ({str(error).rstrip('.').lower()})"
        ) from None


class Pupil(models.Model):
    upn = models.CharField("UPN", max_length=13, unique=True, validators=[validate_upn])
    forename = models.CharField("legal forename", max_length=100)
    surname = models.CharField("legal surname", max_length=100)
    preferred_forename = models.CharField(max_length=100, blank=True)
    preferred_surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(
        max_length=1, blank=True, choices=[("F", "Female"), ("M", "Male"), ("U", "Unknown")]
    )
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Characteristics used for cohort analysis (DOMAIN §1).
    fsm = models.BooleanField("free school meals", default=False)
    sen_support = models.BooleanField("SEN support", default=False)
    ehcp = models.BooleanField("EHCP", default=False)
    eal = models.BooleanField("English as an additional language", default=False)
    child_in_care = models.BooleanField(default=False)
    care_la = models.CharField("LA looking after the child", max_length=100, blank=True)
    social_worker = models.BooleanField(
        "has or had a social worker in the last 6 years", default=False
    )
    previously_looked_after = models.BooleanField(default=False)
    grt = models.BooleanField("Gypsy, Roma or Traveller", default=False)
    known_to_early_help = models.BooleanField(default=False)
    known_to_social_care = models.BooleanField(default=False)
    known_to_youth_offending = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surname", "forename"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.upn})"

    @property
    def display_name(self) -> str:
        forename = self.preferred_forename or self.forename
        surname = self.preferred_surname or self.surname
        return f"{forename} {surname}"


class Parent(models.Model):
    """A person with parental responsibility or care of a child (EA96 s.576)."""

    # The authority's own person reference: a penalty notice's escalation follows the parent
    # across schools and siblings (DOMAIN §5). Blank for parents known only from a CTF.
    parent_ref = models.CharField("authority's person reference", max_length=40, blank=True)
    title = models.CharField(max_length=20, blank=True)
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    children = models.ManyToManyField(Pupil, through="PupilParent", related_name="parents")

    class Meta:
        ordering = ["surname", "forename"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent_ref"],
                condition=~models.Q(parent_ref=""),
                name="unique_parent_ref_when_set",
            )
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"


class PupilParent(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="child_links")
    relationship = models.CharField(max_length=50, blank=True)
    parental_responsibility = models.BooleanField(default=True)
    lives_with_pupil = models.BooleanField(default=True)
    contact_priority = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["contact_priority"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "parent"], name="unique_pupil_parent")
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} parent of {self.pupil_id}"


class Enrolment(models.Model):
    class Registration(models.TextChoices):
        SINGLE = "single", "Single registration"
        DUAL_MAIN = "dual_main", "Dual registration (main)"
        DUAL_SUBSIDIARY = "dual_subsidiary", "Dual registration (subsidiary)"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    registration = models.CharField(
        max_length=20, choices=Registration.choices, default=Registration.SINGLE
    )
    year_group = models.CharField("national curriculum year", max_length=3, blank=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["school", "end_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "school", "start_date"], name="unique_enrolment_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} at {self.school_id} from {self.start_date}"


class TermDate(models.Model):
    """A range of term dates (the LA's when school is empty) or a school's closure."""

    class Kind(models.TextChoices):
        TERM = "term", "Term"
        CLOSURE = "closure", "Closure (INSET day or other day the school does not meet)"

    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="term_dates",
        help_text="Empty for the authority's term dates that every school follows.",
    )
    start = models.DateField()
    end = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="term_date_end_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["school", "start", "end", "kind"],
                name="unique_term_date",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start} to {self.end}"
