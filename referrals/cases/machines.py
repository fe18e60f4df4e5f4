"""Each case kind's state machine, declared as data (run by referrals.cases.rules and the one
service). Sources: DOMAIN §6 (statutory), §9 and KSAH §22-23 (CME), §10 and KSAH §19
(exclusions), §11 and KSAH §18 (part-time), §7 and KSAH §13, §20, §21 (the simple ones).
"""

from __future__ import annotations

from typing import Final

from referrals.cases.rules import (
    CLOSE_REASON,
    CME_ENQUIRIES,
    CaseKind,
    Machine,
    Need,
    Transition,
    _date,
    _people,
    _text,
    enquiries_complete,
    ground_fits,
    no_part_time,
)

# --- statutory attendance intervention (KSAH §15 iv; DOMAIN §6) ------------------------------
OFFENCES: Final = (
    ("s444_1", "EA96 s.444(1): failure to secure regular attendance"),
    ("s444_1a", "EA96 s.444(1A): knowingly failing to secure regular attendance"),
)
COURT_OUTCOMES: Final = (
    ("eso_made", "Education supervision order made"),
    ("conviction", "Conviction and sentence"),
    ("parenting_order", "Parenting order"),
    ("acquittal", "Acquittal"),
    ("withdrawn", "Withdrawn"),
)
STATUTORY_OPEN: Final = (
    "requested",
    "aim_scheduled",
    "aim_held",
    "formal_warning",
    "final_warning",
    "pace_offered",
    "pace_held",
    "pace_declined",
    "courts",
    "eso_application",
    "prosecution",
    "outcome",
)
STATUTORY = Machine(
    kind=CaseKind.STATUTORY,
    source="KSAH §15 iv; DOMAIN §6; EA96 s.444(1), (1A), s.447 (ESO)",
    states=(
        ("requested", "Requested"),
        ("aim_scheduled", "AIM scheduled"),
        ("aim_held", "AIM held, agreement recorded"),
        ("formal_warning", "Formal warning letter sent"),
        ("final_warning", "Final warning letter sent"),
        ("pace_offered", "PACE interview offered"),
        ("pace_held", "PACE interview held"),
        ("pace_declined", "PACE interview declined"),
        ("courts", "Passed to the Courts Team"),
        ("eso_application", "ESO application"),
        ("prosecution", "Prosecution"),
        ("outcome", "Outcome recorded"),
        ("closed", "Closed"),
    ),
    initial="requested",
    transitions=(
        Transition(
            "schedule_aim",
            "Schedule the attendance improvement meeting",
            ("requested", "aim_scheduled"),
            "aim_scheduled",
            needs=(_date("meeting_on", "the meeting date"), _people("invited", "who is invited")),
            guards=(no_part_time,),
            event="meeting",
        ),
        Transition(
            "hold_aim",
            "Record the attendance improvement meeting",
            ("aim_scheduled",),
            "aim_held",
            needs=(
                _date("held_on", "the date the meeting was held"),
                _people(),
                _text("agreement", "the attendance improvement agreement"),
            ),
            guards=(no_part_time,),
            event="meeting",
        ),
        Transition(
            "send_formal_warning",
            "Send the formal warning letter",
            ("aim_held",),
            "formal_warning",
            needs=(_date("sent_on", "the date the letter is sent"),),
            guards=(no_part_time,),
            event="letter",
            letter="cases.formal_warning",
        ),
        Transition(
            "send_final_warning",
            "Send the final warning letter",
            ("formal_warning",),
            "final_warning",
            needs=(_date("sent_on", "the date the letter is sent"),),
            guards=(no_part_time,),
            event="letter",
            letter="cases.final_warning",
        ),
        Transition(
            "offer_pace",
            "Offer a PACE interview under caution",
            ("final_warning",),
            "pace_offered",
            needs=(_date("interview_on", "the interview date"),),
            guards=(no_part_time,),
            event="meeting",
        ),
        Transition(
            "hold_pace",
            "Record the PACE interview",
            ("pace_offered",),
            "pace_held",
            needs=(
                _date("held_on", "the date the interview was held"),
                _people(),
                _text("record", "the record of the interview"),
            ),
            event="meeting",
        ),
        Transition(
            "decline_pace",
            "Record that the PACE interview was declined",
            ("pace_offered",),
            "pace_declined",
            needs=(_date("declined_on", "the date it was declined"),),
        ),
        Transition(
            "pass_to_courts",
            "Pass to the Courts Team",
            ("pace_held", "pace_declined"),
            "courts",
            needs=(_date("passed_on", "the date passed"),),
            guards=(no_part_time,),
        ),
        Transition(
            "apply_eso",
            "Apply for an education supervision order",
            ("courts",),
            "eso_application",
            needs=(_date("applied_on", "the application date"),),
            guards=(no_part_time,),
        ),
        Transition(
            "prosecute",
            "Prosecute",
            ("courts",),
            "prosecution",
            needs=(
                Need("offence", "the offence", "choice", OFFENCES),
                _date("laid_on", "the date the information was laid"),
            ),
            guards=(no_part_time,),
        ),
        Transition(
            "record_outcome",
            "Record the outcome",
            ("eso_application", "prosecution"),
            "outcome",
            needs=(
                Need("outcome", "the outcome", "choice", COURT_OUTCOMES),
                _date("outcome_on", "the date of the outcome"),
                _text("sentence", "the sentence", optional=True),
            ),
        ),
        # The officer may close at any step (e.g. when closure is proposed: no unauthorised
        # absence in the most recent 20 school days).
        Transition("close", "Close", STATUTORY_OPEN, "closed", needs=(CLOSE_REASON,)),
    ),
)

