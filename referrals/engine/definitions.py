"""The vocabulary a Digital Front Door pathway is declared in (STYLE habit 9).

A pathway is data: its steps, their fields, when a field is asked or required, the
conditions a request must meet, who may use it and where it is routed. One engine
(`referrals.engine`) runs every pathway; nothing here touches a request or the database.

Conditions (`When`) are small objects over a `Context`: the answers so far, who is filling
the form in, the school and pupil from the register and the register figures. They say
when a field is shown (`shown_when`) or required (`required_when`, data-hub style), when a
step is asked, when a routing rule applies and when a requirement applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from referrals.engine.context import Context


# --- conditions ------------------------------------------------------------------------------
class When(Protocol):
    def __call__(self, ctx: Context) -> bool: ...

    def describe(self) -> str: ...


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Equals:
    """The answer to `name` is `value` (True/False for yes-or-no questions)."""

    name: str
    value: Any

    def __call__(self, ctx: Context) -> bool:
        return ctx.answers.get(self.name) == self.value

    def describe(self) -> str:
        return f"{self.name} is {self.value!r}"


@dataclass(frozen=True)
class OneOf:
    name: str
    values: tuple[Any, ...]

    def __call__(self, ctx: Context) -> bool:
        return ctx.answers.get(self.name) in self.values

    def describe(self) -> str:
        return f"{self.name} is one of {', '.join(map(repr, self.values))}"


@dataclass(frozen=True)
class Includes:
    """A checkbox answer includes `value`."""

    name: str
    value: str

    def __call__(self, ctx: Context) -> bool:
        answer = ctx.answers.get(self.name)
        return isinstance(answer, list | tuple) and self.value in answer

    def describe(self) -> str:
        return f"{self.name} includes {self.value!r}"


@dataclass(frozen=True)
class Answered:
    name: str

    def __call__(self, ctx: Context) -> bool:
        return ctx.answers.get(self.name) not in (None, "", [], {})

    def describe(self) -> str:
        return f"{self.name} is answered"


@dataclass(frozen=True)
class DaysBetweenMoreThan:
    """The dates `start` and `end` are more than `days` calendar days apart (inclusive)."""

    start: str
    end: str
    days: int

    def __call__(self, ctx: Context) -> bool:
        first, last = _as_date(ctx.answers.get(self.start)), _as_date(ctx.answers.get(self.end))
        return first is not None and last is not None and (last - first).days + 1 > self.days

    def describe(self) -> str:
        return f"{self.start} to {self.end} spans more than {self.days} days"


@dataclass(frozen=True)
class NumberMoreThan:
    name: str
    limit: int

    def __call__(self, ctx: Context) -> bool:
        value = ctx.answers.get(self.name)
        return isinstance(value, int) and value > self.limit

    def describe(self) -> str:
        return f"{self.name} is more than {self.limit}"


@dataclass(frozen=True)
class AnyItem:
    """Some item of a list (GROUP) answer satisfies a condition on the item's answers."""

    name: str
    condition: When

    def __call__(self, ctx: Context) -> bool:
        items = ctx.answers.get(self.name) or []
        return any(
            self.condition(ctx.with_answers({**ctx.answers, **item}))
            for item in items
            if isinstance(item, dict)
        )

    def describe(self) -> str:
        return f"some item of {self.name} has ({self.condition.describe()})"


@dataclass(frozen=True)
class Not:
    condition: When

    def __call__(self, ctx: Context) -> bool:
        return not self.condition(ctx)

    def describe(self) -> str:
        return f"not ({self.condition.describe()})"


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[When, ...]

    def __init__(self, *conditions: When) -> None:
        object.__setattr__(self, "conditions", conditions)

    def __call__(self, ctx: Context) -> bool:
        return all(condition(ctx) for condition in self.conditions)

    def describe(self) -> str:
        return " and ".join(f"({c.describe()})" for c in self.conditions)


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[When, ...]

    def __init__(self, *conditions: When) -> None:
        object.__setattr__(self, "conditions", conditions)

    def __call__(self, ctx: Context) -> bool:
        return any(condition(ctx) for condition in self.conditions)

    def describe(self) -> str:
        return " or ".join(f"({c.describe()})" for c in self.conditions)


