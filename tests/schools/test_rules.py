"""The register's statutory rules (DOMAIN §2, §3, §5, §8; KSAH §4, §13, §15 iv, §24; EA96 s.8)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schools.calendar import SchoolCalendar, anniversary
from schools.codes import UnknownCode
from schools.rules import (
    AM,
    PM,
    DuplicateMark,
    SessionMark,
    SessionStatistics,
    attendance_rate,
    below_attendance_target,
    is_persistent_absence,
    is_severe_absence,
    overdue_n_codes,
    penalty_threshold,
    penalty_threshold_episodes,
    session_statistics,
    threshold_window,
)
from schools.runs import (
    attendance_return_due,
    attendance_return_episodes,
    illness_sessions,
    longest_illness_run_sessions,
    longest_unauthorised_run_school_days,
    sessions_to_school_days,
    sickness_return_due,
    sickness_return_episodes,
)
from schools.school_age import (
    compulsory_school_age_end,
    compulsory_school_age_period,
    compulsory_school_age_start,
    is_compulsory_school_age,
)

# Kent-style six-term years 2024/25 and 2025/26 with INSET on 3 Sep 2025 and 5 Jan 2026.
KENT = SchoolCalendar.from_terms(
    [
        (date(2024, 9, 3), date(2024, 10, 25)),
        (date(2024, 11, 4), date(2024, 12, 20)),
        (date(2025, 1, 6), date(2025, 2, 14)),
        (date(2025, 2, 24), date(2025, 4, 4)),
        (date(2025, 4, 22), date(2025, 5, 23)),
        (date(2025, 6, 2), date(2025, 7, 22)),
        (date(2025, 9, 3), date(2025, 10, 24)),
        (date(2025, 11, 3), date(2025, 12, 19)),
        (date(2026, 1, 5), date(2026, 2, 13)),
        (date(2026, 2, 23), date(2026, 3, 27)),
        (date(2026, 4, 13), date(2026, 5, 22)),
        (date(2026, 6, 1), date(2026, 7, 21)),
    ],
    closures=[(date(2025, 9, 3), date(2025, 9, 3)), (date(2026, 1, 5), date(2026, 1, 5))],
)


def sessions_from(start: date, count: int, code: str, first=AM) -> list[SessionMark]:
    """`count` consecutive school-day sessions with one code, from `start`'s `first` session."""
    marks: list[SessionMark] = []
    day, session = start, first
    while len(marks) < count:
        marks.append(SessionMark(day, session, code))
        if session == AM:
            session = PM
        else:
            day, session = KENT.add_school_days(day, 1), AM
    return marks


def full_days(start: date, end: date, code: str) -> list[SessionMark]:
    return [SessionMark(d, s, code) for d in KENT.school_days_between(start, end) for s in (AM, PM)]


