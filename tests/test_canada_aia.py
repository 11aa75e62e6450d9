"""The Canada Algorithmic Impact Assessment questionnaire: scores and levels recomputed by hand.

Every expected number below is worked out by hand from the AIA's points per answer (the numbers in
the comments, taken from the official tool's survey, see docs/legal-sources-canada-aia.md), not read
back from the rules. Level: current score / 167 > 75 % -> IV, > 50 % -> III, > 25 % -> II, else I;
current score = raw impact, less 15 % rounded half up, when mitigation >= 80 % of 77 (61.6, so 62).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from content_helpers import fired, spec_for

from riskwizard.answers import Answer
from riskwizard.assessment import open_assessment
from riskwizard.engine import evaluate, evaluate_assessment

FIXTURE = Path(__file__).parent / "fixtures" / "canada-aia-benefits.yaml"
SPEC = spec_for("canada-aia")


def run(values: dict) -> object:
    return evaluate(SPEC, {qid: Answer(value=v) for qid, v in values.items()})


def obligations(result) -> set[str]:
    return {o.id for o in result.obligations}


# --------------------------------------------------------------------------- answer sets (points by hand)

MINIMUM = {  # the answers that score even at their lowest
    "system_environment": "minimal", "reversibility": "reversible", "duration": "brief",  # 1 + 1 + 1
    "impact_rights": "minimal", "impact_equality": "minimal", "impact_health": "minimal",  # 1 + 1 + 1
    "impact_economic": "minimal", "impact_environment": "minimal",  # 1 + 1
    "wrongful_inclusion_impact": "minimal", "data_controller": "federal",  # 1 + 1
    "training_data_collector": "own", "input_data_collector": "own",  # 1 + 1
    "automation_level": "advisory",  # 2 (the AIA's partial)
}  # 14

RAW_41 = {**MINIMUM, "connected_devices": "yes", "other_it_systems": "yes", "needs_discretion": "yes",  # 4 + 4 + 4
          "public_scrutiny": "yes", "equity_denied_groups": "yes", "exploitation_target": "yes",  # 3 + 3 + 3
          "disability_barriers": "not_checked", "personal_information": "yes"}  # 4 + 2 -> 14 + 27 = 41
RAW_42 = {**RAW_41, "excluded_populations": "yes"}  # + 1
RAW_48 = {**RAW_42, "new_authority": "yes", "staff_impact": "yes", "new_assessment": "yes"}  # + 2 + 2 + 2
RAW_49 = {**RAW_48, "concerns_raised": "yes"}  # + 1
RAW_50 = {**RAW_49, "alternatives_considered": "no"}  # + 1

MAXIMUM = {  # every question at its highest-scoring answer, follow-up questions shown
    "effectiveness": "slightly", "alternatives_considered": "no", "service_impossible_without": "yes",  # 2 1 2
    "public_scrutiny": "yes", "equity_denied_groups": "yes", "excluded_populations": "yes",  # 3 3 1
    "disability_barriers": "not_checked", "exploitation_target": "yes", "concerns_raised": "yes",  # 4 3 1
    "new_authority": "yes",  # 2 -> project and risk profile 22
    "developer": "third_party", "configurer": "third_party", "system_kind": "commercial",  # 1 1 2
    "accountability_assigned": "no", "improvement_owner": "no", "accessibility_standard": "no",  # 2 2 1
    "manual_fallback": "no", "access_control": "no", "system_environment": "very_high",  # 2 2 4 -> system 17
    "algorithm_secret": "yes", "hard_to_explain": "yes", "logic_source": ["rules", "learned"],  # 1 3 1
    "inference": ["deterministic", "probabilistic"], "model_kind": "generative",  # 1 1
    "keeps_learning": "yes", "learning_monitored": "no", "uses_protected_characteristics": "yes",  # 3 1 2
    "proxies_checked": "no",  # 2 -> algorithm 15
    "decision_domains": ["health", "economic", "social_assistance", "access_mobility", "licensing",
                         "employment", "public_safety", "other"],  # 8
    "automation_level": "automated", "needs_discretion": "yes",  # 4 4
    "staff_impact": "yes", "new_assessment": "yes",  # 2 2
    "used_by_other_unit": "yes", "reversibility": "irreversible", "duration": "perpetual",  # 2 4 4
    "impact_rights": "very_high", "impact_equality": "very_high", "impact_health": "very_high",  # 4 4 4
    "impact_economic": "very_high", "impact_environment": "very_high",  # 4 4
    "subgroup_testing": "unjustified_unaddressed", "disability_testing": "no", "most_affected_groups": "yes",  # 3 1 1
    "client_share": "upto_50", "left_out_harm": "yes", "wrongful_inclusion_impact": "very_high",  # 0 1 4 -> impact 52
    "personal_information": "yes", "collection_limited": "no", "pi_used_about_person": "yes",  # 2 2 2
    "pi_consistency_checked": "no",  # 1
    "pi_sharing": ["none", "department", "federal", "other_government", "third_party", "other"],  # 0+1+1+3+3+1
    "data_representative": "not_representative", "data_biases": "biased",  # 2 2
    "security_classification": "secret", "pi_accuracy_measures": "no_measures",  # 4 2
    "data_controller": "non_government", "multiple_sources": "yes", "connected_devices": "yes",  # 3 2 4
    "other_it_systems": "yes", "training_data_collector": "foreign_or_third_party",  # 4 4
    "input_data_collector": "foreign_or_third_party", "unstructured_data": "yes",  # 4 0
    "unstructured_kinds": ["audio_text", "images_video"],  # 2 + 4 -> data 53
}  # 22 + 17 + 15 + 8 + 52 + 53 = 167

RAW_126 = {**MAXIMUM, "decision_domains": [], "pi_sharing": ["none"], "unstructured_kinds": [],  # -8 -9 -6
           "connected_devices": "no", "other_it_systems": "no", "needs_discretion": "no",  # -4 -4 -4
           "public_scrutiny": "no", "equity_denied_groups": "no"}  # -3 -3 -> 167 - 41 = 126
RAW_125 = {**RAW_126, "excluded_populations": "no"}  # -1
RAW_84 = {**RAW_125, "exploitation_target": "no", "disability_barriers": "none_found",  # -3 -4 -> 118
          "hard_to_explain": "no", "keeps_learning": "no",  # -3, -3 and the hidden follow-up -1 -> 111
          "subgroup_testing": "no_gaps", "reversibility": "reversible", "duration": "brief",  # -3 -3 -3 -> 102
          "impact_rights": "minimal", "impact_equality": "minimal", "impact_health": "minimal",
          "impact_economic": "minimal", "impact_environment": "minimal",  # 5 x -3 -> 87
          "wrongful_inclusion_impact": "minimal"}  # -3 -> 84
RAW_83 = {**RAW_84, "concerns_raised": "no"}  # -1

MITIGATION_62 = {  # procedural fairness 44 + privacy 9 + data quality 9
    "audit_authority_chain": "yes", "logic_linked_to_law": "yes", "audit_all_outputs": "yes",  # 1 1 2
    "audit_decision_points": "yes", "override_log": "yes", "change_log": "yes",  # 2 2 2
    "audit_supports_explanation": "yes", "gives_reasons": "yes", "audit_version": "yes",  # 1 2 2
    "audit_decision_maker": "yes", "user_feedback": "yes", "recourse": "yes", "change_control": "yes",  # 1 2 2 2
    "uses_all_client_info": "all_info", "bias_mitigation": "yes", "relevant_inputs_only": "yes",  # 2 2 2
    "rules_relevant": "yes", "fairness_protections": ["timeliness", "participation", "disclosure", "feedback",
                                                      "other"],  # 2 5
    "impartiality": "yes", "automation_bias_training": "yes", "regular_retraining": "yes",  # 2 2 2
    "performance_monitoring": "yes", "monitoring_updates": "yes",  # 2 1 -> 44
    "pia_done": "yes", "security_by_design": "yes", "privacy_by_design": "yes",  # 2 2 2
    "closed_system": "yes", "disclosure_agreement": "yes", "de_identification": "yes",  # 1 1 1 -> 9
    "bias_testing_process": "yes", "bias_testing_public": "yes", "data_issue_record": "yes",  # 3 1 1
    "data_issue_record_public": "yes", "gba_plus_data": "done", "gba_plus_public": "yes",  # 1 2 1 -> 9
}  # 62 = 80.5 % of 77
MITIGATION_61 = {**MITIGATION_62, "de_identification": "no"}  # 61 = 79.2 %
MITIGATION_77 = {**MITIGATION_62, "consulted_internal": "yes", "consulted_external": "yes",  # 2 2
                 "consulted_most_affected": "consulted", "consulted_harmed": "consulted",  # 3 3
                 "stale_data_process": "yes", "stale_data_process_public": "yes", "open_data": "yes"}  # 2 1 2


# --------------------------------------------------------------------------- levels by hand

CASES = [
    # name, answers, raw, mitigation, current, percent (2 decimals), level
    ("minimum", MINIMUM, 14, 0, 14, 8.38, "level_i"),
    ("41 points: 24.55 %", RAW_41, 41, 0, 41, 24.55, "level_i"),
    ("42 points: 25.15 %", RAW_42, 42, 0, 42, 25.15, "level_ii"),
    ("83 points: 49.70 %", RAW_83, 83, 0, 83, 49.70, "level_ii"),
    ("84 points: 50.30 %", RAW_84, 84, 0, 84, 50.30, "level_iii"),
    ("125 points: 74.85 %", RAW_125, 125, 0, 125, 74.85, "level_iii"),
    ("126 points: 75.45 %", RAW_126, 126, 0, 126, 75.45, "level_iv"),
    ("maximum", MAXIMUM, 167, 0, 167, 100.0, "level_iv"),
    # the reduction: 48 x 0.85 = 40.8 -> 41; 61 mitigation points (79.2 %) are not enough
    ("48 points, mitigation 61", {**RAW_48, **MITIGATION_61}, 48, 61, 48, 28.74, "level_ii"),
    ("48 points, mitigation 62", {**RAW_48, **MITIGATION_62}, 48, 62, 41, 24.55, "level_i"),
    # 49 x 0.85 = 41.65 rounds to 42, which is over 41.75 (25 %): rounding keeps it at Level II
    ("49 points, mitigation 62", {**RAW_49, **MITIGATION_62}, 49, 62, 42, 25.15, "level_ii"),
    # 50 x 0.85 = 42.5 rounds half up to 43
    ("50 points, mitigation 62", {**RAW_50, **MITIGATION_62}, 50, 62, 43, 25.75, "level_ii"),
    # 126 x 0.85 = 107.1 -> 107 = 64.07 %: mitigation moves it from IV to III
    ("126 points, mitigation 62", {**RAW_126, **MITIGATION_62}, 126, 62, 107, 64.07, "level_iii"),
    # 167 x 0.85 = 141.95 -> 142 = 85.03 %: full mitigation cannot take the maximum below IV
    ("maximum, full mitigation", {**MAXIMUM, **MITIGATION_77}, 167, 77, 142, 85.03, "level_iv"),
]


@pytest.mark.parametrize(("name", "answers", "raw", "mitigation", "current", "percent", "level"), CASES,
                         ids=[c[0] for c in CASES])
def test_levels_recomputed_by_hand(name, answers, raw, mitigation, current, percent, level) -> None:
    result = run(answers)
    assert result.scores == {"raw_impact": raw, "mitigation": mitigation}
    assert result.derived["aia.current"] == current
    assert round(result.derived["aia.percent"], 2) == percent
    assert result.derived["aia.reduced"] == (1.0 if mitigation >= 62 else 0.0)
    assert result.tier.id == level
    assert ("mitigation_credit" in result.flags) == (mitigation >= 62)


def test_hidden_follow_up_questions_score_nothing() -> None:
    # no personal information hides four questions worth 2 + 2 + 1 + 9: 167 - 2 - 14 = 151
    result = run({**MAXIMUM, "personal_information": "no"})
    assert result.scores["raw_impact"] == 151
    # everyone goes through the system: the question about those left out is hidden (-1)
    assert run({**MAXIMUM, "client_share": "all"}).scores["raw_impact"] == 166


def test_the_maxima_are_the_sum_of_each_questions_best_answer() -> None:
    # the dimension maxima are the denominators of the level and of the 80 % test: they must be what
    # the answers can reach (the maximum of a single choice, the sum of a multiple choice)
    best: dict[str, dict[str, float]] = {}
    for rule in SPEC.model.rules:
        if not rule.score:
            continue
        (leaf,) = list(SPEC.rule_when[rule.id].leaves())  # one answer per scoring rule
        assert leaf.kind == "q" and leaf.op in ("eq", "contains"), rule.id
        assert rule.id == f"{leaf.ref}-{leaf.value}", rule.id
        (dim, points), = rule.score.items()
        best.setdefault(dim, {})
        question = SPEC.question(leaf.ref)
        if question.type == "multi":
            best[dim][leaf.ref] = best[dim].get(leaf.ref, 0) + points
        else:
            best[dim][leaf.ref] = max(best[dim].get(leaf.ref, 0), points)
    maxima = {d.id: d.max for d in SPEC.model.dimensions}
    assert {dim: sum(per_q.values()) for dim, per_q in best.items()} == maxima == {"raw_impact": 167,
                                                                                  "mitigation": 77}
    scored = set(best["raw_impact"]) | set(best["mitigation"])
    unscored = {q.id for q in SPEC.questions()} - scored
    # the tool scores them 0 too (canada_federal, the scope, is not one of its questions)
    assert unscored == {"canada_federal", "project_phase", "client_share", "unstructured_data"}


def test_mitigation_that_lowers_the_level_is_a_finding() -> None:
    lowered = run({**RAW_48, **MITIGATION_62})
    assert "mitigation_lowered_level" in fired(lowered)
    assert any(f.rule_id == "mitigation_lowered_level" and f.severity == "medium" for f in lowered.findings)
    # reduced but still at the same level: no finding
    assert "mitigation_lowered_level" not in fired(run({**RAW_50, **MITIGATION_62}))
    assert "mitigation_lowered_level" in fired(run({**RAW_126, **MITIGATION_62}))


def test_full_automation_at_level_iii_or_iv_is_a_high_finding() -> None:
    high = run(RAW_84)  # Level III with automation_level automated (from MAXIMUM)
    assert high.tier.id == "level_iii"
    assert any(f.rule_id == "full_automation_at_high_level" and f.severity == "high" for f in high.findings)
    officer_decides = run({**RAW_84, "automation_level": "advisory"})  # 84 - 2 = 82: Level II, no finding
    assert officer_decides.scores["raw_impact"] == 82 and officer_decides.tier.id == "level_ii"
    assert "full_automation_at_high_level" not in fired(officer_decides)


LEVEL_OBLIGATIONS = {
    "level_i": {"notice", "explanation_published", "training_basic", "human_quality_assurance", "approval_adm"},
    "level_ii": {"notice", "explanation_per_decision", "peer_review_one", "gba_plus", "training_basic",
                 "human_quality_assurance", "approval_adm"},
    "level_iii": {"notice_with_explanation_link", "explanation_per_decision", "peer_review_one", "gba_plus",
                  "training_recurring", "human_final_decision", "approval_deputy_head"},
    "level_iv": {"notice_with_explanation_link", "explanation_per_decision", "peer_review_two", "gba_plus",
                 "training_recurring", "human_final_decision", "approval_treasury_board"},
}


@pytest.mark.parametrize(("answers", "level"), [(MINIMUM, "level_i"), (RAW_42, "level_ii"), (RAW_84, "level_iii"),
                                                (MAXIMUM, "level_iv")])
def test_appendix_c_requirements_per_level(answers: dict, level: str) -> None:
    result = run(answers)
    assert result.tier.id == level
    assert obligations(result) == LEVEL_OBLIGATIONS[level] | {"publish_aia", "other_requirements"}
    for ob in result.obligations:
        assert ob.citation.strip()
        if ob.id not in ("publish_aia", "other_requirements"):
            assert "Appendix C" in ob.citation


def test_unanswered_questions_keep_the_level_provisional() -> None:
    result = run(RAW_42)
    assert result.provisional
    # the tool has no "don't know"; only the shared facts, asked by other questionnaires too, offer it
    assert {q.id for q in SPEC.questions() if q.unknown_allowed} <= set(SPEC.fact_of)
    unsure = evaluate(SPEC, {**{q: Answer(value=v) for q, v in MINIMUM.items()}, "recourse": Answer(unknown=True)})
    assert unsure.provisional and unsure.scores["mitigation"] == 0  # don't know scores nothing


# --------------------------------------------------------------------------- the fixture (a federal use)

def test_fixture_benefit_triage_by_hand() -> None:
    # raw: reasons 1 + risk profile 10 + system 2 + algorithm 5 + decision 2 + impact 23 + data 18 = 61
    # mitigation: consultation 7 + data quality 10 + procedural fairness 42 + privacy 8 = 67 (87 %)
    # current: 61 x 0.85 = 51.85 -> 52 = 31.14 % -> Level II
    assessment = open_assessment(FIXTURE, strict=False)  # format 1: its answers are lifted to the shared facts
    assert assessment.doc.facts["decision_automation"].value == "advisory"  # the AIA's partial
    assert assessment.doc.facts["lifecycle_stage"].value == "deployment"  # the stage and the AIA's implementation
    assert not assessment.doc.conflicts and not assessment.doc.orphaned
    result = evaluate_assessment(assessment.doc, [SPEC]).results[0]
    assert result.scores == {"raw_impact": 61, "mitigation": 67}
    assert result.derived["aia.current"] == 52 and result.derived["aia.reduction"] == 9
    assert round(result.derived["aia.percent"], 2) == 31.14
    assert result.tier.id == "level_ii"
    assert not result.provisional and result.unanswered == 0
    assert obligations(result) == LEVEL_OBLIGATIONS["level_ii"] | {"publish_aia", "other_requirements"}
    assert not result.findings  # officers decide refusals and a recourse route exists


def test_fixture_through_the_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "riskwizard", "score", str(FIXTURE), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (q,) = data["questionnaires"]
    assert q["questionnaire_id"] == "canada-aia"
    assert q["tier"]["id"] == "level_ii" and data["overall_tier"]["id"] == "level_ii"
    assert q["scores"] == {"raw_impact": 61.0, "mitigation": 67.0}
    assert q["derived"]["aia.current"] == 52.0
