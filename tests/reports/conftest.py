from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
SAMPLES = ROOT / "samples"
_FORMAT = re.compile(r"^format:\s*[\"']?riskwizard-answers/[12]\b", re.MULTILINE)


def answers_files() -> list[Path]:
    """Our fixtures plus every answers file in samples/ (the samples appear as they are written)."""
    found = sorted(FIXTURES.glob("*.yaml"))
    found += [p for p in sorted(SAMPLES.glob("*.yaml")) if _FORMAT.search(p.read_text(encoding="utf-8"))]
    return found


def case_id(path: Path) -> str:
    return ("fixture-" if path.parent == FIXTURES else "sample-") + path.stem


@pytest.fixture
def full_answers() -> Path:
    return FIXTURES / "full.yaml"


@pytest.fixture(scope="session")
def full_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[str]]:
    from riskwizard.reports import export_file

    out = tmp_path_factory.mktemp("pdf") / "full.pdf"
    report = export_file(FIXTURES / "full.yaml", "pdf", out)
    return out.read_bytes(), report.warnings
