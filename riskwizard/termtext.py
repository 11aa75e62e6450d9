"""Text that is safe to print on a terminal.

Answers, questionnaires and file names can hold control characters: ESC starts CSI/OSC sequences
that move the cursor, retitle the window, rewrite what was printed or (on some terminals) answer
back; BEL rings; a bare CR returns to the start of the line so later text hides earlier text;
C1 controls (U+0080-U+009F) act like ESC sequences on some terminals; U+2028/U+2029, U+0085 and
vertical tab or form feed break lines; bidirectional overrides reorder what is shown (Trojan
Source). Every CLI message goes through :func:`clean`, which shows each such character as a
visible escape (``\\x1b``, ``\\r``, ``\\u2028``).
"""

from __future__ import annotations

import re

# C0 except newline and tab (kept or escaped on request), DEL, C1, line/paragraph separators,
# bidirectional embeddings/overrides/isolates and marks, the BOM
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_UNSAFE_OR_BREAK = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object, newlines: bool = False) -> str:
    """``text`` with every terminal control character shown as an escape.

    With ``newlines`` line feeds and tabs are kept (for multi-line text such as a report printed
    with ``-o -``); otherwise they are escaped too, so one message stays one line and user text can
    never start a line of its own (a forged ``ok``).
    """
    s = str(text)
    return (_UNSAFE if newlines else _UNSAFE_OR_BREAK).sub(_escape, s)


def clean_lines(text: object) -> str:
    """Each line of a multi-line message cleaned; the line breaks themselves kept."""
    return "\n".join(clean(line) for line in str(text).split("\n"))


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_json(text: str) -> str:
    """JSON text (from ``json.dumps``, which already escapes C0) with the other controls as ``\\uXXXX``.

    Only valid inside JSON strings, which is the only place these characters can appear.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_controls(data: bytes | str) -> bool:
    """Whether raw terminal controls (other than newline) appear; for tests and checks."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return _UNSAFE.search(text.replace("\t", " ")) is not None


def error_text(exc: BaseException) -> str:
    """A RiskwizardError (or an ErrorGroup of them) as printed by the CLI, every part cleaned.

    Location, message and fix are cleaned one by one, so text from a file (a key, a value, a path)
    cannot add lines to the message.
    """
    from .errors import ErrorGroup, RiskwizardError

    if isinstance(exc, ErrorGroup):
        return "\n".join(error_text(e) for e in exc.errors)
    if not isinstance(exc, RiskwizardError):
        return clean(exc)
    prefix = f"{clean(exc.location)}: " if exc.location else ""
    text = f"{prefix}error: {clean(exc.message)}"
    if exc.fix:
        text += f"\n  fix: {clean(exc.fix)}"
    return text
