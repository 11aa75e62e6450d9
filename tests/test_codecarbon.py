"""Measured emissions: a CodeCarbon emissions.csv replaces the estimate in the statement, checklist and card.

The main test makes the CSV with CodeCarbon itself (OfflineEmissionsTracker, no network) around a short
CPU workload, then checks every printed figure against sums computed here from the CSV with the csv module.
"""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path

import pytest
import yaml

from riskwizard.assessment import open_assessment
from riskwizard.calc import run_calculator
from riskwizard.cli import main
from riskwizard.codecarbon import EmissionsCsvError, parse_emissions_csv, read_emissions_csv
from riskwizard.loader import samples_dir
from riskwizard.reports import export_file
from riskwizard.reports.measured import duration, significant

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "codecarbon" / "emissions.csv"  # written by CodeCarbon 3.3.2 (France, 2 runs)
GOLDEN = HERE / "fixtures" / "codecarbon" / "measured-llm-paper.golden.txt"  # RISKWIZARD_UPDATE_GOLDEN=1 rewrites it
NEURIPS = "neurips-broader-impact"


def _score(answers: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`riskwizard score ANSWERS` through the real entry point: exit code and everything printed."""
    with pytest.raises(SystemExit) as exited:
        main(["score", str(answers)])
    out = capsys.readouterr()
    return int(exited.value.code or 0), out.out + out.err


def _answers_with_csv(folder: Path, csv_name: str | None) -> Path:
    """The llm-paper sample with the emissions_csv fact naming ``csv_name`` (relative to the answers file)."""
    text = (samples_dir() / "llm-paper.yaml").read_text(encoding="utf-8")
    if csv_name is not None:
        measured = "  energy_measurement:\n    value: codecarbon\n"
        assert text.count("  energy_measurement:\n    value: estimated\n") == 1
        text = text.replace("  energy_measurement:\n    value: estimated\n", measured, 1)
        text = text.replace("facts:\n", f"facts:\n  emissions_csv:\n    value: {csv_name}\n    updated: ''\n", 1)
    out = folder / "answers.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def _sums(path: Path) -> dict[str, object]:
    """Totals computed independently of riskwizard, with the csv module."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {"kwh": math.fsum(float(r["energy_consumed"]) for r in rows),
            "co2_kg": math.fsum(float(r["emissions"]) for r in rows),
            "seconds": math.fsum(float(r["duration"]) for r in rows), "runs": len(rows),
            "versions": sorted({r["codecarbon_version"] for r in rows}),
            "first": min(r["timestamp"] for r in rows), "last": max(r["timestamp"] for r in rows),
            "country": sorted({r["country_name"] for r in rows})}


def _figures_in_outputs(answers: Path, tmp_path: Path) -> dict[str, str]:
    outs = {}
    for fmt, name in (("md", "r.md"), ("tex", "r.tex"), ("hf-card", "README.md"), ("json", "r.json")):
        export_file(answers, fmt, tmp_path / name)
        outs[fmt] = (tmp_path / name).read_text(encoding="utf-8")
    return outs


def _check_outputs_quote(sums: dict[str, object], outs: dict[str, str]) -> None:
    kwh, co2 = significant(sums["kwh"]), significant(sums["co2_kg"])  # type: ignore[arg-type]
    source = f"CodeCarbon {', '.join(sums['versions'])}"  # type: ignore[arg-type]
    period = f"from {sums['first']} to {sums['last']}" if sums["first"] != sums["last"] else f"on {sums['first']}"
    measured = (f"Energy and emissions were measured, not estimated: {kwh} kWh of electricity and {co2} kg CO2eq, "
                f"summed over all runs of the tracker's emissions.csv ({source}, {sums['runs']} runs {period}, "
                f"{duration(sums['seconds'] / 3600)} tracked, "  # type: ignore[operator]
                f"in {sums['country'][0]}).")  # type: ignore[index]
    md = outs["md"]
    statement = md.split("## NeurIPS paper checklist")[0]
    assert measured in statement  # the broader impact statement
    assert "an estimated" not in statement and "Method: Lacoste" not in statement  # no estimate presented
    row = next(line for line in md.splitlines() if "**Experiments compute resources**" in line)
    assert measured in row  # the checklist's compute item
    tex = outs["tex"]
    compute = tex[tex.index("Experiments compute resources"):]
    compute = compute[: compute.index("\\item {\\bf", 10)]
    assert measured.replace("'", "'") in compute.replace("\\_", "_")
    card = outs["hf-card"]
    meta = yaml.safe_load(card.split("---\n")[1])
    hub = pytest.importorskip("huggingface_hub", reason="huggingface_hub is in the `test` extra")
    assert hub.ModelCard(card).data.co2_eq_emissions == meta["co2_eq_emissions"]  # the Hub's reader accepts it
    grams = sums["co2_kg"] * 1000  # type: ignore[operator]
    assert meta["co2_eq_emissions"]["emissions"] == float(significant(grams, 4).replace(",", ""))
    assert math.isclose(meta["co2_eq_emissions"]["emissions"], grams, rel_tol=5e-4)
    assert meta["co2_eq_emissions"]["source"] == source
    assert meta["co2_eq_emissions"]["geographical_location"] == sums["country"][0]  # type: ignore[index]
    env = card[card.index("## Environmental Impact"):]
    assert f"- **Energy used:** {kwh} kWh (measured)" in env
    assert f"- **Carbon Emitted:** {co2} kg CO2eq (measured)" in env
    assert "estimated from the accelerators" not in env


