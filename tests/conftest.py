from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def mini_path() -> Path:
    return FIXTURES / "mini.yaml"


@pytest.fixture
def mini(mini_path: Path):
    from riskwizard.loader import load_questionnaire

    return load_questionnaire(mini_path)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Tests (and the CLI runs they start) keep the parsed-questionnaire cache out of the home folder."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
