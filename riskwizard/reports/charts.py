"""Small SVG charts, generated directly (no plotting library): deterministic and dependency-free.

Every chart states its direction and scale in its title and axis ("higher is worse", "people per
year, linear scale"), labels wrap instead of being cut, values sit where they fit, and numbers are
written for people (1,500 or 1.5M, never 1e+03k). Every piece of text is XML-escaped here; the
returned SVG is inserted into the HTML as markup, with a text alternative for screen readers.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from markupsafe import Markup

from ..numbers import count, plain, sig

FONT = "'RW Sans', sans-serif"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee3"
COLOURS = {"tp": "#3b7d4f", "fp": "#b25f1c", "fn": "#a83232", "harm_fp": "#b25f1c", "harm_fn": "#a83232"}
BAR = "#2f5d8a"
OVER = "#7a2944"
CHAR_W = 0.56  # average glyph width of DejaVu Sans as a share of the font size (for layout only)


def _t(text: str) -> str:
    return escape(str(text), quote=True)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float) -> float:
    return len(str(text)) * size * CHAR_W


def wrap(text: str, size: float, width: float, max_lines: int = 3) -> list[str]:
    """Words on lines of at most ``width`` (estimated); never cut inside a word."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    if len(lines) > max_lines:  # keep every word: the last line takes the rest
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines or [""]


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
    if peak >= 2_000_000:
        return f"{plain(round(x / 1_000_000, 3))}M"
    if peak >= 20_000:
        return f"{plain(round(x / 1000, 3))}k"
    return plain(round(x, 3))


def hbar_chart(rows: list[dict[str, Any]], title: str, axis: str, width: int = 640,
               scale_max: float | None = None) -> Markup:
    """Horizontal bars: rows of {label, value, shown, colour?}; the axis caption says unit and direction."""
    title_size, label_size, value_size, tick_size = 11, 9.5, 9.5, 8.5
    label_w = 200
    value_w = max([text_width(r["shown"], value_size) for r in rows] + [30]) + 10
    plot_w = width - label_w - 12 - value_w
    layouts = [wrap(r["label"], label_size, label_w - 10) for r in rows]
    row_h = [max(14, 11 * len(lines) + 3) for lines in layouts]
    top = 24
    plot_h = sum(h + 5 for h in row_h)
    height = top + plot_h + 34
    peak, step = nice_scale(max([scale_max or 0.0, *(float(r["value"]) for r in rows)]) or 1.0)
    x0 = label_w
    desc = "; ".join(f"{r['label']}: {r['shown']}" for r in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_t(title)}. {_t(desc)}" font-family="{FONT}">',
        f"<title>{_t(title)}</title><desc>{_t(desc)}</desc>",
        f'<text x="0" y="14" font-size="{title_size}" font-weight="bold" fill="{INK}">{_t(title)}</text>',
    ]
    ticks = round(peak / step)
    for i in range(ticks + 1):
        x = x0 + plot_w * i / ticks
        parts.append(f'<line x1="{_num(x)}" y1="{top - 4}" x2="{_num(x)}" y2="{top + plot_h}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{_num(x)}" y="{top + plot_h + 12}" font-size="{tick_size}" fill="{MUTED}" '
                     f'text-anchor="middle">{_t(tick_label(step * i, peak))}</text>')
    parts.append(f'<text x="{_num(x0 + plot_w / 2)}" y="{top + plot_h + 27}" font-size="{tick_size}" '
                 f'fill="{MUTED}" text-anchor="middle">{_t(axis)}</text>')
    y = top
    for row, lines, h in zip(rows, layouts, row_h, strict=True):
        value = max(float(row["value"]), 0.0)
        w = plot_w * value / peak
        colour = row.get("colour") or (OVER if scale_max and value > scale_max else BAR)
        first = y + h / 2 - (len(lines) - 1) * 5.5 + 3.5
        for j, line in enumerate(lines):
            parts.append(f'<text x="{x0 - 8}" y="{_num(first + 11 * j)}" font-size="{label_size}" fill="{INK}" '
                         f'text-anchor="end">{_t(line)}</text>')
        bar_y = y + (h - 12) / 2
        parts.append(f'<rect x="{x0}" y="{_num(bar_y)}" width="{_num(max(w, 1.0))}" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{_num(x0 + w + 5)}" y="{_num(bar_y + 9.5)}" font-size="{value_size}" '
                     f'fill="{INK}">{_t(row["shown"])}</text>')
        y += h + 5
    parts.append("</svg>")
    return Markup("".join(parts))


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
    return hbar_chart(rows, f"{title}: higher is worse", "score: problems found, weighted (0 = none; higher is worse)",
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
    charts = [hbar_chart(rows, "Expected outcomes per year", "cases per year, linear scale (errors: higher is worse)")]
    if "harm" in values:
        harm_rows = [
            {"label": "Harm from false positives", "value": values["harm_fp"], "shown": sig(values["harm_fp"]),
             "colour": COLOURS["harm_fp"]},
            {"label": "Harm from false negatives", "value": values["harm_fn"], "shown": sig(values["harm_fn"]),
             "colour": COLOURS["harm_fn"]},
        ]
        charts.append(hbar_chart(harm_rows, "Expected harm per year: errors x severity",
                                 "harm in severity points (0-10 per error) per year; higher is worse"))
    return Markup("").join(charts)
