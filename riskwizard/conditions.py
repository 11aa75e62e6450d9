"""The condition language shared by ``when:`` and rules: data, never code.

A condition is a YAML mapping in one of these shapes::

    {all: [C, ...]}   {any: [C, ...]}   {not: C}
    {q: QUESTION, op: OP, value: V}            # compare an answer
    {q: QUESTION, op: answered}                # any real answer (not "don't know")
    {q: QUESTION, op: unknown}                 # answered "don't know"
    {any_row: GROUP, where: C}                 # some row of a repeatable group matches
    {all_rows: GROUP, where: C}                # every row matches (false when there are none)
    {fact: FACT, op: OP, value: V}             # a shared fact (questionnaires/shared/facts.yaml)
    {derived: NAME.OUTPUT, op: OP, value: N}   # a computed number (see calculators)
    {score: DIMENSION, op: OP, value: N}       # a score summed from other rules

Operators are typed by the question type and checked when the questionnaire is loaded, as are
question ids and option values. A comparison on a question that is unanswered, answered "don't
know" or hidden is false; test those states with ``answered``/``unknown``. A ``fact`` comparison reads
the fact as stored, whichever questionnaire shows it (facts are statements about the system).
Consistency rules (questionnaires/shared/consistency.yaml) may name ``{q: questionnaire/question}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import SchemaError
from .yamlsafe import SourcedYaml

MISSING = "missing"
UNKNOWN = "unknown"
ANSWERED = "answered"

NUMERIC_OPS = ("eq", "ne", "lt", "le", "gt", "ge")
OPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "single": ("eq", "ne", "in", "not_in", "answered", "unknown"),
    "yesno": ("eq", "ne", "answered", "unknown"),
    "multi": ("contains", "not_contains", "contains_any", "answered", "unknown"),
    "text": ("eq", "ne", "contains", "answered", "unknown"),
    "number": (*NUMERIC_OPS, "in", "answered", "unknown"),
    "percent": (*NUMERIC_OPS, "in", "answered", "unknown"),
    "group": (*NUMERIC_OPS, "answered", "unknown"),
}
VALUELESS_OPS = ("answered", "unknown")
ALL_OPS = sorted({op for ops in OPS_BY_TYPE.values() for op in ops})


class Lookup(Protocol):
    """What a condition needs to read: answers by id, derived numbers and scores."""

    def status(self, qid: str) -> tuple[str, Any]: ...

    def fact_status(self, fact_id: str) -> tuple[str, Any]: ...

    def derived(self, name: str) -> float | None: ...

    def score(self, dimension: str) -> float: ...


@dataclass(frozen=True, slots=True)
class Condition:
    """Base class; subclasses implement :meth:`evaluate`."""

    def evaluate(self, ctx: Lookup) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def leaves(self) -> Iterator[Leaf]:  # pragma: no cover - abstract
        raise NotImplementedError

    def question_refs(self) -> set[str]:
        return {leaf.ref for leaf in self.leaves() if leaf.kind == "q"}

    def fact_refs(self) -> set[str]:
        return {leaf.ref for leaf in self.leaves() if leaf.kind == "fact"}

    def uses_scores(self, score_derived: frozenset[str] = frozenset()) -> bool:
        """True when the condition reads a score, or a derived value computed from scores."""
        return any(leaf.kind == "score" or (leaf.kind == "derived" and leaf.ref.split(".")[0] in score_derived)
                   for leaf in self.leaves())


@dataclass(frozen=True, slots=True)
class All(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, ctx: Lookup) -> bool:
        return all(c.evaluate(ctx) for c in self.items)

    def leaves(self) -> Iterator[Leaf]:
        for c in self.items:
            yield from c.leaves()


@dataclass(frozen=True, slots=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, ctx: Lookup) -> bool:
        return any(c.evaluate(ctx) for c in self.items)

    def leaves(self) -> Iterator[Leaf]:
        for c in self.items:
            yield from c.leaves()


@dataclass(frozen=True, slots=True)
class Not(Condition):
    item: Condition

    def evaluate(self, ctx: Lookup) -> bool:
        return not self.item.evaluate(ctx)

    def leaves(self) -> Iterator[Leaf]:
        yield from self.item.leaves()


@dataclass(frozen=True, slots=True)
class Leaf(Condition):
    """A comparison. ``kind`` is q (an answer), fact (a shared fact), derived or score."""

    kind: str
    ref: str
    op: str
    value: Any
    qtype: str

    def evaluate(self, ctx: Lookup) -> bool:
        if self.kind == "derived":
            number = ctx.derived(self.ref)
            return number is not None and compare_number(self.op, number, self.value)
        if self.kind == "score":
            return compare_number(self.op, ctx.score(self.ref), self.value)
        status, answer = ctx.fact_status(self.ref) if self.kind == "fact" else ctx.status(self.ref)
        if self.op == "answered":
            return status == ANSWERED
        if self.op == "unknown":
            return status == UNKNOWN
        if status != ANSWERED:
            return False
        return compare_answer(self.qtype, self.op, answer, self.value)

    def leaves(self) -> Iterator[Leaf]:
        yield self


@dataclass(frozen=True, slots=True)
class RowQuantifier(Condition):
    """``any_row`` / ``all_rows`` over a repeatable group; ``where`` sees one row's fields."""

    quantifier: str
    group: str
    where: Condition

    def evaluate(self, ctx: Lookup) -> bool:
        status, rows = ctx.status(self.group)
        if status != ANSWERED or not rows:
            return False
        results = (self.where.evaluate(_RowLookup(row, ctx)) for row in rows)
        return any(results) if self.quantifier == "any_row" else all(results)

    def leaves(self) -> Iterator[Leaf]:
        yield Leaf("q", self.group, "answered", None, "group")

    def row_leaves(self) -> Iterator[Leaf]:
        yield from self.where.leaves()


