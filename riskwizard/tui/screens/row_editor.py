"""A modal form for one row of a group question."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from ..text import plain, styled
from ..widgets.editors import Edited, Editor, make_field_editor
from ..widgets.picker import OptionPicker
from ..widgets.toggles import Check


class RowEditorScreen(ModalScreen[dict[str, Any] | None]):
    """Edit the fields of one row; Save (ctrl+s) returns the row, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save row", priority=True),
    ]

    def __init__(self, group: Any, row: dict[str, Any], index: int | None) -> None:
        super().__init__()
        self.group = group
        self.row = dict(row)
        self.index = index

    def compose(self) -> ComposeResult:
        label = self.group.row_label
        title = f"Edit {label} {self.index + 1}" if self.index is not None else f"New {label}"
        with Vertical(id="row-dialog", classes="dialog"):
            yield Static(styled((title, "bold"), "  ", (self.group.prompt, "")), markup=False, classes="dialog-title")
            with VerticalScroll(id="row-fields"):
                for field in self.group.fields:
                    value = self.row.get(field.id)
                    yield Static(styled((field.prompt, "bold")), markup=False, classes="field-prompt")
                    if field.help:
                        yield Static(field.help, markup=False, classes="help")
                    yield make_field_editor(field, value, id=f"field-{field.id}")
                    if field.unknown_allowed:
                        yield Check(plain("Don't know"), field.id in self.row and value is None,
                                       id=f"unknown-{field.id}", compact=True, classes="row-unknown")
            yield Static("", markup=False, id="row-problem", classes="inline-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save row (ctrl+s)", id="row-save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="row-cancel", compact=True)

    def on_mount(self) -> None:
        editors = list(self.query(Editor))
        if editors:
            editors[0].focus_first()

    @on(Edited)
    def _edited(self, event: Edited) -> None:
        event.stop()
        box = self.query(f"#unknown-{event.editor.question.id}")
        if box and event.value is not None:
            box.first(Checkbox).value = False

    def collect(self) -> tuple[dict[str, Any], str]:
        row: dict[str, Any] = {}
        for field in self.group.fields:
            box = self.query(f"#unknown-{field.id}")
            if box and box.first(Checkbox).value:
                row[field.id] = None
                continue
            value, problem = self.query_one(f"#field-{field.id}", Editor).current()
            if problem:
                return row, f"{field.prompt}: {problem}"
            if value is None:
                offer = " or tick \"don't know\"" if field.unknown_allowed else ""
                return row, f"{field.prompt}: needed for every {self.group.row_label}; give a value{offer}."
            row[field.id] = value
        return row, ""

    def action_save(self) -> None:
        """Save the row; a row with a field left empty (and not "don't know") is refused, saying which."""
        row, problem = self.collect()
        if problem:
            self.query_one("#row-problem", Static).update(problem)
            self.query_one("#row-problem", Static).add_class("shown")
            missing = next((f for f in self.group.fields if problem.startswith(f"{f.prompt}:")), None)
            if missing is not None:
                self.query_one(f"#field-{missing.id}", Editor).focus_first()
            return
        self.dismiss(row)

    @on(OptionPicker.Advance)
    def _next_after_choice(self, event: OptionPicker.Advance) -> None:
        """Enter on a choice in the form moves to the next field."""
        event.stop()
        self.focus_next()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter in a field moves on, like a form; on the Save button Enter saves."""
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#row-save")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#row-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
