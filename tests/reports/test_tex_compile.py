"""Every sample's and fixture's LaTeX export compiles with a real TeX, with the macros of the NeurIPS style.

TeX is installed by .ci/run, which sets RISKWIZARD_REQUIRE_TEX=1: there a missing pdflatex fails
these tests instead of skipping them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from riskwizard.assessment import open_assessment
from riskwizard.reports import export_file
from riskwizard.reports.neurips_checklist import ITEMS, STYLE_MACROS

from .conftest import answers_files, case_id

PDFLATEX = shutil.which("pdflatex")
if PDFLATEX is None:
    if os.environ.get("RISKWIZARD_REQUIRE_TEX") == "1":
        pytest.fail("pdflatex is not installed, but RISKWIZARD_REQUIRE_TEX=1 (CI installs texlive in .ci/run)",
                    pytrace=False)
    pytest.skip("pdflatex is not installed (CI installs it)", allow_module_level=True)

# The answer macros as neurips_2026.sty (2026-01-29) defines them, copied from the style file: the
# harness must not take them from the module under test.
OFFICIAL_MACROS = r"""
\newcommand{\answerYes}[1][]{\textcolor{blue}{[Yes]#1}}
\newcommand{\answerNo}[1][]{\textcolor{orange}{[No]#1}}
\newcommand{\answerNA}[1][]{\textcolor{gray}{[N/A]#1}}
\newcommand{\answerTODO}[1][]{\textcolor{red}{\bf [TODO]}}
\newcommand{\justificationTODO}[1][]{\textcolor{red}{\bf [TODO]}}
"""
# The template's packages that the checklist uses (neurips_2026.tex) and the style's fonts (Times and
# Helvetica; Courier for \texttt so that no bitmap font has to be made).
HARNESS = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\renewcommand{\rmdefault}{ptm}
\renewcommand{\sfdefault}{phv}
\renewcommand{\ttdefault}{pcr}
\usepackage{hyperref}
\usepackage{url}
\usepackage{xcolor}
%(macros)s
\begin{document}
\input{report.tex}
\end{document}
"""
CASES = answers_files()


def test_module_macros_are_the_official_ones() -> None:
    assert "\n".join(STYLE_MACROS) == OFFICIAL_MACROS.strip()


def compile_tex(folder: Path, body: str = "") -> str:
    """Compile report.tex in ``folder`` inside the harness; returns the PDF's text, fails with the log."""
    (folder / "main.tex").write_text(HARNESS % {"macros": OFFICIAL_MACROS + body}, encoding="utf-8")
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "main.tex"],
                         cwd=folder, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    log = (folder / "main.log").read_text(encoding="utf-8", errors="replace") if (folder / "main.log").exists() else ""
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert run.returncode == 0 and not errors, f"pdflatex failed:\n{chr(10).join(errors)}\n{log[-3000:]}"
    missing = re.findall(r"Missing character: There is no .*", log)
    assert not missing, f"characters dropped by the font: {missing[:5]}"
    return "\n".join(page.extract_text() or "" for page in PdfReader(folder / "main.pdf").pages)


@pytest.mark.parametrize("answers", CASES, ids=[case_id(p) for p in CASES])
def test_export_compiles_and_prints_the_official_answers(answers: Path, tmp_path: Path) -> None:
    export_file(answers, "tex", tmp_path / "report.tex")
    a = open_assessment(answers, strict=False)
    if "neurips-broader-impact" not in [s.id for s in a.specs]:  # no paper (the samples of deployed systems)
        assert "NeurIPS Paper Checklist" not in (tmp_path / "report.tex").read_text(encoding="utf-8")
        return
    text = compile_tex(tmp_path)
    flat = " ".join(text.split())
    assert "NeurIPS Paper Checklist" in flat and "Broader impact" in flat
    answers_given = a.doc.answers.get("neurips-broader-impact", {})
    values = [answers_given[i.id].value if i.id in answers_given and answers_given[i.id].is_answered else None
              for i in ITEMS]
    # what the official macros print: [Yes], [No], [N/A], [TODO] (a missing justification prints [TODO] too)
    assert flat.count("[Yes]") == values.count("yes")
    assert flat.count("[No]") == values.count("no")
    assert flat.count("[N/A]") == values.count("na")
    assert "[NA]" not in flat
    source = _uncommented((tmp_path / "report.tex").read_text(encoding="utf-8"))
    todos = source.count(r"\justificationTODO{}")
    assert flat.count("[TODO]") == values.count(None) + todos
    assert todos <= sum(1 for i in ITEMS if not _just(answers_given, i.id))
    letters = _letters(flat)
    for item in ITEMS:  # each question printed in full
        assert _letters(item.plain_question) in letters, f"question of {item.id} not printed"
    assert "Guidelines:" not in flat  # kept as comments


def _just(answers: dict, qid: str) -> bool:
    a = answers.get(f"{qid}_just")
    return bool(a is not None and a.is_answered and str(a.value).strip())


def _letters(text: str) -> str:
    """Only the letters, without the ones fonts set as ligatures (PDF text extraction drops those)."""
    return re.sub("ffi|ffl|ff|fi|fl", "", re.sub("[^a-z]", "", text.lower()))


def _uncommented(tex: str) -> str:
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in tex.splitlines())


def test_hostile_text_compiles_to_itself(tmp_path: Path) -> None:
    """Every character LaTeX treats specially comes out as itself; nothing is executed or read."""
    from riskwizard.reports.latex import justification_tex, tex_escape

    nasty = r"\input{/etc/passwd} \def\x{1} $x^2$ 50% & #1 _a_ ~b~ <c> |d| {e} \\ end"
    just, _ = justification_tex(nasty + " see sec:results_main and Appendix app:proofs.")
    (tmp_path / "report.tex").write_text(
        f"{tex_escape(nasty)}\n\nJUST {just}\n\\label{{sec:results_main}}\\label{{app:proofs}}\n", encoding="utf-8")
    text = " ".join(compile_tex(tmp_path).split())
    assert "root:" not in text
    assert r"\input{/etc/passwd}" in text.replace(" ", " ") or "input{/etc/passwd}" in text
    assert "50% & #1" in text and "$x^2$" in text
    assert "JUST" in text and "Section" in text and "Appendix" in text


def test_every_character_declared_typesettable_compiles(tmp_path: Path) -> None:
    """The characters tex_escape maps and those it lets through compile with pdflatex; others are reported."""
    from riskwizard.reports.latex import _ESCAPES, _TYPESET, render_tex_with_warnings, tex_escape

    passed = "".join(chr(c) for c in range(0x20, 0x250) if _TYPESET.match(chr(c)) and chr(c) not in "\x7f")
    extra = "".join(chr(c) for c in range(0x2000, 0x2200) if _TYPESET.match(chr(c)))
    mapped = "".join(ch for ch in _ESCAPES if len(ch) == 1)
    (tmp_path / "report.tex").write_text(tex_escape(f"{passed} {extra} {mapped}") + "\n", encoding="utf-8")
    text = compile_tex(tmp_path)
    assert "0123456789" in text
    a = open_assessment(Path(__file__).parent / "fixtures" / "full.yaml", strict=False)
    from riskwizard.reports.model import build_model

    model = build_model(a.doc, a.specs)
    model["system"]["name"] = "Naming 日本 and 🙂"
    model["broader_impact"]["sections"][0]["paragraphs"].append("Tokens: 日本語 🙂")
    _, warnings = render_tex_with_warnings(model)
    assert any("U+65E5" in w and "U+1F642" in w and "lualatex" in w for w in warnings), warnings


@pytest.mark.parametrize("answers", CASES, ids=[case_id(p) for p in CASES])
def test_acl_checklist_compiles_with_every_item_and_answer(answers: Path, tmp_path: Path) -> None:
    """The ACL export of every sample compiles; an assessment with the questionnaire prints all 18 items."""
    from riskwizard.reports.acl_checklist import ACL, ANSWERS, ITEMS, SECTIONS
    from riskwizard.reports.acl_checklist import answers as acl_answers

    export_file(answers, "acl-checklist", tmp_path / "report.tex")
    a = open_assessment(answers, strict=False)
    if ACL not in [s.id for s in a.specs]:  # only comments: nothing to typeset
        tex = (tmp_path / "report.tex").read_text(encoding="utf-8")
        assert "does not include the acl-responsible-nlp questionnaire" in tex and "\\section" not in tex
        return
    text = " ".join(compile_tex(tmp_path).split())
    assert "Responsible NLP Research Checklist" in text
    letters = _letters(text)
    for item in ITEMS:
        assert _letters(f"{item.id}. {item.plain_question}") in letters, f"{item.id} not printed in full"
    from riskwizard.reports import RenderJob
    from riskwizard.reports.model import build_model

    given = acl_answers(RenderJob(build_model(a.doc, a.specs), a.doc, a.specs))
    no_gates = {s.letter for s in SECTIONS if s.qid and given[s.qid][0] == "no"}
    printed = [("na" if i.section in no_gates else given[i.qid][0]) for i in ITEMS]
    printed += [given[s.qid][0] for s in SECTIONS if s.qid]
    for value, label in ANSWERS.items():
        assert text.count(f"Answer: {label}") == printed.count(value), label
    assert text.count("[TODO]") >= printed.count(None)
