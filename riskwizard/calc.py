"""Whitelisted calculators that questionnaires may use through ``derived:``.

Each calculator declares its inputs (what kind of question may feed them) and outputs. The
numbers in the tables are data with their sources, so they can be checked and updated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
ENERGY_SOURCE = (
    "Lacoste et al. (2019), Quantifying the Carbon Emissions of Machine Learning (ML CO2 Impact "
    "calculator); CodeCarbon methodology with Our World in Data 2023 grid intensities"
)


@dataclass(frozen=True)
class InputSpec:
    kinds: tuple[str, ...]  # question types accepted
    required: bool = True
    choices: frozenset[str] | None = None  # for single-choice inputs: allowed option values


@dataclass(frozen=True)
class Calculator:
    inputs: dict[str, InputSpec]
    outputs: tuple[str, ...]
    fn: Callable[[dict[str, Any]], dict[str, float]]
    description: str


NUM = ("number", "percent")


def expected_errors(v: dict[str, Any]) -> dict[str, float]:
    """Confusion-matrix counts from population, base rate and error rates (percentages).

    Accepts either FPR and FNR, or precision and recall. Costs are per error, in any unit.
    """
    n = float(v["population"])
    positives = n * float(v["base_rate"]) / 100
    negatives = n - positives
    if v.get("fpr") is not None and v.get("fnr") is not None:
        fp = negatives * float(v["fpr"]) / 100
        fn = positives * float(v["fnr"]) / 100
        tp = positives - fn
    elif v.get("precision") is not None and v.get("recall") is not None:
        recall = float(v["recall"]) / 100
        precision = float(v["precision"]) / 100
        tp = positives * recall
        fn = positives - tp
        fp = tp * (1 - precision) / precision if precision > 0 else negatives
        fp = min(fp, negatives)
    else:
        raise MissingInput("fpr and fnr, or precision and recall")
    tn = negatives - fp
    cost_fp = float(v.get("cost_fp") or 0)
    cost_fn = float(v.get("cost_fn") or 0)
    return {
        "positives": positives,
        "negatives": negatives,
        "fp": fp,
        "fn": fn,
        "tp": tp,
        "tn": tn,
        "errors": fp + fn,
        "error_rate": (fp + fn) / n * 100 if n else 0.0,
        "harm_fp": fp * cost_fp,
        "harm_fn": fn * cost_fn,
        "harm": fp * cost_fp + fn * cost_fn,
        "precision": tp / (tp + fp) * 100 if tp + fp else 0.0,
        "flagged": tp + fp,
    }


def energy(v: dict[str, Any]) -> dict[str, float]:
    """kWh = watts x GPUs x hours / 1000 x PUE; kg CO2eq = kWh x grid intensity."""
    gpu = v["gpu"]
    watts = float(v["gpu_watts"]) if gpu == "other" and v.get("gpu_watts") is not None else GPU_WATTS.get(gpu)
    if watts is None:
        raise MissingInput("gpu_watts (the GPU is not in the table)")
    count = float(v.get("gpu_count") or 1)
    pue = float(v.get("pue") or 1.0)
    kwh = watts * count * float(v["hours"]) / 1000 * pue
    intensity = GRID_KG_PER_KWH.get(v["region"], GRID_KG_PER_KWH["world"])
    return {"kwh": kwh, "co2_kg": kwh * intensity, "intensity": intensity, "watts": watts}


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


class MissingInput(Exception):
    """Raised by a calculator when a needed input is absent; the derived values stay unknown."""


CALCULATORS: dict[str, Calculator] = {
    "expected_errors": Calculator(
        inputs={
            "population": InputSpec(("number",)),
            "base_rate": InputSpec(("percent",)),
            "fpr": InputSpec(("percent",), required=False),
            "fnr": InputSpec(("percent",), required=False),
            "precision": InputSpec(("percent",), required=False),
            "recall": InputSpec(("percent",), required=False),
            "cost_fp": InputSpec(NUM, required=False),
            "cost_fn": InputSpec(NUM, required=False),
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
        outputs=("kwh", "co2_kg", "intensity", "watts"),
        fn=energy,
        description="Training energy (kWh) and emissions (kg CO2eq).",
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


def run_calculator(name: str, values: dict[str, Any]) -> dict[str, float] | None:
    """Run a calculator; None when a required input is missing or the inputs make no sense."""
    calc = CALCULATORS[name]
    for key, spec in calc.inputs.items():
        if spec.required and values.get(key) is None:
            return None
    try:
        outputs = calc.fn(values)
    except (MissingInput, ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    # Inputs near the float limits can overflow to inf/nan; such results are meaningless (and not JSON).
    if outputs is None or not all(math.isfinite(v) for v in outputs.values()):
        return None
    return outputs
