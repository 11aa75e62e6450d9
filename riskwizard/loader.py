"""Load questionnaires: safe YAML -> pydantic models -> compiled, cross-checked conditions.

Every problem becomes a :class:`SchemaError` naming ``file:line:col`` and a fix; several problems
in one file are reported together.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import yamlcache
from .calc import CALCULATORS, MEASURED_OUTPUTS
from .conditions import (
    All,
    AnyOf,
    Condition,
    Leaf,
    Not,
    NotRebuilt,
    RowQuantifier,
    Scope,
    compile_condition,
    rebuild_condition,
)
from .coverage import check_covered_by
from .errors import ErrorGroup, Location, RiskwizardError, SchemaError, display_path
from .facts import CATALOGUE_FILE, Catalogue, FactDef, fact_registry, resolve_entry
from .models import FactCatalogue, FactInput, FactRef, Questionnaire, Replacement, ScoreInput
from .timeline import check_references
from .trusted import NotTrusted, construct
from .yamlsafe import SourcedYaml, decode_utf8, is_yaml_date, load_yaml_text, read_bytes


@dataclass
class Spec:
    """A questionnaire with its conditions compiled and its identity (path, sha256) recorded."""

    model: Questionnaire
    path: str  # as shown in messages (relative to the folder it was loaded from)
    sha256: str
    question_when: dict[str, Condition | None] = field(default_factory=dict)
    section_when: dict[str, Condition | None] = field(default_factory=dict)
    rule_when: dict[str, Condition] = field(default_factory=dict)
    obligation_when: dict[str, Condition | None] = field(default_factory=dict)
    key_date_when: list[Condition | None] = field(default_factory=list)  # by position in `key_dates`
    section_of: dict[str, str] = field(default_factory=dict)
    # rules whose condition reads a score: evaluated after the rules that add to the scores
    late_rules: frozenset[str] = frozenset()
    # derived values with an input from a dimension: computed once the scores are summed
    score_derived: frozenset[str] = frozenset()
    # shared facts: local question id -> fact id for the facts this questionnaire asks, and back
    fact_of: dict[str, str] = field(default_factory=dict)
    local_of: dict[str, str] = field(default_factory=dict)
    reads: frozenset[str] = frozenset()  # facts read with {fact: ...} that are not asked here
    fact_defs: dict[str, FactDef] = field(default_factory=dict)  # every fact known to this questionnaire
    # answers of older questions that move when a file is upgraded: old id -> (question id here, how)
    lift: dict[str, tuple[str, Replacement | None]] = field(default_factory=dict)
    applies_when: Condition | None = None
    file: str = ""  # the absolute path it was loaded from ("" for text); `path` depends on the folder then

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def version(self) -> str:
        return self.model.version

    def questions(self) -> list[Any]:
        return self.model.questions()

    def question(self, qid: str) -> Any:
        """The question with this id (KeyError if none); a dict look-up, as rule evidence asks often."""
        by_id = self.__dict__.get("_questions_by_id")
        if by_id is None:
            by_id = self.__dict__["_questions_by_id"] = {q.id: q for q in self.model.questions()}
        return by_id[qid]

    def fact_question(self, fact_id: str) -> Any:
        """The definition of a shared fact (asked here or not)."""
        local = self.local_of.get(fact_id)
        return self.question(local) if local is not None else self.fact_defs[fact_id].question


def load_questionnaire(path: str | Path) -> Spec:
    """Load and check one questionnaire file.

    A file that loaded before is read from the parsed-data cache (see ``yamlcache``) and validated
    again; if that fails for any reason, the file itself is parsed, so errors name their lines. An
    entry this very code checked before (its mark equals :func:`check_key`) is rebuilt without
    validating and without the pure checks (circular and never-true conditions) again.
    """
    p = Path(path)
    raw = read_bytes(p)  # read once: the digest is of exactly what is parsed
    digest = hashlib.sha256(raw).hexdigest()
    shown = display_path(p)
    cached, checked, _ = yamlcache.get_checked(digest)
    if cached is not None:
        key = check_key(load_catalogue().sha256)
        with contextlib.suppress(RiskwizardError):
            spec = build_spec(SourcedYaml(data=cached, path=shown), digest, trusted=checked == key)
            spec.file = str(p.resolve())
            if checked != key:
                yamlcache.put(digest, cached, key)  # checked now, by this code
            return spec
    src = load_yaml_text(decode_utf8(raw, shown), shown)
    spec = build_spec(src, digest)
    spec.file = str(p.resolve())
    yamlcache.put(digest, src.data, check_key(load_catalogue().sha256))
    return spec


# the modules whose code decides whether a questionnaire (or the catalogue, or the consistency rules)
# is valid: a change to any of them makes every checked mark of the cache stale
_CHECKING_MODULES = ("calc", "conditions", "consistency", "errors", "facts", "loader", "models", "timeline",
                     "trusted", "yamlsafe")


@lru_cache(maxsize=8)
def check_key(*inputs: str) -> str:
    """The mark of data checked by this code (and pydantic) together with ``inputs`` (the digest of
    the catalogue a questionnaire's facts come from)."""
    import pydantic

    from . import __version__

    h = hashlib.sha256(f"{__version__}\0{pydantic.VERSION}\0{yamlcache.FORMAT}".encode())
    for name in _CHECKING_MODULES:
        h.update((_PACKAGE_DIR / f"{name}.py").read_bytes())
    for item in inputs:
        h.update(b"\0" + item.encode())
    return h.hexdigest()[:32]


def load_questionnaire_text(text: str, name: str = "<text>") -> Spec:
    src = load_yaml_text(text, name)
    return build_spec(src, hashlib.sha256(text.encode("utf-8")).hexdigest())


def build_spec(src: SourcedYaml, digest: str, trusted: bool = False) -> Spec:
    """The questionnaire of ``src``, validated and checked; ``trusted`` data (checked by this code before,
    see ``load_questionnaire``) is rebuilt instead of validated and skips the pure checks."""
    if not isinstance(src.data, dict):
        raise SchemaError("a questionnaire must be a mapping with id, version, title, sections",
                          src.where(()), "start the file with `id: my-questionnaire`")
    model, trusted = model_of(Questionnaire, src, "questionnaire", trusted)
    registry = fact_registry(model.facts, src, load_catalogue())
    model, fact_of = _resolve_facts(model, registry, src)
    spec = Spec(model=model, path=src.path, sha256=digest, fact_of=fact_of,
                local_of={fid: local for local, fid in fact_of.items()}, fact_defs=registry)
    _compile(spec, src, lint=not trusted)
    return spec


def model_of(model_cls: type[_M], src: SourcedYaml, what: str, trusted: bool) -> tuple[_M, bool]:
    """The model of ``src.data``: rebuilt if ``trusted`` and of the model's shape, else validated; and
    whether it was rebuilt."""
    if trusted:
        with contextlib.suppress(NotTrusted):
            return construct(model_cls, src.data), True
    return validated(model_cls, src.data, src, what), False


def _resolve_facts(model: Questionnaire, registry: dict[str, FactDef],
                   src: SourcedYaml) -> tuple[Questionnaire, dict[str, str]]:
    """Replace every ``- fact:`` entry by the fact's question (under its local id)."""
    fact_of: dict[str, str] = {}
    errors: list[RiskwizardError] = []
    sections = []
    for si, section in enumerate(model.sections):
        if not any(isinstance(q, FactRef) for q in section.questions):
            sections.append(section)
            continue
        questions = []
        for qi, entry in enumerate(section.questions):
            if not isinstance(entry, FactRef):
                questions.append(entry)
                continue
            local = entry.id or entry.fact
            if entry.fact in fact_of.values():
                errors.append(SchemaError(f"fact `{entry.fact}` is asked twice in this questionnaire",
                                          src.where(("sections", si, "questions", qi, "fact")),
                                          "ask each fact once; other sections can read it with {fact: ...}"))
                continue
            try:
                questions.append(resolve_entry(entry, registry, src.where(("sections", si, "questions", qi, "fact"))))
            except RiskwizardError as exc:
                errors.append(exc)
                continue
            fact_of[local] = entry.fact
        sections.append(section.model_copy(update={"questions": questions}))
    if errors:
        raise ErrorGroup(errors)
    return model.model_copy(update={"sections": sections}), fact_of


_M = TypeVar("_M", bound=BaseModel)


def validated(model_cls: type[_M], data: Any, src: SourcedYaml, what: str) -> _M:
    """``data`` (read from ``src``) as a ``model_cls``; pydantic's errors become positioned ones."""
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        raise ErrorGroup(pydantic_errors(exc, src, what)) from None


def pydantic_errors(exc: ValidationError, src: SourcedYaml, what: str) -> list[RiskwizardError]:
    """Turn pydantic's path-based errors into positioned, readable ones."""
    errors: list[RiskwizardError] = []
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        key = (src.where(loc).line, err["type"])
        if key in seen:
            continue
        seen.add(key)
        errors.append(_one_error(err, loc, src, what))
    return errors or [SchemaError(f"invalid {what}", Location(src.path))]


def _one_error(err: dict[str, Any], loc: tuple[Any, ...], src: SourcedYaml, what: str) -> SchemaError:
    kind = err["type"]
    dotted = ".".join(str(p) for p in loc if not (isinstance(p, str) and p in _UNION_TAGS)) or what
    where = src.where(loc)
    if kind == "extra_forbidden":
        return SchemaError(f"unknown key `{loc[-1]}` in {dotted.rsplit('.', 1)[0]}", where,
                           "remove it or check its spelling (see `riskwizard schema`)")
    if kind == "missing":
        return SchemaError(f"missing required key `{loc[-1]}`", src.where(loc[:-1]),
                           f"add `{loc[-1]}:` here")
    if kind == "string_type":
        described = src.describe_scalar(loc)
        value = err.get("input")
        if described:
            return SchemaError(f"{dotted}: expected text, but {described}", where,
                               f"put it in quotes: '{src.info_at(loc).text}'")  # type: ignore[union-attr]
        if is_yaml_date(value):
            return SchemaError(f"{dotted}: expected text, but YAML reads `{value}` as a date", where,
                               f"put it in quotes: '{value}'")
    if kind == "string_too_long" or (kind == "too_long" and isinstance(err.get("input"), str)):
        limit = (err.get("ctx") or {}).get("max_length")
        value = err.get("input")
        length = f"{len(value)}" if isinstance(value, str) else "too many"
        return SchemaError(f"{dotted}: text is {length} characters long; at most {limit} are allowed", where,
                           "shorten it (README, \"Limits\", lists the length limit of every field)")
    if kind == "union_tag_invalid":
        return SchemaError(f"{dotted}: unknown question type `{err.get('input', {}).get('type')}`"
                           if isinstance(err.get("input"), dict) else f"{dotted}: {err['msg']}", where,
                           "use one of: single, multi, yesno, text, number, percent, group")
    if kind == "union_tag_not_found":
        return SchemaError(f"{dotted}: missing `type`", where,
                           "add type: single | multi | yesno | text | number | percent | group")
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "value", "default", "tier"):
        return SchemaError(f"{dotted}: `{err.get('input')}` is not a valid id", where,
                           "ids are lower-case slugs: letters, digits, _ and -, starting with a letter")
    message = err["msg"].removeprefix("Value error, ")
    duplicate = _DUPLICATE_ID.match(message)
    if duplicate:
        places = _id_places(src, duplicate["what"], duplicate["value"])
        if len(places) >= 2:
            first, second = places[0], places[1]
            return SchemaError(f"{message} (first defined on line {first.line})", second,
                               "give each one its own id; ids must be unique within a questionnaire")
    if message.endswith("put it in quotes"):
        message, _, fix = message.rpartition("; ")
        return SchemaError(f"{dotted}: {message}", where, fix)
    return SchemaError(f"{dotted}: {message}", where, "see `riskwizard schema` for the format")


