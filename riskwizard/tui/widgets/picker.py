"""The option picker for single and multiple choice answers.

Every option is numbered and wrapped to the column's width (a long label is never cut), with its help
text under it. Keys: a number picks (or ticks) that option; typing letters moves to the option whose
label starts with them; space picks or ticks the highlighted option; Enter picks the highlighted option
of a single choice and moves on (in a multiple choice it only moves on). With auto-advance on, a single
choice picked with a number, space or a click moves on as well.

The state shows without colour: ``(●)`` is the picked option, ``[X]`` a ticked one.
"""

from __future__ import annotations

import time
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

TYPE_AHEAD_PAUSE = 1.0  # seconds after which typed letters start a new search


def number_key(index: int) -> str:
    """The key that picks option ``index`` (0-based): 1-9, then 0 for the tenth; none after that."""
    return str(index + 1) if index < 9 else ("0" if index == 9 else "")


def _search_text(label: str) -> str:
    """The label as type-ahead reads it: without a leading reference such as "3(a)" or "(b)"."""
    words = label.split()
    if words and any(c.isdigit() or c in "()" for c in words[0]) and len(words) > 1:
        words = words[1:]
    return " ".join(words).lower()


class OptionPicker(OptionList):
    """Numbered, wrapping options; ``multi`` ticks several. Posts :class:`Picked`."""

    DEFAULT_CSS = """
    OptionPicker {
        height: auto;
        max-height: 1000;
        border: tall $border-blurred;
        padding: 0 0;
        & > .option-list--option { padding: 0 1 0 0; }
    }
    OptionPicker:focus { border: tall $border; }
    """

    BINDINGS = [
        Binding("space", "pick", "Pick", show=False),
        Binding("enter", "select", "Pick and go on", show=False),
    ]

    class Picked(Message):
        """The answer changed (``value``: the option value, or the list of ticked values); ``advance``:
        the user asked to move on to the next question."""

        def __init__(self, picker: OptionPicker, value: Any, advance: bool) -> None:
            super().__init__()
            self.picker = picker
            self.value = value
            self.advance = advance

        @property
        def control(self) -> OptionPicker:
            return self.picker

    class Advance(Message):
        """Enter in a multiple choice (or a single choice already picked): move on."""

    def __init__(self, options: list[tuple[str, str, str]], multi: bool, chosen: list[str],
                 auto_advance: bool = False, **kwargs: Any) -> None:
        self.choices = options  # (value, label, help)
        self.multi = multi
        self.chosen: list[str] = [v for v, _l, _h in options if v in chosen]
        self.auto_advance = auto_advance
        self._typed = ""
        self._typed_at = 0.0
        first = next((i for i, (v, _l, _h) in enumerate(options) if v in self.chosen), 0)
        self._pointer: int | None = first if options else None
        super().__init__(*(Option(self._prompt(i)) for i in range(len(options))), **kwargs)
        # OptionList highlights its first option while it is built: start on the answer instead, so that
        # Enter on an answered question keeps the answer rather than picking option 1
        self.highlighted = first if options else None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        previous, self._pointer = self._pointer, highlighted
        if previous != highlighted:
            for index in (previous, highlighted):
                if index is not None and 0 <= index < len(self.choices):
                    self._redraw(index)

    # ------------------------------------------------------------------ drawing

    def _prompt(self, index: int) -> Table:
        value, label, help_ = self.choices[index]
        on = value in self.chosen
        mark = ("[X]" if on else "[ ]") if self.multi else ("(●)" if on else "( )")
        key = number_key(index)
        pointer = "›" if index == self._pointer else " "  # the highlight, visible without colour too
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=3, justify="right", no_wrap=True)
        grid.add_column(width=3, no_wrap=True)
        grid.add_column(ratio=1)
        body = Text(label, style="bold" if on else "")
        if help_:
            body.append("\n" + help_, style="dim")
        grid.add_row(Text.assemble((pointer, "bold"), (f"{key:>2}", "dim")), Text(mark), body)
        return grid

    def _redraw(self, index: int) -> None:
        self.replace_option_prompt_at_index(index, self._prompt(index))

    # ------------------------------------------------------------------ picking

    def value(self) -> Any:
        if self.multi:
            return list(self.chosen) or None
        return self.chosen[0] if self.chosen else None

    def set_chosen(self, values: list[str]) -> None:
        """Show ``values`` as the answer without posting a message."""
        before = set(self.chosen)
        self.chosen = [v for v, _l, _h in self.choices if v in values]
        for i, (v, _l, _h) in enumerate(self.choices):
            if (v in before) != (v in self.chosen):
                self._redraw(i)

    def pick(self, index: int, advance: bool = False) -> None:
        """Pick (single) or tick/untick (multi) option ``index``, and tell the editor."""
        if not 0 <= index < len(self.choices):
            return
        value = self.choices[index][0]
        if self.multi:
            chosen = [v for v in self.chosen if v != value] if value in self.chosen else [*self.chosen, value]
            self.set_chosen(chosen)
        else:
            self.set_chosen([value])
            advance = advance or self.auto_advance
        self.highlighted = index
        self.post_message(self.Picked(self, self.value(), advance and not self.multi))

    def action_pick(self) -> None:
        if self.highlighted is not None:
            self.pick(self.highlighted)

    def action_select(self) -> None:
        """Enter: a single choice picks the highlighted option and moves on; a multiple choice moves on."""
        if self.multi or self.highlighted is None:
            self.post_message(self.Advance())
            return
        self.pick(self.highlighted, advance=True)

    async def _on_click(self, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if clicked is not None and not self._options[clicked].disabled:
            event.stop()
            self.pick(clicked)

    def on_key(self, event: events.Key) -> None:
        """Number keys pick; letters search the labels (type-ahead)."""
        char = event.character or ""
        if len(char) != 1 or not char.isprintable() or char == " ":
            return
        if char.isdigit():
            index = 9 if char == "0" else int(char) - 1
            if index < len(self.choices):
                event.stop()
                event.prevent_default()
                self.pick(index)
            return
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < TYPE_AHEAD_PAUSE else "") + char.lower()
        self._typed_at = now
        event.stop()
        event.prevent_default()
        match = self._find(self._typed)
        if match is None and len(self._typed) > 1:  # a new first letter
            self._typed = char.lower()
            match = self._find(self._typed)
        if match is not None:
            self.highlighted = match
        else:
            self.app.bell()

    def _find(self, typed: str) -> int | None:
        texts = [_search_text(label) for _v, label, _h in self.choices]
        start = (self.highlighted or 0) + (1 if len(typed) == 1 else 0)
        n = len(texts)
        for step in range(n):  # from the highlighted option on, wrapping
            i = (start + step) % n
            if texts[i].startswith(typed):
                return i
        for step in range(n):  # then a word inside the label
            i = (start + step) % n
            if any(word.startswith(typed) for word in texts[i].split()):
                return i
        return None

    # ------------------------------------------------------------------ scrolling

    def scroll_to_highlight(self, top: bool = False) -> None:
        """The picker is as tall as its options; the question around it scrolls to show the highlight."""
        super().scroll_to_highlight(top)
        self.call_after_refresh(self._reveal_highlight)

    def _reveal_highlight(self) -> None:
        """Scroll the enclosing question (not the picker, which shows every option) just enough that the
        highlighted option is on screen; nothing moves when it already is."""
        if self.highlighted is None or not self.is_mounted or not self.region:
            return
        scroller = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if scroller is None or not scroller.region:
            return
        try:
            y = self._index_to_line[self.highlighted]
            height = self._heights[self.highlighted]
        except (KeyError, AttributeError):
            return
        top = self.content_region.y + y
        bottom = top + height
        view = scroller.content_region
        if top < view.y:
            scroller.scroll_relative(y=top - view.y, animate=False, immediate=True)
        elif top + 1 > view.bottom:  # its first line (the label's start) is enough: keep the prompt in view
            scroller.scroll_relative(y=min(bottom - view.bottom, top - view.y), animate=False, immediate=True)
