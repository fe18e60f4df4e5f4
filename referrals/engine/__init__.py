"""The one engine every Digital Front Door pathway runs on (STYLE habit 9).

Given a declared `Pathway` and a `Context` (the answers so far, who is filling it in, the
pupil and school from the register), the engine says which steps and questions apply
(`steps`), reads and checks a page of answers from the browser or a whole set from the API
with the same rules (`reading`), evaluates the pathway's requirements (`requirements`),
pre-fills from the register and lays out check your answers (`answers`). Views, services
and the API call it; it never writes.
"""

from referrals.engine.anchors import input_id
from referrals.engine.answers import (
    SummaryRow,
    SummarySection,
    clean_answers,
    describe_pathway,
    prefill_values,
    resolve_prefill,
    summary,
)
from referrals.engine.context import REASONS_KEY, Lookups, PriorSubmission, PupilLookup
from referrals.engine.reading import (
    StepResult,
    first_incomplete_step,
    group_rows_from_post,
    read_step,
    read_step_json,
    step_complete,
    validate_answers,
)
from referrals.engine.requirements import RequirementResult, evaluate_requirements, reason_errors
from referrals.engine.steps import (
    field_shown,
    intro_for,
    step_after,
    step_before,
    step_shown,
    visible_fields,
    visible_steps,
)

__all__ = [
    "REASONS_KEY",
    "Lookups",
    "PriorSubmission",
    "PupilLookup",
    "RequirementResult",
    "StepResult",
    "SummaryRow",
    "SummarySection",
    "clean_answers",
    "describe_pathway",
    "evaluate_requirements",
    "field_shown",
    "first_incomplete_step",
    "group_rows_from_post",
    "input_id",
    "intro_for",
    "prefill_values",
    "read_step",
    "read_step_json",
    "reason_errors",
    "resolve_prefill",
    "step_after",
    "step_before",
    "step_complete",
    "step_shown",
    "summary",
    "validate_answers",
    "visible_fields",
    "visible_steps",
]
