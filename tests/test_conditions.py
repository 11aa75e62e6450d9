"""Every operator on every question type, with the unanswered / don't-know / hidden semantics."""

from __future__ import annotations

import pytest

from riskwizard.answers import Answer
from riskwizard.engine import AnswerView, evaluate
from riskwizard.errors import RiskwizardError
from riskwizard.loader import load_questionnaire_text

QUESTIONS = """
      - {id: s, type: single, prompt: S, options: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]}
      - {id: m, type: multi, prompt: M, options: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]}
      - {id: y, type: yesno, prompt: Y}
      - {id: t, type: text, prompt: T}
      - {id: n, type: number, prompt: N, min: 0, max: 1000}
      - {id: p, type: percent, prompt: P}
      - id: g
        type: group
        prompt: G
        fields:
          - {id: name, type: text, prompt: Name}
          - {id: sev, type: number, prompt: Severity}
"""


def spec_with(condition: str, extra_rules: str = ""):
    text = f"""
id: ops
version: "1.0"
title: Ops
description: Operator tests.
sources: [{{id: s, citation: c}}]
sections:
  - id: main
    title: Main
    questions:
{QUESTIONS}
rules:
  - id: r
    when: {condition}
    flags: [fired]
{extra_rules}
"""
    return load_questionnaire_text(text, "ops.yaml")


def fires(condition: str, **answers: object) -> bool:
    spec = spec_with(condition)
    built = {k: (v if isinstance(v, Answer) else Answer(value=v)) for k, v in answers.items()}
    return "fired" in evaluate(spec, built).flags


