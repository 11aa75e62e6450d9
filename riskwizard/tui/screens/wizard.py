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
from textual.widgets import Header, Input, Static, Tree

from ...applicability import applicability_changes, bundled_specs, scope_snapshot
from ...consistency import find_contradictions
from ...errors import RiskwizardError
from ...progress import questions_left
from ...whatif import what_would_change
from ..session import Place, Session
from ..text import one_line, styled
from ..widgets.editors import show_message
from ..widgets.keybar import KeyBar
from ..widgets.messages import RowEditRequested
from ..widgets.picker import OptionPicker
from ..widgets.question import QuestionView
from ..widgets.results import ResultsPanel, headline_text, results_text
from ..widgets.sidepanel import SidePanel

SAVE_DELAY = 0.4  # seconds of quiet after typing before the file is written
CHANGES_DELAY = 0.25
NARROW = 100  # below this width the side panel is narrower
WIDE = 120  # below this width the results panel is shown on demand (ctrl+o); the headline shows the tier


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
        Binding("ctrl+g", "jump", "Jump", priority=True),
        Binding("ctrl+t", "dont_know", "Don't know", priority=True),
        Binding("ctrl+b", "back", "Back", show=False, priority=True),
        Binding("ctrl+o", "toggle_results", "Results", priority=True),
        Binding("f2", "what_if", "What-if", key_display="F2", priority=True),
        Binding("ctrl+l", "calculator", "Calc", priority=True),
        Binding("ctrl+r", "review", "Review", priority=True),
        Binding("f3", "toggle_auto_advance", "Auto-advance", key_display="F3", show=False, priority=True),
        Binding("f4", "upgrade_questionnaires", "Upgrade questionnaires", key_display="F4", show=False,
                priority=True),
        Binding("f1", "help", "Help", key_display="F1", priority=True),
        Binding("escape", "back_to_question", "Question", show=False),
    ]
    # The key bar shows what fits, in this order of importance; F1 lists every key.
    KEY_PRIORITY = ["next", "previous", "dont_know", "search", "review", "help", "app.quit", "toggle_results",
                    "jump", "what_if", "calculator", "app.command_palette"]

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
        self.back_to: Place | str | None = None  # where ctrl+b returns after a jump (a place or "review")
        self.last_review: tuple[str, str] | None = None  # the question a jump from the review left from
        self._scope = scope_snapshot(session.doc.facts)  # paper, venue, stage, role, Canada: see _scope_notices
        self._results_cache: dict[str, Any] = {}
        self._contradictions: list[Any] = []  # answers that disagree across questionnaires, after each change
        self._progress: list[Any] = []  # questions left per questionnaire (riskwizard.progress), as `score` prints
        self.ready = False  # set when mounted (tests and the benchmark wait for it)
        self.stale = session.stale()  # out-of-date content, review or questionnaire versions (headline)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        self._apply_width(self.app.size.width)  # classes set before mounting cost no restyle
        self.title = "riskwizard"  # set before the header exists, so it is drawn once
        read_only = " — READ-ONLY" if self.session.read_only else ""
        self.sub_title = f"{self.session.title} — {self.session.path.name}{read_only}"
        yield Header(icon="◆")
        yield Static("", markup=False, id="headline")
        with Horizontal(id="main"):
            with Vertical(id="side-col"):
                yield Static("Jump: ↑↓ move, → opens, Enter goes there, Esc back", markup=False, id="side-hint")
                yield SidePanel(self.session, id="side")
            with Vertical(id="center"), Vertical(id="question-area"):
                self.order = self.session.order()
                start = self.session.start_place(self.order)
                if start is not None:  # the first question is part of the first frame
                    yield self._question_view(start)
            yield ResultsPanel(id="results")
        yield KeyBar([*self.BINDINGS, Binding("ctrl+q", "app.quit", "Quit"),
                      Binding("ctrl+k", "app.command_palette", "Palette")], self.KEY_PRIORITY, id="keys")

    def on_mount(self) -> None:
        view = self.question_view
        saved = self.session.saved_place(self.order)  # before arriving moves the saved position
        if view is not None:
            self._arrive(None, view)
        if self.place is not None and view is not None and saved is not None and saved.key != self.place.key:
            self.back_to = saved  # ctrl+b goes back to where the last session stopped
            view.set_status(f"Opened at the first open question. Last time you were at "
                            f"\"{one_line(saved.question.prompt, 50)}\": ctrl+b goes there.")
        if self.session.read_only:
            self.notify(f"{self.session.path.parent} cannot be written, so this assessment is open read-only: "
                        "browse, review and export to another folder (ctrl+r).", title="Read-only",
                        severity="warning", timeout=15, markup=False)
        self.ready = True
        for notice in self.session.notices:
            self.notify(notice, title="Note", severity="warning", timeout=12, markup=False)

    def on_resize(self, event: Any) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        """Give the question the room: below WIDE columns the results panel is shown on demand (ctrl+o),
        over the side panel (the headline line always shows the overall tier and the next step)."""
        narrow = width < NARROW
        self.set_class(narrow, "narrow")
        shown = self.results_shown if self.results_shown is not None else width >= WIDE
        self.set_class(not shown, "hide-results")
        self.set_class(shown and width < WIDE, "results-over-side")

    # ------------------------------------------------------------------ navigation

    @property
    def question_view(self) -> QuestionView | None:
        views = self.query(QuestionView)
        return views.first() if views else None

    async def go(self, place: Place, focus: bool = True, jump: bool = False) -> None:
        """Show ``place`` (a visible question) and remember it as the position. A ``jump`` (search, side
        panel, what-if, review) remembers where it came from, for ctrl+b."""
        if jump and self.place is not None and self.place.key != place.key:
            self.back_to = self.place
        self.leave_question()
        self.flush_pending(navigating=True)
        previous = self.place
        area = self.query_one("#question-area")
        focused = self.focused
        if focused is not None and area in focused.ancestors:
            # Let go of the old answer's focus first: otherwise Textual hands it to the side panel while the
            # old question is removed (restyling and redrawing the panel) and the new answer takes it back.
            self.set_focus(None, scroll_visible=False)
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

    def _position(self, place: Place) -> tuple[int, int]:
        """(n, of) of ``place`` among the visible questions of its questionnaire."""
        in_spec = [p for p in self.order if p.spec.id == place.spec.id]
        n = next((i for i, p in enumerate(in_spec) if p.key == place.key), 0) + 1
        return n, len(in_spec)

    def _question_view(self, place: Place) -> QuestionView:
        self.place = place
        return QuestionView(self.session, place, self._position(place), id="question")

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
                await self.go(place, jump=True)
                return
        self.notify("That question is not shown with the current answers.", severity="warning", markup=False)

    def action_jump(self) -> None:
        """Keys to the side panel; its hint line (with the highlighted line's whole text) and its border
        show that it has them."""
        side = self.query_one(SidePanel)
        side.focus()
        node = side.cursor_node
        hint = styled(("Jump: ↑↓ move, → opens, Enter goes there, Esc back", ""))
        if node is not None:
            hint.append("\n" + side.full_text(node), style="bold")
        self.query_one("#side-hint", Static).update(hint)

    async def action_back(self) -> None:
        """Back to where the last jump came from (or to the review the jump was made from)."""
        target = self.back_to
        if target == "review":
            self.back_to = None
            self.action_review()
            return
        if not isinstance(target, Place):
            self.notify("Nothing to go back to: ctrl+b returns after a jump (search, side panel, what-if, "
                        "review) and to where you stopped last time.", markup=False)
            return
        visible = next((p for p in self.order if p.key == target.key), None)
        if visible is None:
            self.back_to = None
            self.notify("That question no longer applies with the current answers.", markup=False)
            return
        await self.go(visible, jump=True)

    async def jump_from_review(self, spec_id: str, question_id: str) -> None:
        """The review screen chose a question: show it; ctrl+b (or ctrl+r) returns to the review."""
        await self.jump_to(spec_id, question_id)
        self.back_to = "review"
        self.last_review = (spec_id, question_id)
        view = self.question_view
        if view is not None:
            view.set_status("From the review: ctrl+b goes back to it.")

    @on(OptionPicker.Advance)
    async def _advance(self, event: OptionPicker.Advance) -> None:
        """Enter on a choice (or a single choice picked with auto-advance on): the next question."""
        event.stop()
        if self.question_view is not None and self.question_view.query("#editor OptionPicker"):
            self.refresh_after_change()  # the pick may add or remove questions: next in the new order
            await self.action_next()

    def action_what_if(self) -> None:
        from .whatif import WhatIfScreen

        if self.place is None:
            return
        spec = self.place.spec
        if spec.model.outcome is None:
            self.notify(f"{spec.model.title} has no tier, so nothing would change one.", markup=False)
            return
        changes = self._changes if self._changes is not None else what_would_change(spec, self.session.answers(spec))

        async def chosen(question_id: str | None) -> None:
            if question_id is not None:
                await self.jump_to(spec.id, question_id)

        self.app.push_screen(WhatIfScreen(spec.model.title, self._current_tier_title(), changes), chosen)

    def _current_tier_title(self) -> str:
        result = self._results_cache.get(self.place.spec.id) if self.place is not None else None
        return result.tier.title if result is not None and result.tier is not None else ""

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(bool(getattr(self.app, "auto_advance", False))))

    def action_toggle_auto_advance(self) -> None:
        toggle = getattr(self.app, "toggle_auto_advance", None)
        on_now = toggle() if toggle is not None else False
        for picker in self.query(OptionPicker):
            picker.auto_advance = on_now
        self.notify("Auto-advance is on: picking a single choice (number, space or click) moves on."
                    if on_now else "Auto-advance is off: Enter moves on; numbers and space only pick.",
                    markup=False)

    def action_back_to_question(self) -> None:
        view = self.question_view
        if view is not None:
            view.focus_editor()

    @on(Tree.NodeHighlighted, "#side")
    def _tree_highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        """The side panel's hint line shows the highlighted line's whole text (a narrow panel cuts it)."""
        event.stop()
        side = self.query_one(SidePanel)
        if side.has_focus:
            self.query_one("#side-hint", Static).update(
                styled(("Jump: ↑↓ move, → opens, Enter goes there, Esc back\n", ""),
                       (side.full_text(event.node), "bold")))

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
                await self.go(first, jump=True)
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

    @on(RowEditRequested)
    def _edit_row(self, event: RowEditRequested) -> None:
        from .row_editor import RowEditorScreen

        event.stop()
        self.app.push_screen(RowEditorScreen(event.group, event.row, event.index), event.done)

    def action_search(self) -> None:
        from .search import SearchScreen

        async def chosen(place: Place | None) -> None:
            if place is not None:
                await self.go(place, jump=True)

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
        elif self.focused is not None and self.focused in self.query_one("#results").walk_children():
            self.action_back_to_question()

    def action_calculator(self) -> None:
        from .calculator import CalculatorScreen

        self.flush_pending()
        self.app.push_screen(CalculatorScreen(self.session))

    def action_review(self) -> None:
        from .review import ReviewScreen

        self.leave_question()
        self.flush_pending()
        at = self.last_review if self.back_to == "review" else (self.place.key if self.place else None)
        self.back_to = None if self.back_to == "review" else self.back_to
        self.app.push_screen(ReviewScreen(self.session, getattr(self.app, "search_dirs", []), at))

    def action_upgrade_questionnaires(self) -> None:
        """A newer questionnaire version is bundled: show what would move, and upgrade on confirmation."""
        from .upgrade import UpgradeScreen

        self.leave_question()
        self.flush_pending()
        try:
            plan = self.session.plan_version_upgrade()
        except RiskwizardError as exc:
            self.notify(f"Cannot upgrade: {exc}", severity="error", timeout=15, markup=False)
            return
        if not plan.changed:
            self.notify("Every questionnaire is at its bundled version; nothing to upgrade.", markup=False)
            return

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                backup = self.session.apply_version_upgrade(plan)
            except (RiskwizardError, OSError) as exc:
                self.notify(f"Not upgraded: {exc}", severity="error", timeout=20, markup=False)
                return
            self.stop_background()
            kept = f" The file as it was is kept as {backup.name}." if backup is not None else ""
            self.app.notify(f"Upgraded: {', '.join(f'{m.id} {m.new_version}' for m in plan.moves)}.{kept}",
                            timeout=15, markup=False)
            await self.app._replace_all(WizardScreen(self.session))  # type: ignore[attr-defined]

        self.app.push_screen(UpgradeScreen("\n".join(plan.lines())), confirmed)

    # ------------------------------------------------------------------ changes and saving

    @on(QuestionView.Reshow)
    async def _reshow(self, event: QuestionView.Reshow) -> None:
        """A conflict was settled: draw the question again (its picker goes, the editor shows the value)."""
        event.stop()
        visible = next((p for p in self.order if p.key == event.place.key), None)
        if visible is not None and self.place is not None and self.place.key == visible.key:
            await self.go(visible)
            view = self.question_view
            if view is not None:
                view.set_status("Settled: this value is now the answer in every questionnaire that asks it.")

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
        fact = self.place is not None and self.place.question.id in self.place.spec.fact_of
        if fact:
            self._results_cache.clear()  # a shared fact: every questionnaire that asks or reads it may change
        self.query_one(SidePanel).refresh_all(None if fact else changed)  # a fact counts in each that asks it
        self.refresh_results()
        if fact:
            self._scope_notices()
        view = self.question_view
        if view is not None and (appeared or gone):
            view.set_position(self._position(view.place))
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

    def _scope_notices(self) -> None:
        """A scope fact changed (paper, venue, stage, role, Canada): say which questionnaires that turned,
        in the assessment (no longer applies) and outside it (the ACL checklist once an *ACL venue is named)."""
        now = scope_snapshot(self.session.doc.facts)
        if now == self._scope:
            return
        before, self._scope = self._scope, now
        for line in applicability_changes(before, now, self.session.specs, bundled_specs()):
            self.notify(line, title="Questionnaires", timeout=15, markup=False)

    def request_save(self, now: bool) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if now:
            self.save_now()
        else:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_now)

    def flush_pending(self, navigating: bool = False) -> None:
        """Write anything waiting for the typing pause (called before navigation, export, quit). Moving
        between questions does not write a change of position alone: that waits for the pause (saving
        and re-reading the file on every key made next/previous slower by a few milliseconds)."""
        if self._refresh_timer is not None:
            self.refresh_after_change()
        if navigating and self.session.position_only:
            return
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
        for notice in notices:  # a conflict copy ("... were saved to X instead") or a kept backup of the old file
            elsewhere = "instead" in notice
            self.notify(notice, title="Saved elsewhere" if elsewhere else "Saved; backup kept",
                        severity="warning" if elsewhere else "information", timeout=20, markup=False)

    # ------------------------------------------------------------------ results

    def refresh_results(self) -> None:
        """The headline (overall tier and next step) always; the results panel when it is shown."""
        if self.place is None:
            return
        spec = self.place.spec
        result = self.session.evaluate(spec)
        self._results_cache[spec.id] = result
        others = [self._cached_result(s) for s in self.session.specs if s.id != spec.id]
        self._contradictions = find_contradictions(self.session.doc, self.session.specs)
        every = [result if s.id == spec.id else self._results_cache[s.id] for s in self.session.specs]
        show_message(self.query_one("#headline", Static),
                     headline_text(every, self.session.read_only, self.stale, len(self._contradictions)), "shown")
        self._last_result = (result, others)
        self._changes = None
        if self.has_class("hide-results"):
            return
        dims = {d.id: d.max for d in spec.model.dimensions}
        self._progress = questions_left(self.session.doc, self.session.specs)
        self.query_one(ResultsPanel).show(results_text(result, others, None, dims, self._contradictions,
                                                       self._progress))
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
        self.query_one(ResultsPanel).show(results_text(result, others, changes, dims, self._contradictions,
                                                       self._progress))