class _RowLookup:
    def __init__(self, row: dict[str, Any], outer: Lookup) -> None:
        self.row = row
        self.outer = outer

    def status(self, qid: str) -> tuple[str, Any]:
        if qid not in self.row:
            return MISSING, None
        value = self.row[qid]
        if value is None:
            return UNKNOWN, None
        return ANSWERED, value

    def fact_status(self, fact_id: str) -> tuple[str, Any]:
        return self.outer.fact_status(fact_id)

    def derived(self, name: str) -> float | None:
        return self.outer.derived(name)

    def score(self, dimension: str) -> float:
        return self.outer.score(dimension)


def compare_number(op: str, actual: float, expected: Any) -> bool:
    if op == "in":
        return actual in expected
    return _NUMERIC[op](actual, expected)


_NUMERIC: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def compare_answer(qtype: str, op: str, answer: Any, expected: Any) -> bool:
    if qtype in ("number", "percent"):
        return compare_number(op, answer, expected)
    if qtype == "group":
        return compare_number(op, len(answer), expected)
    if qtype == "multi":
        chosen = set(answer)
        if op == "contains":
            return expected in chosen
        if op == "not_contains":
            return expected not in chosen
        return bool(chosen.intersection(expected))  # contains_any
    if qtype == "text":
        if op == "contains":
            return expected.casefold() in answer.casefold()
        same = answer.strip().casefold() == expected.strip().casefold()
        return same if op == "eq" else not same
    # single / yesno
    if op == "eq":
        return answer == expected
    if op == "ne":
        return answer != expected
    if op == "in":
        return answer in expected
    return answer not in expected  # not_in


# --------------------------------------------------------------------------- compiling


class Scope:
    """What names a condition may refer to, for load-time checking."""

    def __init__(
        self,
        questions: dict[str, Any],
        derived_outputs: set[str],
        dimensions: set[str],
        allow_scores: bool,
        what: str,
        score_derived: frozenset[str] = frozenset(),
        facts: dict[str, Any] | None = None,
    ) -> None:
        self.questions = questions
        self.derived_outputs = derived_outputs
        self.dimensions = dimensions
        self.allow_scores = allow_scores
        self.what = what
        self.score_derived = score_derived  # ids of derived values that read scores
        self.facts = facts or {}

    def for_rows(self, group: Any, what: str) -> Scope:
        """The scope of a ``where:`` inside the rows of the repeatable ``group``: its fields by id."""
        return Scope({f.id: f for f in group.fields}, self.derived_outputs, self.dimensions, self.allow_scores,
                     what, self.score_derived, facts=self.facts)


