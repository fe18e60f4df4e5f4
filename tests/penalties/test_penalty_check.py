"""`manage.py penalty_check` and GET /api/v1/pupils/{upn}/penalty-check/: the same JSON object
(issue 11 item 4), exit codes, and the API's scope (DESIGN: security)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kpas.base.roles import Role
from penalties.models import PenaltyNotice
from schools.models import Parent, PupilParent, SchoolMembership
from tests.factories import UserFactory
from tests.factories.register import fill, pupil_at, school_with_terms, set_marks

pytestmark = pytest.mark.django_db

EXPECTED_FIRST = {
    "eligible": True,
    "reasons": [],
    "notice_number": 1,
    "amounts": {"reduced": 80, "full": 160},
    # posted Monday 15 Dec 2025: received Wednesday 17 Dec; 21 and 28 days from it
    "deadlines": {"receipt": "2025-12-17", "reduced": "2026-01-06", "full": "2026-01-13"},
}


@pytest.fixture
def world() -> dict[str, Any]:
    officer = UserFactory(role=Role.ATTENDANCE_OFFICER)
    school = school_with_terms(attendance_officer=officer)
    pupil = pupil_at(school)
    fill(school, pupil, date(2025, 9, 3), date(2025, 12, 12))
    # leave not authorised, Mon 8 - Fri 12 Dec 2025: ten G sessions
    set_marks(school, pupil, [(day, s, "G") for day in _week(8) for s in (0, 1)])
    mother = Parent.objects.create(forename="Ann", surname="Smith", parent_ref="P-1")
    father = Parent.objects.create(forename="Bob", surname="Smith", parent_ref="P-2")
    for parent in (mother, father):
        PupilParent.objects.create(pupil=pupil, parent=parent)
    return {
        "school": school,
        "pupil": pupil,
        "mother": mother,
        "father": father,
        "officer": officer,
    }


def _week(monday: int) -> list[date]:
    return [date(2025, 12, monday + i) for i in range(5)]


def run(*args: str, capsys: Any) -> dict[str, Any]:
    call_command("penalty_check", *args)
    return json.loads(capsys.readouterr().out)


def args(pupil: Any, parent: str = "P-1", case: str = "leave", on: str = "2025-12-15") -> list[str]:
    return ["--upn", pupil.upn, "--parent", parent, "--case", case, "--on", on]


# --- the command ----------------------------------------------------------------------------
def test_first_notice(world, capsys) -> None:  # type: ignore[no-untyped-def]
    result = run(*args(world["pupil"]), capsys=capsys)
    assert {k: result[k] for k in EXPECTED_FIRST} == EXPECTED_FIRST
    window = result["threshold"]
    assert (window["from"], window["to"]) == ("2025-09-29", "2025-12-12")
    assert [s["code"] for s in window["sessions"]] == ["G"] * 10
    assert window["sessions"][1] == {"date": "2025-12-08", "session": "PM", "code": "G"}


def test_each_parent_has_their_own_escalation(world, capsys) -> None:  # type: ignore[no-untyped-def]
    for number, issued in enumerate((date(2024, 10, 1), date(2025, 3, 1)), start=1):
        PenaltyNotice.objects.create(
            reference=f"PN-{number}",
            pupil=world["pupil"],
            parent=world["mother"],
            case="leave",
            issued_on=issued,
            status="paid",
            local_authority="886",
            source="imported",
        )
    mother = run(*args(world["pupil"]), capsys=capsys)
    assert (mother["eligible"], mother["reasons"], mother["amounts"]) == (
        False,
        ["escalation-limit"],
        {},
    )
    father = run(*args(world["pupil"], parent="P-2"), capsys=capsys)
    assert father["notice_number"] == 1
    PenaltyNotice.objects.filter(reference="PN-2").update(
        status="withdrawn", withdrawn_ground="material_error"
    )
    second = run(*args(world["pupil"]), capsys=capsys)
    assert (second["notice_number"], second["amounts"]) == (2, {"full": 160})


def test_ineligible_still_prints_and_exits_zero(world, capsys) -> None:  # type: ignore[no-untyped-def]
    result = run(*args(world["pupil"], case="unauthorised", on="2025-12-12"), capsys=capsys)
    assert result["reasons"] == ["notice-to-improve"]
    assert result["deadlines"] == {} and result["notice_number"] is None


def test_a_notice_to_improve_from_the_history(world, capsys) -> None:  # type: ignore[no-untyped-def]
    PenaltyNotice.objects.create(
        reference="NTI-1",
        pupil=world["pupil"],
        parent=world["mother"],
        case="notice_to_improve",
        issued_on=date(2025, 11, 14),  # deemed received; the 20 school days end on 12 Dec
        local_authority="886",
        source="imported",
    )
    result = run(*args(world["pupil"], case="unauthorised"), capsys=capsys)
    assert (result["eligible"], result["notice_number"]) == (True, 1)
    assert run(*args(world["pupil"], case="unauthorised", parent="P-2"), capsys=capsys)[
        "reasons"
    ] == ["notice-to-improve"]


def test_exclusion_and_hand_delivery(world, capsys) -> None:  # type: ignore[no-untyped-def]
    set_marks(
        world["school"],
        world["pupil"],
        [(date(2025, 12, 1 + i), s, "E") for i in range(3) for s in (0, 1)],
    )
    result = run(
        *args(world["pupil"], case="exclusion"),
        "--seen-on",
        "2025-12-03",
        "--delivery",
        "hand",
        capsys=capsys,
    )
    assert result == {
        "eligible": True,
        "reasons": [],
        "notice_number": None,
        "amounts": {"reduced": 60, "full": 120},
        "deadlines": {"receipt": "2025-12-15", "reduced": "2026-01-04", "full": "2026-01-11"},
        "threshold": None,
    }


def test_unknown_pupil_or_parent_is_an_error(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="No pupil with UPN"):
        call_command(
            "penalty_check",
            "--upn",
            "A999999999999",
            "--parent",
            "P-1",
            "--case",
            "leave",
            "--on",
            "2025-12-15",
        )
    with pytest.raises(CommandError, match="No parent with reference 'P-9'"):
        call_command("penalty_check", *args(world["pupil"], parent="P-9"))
    stranger = Parent.objects.create(forename="C", surname="D", parent_ref="P-3")
    assert stranger.pk  # a known parent, but not this pupil's
    with pytest.raises(CommandError, match="is a parent of pupil"):
        call_command("penalty_check", *args(world["pupil"], parent="P-3"))


def test_exit_codes(world, capsys) -> None:  # type: ignore[no-untyped-def]
    # manage.py exits with CommandError.returncode (Django's run_from_argv); printed = exit 0.
    call_command("penalty_check", *args(world["pupil"], case="unauthorised"))
    assert json.loads(capsys.readouterr().out)["eligible"] is False
    for bad in (args(world["pupil"], parent="P-9"), args(world["pupil"], on="2025-12-15x")):
        with pytest.raises(CommandError) as refused:
            call_command("penalty_check", *bad)
        assert refused.value.returncode == 1
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("penalty_check", *args(world["pupil"], case="holiday"))


# --- the API --------------------------------------------------------------------------------
def url(pupil: Any, query: str = "parent=P-1&case=leave&on=2025-12-15") -> str:
    return f"/api/v1/pupils/{pupil.upn}/penalty-check/?{query}"


def test_api_returns_the_same_object_as_the_command(world, client, capsys) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.COURTS_TEAM))
    response = client.get(url(world["pupil"]))
    assert response.status_code == 200
    assert response.json() == run(*args(world["pupil"]), capsys=capsys)
    hand = client.get(
        url(
            world["pupil"],
            "parent=P-1&case=exclusion&on=2025-12-15&delivery=hand&seen_on=2025-12-01",
        )
    )
    assert hand.json()["reasons"] == ["exclusion"]


@pytest.mark.parametrize(
    ("role", "linked", "status"),
    [
        (Role.COURTS_TEAM, False, 200),
        (Role.SERVICE_ADMIN, False, 200),
        (Role.ATTENDANCE_OFFICER, True, 200),
        (Role.ATTENDANCE_OFFICER, False, 404),
        (Role.HEADTEACHER, True, 200),
        (Role.HEADTEACHER, False, 404),
        (Role.CME_TEAM, False, 404),
        (Role.EHE_TEAM, False, 404),
    ],
    ids=lambda v: str(v),
)
def test_api_scope(world, client, role, linked, status) -> None:  # type: ignore[no-untyped-def]
    user = (
        world["officer"] if role == Role.ATTENDANCE_OFFICER and linked else UserFactory(role=role)
    )
    if linked and role == Role.HEADTEACHER:
        SchoolMembership.objects.create(user=user, school=world["school"])
    client.force_login(user)
    assert client.get(url(world["pupil"])).status_code == status


def test_api_errors(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.COURTS_TEAM))
    assert client.get(url(world["pupil"], "parent=P-9&case=leave&on=2025-12-15")).status_code == 404
    assert (
        client.get(
            "/api/v1/pupils/A999999999999/penalty-check/?parent=P-1&case=leave&on=2025-12-15"
        ).status_code
        == 404
    )
    bad = client.get(url(world["pupil"], "parent=P-1&case=holiday&on=15-12-2025"))
    assert bad.status_code == 400
    assert "case" in bad.json()
    bad_date = client.get(url(world["pupil"], "parent=P-1&case=leave&on=15-12-2025"))
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["on"]
    missing = client.get(url(world["pupil"], "parent=P-1&case=leave"))
    assert missing.status_code == 400 and "on" in missing.json()
    client.logout()
    assert client.get(url(world["pupil"])).status_code in (401, 403)


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("PENALTY_ESCALATION_WINDOW", "fortnightly", "penalties.E001"),
        ("AUTHORITY_LA_CODE", "Kent", "penalties.E002"),
    ],
)
def test_settings_are_checked(settings, name: str, value: str, error: str) -> None:  # type: ignore[no-untyped-def]
    from penalties.checks import penalty_settings_check

    assert penalty_settings_check(None) == []
    setattr(settings, name, value)
    assert [e.id for e in penalty_settings_check(None)] == [error]
