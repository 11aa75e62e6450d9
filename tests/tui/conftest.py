"""Fixtures for the TUI tests: answers files made the way `riskwizard new` makes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import make_answers


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recent-files list in a temporary folder; work in tmp_path so shown paths are short."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def answers_path(tmp_path: Path) -> Path:
    return make_answers(tmp_path)
