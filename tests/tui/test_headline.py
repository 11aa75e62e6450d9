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


def test_every_question_answered_names_dont_know_answers() -> None:
    assessment = open_assessment(samples_dir() / "cv-screening.yaml")
    results = assessment.evaluate().results
    assert sum(r.unanswered for r in results) == 0, "the sample is expected to be complete"
    unknown = sum(1 for r in results for q in r.open_questions if q.status == "unknown")
    text = headline_text(results).plain
    if unknown:
        assert f"answered or marked don't know ({unknown} don't know)" in text
    else:
        assert "every question is answered" in text and "don't know" not in text
    # mark one answered question "don't know": the headline must now name it
    spec = next(s for s in assessment.specs if any(q.unknown_allowed and q.type != "group"
                                                      for q in s.questions()))
    question = next(q for q in spec.questions() if q.unknown_allowed and q.type != "group"
                    and assessment.doc.answers_for(spec.id).get(q.id) is not None
                    and not assessment.doc.answers_for(spec.id).get(q.id).unknown)
    record_answer(assessment.doc, spec.id, question, None, unknown=True)
    results = evaluate_assessment(assessment.doc, assessment.specs).results
    unknown_after = sum(1 for r in results for q in r.open_questions if q.status == "unknown")
    assert unknown_after == unknown + 1
    text = headline_text(results).plain
    if sum(r.unanswered for r in results) == 0:
        assert f"answered or marked don't know ({unknown_after} don't know)" in text