def compile_condition(raw: Any, loc: tuple[Any, ...], scope: Scope, src: SourcedYaml) -> Condition:
    """Check a raw condition against the questionnaire and build an evaluable tree."""

    def fail(message: str, at: tuple[Any, ...], fix: str) -> SchemaError:
        return SchemaError(f"{scope.what}: {message}", src.where(at), fix)

    if not isinstance(raw, dict) or not raw:
        raise fail(
            "a condition must be a mapping such as {q: question_id, op: eq, value: x}",
            loc,
            "see `riskwizard schema` or docs/questionnaire-format.md",
        )
    keys = set(raw)
    for combinator, cls in (("all", All), ("any", AnyOf)):
        if combinator in keys:
            if keys != {combinator}:
                raise fail(f"`{combinator}` must be the only key here, found {sorted(keys)}", loc,
                           f"nest the other keys inside `{combinator}: [...]`")
            items = raw[combinator]
            if not isinstance(items, list) or not items:
                raise fail(f"`{combinator}` needs a non-empty list of conditions", (*loc, combinator),
                           f"write `{combinator}: [cond1, cond2]`")
            return cls(tuple(compile_condition(c, (*loc, combinator, i), scope, src)
                             for i, c in enumerate(items)))
    if "not" in keys:
        if keys != {"not"}:
            raise fail("`not` must be the only key here", loc, "nest the other keys inside `not:`")
        return Not(compile_condition(raw["not"], (*loc, "not"), scope, src))
    for quantifier in ("any_row", "all_rows"):
        if quantifier in keys:
            return _compile_rows(raw, quantifier, loc, scope, src, fail)
    if "q" in keys:
        return _compile_question_leaf(raw, loc, scope, src, fail)
    if "fact" in keys:
        return _compile_fact_leaf(raw, loc, scope, src, fail)
    if "derived" in keys or "score" in keys:
        return _compile_number_leaf(raw, loc, scope, fail)
    raise fail(
        f"unknown condition keys {sorted(keys)}",
        loc,
        "use one of: all, any, not, q, fact, any_row, all_rows, derived, score",
    )


class NotRebuilt(Exception):
    """A condition not of the shape :func:`compile_condition` accepted: compile it to learn why."""


_COMBINATORS: dict[str, type[All] | type[AnyOf]] = {"all": All, "any": AnyOf}


def _not_rebuilt(message: str, _at: tuple[Any, ...], _fix: str) -> NotRebuilt:
    return NotRebuilt(message)


def rebuild_condition(raw: Any, scope: Scope) -> Condition:
    """The tree :func:`compile_condition` builds from ``raw``, for a condition it accepted before with
    this code (a checked cache entry, see :mod:`.trusted`): the same nodes, without the work of locating
    and explaining errors (start-up, #14 item 7). Names, operators, the types of values and option values
    are still checked (cheaply). Anything it cannot place raises :class:`NotRebuilt` (a nesting too deep
    for Python, only possible in a damaged cache entry, raises RecursionError), and the caller compiles
    the condition with its checks (and the loader reads the file again when those fail).
    ``tests/test_trusted.py`` compares both trees for every condition of every bundled questionnaire,
    and damages checked entries."""
    if type(raw) is not dict or len(raw) == 0:
        raise NotRebuilt("not a mapping")
    if len(raw) == 1:
        key = next(iter(raw))
        if key in _COMBINATORS:
            items = raw[key]
            if type(items) is not list or not items:
                raise NotRebuilt(key)
            return _COMBINATORS[key](tuple(rebuild_condition(c, scope) for c in items))
        if key == "not":
            return Not(rebuild_condition(raw["not"], scope))
    for quantifier in ("any_row", "all_rows"):
        if quantifier in raw:
            gid = raw[quantifier]
            question = scope.questions.get(gid) if type(gid) is str else None
            if len(raw) != 2 or "where" not in raw or question is None or question.type != "group":
                raise NotRebuilt(quantifier)
            return RowQuantifier(quantifier, gid, rebuild_condition(raw["where"], scope.for_rows(question, scope.what)))
    if "q" in raw:
        kind, ref = "q", raw["q"]
        question = scope.questions.get(ref) if type(ref) is str else None
    elif "fact" in raw:
        kind, ref = "fact", raw["fact"]
        question = scope.facts.get(ref) if type(ref) is str else None
    elif ("derived" in raw) != ("score" in raw) and type(raw.get("derived", raw.get("score"))) is str:
        return _compile_number_leaf(raw, (), scope, _not_rebuilt)  # few, and cheap to check
    else:
        raise NotRebuilt("unknown keys")
    if question is None or question.type == "group" and kind == "fact" or set(raw) - {kind, "op", "value"}:
        raise NotRebuilt(kind)
    op = raw.get("op")
    if op not in OPS_BY_TYPE[question.type]:
        raise NotRebuilt("operator")
    if op in VALUELESS_OPS:
        if "value" in raw:
            raise NotRebuilt("value")
        return Leaf(kind, ref, op, None, question.type)
    value = _rebuilt_value(question.type, op, raw.get("value"))
    if question.type in ("single", "multi"):
        options = {o.value for o in question.options}
        if not all(v in options for v in (value if type(value) is tuple else (value,))):
            raise NotRebuilt("not an option")
    return Leaf(kind, ref, op, value, question.type)


