"""Measured energy: a CodeCarbon ``emissions.csv`` read, checked row by row, and summed over its runs.

CodeCarbon (github.com/mlco2/codecarbon) writes one row per tracked run; the columns are the fields
of ``codecarbon.output_methods.emissions_data.EmissionsData`` (3.3.2: timestamp, project_name, run_id,
experiment_id, duration, emissions, emissions_rate, cpu/gpu/ram power and energy, energy_consumed,
water_consumed, country_name, country_iso_code, region, cloud_provider, cloud_region, os,
python_version, codecarbon_version, cpu_count, cpu_model, gpu_count, gpu_model, longitude, latitude,
ram_total_size, tracking_mode, utilisation columns, on_cloud, pue, wue). Units, as CodeCarbon documents
them: duration in seconds, emissions in kg CO2eq, energy in kWh. Files of CodeCarbon 1.x and 2.0 lack
several of these columns (codecarbon_version among them), so columns are found by name, extra ones are
ignored, and only the four that the sums need are required.

The file is read through :func:`safefile.read_input` (regular files only, size-capped). The figures
are summed by :func:`calc.measured_energy`; reports only format them.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .calc import measured_energy
from .errors import Location, RiskwizardError, display_path
from .safefile import read_input

METHOD_FACT, MEASURED = "energy_measurement", "codecarbon"  # the shared fact that says a CodeCarbon file is used
MAX_CSV_BYTES = 16 * 1024 * 1024  # about 40,000 runs of CodeCarbon 3.x rows
REQUIRED = ("timestamp", "duration", "emissions", "energy_consumed")
UNITS = {"duration": "seconds", "emissions": "kg CO2eq", "energy_consumed": "kWh"}
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"  # what CodeCarbon writes (datetime.now().strftime)
CODECARBON_COLUMNS = frozenset({  # any of these besides the required ones marks a CodeCarbon file
    "project_name", "run_id", "experiment_id", "emissions_rate", "cpu_power", "gpu_power", "ram_power",
    "cpu_energy", "gpu_energy", "ram_energy", "country_name", "country_iso_code", "region", "cloud_provider",
    "cloud_region", "codecarbon_version", "tracking_mode", "on_cloud", "pue",
})
FIX_NOT_CODECARBON = ("name the emissions.csv that CodeCarbon wrote (EmissionsTracker(output_dir=...), file "
                      "emissions.csv), unchanged")


class EmissionsCsvError(RiskwizardError):
    """A CodeCarbon emissions file that cannot be used: missing, not CodeCarbon's, or with a bad row."""


@dataclass(frozen=True)
class Run:
    """One row of the file: one tracked run."""

    line: int
    timestamp: datetime
    duration_s: float
    emissions_kg: float
    energy_kwh: float
    version: str = ""
    country: str = ""
    region: str = ""
    cloud: str = ""
    hardware: str = ""
    tracking_mode: str = ""


@dataclass(frozen=True)
class Measurement:
    """What a CodeCarbon file says about the compute, ready for the engine and the reports."""

    path: str  # as the answers give it (relative to the answers file)
    runs: tuple[Run, ...]
    values: dict[str, float] = field(default_factory=dict)  # calc.measured_energy's outputs
    read_from: str = ""  # the file actually read (so an export never writes over it); not in to_dict

    @property
    def versions(self) -> list[str]:
        return sorted({r.version for r in self.runs if r.version}, key=_version_key)

    @property
    def source(self) -> str:
        """The tracker and its version(s), e.g. "CodeCarbon 3.3.2"."""
        versions = self.versions
        return f"CodeCarbon {', '.join(versions)}" if versions else "CodeCarbon (version not recorded in the file)"

    @property
    def first(self) -> str:
        return min(r.timestamp for r in self.runs).strftime(TIMESTAMP_FORMAT)

    @property
    def last(self) -> str:
        return max(r.timestamp for r in self.runs).strftime(TIMESTAMP_FORMAT)

    @property
    def period(self) -> str:
        """From the earliest to the latest run's timestamp (CodeCarbon stamps a run when it is saved)."""
        return self.first if self.first == self.last else f"{self.first} to {self.last}"

    @property
    def location(self) -> str:
        """Countries (with regions) and cloud regions the runs were measured in."""
        places = sorted({", ".join(p for p in (r.region, r.country) if p) for r in self.runs} - {""})
        clouds = sorted({r.cloud for r in self.runs} - {""})
        return "; ".join([*places, *clouds])

    @property
    def hardware(self) -> str:
        return "; ".join(sorted({r.hardware for r in self.runs} - {""}))

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "source": self.source, "versions": self.versions, "runs": len(self.runs),
                "first": self.first, "last": self.last, "period": self.period, "location": self.location,
                "hardware": self.hardware, "values": dict(self.values)}