_DUPLICATE_ID = re.compile(r"duplicate (?P<what>[a-z ]+ id) `(?P<value>[^`]*)`")
# Where each kind of id lives in a questionnaire; "*" stands for any list index.
_ID_PATHS: dict[str, tuple[tuple[Any, ...], ...]] = {
    "section id": (("sections", "*", "id"),),
    "question id": (("sections", "*", "questions", "*", "id"),),
    "rule id": (("rules", "*", "id"),),
    "dimension id": (("dimensions", "*", "id"),),
    "obligation id": (("obligations", "*", "id"),),
    "derived id": (("derived", "*", "id"),),
    "act id": (("acts", "*", "id"),),
    "timeline id": (("timeline", "*", "id"),),
}


def _id_places(src: SourcedYaml, what: str, value: str) -> list[Location]:
    """Source locations of every ``id: value`` of the given kind, in file order."""
    patterns = _ID_PATHS.get(what, ())
    found: list[Location] = []

    def walk(node: Any, path: tuple[Any, ...], rest: tuple[Any, ...]) -> None:
        if not rest:
            if node == value:
                found.append(src.where(path))
            return
        head, tail = rest[0], rest[1:]
        if head == "*":
            if isinstance(node, list):
                for i, item in enumerate(node):
                    walk(item, (*path, i), tail)
        elif isinstance(node, dict) and head in node:
            walk(node[head], (*path, head), tail)

    for pattern in patterns:
        walk(src.data, (), pattern)
    found.sort(key=lambda where: (where.line or 0, where.column or 0))
    return found


