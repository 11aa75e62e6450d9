"""Toggle widgets whose state shows without colour (NO_COLOR, screen readers, tmux captures).

Textual draws the same glyph for on and off and tells them apart by colour only; these
subclasses draw ``●``/``X`` when on and a blank when off. The check box is here (every question has
one); the radio button and the check list, which only the start, review and calculator screens use,
are in :mod:`.choices`, so the first question does not import them.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class Check(Checkbox):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # noqa: N802
        return "X" if self.value else " "
