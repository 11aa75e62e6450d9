"""A fixed one-line key bar for the wizard.

Textual's Footer recomposes itself whenever the focused widget changes, and moving to another
question changes focus several times: it was more than half the cost of a keypress that changes
question. The wizard's bindings do not depend on focus, so this bar is drawn once from them.
Every entry is clickable, like Footer's.
"""

from __future__ import annotations

import contextlib

from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.widgets import Static


class KeyBar(Static):
    """Shown bindings of the screen (and the app's quit and palette keys) as "^n Next" items."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, bindings: list[Binding], priority: list[str] | None = None, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.items = [b for b in bindings if b.show]
        # Actions in order of importance: when the items do not fit, the least important go first
        # (the help screen lists every key). Without it, all items are kept.
        self.priority = priority or [b.action for b in self.items]
        self._spans: list[tuple[int, int, str]] = []  # (start, end, action) of each item
        self._pad: str | None = None
        self._shown: tuple[str, ...] = ()
        # Made with the screen (for the terminal's width), so not redrawn once mounted; outside a
        # running app (Textual's NoActiveAppError is a RuntimeError) it is made when mounted.
        with contextlib.suppress(RuntimeError):
            self._build()

    def on_mount(self) -> None:
        if self._pad is None:
            self._build()

    def on_resize(self) -> None:
        self._build()

    @property
    def shown_actions(self) -> tuple[str, ...]:
        return self._shown

    def _build(self) -> None:
        """Padded items when they fit; tighter ones, then fewer (least important first) on narrow
        terminals. Redrawn only when that choice changes: an update costs a layout pass of the screen."""
        keys = [(b.key_display or self.app.get_key_display(b), b.description, b.action) for b in self.items]
        width = self.size.width or self.app.size.width
        rank = {action: i for i, action in enumerate(self.priority)}
        chosen = list(keys)
        pad = " "
        while chosen:
            wide = sum(len(k) + len(d) + 3 for k, d, _ in chosen)
            if wide <= width:
                break
            if pad and wide - len(chosen) <= width:
                pad = ""
                break
            drop = max(chosen, key=lambda item: rank.get(item[2], len(rank)))
            chosen.remove(drop)
        shown = tuple(a for _k, _d, a in chosen)
        if (pad, shown) == (self._pad, self._shown):
            return
        self._pad, self._shown = pad, shown
        parts: list[Content | tuple[str, str] | str] = []
        self._spans = []
        position = 0
        for key, description, action in chosen:
            label = f"{pad}{key} "
            text = f"{description} "
            parts += [(label, "bold $footer-key-foreground"), text]
            self._spans.append((position, position + len(label) + len(text), action))
            position += len(label) + len(text)
        self.update(Content.assemble(*parts))

    async def on_click(self, event: Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                event.stop()
                await self.screen.run_action(action)
                return
