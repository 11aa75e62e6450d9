"""Confirm a questionnaire version upgrade: what would move, then Upgrade or Cancel."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..text import styled


class UpgradeScreen(ModalScreen[bool]):
    """The plan of `riskwizard upgrade` (plain text, never markup) with Upgrade (u) and Cancel (esc)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("u", "upgrade", "Upgrade")]
    DEFAULT_CSS = """
    #upgrade-plan { height: auto; max-height: 20; }
    """

    def __init__(self, plan_text: str) -> None:
        super().__init__()
        self.plan_text = plan_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="upgrade-dialog"):
            yield Static(styled(("Upgrade to the bundled questionnaire versions?", "bold"),
                                ("  (u upgrades, esc cancels; answers that no longer fit are kept in `orphaned`)",
                                 "dim")), markup=False, classes="dialog-title")
            with VerticalScroll(id="upgrade-plan"):
                yield Static(self.plan_text, markup=False, id="upgrade-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Upgrade", id="upgrade-yes", variant="warning", compact=True)
                yield Button("Cancel", id="upgrade-no", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#upgrade-no", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_upgrade(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "upgrade-yes")
