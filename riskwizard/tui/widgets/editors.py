"""Answer editors, one per question type. Each posts :class:`Edited` with a value or a problem.

Labels are passed as :class:`~textual.content.Content`, so option text is never read as markup.
"""

from __future__ import annotations

import re
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from ...answers import check_value
from ..text import plain
from .picker import OptionPicker


def show_message(widget: Static, text: str, flag_class: str, flag: bool | None = None) -> None:
    """Update a message line only when its text changes.

    ``Static.update`` re-lays out the screen; doing it on every keystroke with the same (usually
    empty) text made typing cost a full layout pass.
    """
    if getattr(widget, "_shown_text", None) != text:
        widget.update(text)
        widget._shown_text = text  # type: ignore[attr-defined]
    widget.set_class(bool(text) if flag is None else flag, flag_class)

PASTE_JOIN = " / "


class LineInput(Input):
    """A one-line Input that keeps every line of a paste (Textual's keeps only the first): the lines
    are joined with " / ". Also selects all with F7, as the multi-line TextArea does."""

    BINDINGS = [Binding("f7", "select_all", "Select all", show=False)]

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(lines) <= 1:
            return  # Input's own handler (Textual calls it after this one) pastes a single line
        event.prevent_default()  # not Input's handler too: it would paste the first line again
        event.stop()
        text = PASTE_JOIN.join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
        self.post_message(self.PastedLines(self, len(lines)))

    class PastedLines(Message):
        """A paste of several lines was joined into one (the screen says so)."""

        def __init__(self, field: LineInput, lines: int) -> None:
            super().__init__()
            self.field = field
            self.lines = lines


class Edited(Message):
    """An editor's value changed. ``problem`` is non-empty when the input is not valid yet;
    ``typing`` is true for free text and numbers (saved after a short pause, not per key)."""

    def __init__(self, editor: Editor, value: Any, problem: str = "", typing: bool = False) -> None:
        super().__init__()
        self.editor = editor
        self.value = value
        self.problem = problem
        self.typing = typing


class Editor(Vertical):
    """Base class: ``question`` is the question (or group field) being edited."""

    DEFAULT_CSS = "Editor { height: auto; }"

    def __init__(self, question: Any, value: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.question = question
        self.initial = value

    def current(self) -> tuple[Any, str]:
        """(value, problem) as the editor shows it now; value None means empty."""
        raise NotImplementedError

    def raw_text(self) -> str:
        """What the user typed, as typed (for editors of typed answers; "" for choices)."""
        return ""

    def first_focusable(self) -> Widget | None:
        """The widget that takes the keys when this editor is shown."""
        return next((w for w in self.query("*") if w.focusable), None)

    def focus_first(self) -> None:
        widget = self.first_focusable()
        if widget is not None:
            widget.focus(scroll_visible=False)  # keep the prompt in view on small terminals


def _auto_advance(widget: Widget) -> bool:
    """The user's "move on after a single choice" setting (kept by the app)."""
    try:
        return bool(getattr(widget.app, "auto_advance", False))
    except Exception:  # noqa: BLE001 - made outside a running app (tests of the widget alone)
        return False


class ChoiceEditor(Editor):
    """single and yesno: numbered options (see :class:`OptionPicker`); the value is the option value."""

    multi = False

    def options(self) -> list[tuple[str, str, str]]:
        q = self.question
        if q.type == "yesno":
            return [("yes", "Yes", ""), ("no", "No", "")]
        return [(o.value, o.label, o.help) for o in q.options]

    def chosen(self) -> list[str]:
        if self.initial is None:
            return []
        return list(self.initial) if isinstance(self.initial, list) else [self.initial]

    def compose(self) -> ComposeResult:
        yield OptionPicker(self.options(), self.multi, self.chosen(), auto_advance=_auto_advance(self),
                           classes="answer-choice")

    def current(self) -> tuple[Any, str]:
        return self.query_one(OptionPicker).value(), ""

    @on(OptionPicker.Picked)
    def _picked(self, event: OptionPicker.Picked) -> None:
        event.stop()
        self.post_message(Edited(self, event.value))
        if event.advance:
            self.post_message(OptionPicker.Advance())

    def first_focusable(self) -> Widget | None:
        return self.query_one(OptionPicker)


class MultiEditor(ChoiceEditor):
    """multi: tick several (space or the option's number); nothing ticked reads as unanswered."""

    multi = True

    def options(self) -> list[tuple[str, str, str]]:
        return [(o.value, o.label, o.help) for o in self.question.options]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str, question: Any) -> tuple[Any, str]:
    """Read a typed number: ``1,000,000``, ``1 000``, ``2.5e6``, ``12.5%`` (for percentages)."""
    raw = text.strip()
    if not raw:
        return None, ""
    cleaned = strip_unit(raw, question).replace(",", "").replace("_", "").replace(" ", "")
    if question.type == "percent":
        cleaned = cleaned.removesuffix("%")
    if not _NUMBER.match(cleaned):
        example = "12.5" if question.type == "percent" else ("1000" if question.integer else "2.5")
        unit = f" (in {question.unit})" if getattr(question, "unit", "") else ""
        return None, f"`{raw}` is not a number{unit}; type digits, for example {example}"
    number: float | int = float(cleaned)
    if number.is_integer() and ("." not in cleaned and "e" not in cleaned.lower()):
        number = int(number)
    if question.integer:
        if not float(number).is_integer():
            return None, "a whole number is needed here"
        number = int(number)
    _value, problem = check_value(question, number)
    if problem:
        return None, _explain(question, number)
    return number, ""


