"""Writes: drafts, sending (reference, routing, timeline, audit, emails stored in the
outbox), a double submit making one submission, evidence kept privately, and the officer's
triage."""

from __future__ import annotations

import io
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.http import QueryDict
from django.utils import timezone

from kpas.base import outbox
from kpas.base.celery import app
from kpas.base.models import AuditEvent, OutboxEmail
from kpas.base.queues import NIGHTLY
from referrals import services
from referrals.engine import read_step
from referrals.models import ReferenceCounter, Submission
from referrals.pathways import PATHWAYS
from referrals.rules import IllegalTransition, Status
from referrals.services.sending import reference_allocate
from referrals.tasks import PURGE_DRAFTS_TASK, purge_dfd_drafts_task
from referrals.uploads import UploadRejected

from .conftest import TODAY, valid_answers

pytestmark = pytest.mark.django_db
CME = PATHWAYS["child-missing-education"]


def draft_with_answers(world, slug="child-missing-education"):  # type: ignore[no-untyped-def]
    draft = services.submission_start(actor=world.head, pathway=PATHWAYS[slug])
    draft.answers = {**draft.answers, **valid_answers(slug, world)}
    draft.pupil = world.pupil
    draft.steps_done = [step.slug for step in PATHWAYS[slug].steps]
    draft.save()
    return draft


# --- references -----------------------------------------------------------------------------------
def test_references_run_in_sequence_within_each_year():  # type: ignore[no-untyped-def]
    allocate = reference_allocate
    assert [allocate(2026), allocate(2026), allocate(2027), allocate(2026)] == [
        "DFD-2026-000001",
        "DFD-2026-000002",
        "DFD-2027-000001",
        "DFD-2026-000003",
    ]
    assert ReferenceCounter.objects.get(year=2026).last == 3


@pytest.mark.django_db(transaction=True)
def test_references_are_unique_when_allocated_at_once():  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole file)")
    from django.db import transaction

    barrier, results, failures = threading.Barrier(12), [], []

    def allocate() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                results.append(reference_allocate(2026))
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(results) == [f"DFD-2026-{n:06d}" for n in range(1, 13)]


# --- drafts ---------------------------------------------------------------------------------------
def test_starting_a_draft_implies_the_only_school_and_audits(world):  # type: ignore[no-untyped-def]
    draft = services.submission_start(actor=world.head, pathway=CME)
    assert draft.status == Status.DRAFT and draft.reference is None
    assert draft.school == world.school and draft.answers == {"school_urn": "118001"}
    assert AuditEvent.objects.filter(action="referral.draft_started").count() == 1


def test_choosing_the_pupil_prefills_from_the_register(world):  # type: ignore[no-untyped-def]
    draft = services.submission_start(actor=world.head, pathway=CME)
    ctx_draft = Submission.objects.get(pk=draft.pk)
    from referrals.context import context_for

    step = CME.step("pupil")
    result = read_step(
        CME,
        step,
        QueryDict(f"upn={world.pupil.upn}"),
        context_for(ctx_draft, user=world.head, today=TODAY),
    )
    assert result.ok and result.pupil == world.pupil
    saved = services.submission_draft_save(
        actor=world.head, submission=draft, step=step, result=result, today=TODAY
    )
    assert saved.pupil == world.pupil
    assert saved.answers["pupil_forename"] == world.pupil.forename
    assert saved.answers["pupil_dob"] == "2016-01-10"
    assert saved.answers["pupil_flags"] == ["none"]
    assert saved.answers["last_attended"] == "2025-11-28"  # from the register
    assert saved.pupil_upn == world.pupil.upn and saved.steps_done == ["pupil"]


