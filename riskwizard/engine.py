"""Evaluate answers against a questionnaire: visibility, rules, tiers, scores, obligations, trace.

Nothing here knows about the terminal or about documents; the TUI, CLI and reports all read the
same :class:`AssessmentResult`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .answers import Answer, AnswersDoc
from .calc import run_calculator
from .conditions import ANSWERED, MISSING, UNKNOWN, Condition, Leaf
from .loader import Spec
from .models import SEVERITY_ORDER, ScoreInput, Severity
from .timeline import gate_open, resolve


@dataclass
class Evidence:
    ref: str
    kind: str  # q, derived or score
    shown: str


@dataclass
class TraceEntry:
    rule_id: str
    description: str
    effects: list[str]
    evidence: list[Evidence]


@dataclass
class FindingResult:
    rule_id: str
    severity: str
    title: str
    explanation: str
    recommendation: str
    citation: str
    questionnaire: str = ""


@dataclass
class TierResult:
    id: str
    title: str
    description: str
    reason: str
    rule_id: str | None
    label: str = "Tier"


@dataclass
class ObligationResult:
    id: str
    title: str
    text: str
    citation: str
    applies_from: str | None
    date_source: str
    # with a questionnaire timeline: every act's date for this obligation, with its status (see timeline.py)
    timeline: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class OpenQuestion:
    id: str
    prompt: str
    section: str
    status: str  # unanswered or unknown


@dataclass
class QuestionnaireResult:
    questionnaire_id: str
    version: str
    title: str
    tier: TierResult | None
    scores: dict[str, float]
    dimension_titles: dict[str, str]
    flags: list[str]
    findings: list[FindingResult]
    obligations: list[ObligationResult]
    trace: list[TraceEntry]
    open_questions: list[OpenQuestion]
    derived: dict[str, float]
    answered: int
    visible: int
    as_of: str | None = None
    # obligations whose date is set only by an act that is not law yet: shown apart, never as duties
    pending_obligations: list[ObligationResult] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        """Visible questions with no answer at all ("don't know" counts as an answer here)."""
        return sum(1 for q in self.open_questions if q.status == "unanswered")

    @property
    def provisional(self) -> bool:
        """A tier computed while questions are still unanswered may change when they are answered."""
        return self.tier is not None and self.unanswered > 0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "unanswered": self.unanswered, "provisional": self.provisional}


@dataclass
class AssessmentResult:
    results: list[QuestionnaireResult] = field(default_factory=list)

    @property
    def overall_tier(self) -> TierResult | None:
        """The legal tier if the EU AI Act questionnaire is part of the assessment, else the first tier."""
        for r in self.results:
            if r.questionnaire_id == "eu-ai-act" and r.tier:
                return r.tier
        return next((r.tier for r in self.results if r.tier), None)

    @property
    def overall_result(self) -> QuestionnaireResult | None:
        """The questionnaire whose tier is the overall tier."""
        for r in self.results:
            if r.questionnaire_id == "eu-ai-act" and r.tier:
                return r
        return next((r for r in self.results if r.tier), None)

    @property
    def findings(self) -> list[FindingResult]:
        found = [f for r in self.results for f in r.findings]
        return sorted(found, key=lambda f: -Severity(f.severity).rank)

    @property
    def highest_severity(self) -> str | None:
        found = self.findings
        return found[0].severity if found else None

    def result(self, questionnaire_id: str) -> QuestionnaireResult | None:
        return next((r for r in self.results if r.questionnaire_id == questionnaire_id), None)

    def to_dict(self) -> dict[str, Any]:
        overall = self.overall_tier
        holder = self.overall_result
        return {
            "overall_tier": asdict(overall) if overall else None,
            "overall_provisional": bool(holder and holder.provisional),
            "highest_severity": self.highest_severity,
            "questionnaires": [r.to_dict() for r in self.results],
        }


# --------------------------------------------------------------------------- answer views


class AnswerView:
    """Reads answers through visibility: a hidden question reads as unanswered."""

    def __init__(self, spec: Spec, answers: dict[str, Answer]) -> None:
        self.spec = spec
        self.answers = answers
        self._visible: dict[str, bool] = {}
        self._sections: dict[str, bool] = {}
        self._derived: dict[str, float] | None = None
        self.scores: dict[str, float] = {}
        self._scores_final = False  # derived values that read scores wait for set_scores()

    def raw_status(self, qid: str) -> tuple[str, Any]:
        answer = self.answers.get(qid)
        if answer is None:
            return MISSING, None
        if answer.unknown:
            return UNKNOWN, None
        if not answer.is_answered:
            return MISSING, None  # includes blank text: it stays an open question
        return ANSWERED, answer.value

    def status(self, qid: str) -> tuple[str, Any]:
        if not self.is_visible(qid):
            return MISSING, None
        return self.raw_status(qid)

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
                for key, qid in d.inputs.items():
                    if isinstance(qid, ScoreInput):
                        inputs[key] = self._dimension_input(qid)
                        continue
                    status, value = self.status(qid)
                    inputs[key] = value if status == ANSWERED else None
                outputs = run_calculator(d.fn, inputs)
                for k, v in (outputs or {}).items():
                    self._derived[f"{d.id}.{k}"] = v
        return self._derived

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
        return [q for q in self.spec.questions() if self.is_visible(q.id)]


def format_value(question: Any, answer: Answer | None) -> str:
    """A short human-readable rendering of an answer."""
    if answer is None or (answer.value is None and not answer.unknown):
        return "(unanswered)"
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
        number = f"{value:,.6g}" if isinstance(value, float) else f"{value:,}"
        return f"{number}%" if qtype == "percent" else (f"{number} {unit}" if unit else number)
    if qtype == "group":
        return f"{len(value)} {question.row_label}{'s' if len(value) != 1 else ''}"
    return str(value)


# --------------------------------------------------------------------------- evaluation


def _fire(spec: Spec, view: AnswerView) -> tuple[list[Any], dict[str, float]]:
    """The rules that fire, in file order, and the summed scores (set on the view)."""
    model = spec.model
    fired_plain: list[Any] = []
    scores: dict[str, float] = {d.id: 0.0 for d in model.dimensions}
    late = []
    for position, rule in enumerate(model.rules):
        if rule.law_gate is not None and not gate_open(model, rule.law_gate):
            continue
        if rule.id in spec.late_rules:
            late.append((position, rule))
            continue
        if spec.rule_when[rule.id].evaluate(view):
            fired_plain.append((position, rule))
            for dim, amount in rule.score.items():
                scores[dim] = scores.get(dim, 0.0) + amount
    view.set_scores(scores)
    fired_late = [(i, r) for i, r in late
                  if (r.law_gate is None or gate_open(model, r.law_gate)) and spec.rule_when[r.id].evaluate(view)]
    return [rule for _, rule in sorted(fired_plain + fired_late, key=lambda pair: pair[0])], scores


def tier_of(spec: Spec, answers: dict[str, Answer]) -> TierResult | None:
    """Only the tier of these answers (no trace, evidence or obligations): for trying many alternatives."""
    return _tier(spec, [r for r in _fire(spec, AnswerView(spec, answers))[0] if r.tier])


def evaluate(spec: Spec, answers: dict[str, Answer]) -> QuestionnaireResult:
    view = AnswerView(spec, answers)
    model = spec.model
    fired, scores = _fire(spec, view)
    flags: list[str] = []
    findings: list[FindingResult] = []
    trace: list[TraceEntry] = []
    tier = _tier(spec, [r for r in fired if r.tier])
    for rule in fired:
        effects = _effects(rule)
        shown = not rule.only_at_tiers or (tier is not None and tier.id in rule.only_at_tiers)
        if shown:
            for flag in rule.flags:
                if flag not in flags:
                    flags.append(flag)
            if rule.finding:
                f = rule.finding
                findings.append(FindingResult(rule.id, f.severity.value, f.title, f.explanation,
                                              f.recommendation, f.citation, spec.id))
        elif rule.finding or rule.flags:
            effects.append(f"finding and flags not shown at tier {tier.id if tier else '(none)'}")
        trace.append(TraceEntry(rule.id, rule.description, effects,
                                _evidence(spec, view, spec.rule_when[rule.id])))
    findings.sort(key=lambda f: -Severity(f.severity).rank)
    obligations, pending = _obligations(spec, view, tier, flags)
    visible = view.visible_questions()
    open_q: list[OpenQuestion] = []
    answered = 0
    for q in visible:
        status, _ = view.raw_status(q.id)
        if status == ANSWERED:
            answered += 1
        else:
            section = next(s.title for s in model.sections if s.id == spec.section_of[q.id])
            open_q.append(OpenQuestion(q.id, q.prompt, section, "unknown" if status == UNKNOWN else "unanswered"))
    return QuestionnaireResult(
        questionnaire_id=spec.id, version=spec.version, title=model.title, tier=tier,
        scores=scores, dimension_titles={d.id: d.title for d in model.dimensions}, flags=flags,
        findings=findings, obligations=obligations, trace=trace, open_questions=open_q,
        derived=dict(view.derived_values()), answered=answered, visible=len(visible), as_of=model.as_of,
        pending_obligations=pending)


def _tier(spec: Spec, tier_rules: list[Any]) -> TierResult | None:
    outcome = spec.model.outcome
    if outcome is None:
        return None
    order = [lvl.id for lvl in outcome.levels]
    chosen = None
    if tier_rules:
        chosen = tier_rules[0] if outcome.mode == "first_match" else min(tier_rules, key=lambda r: order.index(r.tier))
    if chosen is None:
        lvl = spec.model.level(outcome.default)
        return TierResult(lvl.id, lvl.title, lvl.description, outcome.default_reason, None, outcome.label)
    lvl = spec.model.level(chosen.tier)
    return TierResult(lvl.id, lvl.title, lvl.description, chosen.reason, chosen.id, outcome.label)


def _obligations(spec: Spec, view: AnswerView, tier: TierResult | None,
                 flags: list[str]) -> tuple[list[ObligationResult], list[ObligationResult]]:
    """The obligations that apply, and those that would apply once a pending act is law."""
    out, pending = [], []
    for ob in spec.model.obligations:
        if ob.tiers and (tier is None or tier.id not in ob.tiers):
            continue
        if ob.flags and not any(f in flags for f in ob.flags):
            continue
        if any(f in flags for f in ob.unless_flags):
            continue
        cond = spec.obligation_when.get(ob.id)
        if cond is not None and not cond.evaluate(view):
            continue
        if ob.timeline is None:
            out.append(ObligationResult(ob.id, ob.title, ob.text, ob.citation, ob.applies_from, ob.date_source))
            continue
        dates = resolve(spec.model, ob.timeline)
        result = ObligationResult(ob.id, ob.title, ob.text, ob.citation, dates.applies_from, dates.source,
                                  [row.to_dict() for row in dates.rows])
        (out if dates.in_law else pending).append(result)
    return out, pending


def _effects(rule: Any) -> list[str]:
    effects = []
    if rule.tier:
        effects.append(f"tier={rule.tier}")
    effects += [f"score {dim}{amount:+g}" for dim, amount in rule.score.items()]
    effects += [f"flag {flag}" for flag in rule.flags]
    if rule.finding:
        effects.append(f"finding ({rule.finding.severity.value})")
    return effects


def _evidence(spec: Spec, view: AnswerView, cond: Condition) -> list[Evidence]:
    out: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    for leaf in _outer_leaves(cond):
        key = (leaf.kind, leaf.ref)
        if key in seen:
            continue
        seen.add(key)
        if leaf.kind == "q":
            try:
                question = spec.question(leaf.ref)
            except KeyError:
                continue
            answer = view.answers.get(leaf.ref) if view.is_visible(leaf.ref) else None
            out.append(Evidence(leaf.ref, "q", format_value(question, answer)))
        elif leaf.kind == "derived":
            value = view.derived(leaf.ref)
            out.append(Evidence(leaf.ref, "derived", "unknown" if value is None else f"{value:,.6g}"))
        else:
            out.append(Evidence(leaf.ref, "score", f"{view.score(leaf.ref):g}"))
    return out


def _outer_leaves(cond: Condition) -> list[Leaf]:
    """Leaves that refer to top-level questions, derived values and scores.

    Fields inside a group row (``any_row``/``all_rows``) are left out: their ids may repeat a
    top-level question id, and the group itself is listed as the evidence.
    """
    return list(cond.leaves())


def evaluate_assessment(doc: AnswersDoc, specs: list[Spec]) -> AssessmentResult:
    return AssessmentResult([evaluate(s, doc.answers.get(s.id, {})) for s in specs])


def severity_at_least(severity: str, threshold: str) -> bool:
    return SEVERITY_ORDER.index(Severity(severity)) >= SEVERITY_ORDER.index(Severity(threshold))
