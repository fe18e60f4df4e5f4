"""A lost-pupil CTF (destination XXX/XXXX) opens a CME enquiry for the CME team when no CME
notification exists for the pupil (issue 12 item 3; KSAH §22): through the CTF import's hook
(schools.lost_pupils), which referrals.cases registers into. Idempotent."""

from __future__ import annotations

import pytest

from kpas.base.models import User
from kpas.base.roles import Role
from referrals.cases.lost_pupils import cme_enquiries_for_lost_pupils
from referrals.cases.models import Case
from referrals.models import Submission
from referrals.pathway_names import PathwayName
from referrals.rules import Status
from schools.imports.services import import_run
from schools.lost_pupils import LostPupils
from schools.models import ImportBatch, Pupil
from tests.schools.imports.conftest import DATA, district, hilltop, pupils, riverside, run  # noqa: F401

pytestmark = pytest.mark.django_db
LOST = ("R886200124001", "E886200120005")  # the two pupils of ctf_lost_pupil.xml


@pytest.mark.usefixtures("pupils")
def test_a_lost_pupil_file_opens_one_cme_enquiry_per_pupil_not_yet_notified() -> None:
    cme = User.objects.create_user(email="cme@test.kpas", role=Role.CME_TEAM, full_name="CME")
    assert run("ctf", "ctf.xml").status == ImportBatch.Status.APPLIED
    assert not Case.objects.exists()  # an ordinary CTF opens nothing
    notified = Pupil.objects.get(upn=LOST[1])
    Submission.objects.create(  # the school already told the CME team about this one
        reference="DFD-2025-000001",
        pathway=PathwayName.CME,
        status=Status.SUBMITTED,
        school=notified.enrolments.get().school,
        pupil=notified,
        pupil_name="Harry",
        submitter_name="Head",
        submitter_email="head@test.kpas",
    )

    lost = run("ctf", "ctf_lost_pupil.xml")

    assert lost.status == ImportBatch.Status.APPLIED, lost.errors
    case = Case.objects.get()
    assert (case.kind, case.status, case.pupil.upn, case.school.urn) == (
        "cme",
        "referred",
        LOST[0],
        "118001",
    )
    assert case.officer == cme and case.submission is None
    opened = case.events.get()
    assert "lost-pupil Common Transfer File (destination XXX/XXXX)" in opened.message
    assert opened.actor is None
    # A later file (another export) naming the pupil again: the open case is the
    # notification now; nothing new.
    later = (DATA / "ctf_lost_pupil.xml").read_bytes() + b"\n"
    again = import_run(kind="ctf", data=later, filename="lost-again.xml")
    assert again.counts["lost_pupils"] == 2, again.errors
    assert Case.objects.count() == 1


@pytest.mark.usefixtures("pupils")
def test_the_hook_is_idempotent_and_a_closed_enquiry_does_not_stop_a_new_one() -> None:
    run("ctf", "ctf_lost_pupil.xml")
    assert Case.objects.filter(kind="cme").count() == 2  # no CME team member: unallocated
    assert not Case.objects.exclude(officer=None).exists()
    ids = tuple(Pupil.objects.filter(upn__in=LOST).values_list("pk", flat=True))
    report = LostPupils(Case.objects.first().school_id, ids, None)  # type: ignore[union-attr]
    assert cme_enquiries_for_lost_pupils(report) == []  # the same pupils reported again
    Case.objects.update(status="closed", closed_at="2025-01-01T00:00:00Z")
    assert len(cme_enquiries_for_lost_pupils(report)) == 2  # lost again after an enquiry
    assert Case.objects.filter(kind="cme", closed_at=None).count() == 2
