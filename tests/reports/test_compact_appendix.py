"""The compact Appendix A: every applicable answer is accounted for, each shown once.

An answer is either listed (shortened), or counted as quoted in full in a body section (the broader
impact statement, the NeurIPS checklist, the model card), or, for a shared fact that an earlier
questionnaire of the report already shows, counted as given there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.reports import render
from riskwizard.reports.model import build_model

from .conftest import answers_files, case_id

FILES = answers_files()


def _model(path: Path) -> tuple[dict[str, Any], Any]:
    a = open_assessment(path, strict=False)
    return build_model(a.doc, a.specs), a


def _accounted(compact: list[dict[str, Any]]) -> int:
    return sum(sum(len(r["ids"]) for r in s["rows"]) + sum(q["count"] for q in s["quoted"])
               + sum(c["count"] for c in s["shared"]) for s in compact)


@pytest.mark.parametrize("answers", FILES, ids=[case_id(p) for p in FILES])
def test_every_visible_answer_is_accounted_for_once(answers: Path) -> None:
    model, _ = _model(answers)
    for q in model["questionnaires"]:
        items = [it for s in q["sections"] for it in s["items"] if it["visible"]]
        ids = {it["id"] for it in items}
        # a justification that follows its item is joined to it (or goes wherever its item goes)
        joined = sum(1 for it in items if it["id"].endswith("_just") and it["id"][:-5] in ids)
        listed = [i for s in q["compact"] for r in s["rows"] for i in r["ids"]]
        assert len(listed) == len(set(listed)), f"{q['id']}: an answer is listed twice"
        assert _accounted(q["compact"]) + joined == len(items), q["id"]


@pytest.mark.parametrize("answers", FILES, ids=[case_id(p) for p in FILES])
def test_shared_answers_point_to_where_the_answer_really_is(answers: Path) -> None:
    """A shared fact is listed once; every later copy points to the questionnaire that lists it, or,
    when its first copy is quoted whole by a body section, to that section."""
    model, a = _model(answers)
    specs = {s.id: s for s in a.specs}
    listed_in: dict[str, str] = {}  # fact -> title of the questionnaire whose Appendix A lists it
    quoted_in: dict[str, str] = {}  # fact -> section quoting its first copy
    for q in model["questionnaires"]:
        spec = specs[q["id"]]
        listed = {i for s in q["compact"] for r in s["rows"] for i in r["ids"]}
        shared_here: dict[str, int] = {}
        for s in q["compact"]:
            for c in s["shared"]:
                shared_here[c["questionnaire"]] = shared_here.get(c["questionnaire"], 0) + c["count"]
        pointing: dict[str, int] = {}
        for section in q["sections"]:
            for it in section["items"]:
                fact = spec.fact_of.get(it["id"])
                if fact is None or not it["visible"]:
                    continue
                here = q["quoted"].get(it["id"]) if it["status"] == "answered" else None
                if here and fact not in quoted_in:  # quoted whole right here: the note names the section
                    assert it["id"] not in listed
                    if fact not in listed_in:
                        quoted_in[fact] = here
                    continue
                if fact in listed_in:
                    assert it["id"] not in listed, f"{q['id']}.{it['id']}: shared fact listed again"
                    pointing[listed_in[fact]] = pointing.get(listed_in[fact], 0) + 1
                elif fact in quoted_in:
                    assert q["quoted"].get(it["id"]) == quoted_in[fact], f"{q['id']}.{it['id']}"
                elif it["id"] in listed:
                    listed_in[fact] = q["title"]
        assert shared_here == pointing, q["id"]


def test_llm_paper_checklist_and_shared_facts_are_not_repeated() -> None:
    path = Path(__file__).resolve().parents[2] / "samples" / "llm-paper.yaml"
    model, _ = _model(path)
    assert model["checklist_shown"]
    neurips = next(q for q in model["questionnaires"] if q["id"] == "neurips-broader-impact")
    checklist = next(s for s in neurips["compact"] if s["title"] == "NeurIPS paper checklist")
    answered = sum(1 for c in model["checklist"] if c["answer"] is not None)
    assert checklist["rows"] == []
    assert checklist["quoted"] == [{"section": model["numbers"]["checklist"], "count": answered}]
    ethics = next(q for q in model["questionnaires"] if q["id"] == "research-ethics")
    shared = {c["questionnaire"] for s in ethics["compact"] for c in s["shared"]}
    assert neurips["title"] in shared  # venue, accelerator, devices, hours, grid were answered there
    html = render(*_doc_specs(path), "html").decode("utf-8")
    assert f"{answered} answers quoted in full in section {model['numbers']['checklist']}." in html
    assert f"given under {neurips['title']} above." in html


def test_deployment_lists_the_checklist_answers_it_leaves_out_of_the_body(tmp_path: Path) -> None:
    path = Path(__file__).resolve().parents[2] / "samples" / "llm-paper.yaml"
    text = path.read_text(encoding="utf-8")
    stage = "  lifecycle_stage:\n    value: development\n"
    assert stage in text
    staged = tmp_path / "deployed.yaml"
    staged.write_text(text.replace(stage, stage.replace("development", "deployment")), encoding="utf-8")
    model, _ = _model(staged)
    assert not model["checklist_shown"]
    neurips = next(q for q in model["questionnaires"] if q["id"] == "neurips-broader-impact")
    checklist = next(s for s in neurips["compact"] if s["title"] == "NeurIPS paper checklist")
    assert checklist["quoted"] == []
    assert len(checklist["rows"]) >= 10


def _doc_specs(path: Path) -> tuple[Any, Any]:
    a = open_assessment(path, strict=False)
    return a.doc, a.specs


@pytest.mark.parametrize("answers", FILES, ids=[case_id(p) for p in FILES])
def test_every_row_of_a_table_answer_is_in_the_compact_appendix(answers: Path) -> None:
    model, _ = _model(answers)
    for q in model["questionnaires"]:
        tables = {it["id"]: it for s in q["sections"] for it in s["items"] if it["visible"] and it["rows"]}
        for s in q["compact"]:
            for row in s["rows"]:
                if row["ids"][0] in tables:
                    assert row["answer"].count("; ") >= len(tables[row["ids"][0]]["rows"]) - 1, row["id"]
                    for cells in tables[row["ids"][0]]["rows"]:
                        for cell in cells:  # each cell there, shortened at most to its first words
                            assert " ".join(cell.split())[:20].rsplit(" ", 1)[0] in row["answer"], cell
