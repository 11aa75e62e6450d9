"""The riskwizard Textual app: start screen, wizard, calculator, review and export.

``run(path, search_dirs)`` is called by the CLI. The app holds the answers file's lock for the
whole session, saves after every change, and saves on quit, SIGTERM and SIGHUP.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
import termios
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from ..answers import now_iso
from ..errors import LockedError, RiskwizardError
from ..termtext import clean_lines
from .recent import add_recent, load_settings, save_setting
from .screens.message import MessageScreen
from .screens.wizard import WizardScreen
from .session import Session
from .text import styled

WATCH_EVERY = 0.5  # seconds between checks that the terminal and the parent process are still there


class OpenScreen(ModalScreen[Path | None]):
    """Ask for the path of an answers file to open."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="open-dialog"):
            yield Static(styled(("Open an answers file", "bold"), ("  (enter opens, esc cancels)", "dim")),
                         markup=False, classes="dialog-title")
            yield Input(placeholder="path/to/answers.yaml", id="open-path")
            yield Static("", markup=False, id="open-problem", classes="inline-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip() or not path.is_file():
            problem = self.query_one("#open-problem", Static)
            problem.update(f"No such file: {path}" if event.value.strip() else "Type a path.")
            problem.add_class("shown")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RiskwizardApp(App[None]):
    CSS_PATH = "riskwizard.tcss"
    TITLE = "riskwizard"
    COMMAND_PALETTE_BINDING = "ctrl+k"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, path: Path | None = None, search_dirs: list[Path] | None = None,
                 install_signals: bool = False) -> None:
        super().__init__()
        self.start_path = path
        self.search_dirs = list(search_dirs or [])
        self.install_signals = install_signals
        self.session: Session | None = None
        self.auto_advance = bool(load_settings().get("auto_advance", False))  # see toggle_auto_advance
        self._open_problem: tuple[str, str] | None = None  # why ``path`` did not open, shown once mounted

    # ------------------------------------------------------------------ start and stop

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: the wizard when an answers file opens, else the start screen.

        Made the bottom of the stack rather than pushed over Textual's blank default screen, so the
        first frame lays out and draws one screen, not two.
        """
        # Collections while the questionnaires load would only walk objects that live as long as the
        # session: the collector is off until the first screen is set up, and what was made by then is
        # frozen out of later collections (see ``_adopt``).
        gc.disable()
        try:
            if self.start_path is not None:
                opened = self._open_session(self.start_path)
                if isinstance(opened, Session):
                    self._adopt(opened)
                    return WizardScreen(opened)
                self._open_problem = opened
            from .screens.start import StartScreen  # not imported when a file opens straight away

            return StartScreen(self.search_dirs)
        finally:
            gc.freeze()
            gc.enable()

    def on_mount(self) -> None:
        if self.install_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self.save_and_exit, sig)
            if not self.is_headless:
                self._parent_pid = os.getppid()
                # Under a web driver (riskwizard serve) stdin is a pipe, never a terminal: only the parent counts.
                self._watch_tty = _stdin_is_terminal()
                self.set_interval(WATCH_EVERY, self._watch_terminal, name="terminal watch")
        if self._open_problem is not None:
            self.push_screen(MessageScreen(*self._open_problem, error=True))

    def _watch_terminal(self) -> None:
        """Exit (saving) when the terminal hung up without a SIGHUP reaching us, or the parent process is
        gone: otherwise Textual's input thread keeps reading end-of-file, at a high CPU cost, behind
        whatever dialog is open, for nobody."""
        gone = os.getppid() != self._parent_pid
        if not gone and self._watch_tty:
            try:
                termios.tcgetattr(sys.__stdin__.fileno() if sys.__stdin__ else 0)
            except (termios.error, OSError, ValueError):
                gone = True
        if gone:
            self.save_and_exit(signal.SIGHUP)

    _watch_tty = False

    def save_and_exit(self, sig: int | None = None) -> None:
        """Signal handler: save, release the lock, exit."""
        self.close_session()
        self.exit(return_code=128 + sig if sig else 0)

    def close_session(self) -> None:
        session = self.session
        if session is None:
            return
        wizard = self.wizard
        if wizard is not None:
            with contextlib.suppress(Exception):
                wizard.leave_question()
            with contextlib.suppress(Exception):
                wizard.flush_pending()
            with contextlib.suppress(Exception):
                wizard.stop_background()
        try:
            session.close()
            self.closed_saved = session.path  # the answers of the last session were saved and unlocked
        except (RiskwizardError, OSError) as exc:
            self.last_close_error = str(exc)
        self.session = None
        gc.unfreeze()  # what _adopt froze may be collected again once the session is closed

    async def action_quit(self) -> None:
        self.close_session()
        self.exit()

    @property
    def wizard(self) -> WizardScreen | None:
        """The wizard of the open session (a wizard left under other screens may have a closed one)."""
        return next((s for s in reversed(self.screen_stack)
                     if isinstance(s, WizardScreen) and not s.session.closed), None)

    # ------------------------------------------------------------------ opening files

    def _open_session(self, path: Path) -> Session | tuple[str, str]:
        """A locked, loaded session, or (title, message) saying why not."""
        try:
            return Session.open(path, self.search_dirs)
        except LockedError as exc:
            return ("This file is open in another riskwizard",
                    f"{exc.message}.\n\nTo avoid losing answers, only one riskwizard may edit a file at a time; "
                    f"nothing was written.\nFix: {exc.fix}.")
        except RiskwizardError as exc:  # includes ErrorGroup: every problem with its line
            return ("Cannot open this file", str(exc))
        except OSError as exc:
            return ("Cannot open this file", f"{path}: {exc.strerror or exc}")

    def _adopt(self, session: Session) -> None:
        self.session = session
        # What is loaded now (modules, questionnaires, answers) lives as long as the session. Moving
        # it out of the collector's generations keeps full collections from walking it again and
        # again while Textual builds the screen (first frame about 15% faster in a fresh process).
        gc.freeze()
        # The list of recent files is written once the wizard is drawn, not before: writing it (and syncing
        # it to disk) is no part of what the first screen needs (start-up, #14 item 7).
        self.call_after_refresh(add_recent, session.path, session.title, now_iso())

    def open_path(self, path: Path) -> None:
        """Open (lock, load) an answers file and show it; on failure explain and stay."""
        path = Path(path)
        current = self.session
        if current is not None and current.path.resolve() == path.resolve():
            return
        opened = self._open_session(path)
        if not isinstance(opened, Session):
            self._refuse(*opened)
            return
        self.close_session()
        self._adopt(opened)
        self.call_later(self._show_wizard, opened)

    async def _show_wizard(self, session: Session) -> None:
        await self._replace_all(WizardScreen(session))

    async def _replace_all(self, screen: Screen[Any]) -> None:
        """Show ``screen`` above the first screen only.

        The first screen (see ``get_default_screen``) cannot be replaced: Textual's ``switch_screen``
        fails on it. It stays underneath, out of use; a wizard there has a closed session, and
        ``wizard`` looks from the top.
        """
        with self.batch_update():  # the first screen shows through between pop and push: not drawn
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            await self.push_screen(screen)
        first = self.screen_stack[0]
        if isinstance(first, WizardScreen) and first is not screen and first.session.closed and first.children:
            await first.retire()

    def _refuse(self, title: str, body: str) -> None:
        from .screens.start import StartScreen

        if not any(isinstance(s, WizardScreen | StartScreen) for s in self.screen_stack):
            self.push_screen(StartScreen(self.search_dirs))
        self.push_screen(MessageScreen(title, body, error=True))

    async def show_start(self) -> None:
        from .screens.start import StartScreen

        self.close_session()
        await self._replace_all(StartScreen(self.search_dirs))

    # ------------------------------------------------------------------ commands

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        wizard = self.wizard
        if wizard is not None and self.session is not None:
            yield SystemCommand("Export report", "Review the answers and export PDF, HTML, Markdown, LaTeX or JSON",
                                wizard.action_review)
            yield SystemCommand("Review answers", "List every answer", wizard.action_review)
            yield SystemCommand("Calculator: false positives and negatives",
                                "Expected errors and harm for a population", wizard.action_calculator)
            yield SystemCommand("Find question", "Search the questions by words", wizard.action_search)
            for spec in self.session.specs:
                yield SystemCommand(f"Switch questionnaire: {spec.model.title}", f"Go to {spec.id}",
                                    lambda s=spec.id: self._switch(s))
            yield SystemCommand("Save now", "Write the answers file (it is also saved after every change)",
                                wizard.flush_pending)
            state = "on" if self.auto_advance else "off"
            yield SystemCommand(f"Auto-advance after a single choice (now {state}; F3)",
                                "Picking an option with its number, space or a click also moves to the next question",
                                wizard.action_toggle_auto_advance)
            yield SystemCommand("What would change the tier (F2)", "Every answer change that moves the tier, "
                                "most relevant first", wizard.action_what_if)
            yield SystemCommand("Keys (F1)", "Every key of the wizard", wizard.action_help)
        else:
            from .screens.calculator import CalculatorScreen

            yield SystemCommand("Calculator: false positives and negatives",
                                "Expected errors and harm for a population",
                                lambda: self.push_screen(CalculatorScreen(None)))
        yield SystemCommand("Open answers file", "Open another assessment", self.action_open)
        yield SystemCommand("Start screen", "New assessment, recent files, samples",
                            lambda: self.run_worker(self.show_start()))
        yield SystemCommand("Toggle dark mode", "Switch between the dark and the light theme", self.action_toggle_dark)
        yield from super().get_system_commands(screen)

    def _switch(self, spec_id: str) -> None:
        wizard = self.wizard
        if wizard is not None:
            self.run_worker(self._switch_to(wizard, spec_id))

    async def _switch_to(self, wizard: WizardScreen, spec_id: str) -> None:
        while self.screen is not wizard and len(self.screen_stack) > 1:
            await self.pop_screen()
        await wizard.jump_to(spec_id)

    def toggle_auto_advance(self) -> bool:
        """Turn "move on after a single choice" on or off (remembered for the next start); returns it."""
        self.auto_advance = not self.auto_advance
        save_setting("auto_advance", self.auto_advance)
        return self.auto_advance

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_open(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.open_path(path)

        self.push_screen(OpenScreen(), chosen)


INTERNAL_ERROR = 70  # the CLI's exit code for a bug (see riskwizard.cli.main)
APP_CRASHED = 1  # Textual's return code after an exception inside the app (it prints the traceback itself)


def run(path: Path | None, search_dirs: list[Path]) -> None:
    """Entry point used by the CLI: run the app; whatever happens, save and release the lock.

    An exception inside the app ends Textual's loop with return code 1 and no exception out of
    ``App.run``: that is a bug, so the process exits 70 like any internal error of the CLI (it used to
    exit 0, which told scripts that all was well)."""
    app = RiskwizardApp(path, search_dirs, install_signals=True)
    try:
        app.run()
    finally:
        app.close_session()
        gc.enable()
    code = app.return_code
    if code == APP_CRASHED:
        error = getattr(app, "_exception", None)
        what = f"{type(error).__name__}: {error}" if error is not None else "the wizard stopped on an error"
        closed = getattr(app, "closed_saved", None)
        saved = f" The answers in {closed} were saved." if closed is not None else ""
        sys.stderr.write(clean_lines(f"internal error in the wizard: {what}.{saved}\n  please report this "
                                     "(the traceback is above).") + "\n")
        raise SystemExit(INTERNAL_ERROR)
    if code and code >= 128:
        raise SystemExit(code)


def _stdin_is_terminal() -> bool:
    try:
        return bool(sys.__stdin__) and os.isatty(sys.__stdin__.fileno())  # type: ignore[union-attr]
    except (OSError, ValueError):
        return False