# --- statistics -------------------------------------------------------------------------------
def test_session_statistics_by_category():
    # DOMAIN §2 table: possible = attendance + absence; Y/#/Z/D/X are not possible
    day = date(2025, 9, 8)
    codes = ["/", "\\", "L", "B", "I", "C2", "G", "N", "O", "U", "Y4", "#", "Z", "D", "X"]
    marks = [
        SessionMark(day + timedelta(days=i // 2), (AM, PM)[i % 2], c) for i, c in enumerate(codes)
    ]
    stats = session_statistics(marks)
    assert (stats.present, stats.approved_activity, stats.authorised, stats.unauthorised) == (
        3,
        1,
        2,
        4,
    )
    assert (stats.not_possible, stats.administrative) == (3, 2)
    assert stats.possible == 10 == stats.attendance + stats.absence
    assert stats.by_code["G"] == 1


def test_statistics_pick_code_set_by_date():
    # DOMAIN §2: older marks use the pre-2024 set (H authorised holiday, J approved activity)
    old = [SessionMark(date(2024, 7, 1), AM, "H"), SessionMark(date(2024, 7, 1), PM, "J")]
    stats = session_statistics(old)
    assert (stats.authorised, stats.approved_activity) == (1, 1)
    with pytest.raises(UnknownCode, match="'H' on 2024-09-02"):
        session_statistics([SessionMark(date(2024, 9, 2), AM, "H")])


def test_duplicate_session_is_refused():
    with pytest.raises(DuplicateMark):
        session_statistics(
            [SessionMark(date(2025, 9, 8), AM, "/"), SessionMark(date(2025, 9, 8), "AM", "O")]
        )


@pytest.mark.parametrize(
    ("attendance", "possible", "rate"),
    [
        (342, 380, Decimal("90.00")),
        (2, 3, Decimal("66.67")),
        (1, 3, Decimal("33.33")),
        (1, 20000, Decimal("0.01")),  # 0.005 rounds half up, not to even
        (0, 10, Decimal("0.00")),
        (380, 380, Decimal("100.00")),
        (0, 0, None),
    ],
    ids=["90pc", "two-thirds", "one-third", "half-up", "zero", "hundred", "no-possible"],
)
def test_attendance_rate(attendance, possible, rate):
    # DOMAIN §2: (present + approved) / possible
    stats = SessionStatistics(
        possible=possible, present=attendance, unauthorised=possible - attendance
    )
    assert attendance_rate(stats) == rate
    if rate is not None:
        assert str(rate) == str(attendance_rate(stats))


@pytest.mark.parametrize(
    ("absence", "possible", "persistent", "severe"),
    [
        (38, 380, True, False),  # exactly 10%
        (37, 380, False, False),
        (1, 10, True, False),
        (190, 380, True, True),  # exactly 50%
        (189, 380, True, False),
        (0, 0, False, False),
    ],
    ids=[
        "exactly-10pc",
        "just-under-10pc",
        "1-in-10",
        "exactly-50pc",
        "just-under-50pc",
        "nothing",
    ],
)
def test_persistent_and_severe_absence(absence, possible, persistent, severe):
    # DOMAIN §2; KSAH §4: PA missed >= 10%, SA >= 50%, authorised and unauthorised alike
    stats = SessionStatistics(
        possible=possible, present=possible - absence, authorised=absence // 2,
        unauthorised=absence - absence // 2,
    )  # fmt: skip
    assert is_persistent_absence(stats) is persistent
    assert is_severe_absence(stats) is severe


# --- compulsory school age --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dob", "start"),
    [
        (date(2019, 8, 31), date(2024, 8, 31)),  # 5 on a prescribed day: starts that day
        (date(2019, 9, 1), date(2024, 12, 31)),
        (date(2019, 12, 31), date(2024, 12, 31)),
        (date(2020, 1, 1), date(2025, 3, 31)),
        (date(2020, 2, 29), date(2025, 3, 31)),  # 5 on 1 Mar 2025 (or 28 Feb: same answer)
        (date(2020, 3, 31), date(2025, 3, 31)),
        (date(2020, 4, 1), date(2025, 8, 31)),
    ],
    ids=["31-aug", "1-sep", "31-dec", "1-jan", "29-feb", "31-mar", "1-apr"],
)
def test_compulsory_school_age_start(dob, start):
    # EA96 s.8(2); DOMAIN §3: the prescribed day on or after the 5th birthday
    assert compulsory_school_age_start(dob) == start
    assert not is_compulsory_school_age(dob, start - timedelta(days=1))
    assert is_compulsory_school_age(dob, start)


@pytest.mark.parametrize(
    ("dob", "end"),
    [
        (date(2009, 8, 31), date(2025, 6, 27)),  # 16 in the summer holiday: leaves at 15
        (date(2009, 9, 1), date(2026, 6, 26)),
        (date(2009, 12, 31), date(2026, 6, 26)),
        (date(2010, 1, 1), date(2026, 6, 26)),
        (date(2008, 2, 29), date(2024, 6, 28)),
        (date(2009, 6, 26), date(2025, 6, 27)),  # 16 the day before the last Friday
        (date(2009, 6, 27), date(2025, 6, 27)),  # 16 on the last Friday in June
        (date(2009, 6, 28), date(2025, 6, 27)),  # 16 the day after: s.8(3)(a)
        (date(2009, 7, 20), date(2025, 6, 27)),
    ],
    ids=["31-aug", "1-sep", "31-dec", "1-jan", "29-feb", "day-before-friday", "on-friday",
         "day-after-friday", "july"],
)  # fmt: skip
def test_compulsory_school_age_end(dob, end):
    # EA96 s.8(3); DOMAIN §3: the last Friday in June of the school year the child turns 16
    assert end.weekday() == 4 and end.month == 6 and (end + timedelta(days=7)).month == 7
    assert compulsory_school_age_end(dob) == end
    assert is_compulsory_school_age(dob, end)
    assert not is_compulsory_school_age(dob, end + timedelta(days=1))


def test_compulsory_school_age_end_with_actual_term_start():
    # EA96 s.8(3)(a) read with s.579: the school year begins with the autumn term, so a
    # 16th birthday after 1 Sep but before term starts still ends at the June leaving date.
    dob = date(2009, 9, 2)
    assert compulsory_school_age_end(dob) == date(2026, 6, 26)
    assert compulsory_school_age_end(dob, school_year_start=date(2025, 9, 3)) == date(2025, 6, 27)
    with pytest.raises(ValueError):
        compulsory_school_age_end(dob, school_year_start=date(2026, 9, 3))


births = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@given(births)
def test_compulsory_school_age_properties(dob):
    # EA96 s.8: starts on the first prescribed day on or after the 5th birthday; ends on the
    # last Friday in June, so that a Sept-Aug birth cohort (one year group) leaves together.
    start = compulsory_school_age_start(dob)
    assert (start.month, start.day) in {(3, 31), (8, 31), (12, 31)}
    assert timedelta(0) <= start - anniversary(dob, 5) <= timedelta(days=152)  # 1 Apr -> 31 Aug
    end = compulsory_school_age_end(dob)
    cohort = dob.year if dob.month >= 9 else dob.year - 1  # born 1 Sep cohort - 31 Aug cohort+1
    assert end.year == cohort + 17 and end.month == 6 and end.weekday() == 4
    assert (end + timedelta(days=7)).month == 7
    assert anniversary(dob, 15) < end < anniversary(dob, 17)


# --- penalty threshold (DOMAIN §5 precise counting; KSAH §15 iv) -----------------------------
@pytest.mark.parametrize(
    ("count", "met"), [(9, False), (10, True)], ids=["9-sessions", "10-sessions"]
)
def test_threshold_9_vs_10_sessions(count, met):
    marks = sessions_from(date(2025, 9, 8), count, "U")
    result = penalty_threshold(marks, KENT, as_of=date(2025, 12, 19))
    assert result.met is met
    if met:
        assert (result.met_on, result.met_session) == (date(2025, 9, 12), PM)
        assert result.window_start == date(2025, 6, 2)  # 10 school weeks back, over the summer
        assert result.count == 10
    else:
        assert result.met_on is None
        assert result.count == 0  # the trailing window at as_of no longer holds them


def test_threshold_met_at_the_tenth_session_in_any_mix():
    # DOMAIN §5: any mix of G, N, O, U; sessions need not be consecutive
    marks = [
        *sessions_from(date(2025, 9, 8), 3, "G"),
        SessionMark(date(2025, 9, 9), PM, "/"),
        *sessions_from(date(2025, 9, 15), 4, "O"),
        *sessions_from(date(2025, 9, 22), 2, "N", first=PM),
        SessionMark(date(2025, 9, 23), PM, "U"),
    ]
    result = penalty_threshold(marks, KENT, as_of=date(2025, 10, 1))
    assert (result.met, result.met_on, result.met_session) == (True, date(2025, 9, 23), PM)
    assert result.window.by_code == {"G": 3, "O": 4, "N": 2, "U": 1}
    assert result.window.has_outstanding_n


@pytest.mark.parametrize(
    ("second_week", "met"),
    [(date(2025, 11, 17), True), (date(2025, 11, 24), False)],
    ids=["10th-school-week-over-half-term", "11th-school-week"],
)
def test_threshold_window_spans_half_term(second_week, met):
    # DOMAIN §5: holiday weeks are not school weeks (the 27 Oct half-term is skipped)
    marks = [*sessions_from(date(2025, 9, 8), 5, "G"), *sessions_from(second_week, 5, "G")]
    result = penalty_threshold(marks, KENT, as_of=date(2025, 12, 19))
    assert result.met is met
    if met:
        assert (result.met_on, result.met_session, result.window_start) == (
            date(2025, 11, 19), AM, date(2025, 9, 8),
        )  # fmt: skip


def test_threshold_window_spans_summer_into_new_school_year():
    # DOMAIN §5: the window can span terms and school years
    marks = [*sessions_from(date(2025, 7, 21), 4, "O"), *sessions_from(date(2025, 9, 15), 6, "O")]
    result = penalty_threshold(marks, KENT, as_of=date(2025, 10, 1), from_date=date(2025, 9, 1))
    assert (result.met, result.met_on, result.met_session) == (True, date(2025, 9, 17), PM)
    assert result.window_start == date(2025, 6, 9)


def test_inset_week_is_not_a_school_week():
    # DOMAIN §5: INSET days are not sessions; an all-INSET week does not count
    inset_week = KENT.excluding(KENT.school_days_between(date(2025, 11, 10), date(2025, 11, 14)))
    # 4 sessions in the first week of term (4-5 Sep), 6 in the week of 17 Nov
    marks = [*sessions_from(date(2025, 9, 4), 4, "G"), *sessions_from(date(2025, 11, 17), 6, "G")]
    assert not penalty_threshold(marks, KENT, as_of=date(2025, 12, 19)).met
    assert penalty_threshold(marks, inset_week, as_of=date(2025, 12, 19)).met


def test_threshold_ignores_marks_on_non_school_days():
    # DOMAIN §13: INSET and bank holidays are not sessions
    marks = [*sessions_from(date(2025, 9, 8), 9, "U"), SessionMark(date(2025, 9, 3), AM, "U")]
    assert not penalty_threshold(marks, KENT, as_of=date(2025, 9, 30)).met


def test_threshold_from_date():
    marks = sessions_from(date(2025, 9, 8), 10, "U")
    # DOMAIN §5 "Episodes": still 10 in the window on the first session tested, but the
    # episode began before from_date (12 Sep PM): it is not raised again.
    later = penalty_threshold(marks, KENT, as_of=date(2025, 12, 19), from_date=date(2025, 10, 4))
    assert not later.met
    assert later.count == 0  # the trailing window at as_of
    # After the window has moved past them: not met; the trailing window is shown.
    too_late = penalty_threshold(
        marks, KENT, as_of=date(2025, 12, 19), from_date=date(2025, 11, 24)
    )
    assert not too_late.met
    assert too_late.window_start == date(2025, 10, 6)


def test_trailing_window_at_as_of():
    # DOMAIN §5: show the school the window and its sessions
    marks = [*sessions_from(date(2025, 9, 8), 2, "G"), *sessions_from(date(2025, 11, 17), 3, "N")]
    window = threshold_window(marks, KENT, as_of=date(2025, 11, 18))
    assert window.window_start == date(2025, 9, 8)
    assert window.count == 5
    assert window.by_code == {"G": 2, "N": 3}


# --- attendance and sickness returns (reg 13; KSAH §24; DOMAIN §8) -----------------------------
def test_ten_school_day_run_over_weekends_and_half_term():
    marks = full_days(date(2025, 10, 20), date(2025, 11, 7), "O")
    run = longest_unauthorised_run_school_days(
        marks, KENT, start=date(2025, 9, 1), end=date(2025, 12, 19)
    )
    assert (run.sessions, run.school_days) == (20, Decimal(10))
    assert (run.first_day, run.first_session, run.last_day, run.last_session) == (
        date(2025, 10, 20), AM, date(2025, 11, 7), PM,
    )  # fmt: skip
    assert attendance_return_due(run.school_days, compulsory=True)
    assert not attendance_return_due(run.school_days, compulsory=False)


def test_run_broken_by_one_present_session():
    # DOMAIN §8: any other code, one present session included, ends the run
    marks = full_days(date(2025, 9, 8), date(2025, 9, 19), "O")
    assert longest_unauthorised_run_school_days(
        marks, KENT, start=date(2025, 9, 1), end=date(2025, 9, 30)
    ).school_days == Decimal(10)
    marks[9] = SessionMark(date(2025, 9, 12), PM, "L")
    run = longest_unauthorised_run_school_days(
        marks, KENT, start=date(2025, 9, 1), end=date(2025, 9, 30)
    )
    assert (run.sessions, run.first_day) == (10, date(2025, 9, 15))
    assert not attendance_return_due(run.school_days, compulsory=True)


def test_run_broken_by_missing_mark_but_not_by_closure():
    # DOMAIN §8 and §13: no mark ends a run; # and Y4 sessions were not held, so are skipped
    marks = full_days(date(2025, 9, 8), date(2025, 9, 22), "G")
    closed = [m._replace(code="Y4") if m.date == date(2025, 9, 15) else m for m in marks]
    run = longest_unauthorised_run_school_days(
        closed, KENT, start=date(2025, 9, 1), end=date(2025, 9, 30)
    )
    assert (run.sessions, run.first_day, run.last_day) == (20, date(2025, 9, 8), date(2025, 9, 22))
    missing = [m for m in marks if m.date != date(2025, 9, 15)]
    run = longest_unauthorised_run_school_days(
        missing, KENT, start=date(2025, 9, 1), end=date(2025, 9, 30)
    )
    assert run.sessions == 10


def test_twenty_sessions_starting_in_the_afternoon():
    # DOMAIN §8: a continuous period of 10 school days is 20 consecutive sessions
    run = longest_unauthorised_run_school_days(
        sessions_from(date(2025, 9, 8), 20, "N", first=PM), KENT,
        start=date(2025, 9, 1), end=date(2025, 10, 1),
    )  # fmt: skip
    assert (run.first_session, run.last_day, run.last_session) == (PM, date(2025, 9, 22), AM)
    assert attendance_return_due(run.school_days, compulsory=True)


@pytest.mark.parametrize(
    ("sessions", "days", "due"), [(29, Decimal("14.5"), False), (30, Decimal(15), True)],
    ids=["29-sessions", "30-sessions"],
)  # fmt: skip
def test_sickness_return_in_total(sessions, days, due):
    # DOMAIN §8: cumulative = I sessions in the school year / 2 >= 15 (not necessarily consecutive)
    spread = [
        m for i, m in enumerate(full_days(date(2025, 9, 8), date(2025, 12, 19), "I")) if i % 3 == 0
    ]
    marks = [SessionMark(date(2025, 7, 21), AM, "I"), *spread[:sessions]]  # last year's I ignored
    total = sessions_to_school_days(
        illness_sessions(marks, year_start=date(2025, 8, 1), as_of=date(2025, 12, 19))
    )
    assert total == days
    consecutive = longest_illness_run_sessions(
        marks, KENT, start=date(2025, 8, 1), end=date(2025, 12, 19)
    )
    assert consecutive.sessions == 1
    assert sickness_return_due(consecutive.school_days, total, compulsory=True) is due


def test_sickness_return_consecutive():
    # DOMAIN §8: 30 consecutive I sessions
    marks = sessions_from(date(2025, 11, 24), 30, "I")
    run = longest_illness_run_sessions(marks, KENT, start=date(2025, 8, 1), end=date(2026, 7, 31))
    assert run.school_days == Decimal(15)
    assert sickness_return_due(run.school_days, Decimal(0), compulsory=True)
    assert not sickness_return_due(run.school_days, Decimal(15), compulsory=False)
    assert not sickness_return_due(Decimal("14.5"), Decimal("14.5"), compulsory=True)


# --- overdue N (DOMAIN §2; KSAH §13) ------------------------------------------------------------
@pytest.mark.parametrize(
    ("marked_on", "due"),
    [
        (date(2025, 10, 13), date(2025, 10, 20)),  # Monday: over one weekend
        (date(2025, 10, 15), date(2025, 10, 22)),  # Wednesday
        (date(2025, 10, 21), date(2025, 11, 4)),  # over half-term
        (date(2025, 4, 30), date(2025, 5, 8)),  # over the early May bank holiday
    ],
    ids=["monday", "wednesday", "half-term", "bank-holiday"],
)
def test_overdue_n_after_fifth_school_day(marked_on, due):
    marks = [SessionMark(marked_on, PM, "N"), SessionMark(marked_on, AM, "/")]
    assert overdue_n_codes(marks, KENT, as_of=due) == []
    overdue = overdue_n_codes(marks, KENT, as_of=due + timedelta(days=1))
    assert [(o.date, o.session, o.due) for o in overdue] == [(marked_on, PM, due)]


def test_replaced_n_is_not_overdue():
    # KSAH §17: the school replaces N; the software only flags what is still N
    marks = [SessionMark(date(2025, 10, 13), AM, "O")]
    assert overdue_n_codes(marks, KENT, as_of=date(2025, 12, 1)) == []


# --- episodes (issue 10 items 5, 6, 9; DOMAIN §3, §5 "Episodes", §8 "Precise counting") -------
def test_every_threshold_episode_in_the_year_not_only_the_first():
    # DOMAIN §5 "Episodes": a new episode begins when the count reaches 10 after being below 10.
    # 10 U in the week of 8 Sep (met 12 Sep PM); the window leaves them behind in the week of
    # 24 Nov (10 school weeks back from it is 15 Sep); 10 more U from 1 Dec: met 5 Dec PM.
    marks = [*sessions_from(date(2025, 9, 8), 10, "U"), *sessions_from(date(2025, 12, 1), 10, "U")]
    episodes = penalty_threshold_episodes(
        marks, KENT, as_of=date(2025, 12, 19), from_date=date(2025, 8, 1)
    )
    assert [(e.met_on, e.met_session, e.window_start, e.count) for e in episodes] == [
        (date(2025, 9, 12), PM, date(2025, 6, 2), 10),
        (date(2025, 12, 5), PM, date(2025, 9, 22), 10),
    ]
    first = penalty_threshold(marks, KENT, as_of=date(2025, 12, 19), from_date=date(2025, 8, 1))
    assert (first.met_on, first.met_session) == (date(2025, 9, 12), PM)


def test_an_episode_of_last_school_year_is_not_raised_again_in_september():
    # DOMAIN §5 "Episodes": 10 U in the week of 14 Jul 2025 met the threshold then; the window
    # at the first sessions of September still holds them, but that is no new episode.
    marks = [*sessions_from(date(2025, 7, 14), 10, "U"), *sessions_from(date(2025, 9, 8), 2, "U")]
    this_year = penalty_threshold_episodes(
        marks, KENT, as_of=date(2025, 10, 1), from_date=date(2025, 8, 1)
    )
    assert this_year == []
    last_year = penalty_threshold_episodes(marks, KENT, as_of=date(2025, 10, 1))
    assert [(e.met_on, e.met_session) for e in last_year] == [(date(2025, 7, 18), PM)]


def test_threshold_counts_only_sessions_while_of_compulsory_school_age():
    # DOMAIN §3: judged per session. Born 15 Oct 2020: of compulsory school age from the
    # prescribed day 31 Dec 2025, so December's 6 U do not count; January's 10 do.
    age = compulsory_school_age_period(date(2020, 10, 15))
    assert age[0] == date(2025, 12, 31)
    marks = [*sessions_from(date(2025, 12, 8), 6, "U"), *sessions_from(date(2026, 1, 6), 4, "G")]
    unjudged = penalty_threshold(marks, KENT, as_of=date(2026, 2, 1))
    assert (unjudged.met, unjudged.met_on) == (True, date(2026, 1, 7))
    judged = penalty_threshold(marks, KENT, as_of=date(2026, 2, 1), age_period=age)
    assert not judged.met
    later = [*marks, *sessions_from(date(2026, 1, 8), 6, "O")]
    (episode,) = penalty_threshold_episodes(later, KENT, as_of=date(2026, 2, 1), age_period=age)
    assert episode.window.by_code == {"G": 4, "O": 6}  # the report's `sessions`: no U counted


@pytest.mark.parametrize(
    ("attendance", "possible", "below"),
    [
        (17999, 20000, True),  # 89.995%: shown as 90.00% but below a 90% target
        (18000, 20000, False),  # exactly 90%: not below
        (0, 0, False),  # nothing possible yet
    ],
    ids=["just-below-rounds-up", "equal", "no-sessions"],
)
def test_attendance_below_policy_target_is_compared_exactly(attendance, possible, below):
    # KSAH §15 iv: attendance below the school's policy target; issue 10 item 9
    assert (
        below_attendance_target(attendance=attendance, possible=possible, target=Decimal(90))
        is below
    )


def test_every_attendance_return_episode_in_the_year():
    # DOMAIN §8: every maximal run of >= 20 consecutive G/N/O/U sessions is its own episode.
    marks = [
        *full_days(date(2025, 9, 8), date(2025, 9, 19), "O"),
        SessionMark(date(2025, 9, 22), AM, "/"),
        *sessions_from(date(2025, 9, 22), 21, "U", first=PM),
    ]
    episodes = attendance_return_episodes(
        marks, KENT, year_start=date(2025, 8, 1), as_of=date(2025, 12, 19)
    )
    assert [(e.first_day, e.run.first_session, e.run.school_days, e.due) for e in episodes] == [
        (date(2025, 9, 8), AM, Decimal(10), True),
        (date(2025, 9, 22), PM, Decimal("10.5"), True),
    ]


def test_a_run_across_the_summer_belongs_to_the_year_it_reaches_twenty_sessions():
    # DOMAIN §8: a run from mid-July into September is one run, counted whole; its return
    # belongs to the school year in which it meets the criterion.
    marks = [
        *full_days(date(2025, 7, 14), date(2025, 7, 22), "O"),  # 7 school days: 14 sessions
        *full_days(date(2025, 9, 4), date(2025, 9, 8), "O"),  # 3 school days (3 Sep INSET)
    ]
    (episode,) = attendance_return_episodes(
        marks, KENT, year_start=date(2025, 8, 1), as_of=date(2025, 9, 30)
    )
    assert (episode.first_day, episode.last_day, episode.run.school_days) == (
        date(2025, 7, 14), date(2025, 9, 8), Decimal(10),
    )  # fmt: skip
    assert (episode.reached_on, episode.reached_session) == (date(2025, 9, 8), PM)
    longest = longest_unauthorised_run_school_days(
        marks, KENT, start=date(2024, 8, 1), end=date(2025, 9, 30), reaching=date(2025, 8, 1)
    )
    assert longest.sessions == 20


def test_a_run_that_met_the_criterion_last_year_is_not_this_years_episode():
    # DOMAIN §8: 16 school days of O in July 2025 met the criterion in 2024/25.
    marks = [
        *full_days(date(2025, 7, 1), date(2025, 7, 22), "O"),
        *full_days(date(2025, 9, 4), date(2025, 9, 5), "O"),
    ]
    assert (
        attendance_return_episodes(
            marks, KENT, year_start=date(2025, 8, 1), as_of=date(2025, 9, 30)
        )
        == []
    )
    last_year = attendance_return_episodes(
        marks, KENT, year_start=date(2024, 8, 1), as_of=date(2025, 7, 31)
    )
    assert [e.run.school_days for e in last_year] == [Decimal(16)]


def test_return_episode_is_due_only_for_sessions_of_compulsory_school_age():
    # DOMAIN §3, §8: listed, but not due, for a pupil not of compulsory school age.
    marks = sessions_from(date(2025, 11, 24), 30, "I")
    too_young = compulsory_school_age_period(date(2021, 6, 1))  # from 31 Aug 2026
    (episode,) = sickness_return_episodes(
        marks, KENT, year_start=date(2025, 8, 1), as_of=date(2026, 1, 30), age_period=too_young
    )
    assert (episode.run.school_days, episode.due) == (Decimal(15), False)
    of_age = compulsory_school_age_period(date(2015, 1, 10))
    (episode,) = sickness_return_episodes(
        marks, KENT, year_start=date(2025, 8, 1), as_of=date(2026, 1, 30), age_period=of_age
    )
    assert episode.due


def test_penalty_notice_request_compares_the_target_exactly():
    # Issue 10 item 9: the pathway's "attendance below the school's policy target" condition
    # (KSAH §15 iv) used the rate rounded to 2 dp, so 89.995% passed as not below 90%.
    from types import SimpleNamespace

    from referrals.pathways.penalty_notice.conditions import below_target

    school = SimpleNamespace(attendance_target=Decimal(90))
    facts = SimpleNamespace(
        present=17999, possible=20000, attendance_rate=Decimal("90.00"), school=school
    )
    assert below_target(facts, None)
