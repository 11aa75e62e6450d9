"""Review every answer, then export a report in a thread worker (the UI stays responsive)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, ProgressBar, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...engine import format_raw, format_value
from ...errors import RiskwizardError, display_path
from ...reports import FORMAT_TABLE, Format
from ...safefile import folder_writable
from ...views import UNANSWERED
from ..session import Session

# Every format of the renderer table, in its order (a new row there appears here with nothing else to do).
FORMATS: tuple[Format, ...] = FORMAT_TABLE
_BY_NAME = {f.name: f for f in FORMATS}


def output_name(path: Path, fmt: Format) -> str:
    """The report's file name beside ``path`` in format ``fmt`` (the stem, or the last known format's suffix
    replaced)."""
    name = path.name
    for other in sorted(FORMATS, key=lambda f: -len(f.extension)):  # ".README.md" before ".md"
        if name.endswith(other.extension) and len(name) > len(other.extension):
            return name[: -len(other.extension)] + fmt.extension
    return (path.stem if path.suffix in (".yaml", ".yml") else name) + fmt.extension


def answer_text(q: Any, answer: Any) -> Text:
    """A question and its answer (rows and the note too), as the review lists it."""
    out = Text()
    shown = format_value(q, answer)
    style = "dim italic" if shown == UNANSWERED else ("yellow" if shown == "don't know" else "bold")
    out.append(q.prompt + "\n")
    out.append("  → " + shown, style=style)
    if q.type == "group" and answer is not None and answer.value:
        for i, row in enumerate(answer.value, 1):
            cells = []
            for f in q.fields:
                if f.id in row:
                    cells.append(f"{f.prompt}: " + ("don't know" if row[f.id] is None else format_raw(f, row[f.id])))
            out.append(f"\n    {i}. " + "; ".join(cells))
    if answer is not None and answer.note:
        out.append("\n  note: " + answer.note, style="italic")
    return out


def review_options(session: Session) -> list[Option]:
    """Questionnaire and section headings (not selectable), then each visible question with its answer
    (the option id is ``questionnaire/question``)."""
    out: list[Option] = []
    for spec in session.specs:
        view = session.view(spec)
        answers = session.answers(spec)
        a, v = session.progress(spec, view)[""]
        out.append(Option(Text.assemble((spec.model.title, "bold reverse"), (f"  {a}/{v} answered", "dim")),
                          disabled=True))
        for section in spec.model.sections:
            visible = [q for q in section.questions if view.is_visible(q.id)]
            if not visible:
                continue
            out.append(Option(Text(section.title, style="bold underline"), disabled=True))
            out += [Option(answer_text(q, answers.get(q.id)), id=f"{spec.id}/{q.id}") for q in visible]
    return out


def review_text(session: Session) -> Text:
    """The whole review as one text (what the list shows)."""
    return Text("\n").join(o.prompt if isinstance(o.prompt, Text) else Text(str(o.prompt))
                           for o in review_options(session))


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+e", "export", "Export", priority=True),
    ]

    def __init__(self, session: Session, search_dirs: list[Path] | None = None,
                 at: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.search_dirs = search_dirs or []
        self.at = at  # the question to highlight first (the one the wizard shows, or came from)
        self.exporting = False
        self._shown_format = FORMATS[0].name  # Select posts Changed for its initial value too: not a change

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("Enter on a question opens it (ctrl+b there comes back here). Tab goes to the export.",
                     markup=False, classes="dim-text", id="review-hint")
        yield OptionList(*review_options(self.session), id="review-list")
        with Vertical(id="export-bar"):
            with Horizontal(id="export-row"):
                yield Label("Format:", classes="export-label")
                # a drop-down, not a row of radio buttons: seven formats do not fit in one row at 80 columns
                yield Select([(f"{fmt.name}  ({fmt.extension})", fmt.name) for fmt in FORMATS], value=FORMATS[0].name,
                             allow_blank=False, compact=True, id="export-format")
            with Horizontal(id="export-row2"):
                yield Label("Save as:", classes="export-label")
                yield Input(self._default_out(FORMATS[0]), id="export-path", select_on_focus=False)
                yield Button("Export", id="export-go", variant="primary", compact=True)
            yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="export-progress")
            yield Static(f"{FORMATS[0].name}: {FORMATS[0].summary}. Choose a format and press Export (ctrl+e). "
                         "Esc goes back to the questions.", markup=False, id="export-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        read_only = " — READ-ONLY: export to another folder" if self.session.read_only else ""
        self.sub_title = f"Review — {self.session.path.name}{read_only}"
        self.query_one("#export-progress").display = False
        listing = self.query_one("#review-list", OptionList)
        index = None
        if self.at is not None:
            with contextlib.suppress(Exception):  # the question is no longer listed
                index = listing.get_option_index("/".join(self.at))
        listing.highlighted = index if index is not None else next(
            (i for i in range(listing.option_count) if not listing.get_option_at_index(i).disabled), None)
        listing.focus()
        if index is not None:
            self.call_after_refresh(listing.scroll_to_highlight, True)

    @on(OptionList.OptionSelected, "#review-list")
    async def _open_question(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        spec_id, _, question_id = (event.option.id or "").partition("/")
        wizard = next((s for s in reversed(self.app.screen_stack) if hasattr(s, "jump_from_review")), None)
        if wizard is None or not question_id:
            return
        self.dismiss()
        await wizard.jump_from_review(spec_id, question_id)

    def _default_out(self, fmt: Format) -> str:
        """Beside the answers file; for a read-only assessment, in the current folder (or the home folder)
        when that can be written."""
        name = output_name(self.session.path, fmt)
        if not self.session.read_only:
            return display_path(self.session.path.with_name(name))
        for folder in (Path.cwd(), Path.home()):
            if folder_writable(folder):
                return display_path(folder / name)
        return name

    def fmt(self) -> str:
        value = self.query_one("#export-format", Select).value
        return value if isinstance(value, str) and value in _BY_NAME else FORMATS[0].name

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        event.stop()
        if self.fmt() == self._shown_format:
            return
        self._shown_format = self.fmt()
        path_input = self.query_one("#export-path", Input)
        current = Path(path_input.value)
        fmt = _BY_NAME[self.fmt()]
        if current.name:
            path_input.value = str(current.with_name(output_name(current, fmt)))
        self.set_status(f"{fmt.name}: {fmt.summary}. Press Export (ctrl+e).")

    @on(Button.Pressed, "#export-go")
    def _go(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def action_export(self) -> None:
        if self.exporting:
            self.notify("An export is already running.", markup=False)
            return
        out = self.query_one("#export-path", Input).value.strip()
        if not out:
            self.set_status("Type a file name to save the report as.", error=True)
            return
        wizard = next((s for s in reversed(self.app.screen_stack) if hasattr(s, "flush_pending")), None)
        if wizard is not None:
            wizard.flush_pending()  # the exporter reads the answers file from disk
        elif self.session.dirty:
            self.session.save()
        fmt = self.fmt()
        out_path = Path(out).expanduser()
        if not out_path.is_absolute():
            out_path = self.session.path.parent / out_path
        self.exporting = True
        self.query_one("#export-progress").display = True
        self.query_one("#export-go", Button).disabled = True
        self.set_status(f"Exporting {fmt.upper()}…")
        self.run_export(fmt, out_path)

    def set_status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(text)
        status.set_class(error, "error")

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, fmt: str, out_path: Path) -> None:
        worker = get_current_worker()
        started = time.perf_counter()
        try:
            from ...reports import export_file
        except ImportError as exc:
            self.app.call_from_thread(self._finished, None, [], f"Reports are not available in this build: {exc}")
            return
        try:
            report = export_file(self.session.path, fmt, out_path, search=self.search_dirs)
        except RiskwizardError as exc:
            message = exc.message + (f" ({exc.fix})" if exc.fix else "")
            self.app.call_from_thread(self._finished, None, [], f"Export failed: {message}")
            return
        except Exception as exc:  # the report must never crash the wizard
            self.app.call_from_thread(self._finished, None, [], f"Export failed: {type(exc).__name__}: {exc}")
            return
        if not worker.is_cancelled:
            elapsed = time.perf_counter() - started
            self.app.call_from_thread(self._finished, report.path, report.warnings, "", elapsed)

    def _finished(self, path: Path | None, warnings: list[str], error: str, elapsed: float = 0.0) -> None:
        self.exporting = False
        self.query_one("#export-progress").display = False
        self.query_one("#export-go", Button).disabled = False
        if error:
            self.set_status(error, error=True)
            self.notify(error, severity="error", markup=False)
            return
        text = f"Written: {path}  ({elapsed:.1f} s)"
        if warnings:
            text += "\nWarnings:\n" + "\n".join(f"• {w}" for w in warnings)
        self.set_status(text)
        self.last_export = path
        self.notify(f"Report written to {path}", markup=False)
