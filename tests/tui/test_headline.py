"""The wizard's headline says what to do next, in words that match the answers."""

from __future__ import annotations

from riskwizard.answers import new_doc, record_answer
from riskwizard.assessment import open_assessment
from riskwizard.engine import evaluate_assessment
from riskwizard.loader import find_questionnaire, samples_dir
from riskwizard.tui.widgets.results import headline_text


def test_no_tier_counts_open_questions_without_other_questionnaires() -> None:
    spec = find_questionnaire("model-card")
    doc = new_doc([spec])
    record_answer(doc, spec.id, spec.questions()[0], "A model")
    results = evaluate_assessment(doc, [spec]).results
    text = headline_text(results).plain
    open_n = results[0].unanswered
    assert f"Next: {open_n} questions open" in text and "other questionnaires" not in text


def test_dont_know_answers_are_named_when_nothing_is_unanswered() -> None:
    assessment = open_assessment(samples_dir() / "cv-screening.yaml")
    results = assessment.evaluate().results
    unknown = sum(1 for r in results for q in r.open_questions if q.status == "unknown")
    unanswered = sum(r.unanswered for r in results)
    text = headline_text(results).plain
    if unanswered == 0 and unknown:
        assert f"answered or marked don't know ({unknown} don't know)" in text
    else:
        assert "every question is answered" not in text
