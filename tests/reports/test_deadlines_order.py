"""The executive summary's deadlines read as a timeline: duties in force, then coming ones, by date."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.reports import render

from .conftest import answers_files, case_id

FILES = answers_files()


@pytest.mark.parametrize("answers", FILES, ids=[case_id(p) for p in FILES])
def test_deadline_rows_are_in_date_order(answers: Path) -> None:
    a = open_assessment(answers, strict=False)
    text = render(a.doc, a.specs, "md").decode("utf-8")
    section = text.split(" Deadlines\n", 1)[1].split("\n## ", 1)[0] if " Deadlines\n" in text else ""
    rows = re.findall(r"^\| (\d{1,2} \w+ \d{4}) \| (in force|coming) \|", section, re.MULTILINE)
    dates = [datetime.strptime(d, "%d %B %Y") for d, _status in rows]
    assert dates == sorted(dates), rows
    statuses = [s for _d, s in rows]
    assert statuses == sorted(statuses, key=lambda s: s != "in force")  # every duty in force before the coming
