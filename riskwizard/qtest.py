"""Questionnaire tests: example answer sets with the outcomes they must give, shipped beside a questionnaire.

A questionnaire ``DIR/NAME.yaml`` may have test cases in ``DIR/tests/NAME.yaml``: a mapping from a
case id to a case. A case gives answers and what the engine must make of them::

    tainted_labels:                      # a case named after a rule expects that rule to fire
      description: optional text
      answers:
        labels_from_decisions: {value: "yes"}
        label_source: {unknown: true}
      tier: high                         # the tier / band
      fires: [rule, ...]                 # rules that must fire (in the trace)
      not_fires: [rule, ...]
      findings: [rule, ...]              # rules whose finding must be shown
      no_findings: [rule, ...]
      flags: [flag, ...]
      no_flags: [flag, ...]
      obligations: [obligation, ...]
      no_obligations: [obligation, ...]
      dates: {obligation: "2026-08-02"}  # the date that applies to a listed obligation
      act_status: {amendment: published} # run as if an act (under `acts:`) had this status
      denied_by:                         # the rule's finding asserts a fact these answers deny
        - {q: labels_from_decisions, op: eq, value: "no"}

``denied_by`` is checked by search: with the case's answers as a start, every combination the
search reaches (each question the rule reads changed alone, and pairs of them) in which a denial
holds must leave the rule's finding unshown. :func:`run_suite` runs every case; the
``riskwizard test`` command prints the failures with the rule trace.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import Answer, check_value
from .conditions import ANSWERED, MISSING, Condition, Scope, compile_condition
from .engine import AnswerView, QuestionnaireResult, evaluate, format_value
from .errors import ErrorGroup, Location, RiskwizardError, SchemaError
from .loader import Spec, bundled_paths, candidate_answers
from .models import ACT_STATUSES
from .yamlsafe import SourcedYaml, load_yaml_file

LIST_KEYS = ("fires", "not_fires", "findings", "no_findings", "flags", "no_flags", "obligations",
             "no_obligations")
CASE_KEYS = {"description", "answers", "tier", "dates", "denied_by", "act_status", *LIST_KEYS}
PAIR_BUDGET = 3000  # answer sets tried in pairs per denial, beyond every single change


@dataclass
class Case:
    id: str
    answers: dict[str, Answer]
    expect: dict[str, Any]
    denials: list[tuple[str, Condition]] = field(default_factory=list)  # (shown condition, compiled)
    description: str = ""
    where: Location | None = None
    act_status: dict[str, str] = field(default_factory=dict)  # acts assumed in another status for this case
    # fact id -> codecarbon.Measurement: the CodeCarbon file a case answers with (relative to the case file)
    measured: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseResult:
    case: Case
    failures: list[str]
    result: QuestionnaireResult
    tried: int = 0  # answer sets tried for denials

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class SuiteResult:
    spec: Spec
    path: Path
    results: list[CaseResult]
    uncovered: list[str]  # rules no case is named after or expects to fire

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]


def cases_path(spec: Spec) -> Path:
    """Where the test cases of a questionnaire file live: ``tests/<file stem>.yaml`` beside it."""
    source = Path(spec.path)
    found = source.parent / "tests" / f"{source.stem}.yaml"
    bundled = bundled_paths().get(spec.id)
    if not found.is_file() and bundled is not None and bundled.name == source.name:
        found = bundled.parent / "tests" / bundled.name  # spec.path is shown relative to where it was loaded
    return found


def load_cases(spec: Spec, path: Path) -> list[Case]:
    """Read and check a case file; every problem names file:line and what to do."""
    if not path.is_file():
        raise SchemaError(f"no test cases for `{spec.id}` at {path}", Location(str(path)),
                          "create the file (see docs/questionnaire-format.md, 'Questionnaire tests') or give --cases")
    src = load_yaml_file(path)
    if not isinstance(src.data, dict) or not src.data:
        raise SchemaError("a case file is a mapping from case ids to cases", src.where(()),
                          "start with `my_case:` and give its `answers:`")
    errors: list[RiskwizardError] = []
    cases = []
    for case_id, raw in src.data.items():
        try:
            cases.append(_case(spec, src, str(case_id), raw))
        except ErrorGroup as exc:
            errors.extend(exc.errors)
        except RiskwizardError as exc:
            errors.append(exc)
    if errors:
        raise ErrorGroup(errors)
    return cases


def _case(spec: Spec, src: SourcedYaml, case_id: str, raw: Any) -> Case:
    loc = (case_id,)
    rules = {r.id for r in spec.model.rules}
    if not isinstance(raw, dict):
        raise SchemaError(f"case `{case_id}` must be a mapping", src.where(loc), "give it `answers:` and expectations")
    errors: list[RiskwizardError] = []

    def bad(message: str, at: tuple[Any, ...], fix: str) -> None:
        errors.append(SchemaError(f"case `{case_id}`: {message}", src.where((*loc, *at)), fix))

    for key in raw:
        if key not in CASE_KEYS:
            bad(f"unknown key `{key}`", (key,), f"use one of: {', '.join(sorted(CASE_KEYS))}")
    answers = _answers(spec, raw.get("answers", {}), bad)
    expect: dict[str, Any] = {}
    with_findings = {r.id for r in spec.model.rules if r.finding}
    flags = {f for r in spec.model.rules for f in r.flags}
    obligations = {o.id for o in spec.model.obligations}
    known = {"fires": rules, "not_fires": rules, "findings": with_findings, "no_findings": with_findings,
             "flags": flags, "no_flags": flags, "obligations": obligations, "no_obligations": obligations}
    for key in LIST_KEYS:
        if key not in raw:
            continue
        values = raw[key]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            bad(f"`{key}` must be a list of ids", (key,), f"write {key}: [id, ...]")
            continue
        for i, v in enumerate(values):
            if v not in known[key]:
                bad(f"`{key}` names unknown id `{v}`", (key, i), f"use an id of this questionnaire ({spec.id})")
        expect[key] = list(values)
    if case_id in rules and "fires" not in expect:
        expect["fires"] = [case_id]
    if "tier" in raw:
        levels = [lvl.id for lvl in spec.model.outcome.levels] if spec.model.outcome else []
        if raw["tier"] not in levels:
            bad(f"unknown tier `{raw['tier']}`", ("tier",), f"use one of: {', '.join(levels) or '(no outcome)'}")
        expect["tier"] = raw["tier"]
    if "dates" in raw:
        dates = raw["dates"]
        if not isinstance(dates, dict):
            bad("`dates` must map obligation ids to dates", ("dates",), 'write dates: {obligation_id: "2026-08-02"}')
        else:
            for ob in dates:
                if ob not in obligations:
                    bad(f"`dates` names unknown obligation `{ob}`", ("dates", ob), "use an obligation id")
            expect["dates"] = dict(dates)
    denials = _denials(spec, src, case_id, raw.get("denied_by"), rules, bad)
    act_status = _act_status(spec, raw.get("act_status"), bad)
    if not expect and not denials:
        bad("expects nothing", (), "name the case after a rule, or give tier, fires, findings, flags or obligations")
    measured = _measured(spec, src, answers, bad)
    if errors:
        raise ErrorGroup(errors)
    return Case(case_id, answers, expect, denials, str(raw.get("description", "")), src.where(loc), act_status,
                measured)


def _measured(spec: Spec, src: SourcedYaml, answers: dict[str, Answer], bad: Any) -> dict[str, Any]:
    """A case that answers with a CodeCarbon emissions.csv reads it, as an assessment would."""
    from .codecarbon import load_measurements, measured_facts

    wanted = measured_facts([spec])
    if not wanted:
        return {}
    facts = {spec.fact_of.get(qid, qid): a for qid, a in answers.items()}
    try:
        return load_measurements(facts, wanted, Path(src.path).parent)
    except RiskwizardError as exc:
        bad(f"its CodeCarbon file cannot be used: {exc.location}: {exc.message}", ("answers",), exc.fix)
        return {}


def _act_status(spec: Spec, raw: Any, bad: Any) -> dict[str, str]:
    """``act_status: {act_id: published}``: run the case as if an act had that status (e.g. once published)."""
    if raw is None:
        return {}
    acts = {a.id for a in spec.model.acts}
    if not isinstance(raw, dict):
        bad("`act_status` must map act ids to a status", ("act_status",), "write act_status: {act_id: published}")
        return {}
    out = {}
    for act, status in raw.items():
        if act not in acts:
            bad(f"`act_status` names unknown act `{act}`", ("act_status", act),
                f"use one of: {', '.join(sorted(acts)) or '(no acts declared)'}")
        elif status not in ACT_STATUSES:
            bad(f"`act_status` of `{act}`: unknown status `{status}`", ("act_status", act),
                f"use one of: {', '.join(ACT_STATUSES)}")
        else:
            out[act] = status
    return out


def spec_for_case(spec: Spec, case: Case) -> Spec:
    """The questionnaire with the case's assumed act statuses (the spec itself when there are none)."""
    if not case.act_status:
        return spec
    acts = []
    for act in spec.model.acts:
        status = case.act_status.get(act.id, act.status)
        reference = (act.oj_reference or "(assumed published by a test case)") if status == "published" else ""
        acts.append(act.model_copy(update={"status": status, "oj_reference": reference}))
    return dataclasses.replace(spec, model=spec.model.model_copy(update={"acts": acts}))


