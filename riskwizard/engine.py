"""Evaluate answers against a questionnaire: visibility, rules, tiers, scores, obligations, trace.

Nothing here knows about the terminal or about documents; the TUI, CLI and reports all read the
same :class:`AssessmentResult`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .answermap import FACT_KEY, QuestionnaireAnswers
from .answers import Answer, AnswersDoc
from .conditions import ANSWERED, UNKNOWN, Condition, Leaf
from .consistency import Contradiction, ContradictionSide, find_contradictions
from .coverage import SEPARATOR, Covered, crosses, listed
from .explain import Held, held
from .loader import Spec
from .models import SEVERITY_ORDER, Severity
from .numbers import plain
from .timeline import gate_open, resolve
from .views import AnswerView, format_raw, format_value

__all__ = [  # the answer views live in riskwizard.views; these names stay importable from here
    "AnswerView", "AssessmentResult", "Contradiction", "ContradictionSide", "QuestionnaireResult", "evaluate",
    "evaluate_assessment", "format_raw", "format_value", "severity_at_least", "tier_of",
]


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
    because: list[Held] = field(default_factory=list)  # the comparisons that made the tier rule fire, in words


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
    # derived id -> the CodeCarbon measurement whose totals replaced the estimate (codecarbon.Measurement.to_dict)
    measured: dict[str, dict[str, Any]] = field(default_factory=dict)
    # fired findings not listed because a listed finding covers them (see riskwizard.coverage)
    covered: list[Covered] = field(default_factory=list)
    # the key dates of the law that concern the system (date, event, citation), oldest first
    key_dates: list[dict[str, str]] = field(default_factory=list)

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
    contradictions: list[Contradiction] = field(default_factory=list)  # see riskwizard.consistency

    @property
    def consistent(self) -> bool:
        return not self.contradictions

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
            "contradictions": [{**asdict(c), "message": c.message} for c in self.contradictions],
        }


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


def evaluate(spec: Spec, answers: dict[str, Answer], view: AnswerView | None = None) -> QuestionnaireResult:
    """Score one questionnaire. ``view`` is a fresh AnswerView of these answers, to share with others.

    The answers of an open document (a :class:`QuestionnaireAnswers`) are scored again only when
    something the questionnaire reads has changed since its last result: after a keypress every
    questionnaire of the assessment is up to date, and only those whose answers or shared facts
    changed cost anything. Treat the result as read-only.
    """
    if isinstance(answers, QuestionnaireAnswers):
        key = (_signature(answers), _measured_signature(view))
        memo = _MEMO.get(spec.id)
        if memo is not None and memo[0] is spec and memo[1] == key:
            return memo[2]
        result = _evaluate(spec, answers, view)
        _MEMO[spec.id] = (spec, key, result)
        return result
    return _evaluate(spec, answers, view)


# questionnaire id -> (spec, signature of its answers, result): the last result of each questionnaire
_MEMO: dict[str, tuple[Spec, tuple[Any, ...], QuestionnaireResult]] = {}


def _signature(answers: QuestionnaireAnswers) -> tuple[Any, ...]:
    """What a questionnaire's result depends on: every answer it can read (values and "don't know")."""
    return tuple((k, a.unknown, _frozen(a.value)) for k, a in answers.items())


def _measured_signature(view: AnswerView | None) -> tuple[Any, ...]:
    """The measurements a result depends on (a new file read means a new result)."""
    if view is None:
        return ()
    return tuple(sorted((fid, m.path, tuple(sorted(m.values.items())), len(m.runs))
                        for fid, m in view.measured.items()))


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _evaluate(spec: Spec, answers: dict[str, Answer], view: AnswerView | None = None) -> QuestionnaireResult:
    view = view if view is not None else AnswerView(spec, answers)
    model = spec.model
    fired, scores = _fire(spec, view)
    flags: list[str] = []
    findings: list[FindingResult] = []
    trace: list[TraceEntry] = []
    tier = _tier(spec, [r for r in fired if r.tier])
    if tier is not None and tier.rule_id:
        tier.because = held(spec, view, spec.rule_when[tier.rule_id])
    for rule in fired:
        effects = _effects(rule)
        shown = not rule.only_at_tiers or (tier is not None and tier.id in rule.only_at_tiers)
        if shown:
            for flag in rule.flags:
                if flag not in flags:
                    flags.append(flag)
            if rule.finding:
                findings.append(finding_of(spec.id, rule))
        elif rule.finding or rule.flags:
            effects.append(f"finding and flags not shown at tier {tier.id if tier else '(none)'}")
        trace.append(TraceEntry(rule.id, rule.description, effects,
                                _evidence(spec, view, spec.rule_when[rule.id])))
    rules = {r.id: r for r in fired}
    keep, covered = listed([(spec.id, rules[f.rule_id], f) for f in findings])
    findings = [f for f in findings if (spec.id, f.rule_id) in keep]
    findings.sort(key=lambda f: -Severity(f.severity).rank)
    trace = _noted(trace, covered)
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
        pending_obligations=pending, measured=view.measurements(), covered=covered,
        key_dates=_key_dates(spec, view, tier, flags))


COVERED_NOTE = "finding not listed: covered by "