@dataclass(frozen=True)
class SignedIn:
    """The person filling in the form has an account and is signed in."""

    def __call__(self, ctx: Context) -> bool:
        return ctx.user is not None

    def describe(self) -> str:
        return "signed in"


@dataclass(frozen=True)
class HasRole:
    roles: tuple[str, ...]

    def __init__(self, *roles: str) -> None:
        object.__setattr__(self, "roles", roles)

    def __call__(self, ctx: Context) -> bool:
        return ctx.user is not None and ctx.user.role in self.roles

    def describe(self) -> str:
        return f"the user's role is one of {', '.join(self.roles)}"


@dataclass(frozen=True)
class SchoolIs:
    """An attribute of the pupil's school (from the register) has one of some values."""

    attribute: str
    values: tuple[Any, ...]

    def __call__(self, ctx: Context) -> bool:
        return ctx.school is not None and getattr(ctx.school, self.attribute) in self.values

    def describe(self) -> str:
        return f"the school's {self.attribute} is one of {', '.join(map(repr, self.values))}"


@dataclass(frozen=True)
class ChoosesSchool:
    """The user must say which school: anonymous, LA staff, or staff of several schools."""

    def __call__(self, ctx: Context) -> bool:
        return ctx.user is None or not ctx.user.is_school_staff or len(ctx.user_school_urns) > 1

    def describe(self) -> str:
        return "the school is not implied by the account"


@dataclass(frozen=True)
class FromRegister:
    """The pupil was found in the register (a signed-in school user looked them up)."""

    def __call__(self, ctx: Context) -> bool:
        return ctx.pupil is not None

    def describe(self) -> str:
        return "the pupil was chosen from the register"


ALWAYS: When = AllOf()
ANONYMOUS: When = Not(SignedIn())
SIGNED_IN: When = SignedIn()