_UNION_TAGS = {"single", "multi", "yesno", "text", "number", "percent", "group"}


def _compile(spec: Spec, src: SourcedYaml, lint: bool = True) -> None:
    """Compile the conditions and check the questionnaire as a whole. ``lint`` False skips the checks
    that only find errors and build nothing (circular and never-true conditions): for data that passed
    them with this code before."""
    model = spec.model
    errors: list[RiskwizardError] = []
    questions = {q.id: q for q in model.questions()}
    dims = {d.id for d in model.dimensions}
    levels = {lvl.id for lvl in model.outcome.levels} if model.outcome else set()
    facts = {fid: d.question for fid, d in spec.fact_defs.items()}
    derived_outputs = _check_derived(model, questions, src, errors, facts)
    spec.score_derived = frozenset(d.id for d in model.derived if d.reads_scores())

    def scope(what: str, allow_scores: bool = False) -> Scope:
        return Scope(questions, derived_outputs, dims, allow_scores, what, spec.score_derived, facts=facts)

    def condition(raw: Any, loc: tuple[Any, ...], what: str, allow_scores: bool = False,
                  facts_only: bool = False) -> Condition:
        """A condition compiled with its checks, or rebuilt without them from data checked before."""
        where = Scope({}, set(), set(), False, what, facts=facts) if facts_only else scope(what, allow_scores)
        if not lint:
            try:
                return rebuild_condition(raw, where)
            except NotRebuilt:
                pass
            except RecursionError:  # only a damaged cache entry nests this deep (YAML files stop at 40 levels)
                raise SchemaError("a condition is nested too deeply", src.where(loc),
                                  "the parsed-questionnaire cache is damaged: the file is read again") from None
        return compile_condition(raw, loc, where, src)

    def attempt(fn: Any) -> Any:
        try:
            return fn()
        except ErrorGroup as exc:
            errors.extend(exc.errors)
        except RiskwizardError as exc:
            errors.append(exc)
        return None

    for si, section in enumerate(model.sections):
        loc = ("sections", si, "when")
        spec.section_when[section.id] = (
            attempt(lambda s=section, loc=loc: condition(s.when, loc, f"section `{s.id}` when"))
            if section.when is not None else None
        )
        for qi, q in enumerate(section.questions):
            spec.section_of[q.id] = section.id
            qloc = ("sections", si, "questions", qi, "when")
            spec.question_when[q.id] = (
                attempt(lambda q=q, qloc=qloc: condition(q.when, qloc, f"question `{q.id}` when"))
                if q.when is not None else None
            )
    for ri, rule in enumerate(model.rules):
        rloc = ("rules", ri)
        if rule.tier is not None and rule.tier not in levels:
            errors.append(SchemaError(
                f"rule `{rule.id}` assigns tier `{rule.tier}`, which is not a level of `outcome`",
                src.where((*rloc, "tier")), f"use one of: {', '.join(sorted(levels)) or '(add outcome.levels)'}"))
        for t in rule.only_at_tiers:
            if t not in levels:
                errors.append(SchemaError(f"rule `{rule.id}` names unknown tier `{t}` in `only_at_tiers`",
                                          src.where((*rloc, "only_at_tiers")),
                                          f"use one of: {', '.join(sorted(levels)) or '(add outcome.levels)'}"))
        for dim in rule.score:
            if dim not in dims:
                errors.append(SchemaError(f"rule `{rule.id}` scores unknown dimension `{dim}`",
                                          src.where((*rloc, "score", dim)),
                                          f"declare it under `dimensions:` or use one of: {', '.join(sorted(dims))}"))
        allow_scores = not rule.score
        cond = attempt(lambda r=rule, rloc=rloc, a=allow_scores: condition(
            r.when, (*rloc, "when"), f"rule `{r.id}`", a))
        if cond is not None:
            spec.rule_when[rule.id] = cond
    spec.late_rules = frozenset(rid for rid, cond in spec.rule_when.items() if cond.uses_scores(spec.score_derived))
    set_flags = {f for rule in model.rules for f in rule.flags}
    for where, items in (("obligations", model.obligations), ("key_dates", model.key_dates)):
        for i, item in enumerate(items):  # obligations and key dates are selected alike (engine._concerns)
            what = f"obligation `{item.id}`" if where == "obligations" else f"key date {item.date}"
            for t in item.tiers:
                if t not in levels:
                    errors.append(SchemaError(f"{what} names unknown tier `{t}`", src.where((where, i, "tiers")),
                                              f"use one of: {', '.join(sorted(levels)) or '(add outcome.levels)'}"))
            for key in ("flags", "unless_flags"):
                for flag in getattr(item, key):
                    if flag not in set_flags:
                        errors.append(SchemaError(
                            f"{what} names flag `{flag}` in `{key}`, which no rule sets", src.where((where, i, key)),
                            f"use a flag a rule sets: {', '.join(sorted(set_flags)) or '(no rule sets flags)'}"))
            cond = attempt(lambda item=item, loc=(where, i, "when"), what=what: condition(
                item.when, loc, f"{what} when", True)) if item.when is not None else None
            if where == "obligations":
                spec.obligation_when[item.id] = cond
            else:
                spec.key_date_when.append(cond)
    if model.applies_when is not None:
        spec.applies_when = attempt(lambda: condition(model.applies_when, ("applies_when",), "applies_when",
                                                      facts_only=True))
    _check_lift(spec, src, errors)
    _check_units(spec, src, errors, facts)
    conditions = [*spec.question_when.values(), *spec.section_when.values(), *spec.rule_when.values(),
                  *spec.obligation_when.values(), *spec.key_date_when]
    read = {fid for cond in conditions if cond is not None for fid in cond.fact_refs()}
    read |= {v.fact for d in model.derived for v in d.inputs.values() if isinstance(v, FactInput)}
    spec.reads = frozenset(read - set(spec.local_of))
    clash = sorted(fid for fid in spec.reads if fid in questions and fid not in spec.fact_of)
    if clash:
        errors.append(SchemaError(
            f"`{clash[0]}` is both a question of this questionnaire and a shared fact it reads with {{fact: ...}}",
            src.where(()), "ask the fact with `- fact: ...` instead of the question, or rename the question"))
    errors.extend(check_references(model, src))
    errors.extend(check_covered_by(model, src.where))
    if lint and not errors:
        _check_cycles(spec, src, errors)
    if lint and not errors:
        _check_satisfiable(spec, src, errors)
    if errors:
        raise ErrorGroup(errors)


