"""Every figure in the generated broader impact statement equals a computed value.

The statement quotes answers and adds figures of its own (error counts, GPU-hours, power, PUE, kWh,
grid intensity, emissions). The test removes every quoted answer, option label and the method's
citation from the text; each number left over must be one of the calculator's derived values as
the report prints it, and the energy and error figures must come from their own calculators.
Hand-computed figures for the samples pin the arithmetic itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.calc import ENERGY_SOURCE, GPU_WATTS_SOURCE, grid_source
from riskwizard.numbers import co2, count, kwh, plain, sig
from riskwizard.reports.model import build_model

from .conftest import answers_files, case_id

CASES = [p for p in answers_files() if "neurips-broader-impact" in p.read_text(encoding="utf-8")]
NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")  # not the 2 of CO2eq


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def _quoted_material(assessment: Any) -> list[str]:
    """Everything the statement may quote: answers and notes, option labels, fixed source citations."""
    texts = []
    for answers in assessment.doc.answers.values():
        for answer in answers.values():
            texts += _strings(answer.value) + [answer.note]
    for spec in assessment.specs:
        for q in spec.questions():
            texts += [o.label for o in getattr(q, "options", None) or []]
            for f in getattr(q, "fields", None) or []:
                texts += [o.label for o in getattr(f, "options", None) or []]
    texts += [ENERGY_SOURCE, GPU_WATTS_SOURCE, grid_source("world"), grid_source("germany")]
    out = []
    for t in texts:
        t = " ".join(str(t).split())
        out += [t, t.rstrip("."), t[:1].lower() + t[1:]]
    return sorted({t for t in out if t}, key=len, reverse=True)


def _printed_forms(value: float) -> set[str]:
    forms = {plain(value), sig(value), count(value), sig(value, 6)}
    forms |= {re.sub(r" .*", "", kwh(value)), re.sub(r" .*", "", co2(value))}
    return forms


def _leftover_numbers(text: str, quoted: list[str]) -> list[str]:
    for q in quoted:
        text = text.replace(q, " ")
    return NUMBER.findall(text)


@pytest.mark.parametrize("answers", CASES, ids=[case_id(p) for p in CASES])
def test_every_figure_in_the_statement_is_a_derived_value(answers: Path) -> None:
    a = open_assessment(answers, strict=False)
    result = a.evaluate()
    model = build_model(a.doc, a.specs, result=result)
    quoted = _quoted_material(a)
    derived_by_calc: dict[str, set[str]] = {}
    for r in result.results:
        for key, value in r.derived.items():
            derived_by_calc.setdefault(key.split(".")[0], set()).update(_printed_forms(value))
    energy = derived_by_calc.get("co2", set()) | {"1.0"}  # the stated PUE assumption is printed "1.0"
    errors = derived_by_calc.get("err", set()) | derived_by_calc.get("err_pr", set())
    checked = 0
    for section in model["broader_impact"]["sections"]:
        allowed = energy if section["heading"] == "Environmental cost" else (
            errors if section["heading"].startswith("Failures") else set())
        for paragraph in section["paragraphs"]:
            for number in _leftover_numbers(paragraph, quoted):
                if re.search(rf"\blist {number} mitigations", paragraph):
                    continue  # a count of the listed rows, checked below
                assert number in allowed, f"{number!r} in {section['heading']!r} is no derived value: {paragraph}"
                checked += 1
    mitigations = next((s for s in model["broader_impact"]["sections"] if s["heading"] == "Mitigations"), None)
    if mitigations:
        rows = a.doc.answers["neurips-broader-impact"]["mitigations"].value
        n = len([r for r in rows if r.get("mitigation")])
        assert f"list {n} mitigations" in mitigations["paragraphs"][0] or n == 1
    if "co2" in derived_by_calc:
        assert checked >= 5  # the energy paragraph prints its figures with their assumptions


def _statement(name: str) -> str:
    from .conftest import SAMPLES

    a = open_assessment(SAMPLES / f"{name}.yaml", strict=False)
    model = build_model(a.doc, a.specs)
    return " ".join(p for s in model["broader_impact"]["sections"] for p in s["paragraphs"])


def test_llm_paper_energy_by_hand() -> None:
    text = _statement("llm-paper")
    # the re-scoped sample (#12): 512 x 350 h = 179,200 GPU-hours; x 400 W = 71,680 kWh; x PUE 1.2 = 86,016 kWh
    # (3 significant figures: 86,000 kWh); x 0.381 kg/kWh = 32,772 kg = 32.8 t
    assert "Training used 179,200 GPU-hours: 512 NVIDIA A100 SXM4 accelerators running 350 hours each." in text
    assert "At 400 W per accelerator" in text and "(PUE) of 1.2" in text
    assert "an estimated 86,000 kWh" in text and "0.381 kg CO2eq per kWh for Germany" in text
    assert "about 32.8 t CO2eq" in text
    # the hours leave out the ablations, and the statement says so with the authors' own figure
    assert "hyperparameter searches, ablations and failed runs are left out" in text
    assert "about 6,000 GPU-hours" in text
    assert "350 GPU-hours" not in text and "in Unknown" not in text and "on Other" not in text


def _llm_paper_with(tmp_path: Path, facts: dict[str, dict[str, Any]], neurips: dict[str, dict[str, Any]]) -> str:
    """The llm-paper sample's statement with some shared facts and NeurIPS answers replaced."""
    import yaml

    from .conftest import SAMPLES

    data = yaml.safe_load((SAMPLES / "llm-paper.yaml").read_text(encoding="utf-8"))
    data["facts"].update(facts)
    data["answers"]["neurips-broader-impact"].update(neurips)
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    a = open_assessment(path, strict=False)
    return " ".join(p for s in build_model(a.doc, a.specs)["broader_impact"]["sections"] for p in s["paragraphs"])