DK = Answer(unknown=True)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        # single
        ('{q: s, op: eq, value: a}', {"s": "a"}, True),
        ('{q: s, op: eq, value: a}', {"s": "b"}, False),
        ('{q: s, op: ne, value: a}', {"s": "b"}, True),
        ('{q: s, op: ne, value: a}', {"s": "a"}, False),
        ('{q: s, op: in, value: [a, b]}', {"s": "b"}, True),
        ('{q: s, op: in, value: [a, b]}', {"s": "c"}, False),
        ('{q: s, op: not_in, value: [a, b]}', {"s": "c"}, True),
        ('{q: s, op: not_in, value: [a, b]}', {"s": "a"}, False),
        ('{q: s, op: answered}', {"s": "a"}, True),
        ('{q: s, op: answered}', {"s": DK}, False),
        ('{q: s, op: unknown}', {"s": DK}, True),
        ('{q: s, op: unknown}', {}, False),
        # comparisons on unanswered / don't know are false, even ne
        ('{q: s, op: ne, value: a}', {}, False),
        ('{q: s, op: ne, value: a}', {"s": DK}, False),
        # multi
        ('{q: m, op: contains, value: a}', {"m": ["a", "b"]}, True),
        ('{q: m, op: contains, value: c}', {"m": ["a", "b"]}, False),
        ('{q: m, op: not_contains, value: c}', {"m": ["a"]}, True),
        ('{q: m, op: not_contains, value: a}', {"m": ["a"]}, False),
        ('{q: m, op: contains_any, value: [b, c]}', {"m": ["c"]}, True),
        ('{q: m, op: contains_any, value: [b, c]}', {"m": ["a"]}, False),
        ('{q: m, op: contains_any, value: [b, c]}', {"m": []}, False),
        ('{q: m, op: answered}', {"m": []}, True),
        ('{q: m, op: unknown}', {"m": DK}, True),
        # yes/no
        ('{q: y, op: eq, value: "yes"}', {"y": "yes"}, True),
        ('{q: y, op: eq, value: "yes"}', {"y": "no"}, False),
        ('{q: y, op: ne, value: "yes"}', {"y": "no"}, True),
        ('{q: y, op: unknown}', {"y": DK}, True),
        ('{q: y, op: answered}', {"y": "no"}, True),
        # text
        ('{q: t, op: eq, value: "Hello"}', {"t": " hello "}, True),
        ('{q: t, op: ne, value: "Hello"}', {"t": "bye"}, True),
        ('{q: t, op: contains, value: "CAT"}', {"t": "concatenate"}, True),
        ('{q: t, op: contains, value: "dog"}', {"t": "concatenate"}, False),
        ('{q: t, op: answered}', {"t": "x"}, True),
        # number
        ('{q: n, op: eq, value: 5}', {"n": 5}, True),
        ('{q: n, op: ne, value: 5}', {"n": 6}, True),
        ('{q: n, op: lt, value: 5}', {"n": 4.9}, True),
        ('{q: n, op: lt, value: 5}', {"n": 5}, False),
        ('{q: n, op: le, value: 5}', {"n": 5}, True),
        ('{q: n, op: gt, value: 5}', {"n": 5}, False),
        ('{q: n, op: gt, value: 5}', {"n": 5.1}, True),
        ('{q: n, op: ge, value: 5}', {"n": 5}, True),
        ('{q: n, op: in, value: [1, 2]}', {"n": 2}, True),
        ('{q: n, op: in, value: [1, 2]}', {"n": 3}, False),
        ('{q: n, op: unknown}', {"n": DK}, True),
        # percent
        ('{q: p, op: ge, value: 50}', {"p": 50}, True),
        ('{q: p, op: lt, value: 50}', {"p": 50}, False),
        ('{q: p, op: answered}', {"p": 0}, True),
        # group: row counts and row quantifiers
        ('{q: g, op: ge, value: 2}', {"g": [{"name": "x"}, {"name": "y"}]}, True),
        ('{q: g, op: gt, value: 2}', {"g": [{"name": "x"}, {"name": "y"}]}, False),
        ('{q: g, op: answered}', {"g": [{"name": "x"}]}, True),
        ('{any_row: g, where: {q: sev, op: ge, value: 4}}', {"g": [{"sev": 1}, {"sev": 4}]}, True),
        ('{any_row: g, where: {q: sev, op: ge, value: 4}}', {"g": [{"sev": 1}]}, False),
        ('{all_rows: g, where: {q: sev, op: ge, value: 4}}', {"g": [{"sev": 5}, {"sev": 4}]}, True),
        ('{all_rows: g, where: {q: sev, op: ge, value: 4}}', {"g": [{"sev": 5}, {"sev": 1}]}, False),
        ('{all_rows: g, where: {q: sev, op: ge, value: 4}}', {"g": []}, False),
        ('{any_row: g, where: {q: sev, op: unknown}}', {"g": [{"sev": None}]}, True),
        ('{any_row: g, where: {q: sev, op: answered}}', {"g": [{"name": "no severity"}]}, False),
        # combinators
        ('{all: [{q: s, op: eq, value: a}, {q: y, op: eq, value: "yes"}]}', {"s": "a", "y": "yes"}, True),
        ('{all: [{q: s, op: eq, value: a}, {q: y, op: eq, value: "yes"}]}', {"s": "a", "y": "no"}, False),
        ('{any: [{q: s, op: eq, value: a}, {q: y, op: eq, value: "yes"}]}', {"s": "b", "y": "yes"}, True),
        ('{any: [{q: s, op: eq, value: a}, {q: y, op: eq, value: "yes"}]}', {"s": "b", "y": "no"}, False),
        ('{not: {q: s, op: eq, value: a}}', {"s": "b"}, True),
        ('{not: {q: s, op: eq, value: a}}', {"s": "a"}, False),
    ],
)
def test_operator(condition: str, answers: dict[str, object], expected: bool) -> None:
    assert fires(condition, **answers) is expected


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('{q: m, op: eq, value: a}', "operator `eq` is not valid for `m` (a multi question)"),
        ('{q: n, op: contains, value: 1}', "operator `contains` is not valid for `n`"),
        ('{q: y, op: lt, value: "yes"}', "operator `lt` is not valid for `y`"),
        ('{q: g, op: contains, value: x}', "operator `contains` is not valid for `g`"),
        ('{q: n, op: gt, value: "5"}', "expected a number for `n`"),
        ('{q: s, op: in, value: a}', "`in` needs a non-empty list of options"),
        ('{q: s, op: answered, value: a}', "`answered` takes no value"),
        ('{q: s, op: eq}', "operator `eq` needs a `value`"),
        ('{q: s}', "missing operator for `s`"),
        ('{all: []}', "`all` needs a non-empty list of conditions"),
        ('{all: [{q: s, op: answered}], any: [{q: s, op: answered}]}', "must be the only key"),
        ('{foo: 1}', "unknown condition keys ['foo']"),
        ('{any_row: s, where: {q: s, op: answered}}', "not a repeatable group question"),
        ('{any_row: g, where: {q: s, op: answered}}', "unknown question id `s`"),
        ('{derived: x.y, op: gt, value: 1}', "unknown derived value `x.y`"),
        ('{q: t, op: eq, value: 3}', "expected text for `t`"),
    ],
)
def test_invalid_condition_is_a_load_error(condition: str, message: str) -> None:
    with pytest.raises(RiskwizardError) as info:
        spec_with(condition)
    assert message in str(info.value)
    assert "ops.yaml:" in str(info.value)


