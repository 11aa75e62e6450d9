"""A bug inside the running wizard ends the process with exit code 70 (an internal error), not 0, and the
answers are saved: a real process on a real pseudo-terminal. The fault is one injected exception in a key
handler (a stand-in for any bug); everything around it is the real CLI and app."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from riskwizard.answers import load_answers

from .test_lifecycle import F1, drain, environment

CRASHING = """
import sys
from riskwizard.cli import main
from riskwizard.tui.screens.wizard import WizardScreen

def broken(self):
    raise RuntimeError("injected bug in the help key")

WizardScreen.action_help = broken
main(sys.argv[1:])
"""


def test_an_exception_inside_the_app_exits_70_and_saves(answers_path: Path, tmp_path: Path) -> None:
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", CRASHING, str(answers_path)], stdin=child, stdout=child,
                            stderr=child, env=environment(tmp_path), start_new_session=True, close_fds=True)
    os.close(child)
    output = b""
    try:
        lock = answers_path.parent / f".{answers_path.name}.lock"
        deadline = time.monotonic() + 30
        while not lock.exists() and time.monotonic() < deadline:
            drain(main)
            time.sleep(0.05)
        assert lock.exists(), "the app did not start"
        time.sleep(1.0)
        drain(main)
        os.write(main, F1)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            if select.select([main], [], [], 0.05)[0]:
                try:
                    chunk = os.read(main, 65536)
                except OSError:
                    chunk = b""
                output += chunk
                if not chunk and proc.poll() is not None:
                    break
            elif proc.poll() is not None:
                break
        assert proc.poll() is not None, "the app did not end after the exception"
        assert proc.returncode == 70, (proc.returncode, output[-2000:])
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    text = output.decode("utf-8", "replace")
    assert "injected bug in the help key" in text
    assert "internal error in the wizard: RuntimeError" in text
    assert not (answers_path.parent / f".{answers_path.name}.lock").exists()
    load_answers(answers_path)  # still readable
