"""Tiers, scores, findings, obligations, trace and the what-would-change helper."""

from __future__ import annotations

from riskwizard.answers import Answer
from riskwizard.engine import evaluate
from riskwizard.loader import load_questionnaire_text
from riskwizard.whatif import what_would_change

TIERED = """
id: tiered
version: "1.0"
title: Tiered
description: d
sources: [{{id: s, citation: c}}]
sections:
  - id: main
    title: Main
    questions:
      - {{id: a, type: yesno, prompt: A}}
      - {{id: b, type: yesno, prompt: B}}
      - id: role
        type: single
        prompt: Role
        options: [{{value: provider, label: P}}, {{value: deployer, label: D}}]
outcome:
  mode: {mode}
  levels: [{{id: top, title: Top}}, {{id: mid, title: Mid}}, {{id: low, title: Low}}]
  default: low
rules:
  - {{id: rule_mid, when: {{q: a, op: eq, value: "yes"}}, tier: mid, reason: A is yes}}
  - {{id: rule_top, when: {{q: b, op: eq, value: "yes"}}, tier: top, reason: B is yes,
     finding: {{severity: high, title: B, explanation: e, recommendation: r, citation: "Art 1"}}}}
obligations:
  - {{id: top_provider, title: TP, text: t, citation: c, tiers: [top], when: {{q: role, op: eq, value: provider}},
     applies_from: "2026-08-02", date_source: "Art 113"}}
  - {{id: any_tier, title: Any, text: t, citation: c}}
"""


def spec(mode: str):
    return load_questionnaire_text(TIERED.format(mode=mode), "tiered.yaml")


YES = Answer(value="yes")


def test_first_match_takes_the_first_rule_in_file_order() -> None:
    result = evaluate(spec("first_match"), {"a": YES, "b": YES})
    assert result.tier.id == "mid"
    assert result.tier.rule_id == "rule_mid"
    assert result.tier.reason == "A is yes"


def test_max_takes_the_most_serious_level() -> None:
    result = evaluate(spec("max"), {"a": YES, "b": YES})
    assert result.tier.id == "top"


def test_default_tier_when_no_rule_fires() -> None:
    result = evaluate(spec("max"), {})
    assert result.tier.id == "low" and result.tier.rule_id is None


def test_obligations_follow_tier_and_role() -> None:
    s = spec("max")
    provider = evaluate(s, {"b": YES, "role": Answer(value="provider")})
    deployer = evaluate(s, {"b": YES, "role": Answer(value="deployer")})
    assert [o.id for o in provider.obligations] == ["top_provider", "any_tier"]
    assert provider.obligations[0].applies_from == "2026-08-02"
    assert [o.id for o in deployer.obligations] == ["any_tier"]


def test_trace_names_rule_and_answers() -> None:
    result = evaluate(spec("max"), {"a": YES, "b": Answer(value="no")})
    assert [t.rule_id for t in result.trace] == ["rule_mid"]
    entry = result.trace[0]
    assert entry.effects == ["tier=mid"]
    assert [(e.ref, e.shown) for e in entry.evidence] == [("a", "Yes")]


def test_open_questions_separate_unknown_and_unanswered() -> None:
    result = evaluate(spec("max"), {"a": Answer(unknown=True)})
    statuses = {q.id: q.status for q in result.open_questions}
    assert statuses == {"a": "unknown", "b": "unanswered", "role": "unanswered"}


def test_what_would_change_lists_tier_moving_answers() -> None:
    s = spec("max")
    changes = what_would_change(s, {"a": YES, "b": Answer(value="no")})
    by_q = {c.question_id: c for c in changes}
    assert by_q["a"].new_tier == "low"
    assert by_q["b"].new_tier == "top" and by_q["b"].alternative == "Yes"
    assert "role" not in by_q  # role only affects obligations, never the tier


def test_findings_sorted_by_severity_and_carry_citation(mini) -> None:
    answers = {"kind": Answer(value="scorer"), "people": YES}
    result = evaluate(mini, answers)
    assert result.findings[0].citation == "z"
    assert result.findings[0].severity == "high"


def test_expected_errors_derived_values(mini) -> None:
    # 99% accuracy (1% error each way) on 10 million items -> 100,000 errors
    answers = {"users": Answer(value=10_000_000), "base": Answer(value=10.0), "fpr": Answer(value=1.0)}
    result = evaluate(mini, answers)
    assert round(result.derived["err.errors"]) == 100_000
    assert round(result.derived["err.fp"]) == 90_000
    assert round(result.derived["err.fn"]) == 10_000
    assert "many_errors" in result.flags


def test_blank_text_is_an_open_question_not_an_answer(mini) -> None:
    base = {"kind": Answer(value="scorer"), "people": YES}
    blank = evaluate(mini, {**base, "notes": Answer(value="  \n ")})
    filled = evaluate(mini, {**base, "notes": Answer(value="see the DPIA")})
    assert "notes" in {q.id for q in blank.open_questions}
    assert "notes" not in {q.id for q in filled.open_questions}


def test_a_derived_value_that_was_not_computed_is_said_so_in_the_trace() -> None:
    """Evidence for a derived value with no figure reads "not computed", not "unknown" (a "don't know")."""
    from riskwizard.assessment import open_assessment
    from riskwizard.loader import samples_dir

    result = open_assessment(samples_dir() / "llm-paper.yaml").evaluate().result("neurips-broader-impact")
    entry = next(t for t in result.trace if t.rule_id == "emissions_estimated")
    shown = {e.ref: e.shown for e in entry.evidence}
    assert shown["co2.measured"] == "not computed"  # estimated, so the measurement output does not exist
    assert shown["co2.co2_kg"] == "32,772.1"