# --- children missing education (DOMAIN §9; KSAH §22-23) -------------------------------------
LOCATED_AS: Final = (
    ("new_school", "At a new school"),
    ("new_address", "At a new address"),
    ("another_la", "In another local authority"),
    ("abroad", "Abroad"),
)
GROUNDS: Final = (
    ("1a", "1(a) registered at another school"),
    ("1g", "1(g) no longer lives a reasonable distance away"),
    ("1h", "1(h) not returned within 10 school days after leave"),
    ("1i", "1(i) continuously absent 20 school days after joint enquiries"),
    ("3c", "3(c) continuously absent 20 school days (not of compulsory school age)"),
)
CME = Machine(
    kind=CaseKind.CME,
    source="KSAH §22-23; DOMAIN §9; Education (Pupil Registration) (England) Regs 2024 reg 9",
    states=(
        ("referred", "Referred"),
        ("enquiries", "Enquiries under way"),
        ("located", "Located"),
        ("not_located", "Not located"),
        ("deletion_advised", "School advised to delete"),
        ("closed", "Closed"),
    ),
    initial="referred",
    transitions=(
        Transition("start_enquiries", "Start enquiries", ("referred",), "enquiries"),
        Transition(
            "record_enquiry",
            "Record an enquiry",
            ("enquiries",),
            "enquiries",
            needs=(
                Need("check", "the enquiry", "choice", CME_ENQUIRIES),
                _date("done_on", "the date of the enquiry"),
                _text("finding", "what was found", optional=True),
            ),
        ),
        Transition(
            "locate",
            "Record the child as located",
            ("enquiries",),
            "located",
            needs=(
                Need("located_as", "where the child was found", "choice", LOCATED_AS),
                _date("located_on", "the date located"),
            ),
        ),
        Transition(
            "not_locate",
            "Record the child as not located",
            ("enquiries",),
            "not_located",
            guards=(enquiries_complete,),
        ),
        Transition(
            "advise_deletion",
            "Advise the school to delete",
            ("located", "not_located"),
            "deletion_advised",
            needs=(
                Need("ground", "the deletion ground", "choice", GROUNDS),
                _date("confirmed_on", "the date the authority confirmed enquiries complete"),
            ),
            guards=(ground_fits,),
        ),
        Transition(
            "close",
            "Close",
            ("referred", "enquiries", "located", "deletion_advised"),
            "closed",
            needs=(CLOSE_REASON,),
        ),
    ),
)