def _question_loc(spec: Spec, qid: str) -> tuple[Any, ...]:
    for si, section in enumerate(spec.model.sections):
        for qi, q in enumerate(section.questions):
            if q.id == qid:
                return ("sections", si, "questions", qi)
    return ()


def _check_lift(spec: Spec, src: SourcedYaml, errors: list[RiskwizardError]) -> None:
    """``replaces:`` entries: each old id once, never a current question's id, maps into real options."""
    current = {q.id for q in spec.questions() if q.id not in spec.fact_of}
    for q in spec.questions():
        for ri, rep in enumerate(q.replaces):
            at = src.where((*_question_loc(spec, q.id), "replaces", ri))
            if rep.question in spec.lift:
                errors.append(SchemaError(f"`{rep.question}` is replaced twice (by `{spec.lift[rep.question][0]}` "
                                          f"and by `{q.id}`)", at, "let one question take over its answers"))
                continue
            if rep.question in current and rep.question != q.id:
                errors.append(SchemaError(f"`replaces: {rep.question}` names a current question of this questionnaire",
                                          at, "only older question ids can be replaced"))
                continue
            problem = _replacement_problem(q, rep, spec)
            if problem:
                errors.append(SchemaError(f"question `{q.id}` replaces `{rep.question}`: {problem}", at,
                                          "see docs/questionnaire-format.md, 'Shared facts'"))
                continue
            spec.lift[rep.question] = (q.id, rep)
    for local in spec.fact_of:
        spec.lift.setdefault(local, (local, None))


