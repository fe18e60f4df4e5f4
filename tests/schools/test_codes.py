"""The register code table (DOMAIN §2; KSAH §17 and p.43; WTISA chapter 8)."""

from datetime import date

import numpy as np
import pytest

from schools import code_tables, codes
from schools.codes import (
    CODE_BY_ORDINAL,
    CODE_SET_CHANGE_DATE,
    CODES_2024,
    CODES_PRE_2024,
    ORDINAL_BY_CODE,
    Category,
    UnknownCode,
    code_set_for,
    lookup,
)

# DOMAIN §2 table, 2024 set: code -> category.
CATEGORY_2024 = {
    **dict.fromkeys(["/", "\\", "L"], Category.PRESENT),
    **dict.fromkeys(["K", "V", "P", "W", "B"], Category.APPROVED_ACTIVITY),
    **dict.fromkeys(["C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T"], Category.AUTHORISED),
    **dict.fromkeys(["G", "N", "O", "U"], Category.UNAUTHORISED),
    **dict.fromkeys(
        ["D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"], Category.NOT_POSSIBLE
    ),
    **dict.fromkeys(["Z", "#"], Category.ADMINISTRATIVE),
}

# DOMAIN §2 "Older files use the pre-2024 code set"; DfE attendance advice 2013/2016.
CATEGORY_PRE_2024 = {
    **dict.fromkeys(["/", "\\", "L"], Category.PRESENT),
    **dict.fromkeys(["B", "J", "P", "V", "W"], Category.APPROVED_ACTIVITY),
    **dict.fromkeys(["C", "E", "F", "H", "I", "M", "R", "S", "T"], Category.AUTHORISED),
    **dict.fromkeys(["G", "N", "O", "U"], Category.UNAUTHORISED),
    **dict.fromkeys(["D", "X", "Y"], Category.NOT_POSSIBLE),
    **dict.fromkeys(["Z", "#"], Category.ADMINISTRATIVE),
}

# Ordinals are stored in code arrays on disk: this snapshot must never change (codes.py).
PINNED_ORDINALS = {
    "/": 1, "\\": 2, "L": 3, "K": 4, "V": 5, "P": 6, "W": 7, "B": 8,
    "C": 9, "C1": 10, "C2": 11, "E": 12, "I": 13, "J1": 14, "M": 15, "R": 16, "S": 17, "T": 18,
    "G": 19, "N": 20, "O": 21, "U": 22,
    "D": 23, "X": 24, "Q": 25, "Y1": 26, "Y2": 27, "Y3": 28, "Y4": 29, "Y5": 30, "Y6": 31,
    "Y7": 32, "Z": 33, "#": 34, "H": 35, "J": 36, "Y": 37, "F": 38,
}  # fmt: skip


def test_2024_set_matches_domain_table():
    # DOMAIN §2 table
    assert {c: m.category for c, m in CODES_2024.items()} == CATEGORY_2024


def test_pre_2024_set():
    # DOMAIN §2: H holiday, J interview (approved activity), T traveller; no C1/C2/J1/Y1-Y7
    assert {c: m.category for c, m in CODES_PRE_2024.items()} == CATEGORY_PRE_2024


@pytest.mark.parametrize(
    ("category", "possible", "attendance"),
    [
        (Category.PRESENT, True, True),
        (Category.APPROVED_ACTIVITY, True, True),
        (Category.AUTHORISED, True, False),
        (Category.UNAUTHORISED, True, False),
        (Category.NOT_POSSIBLE, False, False),
        (Category.ADMINISTRATIVE, False, False),
    ],
    ids=lambda v: str(v),
)
def test_possible_and_attendance_by_category(category, possible, attendance):
    # DOMAIN §2: possible = attendance + absence; attendance = present + approved activity
    for code in [*CODES_2024.values(), *CODES_PRE_2024.values()]:
        if code.category is category:
            assert code.possible is possible, code
            assert code.counts_as_attendance is attendance, code


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2013, 9, 1), CODES_PRE_2024),
        (date(2024, 8, 18), CODES_PRE_2024),
        (date(2024, 8, 19), CODES_2024),
        (date(2026, 1, 5), CODES_2024),
    ],
    ids=["2013", "day-before-change", "change-day", "2026"],
)
def test_code_set_for_picks_set_by_date(on, expected):
    # DOMAIN §2: imports pick the code set by date; WTISA applies from 19 Aug 2024
    assert date(2024, 8, 19) == CODE_SET_CHANGE_DATE
    assert code_set_for(on) is expected