def strip_unit(raw: str, question: Any) -> str:
    """``8 years`` in a question whose unit is "years" (or "year") reads as ``8``; other words stay,
    so that ``8 months`` is refused rather than read as 8 years."""
    unit = (getattr(question, "unit", "") or "").strip().lower()
    if not unit:
        return raw
    forms = {unit, unit.removesuffix("s"), unit + "s"} - {""}
    lowered = raw.lower()
    for form in sorted(forms, key=len, reverse=True):
        if lowered.endswith(form):
            head = raw[: len(raw) - len(form)].rstrip()
            if head and (head[-1].isdigit() or head[-1] == "."):
                return head
    return raw


def bounds_text(question: Any) -> str:
    unit = "%" if question.type == "percent" else (f" {question.unit}" if question.unit else "")
    lo, hi = question.min, question.max
    kind = "whole number" if question.integer else "number"
    if lo is not None and hi is not None:
        return f"a {kind} from {lo:g} to {hi:g}{unit}"
    if lo is not None:
        return f"a {kind}, at least {lo:g}{unit}"
    if hi is not None:
        return f"a {kind}, at most {hi:g}{unit}"
    return f"a {kind}{unit}" if unit.strip() else f"a {kind}"


def _explain(question: Any, number: float) -> str:
    return f"{number:g} is out of range: enter {bounds_text(question)}"


def number_text(value: Any) -> str:
    return "" if value is None else str(value)


class NumberEditor(Editor):
    """number and percent: an Input with the unit beside it and the bounds in the placeholder."""

    def compose(self) -> ComposeResult:
        q = self.question
        unit = "%" if q.type == "percent" else q.unit
        with Horizontal(classes="number-row"):
            yield Input(number_text(self.initial), placeholder=bounds_text(q), classes="answer-number",
                        select_on_focus=False)
            if unit:
                yield Label(plain(unit), classes="unit")
        yield Static("", markup=False, classes="inline-error")

    def current(self) -> tuple[Any, str]:
        return parse_number(self.query_one(Input).value, self.question)

    def raw_text(self) -> str:
        return self.query_one(Input).value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        value, problem = self.current()
        show_message(self.query_one(".inline-error", Static), problem, "shown")
        self.post_message(Edited(self, value, problem, typing=True))


class TextEditor(Editor):
    """text: an Input, or a TextArea when the question is multiline."""

    def compose(self) -> ComposeResult:
        q = self.question
        if getattr(q, "multiline", False):
            from .area import AnswerArea  # TextArea is imported only when a multi-line answer is shown

            area = AnswerArea(self.initial or "", classes="answer-textarea", soft_wrap=True,
                              show_line_numbers=False, tab_behavior="focus")
            area.placeholder = plain(q.placeholder) if q.placeholder else plain("Type here (several lines allowed)")
            yield area
        else:
            yield LineInput(self.initial or "", placeholder=q.placeholder or "Type here", max_length=q.max_length,
                            classes="answer-text", select_on_focus=False)
        yield Static("", markup=False, classes="inline-error")

    def current(self) -> tuple[Any, str]:
        widget = self.query(".answer-textarea, .answer-text").first()
        text = _text_of(widget)
        if not text.strip():
            return None, ""
        _v, problem = check_value(self.question, text)
        return (None, problem) if problem else (text, "")

    def raw_text(self) -> str:
        widget = self.query(".answer-textarea, .answer-text").first()
        return _text_of(widget)

    def _emit(self) -> None:
        value, problem = self.current()
        show_message(self.query_one(".inline-error", Static), problem, "shown")
        self.post_message(Edited(self, value, problem, typing=True))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._emit()

    def on_text_area_changed(self, event: Message) -> None:  # TextArea.Changed, named so TextArea loads late
        event.stop()
        self._emit()


def _text_of(widget: Widget) -> str:
    """The text of a one-line Input or a multi-line AnswerArea."""
    return widget.text if hasattr(widget, "document") else widget.value  # type: ignore[attr-defined]


def make_field_editor(question: Any, value: Any, **kwargs: Any) -> Editor:
    """The editor of any question type but ``group`` (which a group's own fields never are); the
    wizard's :func:`riskwizard.tui.widgets.question.make_editor` adds the group editor."""
    qtype = question.type
    if qtype in ("single", "yesno"):
        return ChoiceEditor(question, value, **kwargs)
    if qtype == "multi":
        return MultiEditor(question, value, **kwargs)
    if qtype in ("number", "percent"):
        return NumberEditor(question, value, **kwargs)
    if qtype == "text":
        return TextEditor(question, value, **kwargs)
    raise ValueError(f"no field editor for a {qtype} question")
