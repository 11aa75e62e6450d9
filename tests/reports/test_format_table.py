"""The table of renderers: every format is one row, and dispatch goes through the table only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from riskwizard import reports
from riskwizard.assessment import open_assessment
from riskwizard.reports import EXTENSIONS, FORMAT_TABLE, FORMATS, RenderJob, get_format, render_with_warnings

from .conftest import FIXTURES

REPORTS = Path(reports.__file__).resolve().parent


def test_names_and_extensions_come_from_the_table() -> None:
    assert tuple(f.name for f in FORMAT_TABLE) == FORMATS
    assert len(set(FORMATS)) == len(FORMATS)
    assert {"pdf", "html", "md", "tex", "json"} <= set(FORMATS)
    assert {f.name: f.extension for f in FORMAT_TABLE} == EXTENSIONS
    for row in FORMAT_TABLE:
        assert row.extension.startswith(".") and row.summary
        assert callable(row.load())


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "pdf"])  # the PDF has its own tests
def test_every_row_renders_the_full_fixture(fmt: str) -> None:
    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    data, warnings = render_with_warnings(a.doc, a.specs, fmt)
    assert isinstance(data, bytes) and len(data) > 500
    assert isinstance(warnings, list)
    assert (a.doc.system.name or "").encode("utf-8")[:10] in data or fmt == "tex"


def test_a_new_row_is_all_a_new_format_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A format added to the table (pointing at any renderer) is exported without other changes."""
    row = reports.Format("upper-json", ".ujson", "test format", "builtin:json_model")
    monkeypatch.setattr(reports, "_BY_NAME", {**reports._BY_NAME, row.name: row})
    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    data, _ = render_with_warnings(a.doc, a.specs, "upper-json")
    assert data.startswith(b"{")


def test_renderers_receive_the_job() -> None:
    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    from riskwizard.reports.builtin import json_model
    from riskwizard.reports.model import build_model

    job = RenderJob(build_model(a.doc, a.specs), a.doc, a.specs)
    assert json_model(job)[0] == render_with_warnings(a.doc, a.specs, "json")[0]


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(reports.ExportError) as err:
        get_format("docx")
    assert "docx" in err.value.message and "tex" in err.value.fix


def test_no_module_dispatches_on_format_names() -> None:
    """`if fmt == "md"` branches are what the table replaces; none may come back."""
    for path in REPORTS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "fmt":
                consts = [c.value for c in node.comparators if isinstance(c, ast.Constant)]
                assert not set(consts) & set(FORMATS), f"{path.name}:{node.lineno} branches on a format name"
