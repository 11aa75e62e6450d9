"""A wizard whose terminal or parent went away exits promptly, saving, from behind any dialog: real
processes on real pseudo-terminals (no mocks)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from riskwizard.answers import load_answers

APP = "import sys; from pathlib import Path; from riskwizard.tui.app import run; run(Path(sys.argv[1]), [])"
F1 = b"\x1bOP"  # opens the help dialog


def drain(fd: int) -> None:
    while True:
        try:
            if not select.select([fd], [], [], 0)[0] or not os.read(fd, 65536):
                return
        except OSError:
            return


def wait(proc: subprocess.Popen, seconds: float, fd: int | None = None) -> float | None:
    """Seconds until ``proc`` ended, or None if it is still running after ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if proc.poll() is not None:
            return time.monotonic() - start
        if fd is not None:
            drain(fd)
        time.sleep(0.05)
    return None


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def start(path: Path, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """The wizard on a new pseudo-terminal that is not its controlling terminal (so hanging it up sends
    no SIGHUP: the case where only end-of-file tells the app its terminal is gone)."""
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", APP, str(path)], stdin=child, stdout=child, stderr=child,
                            env=env, start_new_session=True, close_fds=True)
    os.close(child)
    lock = path.parent / f".{path.name}.lock"
    deadline = time.monotonic() + 30
    while not lock.exists() and time.monotonic() < deadline:
        drain(main)
        time.sleep(0.05)
    assert lock.exists(), "the app did not start"
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        drain(main)
        time.sleep(0.05)
    os.write(main, F1)
    end = time.monotonic() + 0.8
    while time.monotonic() < end:
        drain(main)
        time.sleep(0.05)
    return proc, main


def environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_sigterm_behind_a_dialog_saves_and_exits(answers_path: Path, tmp_path: Path) -> None:
    proc, main = start(answers_path, environment(tmp_path))
    try:
        proc.send_signal(signal.SIGTERM)
        took = wait(proc, 10, main)
        assert took is not None and took < 5, "SIGTERM was not honoured"
        assert proc.returncode == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    assert not (answers_path.parent / f".{answers_path.name}.lock").exists()
    load_answers(answers_path)  # readable


def test_a_terminal_that_went_away_ends_the_wizard_without_spinning(answers_path: Path, tmp_path: Path) -> None:
    proc, main = start(answers_path, environment(tmp_path))
    try:
        os.close(main)  # the terminal window closes; no SIGHUP reaches the app
        before = cpu_ticks(proc.pid) if proc.poll() is None else 0
        took = wait(proc, 10)
        if took is None:
            spent = cpu_ticks(proc.pid) - before
            raise AssertionError(f"still running 10 s after the terminal went away ({spent} CPU ticks)")
        assert took < 5 and proc.returncode == 128 + signal.SIGHUP
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not (answers_path.parent / f".{answers_path.name}.lock").exists()
    load_answers(answers_path)


def test_a_wizard_whose_parent_was_killed_exits(answers_path: Path, tmp_path: Path) -> None:
    """A parent process (like a shell) starts the wizard on a terminal that stays open, and is killed."""
    main, child = pty.openpty()
    parent_code = ("import subprocess, sys, time; "
                   f"p = subprocess.Popen([sys.executable, '-c', {APP!r}, sys.argv[1]], stdin=0, stdout=1, stderr=2); "
                   "open(sys.argv[2], 'w').write(str(p.pid)); time.sleep(600)")
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", parent_code, str(answers_path), str(pid_file)],
                              stdin=child, stdout=child, stderr=child, env=environment(tmp_path),
                              start_new_session=True, close_fds=True)
    os.close(child)
    lock = answers_path.parent / f".{answers_path.name}.lock"
    try:
        deadline = time.monotonic() + 30
        while not (lock.exists() and pid_file.exists()) and time.monotonic() < deadline:
            drain(main)
            time.sleep(0.05)
        assert lock.exists(), "the app did not start"
        wizard_pid = int(pid_file.read_text())
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            drain(main)
            time.sleep(0.05)
        parent.kill()
        parent.wait()
        start_wait = time.monotonic()
        while time.monotonic() - start_wait < 10 and lock.exists():
            drain(main)  # the terminal stays open and is read
            time.sleep(0.05)
        assert not lock.exists(), "the wizard kept running after its parent was killed"
        assert time.monotonic() - start_wait < 5
        end = time.monotonic() + 5
        while time.monotonic() < end and _running(wizard_pid):
            drain(main)
            time.sleep(0.05)
        assert not _running(wizard_pid)
    finally:
        if parent.poll() is None:
            parent.kill()
        os.close(main)
    load_answers(answers_path)


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