def _rebuilt_value(qtype: str, op: str, value: Any) -> Any:
    """The value of a comparison as :func:`_check_value` gives it, if it has the type that check demands."""
    numeric = qtype in ("number", "percent", "group")

    def fits(v: Any) -> bool:
        if numeric:
            return type(v) in (int, float)
        return type(v) is str and (qtype != "yesno" or v in ("yes", "no"))

    if op in ("in", "not_in", "contains_any"):
        if type(value) is not list or not value or not all(fits(v) for v in value):
            raise NotRebuilt("value")
        return tuple(value)
    if not fits(value):
        raise NotRebuilt("value")
    return value


def _check_keys(raw: dict[str, Any], allowed: set[str], loc: tuple[Any, ...], fail: Any) -> None:
    extra = set(raw) - allowed
    if extra:
        raise fail(f"unexpected keys {sorted(extra)} in a comparison", loc,
                   f"a comparison takes only {sorted(allowed)}")


def _compile_rows(raw: dict[str, Any], quantifier: str, loc: tuple[Any, ...], scope: Scope,
                  src: SourcedYaml, fail: Any) -> Condition:
    _check_keys(raw, {quantifier, "where"}, loc, fail)
    gid = raw[quantifier]
    question = scope.questions.get(gid) if isinstance(gid, str) else None
    if question is None or question.type != "group":
        raise fail(f"`{quantifier}` names `{gid}`, which is not a repeatable group question here",
                   (*loc, quantifier), "name a question of type: group")
    if "where" not in raw:
        raise fail(f"`{quantifier}` needs `where:` (a condition on the row's fields)", loc,
                   "add where: {q: field_id, op: eq, value: ...}")
    row_scope = scope.for_rows(question, f"{scope.what} (inside rows of `{gid}`)")
    return RowQuantifier(quantifier, gid, compile_condition(raw["where"], (*loc, "where"), row_scope, src))


def _compile_question_leaf(raw: dict[str, Any], loc: tuple[Any, ...], scope: Scope,
                           src: SourcedYaml, fail: Any) -> Leaf:
    _check_keys(raw, {"q", "op", "value"}, loc, fail)
    qid = raw["q"]
    question = scope.questions.get(qid) if isinstance(qid, str) else None
    if question is None:
        known = ", ".join(sorted(scope.questions)[:12])
        raise fail(f"unknown question id `{qid}`", (*loc, "q"), f"use one of the ids defined here: {known}")
    return _comparison("q", qid, f"`{qid}` (a {question.type} question)", question, raw, loc, src, fail)


def _compile_fact_leaf(raw: dict[str, Any], loc: tuple[Any, ...], scope: Scope,
                       src: SourcedYaml, fail: Any) -> Leaf:
    _check_keys(raw, {"fact", "op", "value"}, loc, fail)
    fid = raw["fact"]
    question = scope.facts.get(fid) if isinstance(fid, str) else None
    if question is None:
        known = ", ".join(sorted(scope.facts)[:40]) or "(none)"
        raise fail(f"unknown shared fact `{fid}`", (*loc, "fact"),
                   f"use a fact of questionnaires/shared/facts.yaml or of this file's `facts:`: {known}")
    if question.type == "group":
        raise fail(f"fact `{fid}` is a group; compare it inside a questionnaire that asks it", (*loc, "fact"),
                   "ask the fact and use any_row/all_rows on its question id")
    return _comparison("fact", fid, f"fact `{fid}` (a {question.type} fact)", question, raw, loc, src, fail)


