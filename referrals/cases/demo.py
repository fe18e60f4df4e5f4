"""Demo cases: the demo school's pupils with a case in every state of every machine, each
walked there through the one transition service (so timelines, clocks and guards are real).
"""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_SCHOOL_URN
from kpas.base.models import User
from kpas.base.roles import Role
from referrals.cases import services
from referrals.cases.machines import MACHINES, Machine
from referrals.cases.models import Case
from referrals.cases.rules import CME_ENQUIRIES, CaseKind, Transition
from schools.models import Enrolment, Pupil, School
from schools.register_facts import register_facts_for


def _paths(machine: Machine) -> dict[str, list[Transition]]:
    """The shortest walk from the initial state to every state."""
    paths: dict[str, list[Transition]] = {machine.initial: []}
    queue = deque([machine.initial])
    while queue:
        state = queue.popleft()
        for transition in machine.allowed(state):
            if transition.target not in paths:
                paths[transition.target] = [*paths[state], transition]
                queue.append(transition.target)
    return paths


def _given(transition: Transition, on: date) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for need in transition.needs:
        if need.kind == "date":
            given[need.name] = on
        elif need.kind == "choice":
            given[need.name] = need.choices[0][0]
        elif need.kind == "people":
            given[need.name] = "Ms Alex Parent (parent), Head teacher, Attendance officer"
        else:
            given[need.name] = {
                "agreement": "Attend every day, on time; the school to call home by 9:30 "
                "on any day of absence; review in six weeks.",
                "record": "The parent answered questions under caution; accepts the "
                "absences were not authorised.",
                "reason": "Demo: closed.",
                "summary": "Demo: recorded.",
                "provider": "Demo provision",
            }.get(need.name, "Demo")
    if transition.action == "advise_deletion":
        given["ground"] = "1a"  # the walk reaches it through "located at a new school"
    return given


def _pupils(school: School, as_of: date) -> list[Pupil]:
    """Pupils of the demo school whose register shows no C2 (statutory steps need none)."""
    pupils = Pupil.objects.filter(
        pk__in=Enrolment.objects.filter(school=school).values("pupil_id")
    ).order_by("pk")
    found = []
    for pupil in pupils:
        facts = register_facts_for(pupil, as_of)
        if facts is not None and facts.school.pk == school.pk and not facts.recent_c2:
            found.append(pupil)
    return found


def demo_cases_create(*, as_of: date) -> int:
    """Does nothing when the demo school already has cases. Returns how many were made."""
    if Case.objects.filter(school__urn=DEMO_SCHOOL_URN).exists():
        return 0
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    by_role = {a.role: a.email for a in DEMO_ACCOUNTS}
    officer = User.objects.get(email=by_role[Role.ATTENDANCE_OFFICER])
    pupils = _pupils(school, as_of)
    if not pupils:
        return 0
    made = 0
    # Statutory cases first: a part-time timetable for the same pupil would stop them.
    order = [CaseKind.STATUTORY, *[k for k in MACHINES if k != CaseKind.STATUTORY]]
    for kind in order:
        for path in _paths(MACHINES[kind]).values():
            pupil = pupils[made % len(pupils)]
            with transaction.atomic():
                _walk(kind, path, school=school, pupil=pupil, officer=officer, as_of=as_of)
            made += 1
    return made


def _walk(
    kind: str,
    path: list[Transition],
    *,
    school: School,
    pupil: Pupil,
    officer: User,
    as_of: date,
) -> None:
    # Opened by the authority (no submission): the DFD's own demo keeps its forms.
    case = services.case_create(
        actor=officer, kind=kind, school=school, pupil=pupil, officer=officer, today=as_of
    )
    on = as_of - timedelta(days=7 * len(path))
    for transition in path:
        if transition.action == "not_locate":
            for check, _ in CME_ENQUIRIES:
                case = services.case_transition(
                    actor=officer,
                    case=case,
                    action="record_enquiry",
                    given={"check": check, "done_on": on},
                    today=as_of,
                )
        case = services.case_transition(
            actor=officer,
            case=case,
            action=transition.action,
            given=_given(transition, on),
            today=as_of,
        )
        on += timedelta(days=7)
    services.case_note_add(actor=officer, case=case, text="Demo: an internal note.")
    services.case_note_add(
        actor=officer, case=case, text="Demo: a note shared with the school.", shared=True
    )
