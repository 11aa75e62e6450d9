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


@pytest.mark.parametrize("answers", FILES, ids=[case_id(p) for p in FILES])
def test_key_dates_shown_are_those_that_concern_the_system(answers: Path) -> None:
    """The summary's key dates are the engine's selection for these answers, after the report's date: a
    date of the law that does not concern the system (Annex I products for a system that is none, public
    authorities' legacy systems for one that is not high-risk) is not in its deadlines."""
    from riskwizard.engine import evaluate_assessment
    from riskwizard.reports.model import build_model

    a = open_assessment(answers, strict=False)
    model = build_model(a.doc, a.specs)
    result = evaluate_assessment(a.doc, a.specs)
    concern = {(k["date"], k["event"]) for r in result.results for k in r.key_dates}
    shown = {(k["date"], k["event"]) for k in model["summary"]["deadlines"]["key_dates"]}
    assert shown <= concern
    later = sorted(k for k in concern if not model["date"] or k[0] > model["date"])
    assert sorted(shown) == later[:len(shown)]  # the next ones, none skipped
    every = {(k.date, k.event) for s in a.specs for k in s.model.key_dates}
    text = render(a.doc, a.specs, "md").decode("utf-8")
    for date, event in every - concern:
        assert event not in text, f"{date}: {event!r} shown although it does not concern the system"
