"""Every answer change that would move the tier, most relevant first, with why each is listed."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...whatif import Change
from ..text import styled


def change_text(number: int, change: Change) -> Text:
    out = Text()
    out.append(f"{number:>2}. ", style="dim")
    out.append(change.prompt + "\n", style="bold")
    out.append(f"    {change.current} → {change.alternative}: ")
    out.append(change.new_tier_title + "\n", style="bold")
    out.append(f"    {change.reason}", style="dim italic")
    return out


class WhatIfScreen(ModalScreen[str | None]):
    """A list of :class:`Change`; Enter opens the question. Dismisses with its id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(self, title: str, tier: str, changes: list[Change]) -> None:
        super().__init__()
        self.title_text = title
        self.tier = tier
        self.changes = changes

    def compose(self) -> ComposeResult:
        likely = [c for c in self.changes if c.likely]
        unlikely = [c for c in self.changes if not c.likely]
        with Vertical(id="whatif-dialog", classes="dialog"):
            yield Static(styled(("What would change the tier", "bold"), (f"  {self.title_text}", "dim"),
                                (f"\nNow: {self.tier}" if self.tier else "", "")), markup=False,
                         classes="dialog-title")
            # Every line can be chosen (a heading is the first line of its group's first change), so
            # paging never lands on a line that Enter cannot open.
            options: list[Option] = []
            for i, change in enumerate(likely + unlikely, 1):
                heading = ""
                if i == 1 and likely:
                    heading = "Plausible for this system (most relevant first)"
                elif i == len(likely) + 1:
                    heading = "Contradicting your other answers (for completeness)"
                text = change_text(i, change)
                if heading:
                    text = Text.assemble((heading, "bold underline"), "\n", text)
                options.append(Option(text, id=change.question_id))
            yield OptionList(*options, id="whatif-list")
            if not self.changes:
                yield Static("No single answer change would move the tier.", markup=False)
            yield Static(f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''}. ↑↓ move, "
                         "PgUp/PgDn page, Enter opens the question, Esc closes.", markup=False,
                         id="whatif-count", classes="dim-text")

    def on_mount(self) -> None:
        options = self.query_one("#whatif-list", OptionList)
        options.focus()
        options.highlighted = 0 if options.option_count else None

    @on(OptionList.OptionSelected, "#whatif-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
