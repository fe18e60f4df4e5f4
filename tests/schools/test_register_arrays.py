"""Vectorised kernels agree exactly with the pure rules (DOMAIN §2, §5, §8; DESIGN "Evaluate")."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schools import register_arrays as ra
from schools import rules, runs
from schools import run_arrays as rra
from schools import threshold_arrays as ta
from schools.calendar import SchoolCalendar, academic_year_bounds
from schools.code_tables import IS_ILLNESS, IS_THRESHOLD
from schools.codes import CODES_2024, CODES_PRE_2024, ORDINAL_BY_CODE, UnknownCode
from schools.rules import AM, PM, SessionMark

YEAR_2024 = date(2024, 8, 1)


# --- layout -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "session", "year_start", "slot"),
    [
        (date(2024, 8, 1), AM, YEAR_2024, 0),
        (date(2024, 8, 1), PM, YEAR_2024, 1),
        (date(2025, 7, 31), PM, YEAR_2024, 729),  # 365-day year: slots 730-731 are padding
        (date(2024, 7, 31), PM, date(2023, 8, 1), 731),  # 366-day year (29 Feb 2024)
    ],
    ids=["first-am", "first-pm", "last-common-year", "last-leap-year"],
)
def test_slot_of(day, session, year_start, slot):
    # DESIGN "Store": slot = (date - 1 Aug).days * 2 + session
    assert ra.slot_of(day, session, year_start) == slot
    assert ra.slot_session(slot, year_start) == (day, session)


def test_encode_decode_round_trip():
    marks = [
        SessionMark(date(2024, 9, 2), AM, "/"),
        SessionMark(date(2024, 9, 2), PM, "C2"),
        SessionMark(date(2025, 7, 31), PM, "Y4"),
    ]
    arr = ra.encode_marks(marks, YEAR_2024)
    assert arr.dtype == np.uint8 and arr.shape == (ra.SLOTS_PER_YEAR,)
    assert arr[ra.slot_of(date(2024, 9, 2), PM, YEAR_2024)] == ORDINAL_BY_CODE["C2"]
    assert ra.decode(arr, YEAR_2024) == marks


@pytest.mark.parametrize(
    ("mark", "error"),
    [
        (SessionMark(date(2024, 8, 12), AM, "C2"), UnknownCode),  # before the 2024 set
        (SessionMark(date(2024, 9, 2), AM, "H"), UnknownCode),  # H withdrawn
        (SessionMark(date(2025, 8, 1), AM, "/"), ValueError),  # next school year
        (SessionMark(date(2024, 9, 2), "EVE", "/"), ValueError),
    ],
    ids=["C2-too-early", "H-too-late", "outside-year", "bad-session"],
)
def test_encode_refuses_bad_marks(mark, error):
    with pytest.raises(error):
        ra.encode_marks([mark], YEAR_2024)


def test_encode_refuses_duplicates():
    with pytest.raises(rules.DuplicateMark):
        ra.encode_marks([SessionMark(date(2024, 9, 2), AM, "/")] * 2, YEAR_2024)


# --- random calendars and registers ----------------------------------------------------------
CODES_OLD = sorted(CODES_PRE_2024)
CODES_NEW = sorted(CODES_2024)


def random_calendar(rng: np.random.Generator, first_year: int) -> SchoolCalendar:
    """Whole holiday weeks, part weeks, odd weekend days; runs into a third school year."""
    start = academic_year_bounds(first_year)[0]
    holiday_share, day_share = rng.uniform(0, 0.9), rng.uniform(0.4, 1.0)
    days = set()
    for week in range(3 * 53):
        if rng.random() < holiday_share:
            continue
        for weekday in range(7):
            share = day_share if weekday < 5 else 0.03
            if rng.random() < share:
                days.add(
                    start - timedelta(days=start.weekday()) + timedelta(weeks=week, days=weekday)
                )
    return SchoolCalendar(frozenset(days))


def random_marks(rng: np.random.Generator, first_year: int) -> list[SessionMark]:
    """Two school years of marks in segments of one code (long runs), gaps included.

    How often a segment is G/N/O/U or I varies by pupil, so that some pupils meet the
    thresholds early, some late and some never.
    """
    start, _ = academic_year_bounds(first_year)
    end = academic_year_bounds(first_year + 1)[1]
    total = ((end - start).days + 1) * 2
    kinds = ["none", "threshold", "illness", "closure", "present", "any"]
    weights = rng.dirichlet([1, 0.6, 0.4, 0.2, 3, 1])
    marks: list[SessionMark] = []
    slot = 0
    while slot < total:
        length = int(rng.geometric(1 / rng.choice([2, 8, 25])))
        kind = kinds[int(rng.choice(len(kinds), p=weights))]
        for k in range(slot, min(slot + length, total)):
            day = start + timedelta(days=k // 2)
            codes = CODES_NEW if day >= date(2024, 8, 19) else CODES_OLD
            choices = {
                "none": [],
                "threshold": ["G", "N", "O", "U"],
                "illness": ["I"],
                "closure": ["#", "Y4"] if "Y4" in codes else ["#"],
                "present": ["/", "\\", "L"],
                "any": codes,
            }[kind]
            if choices:
                code = choices[int(rng.integers(len(choices)))]
                marks.append(SessionMark(day, (AM, PM)[k % 2], code))
        slot += length
    return marks


def split_years(marks: list[SessionMark], first_year: int) -> tuple[np.ndarray, np.ndarray]:
    starts = [academic_year_bounds(first_year + y)[0] for y in (0, 1)]
    years = [[m for m in marks if m.date < starts[1]], [m for m in marks if m.date >= starts[1]]]
    return ra.encode_marks(years[0], starts[0]), ra.encode_marks(years[1], starts[1])


def random_day(rng: np.random.Generator, start: date, end: date) -> date:
    return start + timedelta(days=int(rng.integers((end - start).days + 1)))


scenario = st.fixed_dictionaries(
    {"seed": st.integers(0, 2**32 - 1), "first_year": st.sampled_from([2022, 2023, 2024])}
)
agreement = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PUPILS = 5


def build(seed: int, first_year: int):
    rng = np.random.default_rng(seed)
    calendar = random_calendar(rng, first_year)
    registers = [random_marks(rng, first_year) for _ in range(PUPILS)]
    prev, cur = zip(*(split_years(m, first_year) for m in registers), strict=True)
    return rng, calendar, registers, np.stack(prev), np.stack(cur)


@agreement
@given(scenario)
def test_category_counts_agree_with_session_statistics(case):
    # DOMAIN §2 statistics, PA and SA
    rng, _, registers, _, cur = build(**case)
    year_start = academic_year_bounds(case["first_year"] + 1)[0]
    as_of_slot = int(rng.integers(ra.SLOTS_PER_YEAR))
    counts = ra.category_counts(cur, as_of_slot=as_of_slot)
    for p, marks in enumerate(registers):
        upto = [
            m for m in marks
            if m.date >= year_start and ra.slot_of(m.date, m.session, year_start) <= as_of_slot
        ]  # fmt: skip
        stats = rules.session_statistics(upto)
        assert counts.possible[p] == stats.possible
        assert counts.present[p] == stats.present
        assert counts.approved_activity[p] == stats.approved_activity
        assert counts.authorised[p] == stats.authorised
        assert counts.unauthorised[p] == stats.unauthorised
        assert counts.not_possible[p] == stats.not_possible
        assert counts.persistent_absence[p] == rules.is_persistent_absence(stats)
        assert counts.severe_absence[p] == rules.is_severe_absence(stats)


@agreement
@given(scenario)
def test_threshold_kernel_agrees_with_penalty_threshold(case):
    # DOMAIN §5 "Precise counting"
    rng, calendar, registers, prev, cur = build(**case)
    year_start, year_end = academic_year_bounds(case["first_year"] + 1)
    as_of = random_day(rng, year_start, year_end)
    from_date = random_day(rng, year_start, as_of)
    slots = ra.slot_calendar(calendar, case["first_year"], years=2)
    as_of_slot = ra.slot_of(as_of, PM, year_start)
    from_slot = ra.slot_of(from_date, AM, year_start)
    result = ta.threshold_first_met(prev, cur, slots, as_of_slot=as_of_slot, from_slot=from_slot)
    for p, marks in enumerate(registers):
        expected = rules.penalty_threshold(marks, calendar, as_of=as_of, from_date=from_date)
        met_slot = (
            ra.slot_of(expected.met_on, expected.met_session, year_start) if expected.met else -1
        )
        assert result.first_met_slot[p] == met_slot
        assert result.window_start_ordinal[p] == expected.window_start.toordinal()
        assert result.count[p] == expected.count


@agreement
@given(scenario)
def test_run_kernels_agree_with_longest_runs(case):
    # DOMAIN §8 "Precise counting": 20 consecutive G/N/O/U sessions; 30 consecutive I sessions
    rng, calendar, registers, prev, cur = build(**case)
    both = np.concatenate([prev, cur], axis=1)
    slots = ra.slot_calendar(calendar, case["first_year"], years=2)
    first, last = (
        academic_year_bounds(case["first_year"])[0],
        academic_year_bounds(case["first_year"] + 1)[1],
    )
    start = random_day(rng, first, last)
    end = random_day(rng, start, last)
    window = {"start_slot": slots.index(start, AM), "end_slot": slots.index(end, PM)}
    pairs = [
        (
            rra.longest_unauthorised_run(both, slots, **window),
            runs.longest_unauthorised_run_school_days,
        ),
        (rra.longest_illness_run(both, slots, **window), runs.longest_illness_run_sessions),
    ]
    for got, rule in pairs:
        for p, marks in enumerate(registers):
            run = rule(marks, calendar, start=start, end=end)
            assert got.sessions[p] == run.sessions
            if run.sessions:
                assert got.first_slot[p] == slots.index(run.first_day, run.first_session)
                assert got.last_slot[p] == slots.index(run.last_day, run.last_session)
            else:
                assert got.first_slot[p] == got.last_slot[p] == -1


@agreement
@given(scenario)
def test_illness_and_overdue_n_agree(case):
    # DOMAIN §8 cumulative illness; DOMAIN §2 and KSAH §13 overdue N
    rng, calendar, registers, prev, cur = build(**case)
    year_start, year_end = academic_year_bounds(case["first_year"] + 1)
    as_of = random_day(rng, year_start, year_end + timedelta(days=60))
    as_of_slot = min(ra.SLOTS_PER_YEAR - 1, ra.slot_of(min(as_of, year_end), PM, year_start))
    illness = rra.illness_sessions(cur, as_of_slot=as_of_slot)
    slots = ra.slot_calendar(calendar, case["first_year"], years=2)
    overdue = ra.overdue_n(np.concatenate([prev, cur], axis=1), slots, as_of=as_of)
    counts = ra.overdue_n_counts(np.concatenate([prev, cur], axis=1), slots, as_of=as_of)
    for p, marks in enumerate(registers):
        assert illness[p] == runs.illness_sessions(marks, year_start=year_start, as_of=as_of)
        expected = rules.overdue_n_codes(marks, calendar, as_of=as_of)
        got = [(slots.date_at(int(s)), (AM, PM)[int(s) % 2]) for s in np.flatnonzero(overdue[p])]
        assert got == [(o.date, o.session) for o in expected]
        assert counts[p] == len(expected)


def test_blocks_give_the_same_answer(monkeypatch):
    # Pupils are processed in blocks to bound memory; the block size must not matter.
    _, calendar, _, prev, cur = build(seed=7, first_year=2024)
    slots = ra.slot_calendar(calendar, 2024, years=2)
    whole = ta.threshold_first_met(prev, cur, slots, as_of_slot=700)
    runs = rra.longest_unauthorised_run(np.concatenate([prev, cur], axis=1), slots)
    monkeypatch.setattr(ra, "PUPIL_BLOCK", 2)
    blocked = ta.threshold_first_met(prev, cur, slots, as_of_slot=700)
    blocked_runs = rra.longest_unauthorised_run(np.concatenate([prev, cur], axis=1), slots)
    for name in ("first_met_slot", "window_start_ordinal", "count"):
        assert np.array_equal(getattr(whole, name), getattr(blocked, name))
    for name in ("sessions", "first_slot", "last_slot"):
        assert np.array_equal(getattr(runs, name), getattr(blocked_runs, name))


def test_threshold_kernel_on_a_whole_school_shape():
    # DESIGN "Scale": no loop per pupil; a few thousand pupils in one call.
    rng = np.random.default_rng(1)
    calendar = random_calendar(rng, 2024)
    slots = ra.slot_calendar(calendar, 2024, years=2)
    threshold = np.array([ORDINAL_BY_CODE[c] for c in "GNOU/"], dtype=np.uint8)
    cur = rng.choice(threshold, size=(3000, ra.SLOTS_PER_YEAR), p=[0.02, 0.02, 0.02, 0.02, 0.92])
    result = ta.threshold_first_met(None, cur.astype(np.uint8), slots, as_of_slot=700)
    assert result.first_met_slot.shape == (3000,)
    assert result.met.any() and not result.met.all()


# --- episodes and compulsory school age (issue 10 items 5, 6, 9) ------------------------------
def random_ages(rng: np.random.Generator, first_year: int) -> list[tuple[date, date]]:
    """Compulsory school age periods that start or end anywhere in the two years, or cover them."""
    start = academic_year_bounds(first_year)[0]
    end = academic_year_bounds(first_year + 1)[1]
    ages = []
    for _ in range(PUPILS):
        a, b = sorted(random_day(rng, start - timedelta(days=60), end) for _ in range(2))
        ages.append((a, b) if rng.random() < 0.7 else (start - timedelta(days=400), end))
    return ages


def age_arrays(ages: list[tuple[date, date]]) -> ra.AgeOrdinals:
    return (
        np.array([a.toordinal() for a, _ in ages], dtype=np.int32),
        np.array([b.toordinal() for _, b in ages], dtype=np.int32),
    )


@agreement
@given(scenario)
def test_threshold_episode_kernel_agrees_with_the_rule(case):
    # DOMAIN §5 "Episodes"; DOMAIN §3: only sessions while of compulsory school age count
    rng, calendar, registers, prev, cur = build(**case)
    ages = random_ages(rng, case["first_year"])
    year_start, year_end = academic_year_bounds(case["first_year"] + 1)
    as_of = random_day(rng, year_start, year_end)
    from_date = random_day(rng, year_start, as_of)
    slots = ra.slot_calendar(calendar, case["first_year"], years=2)
    episodes, trailing = ta.threshold_episodes(
        prev, cur, slots,
        as_of_slot=ra.slot_of(as_of, PM, year_start),
        from_slot=ra.slot_of(from_date, AM, year_start),
        age=age_arrays(ages),
    )  # fmt: skip
    for p, marks in enumerate(registers):
        expected = rules.penalty_threshold_episodes(
            marks, calendar, as_of=as_of, from_date=from_date, age_period=ages[p]
        )
        mine = episodes.pupil == p
        got = [
            (int(s), int(w), int(c))
            for s, w, c in zip(
                episodes.slot[mine], episodes.window_start_ordinal[mine], episodes.count[mine],
                strict=True,
            )
        ]  # fmt: skip
        assert got == [
            (ra.slot_of(e.met_on, e.met_session, year_start), e.window_start.toordinal(), e.count)
            for e in expected
        ]
        window = rules.threshold_window(marks, calendar, as_of=as_of, age_period=ages[p])
        assert trailing[p] == window.count


@agreement
@given(scenario)
def test_run_episode_kernels_agree_with_the_rules(case):
    # DOMAIN §8 "Precise counting": every maximal run, across the summer, in the year it
    # reaches its criterion; due counting only sessions of compulsory school age (DOMAIN §3)
    rng, calendar, registers, prev, cur = build(**case)
    ages = random_ages(rng, case["first_year"])
    both = np.concatenate([prev, cur], axis=1)
    slots = ra.slot_calendar(calendar, case["first_year"], years=2)
    year_start, year_end = academic_year_bounds(case["first_year"] + 1)
    as_of = random_day(rng, year_start, year_end)
    span = {
        "start_slot": 0,
        "end_slot": slots.index(as_of, PM),
        "reaching_slot": ra.SLOTS_PER_YEAR,
        "age": age_arrays(ages),
    }
    kernels = [
        (rra.run_episodes(both, slots, IS_THRESHOLD, needed=20, **span), 20,
         runs.attendance_return_episodes),
        (rra.run_episodes(both, slots, IS_ILLNESS, needed=30, **span), 30,
         runs.sickness_return_episodes),
    ]  # fmt: skip
    for got, needed, rule in kernels:
        for p, marks in enumerate(registers):
            expected = rule(marks, calendar, year_start=year_start, as_of=as_of, age_period=ages[p])
            mine = got.pupil == p
            assert [
                (int(f), int(last), int(r), int(n), bool(d))
                for f, last, r, n, d in zip(
                    got.first_slot[mine], got.last_slot[mine], got.reached_slot[mine],
                    got.sessions[mine], got.due(needed)[mine], strict=True,
                )
            ] == [
                (
                    slots.index(e.first_day, e.run.first_session),
                    slots.index(e.last_day, e.run.last_session),
                    slots.index(e.reached_on, e.reached_session),
                    e.run.sessions,
                    e.due,
                )
                for e in expected
            ]  # fmt: skip
    longest = rra.longest_unauthorised_run(
        both, slots, start_slot=0, end_slot=span["end_slot"], reaching_slot=ra.SLOTS_PER_YEAR
    )
    illness = rra.illness_sessions(
        both, from_slot=ra.SLOTS_PER_YEAR, as_of_slot=span["end_slot"], slots=slots,
        age=span["age"],
    )  # fmt: skip
    for p, marks in enumerate(registers):
        run = runs.longest_unauthorised_run_school_days(
            marks, calendar, start=runs.scan_start(year_start), end=as_of, reaching=year_start
        )
        assert longest.sessions[p] == run.sessions
        if run.sessions:
            assert longest.first_slot[p] == slots.index(run.first_day, run.first_session)
        assert illness[p] == runs.illness_sessions(
            marks, year_start=year_start, as_of=as_of, age_period=ages[p]
        )


def test_a_closure_after_a_run_does_not_carry_it_into_the_year():
    # DOMAIN §8, §13: # sessions are skipped, but a run whose last G/N/O/U session was in
    # July does not reach into September because the school was closed on its first day.
    july = [date(2025, 7, d) for d in (14, 15, 16, 17, 18)]
    september = [date(2025, 9, d) for d in (1, 2, 3)]
    calendar = SchoolCalendar(frozenset(july + september))
    marks = [SessionMark(d, s, "G") for d in july for s in (AM, PM)]
    marks += [SessionMark(date(2025, 9, 1), s, "#") for s in (AM, PM)]
    marks += [SessionMark(date(2025, 9, 2), s, "/") for s in (AM, PM)]
    year_start = date(2025, 8, 1)
    run = runs.longest_unauthorised_run_school_days(
        marks, calendar, start=date(2024, 8, 1), end=date(2025, 9, 3), reaching=year_start
    )
    assert run.sessions == 0
    prev, cur = split_years(marks, 2024)
    slots = ra.slot_calendar(calendar, 2024, years=2)
    both = np.concatenate([prev[None, :], cur[None, :]], axis=1)
    got = rra.longest_unauthorised_run(
        both, slots, end_slot=slots.index(date(2025, 9, 3), PM), reaching_slot=ra.SLOTS_PER_YEAR
    )
    assert got.sessions[0] == 0