def _comparison(kind: str, ref: str, named: str, question: Any, raw: dict[str, Any], loc: tuple[Any, ...],
                src: SourcedYaml, fail: Any) -> Leaf:
    """The operator and value of a comparison on a question or fact, checked against its type and options."""
    op = raw.get("op")
    allowed = OPS_BY_TYPE[question.type]
    if op not in allowed:
        what = "missing operator" if op is None else f"operator `{op}` is not valid"
        raise fail(f"{what} for {named}", (*loc, "op"), f"use one of: {', '.join(allowed)}")
    if op in VALUELESS_OPS:
        if "value" in raw:
            raise fail(f"`{op}` takes no value", (*loc, "value"), "remove `value:`")
        return Leaf(kind, ref, op, None, question.type)
    if "value" not in raw:
        raise fail(f"operator `{op}` needs a `value`", loc, "add `value: ...`")
    value = _check_value(question, op, raw["value"], (*loc, "value"), src, fail)
    return Leaf(kind, ref, op, value, question.type)


def _check_value(question: Any, op: str, value: Any, at: tuple[Any, ...], src: SourcedYaml,
                 fail: Any) -> Any:
    qtype = question.type
    hint = src.describe_scalar(at)

    def text_value(v: Any, where: tuple[Any, ...]) -> str:
        if not isinstance(v, str) or type(v) is not str:
            why = src.describe_scalar(where) or f"got {type(v).__name__}"
            raise fail(f"expected text for `{question.id}` ({why})", where, "put the value in quotes")
        return v

    if qtype in ("single", "multi"):
        options = [o.value for o in question.options]

        def option(v: Any, where: tuple[Any, ...]) -> str:
            v = text_value(v, where)
            if v not in options:
                raise fail(f"`{v}` is not an option of `{question.id}`", where,
                           f"use one of: {', '.join(options)}")
            return v

        if op in ("in", "not_in", "contains_any"):
            if not isinstance(value, list) or not value:
                raise fail(f"`{op}` needs a non-empty list of options", at, "write value: [a, b]")
            return tuple(option(v, (*at, i)) for i, v in enumerate(value))
        return option(value, at)
    if qtype == "yesno":
        if value not in ("yes", "no") or not isinstance(value, str):
            detail = f" ({hint})" if hint else ""
            raise fail(f"a yes/no comparison needs the text 'yes' or 'no'{detail}", at,
                       "quote it: value: 'yes' (or use op: unknown for don't know)")
        return value
    if qtype == "text":
        return text_value(value, at)

    def number(v: Any, where: tuple[Any, ...]) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise fail(f"expected a number for `{question.id}`, got {v!r}", where, "write a plain number")
        return v

    if op == "in":
        if not isinstance(value, list) or not value:
            raise fail("`in` needs a non-empty list of numbers", at, "write value: [1, 2]")
        return tuple(number(v, (*at, i)) for i, v in enumerate(value))
    return number(value, at)


def _compile_number_leaf(raw: dict[str, Any], loc: tuple[Any, ...], scope: Scope, fail: Any) -> Leaf:
    kind = "derived" if "derived" in raw else "score"
    _check_keys(raw, {kind, "op", "value"}, loc, fail)
    ref = raw[kind]
    if kind == "derived" and ref not in scope.derived_outputs:
        raise fail(f"unknown derived value `{ref}`", (*loc, kind),
                   f"use one of: {', '.join(sorted(scope.derived_outputs)) or '(none declared)'}")
    if kind == "derived" and ref.split(".")[0] in scope.score_derived and not scope.allow_scores:
        raise fail(f"`{ref}` is computed from scores, so it can only be read in rules that set a tier or flags "
                   "and in obligations, not in `when:` of questions or in rules that add scores", (*loc, kind),
                   "move the test to a rule without `score:`")
    if kind == "score":
        if not scope.allow_scores:
            raise fail("score conditions are only allowed in rules that set a tier or flags, not in `when:` "
                       "of questions or in rules that add scores", (*loc, kind),
                       "move the score test to a rule without `score:`")
        if ref not in scope.dimensions:
            raise fail(f"unknown dimension `{ref}`", (*loc, kind),
                       f"use one of: {', '.join(sorted(scope.dimensions)) or '(none declared)'}")
    op = raw.get("op")
    if op not in NUMERIC_OPS:
        raise fail(f"operator `{op}` is not valid for a number", (*loc, "op"),
                   f"use one of: {', '.join(NUMERIC_OPS)}")
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(f"`{kind}` comparisons need a number value, got {value!r}", (*loc, "value"),
                   "write a plain number")
    return Leaf(kind, ref, op, value, "number")
