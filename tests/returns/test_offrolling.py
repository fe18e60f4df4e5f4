"""The nightly off-rolling signals over hand-made facts: one of each kind (a-e) with its
evidence, none where the facts are in order; a re-run creates nothing new; a dismissed
signal stays dismissed (DOMAIN §9; KSAH §22-24)."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import count

import pytest
from django.utils import timezone

from kpas.base.errors import ApplicationError
from kpas.base.models import AuditEvent
from referrals.cases.models import Case
from referrals.models import Submission
from returns.models import OffRollingSignal
from returns.offrolling_services import offrolling_signal_dismiss, offrolling_signals_refresh
from schools.models import Enrolment, ImportBatch
from schools.projections import projections_rebuild
from tests.factories.register import fill, pupil_at
from tests.referrals.conftest import TODAY, private_media, world  # noqa: F401

DELETION = "deletion-from-admission-register"
_numbers = count(900001)


def _sent(w, *, school, pupil, ground, deleted_on, **answers):  # type: ignore[no-untyped-def]
    return Submission.objects.create(
        pathway=DELETION, status="submitted", reference=f"DFD-2025-{next(_numbers)}",
        school=school, pupil=pupil, pupil_upn=pupil.upn,
        submitted_at=timezone.make_aware(datetime.combine(deleted_on, time(9))),
        answers={"upn": pupil.upn, "ground": ground, "deletion_date": deleted_on.isoformat(),
                 "pupil_dob": pupil.date_of_birth.isoformat(), **answers},
    )  # fmt: skip


def _cme_case(w, pupil, confirmed_on: date):  # type: ignore[no-untyped-def]
    return Case.objects.create(
        kind="cme", status="deletion_advised", school=w.school, pupil=pupil,
        data={"advise_deletion": {"ground": "1i", "confirmed_on": confirmed_on.isoformat()}},
    )  # fmt: skip


def _kinds() -> dict[tuple[str, str], OffRollingSignal]:
    return {(s.kind, s.key): s for s in OffRollingSignal.objects.all()}


@pytest.fixture
def facts(world):  # type: ignore[no-untyped-def]  # noqa: F811
    w = world
    born = date(2016, 2, 1)
    # (a) a return with no ground of reg 9; a return in order (1a) raises nothing.
    bad = _sent(w, school=w.school, pupil=pupil_at(w.school, born=born),
                ground="persistent absence", deleted_on=date(2025, 11, 10))  # fmt: skip
    _sent(w, school=w.school, pupil=pupil_at(w.school, born=born), ground="1a",
          deleted_on=date(2025, 11, 10))  # fmt: skip
    # (b) 1(i) before the enquiries were confirmed; another after them.
    early_pupil, late_pupil = pupil_at(w.school, born=born), pupil_at(w.school, born=born)
    early = _sent(w, school=w.school, pupil=early_pupil, ground="1i",
                  deleted_on=date(2025, 11, 20))  # fmt: skip
    _cme_case(w, early_pupil, date(2025, 11, 25))
    _sent(w, school=w.school, pupil=late_pupil, ground="1i", deleted_on=date(2025, 11, 26))
    _cme_case(w, late_pupil, date(2025, 11, 25))
    # (c) 1(f) from a special school without agreement; and (a)+(c) a special-school pupil
    # taken off roll in the register with no return at all.
    ehe = _sent(w, school=w.special, pupil=pupil_at(w.special, born=born), ground="1f",
                deleted_on=date(2025, 11, 12), la_agreement=False)  # fmt: skip
    gone = pupil_at(w.special, born=born)
    Enrolment.objects.filter(pupil=gone).update(end_date=date(2025, 11, 14), year_group="4")
    ended = Enrolment.objects.get(pupil=gone)
    # (d) on roll, marks stop on 7 Nov while the school's imports run to 28 Nov.
    quiet = pupil_at(w.school, born=born)
    fill(w.school, quiet, date(2025, 9, 3), date(2025, 11, 7))
    projections_rebuild(school_id=w.school.pk, academic_year=2025)
    # (e) a lost-pupil CTF received 19 school days after the pupil left (3 Nov).
    lost = pupil_at(w.school, born=born)
    batch = ImportBatch.objects.create(
        kind="ctf", status="applied", school=w.school, filename="lost.xml", sha256="0" * 64,
        created_at=timezone.make_aware(datetime.combine(date(2025, 11, 28), time(9))),
        counts={"lost_pupils": 1, "_lost_pupil_leavers": {
            "school_id": w.school.pk, "left_on": {lost.upn: "2025-11-03"}}},
    )  # fmt: skip
    return {"bad": bad, "early": early, "ehe": ehe, "ended": ended, "quiet": quiet,
            "batch": batch, "lost": lost, "world": w}  # fmt: skip


def test_each_kind_is_found_with_its_evidence_and_nothing_else(facts):  # type: ignore[no-untyped-def]
    result = offrolling_signals_refresh(today=TODAY)
    found = _kinds()
    w = facts["world"]
    expected = {
        ("no_valid_ground", f"submission:{facts['bad'].pk}"),
        ("cme_incomplete", f"submission:{facts['early'].pk}"),
        ("special_no_agreement", f"submission:{facts['ehe'].pk}"),
        ("no_valid_ground", f"enrolment:{facts['ended'].pk}"),
        ("special_no_agreement", f"enrolment:{facts['ended'].pk}"),
        ("stopped_appearing", f"{w.school.pk}:{facts['quiet'].pk}:2025-11-07"),
        ("late_lost_ctf", f"ctf:{facts['batch'].pk}:{facts['lost'].upn}"),
    }
    assert set(found) == expected and result.created == len(expected)
    cme = found[("cme_incomplete", f"submission:{facts['early'].pk}")]
    assert cme.evidence[0]["url"] == f"/dfd/submissions/{facts['early'].reference}/"
    assert "25 November 2025" in cme.evidence[-1]["value"]
    assert cme.evidence[-1]["url"].startswith("/cases/")
    quiet = found[("stopped_appearing", f"{w.school.pk}:{facts['quiet'].pk}:2025-11-07")]
    assert "15 school days" in quiet.summary  # 10-14, 17-21 and 24-28 Nov
    late = found[("late_lost_ctf", f"ctf:{facts['batch'].pk}:{facts['lost'].upn}")]
    assert "19 school days" in late.summary and late.pupil_id == facts["lost"].pk


def test_a_rerun_creates_nothing_and_a_dismissed_signal_stays_dismissed(facts):  # type: ignore[no-untyped-def]
    offrolling_signals_refresh(today=TODAY)
    signal = OffRollingSignal.objects.get(kind="late_lost_ctf")
    w = facts["world"]
    with pytest.raises(ApplicationError):
        offrolling_signal_dismiss(actor=w.ao, signal=signal, reason="  ")
    offrolling_signal_dismiss(actor=w.ao, signal=signal, reason="File was held up at the hub")
    assert AuditEvent.objects.filter(action="return.signal_dismissed").count() == 1

    again = offrolling_signals_refresh(today=TODAY)
    assert (again.created, again.updated, again.cleared) == (0, 0, 0)
    signal.refresh_from_db()
    assert signal.dismissed_reason == "File was held up at the hub" and signal.dismissed_at
    with pytest.raises(ApplicationError):
        offrolling_signal_dismiss(actor=w.ao, signal=signal, reason="twice")


def test_a_signal_no_longer_found_is_cleared(facts):  # type: ignore[no-untyped-def]
    offrolling_signals_refresh(today=TODAY)
    w = facts["world"]
    _sent(w, school=w.school, pupil=facts["quiet"], ground="1a", deleted_on=date(2025, 11, 28))
    result = offrolling_signals_refresh(today=TODAY)
    signal = OffRollingSignal.objects.get(kind="stopped_appearing")
    assert result.cleared == 1 and signal.cleared_on == TODAY and not signal.is_open


def test_the_authority_lists_filters_and_dismisses_with_a_reason(facts):  # type: ignore[no-untyped-def]
    from django.test import Client

    offrolling_signals_refresh(today=TODAY)
    w = facts["world"]
    client = Client()
    client.force_login(w.admin)
    page = client.get("/returns/off-rolling/").content.decode()
    assert page.count('class="govuk-summary-card"') == 7
    assert f'href="/dfd/submissions/{facts["early"].reference}/"' in page
    only = client.get("/returns/off-rolling/?kind=late_lost_ctf").content.decode()
    assert only.count('class="govuk-summary-card"') == 1
    east = client.get("/returns/off-rolling/?area=East").content.decode()
    assert 'class="govuk-summary-card"' not in east
    west = client.get("/returns/off-rolling/?area=West&district=Maidstone").content.decode()
    assert west.count('class="govuk-summary-card"') == 7
    signal = OffRollingSignal.objects.get(kind="late_lost_ctf")
    url = f"/returns/off-rolling/{signal.pk}/dismiss/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Say why this signal needs no action" in (
        refused.content.decode()
    )
    done = client.post(url, {"reason": "Held up at the hub", "back": "kind=late_lost_ctf"})
    assert done.status_code == 302 and done.url.endswith("?kind=late_lost_ctf")
    assert OffRollingSignal.objects.get(pk=signal.pk).dismissed_reason == "Held up at the hub"
    dismissed = client.get("/returns/off-rolling/?show=dismissed").content.decode()
    assert "Held up at the hub" in dismissed
    school_client = Client()
    school_client.force_login(w.head)
    assert school_client.get("/returns/off-rolling/").status_code == 404
    assert school_client.post(url, {"reason": "x"}).status_code == 404
