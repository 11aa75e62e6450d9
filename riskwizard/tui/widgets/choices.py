"""The radio button and check list of the start, review and calculator screens, with their state shown
without colour (see :mod:`.toggles`)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton


class Radio(RadioButton):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's class attribute name
        return "●" if self.value else " "


class Checklist(SelectionList):  # type: ignore[type-arg]
    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return line
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except Exception:  # noqa: BLE001 - past the last option
            return line
        inner = "X" if selection.value in self._selected else " "
        segments[1] = Segment(inner, segments[1].style, segments[1].control)
        return Strip(segments, line.cell_length)