def read_emissions_csv(path: str | Path, shown: str | None = None) -> Measurement:
    """Read and check a CodeCarbon file; ``shown`` is the name used in messages (default: the path)."""
    name = shown or display_path(path)
    data = read_input(path, MAX_CSV_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EmissionsCsvError("the file is not UTF-8 text", Location(name, line),
                                FIX_NOT_CODECARBON) from None
    return parse_emissions_csv(text, name)


def parse_emissions_csv(text: str, name: str) -> Measurement:
    """Check the header and every row; the first problem is reported with its line and a fix."""
    if "\x00" in text:
        raise EmissionsCsvError("the file contains NUL bytes: it is not a CSV file", Location(name),
                                FIX_NOT_CODECARBON)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)  # blank lines before the header
        if header is None:
            raise EmissionsCsvError("the file is empty: it has no header and no run", Location(name, 1),
                                    "track a run with CodeCarbon first, or name the file it wrote")
        header_line = reader.line_num
        columns = [c.strip() for c in header]
        _check_header(columns, name, header_line)
        index = {c: i for i, c in enumerate(columns)}
        runs = []
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            runs.append(_run(row, index, columns, name, reader.line_num))
    except csv.Error as exc:
        raise EmissionsCsvError(f"not a readable CSV file ({exc})", Location(name, reader.line_num),
                                FIX_NOT_CODECARBON) from None
    if not runs:
        raise EmissionsCsvError("the file has a header but no run", Location(name, header_line + 1),
                                "track a run with CodeCarbon (tracker.start() ... tracker.stop()) so it writes a row")
    totals = measured_energy([(r.energy_kwh, r.emissions_kg, r.duration_s) for r in runs])
    return Measurement(name, tuple(runs), totals)


def _check_header(columns: list[str], name: str, line: int) -> None:
    if len(set(columns)) != len(columns):
        twice = sorted({c for c in columns if columns.count(c) > 1})
        raise EmissionsCsvError(f"the header names column(s) {', '.join(twice)} twice", Location(name, line),
                                FIX_NOT_CODECARBON)
    missing = [c for c in REQUIRED if c not in columns]
    known = CODECARBON_COLUMNS.intersection(columns)
    if missing and not known:
        raise EmissionsCsvError(
            "this is not a CodeCarbon emissions file: its header has none of CodeCarbon's columns "
            f"({', '.join(REQUIRED)}, country_iso_code, codecarbon_version, ...)", Location(name, line),
            FIX_NOT_CODECARBON)
    if missing:
        raise EmissionsCsvError(
            f"the header lacks column(s) {', '.join(missing)}, which the energy and emissions totals need",
            Location(name, line), "use the file as CodeCarbon wrote it: its header has "
            f"{', '.join(REQUIRED)} (units: {', '.join(f'{k} in {v}' for k, v in UNITS.items())})")


def _run(row: list[str], index: Mapping[str, int], columns: list[str], name: str, line: int) -> Run:
    if len(row) != len(columns):
        raise EmissionsCsvError(f"the row has {len(row)} fields but the header has {len(columns)} columns",
                                Location(name, line),
                                "restore the row as CodeCarbon wrote it, or delete it (its run is then not counted)")

    def cell(column: str) -> str:
        i = index.get(column)
        return row[i].strip() if i is not None else ""

    def number(column: str) -> float:
        raw = cell(column)
        unit = UNITS[column]
        try:
            value = float(raw)
        except ValueError:
            what = "is empty" if not raw else f"is {raw[:40]!r}, not a number"
            raise EmissionsCsvError(f"column `{column}` ({unit}) {what}", Location(name, line),
                                    f"restore the number CodeCarbon wrote ({unit}), or delete the line") from None
        if not math.isfinite(value) or value < 0:
            raise EmissionsCsvError(f"column `{column}` is {raw}: not a finite amount of zero or more",
                                    Location(name, line),
                                    f"restore the number CodeCarbon wrote ({unit}), or delete the line")
        return value

    stamp = cell("timestamp")
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        raise EmissionsCsvError(f"column `timestamp` is {stamp[:40]!r}, not a date and time",
                                Location(name, line),
                                "restore the timestamp CodeCarbon wrote (e.g. 2026-12-03T11:12:04)") from None
    gpu, cpu = cell("gpu_model"), cell("cpu_model")
    cloud = " ".join(p for p in (cell("cloud_provider"), cell("cloud_region")) if p)
    return Run(line, when.replace(tzinfo=None), number("duration"), number("emissions"), number("energy_consumed"),
               version=cell("codecarbon_version"), country=cell("country_name") or cell("country_iso_code"),
               region=cell("region"), cloud=cloud, hardware=", ".join(p for p in (cpu, gpu) if p),
               tracking_mode=cell("tracking_mode"))


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def measured_facts(specs: Iterable[Any]) -> set[str]:
    """The facts that name a CodeCarbon file for some derived value of these questionnaires."""
    return {d.measured_by for s in specs for d in s.model.derived if d.measured_by}


def load_measurements(facts: Mapping[str, Any], wanted: Iterable[str], base: Path) -> dict[str, Measurement]:
    """Read the CodeCarbon file each wanted fact names (a path relative to ``base``, the answers folder).

    Only when the fact ``energy_measurement`` is "codecarbon"; a path left empty, unanswered or answered
    "don't know" means no measurement either (the estimate stays).
    """
    out: dict[str, Measurement] = {}
    method = facts.get(METHOD_FACT)
    if getattr(method, "value", None) != MEASURED or getattr(method, "unknown", False):
        return out  # not measured (or not said): the estimate stays, whatever path is left in the answers
    for fid in sorted(wanted):
        answer = facts.get(fid)
        value = getattr(answer, "value", None)
        if answer is None or getattr(answer, "unknown", False) or not isinstance(value, str) or not value.strip():
            continue
        given = value.strip()
        path = Path(given).expanduser()
        if not path.is_absolute():
            path = base / path
        out[fid] = replace(read_emissions_csv(path, display_path(path)), path=given, read_from=str(path))
    return out
