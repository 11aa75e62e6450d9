"""Consistency rules: answers in different questionnaires that cannot both be true.

The rules live in ``questionnaires/shared/consistency.yaml``. Their conditions use the ordinary
condition language, with questions named ``questionnaire/question`` and shared facts as
``{fact: ...}``; a rule fires when its condition holds, and each firing is a contradiction of its
own that names the questions and the answers given. A rule is skipped when one of the
questionnaires it names is not part of the assessment. Shared facts whose old answers disagreed
when a file was upgraded (``conflicts:``) are contradictions too, until the user picks a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .answermap import FACT_KEY
from .conditions import ANSWERED, MISSING, UNKNOWN, Condition, Leaf, Scope, compile_condition
from .errors import ErrorGroup, RiskwizardError, SchemaError
from .models import ConsistencyRules
from .views import AnswerView, format_raw, format_value

RULES_FILE = Path("shared") / "consistency.yaml"


@dataclass
class ContradictionSide:
    """One of the answers that disagree: where it was given, the question and the answer in words."""

    questionnaire: str  # questionnaire id ("" for a shared fact read from the facts store)
    questionnaire_title: str
    question: str  # question id inside the questionnaire, or the fact id
    fact: str  # the shared fact id, if the answer is a fact ("" otherwise)
    prompt: str
    answer: str


@dataclass
class Contradiction:
    """Two (or more) answers that cannot both be true, or old answers that disagreed when merged."""

    rule_id: str
    kind: str  # "rule": a consistency rule fired; "conflict": old duplicate answers to be settled
    title: str
    explanation: str
    resolve: str
    citation: str
    sides: list[ContradictionSide]

    @property
    def message(self) -> str:
        """One line naming both questions and both answers."""
        parts = [f"{s.questionnaire_title or 'shared fact'}: \u201c{s.prompt}\u201d = {s.answer}" for s in self.sides]
        return f"{self.title}: " + "; but ".join(parts)


@dataclass(frozen=True)
class CompiledRule:
    rule: Any
    condition: Condition
    questionnaires: frozenset[str]


def rules_path() -> Path:
    from .loader import bundled_dir

    return bundled_dir() / RULES_FILE


@lru_cache(maxsize=4)
def _load_rules(path: str, mtime_ns: int, size: int, parse: bool = False) -> tuple[ConsistencyRules, Any]:
    """The rules file, validated. Its data comes from the parsed-data cache (``yamlcache``) when the file
    loaded before, without source positions; ``parse`` (or any problem with the cached data) reads the
    file itself, so that errors name their lines."""
    import hashlib

    from . import yamlcache
    from .errors import display_path
    from .loader import check_key, model_of, validated
    from .yamlsafe import SourcedYaml, decode_utf8, load_yaml_text, read_bytes

    raw = read_bytes(Path(path))
    digest = hashlib.sha256(raw).hexdigest()
    shown = display_path(Path(path))
    cached, checked, _ = (None, None, None) if parse else yamlcache.get_checked(digest)
    if cached is not None:
        try:  # rebuilt without validating when this code checked the entry (see loader.check_key)
            plain = SourcedYaml(data=cached, path=shown)
            rules = model_of(ConsistencyRules, plain, "consistency rules", checked == check_key())[0]
            if checked != check_key():
                yamlcache.put(digest, cached, check_key())
            return rules, plain
        except RiskwizardError:
            pass
    src = load_yaml_text(decode_utf8(raw, shown), shown)
    rules = validated(ConsistencyRules, src.data, src, "consistency rules")
    yamlcache.put(digest, src.data, check_key())
    return rules, src


def load_rules(path: str | Path | None = None, parse: bool = False) -> tuple[ConsistencyRules, Any]:
    """The rules and their source (without positions when read from the parsed-data cache, unless ``parse``)."""
    p = Path(path) if path is not None else rules_path()
    st = p.stat()
    return _load_rules(str(p), st.st_mtime_ns, st.st_size, parse)


def _named_questionnaires(raw: Any, out: set[str]) -> set[str]:
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key in ("q", "any_row", "all_rows", "derived") and isinstance(value, str) and "/" in value:
                out.add(value.split("/", 1)[0])
            else:
                _named_questionnaires(value, out)
    elif isinstance(raw, list):
        for item in raw:
            _named_questionnaires(item, out)
    return out


_COMPILED: dict[tuple[Any, ...], tuple[list[CompiledRule], list[RiskwizardError]]] = {}


def compile_rules(specs: list[Any], path: str | Path | None = None) -> tuple[list[CompiledRule], list[RiskwizardError]]:
    """The rules that apply to these questionnaires, compiled; and the problems of rules that do not fit.

    A rule naming a questionnaire that is not in ``specs`` is left out silently. A rule that names
    them all but does not fit them (a questionnaire of the user's with the same id) is left out and
    its problem returned.
    """
    key = (str(path or ""), *((s.id, s.sha256, id(s)) for s in specs))
    cached = _COMPILED.get(key)
    if cached is not None:
        return cached
    model, src = load_rules(path)
    compiled, problems = _compile_rules(model, src, specs)
    if problems and not src.info:  # read from the cache: compile again from the file, for line numbers
        model, src = load_rules(path, parse=True)
        compiled, problems = _compile_rules(model, src, specs)
    if len(_COMPILED) > 32:
        _COMPILED.clear()
    _COMPILED[key] = (compiled, problems)
    return compiled, problems


def _compile_rules(model: ConsistencyRules, src: Any, specs: list[Any]) -> tuple[list[CompiledRule],
                                                                                list[RiskwizardError]]:
    by_id = {s.id: s for s in specs}
    questions = {f"{s.id}/{q.id}": q for s in specs for q in s.questions()}
    facts = {fid: d.question for s in specs for fid, d in s.fact_defs.items()}
    derived = {f"{s.id}/{d.id}.{o}" for s in specs for d in s.model.derived for o in _outputs(d.fn)}
    compiled: list[CompiledRule] = []
    problems: list[RiskwizardError] = []
    for i, rule in enumerate(model.rules):
        named = frozenset(_named_questionnaires(rule.when, set()))
        if not named <= set(by_id):
            continue
        scope = Scope(questions, derived, set(), False, f"consistency rule `{rule.id}`", facts=facts)
        try:
            condition = compile_condition(rule.when, ("rules", i, "when"), scope, src)
        except ErrorGroup as exc:
            problems.extend(exc.errors)
            continue
        except RiskwizardError as exc:
            problems.append(exc)
            continue
        compiled.append(CompiledRule(rule, condition, named))
    return compiled, problems


def _outputs(fn: str) -> tuple[str, ...]:
    from .calc import CALCULATORS

    calc = CALCULATORS.get(fn)
    return calc.outputs if calc is not None else ()


class _CrossLookup:
    """Reads ``questionnaire/question`` through that questionnaire's visibility, and facts as stored."""

    def __init__(self, views: dict[str, AnswerView], facts: dict[str, Any]) -> None:
        self.views = views
        self.facts = facts

    def status(self, ref: str) -> tuple[str, Any]:
        qn, _, qid = ref.partition("/")
        view = self.views.get(qn)
        return view.status(qid) if view is not None else (MISSING, None)

    def fact_status(self, fact_id: str) -> tuple[str, Any]:
        answer = self.facts.get(fact_id)
        if answer is None or (not answer.unknown and not answer.is_answered):
            return MISSING, None
        if answer.unknown:
            return UNKNOWN, None
        return ANSWERED, answer.value

    def derived(self, name: str) -> float | None:
        qn, _, rest = name.partition("/")
        view = self.views.get(qn)
        return view.derived(rest) if view is not None else None

    def score(self, dimension: str) -> float:
        return 0.0


def find_contradictions(doc: Any, specs: list[Any], views: dict[str, AnswerView] | None = None) -> list[Contradiction]:
    """Every consistency rule that fires on these answers, then every unsettled conflict."""
    doc.bind(specs)
    rules, _problems = compile_rules(specs)
    views = views or {s.id: AnswerView(s, doc.answers_for(s.id)) for s in specs}
    lookup = _CrossLookup(views, doc.facts)
    by_id = {s.id: s for s in specs}
    found = []
    for compiled in rules:
        if compiled.condition.evaluate(lookup):
            rule = compiled.rule
            found.append(Contradiction(rule.id, "rule", rule.title, rule.explanation, rule.resolve,
                                       rule.citation, _sides(compiled.condition, lookup, by_id, doc)))
    found += conflicts(doc, specs)
    return found


def _sides(condition: Condition, lookup: _CrossLookup, by_id: dict[str, Any], doc: Any) -> list[ContradictionSide]:
    sides: list[ContradictionSide] = []
    seen: set[tuple[str, str]] = set()
    for leaf in condition.leaves():
        if (leaf.kind, leaf.ref) in seen or leaf.kind not in ("q", "fact"):
            continue
        seen.add((leaf.kind, leaf.ref))
        side = _side(leaf, lookup, by_id, doc)
        if side is not None:
            sides.append(side)
    return sides


def _side(leaf: Leaf, lookup: _CrossLookup, by_id: dict[str, Any], doc: Any) -> ContradictionSide | None:
    if leaf.kind == "fact":
        status, _ = lookup.fact_status(leaf.ref)
        if status == MISSING:
            return None
        spec = next((s for s in by_id.values() if leaf.ref in s.local_of), None)
        spec = spec or next(iter(by_id.values()))
        question = spec.fact_question(leaf.ref)
        view = lookup.views[spec.id]
        asked = [s.model.title for s in by_id.values() if leaf.ref in s.local_of]
        where = f"shared fact, asked in {', '.join(asked)}" if asked else "shared fact"
        answer = doc.facts.get(leaf.ref)
        return ContradictionSide("", where, leaf.ref, leaf.ref, view.resolved(question).prompt,
                                 format_value(view.resolved(question), answer))
    qn, _, qid = leaf.ref.partition("/")
    spec = by_id[qn]
    view = lookup.views[qn]
    status, _ = view.status(qid)
    if status == MISSING:
        return None
    question = view.resolved(spec.question(qid))
    return ContradictionSide(qn, spec.model.title, qid, spec.fact_of.get(qid, ""), question.prompt,
                             format_value(question, view.answers.get(qid)))


def conflicts(doc: Any, specs: list[Any]) -> list[Contradiction]:
    """Old answers to one shared fact that disagreed when the file was upgraded, until one is picked."""
    titles = {s.id: s.model.title for s in specs}
    out = []
    for fid, entries in doc.conflicts.items():
        question = next((s.fact_question(fid) for s in specs if fid in s.fact_defs), None)
        prompt = question.prompt if question is not None else fid
        sides = []
        for e in entries:
            if e.unknown:
                shown = "don't know"
            elif e.fact_value is not None and question is not None:
                shown = format_raw(question, e.fact_value)
            else:
                shown = str(e.value) if not isinstance(e.value, list) else ", ".join(map(str, e.value))
            if e.reason and e.fact_value is None and not e.unknown:
                shown += f" ({e.reason})"
            sides.append(ContradictionSide(e.questionnaire, titles.get(e.questionnaire, e.questionnaire or "before"),
                                           e.question or fid, fid, prompt, shown))
        out.append(Contradiction(
            f"conflict:{fid}", "conflict", f"Earlier answers to \u201c{prompt}\u201d disagree",
            "These answers were given separately before the question was shared. All of them are kept; the fact "
            "stays open (and the results provisional) until one value is chosen.",
            "Answer the question once in the wizard (or set it under `facts:` in the file and delete the "
            "`conflicts:` entry).", "", sides))
    return out


def answer_key(fact_id: str) -> str:
    return FACT_KEY + fact_id


def rules_problems(specs: list[Any]) -> list[SchemaError | RiskwizardError]:
    """Problems of rules that name these questionnaires but do not fit them (for `validate` and tests)."""
    return list(compile_rules(specs)[1])
