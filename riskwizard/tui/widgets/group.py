"""The group (repeatable rows) editor: a table of rows with add, edit and delete."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from ...engine import format_raw
from ..text import one_line, plain
from .editors import Edited, Editor
from .messages import RowEditRequested


def cell_text(field: Any, row: dict[str, Any]) -> Text:
    if field.id not in row:
        return Text("")
    value = row[field.id]
    if value is None:
        return Text("don't know", style="italic")
    return Text(one_line(format_raw(field, value), 30))


class RowsTable(DataTable):
    """The rows; its keys (and the buttons') are the group editor's, so they work wherever focus is."""


class GroupEditor(Editor):
    DEFAULT_CSS = """
    GroupEditor { height: auto; }
    GroupEditor RowsTable { height: auto; max-height: 12; }
    GroupEditor .group-buttons { height: auto; }
    GroupEditor .group-buttons Button { margin-right: 1; min-width: 10; }
    """

    BINDINGS = [
        Binding("a,insert", "add_row", "Add row", show=False),
        Binding("e", "edit_row", "Edit row", show=False),
        Binding("d,delete", "delete_row", "Delete row", show=False),
        Binding("u", "undo_delete", "Undo delete", show=False),
    ]

    def __init__(self, question: Any, value: Any, **kwargs: Any) -> None:
        super().__init__(question, value, **kwargs)
        self.rows: list[dict[str, Any]] = [dict(r) for r in (value or [])]
        self.deleted: tuple[int, dict[str, Any]] | None = None  # the last deleted row, for undo

    def action_add_row(self) -> None:
        self.add_row()

    def action_edit_row(self) -> None:
        self.edit_row()

    def action_delete_row(self) -> None:
        self.delete_row()

    def action_undo_delete(self) -> None:
        if self.deleted is None:
            self.notify("No deleted row to bring back.", markup=False)
            return
        index, row = self.deleted
        self.deleted = None
        index = min(index, len(self.rows))
        self.rows.insert(index, row)
        self._fill(index)
        self._emit()
        self.query_one(RowsTable).focus()

    def compose(self) -> ComposeResult:
        yield RowsTable(cursor_type="row", zebra_stripes=True, classes="answer-rows")
        yield Static("", markup=False, classes="group-hint")
        with Horizontal(classes="group-buttons"):
            yield Button(plain(f"Add {self.question.row_label}"), id="row-add", compact=True)
            yield Button("Edit", id="row-edit", compact=True)
            yield Button("Delete", id="row-delete", compact=True)

    def on_mount(self) -> None:
        table = self.query_one(RowsTable)
        for field in self.question.fields:
            table.add_column(Text(one_line(field.prompt, 24)), key=field.id)
        self._fill()

    def _fill(self, cursor: int | None = None) -> None:
        table = self.query_one(RowsTable)
        table.clear()
        for i, row in enumerate(self.rows):
            table.add_row(*(cell_text(f, row) for f in self.question.fields), key=str(i))
        if cursor is not None and self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))
        label = self.question.row_label
        count = len(self.rows)
        hint = (f"No {label}s yet: press a (or Enter on the Add button) to add one." if not count else
                f"{count} {label}{'s' if count != 1 else ''}. Enter or e edits, a adds, d deletes.")
        if self.deleted is not None:
            hint += f" Deleted {self._row_name(self.deleted[1])}: u brings it back."
        if self.question.min_rows and count < self.question.min_rows:
            hint += f" At least {self.question.min_rows} expected."
        self.query_one(".group-hint", Static).update(hint)

    def current(self) -> tuple[Any, str]:
        return ([dict(r) for r in self.rows] if self.rows else None), ""

    def _emit(self) -> None:
        self.post_message(Edited(self, self.current()[0]))

    def add_row(self) -> None:
        if len(self.rows) >= self.question.max_rows:
            self.notify(f"At most {self.question.max_rows} rows.", severity="warning", markup=False)
            return
        self._open_editor(None)

    def edit_row(self) -> None:
        if self.rows:
            self._open_editor(self.query_one(RowsTable).cursor_row)

    def delete_row(self) -> None:
        if not self.rows:
            return
        index = self.query_one(RowsTable).cursor_row
        self.deleted = (index, self.rows.pop(index))
        self._fill(index)
        self._emit()
        self.notify(f"Deleted {self._row_name(self.deleted[1])}. Press u to undo.", markup=False)

    def _row_name(self, row: dict[str, Any]) -> str:
        first = self.question.fields[0]
        value = row.get(first.id)
        if isinstance(value, str) and value:
            return f"\"{one_line(value, 30)}\""
        return f"the {self.question.row_label}"

    def _open_editor(self, index: int | None) -> None:
        """Ask the screen for a row form (:class:`RowEditRequested`); ``done`` takes the edited row."""
        row = self.rows[index] if index is not None else {}

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            if index is None:
                self.rows.append(result)
                at = len(self.rows) - 1
            else:
                self.rows[index] = result
                at = index
            self.deleted = None
            self._fill(at)
            self._emit()
            self.query_one(RowsTable).focus()

        self.post_message(RowEditRequested(self.question, row, index, done))

    @on(Button.Pressed, "#row-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_row()

    @on(Button.Pressed, "#row-edit")
    def _edit(self, event: Button.Pressed) -> None:
        event.stop()
        self.edit_row()

    @on(Button.Pressed, "#row-delete")
    def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        self.delete_row()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.edit_row()

    def first_focusable(self) -> Widget | None:
        return self.query_one(RowsTable) if self.rows else self.query_one("#row-add", Button)
