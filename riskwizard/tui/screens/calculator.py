"""The false positive / false negative calculator (riskwizard.calc.expected_errors)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, RadioSet, Static

from ...calc import MissingInput, expected_errors
from ..session import Session
from ..widgets.choices import Radio
from ..widgets.editors import parse_number

FIELDS = [
    # id, label, kind (number/percent), placeholder
    ("population", "Cases per year", "number", "e.g. 100000"),
    ("base_rate", "Base rate (% truly positive)", "percent", "e.g. 2"),
    ("fpr", "False positive rate %", "percent", "e.g. 1"),
    ("fnr", "False negative rate %", "percent", "e.g. 10"),
    ("precision", "Precision %", "percent", "e.g. 60"),
    ("recall", "Recall %", "percent", "e.g. 90"),
    ("cost_fp", "Cost of one false positive", "number", "any unit, e.g. 500"),
    ("cost_fn", "Cost of one false negative", "number", "same unit, e.g. 5000"),
]


class _Num:
    """A minimal question-like object for parse_number."""

    def __init__(self, kind: str) -> None:
        self.type = kind
        self.integer = False
        self.min = 0.0
        self.max = 100.0 if kind == "percent" else None
        self.unit = ""


def prefill(session: Session | None) -> tuple[dict[str, Any], str]:
    """Values from answered questions that feed an expected_errors calculator, and where they came from."""
    if session is None:
        return {}, ""
    best: tuple[dict[str, Any], str] = ({}, "")
    for spec in sorted(session.specs, key=lambda s: s.id != "error-costs"):
        answers = session.answers(spec)
        view = session.view(spec)
        for d in spec.model.derived:
            if d.fn != "expected_errors":
                continue
            values = {}
            for name, qid in d.inputs.items():
                ans = answers.get(qid)
                if ans is not None and ans.is_answered and view.is_visible(qid):
                    values[name] = ans.value
            if len(values) > len(best[0]):
                best = (values, spec.model.title)
    return best


def hbar(value: float, top: float, width: int) -> str:
    if top <= 0 or value <= 0:
        return ""
    eighths = int(round(min(value / top, 1.0) * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "") or "▏"


def result_text(values: dict[str, Any], width: int = 40) -> Text:
    out = Text()
    if values.get("population") is None or values.get("base_rate") is None:
        out.append("Enter the number of cases and the base rate.", style="dim")
        return out
    try:
        r = expected_errors(values)
    except MissingInput:
        out.append("Enter both error rates (FPR and FNR), or both precision and recall.", style="dim")
        return out
    except (ZeroDivisionError, ValueError, TypeError):
        out.append("These numbers do not make sense together.", style="red")
        return out
    out.append("Expected per year\n", style="bold underline")
    rows = [("True positives", r["tp"], "green"), ("False positives", r["fp"], "red"),
            ("False negatives", r["fn"], "yellow"), ("True negatives", r["tn"], "green")]
    errors_top = max(r["fp"], r["fn"], 1.0)
    for label, value, style in rows:
        out.append(f"{label:<16} {value:>14,.0f}\n", style=style if label.startswith("False") else "")
    out.append(f"\nErrors: {r['errors']:,.0f} ({r['error_rate']:.3g}% of cases); "
               f"of {r['flagged']:,.0f} flagged, {r['precision']:.3g}% are right.\n")
    if r["flagged"] and r["fp"] > r["tp"]:
        out.append("Most people flagged are false alarms (base-rate effect).\n", style="bold red")
    out.append("\nErrors\n", style="bold underline")
    out.append(f"{'FP':<3}{hbar(r['fp'], errors_top, width)} {r['fp']:,.0f}\n", style="red")
    out.append(f"{'FN':<3}{hbar(r['fn'], errors_top, width)} {r['fn']:,.0f}\n", style="yellow")
    if values.get("cost_fp") is not None or values.get("cost_fn") is not None:
        harm_top = max(r["harm_fp"], r["harm_fn"], 1.0)
        out.append("\nHarm (errors × cost)\n", style="bold underline")
        out.append(f"{'FP':<3}{hbar(r['harm_fp'], harm_top, width)} {r['harm_fp']:,.0f}\n", style="red")
        out.append(f"{'FN':<3}{hbar(r['harm_fn'], harm_top, width)} {r['harm_fn']:,.0f}\n", style="yellow")
        out.append(f"Total harm: {r['harm']:,.0f}\n", style="bold")
    return out


class CalculatorScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("ctrl+l", "app.pop_screen", "Back")]

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session
        self.values, self.source = prefill(session)

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with VerticalScroll(id="calc"):
            note = (f"Prefilled from your answers in “{self.source}”." if self.source
                    else "Type the numbers for your system; nothing here changes your answers.")
            yield Static(note, markup=False, classes="dim-text")
            use_pr = self.values.get("precision") is not None and self.values.get("fpr") is None
            with Horizontal(id="calc-mode-row"):
                yield Label("Error rates given as: ")
                with RadioSet(id="calc-mode", compact=True):
                    yield Radio("FPR and FNR", value=not use_pr, name="rates")
                    yield Radio("precision and recall", value=use_pr, name="pr")
            with Grid(id="calc-grid"):
                for fid, label, _kind, placeholder in FIELDS:
                    yield Label(label, classes=f"calc-label calc-{fid}")
                    value = self.values.get(fid)
                    yield Input("" if value is None else str(value), placeholder=placeholder, id=f"calc-{fid}",
                                classes=f"calc-{fid}", select_on_focus=False, compact=True)
            yield Static("", markup=False, id="calc-problem", classes="inline-error")
            yield Static("", markup=False, id="calc-result")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Error calculator"
        self._mode_changed()
        self.query_one("#calc-population", Input).focus()

    def mode(self) -> str:
        pressed = self.query_one("#calc-mode", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "rates"

    def _mode_changed(self) -> None:
        pr = self.mode() == "pr"
        for fid in ("fpr", "fnr"):
            for w in self.query(f".calc-{fid}"):
                w.display = not pr
        for fid in ("precision", "recall"):
            for w in self.query(f".calc-{fid}"):
                w.display = pr
        self.recompute()

    @on(RadioSet.Changed, "#calc-mode")
    def _radio(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._mode_changed()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.recompute()

    def read(self) -> tuple[dict[str, Any], list[str]]:
        pr = self.mode() == "pr"
        values: dict[str, Any] = {}
        problems = []
        for fid, label, kind, _p in FIELDS:
            if (pr and fid in ("fpr", "fnr")) or (not pr and fid in ("precision", "recall")):
                continue
            value, problem = parse_number(self.query_one(f"#calc-{fid}", Input).value, _Num(kind))
            if problem:
                problems.append(f"{label}: {problem}")
            elif value is not None:
                values[fid] = value
        return values, problems

    def recompute(self) -> None:
        values, problems = self.read()
        problem = self.query_one("#calc-problem", Static)
        problem.update("\n".join(problems))
        problem.set_class(bool(problems), "shown")
        width = max(10, min(50, self.app.size.width - 30))
        self.query_one("#calc-result", Static).update(result_text(values, width))
