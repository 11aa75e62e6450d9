"""LaTeX escaping and the NeurIPS checklist."""

from __future__ import annotations

import re

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


def _body(tex: str) -> str:
    """The LaTeX without its comment lines (the guidelines are kept as comments)."""
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in tex.splitlines() if not line.lstrip().startswith("%"))


def test_checklist_answers_and_todos() -> None:
    tex = _body(_tex("full.yaml"))
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
        if not line.lstrip().startswith("%") and "% Replace by" not in line:
            assert "%" not in line.replace("\\%", "")


def test_benefits_harms_and_gaps_are_stated() -> None:
    tex = _tex("full.yaml")
    assert r"\paragraph{Benefits and harms.}" in tex and r"\paragraph{Who is affected.}" in tex
    assert "Left unanswered" in tex and "privacy considerations" in tex
    assert "don't know" in tex and "fairness considerations" in tex
    assert "480 kWh" in tex and "183 kg CO2eq" in tex


def test_all_unanswered_checklist_is_todo() -> None:
    tex = _body(_tex("sparse.yaml"))
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


# --------------------------------------------------------------------------- the official checklist


def test_questions_titles_and_guidelines_are_the_templates() -> None:
    from riskwizard.reports.neurips_checklist import ITEMS

    tex = _tex("full.yaml")
    assert len(ITEMS) == 16
    comments = {line.lstrip()[1:].strip() for line in tex.splitlines() if line.lstrip().startswith("%")}
    for item in ITEMS:
        assert f"\\item {{\\bf {item.title}}}\n    \\item[] Question: {item.question}\n" in tex
        for line in item.guidelines:
            assert line in comments  # kept, as comments
    assert r"\item[] Guidelines:" not in _body(tex)
    by_title = {it.split("}", 1)[0]: it for it in tex.split(r"\item {\bf ")[1:]}
    # the rewordings of issue 15 are gone: the template's words are used
    assert ("fully disclose all the information needed to reproduce the main experimental results of the paper to "
            "the extent that it affects the main claims and/or conclusions") in by_title[
        "Experimental result reproducibility"]
    assert "limitations of the work performed by the authors?" in by_title["Limitations"]
    assert r"NeurIPS Code of Ethics \url{https://neurips.cc/public/EthicsGuidelines}?" in by_title["Code of ethics"]


def test_macros_print_what_the_style_prints() -> None:
    tex = _tex("sparse.yaml")
    assert r"\providecommand{\answerNA}[1][]{\textcolor{gray}{[N/A]#1}}" in tex
    assert "[NA]" not in tex
    todo = [line for line in tex.splitlines() if r"\answerTODO{}" in line and "Answer:" in line]
    assert len(todo) == 15
    assert all(line.endswith(r"% Replace by \answerYes{}, \answerNo{}, or \answerNA{}.") for line in todo)


def test_questionnaire_prompts_use_the_official_wording() -> None:
    from riskwizard.loader import find_questionnaire
    from riskwizard.reports.neurips_checklist import ITEMS

    spec = find_questionnaire("neurips-broader-impact", [])
    for number, item in enumerate(ITEMS, 1):
        assert spec.question(item.id).prompt == f"{number}. {item.title}: {item.plain_question}"
        assert spec.question(f"{item.id}_just").prompt == f"{number}. {item.title}: justification"
    assert "\\" not in "".join(i.plain_question for i in ITEMS)
    from riskwizard.answers import new_doc
    from riskwizard.reports.impact import checklist
    from riskwizard.reports.source import ReportAnswers

    items = checklist(spec, ReportAnswers(new_doc([spec], "No answers yet")))
    assert [i["question"] for i in items] == [i.plain_question for i in ITEMS]  # md/html show the same words


def _model(justifications: dict[str, str], answers: dict[str, str]) -> dict:
    from riskwizard.reports.model import build_model

    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    model = build_model(a.doc, a.specs)
    for item in model["checklist"]:
        if item["id"] in answers:
            item["answer"] = answers[item["id"]]
        if item["id"] in justifications:
            item["justification"] = justifications[item["id"]]
    return model


def test_label_keys_become_refs_and_pointers_are_found() -> None:
    from riskwizard.reports.latex import justification_tex

    assert justification_tex("Shown in sec:results_main and app:proofs.") == (
        r"Shown in Section~\ref{sec:results_main} and Appendix~\ref{app:proofs}.", True)
    assert justification_tex("See Table tab:langs") == (r"See Table~\ref{tab:langs}", True)
    assert justification_tex("Section 4.2 reports it")[1] and justification_tex("in Appendix C")[1]
    assert justification_tex("Sections 4-5 and Figure 3")[1] and justification_tex("§3")[1]
    assert justification_tex("We discuss this in the paper.") == ("We discuss this in the paper.", False)
    assert justification_tex("a 50% gain_x") == (r"a 50\% gain\_x", False)
    assert justification_tex("https://x.org/sec:a") == ("https://x.org/sec:a", False)  # not a label
    assert justification_tex("line one\n\nline two")[0] == "line one line two"


def test_a_yes_without_a_pointer_gets_one_from_the_statement_or_a_warning() -> None:
    from riskwizard.reports.latex import render_tex_with_warnings

    model = _model({"cl_broader_impacts": "", "cl_limitations": "Discussed at length.", "cl_claims": "We are right."},
                   {"cl_broader_impacts": "yes", "cl_limitations": "yes", "cl_claims": "yes"})
    tex, warnings = render_tex_with_warnings(model)
    items = {it.split("}", 1)[0]: it for it in tex.split(r"\item {\bf ")[1:]}
    assert "Limitations" in [s["heading"] for s in model["broader_impact"]["sections"]]
    assert (r"Justification: Discussed at length. See the section \emph{Broader impact}, paragraph "
            r"\emph{Limitations}.") in items["Limitations"]
    assert (r"Justification: See the section \emph{Broader impact}, paragraph \emph{Benefits and harms}."
            in items["Broader impacts"])
    claims = items["Claims"]
    assert "Justification: We are right.\n    % riskwizard: this Yes does not say where the evidence is" in claims
    assert any(w.startswith("checklist item 1 (Claims) is answered Yes") for w in warnings)
    assert not any("item 2 " in w or "item 10 " in w for w in warnings)
    assert any(w.startswith("checklist item 9 (Code of ethics)") for w in warnings)  # Yes, empty justification
