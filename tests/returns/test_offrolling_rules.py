"""The off-rolling signals' rules, table-driven (reg 9; KSAH §22-24; DOMAIN §9, §15), over a
Kent year with half-terms, bank holidays and an INSET day."""

from __future__ import annotations

from datetime import date

import pytest

from returns.offrolling_rules import (
    cme_enquiries_incomplete,
    ground_problem,
    is_transition_leaver,
    lost_ctf_late,
    special_school_without_agreement,
    stopped_appearing,
    unreturned_deletion,
)
from schools.calendar import SchoolCalendar

TERMS = [
    (date(2025, 9, 3), date(2025, 12, 19)),
    (date(2026, 1, 5), date(2026, 3, 27)),
    (date(2026, 4, 13), date(2026, 7, 22)),
]
HALF_TERMS = [
    (date(2025, 10, 27), date(2025, 10, 31)),
    (date(2026, 2, 16), date(2026, 2, 20)),
    (date(2026, 5, 25), date(2026, 5, 29)),
]
KENT = SchoolCalendar.from_terms(TERMS, [*HALF_TERMS, (date(2026, 1, 5), date(2026, 1, 5))])
AGED_10 = date(2015, 9, 10)  # compulsory school age throughout 2025/26
AGED_17 = date(2008, 9, 10)  # past compulsory school age


@pytest.mark.parametrize(
    ("ground", "dob", "on", "raised"),
    [
        # DOMAIN §9: 1(a)-1(o) for pupils of compulsory school age, 3(a)-3(e) for others.
        pytest.param("1a", AGED_10, date(2025, 11, 3), False, id="1a-compulsory-age"),
        pytest.param("3a", AGED_17, date(2025, 11, 3), False, id="3a-over-age"),
        pytest.param("1A", AGED_10, date(2025, 11, 3), False, id="case-insensitive"),
        pytest.param("3c", AGED_10, date(2025, 11, 3), True, id="3c-for-a-compulsory-age-pupil"),
        pytest.param("1i", AGED_17, date(2025, 11, 3), True, id="1i-for-an-over-age-pupil"),
        pytest.param("persistent absence", AGED_10, date(2025, 11, 3), True, id="not-a-ground"),
        pytest.param("1p", AGED_10, date(2025, 11, 3), True, id="no-such-ground"),
        pytest.param("", AGED_10, date(2025, 11, 3), True, id="none-given"),
        pytest.param("1a", None, None, False, id="age-unknown-ground-valid"),
    ],
)
def test_a_ground_problem(ground, dob, on, raised):  # type: ignore[no-untyped-def]
    assert (ground_problem(ground, dob=dob, deleted_on=on) is not None) is raised


@pytest.mark.parametrize(
    ("dob", "left", "year", "has_return", "elsewhere", "raised"),
    [
        # KSAH §24: every deletion is returned; reg 9 1(a) is evident when registered elsewhere.
        pytest.param(AGED_10, date(2025, 11, 14), "5", False, False, True, id="no-return"),
        pytest.param(AGED_10, date(2025, 11, 14), "5", True, False, False, id="returned"),
        pytest.param(
            AGED_10, date(2025, 11, 14), "5", False, True, False, id="registered-elsewhere"
        ),
        pytest.param(AGED_17, date(2025, 11, 14), "12", False, False, False, id="over-age"),
        # KSAH §22: no notification at standard transition points (Year 2, 6, 11).
        pytest.param(AGED_10, date(2026, 7, 22), "6", False, False, False, id="year-6-in-july"),
        pytest.param(AGED_10, date(2026, 7, 22), "Y2", False, False, False, id="year-2-in-july"),
        pytest.param(AGED_10, date(2026, 3, 6), "6", False, False, True, id="year-6-in-march"),
        pytest.param(AGED_10, date(2026, 7, 22), "5", False, False, True, id="year-5-in-july"),
    ],
)
def test_a_unreturned_deletion(dob, left, year, has_return, elsewhere, raised):  # type: ignore[no-untyped-def]
    found = unreturned_deletion(
        dob=dob, left_on=left, year_group=year, has_return=has_return,
        registered_elsewhere=elsewhere,
    )  # fmt: skip
    assert (found is not None) is raised


def test_transition_points_are_years_2_6_11_at_the_end_of_the_year() -> None:
    assert is_transition_leaver("11", date(2026, 8, 31))
    assert not is_transition_leaver("10", date(2026, 7, 22))


