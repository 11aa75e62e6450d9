"""The bundled sample assessments are complete and score to the tier the law gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.assessment import open_assessment

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ALL = ["eu-ai-act", "harms", "bias-sources", "error-costs", "neurips-broader-impact", "research-ethics", "model-card"]

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
    assert [s.id for s in assessment.specs] == ALL
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