def finding_of(questionnaire_id: str, rule: Any) -> FindingResult:
    """The finding of a rule (that has one), as a result of ``questionnaire_id``."""
    f = rule.finding
    return FindingResult(rule.id, f.severity.value, f.title, f.explanation, f.recommendation, f.citation,
                         questionnaire_id)


def _noted(trace: list[TraceEntry], covered: list[Covered]) -> list[TraceEntry]:
    """The trace with each covered rule saying which finding covers its own (notes of earlier passes replaced)."""
    by = {c.rule_id: c for c in covered}
    out = []
    for entry in trace:
        effects = [e for e in entry.effects if not e.startswith(COVERED_NOTE)]
        c = by.get(entry.rule_id)
        if c is not None:
            effects.append(f"{COVERED_NOTE}{c.by_questionnaire}{SEPARATOR}{c.by_rule} ({c.by_title})")
        out.append(entry if effects == entry.effects else replace(entry, effects=effects))
    return out


def _cover_across(results: list[QuestionnaireResult], specs: list[Spec]) -> list[QuestionnaireResult]:
    """The results with the findings that another questionnaire's listed finding covers left out.

    One pass over every fired finding of the assessment (see :func:`riskwizard.coverage.listed`), so a
    finding hidden in its own questionnaire is listed again when what covered it is itself covered.
    The results of :func:`evaluate` are shared, so changed ones are copies.
    """
    models = {s.id: s.model for s in specs}
    if not crosses(models.values()):
        return results
    fired: list[tuple[str, Any, FindingResult]] = []
    for r in results:
        rules = {rule.id: rule for rule in models[r.questionnaire_id].rules}
        found = {f.rule_id: f for f in r.findings}
        found |= {c.rule_id: finding_of(r.questionnaire_id, rules[c.rule_id]) for c in r.covered}
        fired += [(r.questionnaire_id, rules[t.rule_id], found[t.rule_id]) for t in r.trace if t.rule_id in found]
    keep, covered = listed(fired)
    out = []
    for r in results:
        mine = [c for c in covered if c.questionnaire == r.questionnaire_id]
        if mine == r.covered:
            out.append(r)
            continue
        findings = [f for qid, _, f in fired if qid == r.questionnaire_id and (qid, f.rule_id) in keep]
        findings.sort(key=lambda f: -Severity(f.severity).rank)
        out.append(replace(r, findings=findings, covered=mine, trace=_noted(r.trace, mine)))
    return out


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
        if not _concerns(ob, spec.obligation_when.get(ob.id), view, tier, flags):
            continue
        if ob.timeline is None:
            out.append(ObligationResult(ob.id, ob.title, ob.text, ob.citation, ob.applies_from, ob.date_source))
            continue
        dates = resolve(spec.model, ob.timeline)
        result = ObligationResult(ob.id, ob.title, ob.text, ob.citation, dates.applies_from, dates.source,
                                  [row.to_dict() for row in dates.rows])
        (out if dates.in_law else pending).append(result)
    return out, pending


def _concerns(item: Any, cond: Condition | None, view: AnswerView, tier: TierResult | None,
              flags: list[str]) -> bool:
    """Whether an obligation or a key date concerns the system: at one of its ``tiers``, with one of its
    ``flags``, none of its ``unless_flags``, and its ``when`` true (each only when given)."""
    if item.tiers and (tier is None or tier.id not in item.tiers):
        return False
    if item.flags and not any(f in flags for f in item.flags):
        return False
    if any(f in flags for f in item.unless_flags):
        return False
    return cond is None or cond.evaluate(view)


def _key_dates(spec: Spec, view: AnswerView, tier: TierResult | None, flags: list[str]) -> list[dict[str, str]]:
    """The questionnaire's key dates of the law that concern the system."""
    return [{"date": k.date, "event": k.event, "citation": k.citation}
            for k, cond in zip(spec.model.key_dates, spec.key_date_when, strict=True)
            if _concerns(k, cond, view, tier, flags)]


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
            out.append(Evidence(leaf.ref, "q", format_value(view.resolved(question), answer)))
        elif leaf.kind == "fact":
            status, _ = view.fact_status(leaf.ref)
            try:
                question = spec.fact_question(leaf.ref)
            except KeyError:
                continue
            local = spec.local_of.get(leaf.ref)
            answer = view.answers.get(local if local is not None else FACT_KEY + leaf.ref)
            out.append(Evidence(leaf.ref, "fact", format_value(view.resolved(question), answer)))
        elif leaf.kind == "derived":
            value = view.derived(leaf.ref)  # None: the calculator could not compute it (inputs missing, or not
            # measured); said as "not computed", never "unknown", which reads like a "don't know" answer
            out.append(Evidence(leaf.ref, "derived", "not computed" if value is None else plain(value)))
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
    """Every questionnaire, then the consistency rules across them and the conflicts left to settle."""
    doc.bind(specs)
    views = {s.id: AnswerView(s, doc.answers_for(s.id), doc.measured) for s in specs}
    result = AssessmentResult(_cover_across([evaluate(s, views[s.id].answers, views[s.id]) for s in specs], specs))
    result.contradictions = find_contradictions(doc, specs, views)
    return result


def severity_at_least(severity: str, threshold: str) -> bool:
    return SEVERITY_ORDER.index(Severity(severity)) >= SEVERITY_ORDER.index(Severity(threshold))