@pytest.mark.parametrize(
    ("code", "on", "category"),
    [
        ("H", date(2024, 7, 1), Category.AUTHORISED),
        ("J", date(2024, 7, 1), Category.APPROVED_ACTIVITY),
        ("C2", date(2024, 9, 2), Category.AUTHORISED),
        ("Y4", date(2024, 9, 2), Category.NOT_POSSIBLE),
        ("T", date(2024, 7, 1), Category.AUTHORISED),
        ("T", date(2024, 9, 2), Category.AUTHORISED),
    ],
    ids=["H-old", "J-old", "C2-new", "Y4-new", "T-old", "T-new"],
)
def test_lookup(code, on, category):
    # DOMAIN §2
    assert lookup(code, on).category is category


@pytest.mark.parametrize(
    ("code", "on"),
    [
        ("H", date(2024, 9, 2)),
        ("C1", date(2024, 7, 1)),
        ("Y1", date(2024, 8, 18)),
        ("", date(2025, 1, 6)),
    ],
    ids=["H-after-change", "C1-before-change", "Y1-before-change", "empty"],
)
def test_lookup_unknown_code_names_code_and_date(code, on):
    # DOMAIN §2: a code outside the set in force on its date is refused
    with pytest.raises(UnknownCode) as excinfo:
        lookup(code, on)
    assert repr(code) in str(excinfo.value)
    assert on.isoformat() in str(excinfo.value)
    assert (excinfo.value.code, excinfo.value.on) == (code, on)


def test_ordinals_are_pinned():
    # Stored ordinals are stable forever (codes.py module docstring)
    assert dict(ORDINAL_BY_CODE) == PINNED_ORDINALS
    assert 0 not in CODE_BY_ORDINAL
    assert {CODE_BY_ORDINAL[o]: o for o in CODE_BY_ORDINAL} == PINNED_ORDINALS


def test_ordinals_cover_both_code_sets():
    assert set(ORDINAL_BY_CODE) == set(CODES_2024) | set(CODES_PRE_2024)


def test_codes_in_both_sets_keep_their_category():
    # The ordinal tables are shared by both sets, so a shared code must mean the same thing.
    for code in set(CODES_2024) & set(CODES_PRE_2024):
        assert CODES_2024[code].category is CODES_PRE_2024[code].category


ALL = {**CATEGORY_PRE_2024, **CATEGORY_2024}
NOT_COUNTED = (Category.NOT_POSSIBLE, Category.ADMINISTRATIVE)


def _codes_where(table: np.ndarray) -> set[str]:
    return {CODE_BY_ORDINAL[int(i)] for i in np.flatnonzero(table)}


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("IS_UNAUTHORISED", {"G", "N", "O", "U"}),
        ("IS_THRESHOLD", {"G", "N", "O", "U"}),
        ("IS_ILLNESS", {"I"}),
        ("IS_N", {"N"}),
        ("IS_CLOSURE", {"#", "Y4"}),
        ("IS_AUTHORISED", {c for c, k in ALL.items() if k is Category.AUTHORISED}),
        ("IS_PRESENT_OR_APPROVED", {"/", "\\", "L", "K", "V", "P", "W", "B", "J"}),
        ("IS_POSSIBLE", {c for c, k in ALL.items() if k not in NOT_COUNTED}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)  # fmt: skip
def test_lookup_tables(table, expected):
    # DOMAIN §2 table; §5 threshold codes; §8 illness; §13 closures
    array = getattr(code_tables, table)
    assert array.dtype == np.bool_
    assert array.shape == (codes.ORDINAL_COUNT,)
    assert not array[codes.NO_MARK]
    assert not array.flags.writeable
    assert _codes_where(array) == expected


def test_category_index_table():
    for code, ordinal in ORDINAL_BY_CODE.items():
        meta = codes.ALL_CODES[code]
        assert codes.CATEGORIES[code_tables.CATEGORY_INDEX[ordinal]] is meta.category
    assert code_tables.CATEGORY_INDEX[codes.NO_MARK] == len(codes.CATEGORIES)
