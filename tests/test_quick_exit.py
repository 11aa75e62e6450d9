"""The command's quick exit (riskwizard/launch.py): same exit codes and output, exit functions run, threads
waited for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "cv-screening.yaml"


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "riskwizard", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_exit_functions_run_and_output_is_flushed() -> None:
    done = run(code="import atexit, sys\n"
                    "atexit.register(lambda: print('exit function ran', flush=True))\n"
                    "sys.argv = ['riskwizard', 'list']\n"
                    "from riskwizard.launch import main\n"
                    "main()\n")
    assert done.returncode == 0, done.stderr
    assert "eu-ai-act" in done.stdout
    assert done.stdout.rstrip().endswith("exit function ran")


def test_a_running_thread_is_waited_for() -> None:
    done = run(code="import sys, threading, time\n"
                    "def late():\n"
                    "    time.sleep(0.5)\n"
                    "    print('thread finished', flush=True)\n"
                    "threading.Thread(target=late).start()\n"
                    "sys.argv = ['riskwizard', 'list']\n"
                    "from riskwizard.launch import main\n"
                    "main()\n")
    assert done.returncode == 0, done.stderr
    assert "thread finished" in done.stdout


def test_exit_codes_are_kept(tmp_path: Path) -> None:
    assert run("list").returncode == 0
    assert run("validate", str(tmp_path / "missing.yaml")).returncode == 2
    assert run("no-such-command").returncode == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\n", encoding="utf-8")
    done = run("validate", str(bad))
    assert done.returncode == 1 and "bad.yaml" in done.stderr


def test_a_report_on_standard_output_is_complete(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert run("export", str(SAMPLE), "-f", "md", "-o", str(out)).returncode == 0
    piped = subprocess.run([sys.executable, "-m", "riskwizard", "export", str(SAMPLE), "-f", "md", "-o", "-"],
                           capture_output=True, cwd=ROOT, timeout=120)
    assert piped.returncode == 0
    assert piped.stdout == out.read_bytes() and len(piped.stdout) > 10_000


def test_a_written_pdf_is_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    done = run("export", str(SAMPLE), "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left beside it