def _replacement_problem(q: Any, rep: Replacement, spec: Spec) -> str:
    options = {o.value for o in getattr(q, "options", ())}
    if rep.map:
        if q.type not in ("single", "multi", "yesno"):
            return "`map` needs a single, multi or yes/no question"
        allowed = options if q.type != "yesno" else {"yes", "no"}
        for old, new in rep.map.items():
            for value in new if isinstance(new, list) else [new]:
                if value not in allowed:
                    return f"`{old}` maps to `{value}`, which is not an option ({', '.join(sorted(allowed))})"
            if isinstance(new, list) and q.type != "multi":
                return f"`{old}` maps to a list, which only a multiple-choice question can take"
    if rep.bands and q.type not in ("number", "percent"):
        return "`bands` needs a number question"
    if rep.product_with is not None:
        if q.type not in ("number", "percent") or q.id not in spec.fact_of:
            return "`product_with` needs a number fact"
        other = spec.fact_defs.get(rep.product_with)
        if other is None or other.question.type not in ("number", "percent"):
            return f"`product_with` must name a number fact, not `{rep.product_with}`"
    return ""


def _check_units(spec: Spec, src: SourcedYaml, errors: list[RiskwizardError], facts: dict[str, Any]) -> None:
    questions = {q.id: q for q in spec.questions()}
    for q in spec.questions():
        unit_by = getattr(q, "unit_by", None)
        if unit_by is None:
            continue
        ref = questions.get(unit_by.q) if unit_by.q is not None else facts.get(unit_by.fact or "")
        name = unit_by.q or unit_by.fact
        if ref is None or ref.type != "single":
            errors.append(SchemaError(f"`unit_by` of `{q.id}` must name a single-choice question or fact, not "
                                      f"`{name}`", src.where((*_question_loc(spec, q.id), "unit_by")),
                                      "point it at a single-choice question"))
            continue
        bad = sorted(set(unit_by.units) - {o.value for o in ref.options})
        if bad:
            errors.append(SchemaError(f"`unit_by` of `{q.id}` names {bad}, which are not options of `{name}`",
                                      src.where((*_question_loc(spec, q.id), "unit_by", "units")),
                                      f"use options of `{name}`"))


def _check_score_input(derived_id: str, name: str, ref: ScoreInput, kinds: tuple[str, ...],
                       dims: dict[str, Any], where: Location, errors: list[RiskwizardError]) -> None:
    dim = dims.get(ref.dimension)
    if "number" not in kinds:
        errors.append(SchemaError(f"input `{name}` of `{derived_id}` takes a {' or '.join(kinds)} question, "
                                  "not a dimension", where, "point it at a question of that type"))
    elif dim is None:
        errors.append(SchemaError(f"input `{name}` of `{derived_id}` names unknown dimension `{ref.dimension}`",
                                  where, f"declare it under `dimensions:` or use one of: {', '.join(sorted(dims))}"))
    elif ref.max is not None and dim.max is None:
        errors.append(SchemaError(f"input `{name}` of `{derived_id}` reads the max of `{ref.dimension}`, "
                                  "which declares none", where, f"add `max:` to dimension `{ref.dimension}`"))


def _check_derived(model: Questionnaire, questions: dict[str, Any], src: SourcedYaml,
                   errors: list[RiskwizardError], facts: dict[str, Any]) -> set[str]:
    outputs: set[str] = set()
    dims = {dim.id: dim for dim in model.dimensions}
    for di, d in enumerate(model.derived):
        loc = ("derived", di)
        calc = CALCULATORS.get(d.fn)
        if calc is None:
            errors.append(SchemaError(f"unknown calculator `{d.fn}`", src.where((*loc, "fn")),
                                      f"use one of: {', '.join(sorted(CALCULATORS))}"))
            continue
        for name, qid in d.inputs.items():
            ispec = calc.inputs.get(name)
            if ispec is None:
                errors.append(SchemaError(f"calculator `{d.fn}` has no input `{name}`",
                                          src.where((*loc, "inputs", name)),
                                          f"inputs are: {', '.join(calc.inputs)}"))
                continue
            if isinstance(qid, ScoreInput):
                _check_score_input(d.id, name, qid, ispec.kinds, dims, src.where((*loc, "inputs", name)), errors)
                continue
            q = facts.get(qid.fact) if isinstance(qid, FactInput) else questions.get(qid)
            if isinstance(qid, FactInput):
                qid = f"fact {qid.fact}"
            if q is None or q.type not in ispec.kinds:
                errors.append(SchemaError(
                    f"input `{name}` of `{d.id}` must name a {' or '.join(ispec.kinds)} question, not `{qid}`",
                    src.where((*loc, "inputs", name)), "point it at a question of that type"))
                continue
            if ispec.choices is not None:
                bad = [o.value for o in q.options if o.value not in ispec.choices]
                if bad:
                    errors.append(SchemaError(
                        f"options {bad} of `{qid}` are unknown to calculator `{d.fn}`",
                        src.where((*loc, "inputs", name)),
                        f"use option values from: {', '.join(sorted(ispec.choices))}"))
        for name, ispec in calc.inputs.items():
            if ispec.required and name not in d.inputs:
                errors.append(SchemaError(f"`{d.id}` lacks required input `{name}`", src.where(loc),
                                          f"add `{name}: question_id` under inputs"))
        outputs.update(f"{d.id}.{o}" for o in calc.outputs)
        if d.measured_by is not None:
            fact = facts.get(d.measured_by)
            if fact is None or fact.type != "text":
                errors.append(SchemaError(f"`measured_by` of `{d.id}` must name a text fact of the shared catalogue "
                                          f"(a path to a CodeCarbon emissions.csv), not `{d.measured_by}`",
                                          src.where((*loc, "measured_by")), "use `measured_by: emissions_csv`"))
            outputs.update(f"{d.id}.{o}" for o in MEASURED_OUTPUTS)
    return outputs


