"""kill -9 during autosave, SIGTERM/SIGHUP to the TUI on a pty, two instances, report leaks."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from faults import leak_check, parallel_kill_runs, tui_signal, two_instances


def test_kill_9_during_autosave_loses_nothing(tmp_path: Path) -> None:
    """30 SIGKILLs at random moments (tools/robustness.py does 100): every file readable after
    recovery, no acknowledged save lost, no temp file left, the lock is free for the next run."""
    stats = parallel_kill_runs(tmp_path, kills=30, workers=2, seed=1)
    assert stats.kills == 30
    assert stats.saves_acknowledged > 0
    assert not stats.bad, stats.problems


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_tui_saves_and_exits_on_signal(tmp_path: Path, sig: int) -> None:
    result = tui_signal(tmp_path, sig)
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.exit_ok, f"exit code {result.exit_code}, expected 0 or {128 + sig}: {result.detail}"
    assert result.readable and result.lock_released and not result.leftover_temps
    assert result.answers_before >= 1, "keystrokes did not record an answer (ctrl+t = don't know)"
    assert result.answers_after >= result.answers_before


def test_second_instance_is_told_and_writes_nothing(tmp_path: Path) -> None:
    result = two_instances(tmp_path)
    assert result.refused, result.message
    assert result.unchanged


def test_reports_leak_nothing(tmp_path: Path) -> None:
    result = leak_check(tmp_path)
    if not result.available:
        pytest.skip(result.reason)
    assert result.formats, result.errors
    assert result.canary_bytes == 0
    assert result.server_hits == 0
    assert not result.errors, result.errors
