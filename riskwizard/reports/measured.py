"""Measured energy in words: the CodeCarbon totals the domain layer read (codecarbon.Measurement.to_dict).

The figures are the calculator's (calc.measured_energy); this module only rounds them for print, to
significant figures in plain decimals (no exponent), so a test can recompute every printed number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

DIGITS = 3


def significant(value: float, digits: int = DIGITS) -> str:
    """``value`` rounded to ``digits`` significant figures, in plain decimal notation with thousands commas."""
    if value == 0:
        return "0"
    rounded = Decimal(f"{value:.{digits}g}")
    if rounded == rounded.to_integral_value() and abs(rounded) >= 1:
        return f"{int(rounded):,}"
    return f"{rounded:f}"


def duration(hours: float) -> str:
    return f"{significant(hours)} hours" if hours >= 1 else f"{significant(hours * 3600)} seconds"


def provenance(m: dict[str, Any]) -> str:
    """"CodeCarbon 3.3.2, 2 runs from ... to ..., 1.5 hours tracked, in France"."""
    runs = int(m["values"]["runs"])
    period = f"from {m['first']} to {m['last']}" if m["first"] != m["last"] else f"on {m['first']}"
    where = f", in {m['location']}" if m["location"] else ""
    return (f"{m['source']}, {runs} run{'s' if runs != 1 else ''} {period}, "
            f"{duration(m['values']['duration_h'])} tracked{where}")


def sentence(m: dict[str, Any]) -> str:
    """The measured totals with their source, for the statement and the checklist's compute item."""
    v = m["values"]
    return (f"Energy and emissions were measured, not estimated: {significant(v['kwh'])} kWh of electricity and "
            f"{significant(v['co2_kg'])} kg CO2eq, summed over all runs of the tracker's emissions.csv "
            f"({provenance(m)}).")
