"""Reads of Digital Front Door submissions, always scoped to the user (STYLE habit 5).

- School staff see what their school sent (every sender) and their own drafts.
- Linked officers and area managers see submissions about their schools, their teams'
  queues and what is allocated to them.
- Central teams (Courts, CME, EHE) see their team's queue and what is copied to it.
- Service administrators see everything.
A submission outside the user's scope is "not found", exactly like a missing one.
"""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kpas.base.errors import NotFound
from kpas.base.models import Team, User
from kpas.base.roles import COUNTYWIDE_ROLES, LINKED_OFFICER_ROLES, SCHOOL_ROLES, Role
from kpas.base.teams import role_for_team_function, team_function_for
from referrals.models import Evidence, Submission, SubmissionEvent
from referrals.rules import Status
from schools.selectors import school_list_for


def team_list_for(user: User) -> QuerySet[Team]:
    """The teams whose queues this user works."""
    teams = Team.objects.select_related("area")
    if not user.is_authenticated or not user.is_active:
        return teams.none()
    if user.is_superuser or user.role == Role.SERVICE_ADMIN:
        return teams.all()
    query = Q(pk=user.team_id) if user.team_id else Q(pk__in=[])
    function = team_function_for(user.role)
    if function is not None:
        query |= Q(function=function, area__isnull=True)
    if user.role in LINKED_OFFICER_ROLES or user.role == Role.AREA_MANAGER:
        areas = school_list_for(user).values("district__area_id")
        query |= Q(function=Team.Function.AREA_ATTENDANCE, area_id__in=areas)
    if user.role == Role.EXCLUSION_ADVISER:
        query |= Q(function=Team.Function.EXCLUSIONS, area__isnull=True)
    return teams.filter(query)


def _copied_to(teams: QuerySet[Team]) -> Exists:
    through = Submission.copied_teams.through
    return Exists(through.objects.filter(submission_id=OuterRef("pk"), team__in=teams))


def submission_list_for(user: User) -> QuerySet[Submission]:
    """Sent submissions the user may see (drafts are only ever their author's)."""
    sent = Submission.objects.sent().select_related(
        "school", "team", "allocated_officer", "submitter"
    )
    if not user.is_authenticated or not user.is_active:
        return sent.none()
    if user.is_superuser or user.role == Role.SERVICE_ADMIN:
        return sent
    own = Q(submitter=user)
    if user.role in SCHOOL_ROLES:
        return sent.filter(own | Q(school__in=school_list_for(user)))
    teams = team_list_for(user)
    scope = own | Q(allocated_officer=user) | Q(team__in=teams) | Q(_copied_to(teams))
    if user.role not in COUNTYWIDE_ROLES:  # linked officers and area managers
        scope |= Q(school__in=school_list_for(user))
    return sent.filter(scope)


def submission_get_for(user: User, reference: str) -> Submission:
    try:
        return submission_list_for(user).get(reference=reference.strip().upper())
    except Submission.DoesNotExist:
        raise NotFound("No such submission.") from None


def draft_list_for(user: User) -> QuerySet[Submission]:
    if not user.is_authenticated:
        return Submission.objects.none()
    return Submission.objects.filter(submitter=user, status=Status.DRAFT).order_by("-updated_at")


def draft_get_for(
    user: User | None, token: str | uuid.UUID, session_tokens: list[str]
) -> Submission:
    """A form being filled in: the signed-in author's, or one this browser session started
    without an account. Anything else is not found."""
    try:
        key = uuid.UUID(str(token))
    except ValueError:
        raise NotFound("No such form.") from None
    submission = (
        Submission.objects.select_related("school__district", "pupil").filter(token=key).first()
    )
    if submission is None:
        raise NotFound("No such form.")
    if user is not None and user.is_authenticated:
        if submission.submitter_id == user.pk:
            return submission
    elif submission.submitter_id is None and str(key) in session_tokens:
        return submission
    raise NotFound("No such form.")


