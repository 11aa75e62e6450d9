"""The false-positive / false-negative section: expected counts, harm, and who bears each error.

Every figure comes from the engine's derived values (the expected_errors calculator); inputs the
calculator refused are reported with its message, and harm is shown only for costs that are known.
"""

from __future__ import annotations

from typing import Any

from ..calc import evaluate_calculator
from ..conditions import ANSWERED, UNKNOWN
from ..engine import AnswerView, AssessmentResult, format_raw
from ..loader import Spec
from ..numbers import count, percent, plain
from .source import ReportAnswers

ERROR_COSTS = "error-costs"
OUTCOME_ROWS = [  # (derived key, label)
    ("tp", "True positives (correctly flagged)"),
    ("fp", "False positives (wrongly flagged)"),
    ("fn", "False negatives (missed)"),
    ("tn", "True negatives (correctly not flagged)"),
    ("errors", "Errors in total"),
]
WHO_WORDS = {"subject": "the person assessed", "third_party": "third parties", "operator": "the operator"}


def error_costs(source: ReportAnswers, specs: list[Spec], result: AssessmentResult) -> dict[str, Any] | None:
    spec = next((s for s in specs if s.id == ERROR_COSTS), None)
    r = result.result(ERROR_COSTS)
    if spec is None or r is None:
        return None
    answers = source.of(ERROR_COSTS)
    view = AnswerView(spec, answers)
    calc = _chosen_calculator(spec, view)
    out: dict[str, Any] = {"available": False, "rows": [], "inputs": [], "values": {}, "problem": "",
                           "missing": [], "harm_rows": [], "harm_note": "", "cost_fp": None, "cost_fn": None,
                           "who": _who(spec, view)}
    if calc is None:
        return out
    inputs, unknown = _inputs(view, calc)
    outcome = evaluate_calculator(calc.fn, inputs, frozenset(unknown))
    out["inputs"] = _input_rows(spec, view, calc)
    if outcome.outputs is None:
        out["problem"] = outcome.problem
        out["missing"] = [_input_prompt(spec, calc, key) for key in outcome.missing if key in calc.inputs]
        return out
    prefix = f"{calc.id}."
    values = {k.removeprefix(prefix): v for k, v in r.derived.items() if k.startswith(prefix)}
    out["available"] = True
    out["values"] = {k: round(float(v), 6) for k, v in sorted(values.items())}
    out["rows"] = [{"key": key, "label": label, "value": round(values[key], 6), "shown": count(values[key])}
                   for key, label in OUTCOME_ROWS if key in values]
    if "precision" in values:
        out["rows"].append({"key": "precision", "label": "Share of flagged cases that are truly positive",
                            "value": round(values["precision"], 6), "shown": percent(values["precision"])})
    cost_fp, cost_fn = inputs.get("cost_fp"), inputs.get("cost_fn")
    out["cost_fp"], out["cost_fn"] = cost_fp, cost_fn
    for key, label, cost in (("harm_fp", "Harm from false positives", cost_fp),
                             ("harm_fn", "Harm from false negatives", cost_fn)):
        if key in values:
            out["harm_rows"].append({"key": key, "label": label, "value": round(values[key], 6),
                                     "shown": count(values[key]), "cost": cost,
                                     "formula": f"{count(values[key[5:]])} x {plain(cost)}"})
    if "harm" in values:
        out["harm_rows"].append({"key": "harm", "label": "Expected harm in total", "value": round(values["harm"], 6),
                                 "shown": count(values["harm"]), "cost": None, "formula": ""})
    else:
        missing = [words for key, words in (("cost_fp", "a false positive"), ("cost_fn", "a false negative"))
                   if inputs.get(key) is None]
        if missing:
            how = "is not known" if any(k in unknown for k in ("cost_fp", "cost_fn")) else "is not given"
            out["harm_note"] = (f"No total expected harm is shown: the cost of {' or of '.join(missing)} {how}, and a "
                                "total from one known cost would understate it.")
    return out


def _chosen_calculator(spec: Spec, view: AnswerView) -> Any:
    """The expected_errors calculator whose rate inputs are visible (err or err_pr), else the first one."""
    calcs = [d for d in spec.model.derived if d.fn == "expected_errors"]
    for d in calcs:
        rate_keys = [k for k in ("fpr", "fnr", "precision", "recall") if k in d.inputs]
        if rate_keys and all(view.is_visible(d.inputs[k]) for k in rate_keys):
            return d
    return calcs[0] if calcs else None


def _inputs(view: AnswerView, calc: Any) -> tuple[dict[str, Any], set[str]]:
    inputs: dict[str, Any] = {}
    unknown: set[str] = set()
    for key, qid in calc.inputs.items():
        status, value = view.status(qid)
        inputs[key] = value if status == ANSWERED else None
        if status == UNKNOWN:
            unknown.add(key)
    return inputs, unknown


def _input_prompt(spec: Spec, calc: Any, key: str) -> str:
    try:
        return spec.question(calc.inputs[key]).prompt
    except KeyError:
        return key


def _input_rows(spec: Spec, view: AnswerView, calc: Any) -> list[dict[str, str]]:
    rows = []
    for key, qid in calc.inputs.items():
        if not view.is_visible(qid):
            continue
        status, value = view.status(qid)
        question = spec.question(qid)
        shown = format_raw(question, value) if status == ANSWERED else (
            "don't know" if status == UNKNOWN else "not answered")
        rows.append({"key": key, "label": question.prompt, "shown": shown})
    return rows


def _who(spec: Spec, view: AnswerView) -> list[dict[str, str]]:
    """What each error does and who bears it, from the consequence answers."""
    out = []
    for kind, consequence, bears, label in (("fp", "fp_consequence", "who_bears_fp", "False positive"),
                                             ("fn", "fn_consequence", "who_bears_fn", "False negative")):
        text = _answer(spec, view, consequence)
        who = _answer(spec, view, bears, raw=True)
        if text or who:
            out.append({"kind": kind, "label": label, "consequence": text or "",
                        "bears": WHO_WORDS.get(who or "", _answer(spec, view, bears) or "")})
    return out


def _answer(spec: Spec, view: AnswerView, qid: str, raw: bool = False) -> Any:
    try:
        question = spec.question(qid)
    except KeyError:
        return None
    status, value = view.status(qid)
    if status != ANSWERED:
        return None
    return value if raw else format_raw(question, value).strip()
