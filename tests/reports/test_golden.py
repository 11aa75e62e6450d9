"""Golden files for the text formats of every fixture and sample answers file.

Regenerate with RISKWIZARD_UPDATE_GOLDEN=1 after an intended change and review the diff. A missing
golden file fails: a new sample must be looked at before it is accepted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from riskwizard.answers import load_answers
from riskwizard.reports import export_file

from .conftest import GOLDEN, answers_files, case_id

FORMATS = ["html", "md", "tex", "json", "acl-checklist"]
CASES = [(p, fmt) for p in answers_files() for fmt in FORMATS]


@pytest.mark.parametrize(("answers", "fmt"), CASES, ids=[f"{case_id(p)}-{f}" for p, f in CASES])
def test_golden(answers: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    export_file(answers, fmt, out)
    data = out.read_bytes()
    _check_content(answers, fmt, data.decode("utf-8"))
    golden = GOLDEN / f"{case_id(answers)}.{fmt}"
    if os.environ.get("RISKWIZARD_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
        return
    assert golden.exists(), f"missing golden file {golden}; create it with RISKWIZARD_UPDATE_GOLDEN=1 and review it"
    expected = golden.read_bytes()
    if data != expected:
        pytest.fail(f"{fmt} output of {answers.name} differs from {golden.name}; if intended, regenerate with "
                    "RISKWIZARD_UPDATE_GOLDEN=1 and review the diff")


def _check_content(answers: Path, fmt: str, text: str) -> None:
    """Golden equality alone would accept an empty report: check real content too."""
    from riskwizard.assessment import open_assessment

    a = open_assessment(answers, strict=False)
    result = a.evaluate()
    doc, _ = load_answers(answers)
    tier = result.overall_tier
    ids = [s.id for s in a.specs]
    if fmt == "json":
        data = json.loads(text)
        assert data["format"] == "riskwizard-report/2"
        assert data["system"]["name"] == (doc.system.name or "Unnamed system")
        assert [q["id"] for q in data["questionnaires"]] == ids
        assert (data["overall"] or {}).get("title") == (tier.title if tier else None)
        assert len(data["provenance"]["answers_sha256"]) == 64
        return
    if fmt == "acl-checklist":
        if "acl-responsible-nlp" in ids:
            assert "\\section*{Responsible NLP Research Checklist}" in text
            assert text.count("\\item[") == 18 and text.count("\nAnswer: ") == 18 + 4
        else:
            assert "does not include the acl-responsible-nlp questionnaire" in text
        return
    if fmt == "tex":
        if "neurips-broader-impact" in ids:
            assert "\\section*{Broader impact}" in text
            assert text.count("\\item[] Answer:") == 16
        else:
            assert "does not include the neurips-broader-impact questionnaire" in text
        return
    if tier is not None:
        from riskwizard.reports.markdown import md

        needle = md(tier.title) if fmt == "md" else _html(tier.title)
        assert needle in text, f"tier {tier.title!r} not in the {fmt} report"
    assert ("Executive summary" in text) and ("Ethics committee review" in text)
    for spec in a.specs:
        assert spec.sha256 in text
    if fmt == "html":
        assert _html(doc.system.name or "Unnamed system") in text
        assert "<script" not in text.lower()


def _html(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
