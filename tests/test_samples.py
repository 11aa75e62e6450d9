"""The bundled sample assessments are complete and score to the tier the law gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.consistency import compile_rules

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ALL = ["eu-ai-act", "harms", "bias-sources", "error-costs", "neurips-broader-impact", "research-ethics", "model-card"]
SYSTEM = ALL[:4]
SCOPE = {  # only the questionnaires that apply: a deployed hiring system gets no NeurIPS checklist, a paper does
    "cv-screening": SYSTEM,
    "face-recognition-station": SYSTEM,
    "llm-paper": ALL,
    "medical-imaging": [*SYSTEM, "research-ethics", "model-card"],
}

EXPECTED = {
    "cv-screening": ("high", set()),
    "face-recognition-station": ("prohibited", set()),
    "llm-paper": ("limited", {"gpai", "transparency_art50_1", "transparency_art50_2"}),
    "medical-imaging": ("high", set()),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_scores_to_the_legal_tier(name: str) -> None:
    assessment = open_assessment(SAMPLES / f"{name}.yaml", strict=True)
    assert not assessment.notices, assessment.notices
    assert [s.id for s in assessment.specs] == SCOPE[name]
    result = assessment.evaluate()
    tier, flags = EXPECTED[name]
    eu = result.result("eu-ai-act")
    assert eu.tier.id == tier
    assert flags <= set(eu.flags)
    assert result.overall_tier.id == tier
    if name == "llm-paper":
        assert "gpai_systemic_risk" not in eu.flags


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_is_complete(name: str) -> None:
    result = open_assessment(SAMPLES / f"{name}.yaml").evaluate()
    for r in result.results:
        unanswered = [q.id for q in r.open_questions if q.status == "unanswered"]
        assert not unanswered, f"{r.questionnaire_id}: unanswered {unanswered}"
        assert r.findings or r.questionnaire_id == "model-card"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_has_no_contradiction(name: str) -> None:
    """Every consistency rule that applies to the sample's questionnaires runs, and none fires."""
    assessment = open_assessment(SAMPLES / f"{name}.yaml", strict=True)
    rules, problems = compile_rules(assessment.specs)
    assert not problems
    assert len(rules) >= (30 if name == "llm-paper" else 8)
    result = assessment.evaluate()
    assert [c.message for c in result.contradictions] == []
    assert not assessment.doc.conflicts


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_answers_each_fact_once(name: str) -> None:
    """Shared facts are stored once, under `facts:`; no questionnaire keeps its own copy."""
    assessment = open_assessment(SAMPLES / f"{name}.yaml", strict=True)
    doc = assessment.doc
    for spec in assessment.specs:
        assert not set(doc.answers[spec.id].local) & set(spec.fact_of), spec.id
        for local, fid in spec.fact_of.items():
            assert doc.answers[spec.id].get(local) is doc.facts.get(fid)
    assert {"lifecycle_stage", "operator_role", "has_paper"} <= set(doc.facts)
