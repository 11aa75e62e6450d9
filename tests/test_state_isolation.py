"""Class 12: tests never touch the user's real recent-files list or parse cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REAL_CACHE, REAL_STATE

from riskwizard import yamlcache
from riskwizard.tui.recent import add_recent, load_recent, recent_path


def _snapshot(path: Path) -> tuple[int, int, bytes] | None:
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size, path.read_bytes()
    except OSError:
        return None


def test_state_and_cache_live_in_temporary_folders() -> None:
    home = Path.home().resolve()
    for path in (recent_path(), yamlcache.cache_dir()):
        assert not path.resolve().is_relative_to(home), path
    assert recent_path().parent != REAL_STATE and yamlcache.cache_dir().parent != REAL_CACHE


def test_adding_a_recent_file_leaves_the_real_list_alone(tmp_path: Path) -> None:
    real = REAL_STATE / "recent.json"
    before = _snapshot(real)
    answers = tmp_path / "a.yaml"
    answers.write_text("x", encoding="utf-8")
    add_recent(answers, "A test", "2026-01-01T00:00:00Z")
    assert load_recent()[0]["path"] == str(answers.resolve())  # it went to the private list
    assert _snapshot(real) == before


def test_cli_children_use_the_private_folders_too(tmp_path: Path) -> None:
    """A CLI run started by a test inherits the private cache (the parse cache fills there)."""
    private = yamlcache.cache_dir()
    done = subprocess.run([sys.executable, "-m", "riskwizard", "list"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "RISKWIZARD_NO_CACHE": ""})
    assert done.returncode == 0, done.stderr
    assert private.is_dir() and any(private.glob("*.json")), "the child did not write the private cache"
