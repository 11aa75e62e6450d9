"""Bar charts as plain HTML tables: deterministic, accessible and cheap to lay out.

Every chart states its direction and scale in its caption and axis ("higher is worse", "cases per
year, linear scale"); labels wrap instead of being cut, values sit beside their bars, and numbers
are written for people (1,500 or 1.5M, never 1e+03k). A chart is a table with a caption, a row
header per bar and the value as text, so a screen reader (and the tagged PDF) reads it as data.
Bars are drawn by CSS widths; all text is escaped here and only computed numbers reach style
attributes.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from markupsafe import Markup

from ..numbers import count, plain

TRACK = 76.0  # per cent of the bar cell a full-scale bar takes; the rest holds the value label
COLOURS = {"tp": "c-tp", "fp": "c-fp", "fn": "c-fn", "harm_fp": "c-fp", "harm_fn": "c-fn"}


def _t(text: Any) -> str:
    return escape(str(text), quote=True)


def nice_scale(peak: float) -> tuple[float, float]:
    """A rounded axis maximum >= peak and a tick step giving 3 to 6 ticks (1, 2, 2.5, 5 x 10^k)."""
    magnitude = 10 ** math.floor(math.log10(peak))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if peak / step <= 6:
            return math.ceil(peak / step - 1e-9) * step, step
    return peak, peak


def tick_label(x: float, peak: float) -> str:
    """An axis tick for people: 0, 250, 1,500, 25k, 1.5M (the suffix chosen from the axis maximum)."""
    if x == 0:
        return "0"
    if peak >= 1_000_000:
        return f"{plain(round(x / 1_000_000, 3))}M"
    if peak >= 10_000:
        return f"{plain(round(x / 1000, 3))}k"
    return plain(round(x, 3))


def _pct(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def bar_chart(rows: list[dict[str, Any]], title: str, axis: str, scale_max: float | None = None) -> Markup:
    """Rows of {label, value, shown, colour?}; ``axis`` says the unit and which direction is bad."""
    peak, step = nice_scale(max([scale_max or 0.0, *(float(r["value"]) for r in rows)]) or 1.0)
    out = [f'<table class="bars"><caption>{_t(title)}</caption>',
           '<colgroup><col class="bars-label"><col></colgroup><tbody>']
    for row in rows:
        value = max(float(row["value"]), 0.0)
        width = TRACK * value / peak
        over = " over" if scale_max and value > scale_max else ""
        colour = f" {row['colour']}" if row.get("colour") else ""
        out.append(f'<tr><th scope="row">{_t(row["label"])}</th><td class="track">'
                   f'<span class="bar{colour}{over}" style="width: {_pct(max(width, 0.4))}%"></span>'
                   f'<span class="val">{_t(row["shown"])}</span></td></tr>')
    ticks = round(peak / step)
    marks = "".join(f'<span class="tick" style="left: {_pct(TRACK * i / ticks)}%">{_t(tick_label(step * i, peak))}'
                    "</span>" for i in range(ticks + 1))
    out.append(f'</tbody><tfoot><tr><td></td><td class="axis"><div class="ticks" aria-hidden="true">{marks}</div>'
               f'<div class="axis-label">{_t(axis)}</div></td></tr></tfoot></table>')
    return Markup("".join(out))


def score_text(value: float, declared_max: float | None) -> str:
    """"12 of 20"; zero says that nothing was found; a score past its scale says so."""
    v = plain(value)
    if not declared_max:
        return v if value else "0: nothing found"
    if value > declared_max:
        return f"{v}: beyond the scale's {plain(declared_max)}"
    if value == 0:
        return f"0 of {plain(declared_max)}: nothing found"
    return f"{v} of {plain(declared_max)}"


def risk_profile(scores: list[dict[str, Any]], title: str) -> Markup | None:
    """Bars of scores per dimension, scaled to the largest declared maximum (or score)."""
    if not scores:
        return None
    declared = [float(s["max"]) for s in scores if s.get("max")]
    rows = [{"label": s["title"], "value": s["value"], "shown": score_text(s["value"], s.get("max"))}
            for s in scores]
    return bar_chart(rows, f"{title}: higher is worse", "score: problems found, weighted (0 = none; higher is worse)",
                     scale_max=max(declared) if declared else None)


def error_chart(error_costs: dict[str, Any]) -> Markup | None:
    """People affected by each outcome (without the true negatives, which would dwarf the rest)."""
    values = error_costs.get("values") or {}
    if not error_costs.get("available") or "fp" not in values:
        return None
    rows = [
        {"label": "Correctly flagged (true positives)", "value": values["tp"], "shown": count(values["tp"]),
         "colour": COLOURS["tp"]},
        {"label": "Wrongly flagged (false positives)", "value": values["fp"], "shown": count(values["fp"]),
         "colour": COLOURS["fp"]},
        {"label": "Missed (false negatives)", "value": values["fn"], "shown": count(values["fn"]),
         "colour": COLOURS["fn"]},
    ]
    charts = [bar_chart(rows, "Expected outcomes per year", "cases per year, linear scale (errors: higher is worse)")]
    if "harm" in values:
        harm_rows = [
            {"label": "Harm from false positives", "value": values["harm_fp"], "shown": count(values["harm_fp"]),
             "colour": COLOURS["harm_fp"]},
            {"label": "Harm from false negatives", "value": values["harm_fn"], "shown": count(values["harm_fn"]),
             "colour": COLOURS["harm_fn"]},
        ]
        charts.append(bar_chart(harm_rows, "Expected harm per year: errors x severity",
                                "harm per year (errors x severity of one error); higher is worse"))
    return Markup("").join(charts)
