"""Small modal dialogs: a message with OK."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..text import styled


class MessageScreen(ModalScreen[None]):
    """A message the user must acknowledge (errors, a refused lock)."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, body: str, error: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog" + (" error" if self.error else ""), id="message-dialog"):
            yield Static(styled((self.title_text, "bold")), markup=False, classes="dialog-title")
            yield Static(self.body, markup=False, id="message-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="message-ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#message-ok", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#message-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
