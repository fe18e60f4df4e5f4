"""Register codes: the single source of truth for what each mark means (DOMAIN §2).

Two code sets exist: the 2024 set (WTISA chapter 8, SI 2024/208, from 19 August 2024) and
the set in use before it (DfE school attendance advice, SI 2006/1751 as amended). A mark is
read with the set in force on its date (`code_set_for`).

Each code also has a small integer **ordinal** for compact storage (the per-pupil-year code
arrays of `schools.register_arrays` and `PupilYearRegister.codes`). Ordinals are written to
disk: they are stable forever. Never renumber or reuse one; a new code takes the next free
number at the end of `_ORDINAL_ORDER`. Ordinal 0 means "no mark".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Category(StrEnum):
    """Statistical category of a code (DOMAIN §2 table; DfE published data)."""

    PRESENT = "present"
    APPROVED_ACTIVITY = "approved_activity"
    AUTHORISED = "authorised"
    UNAUTHORISED = "unauthorised"
    NOT_POSSIBLE = "not_possible"
    ADMINISTRATIVE = "administrative"


# Order used by the CATEGORY_INDEX table; never reorder (index values may be cached).
CATEGORIES: Final[tuple[Category, ...]] = tuple(Category)
_POSSIBLE = frozenset(
    {Category.PRESENT, Category.APPROVED_ACTIVITY, Category.AUTHORISED, Category.UNAUTHORISED}
)
_ATTENDANCE = frozenset({Category.PRESENT, Category.APPROVED_ACTIVITY})
_ABSENCE = frozenset({Category.AUTHORISED, Category.UNAUTHORISED})

CODE_SET_CHANGE_DATE: Final = date(2024, 8, 19)  # WTISA and SI 2024/208 apply from this day
NO_MARK: Final = 0  # ordinal of an empty slot
N_CODE: Final = "N"  # reason not yet established: must be replaced within 5 school days
ILLNESS_CODE: Final = "I"  # drives the sickness return (reg 13; DOMAIN §8)


@dataclass(frozen=True, slots=True)
class Code:
    """One register code as defined in one code set."""

    code: str
    category: Category
    description: str
    # The school did not meet for this session (# planned; Y4 whole site unexpectedly
    # closed): not a session for school-day counting (DOMAIN §13).
    whole_school_closure: bool = False

    @property
    def possible(self) -> bool:
        """Counts as a possible session (attendance + absence)."""
        return self.category in _POSSIBLE

    @property
    def counts_as_attendance(self) -> bool:
        return self.category in _ATTENDANCE

    @property
    def is_absence(self) -> bool:
        return self.category in _ABSENCE

    @property
    def is_unauthorised(self) -> bool:
        """G, N, O, U: the penalty threshold and attendance return codes (DOMAIN §5, §8)."""
        return self.category is Category.UNAUTHORISED


class UnknownCode(ValueError):
    """A mark whose code does not exist in the code set in force on its date."""

    def __init__(self, code: str, on: date) -> None:
        self.code = code
        self.on = on
        set_name = "2024" if on >= CODE_SET_CHANGE_DATE else "pre-2024"
        super().__init__(
            f"Unknown register code {code!r} on {on.isoformat()} (the {set_name} code set applies)"
        )


def _code_set(*codes: Code) -> MappingProxyType[str, Code]:
    return MappingProxyType({c.code: c for c in codes})


_P, _AA, _AU, _UN, _NP, _AD = (
    Category.PRESENT,
    Category.APPROVED_ACTIVITY,
    Category.AUTHORISED,
    Category.UNAUTHORISED,
    Category.NOT_POSSIBLE,
    Category.ADMINISTRATIVE,
)

# The 2024 set (WTISA chapter 8; KSAH p.43; DOMAIN §2).
CODES_2024: Final = _code_set(
    Code("/", _P, "Present (AM)"),
    Code("\\", _P, "Present (PM)"),
    Code("L", _P, "Late arrival before the register closed"),
    Code("K", _AA, "Attending education provision arranged by the local authority"),
    Code("V", _AA, "Attending an educational visit or trip"),
    Code("P", _AA, "Participating in a sporting activity"),
    Code("W", _AA, "Attending work experience"),
    Code("B", _AA, "Attending any other approved educational activity"),
    Code("C", _AU, "Leave of absence for exceptional circumstances"),
    Code("C1", _AU, "Leave of absence for a regulated performance or employment abroad"),
    Code("C2", _AU, "Leave of absence: compulsory school age pupil on a part-time timetable"),
    Code("E", _AU, "Suspended or permanently excluded and no alternative provision made"),
    Code("I", _AU, "Illness (not medical or dental appointment)"),
    Code("J1", _AU, "Leave of absence to attend an interview for employment or admission"),
    Code("M", _AU, "Leave of absence for a medical or dental appointment"),
    Code("R", _AU, "Religious observance"),
    Code("S", _AU, "Leave of absence to study for a public examination"),
    Code("T", _AU, "Parent travelling for occupational purposes"),
    Code("G", _UN, "Holiday not granted by the school"),
    Code("N", _UN, "Reason for absence not yet established"),
    Code("O", _UN, "Absent in other or unknown circumstances"),
    Code("U", _UN, "Arrived in school after registration closed"),
    Code("D", _NP, "Dual registered: attending another school"),
    Code("X", _NP, "Non-compulsory school age pupil not required to attend"),
    Code("Q", _NP, "Unable to attend because of a lack of access arrangements"),
    Code("Y1", _NP, "Unable to attend: transport normally provided not available"),
    Code("Y2", _NP, "Unable to attend: widespread disruption to travel"),
    Code("Y3", _NP, "Unable to attend: part of the school premises closed"),
    Code("Y4", _NP, "Unable to attend: whole school site unexpectedly closed", True),
    Code("Y5", _NP, "Unable to attend: pupil in criminal justice detention"),
    Code("Y6", _NP, "Unable to attend: public health guidance or law"),
    Code("Y7", _NP, "Unable to attend: any other unavoidable cause"),
    Code("Z", _AD, "Prospective pupil not on admission register"),
    Code("#", _AD, "Planned whole school closure", True),
)

# The set before 19 August 2024 (DfE school attendance advice 2013/2016). F was withdrawn
# in September 2013 and folded into H by the census; it is kept so older files still read.
CODES_PRE_2024: Final = _code_set(
    Code("/", _P, "Present (AM)"),
    Code("\\", _P, "Present (PM)"),
    Code("L", _P, "Late, arrived before the register closed"),
    Code("B", _AA, "Educated off site (not dual registration)"),
    Code("J", _AA, "Interview"),
    Code("P", _AA, "Participating in a supervised sporting activity"),
    Code("V", _AA, "Educational visit or trip"),
    Code("W", _AA, "Work experience"),
    Code("C", _AU, "Other authorised circumstances"),
    Code("E", _AU, "Excluded, no alternative provision made"),
    Code("F", _AU, "Agreed extended family holiday (withdrawn September 2013)"),
    Code("H", _AU, "Agreed family holiday"),
    Code("I", _AU, "Illness (not medical or dental appointment)"),
    Code("M", _AU, "Medical or dental appointment"),
    Code("R", _AU, "Religious observance"),
    Code("S", _AU, "Study leave"),
    Code("T", _AU, "Gypsy, Roma and Traveller absence"),
    Code("G", _UN, "Family holiday not agreed, or in excess of the agreed period"),
    Code("N", _UN, "No reason yet provided for absence"),
    Code("O", _UN, "Unauthorised absence not covered by any other code"),
    Code("U", _UN, "Arrived after registers closed"),
    Code("D", _NP, "Dual registered: at another educational establishment"),
    Code("X", _NP, "Non-compulsory school age absence"),
    Code("Y", _NP, "Unable to attend due to exceptional circumstances"),
    Code("Z", _AD, "Pupil not yet on roll"),
    Code("#", _AD, "Planned whole school closure", True),
)


def code_set_for(on: date) -> MappingProxyType[str, Code]:
    """The code set in force on a date (DOMAIN §2: imports pick the set by date)."""
    return CODES_2024 if on >= CODE_SET_CHANGE_DATE else CODES_PRE_2024


def lookup(code: str, on: date) -> Code:
    """The meaning of `code` on date `on`; raises UnknownCode if the set has no such code."""
    try:
        return code_set_for(on)[code]
    except KeyError:
        raise UnknownCode(code, on) from None


# --- Stable ordinals -------------------------------------------------------------------------
# Position + 1 is the ordinal. APPEND ONLY: these numbers are stored in code arrays.
_ORDINAL_ORDER: Final[tuple[str, ...]] = (
    "/", "\\", "L", "K", "V", "P", "W", "B",  # 1-8
    "C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T",  # 9-18
    "G", "N", "O", "U",  # 19-22
    "D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7",  # 23-32
    "Z", "#",  # 33-34
    "H", "J", "Y", "F",  # 35-38: pre-2024 only
)  # fmt: skip


def _union_of_code_sets() -> dict[str, Code]:
    """Every code in either set; a code in both must mean the same category in both."""
    union: dict[str, Code] = dict(CODES_2024)
    for code, old in CODES_PRE_2024.items():
        new = union.setdefault(code, old)
        if (new.category, new.whole_school_closure) != (old.category, old.whole_school_closure):
            raise AssertionError(f"code {code!r} changed category between code sets")
    return union


ALL_CODES: Final[MappingProxyType[str, Code]] = MappingProxyType(_union_of_code_sets())
if set(_ORDINAL_ORDER) != set(ALL_CODES) or len(set(_ORDINAL_ORDER)) != len(_ORDINAL_ORDER):
    raise AssertionError("_ORDINAL_ORDER must list every code exactly once")

ORDINAL_BY_CODE: Final[MappingProxyType[str, int]] = MappingProxyType(
    {code: i for i, code in enumerate(_ORDINAL_ORDER, start=1)}
)
CODE_BY_ORDINAL: Final[MappingProxyType[int, str]] = MappingProxyType(
    {i: code for code, i in ORDINAL_BY_CODE.items()}
)
ORDINAL_COUNT: Final = len(_ORDINAL_ORDER) + 1  # table length, including NO_MARK
