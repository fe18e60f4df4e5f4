"""Payments and the end of the period (issue 11 item 8), and who may see or act (item 10)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpas.base.errors import ApplicationError, Conflict
from penalties import services
from penalties.models import NoticeEvent, NoticePayment, PenaltyNotice
from penalties.payments import (
    notice_prosecute,
    notice_withdraw,
    notices_period_end,
    payment_record,
)
from penalties.reports import COLUMNS, penalty_report
from penalties.rules import PaymentFlag, payment_assessment
from penalties.tasks import nightly_period_end_task
from schools.imports.services import import_run
from tests.referrals.conftest import TODAY, World

from .test_workspace import _request, _two_parents

# A first notice posted Friday 28 November 2025: received 2 December, £80 by 22 December,
# £160 by 29 December (DOMAIN §5; SI 2024/210).
RECEIVED, REDUCED_BY, FULL_BY = date(2025, 12, 2), date(2025, 12, 22), date(2025, 12, 29)


@pytest.mark.parametrize(
    ("paid_on", "pence", "reduced", "due", "discharged", "flag"),
    [
        # SI 2024/210 reg 4: the reduced amount within 21 days of receipt (receipt + 20).
        pytest.param(REDUCED_BY, 8000, 80, 8000, True, "", id="reduced-on-its-last-day"),
        pytest.param(date(2025, 12, 23), 8000, 80, 16000, False, "under", id="80-a-day-late"),
        pytest.param(date(2025, 12, 23), 16000, 80, 16000, True, "", id="full-after-reduced"),
        pytest.param(FULL_BY, 16000, 80, 16000, True, "", id="full-on-its-last-day"),
        # After the 28-day period the notice cannot be paid (DOMAIN §5): flagged, refunded.
        pytest.param(date(2025, 12, 30), 16000, 80, 16000, False, "late", id="after-period"),
        pytest.param(REDUCED_BY, 9000, 80, 8000, True, "over", id="overpaid"),
        pytest.param(REDUCED_BY, 7999, 80, 8000, False, "under", id="a-penny-short"),
        # A second notice has no reduced amount (KSAH §15 iv).
        pytest.param(REDUCED_BY, 8000, None, 16000, False, "under", id="second-notice-80"),
    ],
)
def test_payment_assessment(paid_on, pence, reduced, due, discharged, flag):  # type: ignore[no-untyped-def]
    result = payment_assessment(
        paid_on=paid_on,
        total_pence=pence,
        reduced_amount=reduced,
        full_amount=160,
        reduced_by=REDUCED_BY if reduced else None,
        full_by=FULL_BY,
    )
    assert (result.due_pence, result.discharged, result.flag) == (due, discharged, flag)
    assert isinstance(result.flag, PaymentFlag)


def _issued(world: World) -> tuple[PenaltyNotice, PenaltyNotice]:
    _two_parents(world)
    alex_row, sam_row = _request(world).parents.all()
    return tuple(  # type: ignore[return-value]
        services.request_parent_issue(actor=world.courts, request_parent=row, on=TODAY)
        for row in (alex_row, sam_row)
    )


@pytest.mark.django_db
def test_a_payment_by_hand_pays_the_notice_once(world):  # type: ignore[no-untyped-def]
    alex, _ = _issued(world)
    for _ in range(2):  # a double click: the same form token
        payment_record(
            actor=world.courts, notice=alex, paid_on=date(2025, 12, 10), amount_pence=8000, key="t1"
        )
    alex.refresh_from_db()
    assert (alex.status, alex.amount_paid, alex.paid_on) == ("paid", 8000, date(2025, 12, 10))
    assert NoticePayment.objects.count() == 1
    assert list(NoticeEvent.objects.filter(notice=alex).values_list("kind", flat=True)) == [
        "issued",
        "payment",
        "paid",
    ]


@pytest.mark.django_db
def test_an_underpayment_is_flagged_and_the_notice_stays_open(world):  # type: ignore[no-untyped-def]
    alex, _ = _issued(world)
    payment_record(actor=world.courts, notice=alex, paid_on=REDUCED_BY, amount_pence=5000)
    alex.refresh_from_db()
    assert alex.status == "issued" and alex.issue.payment_flag == "under"


@pytest.mark.django_db
def test_the_payment_file_is_validated_whole_and_idempotent(world, tmp_path):  # type: ignore[no-untyped-def]
    alex, sam = _issued(world)
    bad = f"reference,paid_on,amount\n{alex.reference},2025-12-10,80\nPN99-000000,2025-12-10,x\n"
    refused = import_run(kind="notice_payments", data=bad.encode(), actor=world.admin)
    assert refused.status == "rejected"
    assert any(str(e).startswith("line 3:") for e in refused.errors)
    assert not NoticePayment.objects.exists()
    good = (
        "reference,paid_on,amount\n"
        f"{alex.reference},2025-12-10,80\n{sam.reference},2025-12-11,100.50\n"
    )
    for _ in range(2):
        import_run(kind="notice_payments", data=good.encode(), actor=world.admin)
    assert NoticePayment.objects.count() == 2
    alex.refresh_from_db()
    sam.refresh_from_db()
    assert alex.status == "paid"
    assert (sam.status, sam.amount_paid, sam.issue.payment_flag) == ("paid", 10050, "over")
    assert sam.issue.refund_due


@pytest.mark.django_db
def test_the_nightly_task_lists_unpaid_notices_once_then_prosecute_or_withdraw(world):  # type: ignore[no-untyped-def]
    alex, sam = _issued(world)
    assert notices_period_end(today=FULL_BY) == 0  # the last day of the period is still in it
    assert notices_period_end(today=date(2025, 12, 30)) == 2
    assert notices_period_end(today=date(2025, 12, 31)) == 0  # idempotent
    assert nightly_period_end_task.apply().get() == 0  # the named task: nothing left to do
    alex.refresh_from_db()
    assert alex.status == "unpaid" and alex.issue.awaiting_decision
    notice_prosecute(actor=world.courts, notice=alex)
    with pytest.raises(Conflict):
        notice_prosecute(actor=world.courts, notice=alex)
    with pytest.raises(ApplicationError):
        notice_withdraw(actor=world.courts, notice=sam, ground="because")
    notice_withdraw(actor=world.courts, notice=sam, ground="wrong_person")
    alex.refresh_from_db()
    sam.refresh_from_db()
    assert alex.issue.prosecuted and not alex.issue.awaiting_decision
    assert (sam.status, sam.withdrawn_ground, sam.issue.refund_due) == (
        "withdrawn",
        "wrong_person",
        False,
    )
    events = NoticeEvent.objects.filter(notice=sam).values_list("kind", "actor")
    assert list(events) == [
        ("issued", world.courts.pk),
        ("unpaid", None),
        ("withdrawn", world.courts.pk),
    ]


@pytest.mark.django_db
def test_a_withdrawal_after_payment_flags_a_refund(world):  # type: ignore[no-untyped-def]
    alex, _ = _issued(world)
    payment_record(actor=world.courts, notice=alex, paid_on=REDUCED_BY, amount_pence=5000)
    notice_withdraw(actor=world.courts, notice=alex, ground="material_error")
    alex.refresh_from_db()
    assert alex.issue.refund_due and alex.status == "withdrawn"


@pytest.mark.django_db
def test_scope_who_sees_and_who_acts(world, client):  # type: ignore[no-untyped-def]
    # Issue 11 item 10: only the Courts Team and service admin act; officers see their
    # schools' notices; another area's officer and other teams see nothing.
    alex, _ = _issued(world)
    page = reverse("penalties:notice", args=[alex.reference])
    act = reverse("penalties:notice-action", args=[alex.reference])
    expected = {
        world.courts: (200, 302),
        world.admin: (200, 302),
        world.ao: (200, 404),
        world.head: (200, 404),
        world.east_ao: (404, 404),
        world.cme: (404, 404),
        world.other_head: (404, 404),
    }
    for user, (see, acts) in expected.items():
        client.force_login(user)
        assert client.get(page).status_code == see, user.email
        response = client.post(act, {"action": "withdraw", "ground": "material_error"})
        assert response.status_code == acts, user.email
        if acts == 302:
            alex.refresh_from_db()
            assert alex.status == "withdrawn"
            PenaltyNotice.objects.filter(pk=alex.pk).update(status="issued", withdrawn_ground="")
    client.force_login(world.ao)
    assert alex.reference in client.get(reverse("penalties:notices")).content.decode()
    client.force_login(world.east_ao)
    assert client.get(reverse("penalties:notices")).content.decode().count("PN25-") == 0


@pytest.mark.django_db
def test_the_report_counts_by_school_and_district_and_exports_csv(world, client):  # type: ignore[no-untyped-def]
    alex, sam = _issued(world)
    payment_record(actor=world.courts, notice=alex, paid_on=REDUCED_BY, amount_pence=8000)
    payment_record(actor=world.courts, notice=sam, paid_on=FULL_BY, amount_pence=16000)
    rows = penalty_report(start=date(2025, 9, 1), end=TODAY, by="district")
    assert [(r.label, r.figures) for r in rows] == [
        (
            "Maidstone",
            {
                "requests": 0,  # received on the machine's day, outside this period
                "issued": 2,
                "paid_reduced": 1,
                "paid_full": 1,
                "unpaid": 0,
                "withdrawn": 0,
                "prosecuted": 0,
                "collected_pence": 24000,
            },
        )
    ]
    client.force_login(world.ao)  # an officer is not a manager
    assert client.get(reverse("penalties:reports")).status_code == 404
    client.force_login(world.courts)
    response = client.get(
        reverse("penalties:reports"),
        {"from": "2025-09-01", "to": "2030-12-31", "by": "school", "format": "csv"},
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == "school," + ",".join(COLUMNS)
    assert lines[1] == "Oakfield Primary School (118001),1,2,1,1,0,0,0,24000"
    assert lines[-1] == "total,1,2,1,1,0,0,0,24000"
