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
            options: list[Option | None] = []
            if not self.changes:
                options.append(Option(Text("No single answer change would move the tier."), disabled=True))
            if likely:
                options.append(Option(Text("Plausible for this system (most relevant first)", style="bold underline"),
                                      disabled=True))
                options += [Option(change_text(i, c), id=c.question_id) for i, c in enumerate(likely, 1)]
            if unlikely:
                options.append(Option(Text("Contradicting your other answers (for completeness)",
                                           style="bold underline"), disabled=True))
                options += [Option(change_text(i, c), id=c.question_id)
                            for i, c in enumerate(unlikely, len(likely) + 1)]
            yield OptionList(*[o for o in options if o is not None], id="whatif-list")
            yield Static(f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''}. ↑↓ move, "
                         "PgUp/PgDn page, Enter opens the question, Esc closes.", markup=False,
                         id="whatif-count", classes="dim-text")

    def on_mount(self) -> None:
        options = self.query_one("#whatif-list", OptionList)
        options.focus()
        first = next((i for i in range(options.option_count) if not options.get_option_at_index(i).disabled), None)
        options.highlighted = first

    @on(OptionList.OptionSelected, "#whatif-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
