"""The context conditions, requirements and pre-fills read: the answers so far, who is
filling the form in, the pupil and school from the register and what may be looked up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kpas.base.models import User
    from schools.calendar import SchoolCalendar
    from schools.models import Pupil, School
    from schools.register_facts import RegisterFacts


REASONS_KEY = "_reasons"  # answers["_reasons"][requirement id] = the school's reason


# --- the context conditions and requirements read ---------------------------------------------
@dataclass(frozen=True)
class PupilLookup:
    pupil: Pupil | None = None
    school: School | None = None
    error: str | None = None


@dataclass(frozen=True)
class PriorSubmission:
    reference: str
    pathway: str
    status: str
    submitted_on: date | None
    answers: Mapping[str, Any]
    closing_outcome: str = ""  # how the authority closed it ("deletion_advised")
    deletion_advised_on: date | None = None  # the date the authority confirmed it


class Lookups(Protocol):
    """What the engine may ask of the database, always within the user's scope."""

    def find_school(self, urn: str) -> School | None: ...

    def lookup_pupil(
        self, user: User, upn: str, school_urn: str | None, *, include_left: bool = False
    ) -> PupilLookup: ...

    def register_facts(self, pupil: Pupil, school: School, today: date) -> RegisterFacts | None: ...

    def calendar(self, school: School) -> SchoolCalendar | None: ...

    def prior_submissions(
        self,
        *,
        pupil: Pupil | None,
        upn: str,
        pathway: str,
        exclude: int | None,
        school: School | None,
    ) -> list[PriorSubmission]: ...

    def parents(self, pupil: Pupil) -> list[dict[str, Any]]: ...

    def return_candidates(self, school: School) -> list[dict[str, Any]]: ...


@dataclass
class Context:
    """Everything a condition, requirement or pre-fill may look at."""

    answers: dict[str, Any]
    user: User | None  # None: without an account
    today: date
    lookups: Lookups | None = None
    school: School | None = None
    pupil: Pupil | None = None
    user_schools: tuple[tuple[str, str], ...] = ()  # (URN, label) of a school user's schools
    submission_id: int | None = None
    evidence_count: int = 0
    # The authority's own check of a form sent without an account (issue 10 item 2).
    for_authority: bool = False
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    # What was looked up in the authority's records while they are hidden from the sender.
    _records_read: list[str] = field(default_factory=list, repr=False)

    @property
    def records_hidden(self) -> bool:
        """A sender without an account learns nothing from the authority's records (the
        register, earlier submissions): the checks on them run after the form is sent."""
        return self.user is None and not self.for_authority

    @property
    def records_read(self) -> int:
        return len(self._records_read)

    @property
    def user_school_urns(self) -> tuple[str, ...]:
        return tuple(urn for urn, _ in self.user_schools)

    def with_answers(self, answers: Mapping[str, Any], **changes: Any) -> Context:
        """A copy seeing other answers; register figures already loaded are shared."""
        return replace(self, answers=dict(answers), _records_read=[], **changes)

    def as_authority(self) -> Context:
        """The same form seen by the authority, with its records, once it has been sent."""
        return replace(self, for_authority=True, _cache={}, _records_read=[])

    @property
    def facts(self) -> RegisterFacts | None:
        if self.records_hidden:
            self._records_read.append("register")
            return None
        if self.pupil is None or self.school is None or self.lookups is None:
            return None
        key = f"facts:{self.pupil.pk}:{self.school.pk}"
        if key not in self._cache:
            self._cache[key] = self.lookups.register_facts(self.pupil, self.school, self.today)
        return self._cache[key]  # type: ignore[no-any-return]

    @property
    def calendar(self) -> SchoolCalendar | None:
        if self.facts is not None:
            return self.facts.calendar
        if self.school is None or self.lookups is None:
            return None
        key = f"calendar:{self.school.pk}"
        if key not in self._cache:
            self._cache[key] = self.lookups.calendar(self.school)
        return self._cache[key]  # type: ignore[no-any-return]

    def prior(self, pathway: str) -> list[PriorSubmission]:
        """Earlier submissions of a pathway for this pupil (by register record or UPN)."""
        if self.records_hidden:
            self._records_read.append(f"prior:{pathway}")
            return []
        if self.lookups is None:
            return []
        upn = str(self.answers.get("upn") or "")
        if self.pupil is None and not upn:
            return []
        return self.lookups.prior_submissions(
            pupil=self.pupil,
            upn=upn,
            pathway=pathway,
            exclude=self.submission_id,
            school=self.school,
        )

    def school_label(self, urn: str) -> str:
        for known, label in self.user_schools:
            if known == urn:
                return label
        if self.school is not None and self.school.urn == urn:
            return f"{self.school.name} (URN {urn})"
        if self.lookups is not None:
            school = self.lookups.find_school(urn)
            if school is not None:
                return f"{school.name} (URN {urn})"
        return f"URN {urn}"

    @property
    def school_staff(self) -> bool:
        return self.user is not None and self.user.is_school_staff


# --- which steps and questions apply ----------------------------------------------------------
