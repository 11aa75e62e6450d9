"""Reading answers through a questionnaire: visibility, shared facts, derived values, and answers in words.

:class:`AnswerView` is what conditions read; the engine, the consistency rules, the reports and the
wizard all use it, so a hidden question or a shared fact reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .answermap import FACT_KEY
from .answervalues import Answer
from .calc import run_calculator
from .conditions import ANSWERED, MISSING, UNKNOWN
from .loader import Spec
from .models import FactInput, ScoreInput
from .numbers import plain


class AnswerView:
    """Reads answers through visibility: a hidden question reads as unanswered."""

    def __init__(self, spec: Spec, answers: dict[str, Answer], measured: Mapping[str, Any] | None = None) -> None:
        self.spec = spec
        self.answers = answers
        # fact id -> codecarbon.Measurement read from the file the fact names (see derived `measured_by`)
        self.measured: Mapping[str, Any] = measured or {}
        self._visible: dict[str, bool] = {}
        self._sections: dict[str, bool] = {}
        self._derived: dict[str, float] | None = None
        self._raw: dict[str, tuple[str, Any]] = {}  # a view lives until the answers change
        self.scores: dict[str, float] = {}
        self._scores_final = False  # derived values that read scores wait for set_scores()

    def raw_status(self, qid: str) -> tuple[str, Any]:
        known = self._raw.get(qid)
        if known is not None:
            return known
        answer = self.answers.get(qid)
        if answer is None:
            found: tuple[str, Any] = (MISSING, None)
        elif answer.unknown:
            found = (UNKNOWN, None)
        elif not answer.is_answered:
            found = (MISSING, None)  # includes blank text: it stays an open question
        else:
            found = (ANSWERED, answer.value)
        self._raw[qid] = found
        return found

    def status(self, qid: str) -> tuple[str, Any]:
        if not self.is_visible(qid):
            return MISSING, None
        return self.raw_status(qid)

    def fact_status(self, fact_id: str) -> tuple[str, Any]:
        """A shared fact as stored, whether or not this questionnaire shows it."""
        local = self.spec.local_of.get(fact_id)
        return self.raw_status(local if local is not None else FACT_KEY + fact_id)

    def resolved(self, question: Any) -> Any:
        """The question as it applies now: a unit that follows another answer (``unit_by``) is filled in."""
        unit_by = getattr(question, "unit_by", None)
        if unit_by is None:
            return question
        status, value = self.fact_status(unit_by.fact) if unit_by.fact else self.status(unit_by.q)
        unit = unit_by.units.get(value) if status == ANSWERED else None
        return question if unit is None or unit == question.unit else question.model_copy(update={"unit": unit})

    def is_visible(self, qid: str) -> bool:
        cached = self._visible.get(qid)
        if cached is not None:
            return cached
        self._visible[qid] = True  # cycles are rejected at load time; this only guards recursion
        section = self.spec.section_of.get(qid)
        visible = True
        if section is not None:
            visible = self.section_visible(section)
        cond = self.spec.question_when.get(qid)
        if visible and cond is not None:
            visible = cond.evaluate(self)
        self._visible[qid] = visible
        return visible

    def section_visible(self, section_id: str) -> bool:
        cached = self._sections.get(section_id)
        if cached is None:
            self._sections[section_id] = True
            cond = self.spec.section_when.get(section_id)
            cached = cond.evaluate(self) if cond is not None else True
            self._sections[section_id] = cached
        return cached

    def derived(self, name: str) -> float | None:
        return self.derived_values().get(name)

    def derived_values(self) -> dict[str, float]:
        if self._derived is None:
            self._derived = {}
            for d in self.spec.model.derived:
                if d.id in self.spec.score_derived and not self._scores_final:
                    continue
                inputs = {}
                unknown = set()  # "don't know" never becomes a default inside a calculator
                for key, qid in d.inputs.items():
                    if isinstance(qid, ScoreInput):
                        inputs[key] = self._dimension_input(qid)
                        continue
                    status, value = self.fact_status(qid.fact) if isinstance(qid, FactInput) else self.status(qid)
                    inputs[key] = value if status == ANSWERED else None
                    if status == UNKNOWN:
                        unknown.add(key)
                measurement = self.measured.get(d.measured_by) if d.measured_by else None
                outputs = (dict(measurement.values) if measurement is not None
                           else run_calculator(d.fn, inputs, frozenset(unknown)))
                for k, v in (outputs or {}).items():
                    self._derived[f"{d.id}.{k}"] = v
        return self._derived

    def measurements(self) -> dict[str, dict[str, Any]]:
        """Derived id -> the measurement (as a dict) that replaced its estimate."""
        return {d.id: self.measured[d.measured_by].to_dict() for d in self.spec.model.derived
                if d.measured_by and d.measured_by in self.measured}

    def _dimension_input(self, ref: ScoreInput) -> float | None:
        if ref.score is not None:
            return self.scores.get(ref.score, 0.0)
        return next((d.max for d in self.spec.model.dimensions if d.id == ref.max), None)

    def set_scores(self, scores: dict[str, float]) -> None:
        """The summed scores: from now on, derived values that read them are computed too."""
        self.scores = scores
        self._scores_final = True
        self._derived = None

    def score(self, dimension: str) -> float:
        return self.scores.get(dimension, 0.0)

    def visible_questions(self) -> list[Any]:
        """Visible questions, each as it applies now (see :meth:`resolved`)."""
        return [self.resolved(q) for q in self.spec.questions() if self.is_visible(q.id)]


UNANSWERED = "(unanswered)"  # what format_value shows for no answer (also a question not asked after earlier ones)


def format_value(question: Any, answer: Answer | None) -> str:
    """A short human-readable rendering of an answer."""
    if answer is None or (answer.value is None and not answer.unknown):
        return UNANSWERED
    if answer.unknown:
        return "don't know"
    return format_raw(question, answer.value)


def format_raw(question: Any, value: Any) -> str:
    qtype = question.type
    if qtype == "single":
        return next((o.label for o in question.options if o.value == value), str(value))
    if qtype == "multi":
        labels = [o.label for o in question.options if o.value in value]
        return "; ".join(labels) if labels else "(none selected)"
    if qtype == "yesno":
        return "Yes" if value == "yes" else "No"
    if qtype in ("number", "percent"):
        unit = question.unit
        number = plain(value) if isinstance(value, float) else f"{value:,}"
        return f"{number}%" if qtype == "percent" else (f"{number} {unit}" if unit else number)
    if qtype == "group":
        return f"{len(value)} {question.row_label}{'s' if len(value) != 1 else ''}"
    return str(value)
