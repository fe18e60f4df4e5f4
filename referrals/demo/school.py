"""The demo school's forms, each about a pupil chosen by their register figures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from kpas.base.models import User
from referrals.demo.filling import (
    Answers,
    OnRoll,
    blocked,
    by_attendance,
    fill_form,
    holiday_days,
    known_to_services,
    pathway_named,
    submit_form,
)
from referrals.engine.definitions import Pathway
from referrals.facts import current_absence_run
from referrals.models import Submission
from schools.models import School


@dataclass
class DemoSchool:
    school: School
    head: User
    as_of: date
    pupils: list[OnRoll]
    used: set[int] = field(default_factory=set)  # pupils already written about

    # --- the forms -----------------------------------------------------------------------
    def penalty_notice(self) -> Submission | None:
        """A pupil who met the threshold with a holiday in term time (G), if the register
        has one for whom every blocking condition is met."""
        pathway = pathway_named("penalty-notice")

        def answers(candidate: OnRoll) -> Answers:
            leave = holiday_days(candidate.facts)
            return {
                "upn": candidate.pupil.upn,
                "head_authorises": ["yes"],
                "scenario": "leave",
                "leave_requested": True,
                "leave_from": min(leave, default=self.as_of).isoformat(),
                "leave_to": max(leave, default=self.as_of).isoformat(),
                "leave_reason": "A family holiday abroad; the request was refused in writing.",
                "parents": lambda given: [
                    {**parent, "previous_notices": "0"} for parent in given.get("parents", [])
                ],
                "safeguarding_concerns": False,
                **known_to_services(candidate),
                "equality_considered": True,
                "policy_explains": True,
            }

        holiday = sorted(
            (c for c in self._free() if c.facts.threshold.met),
            key=lambda c: (  # the longest holiday, then the most recent
                -len(holiday_days(c.facts)),
                -max(holiday_days(c.facts), default=date.min).toordinal(),
                c.pupil.pk,
            ),
        )
        return self._send_first(pathway, holiday, answers)

    def statutory_intervention(self) -> Submission | None:
        """When no pupil fits a penalty notice: the lowest attendance goes to statutory
        attendance intervention."""
        pathway = pathway_named("statutory-attendance-intervention")

        def answers(candidate: OnRoll) -> Answers:
            return {
                "upn": candidate.pupil.upn,
                "part_time_timetable": False,
                "support_tried": "Weekly check-ins with the Senior Attendance Champion, a "
                "morning club place and an Early Help assessment offered.",
                "parents_engagement": "partly",
                "engagement_detail": "The parents came to the first meeting but not the review.",
                "attendance_contract": True,
            }

        return self._send_first(pathway, by_attendance(self._free()), answers)

    def attendance_meeting(self) -> Submission | None:
        """A persistently absent pupil with unauthorised absence: the officer is invited to
        a formal attendance meeting."""
        pathway = pathway_named("formal-attendance-meeting")
        calendar = self.pupils[0].facts.calendar if self.pupils else None
        first = calendar.nth_school_day_after(self.as_of, 5) if calendar else self.as_of
        second = calendar.nth_school_day_after(self.as_of, 6) if calendar else self.as_of

        def answers(candidate: OnRoll) -> Answers:
            return {
                "upn": candidate.pupil.upn,
                "first_date": first.isoformat(),
                "second_date": second.isoformat(),
                "time_of_day": "9:30am",
                "venue": "school",
                "led_by": "Sam Adeyemi, Senior Attendance Champion",
                "absence_unauthorised": True,
                "enforcement_considered": True,
                "support_offered": "Attendance letters, two support meetings with the parents "
                "and a referral to the school nurse.",
                "barriers": "Anxiety about school since moving house; a younger sibling's "
                "hospital appointments.",
            }

        persistent = [c for c in self._free() if c.facts.persistent_absence]
        persistent.sort(
            key=lambda c: (
                not c.facts.compulsory_school_age,  # legal intervention needs it
                c.facts.unauthorised == 0,
                c.facts.attendance_rate,
                c.pupil.pk,
            )
        )
        return self._send_first(pathway, persistent or by_attendance(self._free()), answers)

    def missing_education(self) -> Submission | None:
        """The pupil whose absence has run longest, or who attended least recently."""
        pathway = pathway_named("child-missing-education")

        def answers(candidate: OnRoll) -> Answers:
            return {
                "upn": candidate.pupil.upn,
                "enquiries": ["parents", "emergency_contacts", "agencies"],
                "enquiries_found": "Phone numbers are disconnected and letters unanswered. "
                "The emergency contact thinks the family may have moved away.",
                "forwarding_address_known": False,
                "new_school_known": False,
                "believed_location": "england",
                "has_siblings": False,
                "safeguarding_concerns": False,
            }

        def missing_first(c: OnRoll) -> tuple[Any, ...]:
            last = c.facts.last_attended or date.min
            return (
                not c.facts.compulsory_school_age,
                -current_absence_run(c.facts).school_days,
                last,
                c.pupil.pk,
            )

        return self._send_first(pathway, sorted(self._free(), key=missing_first), answers)

    def part_time_timetable(self) -> Submission | None:
        """The pupil with the most C2 (part-time timetable) on the recent register."""
        pathway = pathway_named("part-time-timetable")

        def answers(candidate: OnRoll) -> Answers:
            facts = candidate.facts
            recent = facts.recent_days[0] if facts.recent_days else facts.as_of
            c2 = [m.date for m in facts.codes_between(recent, facts.as_of) if m.code == "C2"]
            start = min(c2) if c2 else facts.calendar.nth_school_day_after(self.as_of, 1)
            return {
                "upn": candidate.pupil.upn,
                "arrangement": "part_time",
                "reason": "health",
                "reason_detail": "Returning after a long illness; building up to full days "
                "with the school nurse's advice.",
                "for_behaviour": False,
                "start_date": start.isoformat(),
                "proposed_end": facts.calendar.add_school_days(start, 30).isoformat(),
                "reviews": [{"date": facts.calendar.add_school_days(self.as_of, 5).isoformat()}],
                "sessions_attended": 5,
                "timetable": "Mornings only, Monday to Friday.",
                "parental_consent": True,
                "risk_assessment": True,
                "services_consulted": True,
            }

        on_c2 = sorted(
            self._free(),
            key=lambda c: (-c.facts.recent_c2, -c.facts.threshold.c2_sessions, c.pupil.pk),
        )
        return self._send_first(pathway, on_c2, answers)

    def exclusion_advice_draft(self) -> Submission | None:
        """A request for exclusion intervention advice, started and saved for later."""
        pathway = pathway_named("exclusion-intervention-advice")
        free = sorted(self._free(), key=lambda c: (-c.facts.exclusion_sessions, c.pupil.pk))
        if not free:
            return None
        candidate = free[0]
        self.used.add(candidate.pupil.pk)
        return fill_form(
            pathway, self.head, {"upn": candidate.pupil.upn}, self.as_of, until="pupil-details"
        )

    # --- choosing and sending ----------------------------------------------------------------
    def _free(self) -> list[OnRoll]:
        return [c for c in self.pupils if c.pupil.pk not in self.used]

    def _send_first(
        self,
        pathway: Pathway,
        candidates: Iterable[OnRoll],
        answers: Callable[[OnRoll], Answers],
    ) -> Submission | None:
        """Send the form about the first candidate for whom it passes every check and no
        condition blocks it; None when there is none."""
        for candidate in candidates:
            given = answers(candidate)
            if blocked(pathway, self.head, self.school, candidate.pupil, given, self.as_of):
                continue
            self.used.add(candidate.pupil.pk)
            with transaction.atomic():  # no half-filled draft left behind if sending fails
                draft = fill_form(pathway, self.head, given, self.as_of)
                return submit_form(pathway, self.head, draft, self.as_of)
        return None
