"""The multi-line answer editor (imported only when a multi-line question is shown: TextArea is large)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea


class AnswerArea(TextArea):
    """A multi-line answer: ctrl+home / ctrl+end go to the start / end of the whole text (F7 selects all)."""

    BINDINGS = [
        Binding("ctrl+home", "text_start", "Start of the text", show=False),
        Binding("ctrl+end", "text_end", "End of the text", show=False),
    ]

    def action_text_start(self) -> None:
        self.move_cursor((0, 0))

    def action_text_end(self) -> None:
        self.move_cursor(self.document.end)
