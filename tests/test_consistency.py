"""Consistency rules: every bundled rule fires on answers that contradict each other, names both
questions and both answers, and stays quiet when one answer is corrected; contradictions reach
`score`, `check` and the assessment result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from riskwizard.answers import Answer, AnswerStore, new_doc
from riskwizard.consistency import compile_rules, load_rules
from riskwizard.engine import evaluate_assessment
from riskwizard.loader import find_questionnaire

ROOT = Path(__file__).resolve().parent.parent
ALL = ["eu-ai-act", "harms", "bias-sources", "error-costs", "neurips-broader-impact", "research-ethics", "model-card",
       "canada-aia", "acl-responsible-nlp"]
SPECS = [find_questionnaire(q) for q in ALL]

ALLOCATES = {"output_kind": ["allocates"]}
CLASSIFIER = {"prediction_kind": "ranking"}
# rule id -> (answers per questionnaire, facts, (questionnaire, question or "fact:ID", corrected value))
CASES: dict[str, tuple[dict[str, dict[str, Any]], dict[str, Any], tuple[str, str, Any]]] = {
    "notified_but_no_review": ({"error-costs": {**CLASSIFIER, "contestable": "notified"}}, {"contest_route": "no"},
                               ("error-costs", "contestable", "no")),
    "no_contest_but_review_offered": ({"error-costs": {**CLASSIFIER, "contestable": "no"}}, {"contest_route": "yes"},
                                      ("error-costs", "contestable", "notified")),
    "automated_but_every_case_checked": (
        {"error-costs": {**CLASSIFIER, "human_check": "every", "positive_action": "adverse_decision"}},
        {"decision_automation": "automated"}, ("error-costs", "human_check", "sample")),
    "allocates_but_no_decisions": ({"harms": ALLOCATES}, {"decision_automation": "none"},
                                   ("", "fact:decision_automation", "advisory")),
    "disparity_measured_without_criterion": (
        {"harms": {**ALLOCATES, "domains": ["employment"], "disparity_measured": "gap"}},
        {"fairness_criterion": "none"}, ("", "fact:fairness_criterion", "independence")),
    "bias_measured_without_criterion": (
        {"neurips-broader-impact": {"bias_definition": "measured"}, "harms": ALLOCATES},
        {"fairness_criterion": "none"}, ("neurips-broader-impact", "bias_definition", "qualitative")),
    "checked_no_bias_but_gap": (
        {"research-ethics": {"dataset_bias": "checked_none"},
         "harms": {**ALLOCATES, "domains": ["credit"], "disparity_measured": "gap"}}, {},
        ("research-ethics", "dataset_bias", "checked_mitigated")),
    "checked_no_bias_but_historical": (
        {"research-ethics": {"dataset_bias": "checked_none"},
         "bias-sources": {"about_people": "yes", "historical_inequity": "known"}}, {},
        ("bias-sources", "historical_inequity", "possible")),
    "bias_not_checked_but_measured": (
        {"research-ethics": {"dataset_bias": "not_checked"},
         "harms": {**ALLOCATES, "domains": ["housing"], "disparity_measured": "no_gap"}}, {},
        ("research-ethics", "dataset_bias", "checked_none")),
    "card_disaggregated_but_aggregate_eval": (
        {"model-card": {"mc_disaggregated": "yes"}, "bias-sources": {"slice_eval": "aggregate"}}, {},
        ("bias-sources", "slice_eval", "per_group")),
    "card_intersectional_not_evaluated": (
        {"model-card": {"mc_intersectional": "reported"}, "bias-sources": {"slice_eval": "per_group"}}, {},
        ("bias-sources", "slice_eval", "intersectional")),
    "group_rates_known_but_aggregate_eval": (
        {"error-costs": {**CLASSIFIER, "group_rates_known": "yes"}, "bias-sources": {"slice_eval": "none"}}, {},
        ("error-costs", "group_rates_known", "no")),
    "disaggregated_mitigation_but_aggregate_eval": (
        {"harms": {**ALLOCATES, "mitigations": ["disaggregated_eval"]}, "bias-sources": {"slice_eval": "aggregate"}},
        {}, ("harms", "mitigations", ["appeal"])),
    "intersections_not_considered_but_reported": (
        {"harms": {**ALLOCATES, "intersectional": "no"}, "model-card": {"mc_intersectional": "reported"}}, {},
        ("harms", "intersectional", "yes")),
    "personal_data_without_people": ({"research-ethics": {"human_participants": "none"}}, {"personal_data": "yes"},
                                     ("research-ethics", "human_participants", "existing_data")),
    "personal_data_but_not_about_people": ({"bias-sources": {"about_people": "no"}}, {"personal_data": "yes"},
                                           ("bias-sources", "about_people", "yes")),
    "biometric_but_no_personal_data": ({"eu-ai-act": {"biometric_data": "yes"}}, {"personal_data": "no"},
                                       ("", "fact:personal_data", "yes")),
    "biometric_not_special_category": (
        {"eu-ai-act": {"biometric_data": "yes", "biometric_functions": ["verification_1to1"]},
         "research-ethics": {"human_participants": "existing_data", "special_categories": ["health"]}},
        {"personal_data": "yes"}, ("research-ethics", "special_categories", ["health", "biometric"])),
    "affected_in_eu_but_no_eu_nexus": ({"harms": {**ALLOCATES, "jurisdictions": ["eu"]},
                                        "eu-ai-act": {"eu_nexus": "no"}}, {}, ("eu-ai-act", "eu_nexus", "yes")),
    "deployed_but_lab_only": ({"eu-ai-act": {"pre_market_research": "lab_only"}}, {"lifecycle_stage": "deployment"},
                              ("eu-ai-act", "pre_market_research", "no")),
    "design_stage_but_deployment_rates": (
        {"error-costs": {**CLASSIFIER, "rate_format": "fpr_fnr", "rates_source": "deployment"}},
        {"lifecycle_stage": "design"}, ("error-costs", "rates_source", "benchmark")),
    "generative_but_generates_nothing": ({"error-costs": {"prediction_kind": "generative"},
                                          "eu-ai-act": {"art50_generates": ["none"]}}, {},
                                         ("eu-ai-act", "art50_generates", ["text"])),
    "no_consequence_but_affects_people": ({"neurips-broader-impact": {"no_foreseeable_consequence": "yes"},
                                           "harms": {"output_kind": ["depicts"]}}, {},
                                          ("neurips-broader-impact", "no_foreseeable_consequence", "no")),
    "no_misuse_but_serious_misuse": ({"research-ethics": {"dual_use": "none_identified"},
                                      "neurips-broader-impact": {"misuse_likelihood": "high"}}, {},
                                     ("research-ethics", "dual_use", "likely")),
    "crowd_labels_but_no_crowdworkers": ({"bias-sources": {"label_source": "crowd"},
                                          "research-ethics": {"annotators": "team"}}, {},
                                         ("research-ethics", "annotators", "crowdworkers")),
    "crowdworkers_but_no_human_subjects": ({"research-ethics": {"annotators": "crowdworkers"},
                                            "neurips-broader-impact": {"cl_human_subjects": "na"}}, {},
                                           ("neurips-broader-impact", "cl_human_subjects", "yes")),
    "participants_but_irb_na": ({"research-ethics": {"human_participants": "new_collection"},
                                 "neurips-broader-impact": {"cl_irb": "na"}}, {},
                                ("neurips-broader-impact", "cl_irb", "yes")),
    "open_licence_but_nothing_released": ({"eu-ai-act": {"open_source": "foss"}}, {"release_type": ["nothing"]},
                                          ("", "fact:release_type", ["weights_open"])),
    "open_weights_but_proprietary": ({"eu-ai-act": {"open_source": "proprietary"}}, {"release_type": ["weights_open"]},
                                     ("eu-ai-act", "open_source", "restricted_open")),
    "foss_but_card_licence_closed": ({"eu-ai-act": {"open_source": "foss"},
                                      "model-card": {"mc_licence": "research_only"}}, {},
                                     ("model-card", "mc_licence", "permissive")),
    "card_permissive_but_proprietary": ({"eu-ai-act": {"open_source": "proprietary"},
                                         "model-card": {"mc_licence": "permissive"}}, {},
                                        ("model-card", "mc_licence", "proprietary")),
    "employment_not_annex_iii": ({"harms": {**ALLOCATES, "domains": ["employment"]},
                                  "eu-ai-act": {"annex3_areas": ["education"]}}, {},
                                 ("eu-ai-act", "annex3_areas", ["education", "employment"])),
    "education_not_annex_iii": ({"harms": {**ALLOCATES, "domains": ["education"]},
                                 "eu-ai-act": {"annex3_areas": ["none"]}}, {},
                                ("eu-ai-act", "annex3_areas", ["education"])),
    "aia_decides_nothing": ({}, {"canada_federal": "yes", "decision_automation": "none"},
                            ("", "fact:decision_automation", "advisory")),
    "aia_disabled_not_equity_denied": ({"canada-aia": {"equity_denied_groups": "no"}},
                                       {"vulnerable_groups": ["disabled", "elderly"]},
                                       ("canada-aia", "equity_denied_groups", "yes")),
    "aia_subgroups_not_assessed_but_measured": (
        {"canada-aia": {"subgroup_testing": "not_assessed"}, "harms": {**ALLOCATES, "domains": ["public_benefits"],
                                                                       "disparity_measured": "no_gap"}}, {},
        ("canada-aia", "subgroup_testing", "no_gaps")),
    "aia_no_gaps_but_gap": (
        {"canada-aia": {"subgroup_testing": "no_gaps"}, "harms": {**ALLOCATES, "domains": ["public_benefits"],
                                                                  "disparity_measured": "gap"}}, {},
        ("canada-aia", "subgroup_testing", "unjustified_addressed")),
    "aia_protected_used_not_held": ({"canada-aia": {"uses_protected_characteristics": "yes"}},
                                    {"protected_attributes_held": "no"},
                                    ("", "fact:protected_attributes_held", "some")),
    "aia_built_in_house_not_provider": ({"canada-aia": {"developer": "own"}}, {"operator_role": ["deployer"]},
                                        ("", "fact:operator_role", ["provider", "deployer"])),
    "aia_federal_deployer_private": ({"eu-ai-act": {"deployer_type": "private_other"}},
                                     {"canada_federal": "yes", "operator_role": ["deployer"]},
                                     ("eu-ai-act", "deployer_type", "third_country_public")),
    "aia_employment_not_in_domains": ({"eu-ai-act": {"annex3_areas": ["employment"]},
                                       "canada-aia": {"decision_domains": ["economic"]}}, {},
                                      ("canada-aia", "decision_domains", ["economic", "employment"])),
    "aia_migration_not_in_domains": ({"eu-ai-act": {"annex3_areas": ["migration"]},
                                      "canada-aia": {"decision_domains": ["other"]}}, {},
                                     ("canada-aia", "decision_domains", ["access_mobility"])),
    "aia_law_enforcement_not_in_domains": ({"eu-ai-act": {"annex3_areas": ["law_enforcement"]},
                                            "canada-aia": {"decision_domains": ["licensing"]}}, {},
                                           ("canada-aia", "decision_domains", ["licensing", "public_safety"])),
    "acl_no_humans_but_annotators": ({"acl-responsible-nlp": {"acl_d": "no"},
                                      "research-ethics": {"annotators": "crowdworkers"}}, {},
                                     ("acl-responsible-nlp", "acl_d", "yes")),
    "acl_no_humans_but_participants": ({"acl-responsible-nlp": {"acl_d": "no"},
                                        "research-ethics": {"human_participants": "interaction"}}, {},
                                       ("research-ethics", "human_participants", "existing_data")),
    "acl_no_humans_but_neurips_human_subjects": ({"acl-responsible-nlp": {"acl_d": "no"},
                                                  "neurips-broader-impact": {"cl_human_subjects": "yes"}}, {},
                                                 ("neurips-broader-impact", "cl_human_subjects", "na")),
    "acl_humans_but_neurips_none": ({"acl-responsible-nlp": {"acl_d": "yes"},
                                     "neurips-broader-impact": {"cl_human_subjects": "na"}}, {},
                                    ("acl-responsible-nlp", "acl_d", "no")),
    "acl_limitations_vs_neurips": ({"acl-responsible-nlp": {"acl_a1": "yes"},
                                    "neurips-broader-impact": {"cl_limitations": "no"}}, {},
                                   ("neurips-broader-impact", "cl_limitations", "yes")),
    "little_uplift_but_misuse_risk_medium": ({"research-ethics": {"dual_use": "conceivable"},
                                              "neurips-broader-impact": {"misuse_likelihood": "medium"}}, {},
                                             ("neurips-broader-impact", "misuse_likelihood", "high")),
    "policing_not_annex_iii": ({"harms": {**ALLOCATES, "domains": ["criminal_justice"]},
                                "eu-ai-act": {"annex3_areas": ["none"]}}, {},
                               ("eu-ai-act", "annex3_areas", ["law_enforcement"])),
}


def _doc(answers: dict[str, dict[str, Any]], facts: dict[str, Any]) -> Any:
    doc = new_doc(SPECS)
    for qn, per_q in answers.items():
        for qid, value in per_q.items():
            doc.answers_for(qn)[qid] = Answer(value=value)
    for fid, value in facts.items():
        doc.facts[fid] = Answer(value=value)
    return doc


def test_at_least_twelve_rules_and_every_rule_has_a_case() -> None:
    rules = [r.id for r in load_rules()[0].rules]
    assert len(rules) >= 12
    assert sorted(rules) == sorted(CASES)
    compiled, problems = compile_rules(SPECS)
    assert not problems
    assert len(compiled) == len(rules)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_names_both_answers_and_stops_when_corrected(rule_id: str) -> None:
    answers, facts, (qn, qid, corrected) = CASES[rule_id]
    doc = _doc(answers, facts)
    found = [c for c in evaluate_assessment(doc, SPECS).contradictions if c.rule_id == rule_id]
    assert len(found) == 1, rule_id
    c = found[0]
    assert c.kind == "rule" and c.title and c.explanation
    assert len(c.sides) >= 2
    named = {(s.questionnaire, s.question) for s in c.sides}
    if qid.startswith("fact:"):
        assert qid[5:] in {s.fact for s in c.sides}
    else:
        assert (qn, qid) in named
    assert all(s.prompt and s.answer and s.answer != "(unanswered)" for s in c.sides)
    assert c.message.startswith(c.title) and "; but " in c.message
    if qid.startswith("fact:"):
        doc.facts[qid[5:]] = Answer(value=corrected)
    else:
        doc.answers_for(qn)[qid] = Answer(value=corrected)
    assert rule_id not in {x.rule_id for x in evaluate_assessment(doc, SPECS).contradictions}


def test_rules_need_all_their_questionnaires() -> None:
    specs = [s for s in SPECS if s.id in ("eu-ai-act", "harms")]
    compiled, problems = compile_rules(specs)
    assert not problems
    ids = {c.rule.id for c in compiled}
    assert "affected_in_eu_but_no_eu_nexus" in ids
    assert "notified_but_no_review" not in ids  # needs error-costs
    doc = _doc(*CASES["notified_but_no_review"][:2])
    assert evaluate_assessment(doc, specs).contradictions == []


def test_hidden_question_does_not_contradict() -> None:
    """harms/disparity_measured is shown only for regulated domains; hidden, it cannot contradict."""
    doc = _doc({"harms": {**ALLOCATES, "domains": ["none"], "disparity_measured": "gap"}},
               {"fairness_criterion": "none"})
    fired = {c.rule_id for c in evaluate_assessment(doc, SPECS).contradictions}
    assert "disparity_measured_without_criterion" not in fired


def test_issue_example_cv_screening_contest_route(tmp_path: Path) -> None:
    """The issue's example: harms said no route to contest, research ethics a human review in 10 days.
    Now one fact: answering it in harms answers it in research ethics, and the error-costs answer that
    people cannot contest is a contradiction of its own."""
    doc = _doc({"harms": ALLOCATES, "research-ethics": {"decisions_people": "automated"},
                "error-costs": {**CLASSIFIER, "contestable": "notified"}}, {})
    from riskwizard.answers import record_answer

    harms = find_questionnaire("harms")
    record_answer(doc, "harms", harms.question("recourse"), "no")
    assert doc.answers_for("research-ethics")["contest_route"].value == "no"
    result = evaluate_assessment(doc, SPECS)
    [c] = [c for c in result.contradictions if c.rule_id == "notified_but_no_review"]
    assert "Yes; people are told" in c.message and "= No" in c.message
    data = result.to_dict()
    assert data["contradictions"][0]["message"] == c.message


def _rw(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_score_and_check_show_contradictions(tmp_path: Path) -> None:
    doc = _doc(*CASES["notified_but_no_review"][:2])
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(doc)
    score = _rw("score", str(path), "--no-trace", cwd=tmp_path)
    assert score.returncode == 0, score.stderr
    assert "Contradictions between answers (1):" in score.stdout
    assert "Yes; people are told, given reasons and can ask for human review" in score.stdout
    data = json.loads(_rw("score", str(path), "--json", cwd=tmp_path).stdout)
    assert [c["rule_id"] for c in data["contradictions"]] == ["notified_but_no_review"]
    check = _rw("check", str(path), "--allow-open", "--fail-on", "critical", cwd=tmp_path)
    assert check.returncode == 1
    assert "contradiction notified_but_no_review" in check.stdout
    allowed = _rw("check", str(path), "--allow-open", "--fail-on", "critical", "--allow-inconsistent", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stdout
    assert "contradiction notified_but_no_review" in allowed.stdout  # still listed


def test_every_report_shows_the_contradictions_first(tmp_path: Path) -> None:
    """The executive summary of each format counts the contradictions as the engine does and names both answers."""
    from pypdf import PdfReader

    from riskwizard.reports import export_file

    answers, facts, _ = CASES["notified_but_no_review"]
    doc = _doc(answers, facts)
    more = CASES["personal_data_without_people"]
    for qn, per_q in more[0].items():
        for qid, value in per_q.items():
            doc.answers_for(qn)[qid] = Answer(value=value)
    doc.facts["personal_data"] = Answer(value="yes")
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(doc)
    found = evaluate_assessment(doc, SPECS).contradictions
    assert len(found) == 2
    export_file(path, "md", tmp_path / "r.md")
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    summary = md[md.index(" Executive summary"):md.index("\n## 2 ")]  # chapter 1, before the findings chapter
    assert "Contradictions between answers" in summary
    assert f"{len(found)} pairs of answers cannot both be true" in summary
    assert "Yes; people are told, given reasons and can ask for human review" in summary
    export_file(path, "html", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"{len(found)} pairs of answers cannot both be true" in html
    assert html.index("Contradictions between answers") < html.index("Findings and recommendations</h1>")
    export_file(path, "tex", tmp_path / "r.tex")
    tex = (tmp_path / "r.tex").read_text(encoding="utf-8")
    assert f"% riskwizard: {len(found)} pair(s) of answers contradict each other" in tex
    export_file(path, "json", tmp_path / "r.json")
    model = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [c["rule_id"] for c in model["summary"]["contradictions"]] == [c.rule_id for c in found]
    export_file(path, "pdf", tmp_path / "r.pdf")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages[:4])
    assert "Contradictions between answers" in text and "cannot both be true" in text


def test_a_use_restricted_licence_is_not_free_and_open_source() -> None:
    """Recital 102: users must be able to freely use, modify and redistribute; a responsible-AI licence
    that forbids some uses does not allow that, so "free and open-source" contradicts it."""
    doc = _doc({"eu-ai-act": {"open_source": "foss"}, "model-card": {"mc_licence": "open_restricted"}}, {})
    rule = "foss_but_card_licence_closed"
    assert len([c for c in evaluate_assessment(doc, SPECS).contradictions if c.rule_id == rule]) == 1
    doc = _doc({"eu-ai-act": {"open_source": "restricted_open"}, "model-card": {"mc_licence": "open_restricted"}}, {})
    assert not [c for c in evaluate_assessment(doc, SPECS).contradictions if c.rule_id == rule]