# --- sending --------------------------------------------------------------------------------------
def test_sending_routes_allocates_writes_the_timeline_and_stores_its_emails(
    world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    # STYLE §16, DESIGN "How data flows" 5: the emails are outbox rows stored in the
    # submission's transaction; nothing leaves from the request.
    draft = draft_with_answers(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = services.submission_submit(
            actor=world.head, submission=draft, today=TODAY, base_url="https://kpas.example"
        )
        assert OutboxEmail.objects.count() == 2  # stored before the commit
    assert len(callbacks) == 2  # each queued for the outbox's task once committed
    assert mail.outbox == []
    assert sent.status == Status.SUBMITTED and sent.reference.endswith("-000001")
    assert sent.team.slug == "kpas-west" and sent.allocated_officer == world.ao
    assert [t.slug for t in sent.copied_teams.all()] == ["cme"]
    assert sent.register_snapshot["threshold"]["by_code"]["G"] == 10
    kinds = list(sent.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "routed", "allocated", "email_queued", "email_queued"]
    assert AuditEvent.objects.filter(action="referral.submitted", actor=world.head).exists()

    stored = {email.key: email for email in OutboxEmail.objects.all()}
    assert set(stored) == {f"submission:{sent.pk}:team", f"submission:{sent.pk}:receipt"}
    for email in stored.values():
        outbox.email_send(email_id=email.pk)
    team, receipt = sorted(mail.outbox, key=lambda m: m.subject.startswith("We have"))
    assert team.to == ["cme@demo.kpas.test", "kpas-west@demo.kpas.test"]
    assert sent.reference in team.subject
    assert f"https://kpas.example/dfd/submissions/{sent.reference}/" in team.body
    assert world.pupil.forename not in team.body  # no pupil details in email
    assert receipt.to == [world.head.email] and sent.reference in receipt.body


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_each_email_once(world, celery_worker_all_queues):  # type: ignore[no-untyped-def]
    draft = draft_with_answers(world)
    sent = services.submission_submit(actor=world.head, submission=draft, today=TODAY)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists():
            break
        time.sleep(0.1)
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}
    receipts = [m for m in mail.outbox if m.to == [world.head.email]]
    assert len(receipts) == 1 and len(mail.outbox) == 2  # each email exactly once
    assert sent.reference in receipts[0].subject


def test_a_refused_submission_changes_nothing_and_sends_nothing(world):  # type: ignore[no-untyped-def]
    draft = draft_with_answers(world)
    draft.answers["enquiries"] = []
    draft.save()
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submission_submit(actor=world.head, submission=draft, today=TODAY)
    assert refused.value.invalid.errors == {"enquiries": "Select the enquiries you have made"}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None
    assert not ReferenceCounter.objects.exists() and not OutboxEmail.objects.exists()


def test_the_api_idempotency_key_returns_the_first_submission(world):  # type: ignore[no-untyped-def]
    key = uuid.uuid4()
    answers = valid_answers("child-missing-education", world)
    first, created = services.submission_create(
        actor=world.head, pathway=CME, answers=answers, today=TODAY, idempotency_key=key
    )
    again, created_again = services.submission_create(
        actor=world.head, pathway=CME, answers=answers, today=TODAY, idempotency_key=key
    )
    assert created and not created_again and again.pk == first.pk
    with pytest.raises(services.IdempotencyConflict):
        services.submission_create(
            actor=world.sac, pathway=CME, answers=answers, today=TODAY, idempotency_key=key
        )


# --- evidence -------------------------------------------------------------------------------------
def test_evidence_is_kept_privately_under_a_name_of_our_own(world):  # type: ignore[no-untyped-def]
    draft = draft_with_answers(world, "statutory-attendance-intervention")
    content = b"%PDF-1.4 a warning letter"
    evidence = services.evidence_attach(
        actor=world.head,
        submission=draft,
        stream=io.BytesIO(content),
        size=len(content),
        name="../../etc/letter.pdf",
    )
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert "letter" not in stored.name and stored.suffix == ".pdf"
    assert stored.read_bytes() == content
    assert evidence.original_name == "../../etc/letter.pdf"  # shown, never used as a path
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 - there is no URL: only the checking view serves it
    with pytest.raises(UploadRejected):
        services.evidence_attach(
            actor=world.head,
            submission=draft,
            stream=io.BytesIO(b"MZ\x90\x00"),
            size=4,
            name="letter.pdf",
        )
    services.evidence_remove(actor=world.head, evidence=evidence)
    assert not stored.exists()


# --- the officer's work ---------------------------------------------------------------------------
def test_officers_move_a_submission_through_its_states(world):  # type: ignore[no-untyped-def]
    sent = services.submission_submit(
        actor=world.head, submission=draft_with_answers(world), today=TODAY
    )
    services.submission_triage(actor=world.ao, submission=sent, note="Home visit booked")
    services.submission_close(actor=world.ao, submission=sent, outcome="Family traced")
    sent.refresh_from_db()
    assert sent.status == Status.CLOSED and sent.outcome == "Family traced" and sent.closed_at
    with pytest.raises(IllegalTransition):
        services.submission_close(actor=world.ao, submission=sent, outcome="again")
    services.submission_reopen(actor=world.ao, submission=sent, note="New information")
    services.submission_allocate(actor=world.ao, submission=sent, officer=world.east_ao)
    sent.refresh_from_db()
    assert sent.status == Status.TRIAGED and sent.allocated_officer == world.east_ao
    # The school is emailed at each step (its own timeline rows): look at the moves.
    moves = sent.events.exclude(kind="email_queued").values_list("kind", flat=True)
    assert list(moves)[-4:] == [
        "triaged",
        "closed",
        "reopened",
        "allocated",
    ]
    with pytest.raises(ValueError):
        services.submission_allocate(actor=world.ao, submission=sent, officer=world.head)


def test_stale_drafts_are_purged_with_their_files(world):  # type: ignore[no-untyped-def]

    old_anonymous = services.submission_start(actor=None, pathway=CME)
    old_mine = services.submission_start(actor=world.head, pathway=CME)
    fresh = services.submission_start(actor=None, pathway=CME)
    content = b"%PDF-1.4"
    evidence = services.evidence_attach(
        actor=None, submission=old_anonymous, stream=io.BytesIO(content), size=8, name="a.pdf"
    )
    stored = Path(evidence.file.path)
    Submission.objects.filter(pk__in=[old_anonymous.pk, old_mine.pk]).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    assert services.drafts_purge(now=timezone.now()) == 1
    assert set(Submission.objects.values_list("pk", flat=True)) == {old_mine.pk, fresh.pk}
    assert not stored.exists()


def test_stale_drafts_are_purged_nightly_on_beat(world):  # type: ignore[no-untyped-def]
    # Issue 9 item 3: purge_dfd_drafts runs on Celery beat, on the nightly queue.
    schedule = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert PURGE_DRAFTS_TASK in schedule
    assert app.amqp.router.route({}, PURGE_DRAFTS_TASK)["queue"].name == NIGHTLY
    stale = services.submission_start(actor=None, pathway=CME)
    Submission.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=30))
    assert purge_dfd_drafts_task.apply().get() == 1
    assert purge_dfd_drafts_task.apply().get() == 0  # a second run changes nothing
