"""The ``riskwizard`` command sets the garbage collector for a command; the wizard uses Python's own."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_command_and_python_m_go_through_launch() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["riskwizard"] == "riskwizard.launch:main"
    assert "from .launch import main" in (ROOT / "riskwizard" / "__main__.py").read_text(encoding="utf-8")


def test_a_command_collects_less_often_and_a_long_run_as_python_does() -> None:
    # the command ends the process itself (launch.leave) after running the exit functions: the figures are
    # printed by one of them, while the command's settings are still in force
    code = ("import atexit, gc, sys\n"
            "before = gc.get_threshold()\n"
            "from riskwizard import collector\n"
            "def report():\n"
            "    print('command', gc.get_threshold(), collector.COMMAND_THRESHOLD)\n"
            "    collector.for_a_long_run()\n"
            "    print('long', gc.get_threshold(), before, flush=True)\n"
            "atexit.register(report)\n"
            "sys.argv = ['riskwizard', '--version']\n"
            "from riskwizard.launch import main\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in done.stdout.splitlines()
             if line.startswith(("command ", "long "))}
    assert lines["command"] == "(50000, 50, 100) (50000, 50, 100)"
    first, second = lines["long"].split(") (")
    assert first + ")" == "(" + second and first.startswith("(700")