def test_csv_written_by_codecarbon_replaces_the_estimate_everywhere(tmp_path: Path) -> None:
    import codecarbon  # the `test` extra installs it; a missing one fails here rather than skipping
    from codecarbon import OfflineEmissionsTracker

    runs = tmp_path / "runs"
    runs.mkdir()
    for _ in range(2):  # two tracked runs append two rows to one emissions.csv
        tracker = OfflineEmissionsTracker(country_iso_code="FRA", output_dir=str(runs), save_to_file=True,
                                          tracking_mode="process", log_level="error", measure_power_secs=1)
        tracker.start()
        total = 0
        for k in range(2_000_000):  # a short CPU workload
            total += k * k
        tracker.stop()
    csv_path = runs / "emissions.csv"
    sums = _sums(csv_path)
    assert sums["runs"] == 2 and sums["versions"] == [codecarbon.__version__]
    answers = _answers_with_csv(tmp_path, "runs/emissions.csv")

    result = open_assessment(answers).evaluate().result(NEURIPS)
    assert result.derived["co2.measured"] == 1
    assert math.isclose(result.derived["co2.kwh"], sums["kwh"], rel_tol=1e-12)  # type: ignore[arg-type]
    assert math.isclose(result.derived["co2.co2_kg"], sums["co2_kg"], rel_tol=1e-12)  # type: ignore[arg-type]
    assert result.measured["co2"]["source"] == f"CodeCarbon {codecarbon.__version__}"
    rules = {f.rule_id for f in result.findings}
    assert "emissions_measured" in rules and "emissions_estimated" not in rules
    _check_outputs_quote(sums, _figures_in_outputs(answers, tmp_path))


