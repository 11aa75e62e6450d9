"""What would change the tier: single answer changes that move a questionnaire's tier, most relevant first.

For every visible question that a tier rule (or a ``when:`` condition) reads, a covering set of
alternative answers is tried (:func:`riskwizard.loader.candidate_answers`); each alternative that moves
the tier is classified, and the most relevant one per question is kept. Relevance, first to last:

1. ``open``: the question is unanswered or "don't know": answering it is the next thing to do.
2. ``follow_up``: answered, and asked only because of other answers (a ``when:`` on the question or
   its section): a different choice among the specific cases is plausible for this system.
3. ``revised``: answered, asked of every system: it changes only if the answer given was wrong.
4. ``contradicts``: the change would make answered questions no longer apply, or it would turn a given
   answer into an exclusion or the most serious level (a prohibition): listed last, for completeness.

Within each class, moves toward a more serious tier come first, then lighter ones; the extremes (the
most serious level, and exclusions: levels that no obligation of the questionnaire applies to, such as
"outside the AI Act") come after both. Every change carries a one-sentence reason saying why it is
listed.

Nothing here knows about the terminal; the TUI and reports read :class:`Change`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import Answer
from .conditions import ANSWERED, MISSING, UNKNOWN, Leaf
from .engine import AnswerView, evaluate, format_value, tier_of
from .loader import Spec, candidate_answers

KINDS = ("open", "follow_up", "revised", "contradicts")
DIRECTIONS = ("stricter", "lighter", "exclusion")


@dataclass
class Change:
    question_id: str
    prompt: str
    current: str
    alternative: str
    new_tier: str
    new_tier_title: str
    kind: str = "open"  # one of KINDS
    direction: str = "stricter"  # one of DIRECTIONS
    reason: str = ""
    no_longer_apply: int = 0  # answered questions that the change would make irrelevant

    @property
    def likely(self) -> bool:
        """False for changes that contradict other answers (shown last, for completeness)."""
        return self.kind != "contradicts"


def what_would_change(spec: Spec, answers: dict[str, Answer], limit: int | None = None) -> list[Change]:
    """Single answer changes that would move the tier, one per question, most relevant first."""
    outcome = spec.model.outcome
    if outcome is None:
        return []
    base = evaluate(spec, answers)
    assert base.tier is not None
    order = [level.id for level in outcome.levels]
    exclusions = _exclusion_levels(spec)
    leaves_by_q: dict[str, list[Leaf]] = {}
    for cond in [*spec.rule_when.values(), *(c for c in spec.question_when.values() if c)]:
        for leaf in cond.leaves():
            if leaf.kind == "q":
                leaves_by_q.setdefault(leaf.ref, []).append(leaf)
    view = AnswerView(spec, answers)
    visible = view.visible_questions()
    answered_visible = {q.id for q in visible if view.raw_status(q.id)[0] != MISSING}
    ranked: list[tuple[tuple[int, ...], Change]] = []
    for position, question in enumerate(visible):
        if question.id not in leaves_by_q or question.type in ("group", "text"):
            continue
        current = answers.get(question.id)
        current_key = _answer_key(current)
        status_now = view.raw_status(question.id)[0]
        conditional = _conditional(spec, question.id)
        # The best key this question can reach: once found, the other alternatives need not be tried.
        best_kind = "open" if status_now != ANSWERED else ("follow_up" if conditional else "revised")
        best_possible = (KINDS.index(best_kind), 0, 0, 0, 1)
        best: tuple[tuple[int, ...], Change] | None = None
        for status, value in _alternatives(question, current, leaves_by_q[question.id]):
            alternative = Answer(value=value if status == ANSWERED else None, unknown=status == UNKNOWN)
            if _answer_key(alternative) == current_key:
                continue
            trial = dict(answers)
            trial[question.id] = alternative
            tier = tier_of(spec, trial)
            if tier is None or tier.id == base.tier.id:
                continue
            trial_view = AnswerView(spec, trial)
            gone = sum(1 for qid in answered_visible if qid != question.id and not trial_view.is_visible(qid))
            if tier.id in exclusions:
                direction = "exclusion"
            elif order.index(tier.id) < order.index(base.tier.id):
                direction = "stricter"
            else:
                direction = "lighter"
            most_serious = tier.id == next((lvl for lvl in order if lvl not in exclusions), None)
            extreme = direction == "exclusion" or most_serious
            if gone:
                kind = "contradicts"
            elif status_now != ANSWERED:
                kind = "open"
            elif extreme:
                kind = "contradicts"
            elif conditional:
                kind = "follow_up"
            else:
                kind = "revised"
            shown_now = format_value(question, current)
            change = Change(question.id, question.prompt, shown_now, format_value(question, alternative),
                            tier.id, tier.title, kind, direction,
                            _reason(kind, direction, shown_now, gone), gone)
            distance = _distance(question, current, alternative)
            key = (KINDS.index(kind), int(extreme), DIRECTIONS.index(direction), int(status == UNKNOWN), distance,
                   position)
            if best is None or key < best[0]:
                best = (key, change)
                if key[:5] <= best_possible:
                    break
        if best is not None:
            ranked.append(best)
    ranked.sort(key=lambda pair: pair[0])
    changes = [change for _key, change in ranked]
    return changes[:limit] if limit is not None else changes


def _alternatives(question: Any, current: Answer | None, leaves: list[Leaf]) -> list[tuple[str, Any]]:
    """Candidate answers; for a multiple choice also the current choice with one option added or taken
    away (the nearest other answers)."""
    out = [(status, value) for status, value in candidate_answers(question, leaves) if status != MISSING]
    out = [(s, list(v) if question.type == "multi" and s == ANSWERED else v) for s, v in out]
    if question.type == "multi" and current is not None and isinstance(current.value, list):
        chosen = [v for v in current.value if v != "none"]  # "none" does not go with a ticked option
        for option in question.options:
            if option.value in chosen:
                out.append((ANSWERED, [v for v in chosen if v != option.value]))
            else:
                out.append((ANSWERED, [*chosen, option.value]))
    return out


def _distance(question: Any, current: Answer | None, alternative: Answer) -> int:
    """How far an alternative is from the current answer (options ticked or unticked, for a multi)."""
    if question.type != "multi" or alternative.unknown:
        return 1
    now = set(current.value) if current is not None and isinstance(current.value, list) else set()
    return len(now.symmetric_difference(alternative.value or []))


def _conditional(spec: Spec, question_id: str) -> bool:
    """Asked only because of other answers: a ``when:`` on the question or on its section."""
    if spec.question_when.get(question_id) is not None:
        return True
    section = spec.section_of.get(question_id)
    return section is not None and spec.section_when.get(section) is not None


def _exclusion_levels(spec: Spec) -> set[str]:
    """Levels that none of the questionnaire's tier-bound obligations applies to (e.g. out of scope)."""
    tiered = [ob for ob in spec.model.obligations if ob.tiers]
    if not tiered or spec.model.outcome is None:
        return set()
    covered = {t for ob in tiered for t in ob.tiers}
    return {lvl.id for lvl in spec.model.outcome.levels if lvl.id not in covered}


def _reason(kind: str, direction: str, current: str, gone: int) -> str:
    effect = {"stricter": "a more serious tier", "lighter": "a lighter tier",
              "exclusion": "a tier with none of the questionnaire's obligations"}[direction]
    if kind == "open":
        state = "answered \"don't know\"" if current == "don't know" else "still open"
        return f"This question is {state}; this answer would give {effect}."
    if kind == "follow_up":
        return (f"Asked because of your other answers; a different choice here than \"{current}\" "
                f"would give {effect}.")
    if kind == "revised":
        return f"Only if your answer \"{current}\" is not right: it would give {effect}."
    if gone:
        return (f"Contradicts your other answers: {gone} answered question{'s' if gone != 1 else ''} "
                f"would no longer apply. Listed for completeness.")
    return f"Contradicts your answer \"{current}\"; listed for completeness."


def _answer_key(answer: Answer | None) -> tuple[Any, ...]:
    if answer is None:
        return ("missing",)
    if answer.unknown:
        return ("unknown",)
    value = answer.value
    return ("answered", tuple(sorted(map(str, value))) if isinstance(value, list) else value)
