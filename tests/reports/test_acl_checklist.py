"""The ACL Rolling Review Responsible NLP Research checklist: official ids and wording, the questionnaire's
prompts, and the LaTeX export (answers, gates, TODOs, warnings, shared facts, contradictions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskwizard.answers import Answer, dump_answers, new_doc
from riskwizard.engine import evaluate_assessment
from riskwizard.loader import find_questionnaire
from riskwizard.numbers import plain
from riskwizard.reports import export_file, render_with_warnings
from riskwizard.reports.acl_checklist import ACL, ITEMS, SECTIONS, emph_tex
from riskwizard.safefile import write_file

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_DOC = ROOT / "docs" / "acl-checklist-source.md"


def test_items_are_the_guidelines_page_verbatim() -> None:
    """The 18 items and 5 sections, in order, word for word as docs/acl-checklist-source.md quotes the page."""
    quoted = SOURCE_DOC.read_text(encoding="utf-8")
    items = re.findall(r"^\s+\*\*([A-E]\d)\. (.+?)\*\*$", quoted, re.MULTILINE)
    items = [(i, q) for i, q in items if not q.startswith(("Elaboration", "Section Or"))]
    assert [(i.id, i.question) for i in ITEMS] == items
    sections = re.findall(r"^\s+### ([A-E])\. (.+)$", quoted, re.MULTILINE)
    assert [(s.letter, s.question) for s in SECTIONS] == sections
    assert [i.id for i in ITEMS] == ["A1", "A2", "B1", "B2", "B3", "B4", "B5", "B6", "C1", "C2", "C3", "C4",
                                     "D1", "D2", "D3", "D4", "D5", "E1"]


def test_questionnaire_prompts_are_the_official_questions() -> None:
    spec = find_questionnaire(ACL)
    for item in ITEMS:
        assert spec.question(item.qid).prompt == f"{item.id}. {item.plain_question}"
        assert spec.question(f"{item.qid}_just").prompt == f"{item.id}. Section or justification"
        assert [o.value for o in spec.question(item.qid).options] == ["yes", "no", "na"]
    for section in SECTIONS[1:]:
        assert spec.question(section.qid).prompt == f"{section.letter}. {section.question.replace('*', '')}"


def test_emphasis_becomes_emph_and_spaces_stay() -> None:
    assert emph_tex("Did you describe the *limitations* of your work?") == (
        r"Did you describe the \emph{limitations} of your work?")
    assert emph_tex("a *b_c* 50%") == r"a \emph{b\_c} 50\%"


def _answers_file(tmp_path: Path, answers: dict, facts: dict | None = None, extra: dict | None = None) -> Path:
    qids = [ACL, *(extra or {})]
    doc = new_doc([find_questionnaire(q) for q in qids], system_name="Test paper")
    doc.answers[ACL] = {k: Answer(value=v) for k, v in answers.items()}
    for qid, given in (extra or {}).items():
        doc.answers[qid] = {k: Answer(value=v) for k, v in given.items()}
    for fid, v in (facts or {}).items():
        doc.facts[fid] = Answer(value=v)
    path = tmp_path / "answers.yaml"
    write_file(path, dump_answers(doc).encode("utf-8"))
    return path


def _export(tmp_path: Path, answers: dict, facts: dict | None = None, extra: dict | None = None) -> tuple[str, list]:
    path = _answers_file(tmp_path, answers, facts, extra)
    report = export_file(path, "acl-checklist", tmp_path / "out.tex")
    return (tmp_path / "out.tex").read_text(encoding="utf-8"), report.warnings


def _item(tex: str, item_id: str) -> str:
    """The lines of one item, up to the next item or the end of its list."""
    start = tex.index(f"\\item[{item_id}.]")
    end = min(i for i in (tex.find("\\item[", start + 1), tex.find("\\end{description}", start)) if i > 0)
    return tex[start:end]


def test_a_section_answered_no_makes_its_items_not_applicable(tmp_path: Path) -> None:
    tex, warnings = _export(tmp_path, {"acl_a1": "yes", "acl_a1_just": "Section 7", "acl_b": "no", "acl_c": "no",
                                       "acl_d": "no", "acl_e": "no", "acl_a2": "no",
                                       "acl_a2_just": "A theory paper with no application in sight."})
    for item in ITEMS[2:]:
        block = _item(tex, item.id)
        assert "Answer: \\aclanswer{N/A}" in block
        assert f"Not applicable: the answer to {item.section} is No." in block
    assert "Answer: \\aclanswer{No}\\\\\nSection or justification: A theory paper" in _item(tex, "A2")
    assert tex.count("Answer: \\aclanswer{No}\n") == 4  # the four section questions
    assert "TODO{}" not in tex.split("\\section*")[1]
    assert warnings == []


def test_unanswered_items_print_todo_and_yes_without_section_warns(tmp_path: Path) -> None:
    tex, warnings = _export(tmp_path, {"acl_a1": "yes", "acl_a1_just": "We discuss it at the end.",
                                       "acl_a2": "no", "acl_b": "yes", "acl_b1": "yes",
                                       "acl_b1_just": "sec:data cites all creators"})
    assert "Answer: \\aclanswerTODO{}" in _item(tex, "B2")  # unanswered item of a Yes section
    assert "Answer: \\aclanswerTODO{}\n" in tex  # section C unanswered
    assert "Section~\\ref{sec:data} cites all creators" in _item(tex, "B1")
    assert any("A1 is answered Yes, but its justification names no section" in w for w in warnings)
    assert any("A2 is answered No without a section or justification" in w for w in warnings)
    assert not any("B1" in w for w in warnings)  # a LaTeX label points to the paper


def test_a_bare_section_number_counts_as_a_pointer(tmp_path: Path) -> None:
    _, warnings = _export(tmp_path, {"acl_a1": "yes", "acl_a1_just": "7.2", "acl_a2": "yes", "acl_a2_just": "§8"})
    assert warnings == []


def test_hostile_justification_is_escaped(tmp_path: Path) -> None:
    tex, _ = _export(tmp_path, {"acl_a1": "yes", "acl_a1_just": r"Section 7 \input{/etc/passwd} 100% & $x$ #1"})
    block = _item(tex, "A1")
    assert r"\textbackslash{}input\{/etc/passwd\} 100\% \& \$x\$ \#1" in block
    assert "\\input{" not in block


def test_c1_carries_the_device_hours_the_engine_computed(tmp_path: Path) -> None:
    facts = {"accelerator": "a100_sxm4", "accelerator_count": 128, "accelerator_hours": 312.5}
    path = _answers_file(tmp_path, {"acl_c": "yes"}, facts)
    tex, _ = _export(tmp_path, {"acl_c": "yes"}, facts)
    from riskwizard.assessment import open_assessment

    a = open_assessment(path, strict=False)
    derived = evaluate_assessment(a.doc, a.specs).result(ACL).derived
    assert derived["budget.device_hours"] == 40000
    assert (f"% riskwizard: the compute answers give {plain(derived['budget.device_hours'])} device-hours in total "
            f"({plain(derived['budget.gpu_count'])} devices x {plain(derived['budget.hours_per_gpu'])} hours each)"
            ) in _item(tex, "C1")
    assert "40,000 device-hours" in tex and "(128 devices x 312.5 hours each)" in tex


def test_no_budget_without_both_compute_answers(tmp_path: Path) -> None:
    tex, _ = _export(tmp_path, {"acl_c": "yes"}, {"accelerator": "t4", "accelerator_hours": 10})
    assert "device-hours" not in tex


def test_contradictions_with_other_questionnaires_are_listed(tmp_path: Path) -> None:
    tex, _ = _export(tmp_path, {"acl_d": "no"}, extra={"research-ethics": {"annotators": "crowdworkers"}})
    assert "% riskwizard: 1 contradiction(s) with other answers" in tex
    assert "research ethics names hired, crowd or volunteer annotators" in tex


def test_findings_from_shared_facts(tmp_path: Path) -> None:
    path = _answers_file(tmp_path, {"acl_b": "no", "acl_b4": "na"}, {"release_type": ["weights_open"],
                                                                    "personal_data": "yes"})
    from riskwizard.assessment import open_assessment

    a = open_assessment(path, strict=False)
    r = evaluate_assessment(a.doc, a.specs).result(ACL)
    shown = {f.rule_id for f in r.findings}
    assert "artifacts_released_but_b_no" in shown
    assert "personal_data_b4_na" not in shown  # B4 is hidden while B is No: a hidden answer never counts
    assert r.tier.id == "not_ready"


def test_without_the_questionnaire_the_export_says_so(tmp_path: Path) -> None:
    doc = new_doc([find_questionnaire("harms")], system_name="No paper")
    path = tmp_path / "a.yaml"
    write_file(path, dump_answers(doc).encode("utf-8"))
    export_file(path, "acl-checklist", tmp_path / "o.tex")
    text = (tmp_path / "o.tex").read_text(encoding="utf-8")
    assert "does not include the acl-responsible-nlp questionnaire" in text and "\\section" not in text


@pytest.mark.parametrize("fmt", ["acl-checklist"])
def test_render_is_deterministic(fmt: str, tmp_path: Path) -> None:
    path = _answers_file(tmp_path, {"acl_a1": "yes", "acl_a1_just": "Section 7"})
    from riskwizard.assessment import open_assessment

    a = open_assessment(path, strict=False)
    assert render_with_warnings(a.doc, a.specs, fmt) == render_with_warnings(a.doc, a.specs, fmt)