def _answers(spec: Spec, raw: Any, bad: Any) -> dict[str, Answer]:
    if not isinstance(raw, dict):
        bad("`answers` must be a mapping of question ids", ("answers",), "write answers: {question_id: {value: ...}}")
        return {}
    out: dict[str, Answer] = {}
    for qid, entry in raw.items():
        at = ("answers", qid)
        try:
            question = spec.question(qid)
        except KeyError:
            bad(f"unknown question `{qid}`", at, f"use a question id of `{spec.id}`")
            continue
        if not isinstance(entry, dict) or not set(entry) <= {"value", "unknown", "note"} or not entry:
            bad(f"answer to `{qid}` must be {{value: ...}} or {{unknown: true}}", at, "see the answers format")
            continue
        if entry.get("unknown") is True:
            out[qid] = Answer(unknown=True)
            continue
        value, problem = check_value(question, entry.get("value"))
        if problem:
            bad(f"answer to `{qid}`: {problem}", (*at, "value"), "give a value the question accepts")
            continue
        out[qid] = Answer(value=value)
    return out


def _denials(spec: Spec, src: SourcedYaml, case_id: str, raw: Any, rules: set[str],
             bad: Any) -> list[tuple[str, Condition]]:
    if raw is None:
        return []
    if case_id not in rules:
        bad("`denied_by` belongs to a case named after the rule whose finding it protects", ("denied_by",),
            "rename the case to the rule id")
        return []
    if case_id in spec.late_rules:
        bad("`denied_by` cannot be checked for a rule that reads scores", ("denied_by",), "remove it")
        return []
    if not isinstance(raw, list) or not raw:
        bad("`denied_by` must be a list of conditions", ("denied_by",),
            'write denied_by: [{q: question_id, op: eq, value: "no"}]')
        return []
    questions = {q.id: q for q in spec.questions()}
    scope = Scope(questions, set(), set(), False, f"case `{case_id}` denied_by")
    out = []
    for i, cond in enumerate(raw):
        compiled = compile_condition(cond, (case_id, "denied_by", i), scope, src)
        out.append((_show(cond), compiled))
    return out


