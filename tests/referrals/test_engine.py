"""The engine on a small pathway declared here: which questions apply (shown when, required
when, revealed by an option), reading the web and JSON alike, steps, requirements, pre-fill
and check your answers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import QueryDict

from referrals import errors
from referrals.engine import (
    REASONS_KEY,
    clean_answers,
    evaluate_requirements,
    first_incomplete_step,
    prefill_values,
    read_step,
    read_step_json,
    reason_errors,
    step_after,
    step_before,
    summary,
    validate_answers,
    visible_steps,
)
from referrals.engine.context import Context
from referrals.engine.definitions import (
    Audience,
    Choice,
    Equals,
    Field,
    Includes,
    Kind,
    OnFail,
    Outcome,
    Pathway,
    Requirement,
    Step,
    Subject,
)

TODAY = date(2025, 11, 28)

TOY = Pathway(
    number=99,
    slug="toy",
    title="Toy",
    summary="",
    subject=Subject.PUPIL,
    routing=(),
    audiences=frozenset({Audience.ANONYMOUS}),
    steps=(
        Step(
            "one",
            "One",
            (
                Field(
                    "kind",
                    "Kind",
                    kind=Kind.RADIOS,
                    choices=(Choice("a", "A", reveals=("detail",)), Choice("b", "B")),
                ),
                Field("detail", "Detail", error_required="Enter the detail"),
                Field(
                    "when",
                    "When",
                    kind=Kind.DATE,
                    required_when=Equals("kind", "b"),
                    error_required="Enter when",
                ),
            ),
        ),
        Step(
            "two",
            "Two",
            (
                Field(
                    "count",
                    "Count",
                    kind=Kind.INTEGER,
                    min_value=1,
                    max_value=5,
                    prefill="facts.count",
                ),
            ),
            shown_when=Equals("kind", "a"),
        ),
        Step(
            "three",
            "Three",
            (
                Field(
                    "flags",
                    "Flags",
                    kind=Kind.CHECKBOXES,
                    choices=(
                        Choice("x", "X"),
                        Choice("y", "Y"),
                        Choice("none", "None", exclusive=True),
                    ),
                ),
                Field(
                    "items",
                    "Items",
                    kind=Kind.GROUP,
                    item_label="Item",
                    min_items=1,
                    error_required="Add at least one item",
                    fields=(
                        Field("name", "Name", error_required="Enter the name"),
                        Field("ok", "OK", kind=Kind.YES_NO, required=False),
                    ),
                ),
            ),
        ),
    ),
    requirements=(
        Requirement(
            "not-y",
            "Y is not chosen",
            lambda ctx: (
                "y" not in (ctx.answers.get("flags") or []) if "flags" in ctx.answers else None
            ),
            OnFail.BLOCK,
            "Y cannot be chosen.",
            "test",
            field="flags",
        ),
        Requirement(
            "small",
            "Count is small",
            lambda ctx: None if "count" not in ctx.answers else ctx.answers["count"] < 3,
            OnFail.REASON,
            "Count is large.",
            "test",
        ),
        Requirement(
            "x-only-warns",
            "X is fine",
            lambda ctx: not Includes("flags", "x")(ctx),
            OnFail.WARN,
            "X is noted.",
            "test",
        ),
    ),
)
ONE, TWO, THREE = TOY.steps


def ctx(answers: dict[str, Any] | None = None) -> Context:
    return Context(answers=dict(answers or {}), user=None, today=TODAY)


def post(**data: Any) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key.replace("__", "-"), value if isinstance(value, list) else [value])
    return query


# --- required when, shown when, revealed ---------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected_errors"),
    [
        pytest.param({"kind": "b"}, {"when": "Enter when"}, id="when-required-when-b"),
        pytest.param({"kind": "a"}, {"detail": "Enter the detail"}, id="revealed-detail-required"),
        pytest.param({"kind": "a", "detail": "d"}, {}, id="a-needs-no-date"),
        pytest.param(
            {"kind": "b", "when": "2025-11-01", "detail": "ignored"},
            {},
            id="detail-ignored-under-b",
        ),
        pytest.param({}, {"kind": errors.SELECT_REQUIRED}, id="kind-required"),
        pytest.param({"kind": "c"}, {"kind": errors.CHOICE_UNKNOWN}, id="unknown-choice"),
    ],
)
def test_required_when_and_revealed_questions(given, expected_errors):  # type: ignore[no-untyped-def]
    result = read_step_json(TOY, ONE, given, ctx())
    assert result.errors == expected_errors
    if not expected_errors and given.get("kind") == "b":
        assert "detail" not in result.values  # a question that does not apply keeps nothing


def test_the_web_and_json_read_into_the_same_answers():  # type: ignore[no-untyped-def]
    web = read_step(
        TOY, ONE, post(kind="b", when__day="3", when__month="11", when__year="2025"), ctx()
    )
    api = read_step_json(TOY, ONE, {"kind": "b", "when": "2025-11-03"}, ctx())
    assert web.ok and api.ok
    assert web.values == api.values == {"kind": "b", "when": "2025-11-03"}


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "anchor"),
    [
        pytest.param(
            "3", "", "2025", "When must include a month", "#id_when-month", id="missing-month"
        ),
        pytest.param(
            "",
            "",
            "2025",
            "When must include a day and month",
            "#id_when-day",
            id="missing-day-and-month",
        ),
        pytest.param(
            "31", "2", "2025", "When must be a real date", "#id_when-day", id="not-a-real-date"
        ),
        pytest.param(
            "3",
            "11",
            "25",
            "When must include a year with 4 numbers",
            "#id_when-year",
            id="two-digit-year",
        ),
        pytest.param(
            "x", "11", "2025", "When must be a real date", "#id_when-day", id="not-numbers"
        ),
    ],
)
def test_date_errors_follow_the_design_system(day, month, year, message, anchor):  # type: ignore[no-untyped-def]
    result = read_step(
        TOY, ONE, post(kind="b", when__day=day, when__month=month, when__year=year), ctx()
    )
    assert result.error_list() == [(message, anchor)]
    assert result.raw["when"] == {"day": day, "month": month, "year": year}  # kept as typed


def test_numbers_are_checked_and_kept_as_typed():  # type: ignore[no-untyped-def]
    answers = {"kind": "a", "detail": "d"}
    too_many = read_step(TOY, TWO, post(count="9"), ctx(answers))
    assert too_many.errors == {"count": errors.INTEGER_MAX.format(label="Count", maximum=5)}
    words = read_step(TOY, TWO, post(count="three"), ctx(answers))
    assert words.errors == {"count": errors.INTEGER_FORMAT.format(label="Count")}
    assert words.raw["count"] == "three"


def test_an_exclusive_checkbox_stands_alone():  # type: ignore[no-untyped-def]
    result = read_step_json(TOY, THREE, {"flags": ["x", "none"], "items": [{"name": "n"}]}, ctx())
    assert result.errors == {"flags": errors.CHECKBOX_EXCLUSIVE.format(label="None")}


# --- lists of items -------------------------------------------------------------------------------
def test_a_list_drops_blank_items_and_checks_each_one():  # type: ignore[no-untyped-def]
    data = post(
        flags="x",
        **{
            "items-count": "3",
            "items-0-name": "First",
            "items-0-ok": "yes",
            "items-1-name": "",
            "items-2-name": "",
            "items-2-ok": "no",
        },
    )
    result = read_step(TOY, THREE, data, ctx())
    assert result.errors == {"items-2-name": "Enter the name"}
    assert result.error_list() == [("Item 3: Enter the name", "#id_items-2-name")]
    ok = read_step(
        TOY,
        THREE,
        post(flags="x", **{"items-count": "2", "items-0-name": "A", "items-1-name": ""}),
        ctx(),
    )
    assert ok.values["items"] == [{"name": "A", "ok": None}]


def test_a_list_needs_its_minimum():  # type: ignore[no-untyped-def]
    result = read_step_json(TOY, THREE, {"flags": ["x"], "items": []}, ctx())
    assert result.errors == {"items": "Add at least one item"}


# --- steps ----------------------------------------------------------------------------------------
def test_steps_follow_the_answers():  # type: ignore[no-untyped-def]
    under_a, under_b = ctx({"kind": "a"}), ctx({"kind": "b"})
    assert [s.slug for s in visible_steps(TOY, under_a)] == ["one", "two", "three"]
    assert [s.slug for s in visible_steps(TOY, under_b)] == ["one", "three"]
    assert step_after(TOY, under_b, "one").slug == "three"
    assert step_before(TOY, under_b, "three").slug == "one"
    assert step_after(TOY, under_b, "three") is None  # then check your answers


def test_a_changed_answer_sends_you_to_the_questions_it_opens():  # type: ignore[no-untyped-def]
    answers = {"kind": "b", "when": "2025-11-01", "flags": ["x"], "items": [{"name": "A"}]}
    assert first_incomplete_step(TOY, ctx(answers), ["one", "three"]) is None
    answers.update(kind="a", detail="d")  # now step two applies and has not been answered
    assert first_incomplete_step(TOY, ctx(answers), ["one", "three"]).slug == "two"


def test_answers_to_questions_that_no_longer_apply_are_not_kept():  # type: ignore[no-untyped-def]
    answers = {
        "kind": "b",
        "when": "2025-11-01",
        "detail": "old",
        "count": 2,
        "flags": ["x"],
        "items": [{"name": "A"}],
    }
    assert clean_answers(TOY, ctx(answers)) == {
        "kind": "b",
        "when": "2025-11-01",
        "flags": ["x"],
        "items": [{"name": "A"}],
    }


def test_validate_answers_collects_every_error_in_order():  # type: ignore[no-untyped-def]
    _clean, found = validate_answers(TOY, {"kind": "a", "count": 0}, ctx())
    assert list(found.errors) == ["detail", "count", "flags", "items"]


# --- requirements ---------------------------------------------------------------------------------
def test_a_blocking_requirement_on_a_question_is_an_error_on_it():  # type: ignore[no-untyped-def]
    result = read_step_json(TOY, THREE, {"flags": ["y"], "items": [{"name": "n"}]}, ctx())
    assert result.errors == {"flags": "Y cannot be chosen."}


def test_requirements_are_met_not_met_or_not_known_yet():  # type: ignore[no-untyped-def]
    outcomes = {r.requirement.id: r.outcome for r in evaluate_requirements(TOY, ctx({"count": 4}))}
    assert outcomes == {
        "not-y": Outcome.UNKNOWN,
        "small": Outcome.NOT_MET,
        "x-only-warns": Outcome.MET,
    }


def test_a_reason_is_asked_for_where_the_rules_allow_one():  # type: ignore[no-untyped-def]
    results = evaluate_requirements(TOY, ctx({"count": 4}))
    assert reason_errors(results) == {
        "small": errors.REASON_REQUIRED.format(condition="Count is large")
    }
    with_reason = evaluate_requirements(TOY, ctx({"count": 4, REASONS_KEY: {"small": "Why"}}))
    assert reason_errors(with_reason) == {}
    assert not any(r.blocks for r in with_reason)


# --- pre-fill and check your answers --------------------------------------------------------------
class Facts:
    count = 2


def test_prefill_fills_unanswered_questions_unless_the_pupil_changed(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(Context, "facts", property(lambda self: Facts()))
    assert prefill_values(TOY, ctx({}), overwrite=False) == {"count": 2}
    assert prefill_values(TOY, ctx({"count": 4}), overwrite=False) == {}
    assert prefill_values(TOY, ctx({"count": 4}), overwrite=True) == {"count": 2}


def test_check_your_answers_shows_each_answer_as_typed_by_a_person():  # type: ignore[no-untyped-def]
    answers = {
        "kind": "b",
        "when": "2025-11-03",
        "flags": ["x", "y"],
        "items": [{"name": "A", "ok": True}],
    }
    sections = summary(TOY, ctx(answers))
    assert [s.step.slug for s in sections] == ["one", "three"]
    rows = {row.key: row for section in sections for row in section.rows}
    assert rows["Kind"].lines == ("B",)
    assert rows["When"].lines == ("3 November 2025",)
    assert rows["Flags"].lines == ("X", "Y")
    assert rows["Items"].items == (("Item 1", (("Name", ("A",)), ("OK", ("Yes",)))),)
