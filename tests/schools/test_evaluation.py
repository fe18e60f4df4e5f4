"""The nightly evaluation, the projections and the attendance report agree with the rules.

DOMAIN §5 (threshold), §2/§4 (PA/SA), §8 (returns), §2 (overdue N); ADR 0004 (projections).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from schools.attendance_report import attendance_report
from schools.evaluation import evaluate_school
from schools.models import Alert, PupilYearRegister
from schools.projections import projections_rebuild, projections_refresh
from tests.factories.register import fill, pupil_at, school_with_terms, set_marks

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 11, 28)


@pytest.fixture
def school():  # type: ignore[no-untyped-def]
    return school_with_terms()


def build(school) -> None:  # type: ignore[no-untyped-def]
    for year in (2024, 2025):
        projections_rebuild(school_id=school.pk, academic_year=year)


def open_alerts(pupil) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return set(
        Alert.objects.filter(pupil=pupil, cleared_on__isnull=True).values_list("kind", "key")
    )


def test_threshold_across_half_term_raises_one_alert_idempotently(school):  # type: ignore[no-untyped-def]
    # DOMAIN §5: 10 G/N/O/U sessions in 10 school weeks; the half-term week is not one.
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 3), AS_OF)
    set_marks(school, pupil, [(date(2025, 10, d), s, "G") for d in (20, 21, 22) for s in (0, 1)])
    set_marks(school, pupil, [(date(2025, 11, 3), s, "O") for s in (0, 1)])
    set_marks(school, pupil, [(date(2025, 11, 4), 0, "U"), (date(2025, 11, 4), 1, "N")])
    build(school)
    first = evaluate_school(school_id=school.pk, as_of=AS_OF)
    alert = Alert.objects.get(pupil=pupil, kind=Alert.Kind.PENALTY_THRESHOLD)
    assert alert.details["met_on"] == "2025-11-04"
    assert alert.details["met_session"] == "PM"
    second = evaluate_school(school_id=school.pk, as_of=AS_OF)
    assert first.raised >= 1 and (second.raised, second.cleared) == (0, 0)
    report = attendance_report(pupil, AS_OF)
    assert report["penalty_threshold"]["met"] is True
    assert report["penalty_threshold"]["met_on"] == "2025-11-04"
    assert report["penalty_threshold"]["met_session"] == "PM"


def test_persistent_absence_is_cleared_when_it_ends(school):  # type: ignore[no-untyped-def]
    # DOMAIN §4: PA at >= 10% of possible sessions; the alert closes when it no longer holds.
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 3), date(2025, 12, 19))
    set_marks(school, pupil, [(date(2025, 9, d), s, "I") for d in (3, 4, 5, 8) for s in (0, 1)])
    build(school)
    evaluate_school(school_id=school.pk, as_of=date(2025, 9, 19))
    assert (Alert.Kind.PERSISTENT_ABSENCE, "") in open_alerts(pupil)
    evaluate_school(school_id=school.pk, as_of=date(2025, 12, 19))
    assert (Alert.Kind.PERSISTENT_ABSENCE, "") not in open_alerts(pupil)
    assert Alert.objects.get(pupil=pupil, kind="persistent_absence").cleared_on == date(
        2025, 12, 19
    )


def test_attendance_and_sickness_returns_need_compulsory_school_age(school):  # type: ignore[no-untyped-def]
    # DOMAIN §8: returns are for compulsory-school-age pupils only (EA96 s.8).
    of_age = pupil_at(school, born=date(2015, 1, 10))
    too_young = pupil_at(school, born=date(2021, 6, 1))  # 5 on 1 Jun 2026: not yet CSA
    for pupil in (of_age, too_young):
        fill(school, pupil, date(2025, 9, 3), AS_OF)
        days = [date(2025, 9, d) for d in (8, 9, 10, 11, 12, 15, 16, 17, 18, 19)]
        set_marks(school, pupil, [(d, s, "O") for d in days for s in (0, 1)])
    build(school)
    evaluate_school(school_id=school.pk, as_of=AS_OF)
    assert {k for k, _ in open_alerts(of_age)} >= {"attendance_return"}
    assert "attendance_return" not in {k for k, _ in open_alerts(too_young)}
    report = attendance_report(of_age, AS_OF)
    assert report["attendance_return"] == {
        "continuous_unauthorised_school_days": 10,
        "due": True,
        "episodes": [{"from": "2025-09-08", "to": "2025-09-19", "school_days": 10, "due": True}],
    }
    assert attendance_report(too_young, AS_OF)["attendance_return"]["due"] is False


def test_overdue_n_after_the_fifth_school_day(school):  # type: ignore[no-untyped-def]
    # DOMAIN §2: N must be replaced within 5 school days; the half term does not count.
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 3), AS_OF)
    set_marks(school, pupil, [(date(2025, 10, 22), 0, "N")])  # due: 5th school day after = 5 Nov
    build(school)
    evaluate_school(school_id=school.pk, as_of=date(2025, 11, 5))
    assert not any(k == "overdue_n_code" for k, _ in open_alerts(pupil))
    evaluate_school(school_id=school.pk, as_of=date(2025, 11, 6))
    assert ("overdue_n_code", "2025-10-22:AM") in open_alerts(pupil)
    report = attendance_report(pupil, date(2025, 11, 6))
    assert report["overdue_n_codes"] == [
        {"date": "2025-10-22", "session": "AM", "due": "2025-11-05"}
    ]


def test_refresh_after_a_correction_equals_a_rebuild(school):  # type: ignore[no-untyped-def]
    pupil, other = pupil_at(school), pupil_at(school)
    for p in (pupil, other):
        fill(school, p, date(2025, 9, 3), AS_OF)
    build(school)
    set_marks(school, pupil, [(date(2025, 10, 1), 0, "M"), (date(2025, 10, 1), 1, "I")])
    projections_refresh(school_id=school.pk, dates=[date(2025, 10, 1)])
    refreshed = {
        r.pupil_id: (bytes(r.codes), r.possible, r.authorised)
        for r in PupilYearRegister.objects.filter(academic_year=2025)
    }
    build(school)
    rebuilt = {
        r.pupil_id: (bytes(r.codes), r.possible, r.authorised)
        for r in PupilYearRegister.objects.filter(academic_year=2025)
    }
    assert refreshed == rebuilt
    assert rebuilt[pupil.pk][2] == 2


def test_report_has_exactly_the_documented_keys(demo_world):  # type: ignore[no-untyped-def]
    from schools.models import Pupil

    report = attendance_report(Pupil.objects.first(), date(2026, 11, 20))
    assert list(report) == [
        "upn",
        "urn",
        "as_of",
        "academic_year",
        "compulsory_school_age",
        "sessions",
        "attendance_rate",
        "persistent_absence",
        "severe_absence",
        "penalty_threshold",
        "overdue_n_codes",
        "attendance_return",
        "sickness_return",
    ]
    assert list(report["sessions"]) == [
        "possible",
        "present",
        "approved_activity",
        "authorised",
        "unauthorised",
        "not_possible",
    ]
    # Issue 10 "Contract additions": every existing key kept, episodes added.
    assert list(report["penalty_threshold"]) == [
        "met",
        "met_on",
        "met_session",
        "window_start",
        "episodes",
    ]
    assert list(report["attendance_return"]) == [
        "continuous_unauthorised_school_days",
        "due",
        "episodes",
    ]
    assert list(report["sickness_return"]) == ["illness_school_days", "due", "episodes"]


def test_evaluation_agrees_with_the_report_for_every_demo_pupil(demo_world):  # type: ignore[no-untyped-def]
    """The vectorised nightly path and the pure-rule report give the same answers."""
    from schools.models import Pupil

    as_of = date(2026, 11, 20)
    for pupil in Pupil.objects.all():
        report = attendance_report(pupil, as_of)
        kinds = {k for k, _ in open_alerts(pupil)}
        assert report["persistent_absence"] == ("persistent_absence" in kinds), pupil.upn
        assert report["severe_absence"] == ("severe_absence" in kinds), pupil.upn
        assert report["penalty_threshold"]["met"] == ("penalty_threshold" in kinds), pupil.upn
        assert report["attendance_return"]["due"] == ("attendance_return" in kinds), pupil.upn
        assert report["sickness_return"]["due"] == ("sickness_return" in kinds), pupil.upn
        assert bool(report["overdue_n_codes"]) == ("overdue_n_code" in kinds), pupil.upn


def test_attendance_report_command_prints_json(demo_world, capsys):  # type: ignore[no-untyped-def]
    import json

    from schools.models import Pupil

    upn = Pupil.objects.first().upn
    call_command("attendance_report", "--upn", upn, "--as-of", "2026-11-20")
    assert json.loads(capsys.readouterr().out)["upn"] == upn


@pytest.mark.parametrize(
    ("upn", "valid"),
    [
        pytest.param("Q886200100020", True, id="check-letter-matches"),
        pytest.param("A886200100020", False, id="wrong-check-letter"),
        pytest.param("Q88620010002", False, id="too-short"),
    ],
)
def test_pupil_upn_is_validated_with_its_check_letter(upn, valid):  # type: ignore[no-untyped-def]
    # DOMAIN §1: a UPN is 13 characters with a check letter.
    from django.core.exceptions import ValidationError

    from schools.models.people import validate_upn

    if valid:
        validate_upn(upn)
    else:
        with pytest.raises(ValidationError):
            validate_upn(upn)


# --- issue 10: the rules at their edges ----------------------------------------------------------
def _threshold_keys(pupil) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        Alert.objects.filter(pupil=pupil, kind=Alert.Kind.PENALTY_THRESHOLD).values_list(
            "key", flat=True
        )
    )


def test_second_threshold_episode_raises_a_second_alert(school):  # type: ignore[no-untyped-def]
    # Issue 10 item 5; DOMAIN §5 "Episodes": 10 U in the week of 8 Sep (met 12 Sep PM), none
    # left in the window from the week of 24 Nov, 10 more U that week (met 28 Nov PM).
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 3), AS_OF)
    days = [date(2025, 9, d) for d in (8, 9, 10, 11, 12)] + [
        date(2025, 11, d) for d in (24, 25, 26, 27, 28)
    ]
    set_marks(school, pupil, [(d, s, "U") for d in days for s in (0, 1)])
    build(school)
    evaluate_school(school_id=school.pk, as_of=AS_OF)
    assert _threshold_keys(pupil) == ["2025-09-12", "2025-11-28"]
    again = evaluate_school(school_id=school.pk, as_of=AS_OF)
    assert again.raised == 0  # idempotent: one alert per episode, keyed by its first-met day
    report = attendance_report(pupil, AS_OF)["penalty_threshold"]
    assert (report["met"], report["met_on"], report["met_session"]) == (True, "2025-09-12", "PM")
    assert report["episodes"] == [
        {
            "met_on": "2025-09-12",
            "met_session": "PM",
            "window_start": "2025-06-02",
            "sessions": {"G": 0, "N": 0, "O": 0, "U": 10},
        },
        {
            "met_on": "2025-11-28",
            "met_session": "PM",
            "window_start": "2025-09-15",
            "sessions": {"G": 0, "N": 0, "O": 0, "U": 10},
        },
    ]


def test_independent_school_gets_no_threshold_alert(school):  # type: ignore[no-untyped-def]
    # Issue 10 item 14; DOMAIN §1: independent schools cannot request penalty notices.
    from tests.factories import SchoolFactory

    independent = SchoolFactory(school_type="independent", state_funded=False)
    for where in (school, independent):
        pupil = pupil_at(where)
        fill(where, pupil, date(2025, 9, 3), AS_OF)
        set_marks(where, pupil, [(date(2025, 9, d), s, "U") for d in range(8, 13) for s in (0, 1)])
        for year in (2024, 2025):
            projections_rebuild(school_id=where.pk, academic_year=year)
        evaluate_school(school_id=where.pk, as_of=AS_OF)
        expected = [] if where is independent else ["2025-09-12"]
        assert _threshold_keys(pupil) == expected


def test_every_attendance_return_episode_is_an_alert(school):  # type: ignore[no-untyped-def]
    # Issue 10 item 6; DOMAIN §8: every maximal run of >= 20 G/N/O/U sessions, keyed by its start.
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 3), AS_OF)
    first = [date(2025, 9, d) for d in (8, 9, 10, 11, 12, 15, 16, 17, 18, 19)]
    second = [date(2025, 11, d) for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14)]
    set_marks(school, pupil, [(d, s, "O") for d in first + second for s in (0, 1)])
    build(school)
    evaluate_school(school_id=school.pk, as_of=AS_OF)
    keys = Alert.objects.filter(pupil=pupil, kind=Alert.Kind.ATTENDANCE_RETURN)
    assert sorted(keys.values_list("key", flat=True)) == ["2025-09-08", "2025-11-03"]
    report = attendance_report(pupil, AS_OF)["attendance_return"]
    assert [e["from"] for e in report["episodes"]] == ["2025-09-08", "2025-11-03"]


def test_run_from_july_into_september_is_one_episode_counted_whole(school):  # type: ignore[no-untyped-def]
    # Issue 10 item 6; DOMAIN §8: a run from mid-July into September is one run; the return
    # belongs to the year in which it reaches 20 sessions, keyed by its first session.
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 7, 1), AS_OF)
    july = [date(2025, 7, d) for d in (14, 15, 16, 17, 18, 21, 22)]
    september = [date(2025, 9, d) for d in (3, 4, 5)]
    set_marks(school, pupil, [(d, s, "G") for d in july + september for s in (0, 1)])
    build(school)
    evaluate_school(school_id=school.pk, as_of=AS_OF)
    alert = Alert.objects.get(pupil=pupil, kind=Alert.Kind.ATTENDANCE_RETURN)
    assert (alert.academic_year, alert.key, alert.details["school_days"]) == (
        2025,
        "2025-07-14",
        10,
    )
    report = attendance_report(pupil, AS_OF)["attendance_return"]
    assert report["continuous_unauthorised_school_days"] == 10
    assert report["episodes"] == [
        {"from": "2025-07-14", "to": "2025-09-05", "school_days": 10, "due": True}
    ]


def test_half_day_closure_keeps_the_day_a_school_day(school):  # type: ignore[no-untyped-def]
    # Issue 10 item 7; DOMAIN §13: a morning closed (#) and an afternoon held is a school day
    # with one session. An N on 30 Sep is due by the 5th school day after: 7 Oct (1 Oct counts).
    pupil, other = pupil_at(school), pupil_at(school)
    for p in (pupil, other):
        fill(school, p, date(2025, 9, 3), AS_OF)
        set_marks(school, p, [(date(2025, 10, 1), 0, "#")])
    set_marks(school, pupil, [(date(2025, 9, 30), 0, "N")])
    build(school)
    evaluate_school(school_id=school.pk, as_of=date(2025, 10, 8))
    assert ("overdue_n_code", "2025-09-30:AM") in open_alerts(pupil)
    report = attendance_report(pupil, date(2025, 10, 8))
    assert report["overdue_n_codes"] == [
        {"date": "2025-09-30", "session": "AM", "due": "2025-10-07"}
    ]


def test_closure_days_need_both_sessions_closed():
    # Issue 10 item 7; DOMAIN §13
    import numpy as np

    from schools.codes import ORDINAL_BY_CODE
    from schools.register_arrays import SLOTS_PER_YEAR, closure_days

    year_start = date(2025, 8, 1)
    arrays = np.zeros((2, SLOTS_PER_YEAR), dtype=np.uint8)
    half, whole = (
        (date(2025, 10, 1) - year_start).days * 2,
        (date(2025, 10, 2) - year_start).days * 2,
    )
    arrays[:, half] = ORDINAL_BY_CODE["#"]
    arrays[:, half + 1] = ORDINAL_BY_CODE["/"]
    arrays[:, whole] = ORDINAL_BY_CODE["Y4"]
    arrays[:, whole + 1] = ORDINAL_BY_CODE["#"]
    assert closure_days(arrays, year_start) == [date(2025, 10, 2)]


def test_marks_on_a_day_outside_the_term_dates_make_it_a_school_day(school):  # type: ignore[no-untyped-def]
    # Issue 10 item 8; DOMAIN §13: a school day is a day the school held a session for pupils.
    # The LA's calendar has half term 27-31 Oct; this school recorded marks that week.
    from schools.school_calendar import calendar_for_school, marked_days_outside_terms

    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 3), AS_OF)
    half_term = [date(2025, 10, d) for d in (27, 28, 29, 30, 31)]
    set_marks(school, pupil, [(d, s, "U") for d in half_term for s in (0, 1)])
    build(school)
    assert marked_days_outside_terms(school_id=school.pk, academic_years=[2025]) == half_term
    assert calendar_for_school(school.pk, [2025]).is_school_day(date(2025, 10, 29))
    evaluate_school(school_id=school.pk, as_of=AS_OF)
    # The evaluation stores the days it found for the pages (stored_calendar_for_school),
    # and a second run finds nothing new to write.
    from schools.models import SchoolMarkedDays
    from schools.school_calendar import marked_days_save, stored_calendar_for_school

    stored = SchoolMarkedDays.objects.get(school=school, academic_year=2025)
    assert stored.days == [d.isoformat() for d in half_term]
    assert marked_days_save({school.pk: half_term}, [2025]) == 0
    assert stored_calendar_for_school(school.pk, [2025]).is_school_day(date(2025, 10, 29))
    assert marked_days_outside_terms(school_id=school.pk, academic_years=[2025]) == half_term
    assert _threshold_keys(pupil) == ["2025-10-31"]
    assert attendance_report(pupil, AS_OF)["penalty_threshold"]["met_on"] == "2025-10-31"
