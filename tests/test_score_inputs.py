"""Calculators fed by dimension scores (`{score: DIM}` / `{max: DIM}` inputs) and `mitigated_impact`."""

from __future__ import annotations

import math

import pytest

from riskwizard.answers import Answer
from riskwizard.calc import mitigated_impact, run_calculator
from riskwizard.engine import evaluate
from riskwizard.errors import RiskwizardError
from riskwizard.loader import load_questionnaire_text

# raw: a (4) + b (6) = max 10; mitigation: m1 (2) + m2 (2) + m3 (1) = max 5
MINI = """
id: mini-aia
version: "1.0"
title: Mini AIA
description: d
sources: [{id: s, citation: c}]
sections:
  - id: main
    title: Main
    questions:
      - {id: a, type: yesno, prompt: A}
      - {id: b, type: yesno, prompt: B}
      - {id: m1, type: yesno, prompt: M1}
      - {id: m2, type: yesno, prompt: M2}
      - {id: m3, type: yesno, prompt: M3}
dimensions:
  - {id: raw, title: Raw, max: 10}
  - {id: mit, title: Mitigation, max: 5}
derived:
  - id: aia
    fn: mitigated_impact
    inputs: {raw: {score: raw}, raw_max: {max: raw}, mitigation: {score: mit}, mitigation_max: {max: mit}}
outcome:
  levels: [{id: high, title: High}, {id: low, title: Low}]
  default: low
rules:
  - {id: a_yes, when: {q: a, op: eq, value: "yes"}, score: {raw: 4}}
  - {id: b_yes, when: {q: b, op: eq, value: "yes"}, score: {raw: 6}}
  - {id: high, when: {derived: aia.percent, op: gt, value: 50}, tier: high, reason: over half}
  - {id: m1_yes, when: {q: m1, op: eq, value: "yes"}, score: {mit: 2}}
  - {id: m2_yes, when: {q: m2, op: eq, value: "yes"}, score: {mit: 2}}
  - {id: m3_yes, when: {q: m3, op: eq, value: "yes"}, score: {mit: 1}}
  - {id: credit, when: {derived: aia.reduced, op: eq, value: 1}, flags: [mitigation_credit]}
"""

YES, NO = Answer(value="yes"), Answer(value="no")


def _spec(text: str = MINI):
    return load_questionnaire_text(text, "mini-aia.yaml")


def test_score_inputs_are_read_after_every_scoring_rule() -> None:
    # the tier rule comes before the mitigation rules in the file, yet sees their sum
    spec = _spec()
    assert spec.score_derived == {"aia"}
    assert "high" in spec.late_rules and "credit" in spec.late_rules
    result = evaluate(spec, {"a": YES, "b": YES, "m1": YES, "m2": YES, "m3": NO})
    assert result.scores == {"raw": 10.0, "mit": 4.0}
    assert result.derived["aia.mitigation_percent"] == 80.0
    assert result.derived["aia.reduced"] == 1.0
    assert result.derived["aia.current"] == 9.0  # 8.5 rounds half up
    assert result.derived["aia.percent"] == 90.0
    assert "mitigation_credit" in result.flags
    assert result.tier.id == "high"
    evidence = next(t for t in result.trace if t.rule_id == "high").evidence
    assert [(e.ref, e.shown) for e in evidence] == [("aia.percent", "90")]


def test_exactly_80_percent_reduces_and_just_below_does_not() -> None:
    spec = _spec()
    # b only: raw 6 of 10 = 60 %; with 4 of 5 mitigation (exactly 80 %) 6 x 0.85 = 5.1 -> 5 = 50 %
    at_80 = evaluate(spec, {"b": YES, "m1": YES, "m2": YES})
    assert at_80.derived["aia.current"] == 5.0 and at_80.derived["aia.percent"] == 50.0
    assert at_80.tier.id == "low"  # 50 % is not more than half
    below = evaluate(spec, {"b": YES, "m1": YES, "m3": YES})  # 3 of 5 = 60 %
    assert below.derived["aia.reduced"] == 0.0 and below.derived["aia.current"] == 6.0
    assert below.tier.id == "high"
    assert "mitigation_credit" not in below.flags


def test_nothing_answered_gives_zero_scores_not_unknown() -> None:
    result = evaluate(_spec(), {})
    assert result.derived["aia.current"] == 0.0
    assert result.derived["aia.reduced"] == 0.0
    assert result.tier.id == "low"


@pytest.mark.parametrize("raw", range(0, 168))
def test_exact_arithmetic_matches_the_tools_floating_point(raw: int) -> None:
    # the AIA tool computes Math.round((1 - 0.15) * raw) in doubles; JS Math.round rounds .5 up
    tool = math.floor((1 - 0.15) * raw + 0.5)
    ours = mitigated_impact({"raw": raw, "raw_max": 167, "mitigation": 62, "mitigation_max": 77})
    assert ours["current"] == tool
    assert ours["reduction"] == raw - tool


def test_mitigation_threshold_for_the_aia_maximum() -> None:
    # 80 % of 77 is 61.6: 62 points give the reduction, 61 do not
    def reduced(m: int) -> float:
        return mitigated_impact({"raw": 100, "raw_max": 167, "mitigation": m, "mitigation_max": 77})["reduced"]

    assert reduced(62) == 1.0 and reduced(61) == 0.0


def test_non_positive_maximum_gives_no_value() -> None:
    assert run_calculator("mitigated_impact", {"raw": 1, "raw_max": 0, "mitigation": 1, "mitigation_max": 5}) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("raw_max: {max: raw}", "raw_max: {max: nope}"), "names unknown dimension `nope`"),
        (("{id: raw, title: Raw, max: 10}", "{id: raw, title: Raw}"), "reads the max of `raw`, which declares none"),
        (("raw: {score: raw}, raw_max", "raw: {score: raw, max: raw}, raw_max"), "an input is a question id"),
        (("{id: m3, type: yesno, prompt: M3}", "{id: m3, type: yesno, prompt: M3, when: {derived: aia.percent, "
                                               "op: gt, value: 1}}"), "is computed from scores"),
        (("when: {q: m3, op: eq, value: \"yes\"}, score: {mit: 1}",
          "when: {derived: aia.current, op: gt, value: 1}, score: {mit: 1}"), "is computed from scores"),
    ],
)
def test_bad_score_inputs_are_load_errors_with_a_line(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in MINI
    with pytest.raises(RiskwizardError) as info:
        _spec(MINI.replace(old, new))
    text = str(info.value)
    assert message in text, text
    assert "mini-aia.yaml:" in text and "fix:" in text


def test_a_dimension_cannot_feed_a_choice_input() -> None:
    text = MINI.replace("fn: mitigated_impact", "fn: energy").replace(
        "inputs: {raw: {score: raw}, raw_max: {max: raw}, mitigation: {score: mit}, mitigation_max: {max: mit}}",
        "inputs: {gpu: {score: raw}, hours: {score: raw}, region: {score: raw}}")
    text = text.replace("{derived: aia.percent, op: gt, value: 50}", "{score: raw, op: gt, value: 5}")
    text = text.replace("{derived: aia.reduced, op: eq, value: 1}", "{score: mit, op: ge, value: 4}")
    with pytest.raises(RiskwizardError) as info:
        _spec(text)
    assert "takes a single question, not a dimension" in str(info.value)
