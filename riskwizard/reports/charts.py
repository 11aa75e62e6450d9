"""Small SVG charts, generated directly (no plotting library): deterministic and dependency-free.

Every piece of text is XML-escaped here; the returned SVG is inserted into the HTML as markup.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from markupsafe import Markup

FONT = "RW Sans, DejaVu Sans, sans-serif"
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"
COLOURS = {"tp": "#3b7d4f", "fp": "#c2732b", "fn": "#b23a3a", "harm_fp": "#c2732b", "harm_fn": "#b23a3a"}
BAR = "#2f5d8a"
OVER = "#8a2f4d"


def _t(text: str) -> str:
    return escape(str(text), quote=True)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hbar_chart(rows: list[dict[str, Any]], title: str, width: int = 640, label_width: int = 230,
               scale_max: float | None = None, unit: str = "") -> Markup:
    """Horizontal bars: rows of {label, value, shown, colour?}; an optional fixed scale maximum."""
    bar_h, gap, top = 20, 10, 30
    height = top + len(rows) * (bar_h + gap) + 24
    plot_w = width - label_width - 90
    peak, step = nice_scale(max([scale_max or 0.0, *(float(r["value"]) for r in rows)]) or 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_t(title)}" font-family="{FONT}">',
        f'<text x="0" y="16" font-size="13" font-weight="bold" fill="{INK}">{_t(title)}</text>',
    ]
    ticks = round(peak / step)
    for i in range(ticks + 1):
        x = label_width + plot_w * i / ticks
        parts.append(f'<line x1="{_num(x)}" y1="{top - 4}" x2="{_num(x)}" y2="{height - 20}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{_num(x)}" y="{height - 6}" font-size="9" fill="{MUTED}" '
                     f'text-anchor="middle">{_t(_short_number(step * i, peak))}{_t(unit)}</text>')
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        value = max(float(row["value"]), 0.0)
        w = plot_w * value / peak
        colour = row.get("colour") or (OVER if scale_max and value > scale_max else BAR)
        parts.append(f'<text x="{label_width - 8}" y="{y + 14}" font-size="11" fill="{INK}" '
                     f'text-anchor="end">{_t(_clip(str(row["label"]), 38))}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{_num(max(w, 0.5))}" height="{bar_h}" '
                     f'fill="{colour}"/>')
        parts.append(f'<text x="{_num(label_width + w + 6)}" y="{y + 14}" font-size="11" fill="{INK}">'
                     f'{_t(row["shown"])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def nice_scale(peak: float) -> tuple[float, float]:
    """A rounded axis maximum >= peak and a tick step giving 3 to 6 ticks (1, 2, 2.5, 5 x 10^k)."""
    magnitude = 10 ** math.floor(math.log10(peak))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if peak / step <= 6:
            return math.ceil(peak / step - 1e-9) * step, step
    return peak, peak


def _short_number(x: float, peak: float | None = None) -> str:
    scale = peak if peak is not None else x
    if x == 0:
        return "0"
    if scale >= 2_000_000:
        return f"{x / 1_000_000:.3g}M"
    if scale >= 10_000:
        return f"{x / 1000:.3g}k"
    return f"{x:,.0f}" if x >= 100 or x == int(x) else f"{x:.3g}"


def _score_text(value: float, declared_max: float | None) -> str:
    """"12 / 20"; a score past its scale says so instead of reading like a typo ("33 / 20")."""
    if not declared_max:
        return f"{value:g}"
    if value > declared_max:
        return f"{value:g} (above the scale's {declared_max:g})"
    return f"{value:g} / {declared_max:g}"


def risk_profile(scores: list[dict[str, Any]], title: str) -> Markup | None:
    """Bars of scores per dimension, scaled to the largest declared maximum (or score)."""
    if not scores:
        return None
    declared = [float(s["max"]) for s in scores if s.get("max")]
    rows = [{"label": s["title"], "value": s["value"], "shown": _score_text(s["value"], s.get("max"))}
            for s in scores]
    return hbar_chart(rows, title, scale_max=max(declared) if declared else None)


def error_chart(error_costs: dict[str, Any]) -> Markup | None:
    """People affected by each outcome (excluding the true negatives, which would dwarf the rest)."""
    values = error_costs.get("values") or {}
    if not error_costs.get("available") or "fp" not in values:
        return None
    rows = [
        {"label": "Correctly flagged (TP)", "value": values["tp"], "shown": f"{round(values['tp']):,}",
         "colour": COLOURS["tp"]},
        {"label": "Wrongly flagged (FP)", "value": values["fp"], "shown": f"{round(values['fp']):,}",
         "colour": COLOURS["fp"]},
        {"label": "Missed (FN)", "value": values["fn"], "shown": f"{round(values['fn']):,}",
         "colour": COLOURS["fn"]},
    ]
    charts = [hbar_chart(rows, "Expected outcomes per period (people)")]
    if error_costs.get("cost_fp") or error_costs.get("cost_fn"):
        harm_rows = [
            {"label": "Harm from false positives", "value": values.get("harm_fp", 0.0),
             "shown": f"{round(values.get('harm_fp', 0.0)):,}", "colour": COLOURS["harm_fp"]},
            {"label": "Harm from false negatives", "value": values.get("harm_fn", 0.0),
             "shown": f"{round(values.get('harm_fn', 0.0)):,}", "colour": COLOURS["harm_fn"]},
        ]
        charts.append(hbar_chart(harm_rows, "Expected harm (cost units)"))
    return Markup("").join(charts)
