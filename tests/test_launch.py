"""``riskwizard FILE`` opens the wizard without importing the CLI (start-up, #14 item 7), with the same
steps and the same error handling; everything else goes to the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskwizard import cli, launch, wizard_start
from riskwizard.loader import samples_dir


def test_the_launcher_knows_every_command() -> None:
    assert set(cli.cli.commands) | set(cli.LAZY_COMMANDS) == wizard_start.COMMANDS


def test_only_an_existing_answers_file_alone_skips_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("x: 1\n", encoding="utf-8")
    assert wizard_start.wizard_file([str(answers)]) == answers
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list").write_text("x: 1\n", encoding="utf-8")
    sample = next(samples_dir().glob("*.yaml"))
    for args in ([], ["list"], ["-Q", str(tmp_path), str(answers)], [str(answers), "extra"], ["--help"],
                 [str(tmp_path / "missing.yaml")], [str(tmp_path)], [str(sample)]):
        assert wizard_start.wizard_file(args) is None, args


RUN = """
import sys
from pathlib import Path
from riskwizard import launch
def fake(path, dirs):
    print("wizard", Path(path).name, dirs)
    if path.name.startswith("bad"):
        from riskwizard.errors import AnswersError
        raise AnswersError("cannot open it", None, "fix it")
launch.run_wizard = fake  # as launch.main calls it
sys.argv = ["riskwizard", sys.argv[1]]
def modules():  # an exit function: the command ends the process itself once they have run (launch.leave)
    print("click imported:", "click" in sys.modules, "cli imported:", "riskwizard.cli" in sys.modules, flush=True)
import atexit
atexit.register(modules)
launch.main()
"""


def run(arg: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RUN, arg], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(launch.__file__).parents[1])})


def test_riskwizard_file_does_not_import_the_cli(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("x: 1\n", encoding="utf-8")
    done = run(str(answers))
    assert done.returncode == 0, done.stderr
    assert "wizard a.yaml []" in done.stdout
    assert "click imported: False cli imported: False" in done.stdout


def test_a_problem_is_reported_by_the_clis_handler(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("x: 1\n", encoding="utf-8")
    done = run(str(bad))
    assert done.returncode == 2
    assert "cannot open it" in done.stderr and "fix it" in done.stderr
    assert "Traceback" not in done.stderr


def test_other_command_lines_go_to_the_cli(tmp_path: Path) -> None:
    done = run(str(tmp_path / "missing.yaml"))
    assert done.returncode == 2 and "no such file" in done.stderr
    assert "cli imported: True" in done.stdout


def test_the_wizard_without_a_terminal_is_refused_at_once(tmp_path: Path) -> None:
    """With input or output redirected, the wizard used to read end-of-file for ever at full CPU (and a
    SIGTERM, handled as save-and-exit, never got through); now it says what to run instead."""
    answers = tmp_path / "cv.yaml"
    answers.write_bytes((samples_dir() / "cv-screening.yaml").read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    for args in ([str(answers)], ["open", str(answers)], [], ["open", "--sample", "cv-screening"]):
        done = subprocess.run([sys.executable, "-m", "riskwizard", *args], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
        assert done.returncode == 2, (args, done.stderr)
        assert "the wizard needs a terminal, and its standard input is not a terminal" in done.stderr
        assert "riskwizard score" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cv.yaml"]  # no sample copy nobody could open


def test_another_textual_driver_brings_its_own_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")  # as riskwizard serve runs it
    assert wizard_start.terminal_problem() is None
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.linux_driver:LinuxDriver")  # a terminal driver: checked
    assert wizard_start.terminal_problem() is not None
    monkeypatch.delenv("TEXTUAL_DRIVER")
    assert wizard_start.terminal_problem() is not None  # pytest's standard input is not a terminal
