"""Text helpers: everything user- or questionnaire-supplied is shown literally, never as markup."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content


def plain(text: object) -> Content:
    """Literal content: ``[bold]`` or ``[@click=app.quit]`` is shown as typed, never interpreted."""
    return Content(str(text))


def styled(*parts: tuple[object, str] | str) -> Text:
    """Build a Rich Text from (text, style) pairs; the text parts are never parsed as markup."""
    out = Text()
    for part in parts:
        if isinstance(part, tuple):
            out.append(str(part[0]), style=part[1] or None)
        else:
            out.append(str(part))
    return out


def one_line(text: str, width: int = 60) -> str:
    """First line of a text, shortened to ``width`` characters with an ellipsis."""
    first = " ".join(str(text).split())
    return first if len(first) <= width else first[: width - 1] + "…"