def _dependencies(spec: Spec) -> dict[str, set[str]]:
    deps: dict[str, set[str]] = {}
    for q in spec.questions():
        refs: set[str] = set()
        for cond in (spec.question_when.get(q.id), spec.section_when.get(spec.section_of[q.id])):
            if cond is not None:
                refs |= cond.question_refs()
        deps[q.id] = refs
    return deps


def _check_cycles(spec: Spec, src: SourcedYaml, errors: list[RiskwizardError]) -> None:
    """Refuse circular `when:` dependencies. Iterative depth-first search: a chain of thousands of
    questions cannot exhaust Python's recursion limit."""
    deps = {qid: sorted(refs) for qid, refs in _dependencies(spec).items()}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in deps:
        if start in state:
            continue
        path = [start]
        state[start] = 1
        stack = [iter(deps.get(start, ()))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                errors.append(SchemaError(
                    f"circular `when:` conditions: {' -> '.join(cycle)}", _question_where(spec, src, nxt),
                    "a question can only depend on questions that do not depend on it"))
                return
            if nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(deps.get(nxt, ())))


def _question_where(spec: Spec, src: SourcedYaml, qid: str) -> Location:
    for si, section in enumerate(spec.model.sections):
        for qi, q in enumerate(section.questions):
            if q.id == qid:
                return src.where(("sections", si, "questions", qi, "when"))
    return Location(src.path)


def _check_satisfiable(spec: Spec, src: SourcedYaml, errors: list[RiskwizardError]) -> None:
    """Refuse `when:` conditions that no combination of answers can make true.

    Bounded: at most ``CHECK_BUDGET`` condition evaluations for the whole questionnaire (and
    ``_MAX_COMBINATIONS`` for one group of related comparisons), so a large questionnaire loads in
    bounded time; conditions beyond the budget are not checked for contradictions.
    """
    budget = CheckBudget(CHECK_BUDGET)
    questions = {q.id: q for q in spec.questions()}
    for si, section in enumerate(spec.model.sections):
        for qi, q in enumerate(section.questions):
            cond = spec.question_when.get(q.id)
            if cond is not None and satisfiable(cond, spec, budget, questions) is False:
                errors.append(SchemaError(
                    f"the `when:` of `{q.id}` can never be true, so the question would never be shown",
                    src.where(("sections", si, "questions", qi, "when")),
                    "check for contradictory comparisons (the same question compared to two values)"))
    for ri, rule in enumerate(spec.model.rules):
        cond = spec.rule_when.get(rule.id)
        if cond is not None and satisfiable(cond, spec, budget, questions) is False:
            errors.append(SchemaError(f"rule `{rule.id}` can never fire: its condition is contradictory",
                                      src.where(("rules", ri, "when")),
                                      "check for the same question compared to two different values"))


_MAX_COMBINATIONS = 20_000
CHECK_BUDGET = 50_000  # condition evaluations per questionnaire (the bundled ones need at most ~500)


@dataclass
class CheckBudget:
    """What is left of the evaluations the contradiction check may spend."""

    remaining: int


def satisfiable(cond: Condition, spec: Spec, budget: CheckBudget | None = None,
                questions: dict[str, Any] | None = None) -> bool | None:
    """Whether some answers make ``cond`` true; None when that is not known (too big to try, or it
    reads rows, scores or derived values).

    The condition is put in negation normal form and split: an ``any`` is satisfiable when one of
    its branches is, an ``all`` when each group of branches that share no question is. Only the
    comparisons of one such group are tried together, with every combination of candidate answers.
    """
    found = questions if questions is not None else {q.id: q for q in spec.questions()}
    return _sat(_nnf(cond, False), found, budget if budget is not None else CheckBudget(CHECK_BUDGET))


def _nnf(cond: Condition, negate: bool) -> Condition:
    if isinstance(cond, Not):
        return _nnf(cond.item, not negate)
    if isinstance(cond, All):
        items = tuple(_nnf(c, negate) for c in cond.items)
        return AnyOf(items) if negate else All(items)
    if isinstance(cond, AnyOf):
        items = tuple(_nnf(c, negate) for c in cond.items)
        return All(items) if negate else AnyOf(items)
    return Not(cond) if negate else cond


def _sat(cond: Condition, questions: dict[str, Any], budget: CheckBudget) -> bool | None:
    if isinstance(cond, AnyOf):
        unknown = False
        for item in cond.items:
            result = _sat(item, questions, budget)
            if result:
                return True
            unknown = unknown or result is None
        return None if unknown else False
    if isinstance(cond, All):
        unknown = False
        for group in _independent_groups(cond.items):
            result = _sat(group[0], questions, budget) if len(group) == 1 else _try_all(
                All(tuple(group)), questions, budget)
            if result is False:
                return False
            unknown = unknown or result is None
        return None if unknown else True
    return _try_all(cond, questions, budget)


