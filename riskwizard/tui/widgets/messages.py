"""Messages between widgets and screens that must not import each other (the group editor and the row
form; the wizard handles them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message


class RowEditRequested(Message):
    """A group editor wants one row edited: the screen opens a form and calls ``done`` with the row
    (or None when cancelled). A message rather than an import, so the group editor does not depend on
    the row form, which is built from the field editors."""

    def __init__(self, group: Any, row: dict[str, Any], index: int | None,
                 done: Callable[[dict[str, Any] | None], None]) -> None:
        super().__init__()
        self.group = group
        self.row = row
        self.index = index
        self.done = done
