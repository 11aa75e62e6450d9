"""Numbers for people to read: thousands separators, significant figures, never an exponent.

``plain`` keeps a value as exact as a reader needs it (rule traces); ``sig`` rounds an estimate to
significant figures (prose); ``count`` rounds to whole people or items. The unit helpers pick a
scale so that a small figure is never printed as 0 (21 g CO2eq, not "0 kg CO2eq").
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def _group(text: str) -> str:
    """Thousands separators for the integer part of a plain decimal string."""
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    whole, _, frac = text.partition(".")
    grouped = f"{int(whole):,}" if whole else "0"
    return sign + grouped + (f".{frac}" if frac else "")


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
HUGE = 1e15  # from here on, "3.1 × 10²⁵" reads better than 26 digits


def _power(x: float, digits: int) -> str:
    exponent = math.floor(math.log10(abs(x)))
    mantissa = sig(x / 10**exponent, digits)
    if mantissa == "10":  # 9.996e20 rounds up
        mantissa, exponent = "1", exponent + 1
    return f"{mantissa} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def sig(x: float, digits: int = 3) -> str:
    """``x`` rounded half up to ``digits`` significant figures: 7315.2 -> "7,320", 312.5 -> "313"."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    if abs(x) >= HUGE:
        return _power(x, digits)
    value = Decimal(repr(x))
    exponent = value.adjusted()
    rounded = value.quantize(Decimal(1).scaleb(exponent - digits + 1), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    return _group(_trim(text))


def plain(x: float, digits: int = 6) -> str:
    """A value as exact as a trace needs: 1440890.4 -> "1,440,890", 312.5 -> "312.5", 1e-5 -> "0.00001"."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= HUGE:
        return _power(x, digits)
    if x == int(x):
        return f"{int(x):,}"
    if abs(x) >= 1000:
        return f"{x:,.0f}" if abs(x) >= 10 ** digits else _group(_trim(f"{x:.{max(digits - 4, 0)}f}"))
    return sig(x, digits)


def count(x: float) -> str:
    """Whole people or items: 1603.6 -> "1,604"."""
    return f"{int(Decimal(repr(float(x))).quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"


def percent(x: float, digits: int = 3) -> str:
    """A percentage with up to ``digits`` significant figures: 0.001 -> "0.001%", 20 -> "20%"."""
    return f"{sig(x, digits)}%"


def kwh(x: float) -> str:
    """Energy: "19,200 kWh", "0.7 kWh", "12 Wh" below 0.1 kWh."""
    if 0 < abs(x) < 0.1:
        return f"{sig(x * 1000)} Wh"
    return f"{sig(x)} kWh"


def co2(kg: float) -> str:
    """Emissions in a unit that keeps three significant figures: "7.32 t", "256 kg", "21.1 g" (of CO2eq)."""
    if abs(kg) >= 1000:
        return f"{sig(kg / 1000)} t CO2eq"
    if 0 < abs(kg) < 1:
        return f"{sig(kg * 1000)} g CO2eq"
    return f"{sig(kg)} kg CO2eq"