def _independent_groups(items: tuple[Condition, ...]) -> list[list[Condition]]:
    """Split conditions into groups that share no question (union-find over question ids)."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, item in enumerate(items):
        for ref in item.question_refs():
            if ref in owner:
                parent[root(i)] = root(owner[ref])
            else:
                owner[ref] = i
    groups: dict[int, list[Condition]] = {}
    for i, item in enumerate(items):
        groups.setdefault(root(i), []).append(item)
    return list(groups.values())


def _try_all(cond: Condition, questions: dict[str, Any], budget: CheckBudget) -> bool | None:
    """Try every combination of candidate answers for the questions ``cond`` reads."""
    leaves = list(cond.leaves())
    if any(leaf.kind != "q" or isinstance(leaf, RowQuantifier) or leaf.qtype == "group" for leaf in leaves):
        return None
    by_q: dict[str, list[Leaf]] = {}
    for leaf in leaves:
        by_q.setdefault(leaf.ref, []).append(leaf)
    candidates: dict[str, list[tuple[str, Any]]] = {}
    total = 1
    for qid, qleaves in by_q.items():
        question = questions.get(qid)
        if question is None:
            return None
        candidates[qid] = _compared_first(candidate_answers(question, qleaves), qleaves)
        total *= len(candidates[qid])
        if total > _MAX_COMBINATIONS or total > budget.remaining:
            return None
    qids = list(candidates)
    for combo in itertools.product(*(candidates[q] for q in qids)):
        budget.remaining -= 1
        if cond.evaluate(_FixedLookup(dict(zip(qids, combo, strict=True)))):
            return True
    return False


def _compared_first(candidates: list[tuple[str, Any]], leaves: list[Leaf]) -> list[tuple[str, Any]]:
    """Values a comparison names are tried first: a satisfiable condition is found early."""
    named: set[Any] = set()
    for leaf in leaves:
        values = leaf.value if isinstance(leaf.value, tuple | list) else (leaf.value,)
        named.update(v for v in values if isinstance(v, str | int | float))
    first = [c for c in candidates if c[0] == "answered" and isinstance(c[1], str | int | float) and c[1] in named]
    return first + [c for c in candidates if c not in first]


def candidate_answers(question: Any, leaves: list[Leaf]) -> list[tuple[str, Any]]:
    """A small set of answers that covers every outcome of the given comparisons."""
    out: list[tuple[str, Any]] = [("missing", None), ("unknown", None)]
    qtype = question.type
    if qtype in ("single", "yesno"):
        values = [o.value for o in question.options] if qtype == "single" else ["yes", "no"]
        out += [("answered", v) for v in values]
    elif qtype == "multi":
        values = [o.value for o in question.options]
        out += [("answered", ())] + [("answered", (v,)) for v in values] + [("answered", tuple(values))]
        if len(values) <= 6:
            out += [("answered", combo) for r in (2, 3) for combo in itertools.combinations(values, r)]
    elif qtype == "text":
        texts = {leaf.value for leaf in leaves if isinstance(leaf.value, str)}
        out += [("answered", t) for t in texts] + [("answered", "\x00other")]
    else:
        numbers: set[float] = set()
        for leaf in leaves:
            for v in leaf.value if isinstance(leaf.value, tuple) else (leaf.value,):
                if isinstance(v, int | float):
                    # Steps relative to the value, so they still differ from it at 1e25 FLOP.
                    step = max(1.0, abs(float(v)) * 1e-9)
                    numbers.update((v - step, v - 0.001, math.nextafter(float(v), -math.inf), v,
                                    math.nextafter(float(v), math.inf), v + 0.001, v + step))
        out += [("answered", n) for n in sorted(numbers) or [0]]
    return out


class _FixedLookup:
    def __init__(self, answers: dict[str, tuple[str, Any]]) -> None:
        self.answers = answers

    def status(self, qid: str) -> tuple[str, Any]:
        return self.answers.get(qid, ("missing", None))

    def fact_status(self, fact_id: str) -> tuple[str, Any]:
        return ("missing", None)

    def derived(self, name: str) -> float | None:
        return None

    def score(self, dimension: str) -> float:
        return 0.0


# --------------------------------------------------------------------------- the shared facts catalogue


def catalogue_path() -> Path:
    return bundled_dir() / CATALOGUE_FILE


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The bundled catalogue (cached while the file is unchanged), or the one at ``path``."""
    p = Path(path) if path is not None else catalogue_path()
    try:
        st = p.stat()
    except OSError:
        raise SchemaError("the shared facts catalogue is missing", Location(display_path(p)),
                          "reinstall riskwizard (questionnaires/shared/facts.yaml is part of the package)") from None
    return _load_catalogue(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load_catalogue(path: str, mtime_ns: int, size: int) -> Catalogue:
    """The catalogue, validated. A content this code checked before (a mark in the parsed-data cache, see
    ``yamlcache.get_checked``) is rebuilt from the cache with the stored lines of its facts (for messages
    that name them); otherwise the file is parsed and validated, and the cache marked."""
    p = Path(path)
    raw = read_bytes(p)
    digest = hashlib.sha256(raw).hexdigest()
    shown = display_path(p)
    key = check_key()
    cached, checked, lines = yamlcache.get_checked(digest)
    if checked == key and isinstance(cached, dict) and isinstance(lines, list):
        with contextlib.suppress(NotTrusted, RiskwizardError):
            model = construct(FactCatalogue, cached)
            if len(lines) == len(model.facts) and all(
                    isinstance(x, list) and len(x) == 2 and all(type(n) is int for n in x) for x in lines):
                return _catalogue(model, SourcedYaml(data=cached, path=shown), digest,
                                  [Location(shown, line, column) for line, column in lines])
    src = load_yaml_text(decode_utf8(raw, shown), shown)
    if not isinstance(src.data, dict):
        raise SchemaError("the facts catalogue must be a mapping with version, title, sources, facts",
                          src.where(()), "start the file with `version: \"1.0.0\"`")
    model = validated(FactCatalogue, src.data, src, "facts catalogue")
    where = [src.where(("facts", i, "id")) for i in range(len(model.facts))]
    catalogue = _catalogue(model, src, digest, where)
    yamlcache.put(digest, src.data, key, [[w.line, w.column] for w in where]
                  if all(w.line is not None and w.column is not None for w in where) else None)
    return catalogue


def _catalogue(model: FactCatalogue, src: SourcedYaml, digest: str, where: list[Location]) -> Catalogue:
    facts = {q.id: FactDef(q, src.path, at) for q, at in zip(model.facts, where, strict=True)}
    errors = []
    for i, q in enumerate(model.facts):
        unit_by = getattr(q, "unit_by", None)
        if unit_by is None:
            continue
        ref = facts.get(unit_by.fact or "")
        bad = set(unit_by.units) - {o.value for o in getattr(ref.question, "options", ())} if ref else set()
        if ref is None or ref.question.type != "single" or bad:
            errors.append(SchemaError(f"fact `{q.id}`: `unit_by` must name a single-choice fact and its options",
                                      src.where(("facts", i, "unit_by")), "use `unit_by: {fact: ID, units: {...}}`"))
    if errors:
        raise ErrorGroup(errors)
    return Catalogue(model.version, model.title, src.path, facts, digest)


# --------------------------------------------------------------------------- finding files


_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir() -> Path:
    """The questionnaires shipped with the package (or the source tree's folder in development)."""
    here = _PACKAGE_DIR
    packaged = here / "questionnaires"
    return packaged if packaged.is_dir() else here.parent / "questionnaires"


def samples_dir() -> Path:
    here = _PACKAGE_DIR
    packaged = here / "samples"
    return packaged if packaged.is_dir() else here.parent / "samples"


def bundled_paths() -> dict[str, Path]:
    return {p.stem: p for p in sorted(bundled_dir().glob("*.yaml"))}


@lru_cache(maxsize=64)
def _cached_load(path: str, mtime_ns: int, size: int) -> Spec:
    return load_questionnaire(path)


class QuestionnaireCollision(SchemaError):
    """A questionnaire found in a search folder has the id of a different bundled questionnaire."""


def find_questionnaire(ref: str, search: list[Path] | None = None,
                       expect: tuple[str, str] | None = None) -> Spec:
    """Resolve an id (in ``search`` folders, then bundled) or a path to a loaded questionnaire.

    A questionnaire found in a search folder (`-Q`, or the ``questionnaires/`` folder beside an
    answers file) whose id is also the id of a *different* bundled questionnaire is refused with
    both files named, unless ``expect`` (the version and sha256 the answers file recorded) picks it:
    otherwise nobody could tell which of the two the answers were given to. A copy identical to
    the bundled file is fine.
    """
    candidate = Path(ref)
    if candidate.suffix in (".yaml", ".yml"):  # only YAML files are ever read as questionnaires
        if os.path.lexists(candidate):
            return _load_cached(candidate)
        if os.sep in ref:
            raise SchemaError(f"no questionnaire file {ref}", Location(display_path(candidate)),
                              "check the path, or give a questionnaire id (see `riskwizard list`)")
    bundled = bundled_dir()
    for folder in [*(search or []), bundled]:
        spec = _find_in(folder, ref)
        if spec is not None:
            if folder != bundled:
                _check_collision(spec, ref, folder, expect)
            return spec
    known = ", ".join(sorted(bundled_paths())) or "(none)"
    raise SchemaError(f"no questionnaire with id `{ref}`", None,
                      f"bundled questionnaires are: {known}; or give a path to a .yaml file")


def _find_in(folder: Path, ref: str) -> Spec | None:
    for suffix in (".yaml", ".yml"):
        path = folder / f"{ref}{suffix}"
        if path.is_file():
            spec = _load_cached(path)
            if spec.id == ref:
                return spec
    if folder.is_dir():
        for path in sorted(folder.glob("*.y*ml")):
            try:
                spec = _load_cached(path)
            except RiskwizardError:
                continue
            if spec.id == ref:
                return spec
    return None


def _check_collision(spec: Spec, ref: str, folder: Path, expect: tuple[str, str] | None) -> None:
    try:
        original = _find_in(bundled_dir(), ref)
    except RiskwizardError:
        return
    if original is None or original.sha256 == spec.sha256:
        return
    if expect is not None:
        version, sha = expect
        if sha == spec.sha256 or (not sha and version == spec.version != original.version):
            return  # the answers file names this very questionnaire (a pinned copy)
    raise QuestionnaireCollision(
        f"two different questionnaires have the id `{ref}`: {spec.path} and the bundled {display_path(original.path)}",
        Location(spec.path),
        f"give your questionnaire its own id (for example `{ref}-local`), or remove it from {display_path(folder)}; "
        "riskwizard cannot tell which of the two is meant")


def _load_cached(path: Path) -> Spec:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return load_questionnaire(path)  # refused with the reason (a FIFO, a folder...)
    except OSError:
        return load_questionnaire(path)  # missing or unreadable: refused with the path and the reason
    return _cached_load(str(path.resolve()), st.st_mtime_ns, st.st_size)


def shown(path: Path) -> str:
    return display_path(path)


def copy_sample(sample: Path, folder: Path) -> Path:
    """Copy a bundled sample next to the user under a free name (samples themselves are never written)."""
    from .safefile import DiskError, write_file

    data = read_bytes(sample)
    target = folder / sample.name
    n = 2
    while True:
        if not os.path.lexists(target):  # a dangling symlink counts as taken: it is never written through
            try:
                return write_file(target, data, new=True)
            except DiskError:
                if not os.path.lexists(target):
                    raise  # not a race with another file appearing: a real problem (read-only, full...)
        target = folder / f"{sample.stem}-{n}{sample.suffix}"
        n += 1
