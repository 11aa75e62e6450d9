"""The calculators against figures worked out by hand from first principles."""

from __future__ import annotations

import pytest

from riskwizard.calc import (
    GPU_WATTS,
    GRID_KG_PER_KWH,
    InconsistentInputs,
    evaluate_calculator,
    expected_errors,
    run_calculator,
)

# --------------------------------------------------------------------------- energy


def test_energy_llm_paper_by_hand() -> None:
    # 128 A100 SXM4 (400 W) x 312.5 h = 40,000 GPU-hours; 40,000 x 0.4 kW = 16,000 kWh; x PUE 1.2 = 19,200 kWh;
    # x 0.381 kg/kWh (Germany) = 7,315.2 kg CO2eq
    out = run_calculator("energy", {"gpu": "a100_sxm4", "gpu_count": 128, "hours": 312.5, "region": "germany",
                                    "pue": 1.2, "gpu_watts": None})
    assert out is not None
    assert out["device_hours"] == 40_000
    assert out["gpu_count"] == 128 and out["hours_per_gpu"] == 312.5
    assert out["kwh"] == pytest.approx(19_200)
    assert out["co2_kg"] == pytest.approx(7_315.2)
    assert out["watts"] == 400 and out["pue"] == 1.2 and out["pue_assumed"] == 0.0


def test_energy_medical_imaging_by_hand() -> None:
    # 4 V100 (250 W) x 480 h = 1,920 GPU-hours = 480 kWh; x 1.4 = 672 kWh; x 0.381 = 256.032 kg
    out = run_calculator("energy", {"gpu": "v100", "gpu_count": 4, "hours": 480, "region": "germany", "pue": 1.4})
    assert out is not None
    assert out["device_hours"] == 1_920
    assert out["kwh"] == pytest.approx(672)
    assert out["co2_kg"] == pytest.approx(256.032)


def test_energy_without_a_count_input_reads_total_device_hours() -> None:
    # research-ethics asks for device-hours in total and wires no gpu_count
    out = run_calculator("energy", {"gpu": "t4", "hours": 10, "region": "norway"})
    assert out is not None
    assert out["device_hours"] == 10 and "gpu_count" not in out
    assert out["kwh"] == pytest.approx(0.7)  # 70 W x 10 h
    assert out["co2_kg"] == pytest.approx(0.7 * 0.0301)  # about 21 g, not "0 kg"
    assert out["pue_assumed"] == 1.0 and out["pue"] == 1.0


@pytest.mark.parametrize("unknown", ["gpu_count", "pue", "gpu_watts"])
def test_dont_know_never_becomes_a_default(unknown: str) -> None:
    values = {"gpu": "other", "gpu_watts": 300, "gpu_count": 8, "hours": 100, "region": "world", "pue": 1.3}
    values[unknown] = None
    outcome = evaluate_calculator("energy", values, frozenset([unknown]))
    assert outcome.outputs is None
    assert unknown in outcome.missing and outcome.problem == ""


def test_unanswered_count_is_not_taken_as_one() -> None:
    outcome = evaluate_calculator("energy", {"gpu": "v100", "gpu_count": None, "hours": 10, "region": "world"})
    assert outcome.outputs is None and outcome.missing == ["gpu_count"]


def test_unanswered_pue_is_the_stated_assumption() -> None:
    out = run_calculator("energy", {"gpu": "v100", "gpu_count": 2, "hours": 10, "region": "world", "pue": None})
    assert out is not None and out["pue"] == 1.0 and out["pue_assumed"] == 1.0
    assert out["kwh"] == pytest.approx(5.0)  # 250 W x 20 GPU-hours


def test_tables_hold_what_the_questions_say() -> None:
    # the question help quotes these figures; a change must be made in both places
    assert GPU_WATTS == {"t4": 70, "v100": 250, "a100_pcie": 250, "a100_sxm4": 400, "h100_sxm": 700,
                         "cpu": 85}  # CodeCarbon's figure for a CPU whose model it does not know
    assert GRID_KG_PER_KWH["world"] == 0.432 and GRID_KG_PER_KWH["germany"] == 0.381


# --------------------------------------------------------------------------- expected errors


