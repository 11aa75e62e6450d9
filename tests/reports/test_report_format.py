"""The JSON report validates against its published schema; answers reach reports through one accessor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskwizard.answers import Answer
from riskwizard.assessment import open_assessment
from riskwizard.cli import cli
from riskwizard.reports import render
from riskwizard.reports.model import build_model
from riskwizard.reports.report_schema import Report
from riskwizard.reports.source import ReportAnswers

from .conftest import answers_files, case_id

CASES = answers_files()


@pytest.mark.parametrize("answers", CASES, ids=[case_id(p) for p in CASES])
def test_every_json_report_validates_against_the_schema(answers: Path) -> None:
    a = open_assessment(answers, strict=False)
    for appendix in ("compact", "full"):
        data = json.loads(render(a.doc, a.specs, "json", appendix=appendix))
        Report.model_validate(data)  # extra keys are errors: the schema lists every field
        assert data["appendix"] == appendix


def test_schema_rejects_an_unknown_key() -> None:
    a = open_assessment(CASES[0], strict=False)
    data = json.loads(render(a.doc, a.specs, "json"))
    data["summary"]["surprise"] = 1
    with pytest.raises(ValueError, match="surprise"):
        Report.model_validate(data)


def test_cli_prints_the_report_schema() -> None:
    result = CliRunner().invoke(cli, ["schema", "--report"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["title"].startswith("riskwizard report")
    assert schema["additionalProperties"] is False
    a = open_assessment(CASES[0], strict=False)
    data = json.loads(render(a.doc, a.specs, "json"))
    assert set(schema["required"]) == set(data)
    both = CliRunner().invoke(cli, ["schema", "--report", "--answers"])
    assert both.exit_code == 2 and "at most one of" in both.output


class _Elsewhere(ReportAnswers):
    """Serves the answers of another document: the report must not notice where they live."""

    def __init__(self, doc, real) -> None:  # type: ignore[no-untyped-def]
        super().__init__(doc)
        self.real = real

    def of(self, questionnaire_id: str) -> dict[str, Answer]:
        return self.real.answers.get(questionnaire_id, {})

    def orphaned(self, questionnaire_id: str) -> dict:  # type: ignore[type-arg]
        return self.real.orphaned.get(questionnaire_id, {})


@pytest.mark.parametrize("answers", CASES, ids=[case_id(p) for p in CASES])
def test_reports_read_answers_only_through_the_accessor(answers: Path) -> None:
    a = open_assessment(answers, strict=False)
    result = a.evaluate()
    normal = build_model(a.doc, a.specs, result=result)
    hollow = a.doc.model_copy(update={"answers": {}, "orphaned": {}})
    moved = build_model(hollow, a.specs, result=result, source=_Elsewhere(hollow, a.doc))
    for model in (normal, moved):  # the decision fingerprint is of the document itself
        model["review"].pop("currency"), model["review"].pop("currency_note"), model["review"].pop("words")
        model["summary"].pop("decide")
    assert moved == normal