def test_medical_imaging_compute_by_hand(tmp_path: Path) -> None:
    # medical-imaging's compute (it has no paper, so no statement of its own) in a statement:
    # 4 x 480 h = 1,920 GPU-hours; x 250 W = 480 kWh; x PUE 1.4 = 672 kWh; x 0.381 kg/kWh = 256 kg
    text = _llm_paper_with(tmp_path, {"accelerator": {"value": "v100"}, "accelerator_count": {"value": 4},
                                      "accelerator_hours": {"value": 480}}, {"pue": {"value": 1.4}})
    assert "Training used 1,920 GPU-hours: 4 NVIDIA V100 accelerators running 480 hours each." in text
    assert "At 250 W per accelerator" in text and "(PUE) of 1.4" in text
    assert "an estimated 672 kWh" in text and "about 256 kg CO2eq" in text


def test_dont_know_compute_is_an_open_point_not_a_figure(tmp_path: Path) -> None:
    text = _llm_paper_with(tmp_path, {"accelerator_hours": {"unknown": True}}, {})
    assert "Energy use and emissions are an open point" in text and "don't know" in text
    assert "kWh" not in text and "CO2eq of" not in text and "GPU-hours:" not in text


def test_errors_by_hand() -> None:
    from .conftest import SAMPLES

    def rows(name: str) -> dict[str, str]:
        a = open_assessment(SAMPLES / f"{name}.yaml", strict=False)
        return {r["key"]: r["shown"] for r in build_model(a.doc, a.specs)["error_costs"]["rows"]}

    # cv-screening: 14,000 x 20% = 2,800 suitable; recall 70% -> 1,960 found, 840 missed;
    # precision 55% -> 1,960 / 0.55 = 3,563.6 flagged, 1,603.6 of them false positives
    cv = rows("cv-screening")
    assert (cv["fn"], cv["fp"], cv["tp"]) == ("840", "1,604", "1,960")
    # medical-imaging: 196,000 negatives x 8% = 15,680; 4,000 positives x 6% = 240
    mi = rows("medical-imaging")
    assert (mi["fp"], mi["fn"], mi["tn"]) == ("15,680", "240", "180,320")
    # llm-paper, quoted in the statement: 1,960,000 negatives x 3% = 58,800; 40,000 positives x 15% = 6,000
    assert "about 58,800 cases a year would be wrongly flagged and 6,000 missed" in _statement("llm-paper")


def test_small_emissions_are_printed_in_grams(tmp_path: Path) -> None:
    import yaml

    from .conftest import FIXTURES

    data = yaml.safe_load((FIXTURES / "full.yaml").read_text(encoding="utf-8"))
    nb = data["answers"]["neurips-broader-impact"]
    nb["gpu_type"], nb["gpu_hours"], nb["grid_region"] = {"value": "v100"}, {"value": 4}, {"value": "germany"}
    (tmp_path / "questionnaires").symlink_to(FIXTURES / "questionnaires")
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    a = open_assessment(path, strict=False)
    text = " ".join(p for s in build_model(a.doc, a.specs)["broader_impact"]["sections"] for p in s["paragraphs"])
    # 250 W x 4 h = 1 kWh; x 0.381 kg/kWh = 0.381 kg = 381 g
    assert "an estimated 1 kWh" in text and "about 381 g CO2eq" in text
    assert "0 kg" not in text
