"""Every file in fixtures/invalid/ must fail to load with the message and line in its first comment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskwizard.errors import RiskwizardError
from riskwizard.loader import load_questionnaire

INVALID = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(INVALID.glob("*.yaml"))


def _expectation(path: Path) -> tuple[int, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    match = re.match(r"# expect: (\d+): (.+)$", first)
    assert match, f"{path.name} needs a first line '# expect: LINE: message'"
    return int(match.group(1)), match.group(2)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_invalid_file_reports_message_and_line(path: Path) -> None:
    line, message = _expectation(path)
    with pytest.raises(RiskwizardError) as info:
        load_questionnaire(path)
    text = str(info.value)
    assert message in text
    assert f"{path.name}:{line}:" in text, text
    assert "fix:" in text
    assert "Traceback" not in text


def test_folder_has_enough_cases() -> None:
    assert len(CASES) >= 20
