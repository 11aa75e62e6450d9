"""The one place reports read answers from.

Every report module reads answers through :class:`ReportAnswers`, never from ``AnswersDoc.answers``
directly (tests/reports/test_accessor.py checks this), so that where an answer is stored can change in
one place: answers shared by several questionnaires ("facts", issue #12) will be looked up here.
"""

from __future__ import annotations

from typing import Any

from ..answers import Answer, AnswersDoc


class ReportAnswers:
    """Answers by questionnaire and question id, as the report sees them."""

    def __init__(self, doc: AnswersDoc) -> None:
        self.doc = doc

    def of(self, questionnaire_id: str) -> dict[str, Answer]:
        """Every answer of one questionnaire, keyed by question id (what an AnswerView reads)."""
        return self.doc.answers.get(questionnaire_id, {})

    def get(self, questionnaire_id: str, question_id: str) -> Answer | None:
        return self.of(questionnaire_id).get(question_id)

    def value(self, questionnaire_id: str, question_id: str) -> Any:
        """The answered value, or None when unanswered, blank or "don't know"."""
        answer = self.get(questionnaire_id, question_id)
        if answer is None or answer.unknown or not answer.is_answered:
            return None
        return answer.value

    def is_unknown(self, questionnaire_id: str, question_id: str) -> bool:
        answer = self.get(questionnaire_id, question_id)
        return bool(answer is not None and answer.unknown)

    def orphaned(self, questionnaire_id: str) -> dict[str, Any]:
        return self.doc.orphaned.get(questionnaire_id, {})
