"""Whitelisted calculators that questionnaires may use through ``derived:``.

Each calculator declares its inputs (what kind of question may feed them) and outputs. The
numbers in the tables are data with their sources, so they can be checked and updated.

Inputs a questionnaire wires to a question arrive as a value or as ``None`` (unanswered or hidden);
inputs it does not wire are absent. An input answered "don't know" is passed in ``unknown``: a
calculator never replaces it with a default, so its figures stay an open point instead of a fact.
Inputs that cannot all be true (a precision that no classifier can reach at the given base rate) are
refused with a message (:func:`evaluate_calculator`), never capped into a plausible-looking figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# Thermal design power in watts (ML CO2 Impact calculator, Lacoste et al. 2019; vendor data sheets).
# "cpu": 85 W per processor, CodeCarbon's figure for a CPU whose model it does not know
# (codecarbon/external/hardware.py, POWER_CONSTANT).
GPU_WATTS: dict[str, float] = {
    "cpu": 85,
    "t4": 70,
    "v100": 250,
    "a100_pcie": 250,
    "a100_sxm4": 400,
    "h100_sxm": 700,
}
GPU_WATTS_SOURCE = "thermal design power from the vendor's data sheet, as used by the ML CO2 Impact calculator"
# Grid carbon intensity in kg CO2eq per kWh: 2023 country averages from Our World in Data as used
# by CodeCarbon; "world" is the 0.432 kg/kWh default of the ML CO2 Impact calculator.
GRID_KG_PER_KWH: dict[str, float] = {
    "world": 0.432,
    "usa": 0.3695,
    "france": 0.056,
    "germany": 0.381,
    "uk": 0.2376,
    "china": 0.5823,
    "india": 0.7134,
    "canada": 0.170,
    "sweden": 0.0407,
    "norway": 0.0301,
    "poland": 0.6619,
    "japan": 0.4854,
    "australia": 0.5487,
}
GRID_SOURCES = {
    "world": "world-average default of the ML CO2 Impact calculator (Lacoste et al. 2019)",
}
GRID_SOURCE_COUNTRY = "2023 national average, Our World in Data, as used by CodeCarbon"
ASSUMED_PUE = 1.0  # when the PUE question is left empty: accelerators' own power only
ENERGY_SOURCE = (
    "Lacoste et al. (2019), Quantifying the Carbon Emissions of Machine Learning (ML CO2 Impact "
    "calculator); CodeCarbon methodology with Our World in Data 2023 grid intensities"
)


def grid_source(region: str) -> str:
    """Where the grid intensity of a region comes from, in words."""
    return GRID_SOURCES.get(region, GRID_SOURCE_COUNTRY)


@dataclass(frozen=True)
class InputSpec:
    kinds: tuple[str, ...]  # question types accepted
    required: bool = True
    choices: frozenset[str] | None = None  # for single-choice inputs: allowed option values
    # "don't know" refuses the calculation (True) or counts as not given (False: e.g. an unknown
    # cost only leaves its share of the harm uncomputed).
    unknown_refuses: bool = True


@dataclass(frozen=True)
class Calculator:
    inputs: dict[str, InputSpec]
    outputs: tuple[str, ...]
    fn: Callable[[dict[str, Any]], dict[str, float]]
    description: str


@dataclass
class CalcOutcome:
    """The outputs of one calculator run, or why there are none."""

    outputs: dict[str, float] | None
    problem: str = ""  # inputs that contradict each other, in words; "" when merely incomplete
    missing: list[str] = field(default_factory=list)  # inputs not given or "don't know"


NUM = ("number", "percent")


class MissingInput(Exception):
    """Raised by a calculator when a needed input is absent (args: the input names); derived values stay unknown."""


class InconsistentInputs(ValueError):
    """The inputs cannot all be true at once; the message says why, in words."""


def _pct(x: float) -> str:
    return f"{x:.4g}%"


def expected_errors(v: dict[str, Any]) -> dict[str, float]:
    """Confusion-matrix counts from population, base rate and error rates (percentages).

    Accepts either FPR and FNR, or precision and recall. Costs are per error, in any unit; the
    harm of an error type is given only when its cost is, and the total only when both are.
    """
    n = float(v["population"])
    base_rate = float(v["base_rate"])
    positives = n * base_rate / 100
    negatives = n - positives
    if v.get("fpr") is not None and v.get("fnr") is not None:
        fp = negatives * float(v["fpr"]) / 100
        fn = positives * float(v["fnr"]) / 100
        tp = positives - fn
    elif v.get("precision") is not None and v.get("recall") is not None:
        tp, fp = _from_precision_recall(positives, negatives, base_rate, float(v["precision"]), float(v["recall"]))
        fn = positives - tp
    else:
        raise MissingInput("fpr", "fnr", "precision", "recall")
    tn = negatives - fp
    out = {
        "positives": positives,
        "negatives": negatives,
        "fp": fp,
        "fn": fn,
        "tp": tp,
        "tn": tn,
        "errors": fp + fn,
        "error_rate": (fp + fn) / n * 100 if n else 0.0,
        "flagged": tp + fp,
    }
    if tp + fp > 0:  # with nothing flagged, precision is undefined (not 0%)
        out["precision"] = tp / (tp + fp) * 100
    cost_fp, cost_fn = v.get("cost_fp"), v.get("cost_fn")
    if cost_fp is not None:
        out["harm_fp"] = fp * float(cost_fp)
    if cost_fn is not None:
        out["harm_fn"] = fn * float(cost_fn)
    if cost_fp is not None and cost_fn is not None:
        out["harm"] = out["harm_fp"] + out["harm_fn"]
    return out


def _from_precision_recall(positives: float, negatives: float, base_rate: float, precision_pct: float,
                           recall_pct: float) -> tuple[float, float]:
    """True and false positives from precision and recall; refuses combinations that cannot hold.

    recall = TP / positives, precision = TP / (TP + FP), so TP = positives x recall and
    FP = TP x (1 - precision) / precision, which must not exceed the negatives.
    """
    precision, recall = precision_pct / 100, recall_pct / 100
    if positives <= 0:
        raise InconsistentInputs(
            f"with a base rate of {_pct(base_rate)} there are no true positives, so precision and recall "
            "do not describe the errors; give the false positive rate instead")
    tp = positives * recall
    if tp <= 0:
        if precision > 0:
            raise InconsistentInputs(
                f"a recall of 0% means no true case is flagged, so precision cannot be {_pct(precision_pct)}; "
                "check both figures")
        raise InconsistentInputs(
            "precision 0% and recall 0% do not say how many cases are wrongly flagged; "
            "give the false positive and false negative rates instead")
    if precision <= 0:
        raise InconsistentInputs(
            f"precision 0% means no flagged case is truly positive, but a recall of {_pct(recall_pct)} "
            "means some are; check both figures")
    fp = tp * (1 - precision) / precision
    if fp > negatives * (1 + 1e-9):
        lowest = tp / (tp + negatives) * 100
        raise InconsistentInputs(
            f"precision {_pct(precision_pct)} and recall {_pct(recall_pct)} cannot both hold at a base rate of "
            f"{_pct(base_rate)}: they would need {fp:,.0f} false positives, but only {negatives:,.0f} cases are "
            f"negative; at this base rate and recall, precision is at least {lowest:.3g}%")
    return tp, min(fp, negatives)  # min only absorbs rounding within the tolerance above


def energy(v: dict[str, Any]) -> dict[str, float]:
    """kWh = watts x device-hours / 1000 x PUE; kg CO2eq = kWh x grid intensity.

    ``hours`` are per accelerator when the questionnaire wires ``gpu_count`` (device-hours are then
    hours x count), and total device-hours when it does not. A wired but unanswered count is not
    taken as 1. An unanswered PUE is taken as 1.0 (the accelerators' own power), which the
    ``pue_assumed`` output records so that reports can say so.
    """
    gpu = v["gpu"]
    if gpu == "other":
        if v.get("gpu_watts") is None:
            raise MissingInput("gpu_watts")
        watts = float(v["gpu_watts"])
    elif gpu in GPU_WATTS:
        watts = GPU_WATTS[gpu]
    else:
        raise MissingInput("gpu_watts")
    hours = float(v["hours"])
    if "gpu_count" in v:
        if v["gpu_count"] is None:
            raise MissingInput("gpu_count")
        count = float(v["gpu_count"])
        device_hours = hours * count
    else:
        count = None
        device_hours = hours
    pue_given = v.get("pue")
    pue = float(pue_given) if pue_given is not None else ASSUMED_PUE
    if v["region"] not in GRID_KG_PER_KWH:
        raise MissingInput("region")
    intensity = GRID_KG_PER_KWH[v["region"]]
    kwh = watts * device_hours / 1000 * pue
    out = {"kwh": kwh, "co2_kg": kwh * intensity, "intensity": intensity, "watts": watts,
           "device_hours": device_hours, "pue": pue, "pue_assumed": 0.0 if pue_given is not None else 1.0}
    if count is not None:
        out["gpu_count"] = count
        out["hours_per_gpu"] = hours
    return out


MEASURED_OUTPUTS = ("kwh", "co2_kg", "intensity", "runs", "duration_h", "measured")


def measured_energy(runs: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Totals of measured runs, each (kWh, kg CO2eq, seconds) as a CodeCarbon emissions.csv row states them.

    kWh and kg CO2eq are summed over the runs; intensity is their ratio (kg CO2eq per kWh, 0 when no
    energy was measured); ``measured`` is 1, so rules and reports can tell a measurement from an estimate.
    """
    kwh = math.fsum(r[0] for r in runs)
    co2 = math.fsum(r[1] for r in runs)
    seconds = math.fsum(r[2] for r in runs)
    return {"kwh": kwh, "co2_kg": co2, "intensity": co2 / kwh if kwh > 0 else 0.0, "runs": float(len(runs)),
            "duration_h": seconds / 3600, "measured": 1.0}


def device_hours(v: dict[str, Any]) -> dict[str, float]:
    """Total device-hours (GPU-hours): hours per device x the number of devices run in parallel.

    The compute budget that paper checklists ask for (ACL's C1 "total computational budget (e.g.,
    GPU hours)"), without the energy assumptions (power, PUE, grid) that :func:`energy` needs.
    """
    count = float(v["gpu_count"])
    hours = float(v["hours"])
    return {"device_hours": count * hours, "gpu_count": count, "hours_per_gpu": hours}


# Government of Canada Algorithmic Impact Assessment (AIA) tool v1.0.1: when the mitigation score
# reaches 80 % of its maximum, the raw impact score is reduced by 15 % and rounded half up (JavaScript
# Math.round) to give the current score. Source: canada-ca/aia-eia-js, src/store.ts,
# calculateFinalScore (`percentage = 0.8`, `deduction = 0.15`), v1.0.1 of 2025-10-03.
AIA_MITIGATION_SHARE = Fraction(80, 100)
AIA_REDUCTION = Fraction(15, 100)
AIA_SOURCE = "Canada AIA tool v1.0.1 (github.com/canada-ca/aia-eia-js, src/store.ts calculateFinalScore)"


def mitigated_impact(v: dict[str, Any]) -> dict[str, float]:
    """The AIA's current score: the raw impact score, less 15 % when mitigation reaches 80 % of its max.

    Exact arithmetic, so a mitigation score of exactly 80 % counts; for the AIA's integer scores
    this gives the same numbers as the tool's floating-point code.
    """
    raw, raw_max = Fraction(float(v["raw"])), Fraction(float(v["raw_max"]))
    mitigation, mitigation_max = Fraction(float(v["mitigation"])), Fraction(float(v["mitigation_max"]))
    if raw_max <= 0 or mitigation_max <= 0:
        raise ValueError("maxima must be positive")
    reduced = mitigation >= AIA_MITIGATION_SHARE * mitigation_max
    current = math.floor((1 - AIA_REDUCTION) * raw + Fraction(1, 2)) if reduced else raw  # ties round up
    return {
        "current": float(current),
        "percent": float(current * 100 / raw_max),
        "raw_percent": float(raw * 100 / raw_max),
        "mitigation_percent": float(mitigation * 100 / mitigation_max),
        "reduced": 1.0 if reduced else 0.0,
        "reduction": float(raw - current),
    }


CALCULATORS: dict[str, Calculator] = {
    "expected_errors": Calculator(
        inputs={
            "population": InputSpec(("number",)),
            "base_rate": InputSpec(("percent",)),
            "fpr": InputSpec(("percent",), required=False),
            "fnr": InputSpec(("percent",), required=False),
            "precision": InputSpec(("percent",), required=False),
            "recall": InputSpec(("percent",), required=False),
            "cost_fp": InputSpec(NUM, required=False, unknown_refuses=False),
            "cost_fn": InputSpec(NUM, required=False, unknown_refuses=False),
        },
        outputs=("positives", "negatives", "fp", "fn", "tp", "tn", "errors", "error_rate",
                 "harm_fp", "harm_fn", "harm", "precision", "flagged"),
        fn=expected_errors,
        description="Expected false positives/negatives and harm for a population.",
    ),
    "energy": Calculator(
        inputs={
            "gpu": InputSpec(("single",), choices=frozenset([*GPU_WATTS, "other"])),
            "gpu_watts": InputSpec(NUM, required=False),
            "gpu_count": InputSpec(NUM, required=False),
            "hours": InputSpec(NUM),
            "region": InputSpec(("single",), choices=frozenset(GRID_KG_PER_KWH)),
            "pue": InputSpec(NUM, required=False),
        },
        outputs=("kwh", "co2_kg", "intensity", "watts", "device_hours", "gpu_count", "hours_per_gpu", "pue",
                 "pue_assumed"),
        fn=energy,
        description="Training energy (kWh) and emissions (kg CO2eq).",
    ),
    "device_hours": Calculator(
        inputs={"gpu_count": InputSpec(NUM), "hours": InputSpec(NUM)},
        outputs=("device_hours", "gpu_count", "hours_per_gpu"),
        fn=device_hours,
        description="Total device-hours (GPU-hours): hours per device times the number of devices.",
    ),
    "mitigated_impact": Calculator(
        inputs={
            "raw": InputSpec(("number",)),
            "raw_max": InputSpec(("number",)),
            "mitigation": InputSpec(("number",)),
            "mitigation_max": InputSpec(("number",)),
        },
        outputs=("current", "percent", "raw_percent", "mitigation_percent", "reduced", "reduction"),
        fn=mitigated_impact,
        description="Canada AIA current score: raw impact less 15 % when mitigation reaches 80 % of its max.",
    ),
}


def evaluate_calculator(name: str, values: dict[str, Any], unknown: frozenset[str] = frozenset()) -> CalcOutcome:
    """Run a calculator; without outputs, say which inputs are missing or why they contradict each other.

    ``unknown`` names the inputs answered "don't know".
    """
    calc = CALCULATORS[name]
    missing = [key for key, spec in calc.inputs.items() if key in unknown and spec.unknown_refuses]
    missing += [key for key, spec in calc.inputs.items()
                if spec.required and values.get(key) is None and key not in missing]
    if missing:
        return CalcOutcome(None, "", missing)
    known = {k: (None if k in unknown else v) for k, v in values.items()}
    try:
        outputs = calc.fn(known)
    except MissingInput as exc:
        return CalcOutcome(None, "", [str(a) for a in exc.args])
    except InconsistentInputs as exc:
        return CalcOutcome(None, str(exc))
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return CalcOutcome(None, "the inputs do not make sense together")
    # Inputs near the float limits can overflow to inf/nan; such results are meaningless (and not JSON).
    if outputs is None or not all(math.isfinite(v) for v in outputs.values()):
        return CalcOutcome(None, "the inputs are too large to compute with")
    return CalcOutcome(outputs)


def run_calculator(name: str, values: dict[str, Any], unknown: frozenset[str] = frozenset()) -> dict[str, float] | None:
    """Run a calculator; None when an input is missing, "don't know", or the inputs make no sense."""
    return evaluate_calculator(name, values, unknown).outputs