def _show(cond: Any) -> str:
    if isinstance(cond, dict) and "q" in cond:
        value = cond.get("value")
        return f"{cond['q']} {cond.get('op')}" + ("" if value is None else f" {value}")
    return str(cond)


# --------------------------------------------------------------------------- running


def run_suite(spec: Spec, path: Path | None = None) -> SuiteResult:
    path = path or cases_path(spec)
    cases = load_cases(spec, path)
    results = [run_case(spec, case) for case in cases]
    covered = {rid for c in cases for rid in c.expect.get("fires", [])} | {c.id for c in cases}
    uncovered = [r.id for r in spec.model.rules if r.id not in covered]
    return SuiteResult(spec, path, results, uncovered)


def run_case(spec: Spec, case: Case) -> CaseResult:
    spec = spec_for_case(spec, case)
    result = evaluate(spec, case.answers, AnswerView(spec, case.answers, case.measured))
    failures = check_expectations(result, case.expect)
    tried = 0
    for shown, denial in case.denials:
        found, n = denial_counterexample(spec, case.id, denial, case.answers)
        tried += n
        if found is None and n == 0:
            failures.append(f"denied_by `{shown}`: the denial never holds from the case's answers "
                            "(is its question hidden?), so nothing was checked")
        elif found is not None:
            changed = ", ".join(f"{q}={_shown_answer(spec, q, a)}" for q, a in sorted(found.items())
                                if case.answers.get(q) != a)
            failures.append(f"denied_by `{shown}`: the finding of `{case.id}` is shown although the answers deny "
                            f"it ({changed or 'the case answers'})")
    return CaseResult(case, failures, result, tried)


