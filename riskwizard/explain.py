"""Why a rule fired: the parts of its condition that actually held, in words.

A rule such as "interacts with people, or generates content, or recognises emotions" fires on one
of its alternatives; a reader needs to see that one, with the answer given, not the whole
disjunction. :func:`held` walks the condition tree against the answers and returns the comparisons
that made it true (for an ``any``, each alternative that held; for a ``not``, the comparisons that
made the inner condition false).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .conditions import ANSWERED, UNKNOWN, All, AnyOf, Condition, Leaf, Not, RowQuantifier
from .numbers import plain

# A word for each calculator output a rule may compare (derived NAME.OUTPUT -> words).
DERIVED_WORDS = {
    "errors": "expected errors per year",
    "fp": "expected false positives per year",
    "fn": "expected false negatives per year",
    "tp": "expected true positives per year",
    "tn": "expected true negatives per year",
    "error_rate": "expected error rate (%)",
    "precision": "precision at the stated base rate (%)",
    "harm": "expected harm (cost units)",
    "harm_fp": "expected harm from false positives",
    "harm_fn": "expected harm from false negatives",
    "flagged": "cases flagged per year",
    "kwh": "estimated energy (kWh)",
    "co2_kg": "estimated emissions (kg CO2eq)",
    "device_hours": "accelerator-hours in total",
    "current": "impact score after mitigation",
    "percent": "impact score as a share of the maximum (%)",
    "raw_percent": "raw impact score as a share of the maximum (%)",
    "mitigation_percent": "mitigation score as a share of its maximum (%)",
    "reduced": "raw score reduced for mitigation (1 yes, 0 no)",
    "reduction": "points taken off for mitigation",
    "measured": "energy and emissions measured by CodeCarbon (1 yes, 0 no)",
    "runs": "measured CodeCarbon runs",
    "duration_h": "measured running time (hours)",
    "intensity": "grid carbon intensity (g CO2eq per kWh)",
}
_NUMBER_WORDS = {"ge": "at or above", "gt": "above", "le": "at or below", "lt": "below", "eq": "equal to",
                 "ne": "not equal to"}
_NEGATED = {"ge": "lt", "gt": "le", "le": "gt", "lt": "ge", "eq": "ne", "ne": "eq"}


@dataclass
class Held:
    """One comparison that held: what was read (``ref``), its value in words and the test in words."""

    kind: str  # q, derived, score or rows
    ref: str
    label: str  # the question prompt, the derived value's or the dimension's name
    shown: str  # the answer or value, in words
    test: str = ""  # for numbers: "at or above 22"; "" when the answer says it all


def held(spec: Any, view: Any, cond: Condition) -> list[Held]:
    """The comparisons of ``cond`` that made it true for these answers (empty if it is false)."""
    if not cond.evaluate(view):
        return []
    out: list[Held] = []
    seen: set[tuple[str, str]] = set()
    for item in _witness(cond, view, True):  # one line per answer or score: the first test that held
        key = (item.kind, item.ref)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _witness(cond: Condition, view: Any, truth: bool) -> list[Held]:
    """Comparisons explaining why ``cond`` evaluates to ``truth`` (which it does)."""
    if isinstance(cond, All):
        if truth:
            return [h for c in cond.items for h in _witness(c, view, True)]
        first_false = next(c for c in cond.items if not c.evaluate(view))
        return _witness(first_false, view, False)
    if isinstance(cond, AnyOf):
        if truth:
            return [h for c in cond.items if c.evaluate(view) for h in _witness(c, view, True)]
        return [h for c in cond.items for h in _witness(c, view, False)]
    if isinstance(cond, Not):
        return _witness(cond.item, view, not truth)
    if isinstance(cond, RowQuantifier):
        return [_rows(cond, view)]
    if isinstance(cond, Leaf):
        return [_leaf(cond, view, truth)]
    return []


def _rows(cond: RowQuantifier, view: Any) -> Held:
    from .conditions import _RowLookup

    status, rows = view.status(cond.group)
    rows = rows if status == ANSWERED and rows else []
    matching = sum(1 for row in rows if cond.where.evaluate(_RowLookup(row, view)))
    label = _prompt(view.spec, cond.group)
    noun = "row" if len(rows) == 1 else "rows"
    if cond.quantifier == "any_row":
        shown = f"{matching} of {len(rows)} {noun} match"
    else:
        shown = f"all {len(rows)} {noun} match"
    return Held("rows", cond.group, label, shown)


def _leaf(leaf: Leaf, view: Any, truth: bool) -> Held:
    if leaf.kind == "score":
        title = next((d.title for d in view.spec.model.dimensions if d.id == leaf.ref), leaf.ref)
        op = leaf.op if truth else _NEGATED.get(leaf.op, leaf.op)
        return Held("score", leaf.ref, f"{title} score", plain(view.score(leaf.ref)), _number_test(op, leaf.value))
    if leaf.kind == "derived":
        value = view.derived(leaf.ref)
        words = DERIVED_WORDS.get(leaf.ref.rsplit(".", 1)[-1], leaf.ref)
        op = leaf.op if truth else _NEGATED.get(leaf.op, leaf.op)
        shown = "not computed" if value is None else plain(value)
        return Held("derived", leaf.ref, words, shown, _number_test(op, leaf.value) if value is not None else "")
    return _question(leaf, view, truth)


def _number_test(op: str, value: Any) -> str:
    if op == "in" and isinstance(value, list | tuple):
        return "one of " + ", ".join(plain(v) for v in value)
    return f"{_NUMBER_WORDS.get(op, op)} {plain(value)}" if isinstance(value, int | float) else ""


def _question(leaf: Leaf, view: Any, truth: bool) -> Held:
    from .views import format_raw

    spec = view.spec
    if leaf.kind == "fact":  # a shared fact, asked here under a local id or only read
        status, value = view.fact_status(leaf.ref)
        try:
            question = spec.fact_question(leaf.ref)
        except KeyError:
            question = None
        label = question.prompt if question is not None else leaf.ref
    else:
        label = _prompt(spec, leaf.ref)
        status, value = view.status(leaf.ref)
        try:
            question = spec.question(leaf.ref)
        except KeyError:
            question = None
    if status == UNKNOWN:
        return Held("q", leaf.ref, label, "don't know")
    if status != ANSWERED or question is None:
        return Held("q", leaf.ref, label, "not answered")
    if question.type == "multi" and leaf.op in ("contains", "contains_any") and truth:
        wanted = leaf.value if isinstance(leaf.value, list | tuple) else [leaf.value]
        labels = [o.label for o in question.options if o.value in wanted and o.value in value]
        return Held("q", leaf.ref, label, "; ".join(labels) or format_raw(question, value), "includes")
    if question.type in ("number", "percent") and leaf.op in _NUMBER_WORDS:
        op = leaf.op if truth else _NEGATED[leaf.op]
        return Held("q", leaf.ref, label, format_raw(question, value), _number_test(op, leaf.value))
    return Held("q", leaf.ref, label, format_raw(question, value))


def _prompt(spec: Any, qid: str) -> str:
    try:
        return spec.question(qid).prompt
    except KeyError:
        return qid
