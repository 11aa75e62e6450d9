"""HTML/Markdown/JSON safety and the API surface."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from riskwizard.assessment import open_assessment
from riskwizard.errors import RiskwizardError
from riskwizard.reports import batch_export, export_file, render
from riskwizard.reports.cli import export
from riskwizard.reports.markdown import md

from .conftest import FIXTURES

EVIL = '<script>alert(1)</script> {{ 7*7 }} {% raw %} " onmouseover="x" \' ]]> </style> url(x)'


def _evil_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "a"
    folder.mkdir()
    shutil.copytree(FIXTURES / "questionnaires", folder / "questionnaires")
    data = yaml.safe_load((FIXTURES / "full.yaml").read_text(encoding="utf-8"))
    data["system"]["name"] = EVIL
    data["answers"]["error-costs"]["reversible"]["note"] = EVIL
    data["answers"]["neurips-broader-impact"]["positive_impacts"] = {"value": EVIL}
    data["review"]["comments"][0]["by"] = EVIL
    (folder / "evil.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder / "evil.yaml"


def test_html_escapes_answers_and_never_evaluates_them(tmp_path: Path) -> None:
    path = _evil_folder(tmp_path)
    export_file(path, "html", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and ">49<" not in page
    assert 'onmouseover="x"' not in page
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style and "alert" not in style.group(1) and "7*7" not in style.group(1)
    for attr in re.findall(r'style="([^"]*)"', page):
        assert "alert" not in attr


def test_markdown_escapes_markup() -> None:
    assert md("<b>x</b>") == r"\<b\>x\</b\>"
    assert md("*a* _b_ [l](u) | `c`") == r"\*a\* \_b\_ \[l\](u) \| \`c\`"
    assert md("# heading\n- item\n1. first") == "\\# heading - item 1. first"  # one line: nothing starts a block
    assert md("- item") == "\\- item" and md("1. first") == "1\\. first" and md("===") == "\\==="
    assert md("a & b") == "a &amp; b"


def test_json_round_trips_and_holds_results() -> None:
    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    data = json.loads(render(a.doc, a.specs, "json"))
    assert data["overall"]["title"] == "Moderate error costs"
    assert data["error_costs"]["values"]["fp"] == 4680
    assert len(data["checklist"]) == 16
    assert [c["id"] for c in data["model_card"]][:2] == ["mc_intended_use", "mc_out_of_scope"]


def test_unknown_format_is_a_user_error() -> None:
    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    with pytest.raises(RiskwizardError, match="unknown report format"):
        render(a.doc, a.specs, "docx")


def test_broken_custom_template_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "cover.html.j2").write_text("{{ r.no_such_thing }}", encoding="utf-8")
    with pytest.raises(RiskwizardError, match="template"):
        export_file(FIXTURES / "full.yaml", "html", tmp_path / "x.html", template_dir=tmp_path)


def test_cli_single_file_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.md"
    result = runner.invoke(export, [str(FIXTURES / "full.yaml"), "-f", "md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Impact statement: TriageNet")
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: riskwizard-answers/1\nanswers: [\n", encoding="utf-8")
    result = runner.invoke(export, [str(bad), "-f", "json", "-o", str(tmp_path / "b.json")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "error:" in result.output
    result = runner.invoke(export, [str(FIXTURES / "full.yaml"), "-f", "html", "-o", str(tmp_path / "x.html"),
                                    "--template-dir", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_cli_folder_uses_batch_with_progress(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    result = CliRunner().invoke(export, [str(folder), "-f", "tex", "-o", str(tmp_path / "out"),
                                         "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["full.tex", "sparse.tex"]
    assert "Exporting 2 file(s)" in result.output


def test_batch_matches_single_exports_and_reports_failures(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    (folder / "broken.yaml").write_text("format: riskwizard-answers/1\nquestionnaires: 3\n", encoding="utf-8")
    seen: list[int] = []
    items = batch_export(folder, "html", tmp_path / "out", processes=2,
                         progress=lambda done, total, item: seen.append(done))
    assert seen == [1, 2, 3]
    assert [i.source.name for i in items] == ["broken.yaml", "full.yaml", "sparse.yaml"]
    assert items[0].error and not items[1].error
    export_file(folder / "full.yaml", "html", tmp_path / "single.html")
    assert (tmp_path / "out" / "full.html").read_bytes() == (tmp_path / "single.html").read_bytes()


def test_every_impact_stack_option_has_its_own_sentence() -> None:
    from riskwizard.loader import find_questionnaire
    from riskwizard.reports.impact import STACK_SENTENCES

    spec = find_questionnaire("neurips-broader-impact", [])
    options = {o.value for o in spec.question("impact_stack").options}
    assert options == set(STACK_SENTENCES)


def test_html_export_is_standalone(tmp_path: Path) -> None:
    """The HTML file references nothing beside it: no font files, stylesheets, scripts or images."""
    out = tmp_path / "r.html"
    export_file(FIXTURES / "full.yaml", "html", out)
    page = out.read_text(encoding="utf-8")
    assert "@font-face" not in page and "url(" not in page and "@import" not in page
    assert not re.search(r"<(link|script|img|iframe|object)\b", page, re.I)
    assert not re.search(r"\b(src|href)=\"(?!#)", page)  # only links within the document
    assert '<html lang="en">' in page and "<title>Impact statement: TriageNet" in page
    pdf_html = render_html_for_pdf(FIXTURES / "full.yaml")
    assert "@font-face" in pdf_html  # the PDF embeds the bundled fonts instead


def render_html_for_pdf(path: Path) -> str:
    from riskwizard.reports.htmldoc import render_html
    from riskwizard.reports.model import build_model

    a = open_assessment(path, strict=False)
    return render_html(build_model(a.doc, a.specs), for_pdf=True)