# --- suspensions and permanent exclusions (DOMAIN §10; KSAH §19) ----------------------------
GOVERNORS_DECISIONS: Final = (("upheld", "Upheld"), ("reinstated", "Reinstated"))
NOTICE_BY: Final = (("post", "By post"), ("hand", "By hand or email"))
EXCLUSION = Machine(
    kind=CaseKind.EXCLUSION,
    source="KSAH §19; DOMAIN §10; SI 2012/1033 reg 24",
    states=(
        ("notified", "Notified"),
        ("provision", "Day-6 provision in place"),
        ("governors", "Governors' decision recorded"),
        ("review", "Independent review requested"),
        ("closed", "Closed"),
    ),
    initial="notified",
    transitions=(
        # Parents' representations bring the 50-school-day governors' clock (reg 24).
        Transition(
            "record_representations",
            "Record the parents' representations",
            ("notified",),
            "notified",
            needs=(_date("made_on", "the date the representations were made"),),
        ),
        Transition(
            "record_provision",
            "Record the day-6 provision",
            ("notified",),
            "provision",
            needs=(_date("from_on", "the date provision starts"), _text("provider", "provider")),
        ),
        Transition(
            "record_governors",
            "Record the governors' decision",
            ("notified", "provision"),
            "governors",
            needs=(
                _date("met_on", "the date the governors met"),
                Need("decision", "the decision", "choice", GOVERNORS_DECISIONS),
                _date("notice_given_on", "the date the parents were given notice in writing"),
                Need("notice_by", "how the notice was given", "choice", NOTICE_BY),
            ),
            event="meeting",
        ),
        Transition(
            "request_review",
            "Record a request for an independent review",
            ("governors",),
            "review",
            needs=(_date("requested_on", "the date the review was requested"),),
        ),
        Transition(
            "close",
            "Close",
            ("notified", "provision", "governors", "review"),
            "closed",
            needs=(CLOSE_REASON,),
        ),
    ),
)

# --- part-time timetables (DOMAIN §11; KSAH §18) ----------------------------------------------
PART_TIME = Machine(
    kind=CaseKind.PART_TIME,
    source="KSAH §18; DOMAIN §11",
    states=(("active", "On a part-time timetable"), ("closed", "Returned full time")),
    initial="active",
    transitions=(
        Transition(
            "review",
            "Record a review",
            ("active",),
            "active",
            needs=(
                _date("reviewed_on", "the review date"),
                _date("next_review_on", "the next review date"),
                _date("end_on", "the proposed end date", optional=True),
            ),
            event="meeting",
        ),
        Transition(
            "return_full_time",
            "Record the return to full time",
            ("active",),
            "closed",
            needs=(_date("returned_on", "the date of the return to full time"),),
        ),
    ),
)


# --- the simple ones: accept -> meeting or advice recorded -> closed (DOMAIN §7) -----------------
def _simple(kind: str, source: str, what: str) -> Machine:
    return Machine(
        kind=kind,
        source=source,
        states=(("accepted", "Accepted"), ("recorded", f"{what} recorded"), ("closed", "Closed")),
        initial="accepted",
        transitions=(
            Transition(
                "record",
                f"Record the {what.lower()}",
                ("accepted",),
                "recorded",
                needs=(_date("recorded_on", "the date"), _text("summary", "a summary")),
                event="meeting" if what == "Meeting" else "transition",
            ),
            Transition("close", "Close", ("recorded",), "closed", needs=(CLOSE_REASON,)),
        ),
    )


MACHINES: Final[dict[str, Machine]] = {
    machine.kind: machine
    for machine in (
        STATUTORY,
        CME,
        EXCLUSION,
        PART_TIME,
        _simple(CaseKind.FORMAL_MEETING, "KSAH §13; DOMAIN §7 (5)", "Meeting"),
        _simple(CaseKind.PRU, "KSAH §20; DOMAIN §7 (8)", "Decision"),
        _simple(CaseKind.EXCLUSION_ADVICE, "KSAH §19; DOMAIN §7 (9)", "Advice"),
        _simple(CaseKind.PROFESSIONAL, "KSAH §21; DOMAIN §7 (11)", "Advice"),
    )
}


def machine_for(kind: str) -> Machine:
    return MACHINES[kind]
