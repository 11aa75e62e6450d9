from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The user's real state and cache, as they were before this suite changed the environment.
REAL_STATE = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "riskwizard"
REAL_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "riskwizard"

# Tests, the CLI runs they start and the wizards they drive keep their recent-files list and parse
# cache in temporary folders, never in the home folder. Set at import, before any test module is
# collected, so that nothing can compute the real paths first; children inherit the environment.
_PRIVATE = Path(tempfile.mkdtemp(prefix="rw-test-home-"))
os.environ["XDG_STATE_HOME"] = str(_PRIVATE / "state")
os.environ["XDG_CACHE_HOME"] = str(_PRIVATE / "cache")


SAMPLE = ROOT / "samples" / "cv-screening.yaml"


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A copy of the cv-screening sample (a complete answers file) as tmp_path/a.yaml."""
    import shutil

    path = tmp_path / "a.yaml"
    shutil.copy(SAMPLE, path)
    return path


@pytest.fixture
def mini_path() -> Path:
    return FIXTURES / "mini.yaml"


@pytest.fixture
def mini(mini_path: Path):
    from riskwizard.loader import load_questionnaire

    return load_questionnaire(mini_path)


@pytest.fixture(autouse=True, scope="session")
def _private_state(tmp_path_factory: pytest.TempPathFactory):
    """Each session (each xdist worker) gets its own state and cache folders below pytest's temp root."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    yield


def _session_root(session: pytest.Session) -> Path | None:
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return None
    base = factory.getbasetemp()
    return base.parent if base.name.startswith("popen-gw") else base


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if the user's real recent-files list names a file of this run's temp folders."""
    root = _session_root(session)
    recent = REAL_STATE / "recent.json"
    if root is None or not recent.is_file():
        return
    try:
        entries = json.loads(recent.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    ours = [e.get("path", "") for e in entries if isinstance(e, dict) and str(e.get("path", "")).startswith(str(root))]
    if ours:
        print(f"\nERROR: the test run wrote to the real {recent}: {ours}")
        session.exitstatus = 1