def test_checked_in_codecarbon_file_golden(tmp_path: Path) -> None:
    """The fixture (CodeCarbon 3.3.2's own file): figures against the sums, and a golden of what is quoted."""
    (tmp_path / "emissions.csv").write_bytes(FIXTURE.read_bytes())
    answers = _answers_with_csv(tmp_path, "emissions.csv")
    sums = _sums(FIXTURE)
    outs = _figures_in_outputs(answers, tmp_path)
    _check_outputs_quote(sums, outs)
    md = outs["md"]
    quoted = [line for line in md.splitlines() if "measured, not estimated" in line]
    card = outs["hf-card"]
    env = card[card.index("## Environmental Impact"):].split("\n## ")[0]
    got = "\n".join([*quoted, "", card.split("---\n")[1], env]) + "\n"
    if os.environ.get("RISKWIZARD_UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


def test_without_a_csv_the_estimate_stays(tmp_path: Path) -> None:
    answers = _answers_with_csv(tmp_path, None)
    a = open_assessment(answers)
    result = a.evaluate().result(NEURIPS)
    view = a.doc.answers[NEURIPS]
    expected = run_calculator("energy", {"gpu": view["gpu_type"].value, "gpu_count": view["gpu_count"].value,
                                         "hours": view["gpu_hours"].value, "region": view["grid_region"].value,
                                         "gpu_watts": None, "pue": view["pue"].value if "pue" in view else None})
    assert expected is not None and result.derived["co2.kwh"] == expected["kwh"]
    assert "co2.measured" not in result.derived and result.measured == {}


def test_old_codecarbon_file_without_version_column() -> None:
    """CodeCarbon 1.x/2.0 files have no codecarbon_version column; they are still CodeCarbon's."""
    text = ("timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,"
            "region,on_cloud,cloud_provider,cloud_region\n"
            "2022-03-16T14:11:13,6dc1,codecarbon,1014.77,0.0049276,0.0116057,France,FRA,,N,,\n"
            "2022-03-17T09:00:00,6dc2,codecarbon,3600,0.0100000,0.0200000,France,FRA,,N,,\n")
    m = parse_emissions_csv(text, "old.csv")
    assert m.values["kwh"] == pytest.approx(0.0316057) and m.values["co2_kg"] == pytest.approx(0.0149276)
    assert m.values["runs"] == 2 and m.values["duration_h"] == pytest.approx((1014.77 + 3600) / 3600)
    assert m.source == "CodeCarbon (version not recorded in the file)"
    assert m.period == "2022-03-16T14:11:13 to 2022-03-17T09:00:00" and m.location == "France"


HEADER = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
ROW = FIXTURE.read_text(encoding="utf-8").splitlines()[1]


def _with(column: str, value: str) -> str:
    cols = HEADER.split(",")
    cells = next(csv.reader([ROW]))
    cells[cols.index(column)] = value
    return ",".join(cells)


BAD = {  # name: (file text, line, words in the message)
    "empty": ("", 1, "the file is empty"),
    "header only": (HEADER + "\n", 2, "header but no run"),
    "not codecarbon": ("name,score\nalice,3\n", 1, "not a CodeCarbon emissions file"),
    "missing column": (HEADER.replace(",energy_consumed", ",energy") + "\n" + ROW + "\n", 1,
                       "lacks column(s) energy_consumed"),
    "not a number": (f"{HEADER}\n{ROW}\n{_with('emissions', 'lots')}\n", 3, "column `emissions` (kg CO2eq) is 'lots'"),
    "empty number": (f"{HEADER}\n{_with('energy_consumed', '')}\n", 2, "column `energy_consumed` (kWh) is empty"),
    "negative": (f"{HEADER}\n{_with('duration', '-5')}\n", 2, "column `duration` is -5"),
    "nan": (f"{HEADER}\n{_with('emissions', 'nan')}\n", 2, "column `emissions` is nan"),
    "bad timestamp": (f"{HEADER}\n{_with('timestamp', 'yesterday')}\n", 2, "column `timestamp` is 'yesterday'"),
    "short row": (f"{HEADER}\n{ROW}\n1,2,3\n", 3, "the row has 3 fields"),
    "binary": ("\x00\x01PK", None, "NUL bytes"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_csv_is_an_error_with_file_line_and_fix(case: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    text, line, words = BAD[case]
    (tmp_path / "emissions.csv").write_text(text, encoding="utf-8")
    answers = _answers_with_csv(tmp_path, "emissions.csv")
    with pytest.raises(EmissionsCsvError) as err:
        read_emissions_csv(tmp_path / "emissions.csv", "emissions.csv")
    assert words in err.value.message and err.value.fix
    assert err.value.location is not None and err.value.location.line == line
    code, output = _score(answers, capsys)
    assert code == 2, output
    where = f"emissions.csv:{line}:" if line else "emissions.csv:"
    assert where in output and "fix:" in output and "Traceback" not in output
    # the wizard still opens the answers: the estimate is kept and a notice says why
    a = open_assessment(answers, strict=False)
    assert any("measured emissions are not used" in n and words in n for n in a.notices)
    assert "co2.measured" not in a.evaluate().result(NEURIPS).derived


def test_missing_file_fifo_and_folder_are_refused_without_blocking(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    answers = _answers_with_csv(tmp_path, "emissions.csv")
    code, output = _score(answers, capsys)
    assert code == 2 and "emissions.csv" in output and "file not found" in output, output
    os.mkfifo(tmp_path / "emissions.csv")  # never opened, so the test cannot hang
    code, output = _score(answers, capsys)
    assert code == 2 and re.search(r"FIFO|named pipe|not a regular file", output), output
    os.unlink(tmp_path / "emissions.csv")
    (tmp_path / "emissions.csv").mkdir()
    code, output = _score(answers, capsys)
    assert code == 2 and "emissions.csv" in output and "Traceback" not in output, output


def test_empty_path_or_estimated_means_no_measurement(tmp_path: Path) -> None:
    (tmp_path / "emissions.csv").write_bytes(FIXTURE.read_bytes())
    answers = _answers_with_csv(tmp_path, "emissions.csv")
    assert open_assessment(answers).evaluate().result(NEURIPS).derived["co2.measured"] == 1
    text = answers.read_text(encoding="utf-8")
    answers.write_text(text.replace("value: codecarbon", "value: estimated", 1), encoding="utf-8")
    assert "co2.measured" not in open_assessment(answers).evaluate().result(NEURIPS).derived  # path kept, not used
    answers = _answers_with_csv(tmp_path, "''")
    assert "co2.measured" not in open_assessment(answers).evaluate().result(NEURIPS).derived


def test_export_never_writes_over_the_codecarbon_file(tmp_path: Path) -> None:
    from riskwizard.reports import ExportError

    csv_path = tmp_path / "emissions.csv"
    csv_path.write_bytes(FIXTURE.read_bytes())
    answers = _answers_with_csv(tmp_path, "emissions.csv")
    with pytest.raises(ExportError) as err:
        export_file(answers, "md", tmp_path / "." / "emissions.csv")
    assert "refusing to write the report over an input of this export" in err.value.message
    assert csv_path.read_bytes() == FIXTURE.read_bytes()
