"""Every key of the wizard, in one place (F1)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..text import styled

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Moving", [
        ("ctrl+n / PgDn", "next question (Enter in a choice, number or short text also moves on)"),
        ("ctrl+p / PgUp", "previous question"),
        ("ctrl+f", "find a question by words"),
        ("ctrl+g", "jump with the side panel: ↑↓ move, → opens a section, Enter goes there, Esc back"),
        ("ctrl+b", "back to where the last jump came from (or to the review, or where you stopped last time)"),
        ("Esc", "back to the answer (from the side panel or the results)"),
    ]),
    ("Answering a choice", [
        ("1 … 9, 0", "pick the option with that number (in a multiple choice: tick or untick it)"),
        ("letters", "go to the option whose label starts with them (type-ahead)"),
        ("↑ ↓", "move between options"),
        ("space", "pick (or tick) the highlighted option"),
        ("Enter", "pick the highlighted option and go on (multiple choice: go on)"),
        ("F3", "auto-advance: picking a single choice also goes on (on/off, remembered)"),
        ("ctrl+t", "\"don't know\" (where the question offers it)"),
    ]),
    ("Typing an answer or a note", [
        ("Home / ctrl+a", "start of the line"),
        ("End / ctrl+e", "end of the line (in a one-line field, the end of the text)"),
        ("ctrl+home / ctrl+end", "start / end of a long multi-line answer"),
        ("F7", "select all (typing then replaces it)"),
        ("ctrl+u", "delete everything left of the cursor (one-line fields)"),
        ("ctrl+w", "delete the word left of the cursor"),
        ("Tab", "the next field (don't know, note)"),
    ]),
    ("Rows (groups such as affected groups)", [
        ("a", "add a row"),
        ("e / Enter", "edit the highlighted row"),
        ("d / Delete", "delete the highlighted row"),
        ("u", "undo the last delete"),
        ("ctrl+s", "save the row (in the row form); Esc cancels it"),
    ]),
    ("Results and reports", [
        ("ctrl+o", "show or hide the results panel"),
        ("F2", "everything that would change the tier, most relevant first, with reasons"),
        ("ctrl+l", "false positive / false negative calculator"),
        ("ctrl+r", "review every answer (Enter on one opens it); ctrl+e exports"),
        ("F4", "upgrade to the newer bundled questionnaire versions (shows what moves first)"),
        ("ctrl+k", "command palette (export, open, switch questionnaire, dark mode, auto-advance)"),
        ("F1", "this list"),
        ("ctrl+q", "quit (every answer is already saved)"),
    ]),
]


# the key column (two spaces and the longest key); descriptions wrap beside it, never under it
KEY_WIDTH = 2 + max(len(key) for _title, keys in KEYS for key, _what in keys)


def help_view(auto_advance: bool) -> Group:
    """Every key with what it does, in two columns so that a description too long for the dialog wraps
    within its own column (at 80 columns most of them do)."""
    parts: list[Text | Table] = []
    for title, keys in KEYS:
        parts.append(Text(title, style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=KEY_WIDTH, no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        for key, what in keys:
            grid.add_row(Text("  " + key), Text(what))
        parts += [grid, Text("")]
    parts.append(Text(f"Auto-advance is {'on' if auto_advance else 'off'}.", style="italic"))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, auto_advance: bool = False) -> None:
        super().__init__()
        self.auto_advance = auto_advance

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(styled(("Keys", "bold"), ("  (↑↓ scroll, Esc closes)", "dim")), markup=False,
                         classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_view(self.auto_advance), markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