# --- fields and steps ------------------------------------------------------------------------
class Kind(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    INTEGER = "integer"
    DATE = "date"
    RADIOS = "radios"
    YES_NO = "yes_no"
    CHECKBOXES = "checkboxes"
    SELECT = "select"
    PUPIL = "pupil"  # a UPN: looked up in the register for school staff, checked otherwise
    SCHOOL = "school"  # the pupil's school: from the account, or a URN typed in
    GROUP = "group"  # a list of items, each with the same sub-fields ("add another")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""
    exclusive: bool = False  # a "None of these" checkbox
    reveals: tuple[str, ...] = ()  # fields shown under this option (GOV.UK conditional reveal)
    divider: str = ""  # text shown before this option, dividing a long list of radios


FieldValidator = Callable[[Any, "Context"], "str | None"]
CrossCheck = Callable[[Mapping[str, Any], "Context"], dict[str, str]]


@dataclass(frozen=True)
class Field:
    """One question. Required unless `required` is False or `required_when` does not hold."""

    name: str
    label: str
    kind: Kind = Kind.TEXT
    hint: str = ""
    required: bool = True
    required_when: When | None = None
    shown_when: When | None = None
    choices: tuple[Choice, ...] = ()
    # Pre-filled from the register when a pupil is chosen: "pupil.forename", "school.name",
    # "user.full_name", "facts.last_attended", or a function of the context.
    prefill: str | Callable[[Context], Any] = ""
    error_required: str = ""  # the GOV.UK error when it is missing ("Enter the date ...")
    max_length: int = 0
    min_value: int | None = None
    max_value: int | None = None
    validators: tuple[FieldValidator, ...] = ()
    choices_from: Callable[[Context], tuple[Choice, ...]] | None = None  # choices from the data
    fields: tuple[Field, ...] = ()  # GROUP: each item's questions
    item_label: str = ""  # GROUP: "Pupil", "Parent"
    item_checks: tuple[CrossCheck, ...] = ()  # GROUP: answers in one item that must agree
    carry: tuple[str, ...] = ()  # GROUP: internal numbers kept with each item, e.g. "_alert"
    min_items: int = 0
    max_items: int = 50
    width: str = ""  # GOV.UK input width class, e.g. "govuk-input--width-10"
    autocomplete: str = ""
    summary_label: str = ""  # shorter label for check your answers
    # PUPIL: also a pupil whose enrolment at the school has ended (a deletion the school's
    # register feed has already made).
    include_left: bool = False

    def is_required(self, ctx: Context) -> bool:
        if self.required_when is not None:
            return self.required_when(ctx)
        return self.required

    def is_shown(self, ctx: Context) -> bool:
        return self.shown_when is None or self.shown_when(ctx)

    def choice_label(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)

    @property
    def short_label(self) -> str:
        return self.summary_label or self.label


class StepKind(StrEnum):
    QUESTIONS = "questions"
    EVIDENCE = "evidence"  # file uploads, kept with the draft


@dataclass(frozen=True)
class Step:
    """One page of the form."""

    slug: str
    title: str
    fields: tuple[Field, ...] = ()
    intro: tuple[str | tuple[When, str], ...] = ()  # paragraphs; (condition, text) when conditional
    shown_when: When | None = None
    checks: tuple[CrossCheck, ...] = ()  # questions that must agree with each other
    panel: str = ""  # register figures shown on the page: "threshold", "attendance", ...
    kind: StepKind = StepKind.QUESTIONS
    min_files: int = 0  # EVIDENCE: how many files must be uploaded
    # Runs after the step is answered: more answers derived from it (e.g. chosen candidates
    # becoming rows of a list). Returns the answers to add.
    on_save: Callable[[Context, dict[str, Any]], dict[str, Any]] | None = None

    def is_shown(self, ctx: Context) -> bool:
        return self.shown_when is None or self.shown_when(ctx)


# --- requirements: the conditions a request must meet -----------------------------------------
class OnFail(StrEnum):
    BLOCK = "block"  # the form cannot be sent
    REASON = "reason"  # it can be sent with the school's reason, which the officer sees
    WARN = "warn"  # shown to the school and the officer; nothing else


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"  # not answered yet, or the register cannot tell


RequirementTest = Callable[["Context"], "bool | None"]


@dataclass(frozen=True)
class Requirement:
    """A condition of the statute or handbook, checked against the answers and the register."""

    id: str
    text: str  # the condition, stated positively: "The school is state funded"
    test: RequirementTest  # True met, False not met, None unknown
    on_fail: OnFail
    failure: str  # what we tell the school when it is not met
    source: str  # where the rule comes from, e.g. "KSAH §15 iv"
    applies_when: When | None = None
    field: str = ""  # a question-based BLOCK shows as an error on this field at once
    detail: Callable[[Context], str] | None = None  # figures behind the outcome

    def applies(self, ctx: Context) -> bool:
        return self.applies_when is None or self.applies_when(ctx)


# --- who may use a pathway, and where it goes -----------------------------------------------
class Audience(StrEnum):
    SCHOOL_STAFF = "school_staff"  # signed-in staff of a school
    ANONYMOUS = "anonymous"  # schools without an account (KSAH §10)
    AUTHORITY_STAFF = "authority_staff"  # the LA's own staff


class Subject(StrEnum):
    PUPIL = "pupil"  # one pupil, looked up by UPN for signed-in school staff
    PUPILS = "pupils"  # several pupils on one form (returns)


@dataclass(frozen=True)
class RoutingRule:
    """Send to a team (the area team for the school's district when `by_area`); allocate to
    the school's linked officer when `officer` names one. The first matching rule that is
    not a copy decides the queue; every matching copy rule adds a team that is told too."""

    team: str  # a kpas.base.models.Team.Function value
    when: When | None = None
    by_area: bool = False
    officer: str = ""  # "attendance_officer" or "exclusion_adviser" (School fields)
    copy: bool = False
    why: str = ""

    def applies(self, ctx: Context) -> bool:
        return self.when is None or self.when(ctx)


@dataclass(frozen=True)
class Pathway:
    number: int
    slug: str
    title: str
    summary: str
    audiences: frozenset[Audience]
    subject: Subject
    steps: tuple[Step, ...]
    routing: tuple[RoutingRule, ...]
    requirements: tuple[Requirement, ...] = ()
    who_for: tuple[str, ...] = ()
    you_need: tuple[str, ...] = ()
    before_you_start: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()  # signed-in roles allowed; empty = the audience's all
    source: str = ""
    kind_label: str = "form"  # "notification" or "request", for page text

    def step(self, slug: str) -> Step | None:
        return next((step for step in self.steps if step.slug == slug), None)

    def all_fields(self) -> Iterable[Field]:
        for step in self.steps:
            yield from step.fields
