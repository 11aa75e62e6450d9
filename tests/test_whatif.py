"""What would change the tier: ranked by relevance, every change with its reason (riskwizard.whatif)."""

from __future__ import annotations

import pytest

from riskwizard.answers import Answer
from riskwizard.engine import evaluate
from riskwizard.loader import bundled_dir, load_questionnaire
from riskwizard.whatif import KINDS, what_would_change

# A provider's AI system in the EU, no exclusion, no prohibited practice, no Annex I product (as in
# tests/test_eu_ai_act.py).
BASE = {
    "artefact": "ai_system", "role": ["provider"], "eu_nexus": "yes", "military_only": "no",
    "sole_research": "no", "pre_market_research": "no", "open_source": "proprietary",
    "p5a_manipulation": "no", "p5b_vulnerability": "no", "p5c_social_scoring": "no",
    "p5d_crime_prediction": "none", "p5e_face_scraping": "no", "biometric_data": "no",
    "annex1_product": "no", "annex3_areas": ["none"], "art50_interacts": "no", "art50_generates": ["none"],
}


def answers(**changes) -> dict[str, Answer]:
    merged = {**BASE, **changes}
    return {k: (v if isinstance(v, Answer) else Answer(value=v)) for k, v in merged.items()}


@pytest.fixture(scope="module")
def spec():
    return load_questionnaire(bundled_dir() / "eu-ai-act.yaml")


def test_an_open_follow_up_that_makes_it_high_risk_comes_first(spec) -> None:
    """The drop-out predictor of the issue: education is the area, its uses are still open."""
    a = answers(annex3_areas=["education"])
    assert evaluate(spec, a).tier.id == "minimal"
    changes = what_would_change(spec, a)
    first = changes[0]
    assert (first.question_id, first.kind, first.direction, first.new_tier) == (
        "annex3_education", "open", "stricter", "high")
    assert "still open" in first.reason
    # every change really moves the tier, and each question is listed once
    assert len({c.question_id for c in changes}) == len(changes)
    assert all(c.new_tier != "minimal" and c.reason for c in changes)


def test_exclusions_and_prohibitions_against_given_answers_come_last(spec) -> None:
    a = answers(annex3_areas=["education"])
    changes = what_would_change(spec, a)
    kinds = [KINDS.index(c.kind) for c in changes]
    assert kinds == sorted(kinds)  # grouped by relevance class, most relevant first
    by_q = {c.question_id: c for c in changes}
    for qid in ("military_only", "p5a_manipulation", "eu_nexus"):
        assert by_q[qid].kind == "contradicts" and not by_q[qid].likely
        assert "Contradicts" in by_q[qid].reason
    assert by_q["military_only"].direction == "exclusion"
    assert by_q["p5a_manipulation"].new_tier == "prohibited"
    likely = [c for c in changes if c.likely]
    assert likely and changes[:len(likely)] == likely
    # the change that would hide other answers says how many (for a model with a system, "neither" hides the rest;
    # for an AI system the most serious alternative is now "a model and a system", headed by the model's duties)
    model = {c.question_id: c for c in what_would_change(spec, answers(artefact="both", gpai_compute=1e23,
                                                                       gpai_designated="no",
                                                                       annex3_areas=["education"]))}
    assert model["artefact"].no_longer_apply > 0
    assert f"{model['artefact'].no_longer_apply} answered questions" in model["artefact"].reason


def test_a_given_follow_up_answer_is_a_plausible_change(spec) -> None:
    a = answers(annex3_areas=["education"], annex3_education=["other_education"])
    by_q = {c.question_id: c for c in what_would_change(spec, a)}
    change = by_q["annex3_education"]
    assert change.kind == "follow_up" and change.new_tier == "high"
    assert "Another education use" in change.current and "because of your other answers" in change.reason


def test_stricter_before_lighter_and_limit(spec) -> None:
    a = answers(annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["preparatory"],
                profiling="yes")
    assert evaluate(spec, a).tier.id == "high"
    changes = what_would_change(spec, a)
    by_q = {c.question_id: c for c in changes}
    assert by_q["profiling"].new_tier == "minimal" and by_q["profiling"].direction == "lighter"
    assert by_q["p5a_manipulation"].new_tier == "prohibited"
    assert what_would_change(spec, a, limit=2) == changes[:2]


def test_dont_know_counts_as_open(spec) -> None:
    a = answers(annex3_areas=["education"], annex3_education=Answer(unknown=True))
    first = what_would_change(spec, a)[0]
    assert first.question_id == "annex3_education" and first.kind == "open"
    assert "don't know" in first.reason


def test_questionnaire_without_tier_has_no_changes() -> None:
    spec = load_questionnaire(bundled_dir() / "model-card.yaml")
    assert spec.model.outcome is None
    assert what_would_change(spec, {}) == []
