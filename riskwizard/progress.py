"""How many questions are left in each framework (questionnaire), given the answers already there.

A shared fact answered anywhere counts as answered in every questionnaire that asks it, so a user who
has done the EU AI Act and harms sees how much of the Canada AIA is already done before adding it.
The counts follow the questions as the wizard shows them: only visible questions count (a follow-up
hidden by an earlier answer is not left to do), and "don't know" is still left, as in the open
questions of a result. Pure domain code: the CLI prints it and the wizard can show it.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

from .answermap import QuestionnaireAnswers
from .conditions import ANSWERED
from .views import AnswerView


@dataclass(frozen=True)
class FrameworkProgress:
    questionnaire_id: str
    title: str
    visible: int  # questions shown, given the answers so far
    answered: int  # of those, answered (don't know is not an answer here)
    left: int  # visible - answered
    shared_answered: int  # of the answered, shared facts (answered once, here or in another questionnaire)

    @property
    def line(self) -> str:
        """``framework X: N questions left`` with what is done already."""
        shared = f", {self.shared_answered} of them shared facts" if self.shared_answered else ""
        plural = "" if self.left == 1 else "s"
        return (f"framework {self.questionnaire_id}: {self.left} question{plural} left "
                f"({self.answered} of {self.visible} answered{shared})")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def answers_with_facts(doc: Any, spec: Any) -> QuestionnaireAnswers:
    """The answers ``spec`` would see in ``doc`` (its own, if any, and the shared facts), without
    changing ``doc``: a questionnaire not in the assessment sees the facts only."""
    stored = doc.answers.get(spec.id)
    local = stored.local if isinstance(stored, QuestionnaireAnswers) else (stored or {})
    answers = QuestionnaireAnswers(dict(local))
    answers.bind(doc.facts, spec.fact_of, spec.reads)
    return answers


def progress_of(doc: Any, spec: Any) -> FrameworkProgress:
    view = AnswerView(spec, answers_with_facts(doc, spec))
    visible = view.visible_questions()
    answered = [q.id for q in visible if view.raw_status(q.id)[0] == ANSWERED]
    shared = sum(1 for qid in answered if qid in spec.fact_of)
    return FrameworkProgress(spec.id, spec.model.title, len(visible), len(answered), len(visible) - len(answered),
                             shared)


def questions_left(doc: Any, specs: list[Any]) -> list[FrameworkProgress]:
    """For each questionnaire in ``specs`` (in the assessment or not), how many questions are left."""
    return [progress_of(doc, spec) for spec in specs]


def may_apply(doc: Any, spec: Any) -> bool:
    """False only when the questionnaire's ``applies_when`` cannot hold whatever the open scope facts are
    answered (a hiring tool that says there is no paper gets no NeurIPS line, whatever its venue would be);
    a condition that some answer to an open fact would satisfy counts as may apply."""
    from .applicability import suggest_questionnaires

    cond = spec.applies_when
    if cond is None:
        return True
    facts = doc.facts
    open_ids = sorted(fid for fid in cond.fact_refs()
                      if fid not in facts or not (facts[fid].is_answered or facts[fid].unknown))
    choices = [_possible_answers(spec, fid) for fid in open_ids]
    if any(c is None for c in choices):
        return True  # a number or a text: every value cannot be tried, so it stays undecided
    for combination in itertools.product(*[c for c in choices if c is not None]):
        trial = {**facts, **dict(zip(open_ids, combination, strict=True))}
        if suggest_questionnaires(trial, [spec])[0].applies:
            return True
    return False


def _possible_answers(spec: Any, fact_id: str) -> list[Any] | None:
    """Every answer a choice fact can take (unanswered included), or None for a fact that is not a choice."""
    fact = spec.fact_defs.get(fact_id)
    question = fact.question if fact is not None else None
    if question is None:
        return None
    if question.type == "yesno":
        return [None, "yes", "no"]
    values = [o.value for o in getattr(question, "options", ())]
    if question.type == "single":
        return [None, *values]
    if question.type == "multi" and len(values) <= 8:
        subsets = itertools.chain.from_iterable(itertools.combinations(values, n) for n in range(1, len(values) + 1))
        return [None, *(list(s) for s in subsets)]
    return None


def progress_report(doc: Any, specs: list[Any], others: list[Any]) -> tuple[list[FrameworkProgress],
                                                                         list[FrameworkProgress]]:
    """The assessment's questionnaires, and the other questionnaires that may apply (``others`` minus the
    ones in ``specs`` and the ones whose scope facts rule them out)."""
    ids = {s.id for s in specs}
    rest = [s for s in others if s.id not in ids and may_apply(doc, s)]
    return questions_left(doc, specs), questions_left(doc, rest)