def check_expectations(result: QuestionnaireResult, expect: dict[str, Any]) -> list[str]:
    fired = {t.rule_id for t in result.trace}
    findings = {f.rule_id for f in result.findings}
    flags = set(result.flags)
    obligations = {o.id: o for o in result.obligations}
    failures = []
    if "tier" in expect:
        got = result.tier.id if result.tier else None
        if got != expect["tier"]:
            reason = f" ({result.tier.reason})" if result.tier else ""
            failures.append(f"tier: expected {expect['tier']}, got {got}{reason}")
    checks = [("fires", fired, True, "did not fire"), ("not_fires", fired, False, "fired"),
              ("findings", findings, True, "finding not shown"), ("no_findings", findings, False, "finding shown"),
              ("flags", flags, True, "flag not set"), ("no_flags", flags, False, "flag set"),
              ("obligations", set(obligations), True, "not listed"),
              ("no_obligations", set(obligations), False, "listed")]
    for key, got, present, words in checks:
        for item in expect.get(key, []):
            if (item in got) != present:
                failures.append(f"{key}: `{item}` {words}")
    for ob, date in expect.get("dates", {}).items():
        if ob not in obligations:
            failures.append(f"dates: obligation `{ob}` is not listed")
        elif obligations[ob].applies_from != date:
            failures.append(f"dates: `{ob}` applies from {obligations[ob].applies_from}, expected {date}")
    return failures


