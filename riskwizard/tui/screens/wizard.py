"""The main screen: side panel, one question at a time, live results."""

from __future__ import annotations

import contextlib
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Tree

from ...consistency import find_contradictions
from ...engine import what_would_change
from ...errors import RiskwizardError
from ..session import Place, Session
from ..text import one_line
from ..widgets.keybar import KeyBar
from ..widgets.question import QuestionView
from ..widgets.results import ResultsPanel, results_text
from ..widgets.sidepanel import SidePanel

SAVE_DELAY = 0.4  # seconds of quiet after typing before the file is written
CHANGES_DELAY = 0.25
NARROW = 100  # below this width the results panel is shown on demand (ctrl+o)


class WizardScreen(Screen[None]):
    # Focus goes to the answer (``_arrive``); Textual's default would first focus the side panel and
    # then move, restyling both after the first frame.
    AUTO_FOCUS = ""  # (None would mean the app's "*")
    BINDINGS = [
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("pagedown", "next", "Next", show=False),
        Binding("ctrl+p", "previous", "Prev", priority=True),
        Binding("pageup", "previous", "Prev", show=False),
        Binding("ctrl+f", "search", "Find", priority=True),
        Binding("ctrl+g", "jump", "Jump", show=False, priority=True),
        Binding("ctrl+t", "dont_know", "Don't know", priority=True),
        Binding("ctrl+o", "toggle_results", "Results", priority=True),
        Binding("ctrl+l", "calculator", "Calc", show=False, priority=True),
        Binding("ctrl+r", "review", "Review", priority=True),
        Binding("escape", "back_to_question", "Question", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.order: list[Place] = []
        self.place: Place | None = None
        self._save_timer: Timer | None = None
        self._refresh_timer: Timer | None = None
        self._changes_timer: Timer | None = None
        self._changes_token = 0
        self._changes: list[Any] | None = None
        self.results_shown: bool | None = None  # None: automatic by width
        self._results_cache: dict[str, Any] = {}
        self._contradictions: list[Any] = []  # answers that disagree across questionnaires, after each change
        self.ready = False  # set when mounted (tests and the benchmark wait for it)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        self._apply_width(self.app.size.width)  # classes set before mounting cost no restyle
        self.title = "riskwizard"  # set before the header exists, so it is drawn once
        self.sub_title = f"{self.session.title} — {self.session.path.name}"
        yield Header(icon="◆")
        with Horizontal(id="main"):
            yield SidePanel(self.session, id="side")
            with Vertical(id="center"), Vertical(id="question-area"):
                self.order = self.session.order()
                start = self.session.start_place(self.order)
                if start is not None:  # the first question is part of the first frame
                    yield self._question_view(start)
            yield ResultsPanel(id="results")
        yield KeyBar([*self.BINDINGS, Binding("ctrl+q", "app.quit", "Quit"),
                      Binding("ctrl+k", "app.command_palette", "Palette")], id="keys")

    def on_mount(self) -> None:
        view = self.question_view
        if view is not None:
            self._arrive(None, view)
        self.ready = True
        for notice in self.session.notices:
            self.notify(notice, title="Note", severity="warning", timeout=12, markup=False)

    def on_resize(self, event: Any) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        self.set_class(narrow, "narrow")
        shown = self.results_shown if self.results_shown is not None else not narrow
        self.set_class(not shown, "hide-results")
        self.set_class(shown and narrow, "results-over-side")

    # ------------------------------------------------------------------ navigation

    @property
    def question_view(self) -> QuestionView | None:
        views = self.query(QuestionView)
        return views.first() if views else None

    async def go(self, place: Place, focus: bool = True) -> None:
        """Show ``place`` (a visible question) and remember it as the position."""
        self.leave_question()
        self.flush_pending()
        previous = self.place
        area = self.query_one("#question-area")
        await area.remove_children()
        view = self._question_view(place)
        await area.mount(view)
        self._arrive(previous, view, focus)

    def leave_question(self) -> None:
        """Before the question goes away: an entry that is not valid gives back the earlier answer."""
        current = self.question_view
        message = current.leave() if current is not None else ""
        if message:
            self.notify(message, severity="warning", timeout=10, markup=False)
            self.refresh_after_change()

    def _question_view(self, place: Place) -> QuestionView:
        self.place = place
        in_spec = [p for p in self.order if p.spec.id == place.spec.id]
        n = next((i for i, p in enumerate(in_spec) if p.key == place.key), 0) + 1
        return QuestionView(self.session, place, (n, len(in_spec)), id="question")

    def _arrive(self, previous: Place | None, view: QuestionView, focus: bool = True) -> None:
        place = view.place
        if focus:
            view.focus_editor()
        self.query_one(SidePanel).show_place(place)
        if self.session.set_position(place):
            self.request_save(now=False)
        if previous is None or previous.spec.id != place.spec.id:
            self.refresh_results()

    def _index(self) -> int:
        if self.place is None:
            return -1
        return next((i for i, p in enumerate(self.order) if p.key == self.place.key), -1)

    async def action_next(self) -> None:
        i = self._index()
        if i + 1 < len(self.order):
            await self.go(self.order[i + 1])
        else:
            self.notify("That was the last question. Review your answers and export a report here.",
                        markup=False)
            self.action_review()

    async def action_previous(self) -> None:
        i = self._index()
        if i > 0:
            await self.go(self.order[i - 1])
        else:
            self.notify("This is the first question.", markup=False)

    async def jump_to(self, spec_id: str, question_id: str | None = None) -> None:
        """Go to a question, or to the first visible question of a questionnaire."""
        for place in self.order:
            if place.spec.id == spec_id and (question_id is None or place.question.id == question_id):
                await self.go(place)
                return
        self.notify("That question is not shown with the current answers.", severity="warning", markup=False)

    def action_jump(self) -> None:
        self.query_one(SidePanel).focus()

    def action_back_to_question(self) -> None:
        view = self.question_view
        if view is not None:
            view.focus_editor()

    @on(Tree.NodeSelected, "#side")
    async def _tree_selected(self, event: Tree.NodeSelected[Any]) -> None:
        event.stop()
        data = event.node.data
        if not data:
            return
        if data[0] == "question":
            await self.jump_to(data[1], data[2])
        elif data[0] == "section":
            spec = self.session.spec(data[1])
            first = next((p for p in self.order if p.spec.id == data[1]
                          and spec is not None and spec.section_of[p.question.id] == data[2]), None)
            if first is not None:
                await self.go(first)
            else:
                self.notify("This section does not apply with the current answers.", markup=False)
        elif data[0] == "spec" and (self.place is None or self.place.spec.id != data[1]):
            await self.jump_to(data[1])

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a number or short-text answer moves on, like a form."""
        if event.input.has_class("answer-number") or event.input.has_class("answer-text"):
            event.stop()
            await self.action_next()

    def action_search(self) -> None:
        from .search import SearchScreen

        async def chosen(place: Place | None) -> None:
            if place is not None:
                await self.go(place)

        self.app.push_screen(SearchScreen(self.session), chosen)

    def action_dont_know(self) -> None:
        view = self.question_view
        if view is not None:
            view.toggle_unknown()

    def action_toggle_results(self) -> None:
        shown = not self.has_class("hide-results")
        self.results_shown = not shown
        self._apply_width(self.app.size.width)
        if self.results_shown:
            self.refresh_results()

    def action_calculator(self) -> None:
        from .calculator import CalculatorScreen

        self.flush_pending()
        self.app.push_screen(CalculatorScreen(self.session))

    def action_review(self) -> None:
        from .review import ReviewScreen

        self.flush_pending()
        self.app.push_screen(ReviewScreen(self.session, getattr(self.app, "search_dirs", [])))

    # ------------------------------------------------------------------ changes and saving

    @on(QuestionView.Changed)
    def _changed(self, event: QuestionView.Changed) -> None:
        event.stop()
        if event.typing:
            self.request_save(now=False)
            self._schedule_refresh()
        else:
            self.request_save(now=True)
            self.refresh_after_change()

    def _schedule_refresh(self) -> None:
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self._refresh_timer = self.set_timer(SAVE_DELAY, self.refresh_after_change)

    def refresh_after_change(self) -> None:
        """Visibility, progress and results after an answer changed."""
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
            self._refresh_timer = None
        before = {p.key for p in self.order}
        self.order = self.session.order()
        after = {p.key for p in self.order}
        appeared = [p for p in self.order if p.key not in before]
        gone = before - after
        changed = self.place.spec.id if self.place is not None else None
        self._results_cache.pop(changed or "", None)
        if self.place is not None and self.place.question.id in self.place.spec.fact_of:
            self._results_cache.clear()  # a shared fact: every questionnaire that asks or reads it may change
        self.query_one(SidePanel).refresh_all(changed)
        self.refresh_results()
        view = self.question_view
        if view is not None and (appeared or gone):
            parts = []
            if appeared:
                names = "; ".join(one_line(p.question.prompt, 50) for p in appeared[:3])
                more = f" and {len(appeared) - 3} more" if len(appeared) > 3 else ""
                parts.append(f"New question{'s' if len(appeared) > 1 else ''} added: {names}{more}.")
            if gone:
                parts.append(f"{len(gone)} question{'s' if len(gone) > 1 else ''} no longer appl"
                             f"{'y' if len(gone) > 1 else 'ies'}.")
            view.set_status(" ".join(parts))

    def request_save(self, now: bool) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if now:
            self.save_now()
        else:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_now)

    def flush_pending(self) -> None:
        """Write anything waiting for the typing pause (called before navigation, export, quit)."""
        if self._refresh_timer is not None:
            self.refresh_after_change()
        if self._save_timer is not None or self.session.dirty:
            self.request_save(now=True)

    def stop_background(self) -> None:
        """The session is closing: stop the save, refresh and what-would-change timers and workers."""
        for timer in (self._save_timer, self._refresh_timer, self._changes_timer):
            if timer is not None:
                timer.stop()
        self._save_timer = self._refresh_timer = self._changes_timer = None
        self._changes_token += 1  # a what-would-change result still on its way is ignored
        self.workers.cancel_node(self)

    async def retire(self) -> None:
        """This wizard's session is closed but the screen stays, as the app's first screen (which Textual
        cannot replace): drop its widgets and results so it holds and redraws nothing."""
        self.stop_background()
        self._results_cache.clear()
        self._changes = None
        self.place = None
        self.order = []
        await self.remove_children()

    def save_now(self) -> None:
        self._save_timer = None
        if not self.session.dirty or self.session.closed:
            return
        try:
            notices = self.session.save()
        except (RiskwizardError, OSError) as exc:
            message = exc.message if isinstance(exc, RiskwizardError) else str(exc)
            self.notify(f"Could not save: {message}", severity="error", timeout=15, markup=False)
            return
        for notice in notices:
            self.notify(notice, title="Saved elsewhere", severity="warning", timeout=20, markup=False)

    # ------------------------------------------------------------------ results

    def refresh_results(self) -> None:
        if self.place is None or self.has_class("hide-results"):
            return
        spec = self.place.spec
        result = self.session.evaluate(spec)
        self._results_cache[spec.id] = result
        others = [self._cached_result(s) for s in self.session.specs if s.id != spec.id]
        self._contradictions = find_contradictions(self.session.doc, self.session.specs)
        self._last_result = (result, others)
        self._changes = None
        dims = {d.id: d.max for d in spec.model.dimensions}
        self.query_one(ResultsPanel).show(results_text(result, others, None, dims, self._contradictions))
        if result.tier is not None:
            if self._changes_timer is not None:
                self._changes_timer.stop()
            self._changes_token += 1
            token = self._changes_token
            answers = dict(self.session.answers(spec))
            self._changes_timer = self.set_timer(CHANGES_DELAY, lambda: self._compute_changes(spec, answers, token))

    def _cached_result(self, spec: Any) -> Any:
        """Results of questionnaires other than the current one change only when they are edited."""
        if spec.id not in self._results_cache:
            self._results_cache[spec.id] = self.session.evaluate(spec)
        return self._results_cache[spec.id]

    # (a description of its own: by default Textual describes a worker by the repr of its arguments,
    # and the repr of a whole questionnaire model costs milliseconds on the UI thread)
    @work(thread=True, exclusive=True, group="what-would-change", description="what would change the tier")
    def _compute_changes(self, spec: Any, answers: dict[str, Any], token: int) -> None:
        changes = what_would_change(spec, answers)
        if self.is_attached and self.app.is_running:
            with contextlib.suppress(RuntimeError):  # the app closed while this was computed
                self.app.call_from_thread(self._show_changes, spec, token, changes)

    def _show_changes(self, spec: Any, token: int, changes: list[Any]) -> None:
        if (token != self._changes_token or self.place is None or self.place.spec.id != spec.id
                or not self.is_attached):
            return
        result, others = self._last_result
        dims = {d.id: d.max for d in spec.model.dimensions}
        self._changes = changes
        self.query_one(ResultsPanel).show(results_text(result, others, changes, dims, self._contradictions))