@pytest.mark.parametrize(
    ("ground", "on", "forwarding", "complete", "raised"),
    [
        # KSAH §22-23; DOMAIN §9: on roll until the enquiries are confirmed complete.
        pytest.param("1i", date(2025, 12, 1), None, [], True, id="1i-no-enquiry"),
        pytest.param("1i", date(2025, 12, 1), None, [date(2025, 11, 28)], False, id="1i-complete"),
        pytest.param(
            "1i", date(2025, 12, 1), None, [date(2025, 12, 1)], False, id="complete-on-the-day"
        ),
        pytest.param(
            "1h",
            date(2025, 12, 1),
            None,
            [date(2025, 12, 2)],
            True,
            id="1h-completed-after-deletion",
        ),
        pytest.param("1h", date(2025, 12, 1), True, [], True, id="1h-forwarding-does-not-waive"),
        pytest.param("1g", date(2025, 12, 1), True, [], False, id="1g-forwarding-address"),
        pytest.param("1g", date(2025, 12, 1), False, [], True, id="1g-no-forwarding-address"),
        pytest.param("1a", date(2025, 12, 1), None, [], False, id="other-grounds"),
        pytest.param("3c", date(2025, 12, 1), None, [], False, id="3c-not-in-the-signal"),
        pytest.param("1i", None, None, [], False, id="no-deletion-date"),
    ],
)
def test_b_cme_enquiries_incomplete(ground, on, forwarding, complete, raised):  # type: ignore[no-untyped-def]
    found = cme_enquiries_incomplete(
        ground, deleted_on=on, forwarding_address_known=forwarding, complete_on=complete
    )
    assert (found is not None) is raised


@pytest.mark.parametrize(
    ("special", "dob", "ground", "agreement", "raised"),
    [
        # KSAH §23: a special-school pupil cannot be deleted without the authority's agreement.
        pytest.param(True, AGED_10, "1f", None, True, id="1f-no-agreement-recorded"),
        pytest.param(True, AGED_10, "1f", False, True, id="1f-agreement-refused"),
        pytest.param(True, AGED_10, "1f", True, False, id="1f-agreed"),
        pytest.param(True, AGED_10, None, None, True, id="register-only-no-return"),
        pytest.param(True, AGED_10, "1a", None, False, id="1a-registered-elsewhere"),
        pytest.param(False, AGED_10, "1f", None, False, id="mainstream"),
        pytest.param(True, AGED_17, "3a", None, False, id="over-age"),
    ],
)
def test_c_special_school_without_agreement(special, dob, ground, agreement, raised):  # type: ignore[no-untyped-def]
    found = special_school_without_agreement(
        special=special, dob=dob, deleted_on=date(2025, 11, 3), ground=ground,
        la_agreement=agreement,
    )  # fmt: skip
    assert (found is not None) is raised


@pytest.mark.parametrize(
    ("last", "latest", "n", "expected"),
    [
        # [LA setting] 10 school days (KSAH §22's CME window), on the school's calendar.
        pytest.param(date(2025, 11, 14), date(2025, 11, 28), 10, 10, id="ten-school-days"),
        pytest.param(date(2025, 11, 14), date(2025, 11, 27), 10, None, id="nine-school-days"),
        # Half-term (27-31 Oct) is not counted: 17 Oct to 7 Nov is 10 school days, not 15.
        pytest.param(date(2025, 10, 17), date(2025, 11, 7), 10, 10, id="over-half-term"),
        pytest.param(date(2025, 10, 17), date(2025, 11, 6), 10, None, id="half-term-not-counted"),
        # The Christmas holiday and the INSET day on 5 Jan are not school days.
        pytest.param(date(2025, 12, 12), date(2026, 1, 9), 10, 9, id="christmas-and-inset"),
        pytest.param(date(2025, 11, 14), date(2025, 11, 14), 10, None, id="still-marked"),
        pytest.param(date(2025, 11, 14), date(2025, 11, 21), 5, 5, id="la-setting-5"),
    ],
)
def test_d_stopped_appearing(last, latest, n, expected):  # type: ignore[no-untyped-def]
    found = stopped_appearing(KENT, last_mark=last, school_latest=latest, school_days=n)
    assert found == (expected if expected is None or expected >= n else None)


@pytest.mark.parametrize(
    ("left", "sent", "expected"),
    [
        # Pupil Information Regs 2005 reg 9(3); KSAH §22: within 15 school days of leaving.
        pytest.param(date(2025, 11, 3), date(2025, 11, 24), None, id="fifteen-days-in-time"),
        pytest.param(date(2025, 11, 3), date(2025, 11, 25), 16, id="sixteen-days-late"),
        # Half-term not counted: 10 Oct + 15 school days is 7 Nov.
        pytest.param(date(2025, 10, 10), date(2025, 11, 7), None, id="over-half-term-in-time"),
        pytest.param(date(2025, 10, 10), date(2025, 11, 10), 16, id="over-half-term-late"),
        # Left in the Christmas holiday: the INSET day (5 Jan) does not count.
        pytest.param(date(2025, 12, 22), date(2026, 1, 26), None, id="holiday-and-inset"),
        pytest.param(date(2025, 12, 22), date(2026, 1, 27), 16, id="holiday-and-inset-late"),
    ],
)
def test_e_lost_ctf_late(left, sent, expected):  # type: ignore[no-untyped-def]
    assert lost_ctf_late(KENT, left_on=left, sent_on=sent) == expected