def denial_counterexample(spec: Spec, rule_id: str, denial: Condition,
                          base: dict[str, Answer]) -> tuple[dict[str, Answer] | None, int]:
    """Search answer sets in which ``denial`` holds and the rule's finding is still shown.

    Returns the first such answer set (or None) and how many answer sets held the denial.
    """
    cond = spec.rule_when[rule_id]
    by_q: dict[str, list[Any]] = {}
    for leaf in [*cond.leaves(), *denial.leaves()]:
        if leaf.kind == "q":
            by_q.setdefault(leaf.ref, []).append(leaf)
    options = {qid: _options(spec.question(qid), leaves) for qid, leaves in sorted(by_q.items())}
    tried = 0

    def attempt(answers: dict[str, Answer]) -> bool:
        nonlocal tried
        view = AnswerView(spec, answers)
        if not denial.evaluate(view):
            return False
        tried += 1
        if not cond.evaluate(view):
            return False
        result = evaluate(spec, answers)
        rule = next(r for r in spec.model.rules if r.id == rule_id)
        if rule.finding is not None:
            return any(f.rule_id == rule_id for f in result.findings)
        return any(t.rule_id == rule_id for t in result.trace)

    starts = [dict(base)]
    for qid in denial.question_refs():  # also start from each answer that makes the denial true
        for option in options.get(qid, []):
            starts.append(_with(base, qid, option))
    for start in starts:
        if attempt(start):
            return start, tried
    singles = [(qid, option) for qid, opts in options.items() for option in opts]
    for start in starts:
        for qid, option in singles:
            trial = _with(start, qid, option)
            if attempt(trial):
                return trial, tried
    pairs = [(a, b) for a, b in itertools.combinations(singles, 2) if a[0] != b[0]]
    if len(pairs) > PAIR_BUDGET:
        pairs = random.Random(rule_id).sample(pairs, PAIR_BUDGET)  # noqa: S311 - a reproducible sample
    for start in starts[:2]:
        for (qa, oa), (qb, ob) in pairs:
            trial = _with(_with(start, qa, oa), qb, ob)
            if attempt(trial):
                return trial, tried
    return None, tried


def _options(question: Any, leaves: list[Any]) -> list[Answer | None]:
    out: list[Answer | None] = []
    counts: set[int] = set()
    for status, value in candidate_answers(question, leaves):
        if status == MISSING:
            out.append(None)
        elif status != ANSWERED:
            out.append(Answer(unknown=True))
        elif question.type == "group":  # comparisons count rows: try that many (empty) rows
            count = max(0, math.floor(value))
            if count not in counts and count <= question.max_rows:
                counts.add(count)
                out.append(Answer(value=[{} for _ in range(count)]))
        else:
            out.append(Answer(value=list(value) if isinstance(value, tuple) else value))
    return out


def _with(answers: dict[str, Answer], qid: str, option: Answer | None) -> dict[str, Answer]:
    trial = dict(answers)
    if option is None:
        trial.pop(qid, None)
    else:
        trial[qid] = option
    return trial


def _shown_answer(spec: Spec, qid: str, answer: Answer | None) -> str:
    if answer is None:
        return "(unanswered)"
    return format_value(spec.question(qid), answer)


# --------------------------------------------------------------------------- report


def format_suite(suite: SuiteResult, verbose: bool = False) -> list[str]:
    """Lines for the terminal: failures with the rule trace, then a summary."""
    lines = []
    for r in suite.results:
        if r.passed:
            if verbose:
                lines.append(f"  ok    {r.case.id}")
            continue
        where = f" ({r.case.where})" if r.case.where else ""
        lines.append(f"  FAIL  {r.case.id}{where}")
        for failure in r.failures:
            lines.append(f"        {failure}")
        tier = r.result.tier
        if tier is not None:
            lines.append(f"        tier {tier.id} ({tier.rule_id or 'default'}): {tier.reason}")
        for t in r.result.trace:
            evidence = ", ".join(f"{e.ref}={e.shown}" for e in t.evidence)
            lines.append(f"        trace: {t.rule_id} -> {'; '.join(t.effects)} [{evidence}]")
    passed = len(suite.results) - len(suite.failed)
    denials = sum(len(r.case.denials) for r in suite.results)
    tried = sum(r.tried for r in suite.results)
    summary = (f"{suite.spec.id} {suite.spec.version}: {passed} of {len(suite.results)} cases passed"
               f" ({suite.path})")
    if denials:
        summary += f"; {denials} denial{'s' if denials != 1 else ''} checked on {tried:,} answer sets"
    lines.append(summary)
    if suite.uncovered:
        lines.append(f"  rules without a case: {', '.join(suite.uncovered)}")
    return lines