def team_queue_for(
    user: User, *, team: Team | None = None, status: str = "open", mine: bool = False
) -> QuerySet[Submission]:
    """The queue of the user's teams (or one of them): routed or copied there, or allocated
    to the user."""
    teams = team_list_for(user)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    queue = submission_list_for(user).filter(
        Q(team__in=teams) | _copied_to(teams) | Q(allocated_officer=user)
    )
    if mine:
        queue = queue.filter(allocated_officer=user)
    if status == "open":
        queue = queue.filter(status__in=[Status.SUBMITTED, Status.TRIAGED])
    elif status in Status.values:
        queue = queue.filter(status=status)
    return queue.order_by("submitted_at")


def evidence_get_for(user: User | None, evidence_id: int, session_tokens: list[str]) -> Evidence:
    """An evidence file: on a submission the user may see, or on their own draft."""
    evidence = Evidence.objects.select_related("submission").filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound("No such file.")
    submission = evidence.submission
    if submission.is_draft:
        draft_get_for(user, submission.token, session_tokens)
        return evidence
    if user is None or not submission_list_for(user).filter(pk=submission.pk).exists():
        raise NotFound("No such file.")
    return evidence


def submission_workable_for(user: User, reference: str) -> Submission:
    """A submission this officer may act on: routed or copied to one of their teams,
    allocated to them, or about a school they are linked to. Others: not found."""
    submission = submission_get_for(user, reference)
    if not user.is_authority_staff:
        raise NotFound("No such submission.")
    if user.is_superuser or user.role == Role.SERVICE_ADMIN:
        return submission
    teams = team_list_for(user)
    workable = (
        submission.allocated_officer_id == user.pk
        or (submission.team_id is not None and teams.filter(pk=submission.team_id).exists())
        or submission.copied_teams.filter(pk__in=teams.values("pk")).exists()
        or (
            user.role not in COUNTYWIDE_ROLES
            and submission.school_id is not None
            and school_list_for(user).filter(pk=submission.school_id).exists()
        )
    )
    if not workable:
        raise NotFound("No such submission.")
    return submission


def can_work_on(user: User, submission: Submission) -> bool:
    try:
        submission_workable_for(user, submission.reference or "")
    except Http404:
        return False
    return True


def officer_choices_for(submission: Submission) -> QuerySet[User]:
    """Who a submission can be allocated to: the school's linked officers and the people
    working the queues it was routed or copied to."""
    teams = list(submission.copied_teams.all())
    if submission.team is not None:
        teams.append(submission.team)
    linked = [
        pk
        for pk in (
            getattr(submission.school, "attendance_officer_id", None),
            getattr(submission.school, "exclusion_adviser_id", None),
        )
        if pk
    ]
    query = Q(team__in=teams) | Q(pk__in=linked)
    for team in teams:
        if team.function == Team.Function.AREA_ATTENDANCE and team.area_id:
            query |= (
                Q(schools_as_attendance_officer__district__area_id=team.area_id)
                | Q(schools_as_exclusion_adviser__district__area_id=team.area_id)
                | Q(role=Role.AREA_MANAGER, area_id=team.area_id)
            )
        elif (role := role_for_team_function(team.function)) is not None:
            query |= Q(role=role)
    return (
        User.objects.filter(query, is_active=True)
        .exclude(role__in=SCHOOL_ROLES)
        .distinct()
        .order_by("full_name")
    )


def submission_events_for(user: User, submission: Submission) -> QuerySet[SubmissionEvent]:
    """The timeline this user may read: the authority sees every row; the school never
    sees an internal note (a note is internal unless the officer shared it)."""
    rows = submission.events.select_related("actor")
    if user.is_authenticated and (user.is_authority_staff or user.is_superuser):
        return rows
    return rows.exclude(kind=SubmissionEvent.Kind.NOTE, shared=False)


def question_open(submission: Submission) -> bool:
    """The school's latest question has no answer after it (the school may answer)."""
    kinds = list(
        submission.events.filter(
            kind__in=[SubmissionEvent.Kind.QUESTION, SubmissionEvent.Kind.ANSWER]
        ).values_list("kind", flat=True)
    )
    return bool(kinds) and kinds[-1] == SubmissionEvent.Kind.QUESTION
