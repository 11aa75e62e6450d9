"""One question: prompt, help, why it matters, citation, the editor, "don't know" and a note."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...answers import check_value
from ...engine import format_raw, format_value
from ..session import Place, Session
from ..text import one_line, plain, styled
from .editors import Edited, Editor, LineInput, make_field_editor, show_message
from .picker import OptionPicker
from .toggles import Check

TYPE_HINTS = {
    "single": "Choose one: type its number, or move with the arrows and press Enter (Enter also moves on).",
    "yesno": "Type 1 for yes or 2 for no, or move with the arrows and press Enter (Enter also moves on).",
    "multi": "Tick all that apply: type their numbers (or space on the highlighted one); Enter moves on.",
    "number": "Type a number; Enter moves on.",
    "percent": "Type a percentage (0-100); Enter moves on.",
    "text": "Type your answer.",
    "group": "One row per item.",
}
KEPT_NOTE = "Typed, not saved as the answer (not valid): "


def make_editor(question: Any, value: Any, **kwargs: Any) -> Editor:
    """The editor for a question of any type."""
    if question.type == "group":
        from .group import GroupEditor  # DataTable is imported only when a group question is shown

        return GroupEditor(question, value, **kwargs)
    return make_field_editor(question, value, **kwargs)


class QuestionView(VerticalScroll):
    """Shows and edits the answer at ``place``; writes through the session."""

    class Changed(Message):
        """The answer or note changed in the session (``typing``: save after a pause)."""

        def __init__(self, place: Place, typing: bool) -> None:
            super().__init__()
            self.place = place
            self.typing = typing

    def __init__(self, session: Session, place: Place, position: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.place = place
        self.position = position

    def compose(self) -> ComposeResult:
        q = self.place.question
        answer = self.session.answer(self.place)
        # Where the question is (updated when answers add or remove questions), then the question, its
        # help and the answer, so that on a short terminal the prompt and the options are on screen
        # together; why it matters and the source follow the answer.
        yield Static(self._where_text(), markup=False, classes="question-where", id="where")
        head = styled((q.prompt, "bold"), "\n")
        if q.help:
            head.append("\n" + q.help + "\n", style="dim")
        head.append("\n" + TYPE_HINTS.get(q.type, ""), style="dim italic")
        yield Static(head, markup=False, classes="question-head", id="prompt")
        shared = self.shared_text()
        if shared is not None:
            yield Static(shared, markup=False, classes="question-shared", id="shared")
        choices = self.conflict_choices()
        if choices:
            yield Static(self._conflict_text(len(choices)), markup=False, classes="question-conflict",
                         id="conflict-head")
            yield OptionList(*(Option(plain(label), id=str(i), disabled=not usable)
                               for i, (label, _v, usable) in enumerate(choices)),
                             id="conflict-pick", compact=True)
        value = answer.value if answer is not None and not answer.unknown else None
        yield make_editor(q, value, id="editor")
        if q.unknown_allowed:
            yield Check(plain("Don't know (ctrl+t)"), bool(answer and answer.unknown), id="unknown",
                           compact=True)
        if q.why or q.source:
            why = styled()
            if q.why:
                why.append("Why it matters: ", style="bold italic")
                why.append(q.why + "\n", style="italic")
            if q.source:
                why.append(("\n" if q.why else "") + "Source: ", style="bold")
                why.append(q.source, style="dim")
            why.rstrip()
            yield Static(why, markup=False, classes="question-why", id="why")
        yield Static("Note (optional, kept with the answer):", markup=False, classes="note-label")
        yield LineInput(answer.note if answer else "", placeholder="e.g. who to ask, evidence, caveats",
                        id="note", select_on_focus=False)
        yield Static("", markup=False, id="status")

    # ------------------------------------------------------------------ shared facts

    @property
    def fact_id(self) -> str | None:
        return self.place.spec.fact_of.get(self.place.question.id)

    def shared_text(self) -> Text | None:
        """For a shared fact: which other questionnaires use the same answer, and where it was answered."""
        fid = self.fact_id
        if fid is None:
            return None
        here = self.place.spec.id
        asked = [s.model.title for s in self.session.specs if s.id != here and fid in s.fact_of.values()]
        read = [s.model.title for s in self.session.specs
                if s.id != here and fid in s.reads and s.model.title not in asked]
        out = styled(("Shared fact", "bold"))
        users = ", ".join([*asked, *(f"{t} (reads it)" for t in read)])
        out.append(f" — also used by {users}: one answer serves every one of them, and changing it here "
                   "changes it everywhere." if users else
                   " — asked once and kept with the assessment's facts; other questionnaires that ask it "
                   "share this answer.")
        answer = self.session.answer(self.place)
        where = answer.answered_in if answer is not None else ""
        if where and where != here:
            title = next((s.model.title for s in self.session.specs if s.id == where), where)
            out.append(f"\nAnswered in {title}.", style="bold")
        return out

    def conflict_choices(self) -> list[tuple[str, Any, bool]]:
        """The old values of an unsettled conflict: (label, value in this question's terms, usable).
        "Don't know" is usable (value None); a value that does not fit the shared question is listed,
        not usable."""
        fid = self.fact_id
        if fid is None:
            return []
        titles = {s.id: s.model.title for s in self.session.specs}
        q = self.place.question
        out: list[tuple[str, Any, bool]] = []
        for e in self.session.doc.conflicts.get(fid) or []:
            source = titles.get(e.questionnaire, e.questionnaire) if e.questionnaire else "the fact before"
            if e.unknown:
                out.append((f"don't know   (from {source})", None, q.unknown_allowed))
                continue
            old = ", ".join(map(str, e.value)) if isinstance(e.value, list) else str(e.value)
            value, problem = check_value(q, e.fact_value if e.fact_value is not None else e.value)
            if problem:
                out.append((f"{old}   (from {source}; does not fit this question: {e.reason or problem})",
                            None, False))
                continue
            shown = format_raw(q, value)
            was = f"; given as \"{old}\"" if e.fact_value is not None and old != shown else ""
            out.append((f"{shown}   (from {source}{was})", value, True))
        return out

    def _conflict_text(self, n: int) -> Text:
        return styled(("Earlier answers disagree", "bold red"),
                      (f" — the {n} values given before this question was shared are all kept. Pick the one that "
                       "is true (↑↓, Enter), or Tab to answer below; the results stay provisional until then.", ""))

    @on(OptionList.OptionSelected, "#conflict-pick")
    def _conflict_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick_conflict(int(event.option.id or 0))

    def pick_conflict(self, index: int) -> None:
        """Settle the conflict with its ``index``-th old value (recorded once, as the fact's answer)."""
        choices = self.conflict_choices()
        if not 0 <= index < len(choices):
            return
        _label, value, usable = choices[index]
        if not usable:
            self.set_status("This old value does not fit the shared question: pick another or answer below.",
                            error=True)
            return
        problem = self.session.settle_conflict(self.place, value, value is None)
        if problem:
            self.set_status("Not saved: " + problem, error=True)
            return
        self.post_message(self.Changed(self.place, False))
        self.post_message(self.Reshow(self.place))

    class Reshow(Message):
        """The question must be drawn again (a conflict was settled: its picker goes, the editor shows the value)."""

        def __init__(self, place: Place) -> None:
            super().__init__()
            self.place = place

    def _where_text(self) -> Text:
        spec, q = self.place.spec, self.place.question
        section = next(s for s in spec.model.sections if s.id == spec.section_of[q.id])
        n, total = self.position
        hidden = len(spec.questions()) - total
        count = f"question {n} of {total}" + (f" ({hidden} more may apply)" if hidden > 0 else "")
        return styled((spec.model.title, "dim bold"), ("  ›  ", "dim"), (section.title, "dim"),
                      (f"  ·  {count}", "dim"))

    def set_position(self, position: tuple[int, int]) -> None:
        """Answers added or removed questions: say where this one now is."""
        if position != self.position:
            self.position = position
            self.query_one("#where", Static).update(self._where_text())

    def on_mount(self) -> None:
        answer = self.session.answer(self.place)
        self.arrival = answer  # what to put back if the user leaves with an entry that is not valid
        self._mark_overridden(bool(answer and answer.unknown))
        if self.session.read_only:
            for widget in self.query("#editor, #unknown, #note"):
                widget.disabled = True
            self.set_status("Read-only: this answer cannot be changed here (the folder cannot be written).")

    def leave(self) -> str:
        """Called before moving away (and on quit). Text that is not a valid answer is never lost and
        never half-kept: the answer the question had on arrival stays, the text is kept in the note,
        and the message saying so is returned."""
        editor = self.query_one("#editor", Editor)
        value, problem = editor.current()
        if not problem:
            return ""
        text = editor.raw_text().strip()
        kept = self.arrival
        self.session.restore_answer(self.place, kept)
        if text:
            note = kept.note if kept is not None else ""
            line = KEPT_NOTE + text
            if line not in note:
                self.session.set_note(self.place, f"{note} / {line}" if note else line)
        if kept is None or not (kept.is_answered or kept.unknown):
            shown = "unanswered"
        else:
            shown = "\"don't know\"" if kept.unknown else f"{format_value(self.place.question, kept)}"
        where = f" \"{text}\" is kept in its note." if text else ""
        return (f"Not saved as the answer: {problem}. \"{one_line(self.place.question.prompt, 60)}\" "
                f"stays {shown};{where}")

    def _mark_overridden(self, unknown: bool) -> None:
        """Dim the editor while "don't know" is ticked: what it shows is kept but is not the answer."""
        editor = self.query_one("#editor", Editor)
        editor.set_class(unknown, "overridden")

    def focus_editor(self) -> None:
        # Focused now rather than by ``Widget.focus`` (which waits for the next message): on the first
        # question, that wait made the focus change restyle the screen after the first frame.
        if self.session.read_only:
            self.screen.set_focus(self, scroll_visible=False)  # read-only: the question scrolls, nothing edits
            return
        pick = self.query("#conflict-pick")
        widget = pick.first() if pick else self.query_one("#editor", Editor).first_focusable()
        if widget is not None:
            self.screen.set_focus(widget, scroll_visible=False)  # keep the prompt in view on small terminals
        self.call_after_refresh(self._reveal_focused)

    def _reveal_focused(self) -> None:
        """Scroll just enough that the focused answer widget is on screen (on a short terminal it can sit
        below the prompt's help text, and Enter would pick an option the user cannot see)."""
        if not self.is_attached or not self.is_mounted:
            return  # already replaced by the next question (fast navigation)
        focused = self.screen.focused
        if isinstance(focused, OptionPicker):
            return  # it keeps its highlighted option on screen itself (a long list need not fit)
        if focused is not None and focused.id == "conflict-pick":
            head = self.query_one("#conflict-head")
            if focused.region.bottom > self.region.bottom:  # a short terminal: the conflict from its first line
                self.scroll_to_widget(head, animate=False, top=True)
            return
        if focused is not None and focused in self.walk_children() and focused.region.bottom > self.region.bottom:
            self.scroll_to_widget(focused, animate=False, top=False)

    def set_status(self, text: str, error: bool = False) -> None:
        show_message(self.query_one("#status", Static), text, "error", error)

    # ------------------------------------------------------------------ edits

    @on(Edited)
    def _edited(self, event: Edited) -> None:
        event.stop()
        if event.editor.id != "editor":
            return
        if event.problem:
            self.set_status("Not saved yet: correct the answer above.", error=True)
            return
        unknown = self.query("#unknown")
        if unknown and event.value is not None and unknown.first(Checkbox).value:
            with unknown.first(Checkbox).prevent(Checkbox.Changed):
                unknown.first(Checkbox).value = False
            self._mark_overridden(False)
        is_unknown = bool(unknown) and unknown.first(Checkbox).value
        before = self.session.answer(self.place)
        problem = self.session.set_answer(self.place, None if is_unknown else event.value, is_unknown)
        if problem:
            self.set_status("Not saved: " + problem, error=True)
            return
        self.set_status("")
        if self.session.answer(self.place) is not before:
            self.post_message(self.Changed(self.place, event.typing))

    @on(Checkbox.Changed, "#unknown")
    def _unknown(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.set_unknown(event.value)

    def set_unknown(self, unknown: bool) -> None:
        self._mark_overridden(unknown)
        before = self.session.answer(self.place)
        if unknown:
            self.session.set_answer(self.place, None, True)
        else:
            value, problem = self.query_one("#editor", Editor).current()
            self.session.set_answer(self.place, None if problem else value, False)
        if self.session.answer(self.place) is not before:
            self.post_message(self.Changed(self.place, False))

    def toggle_unknown(self) -> None:
        boxes = self.query("#unknown")
        if not boxes:
            kind = "a text answer" if self.place.question.type == "text" else "an answer"
            self.notify(f"Nothing changed: \"don't know\" is not offered for this question (the questionnaire "
                        f"asks for {kind} here). Leave it empty to keep it open.", severity="warning",
                        markup=False)
            return
        box = boxes.first(Checkbox)
        box.value = not box.value  # posts Checkbox.Changed -> set_unknown

    @on(LineInput.PastedLines)
    def _pasted_lines(self, event: LineInput.PastedLines) -> None:
        event.stop()
        self.set_status(f"Pasted {event.lines} lines into a one-line field: every line is kept, joined by \" / \".")

    @on(Input.Changed, "#note")
    def _note(self, event: Input.Changed) -> None:
        event.stop()
        before = self.session.answer(self.place)
        self.session.set_note(self.place, event.value)
        if self.session.answer(self.place) is not before:
            self.post_message(self.Changed(self.place, True))
