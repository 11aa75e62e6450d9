"""LaTeX escaping and the NeurIPS checklist."""

from __future__ import annotations

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.reports import render
from riskwizard.reports.impact import CHECKLIST
from riskwizard.reports.latex import tex_escape

from .conftest import FIXTURES


@pytest.mark.parametrize(("raw", "escaped"), [
    ("50% & $5 #1", r"50\% \& \$5 \#1"),
    ("a_b^c~d", r"a\_b\textasciicircum{}c\textasciitilde{}d"),
    ("{x}", r"\{x\}"),
    ("C:\\path\\{id}", r"C:\textbackslash{}path\textbackslash{}\{id\}"),
    ("\\textbf{x}", r"\textbackslash{}textbf\{x\}"),
    ("\\input{/etc/passwd}", r"\textbackslash{}input\{/etc/passwd\}"),
    ("a < b > c | d", r"a \textless{} b \textgreater{} c \textbar{} d"),
    ("line one\nline two", "line one line two"),
    ("para one\n\npara two", "para one\n\npara two"),
    ("bell\x07 and \x1b[31m", "bell and [31m"),
    ("plain ünïcödé — ±", "plain ünïcödé — ±"),
])
def test_tex_escape(raw: str, escaped: str) -> None:
    assert tex_escape(raw) == escaped


def test_escape_leaves_no_active_characters() -> None:
    nasty = "\\{}$&#^_%~" * 3
    out = tex_escape(nasty)
    stripped = (out.replace(r"\textbackslash{}", "").replace(r"\textasciicircum{}", "")
                .replace(r"\textasciitilde{}", ""))
    for ch in "{}$&#_%":
        stripped = stripped.replace("\\" + ch, "")
    assert not any(ch in stripped for ch in "\\{}$&#^_%~"), stripped


def _tex(name: str) -> str:
    a = open_assessment(FIXTURES / name, strict=False)
    return render(a.doc, a.specs, "tex").decode("utf-8")


def test_checklist_answers_and_todos() -> None:
    tex = _tex("full.yaml")
    assert tex.count(r"\item[] Answer:") == len(CHECKLIST) == 16
    items = tex.split(r"\item {\bf ")[1:]
    assert len(items) == 16
    by_title = {it.split("}", 1)[0]: it for it in items}
    assert r"\answerYes{}" in by_title["Claims"]
    assert r"\answerNo{}" in by_title["Open access to data and code"]
    assert r"\answerNA{}" in by_title["Theory assumptions and proofs"]
    assert r"\answerTODO{}" in by_title["Experimental setting/details"]  # unanswered
    assert r"\justificationTODO{}" in by_title["Open access to data and code"]  # answered, no justification
    assert r"ethics committee (ref. EK\_2025\_117)" in by_title[
        "Institutional review board (IRB) approvals or equivalent for research with human subjects"]
    assert r"Appendix C \{compute\}" in by_title["Experiments compute resources"]
    assert "Question: Do the main claims made in the abstract" in by_title["Claims"]
    assert tex.count(r"\begin{enumerate}") == tex.count(r"\end{enumerate}") == 1


def test_statement_is_escaped_and_braces_balance() -> None:
    tex = _tex("full.yaml")
    assert r"50\% \& more for small clinics (\$5 per scan, \#1 concern)" in tex
    assert r"xray\_\{id\}.png and \textasciitilde{}user \textasciicircum{}caret" in tex
    body = tex.replace("\\{", "").replace("\\}", "")
    depth = 0
    for ch in body:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    for line in tex.splitlines():  # no unescaped % outside comment lines (a % would hide the rest)
        if not line.startswith("%"):
            assert "%" not in line.replace("\\%", "")


def test_benefits_harms_and_gaps_are_stated() -> None:
    tex = _tex("full.yaml")
    assert r"\paragraph{Benefits and harms.}" in tex and r"\paragraph{Who is affected.}" in tex
    assert "Left unanswered" in tex and "privacy considerations" in tex
    assert "don't know" in tex and "fairness considerations" in tex
    assert "480 kWh" in tex and "183 kg CO2eq" in tex


def test_all_unanswered_checklist_is_todo() -> None:
    tex = _tex("sparse.yaml")
    assert tex.count(r"\answerTODO{}") == 15 and tex.count(r"\answerYes{}") == 1
    assert "no foreseeable societal consequence" in tex


def test_checklist_questions_do_not_repeat_number_and_title() -> None:
    from riskwizard.answers import AnswersDoc
    from riskwizard.loader import find_questionnaire, samples_dir
    from riskwizard.reports.impact import checklist
    from riskwizard.reports.source import ReportAnswers

    spec = find_questionnaire("neurips-broader-impact", [])
    items = checklist(spec, ReportAnswers(AnswersDoc()))
    assert len(items) == 16
    for item in items:
        prompt = spec.question(item["id"]).prompt
        assert item["question"] and item["question"][0].isupper(), item["question"]
        assert not item["question"][0].isdigit()
        assert prompt.endswith(item["question"])  # only the "N. Title:" prefix is dropped
    assessment = open_assessment(samples_dir() / "llm-paper.yaml")
    tex = render(assessment.doc, assessment.specs, "tex").decode()
    assert "Question: 1." not in tex and "Question: Do the main claims" in tex