def test_fpr_fnr_by_hand() -> None:
    # 200,000 X-rays, 2% positive: 4,000 positives, 196,000 negatives; FPR 8% -> 15,680 FP; FNR 6% -> 240 FN
    r = expected_errors({"population": 200_000, "base_rate": 2, "fpr": 8, "fnr": 6, "cost_fp": 1, "cost_fn": 9})
    assert r["positives"] == pytest.approx(4_000) and r["negatives"] == pytest.approx(196_000)
    assert r["fp"] == pytest.approx(15_680) and r["fn"] == pytest.approx(240)
    assert r["tp"] == pytest.approx(3_760) and r["tn"] == pytest.approx(180_320)
    assert r["harm_fp"] == pytest.approx(15_680) and r["harm_fn"] == pytest.approx(2_160)
    assert r["harm"] == pytest.approx(17_840)
    assert r["precision"] == pytest.approx(3_760 / (3_760 + 15_680) * 100)


def test_precision_recall_by_hand() -> None:
    # cv-screening: 14,000 applications, 20% suitable = 2,800; recall 70% -> TP 1,960, FN 840;
    # precision 55% -> flagged = 1,960 / 0.55 = 3,563.6, FP = 1,603.6
    r = expected_errors({"population": 14_000, "base_rate": 20, "precision": 55, "recall": 70})
    assert r["tp"] == pytest.approx(1_960) and r["fn"] == pytest.approx(840)
    assert r["fp"] == pytest.approx(1_960 * 45 / 55)
    assert r["precision"] == pytest.approx(55)


def test_harm_needs_each_cost_and_the_total_needs_both() -> None:
    only_fn = expected_errors({"population": 1000, "base_rate": 10, "fpr": 10, "fnr": 10, "cost_fn": 5})
    assert only_fn["harm_fn"] == pytest.approx(50)
    assert "harm_fp" not in only_fn and "harm" not in only_fn
    none = expected_errors({"population": 1000, "base_rate": 10, "fpr": 10, "fnr": 10})
    assert not {"harm", "harm_fp", "harm_fn"} & set(none)


def test_unknown_cost_counts_as_not_given() -> None:
    outcome = evaluate_calculator("expected_errors", {"population": 1000, "base_rate": 10, "fpr": 10, "fnr": 10,
                                                      "cost_fp": None, "cost_fn": 5}, frozenset(["cost_fp"]))
    assert outcome.outputs is not None and "harm" not in outcome.outputs and outcome.outputs["harm_fn"] == 50


def test_nothing_flagged_has_no_precision() -> None:
    r = expected_errors({"population": 1000, "base_rate": 10, "fpr": 0, "fnr": 100})
    assert r["flagged"] == 0 and "precision" not in r


@pytest.mark.parametrize(("precision", "recall", "base_rate", "words"), [
    # 1,000 cases at 1%: 10 positives, recall 50% -> TP 5; precision 0.1% would need 4,995 FP > 990 negatives
    (0.1, 50, 1, "cannot both hold"),
    (0, 70, 20, "precision 0% means no flagged case is truly positive"),
    (55, 0, 20, "a recall of 0%"),
    (0, 0, 20, "do not say how many cases are wrongly flagged"),
    (55, 70, 0, "no true positives"),
])
def test_impossible_precision_recall_is_refused(precision: float, recall: float, base_rate: float,
                                                words: str) -> None:
    values = {"population": 1000, "base_rate": base_rate, "precision": precision, "recall": recall}
    with pytest.raises(InconsistentInputs, match=words):
        expected_errors(values)
    outcome = evaluate_calculator("expected_errors", values)
    assert outcome.outputs is None and words in outcome.problem


def test_refusal_names_the_lowest_possible_precision() -> None:
    # TP 5, negatives 990: the lowest precision is 5 / 995 = 0.503%
    with pytest.raises(InconsistentInputs, match=r"at least 0\.503%"):
        expected_errors({"population": 1000, "base_rate": 1, "precision": 0.1, "recall": 50})


def test_precision_at_the_feasible_limit_is_accepted() -> None:
    # precision exactly TP / (TP + all negatives): every negative is flagged
    r = expected_errors({"population": 1000, "base_rate": 1, "precision": 5 / 995 * 100, "recall": 50})
    assert r["fp"] == pytest.approx(990) and r["tn"] == pytest.approx(0)
