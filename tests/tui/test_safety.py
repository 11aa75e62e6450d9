"""Markup in questionnaire and user text is shown literally; a locked file is refused; signals save."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import Input

from riskwizard.answers import AnswerStore, file_sha256, load_answers
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.screens.message import MessageScreen
from riskwizard.tui.screens.review import ReviewScreen
from riskwizard.tui.screens.row_editor import RowEditorScreen
from riskwizard.tui.screens.start import StartScreen
from riskwizard.tui.screens.wizard import WizardScreen

from .helpers import FIXTURES, make_answers, run_async, saved

SIZE = (100, 40)


def screen_text(app: RiskwizardApp) -> str:
    svg = app.export_screenshot()
    return svg.replace("&#160;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


@run_async
async def test_markup_in_questionnaire_text_is_literal(tmp_path: Path) -> None:
    path = make_answers(tmp_path, FIXTURES / "markup.yaml")
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        shown = screen_text(app)
        for literal in ("[bold]bold[/bold]", "[@click=app.quit]a", "[reverse]markup[/reverse]",
                        "[bold]Option A[/bold]", "Option [b]", "Art 5(1)[a] [/] and [b]"):
            assert literal in shown, literal
        await pilot.click("#prompt")  # a click on the would-be link must not quit
        await pilot.press("escape", "enter")  # back to the answer; pick "[bold]Option A[/bold]" and go on
        await pilot.pause()
        assert app.is_running
        assert saved(path)["markup-trap"]["trap"].value == "a"
        await pilot.press("space")
        await pilot.pause()
        assert saved(path)["markup-trap"]["trap_multi"].value == ["x"]
        await pilot.press("ctrl+n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RowEditorScreen)
        await pilot.press(*"[@click=app.quit]me[/]", "ctrl+s")
        await pilot.pause()
        assert "[@click=app.quit]me[/]" in screen_text(app)
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"[red]note[/red]")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        shown = screen_text(app)
        assert "[red]note[/red]" in shown and "Markup [bold]trap[/bold] questionnaire" in shown
        assert app.is_running


@run_async
async def test_second_instance_is_refused_and_writes_nothing(answers_path: Path) -> None:
    holder = AnswerStore(answers_path)
    holder.acquire()  # another riskwizard has the file open
    try:
        before = file_sha256(answers_path)
        app = RiskwizardApp(answers_path, [])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, MessageScreen)
            text = screen_text(app)
            assert "open in another riskwizard" in text and f"pid {os.getpid()}" in text
            await pilot.press("enter")
            assert isinstance(app.screen, StartScreen)
            assert app.session is None
            await pilot.press("ctrl+q")
        assert file_sha256(answers_path) == before
        assert holder.lock_path.exists()
    finally:
        holder.release()


def test_sigterm_saves_and_releases_the_lock(answers_path: Path) -> None:
    """A real process in a pseudo-terminal: SIGTERM saves (the position) and removes the lock."""
    code = ("import sys; from pathlib import Path; from riskwizard.tui.app import run; "
            "run(Path(sys.argv[1]), [])")
    main, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    proc = subprocess.Popen([sys.executable, "-c", code, str(answers_path)], stdin=child, stdout=child,
                            stderr=child, env=env, close_fds=True)
    os.close(child)
    lock = answers_path.parent / f".{answers_path.name}.lock"
    try:
        deadline = time.monotonic() + 20
        while not lock.exists() and time.monotonic() < deadline:
            _drain(main)
            time.sleep(0.05)
        assert lock.exists(), "the app did not start"
        _read_until(main, b"What kind of system", 30)  # the first question is on screen
        time.sleep(0.3)
        _drain(main)
        proc.send_signal(signal.SIGTERM)
        end = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < end:
            _drain(main)
            time.sleep(0.05)
        assert proc.returncode == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    assert not lock.exists()
    doc, _ = load_answers(answers_path)
    assert (doc.position.questionnaire, doc.position.question) == ("mini", "kind")


def _drain(fd: int) -> None:
    import select

    while select.select([fd], [], [], 0)[0]:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def _read_until(fd: int, text: bytes, seconds: float) -> None:
    """Read the terminal until ``text`` has been drawn (escape sequences removed)."""
    import re
    import select

    seen = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if text in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", seen):
                return
    raise AssertionError(f"{text!r} was not drawn within {seconds} s")