def test_hidden_questions_never_contribute() -> None:
    text = """
id: hide
version: "1.0"
title: Hidden
description: d
sources: [{id: s, citation: c}]
sections:
  - id: main
    title: Main
    questions:
      - {id: gate, type: yesno, prompt: Gate}
      - {id: inner, type: yesno, prompt: Inner, when: {q: gate, op: eq, value: "yes"}}
      - {id: deeper, type: yesno, prompt: Deeper, when: {q: inner, op: eq, value: "yes"}}
  - id: later
    title: Later
    when: {q: gate, op: eq, value: "yes"}
    questions:
      - {id: sec_q, type: yesno, prompt: In hidden section}
rules:
  - {id: inner_rule, when: {q: inner, op: eq, value: "yes"}, flags: [inner]}
  - {id: deeper_rule, when: {q: deeper, op: eq, value: "yes"}, flags: [deeper]}
  - {id: section_rule, when: {q: sec_q, op: eq, value: "yes"}, flags: [section]}
"""
    spec = load_questionnaire_text(text, "hide.yaml")
    answers = {k: Answer(value="yes") for k in ("gate", "inner", "deeper", "sec_q")}
    assert set(evaluate(spec, answers).flags) == {"inner", "deeper", "section"}
    answers["gate"] = Answer(value="no")
    result = evaluate(spec, answers)
    assert result.flags == []  # stale answers of hidden questions (and what depends on them) are ignored
    view = AnswerView(spec, answers)
    assert [q.id for q in view.visible_questions()] == ["gate"]
    assert result.visible == 1 and result.answered == 1


def test_score_conditions_run_after_scores() -> None:
    spec = spec_with(
        "{score: total, op: ge, value: 3}",
        extra_rules="""  - {id: add2, when: {q: y, op: eq, value: "yes"}, score: {total: 2}}
  - {id: add1, when: {q: s, op: eq, value: a}, score: {total: 1}}
dimensions: [{id: total, title: Total}]""",
    )
    result = evaluate(spec, {"y": Answer(value="yes"), "s": Answer(value="a")})
    assert "fired" in result.flags
    assert [t.rule_id for t in result.trace] == ["r", "add2", "add1"]  # file order, though r ran last
    assert "fired" not in evaluate(spec, {"y": Answer(value="yes")}).flags


def test_score_condition_in_scoring_rule_is_rejected() -> None:
    with pytest.raises(RiskwizardError) as info:
        spec_with("{score: total, op: ge, value: 3}\n    score: {total: 1}",
                  extra_rules="dimensions: [{id: total, title: Total}]")
    assert "score conditions are only allowed" in str(info.value)
