"""The full rule trace (``--appendix full``): every answer a rule's condition read is in its row, each
once; those with no answer (open, or not asked after earlier answers) are named together on one line
instead of one "(unanswered)" line each."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.reports import render
from riskwizard.views import UNANSWERED

from .conftest import answers_files, case_id

FILES = answers_files()
ROW = re.compile(r'<tr(?: class="sets-tier")?>\s*<td><span class="qid">([^<]+)</span>.*?</tr>', re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00a0", " ")


@pytest.mark.parametrize("answers", FILES, ids=[case_id(p) for p in FILES])
def test_each_rule_row_shows_what_its_condition_read(answers: Path) -> None:
    a = open_assessment(answers, strict=False)
    page = render(a.doc, a.specs, "html", appendix="full").decode("utf-8")
    rows: dict[str, list[str]] = {}
    for match in ROW.finditer(page):
        rows.setdefault(match.group(1), []).append(match.group(0))
    result = a.evaluate()
    grouped = 0
    for qr in result.results:
        for t in qr.trace:
            candidates = [r for r in rows.get(t.rule_id, []) if all(e.ref in r for e in t.evidence)]
            assert candidates, f"{qr.questionnaire_id}/{t.rule_id} has no row with its evidence"
            evidence_cell = candidates[0].rsplit("<td", 1)[1]
            blank = [e.ref for e in t.evidence if e.shown == UNANSWERED]
            for e in t.evidence:
                if e.shown != UNANSWERED:
                    assert f"{e.ref} = {e.shown}" in _text(evidence_cell), (t.rule_id, e.ref)
            if blank:
                line = re.search(r"<div><em>Not&nbsp;answered</em>.*?</div>", evidence_cell, re.S)
                assert line is not None, t.rule_id
                named = re.findall(r'<span class="qid">([^<]+)</span>', line.group(0))
                assert named == blank  # every one, in the condition's order, once
                grouped += 1
            assert f"= {UNANSWERED}" not in _text(evidence_cell)
    if answers.stem == "llm-paper":
        assert grouped > 0  # its Art 50 rules read many questions its answers leave unasked
