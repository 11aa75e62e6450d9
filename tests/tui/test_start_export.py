"""The start screen (new assessment, recent files) and export from the review screen."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from riskwizard.answers import load_answers
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.recent import load_recent
from riskwizard.tui.screens.review import ReviewScreen, review_text
from riskwizard.tui.screens.start import StartScreen
from riskwizard.tui.screens.wizard import WizardScreen

from .helpers import FIXTURES, run_async, wait_for

SIZE = (100, 40)


@pytest.fixture
def bundled_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offer only the mini questionnaire on the start screen (stable across new bundled files)."""
    monkeypatch.setattr("riskwizard.tui.screens.start.bundled_dir", lambda: FIXTURES / "bundled")


@run_async
async def test_new_assessment_from_the_start_screen(tmp_path: Path, bundled_fixture: None) -> None:
    app = RiskwizardApp(None, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("right", "enter")  # stage: development
        await pilot.press(*["tab"] * 8, "space")  # past paper, venues, roles: untick the suggested mini
        await pilot.press("ctrl+s")
        assert "Tick at least one questionnaire" in str(app.screen.query_one("#new-problem").render())
        await pilot.press("space", "tab", "tab", *"Loan scorer", "tab", *"Ada")
        new_file = app.screen.query_one("#new-file")
        new_file.value = "loans"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
    doc, _ = load_answers(tmp_path / "loans.yaml")
    assert (doc.system.name, doc.assessor, doc.stage) == ("Loan scorer", "Ada", "development")
    assert set(doc.facts) == {"lifecycle_stage"}  # paper and role were not given
    assert [r.id for r in doc.questionnaires] == ["mini"]
    assert doc.answers["mini"]["kind"].value == "scorer"
    assert load_recent()[0]["path"] == str((tmp_path / "loans.yaml").resolve())

    again = RiskwizardApp(None, [])
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2", "enter")  # Open recent: the file just made
        await wait_for(pilot, lambda: isinstance(again.screen, WizardScreen))
        assert again.screen.place.question.id == "people"  # opens at the first open question
        await pilot.press("ctrl+q")


def _reports_importable() -> str:
    try:
        importlib.import_module("riskwizard.reports")
    except ImportError as exc:
        return f"riskwizard.reports is not importable yet ({exc})"
    return ""


@pytest.mark.skipif(bool(_reports_importable()), reason=_reports_importable() or "reports importable")
@run_async
async def test_export_from_the_review_screen(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")  # one answer, still in the typing pause when exporting
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Scores people" in review_text(app.session).plain
        await pilot.press("tab", "enter", "down", "down", "enter")  # to the formats drop-down: PDF, HTML, Markdown
        await pilot.pause()
        assert app.screen.query_one("#export-path").value.endswith("assessment.md")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: "Written:" in str(app.screen.query_one("#export-status").render())
                       or "failed" in str(app.screen.query_one("#export-status").render()), 60)
        status = str(app.screen.query_one("#export-status").render())
        assert "Written:" in status, status
        out = answers_path.with_suffix(".md")
        assert out.is_file() and "Scores people" in out.read_text()


@run_async
async def test_the_export_formats_are_the_renderer_table(answers_path: Path) -> None:
    from textual.widgets import Select

    from riskwizard.reports import FORMAT_TABLE

    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        select = app.screen.query_one("#export-format", Select)
        offered = [value for _label, value in select._options]
        assert offered == [f.name for f in FORMAT_TABLE]
        assert "hf-card" in offered and "acl-checklist" in offered
        # tab to the drop-down, open it, go down to hf-card (the overlay opens on the current format)
        await pilot.press("tab", "enter", *["down"] * [f.name for f in FORMAT_TABLE].index("hf-card"), "enter")
        await pilot.pause()
        assert app.screen.query_one("#export-path").value.endswith("assessment.README.md")
        status = str(app.screen.query_one("#export-status").render())
        assert "Hugging Face model card" in status
        await pilot.press("enter", "up", "enter")  # back one format: the path follows again
        await pilot.pause()
        before = FORMAT_TABLE[[f.name for f in FORMAT_TABLE].index("hf-card") - 1]
        assert app.screen.query_one("#export-path").value.endswith("assessment" + before.extension)


@run_async
async def test_typing_a_name_into_save_as_replaces_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = RiskwizardApp(None, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#new-file")
        assert field.value == "assessment.yaml"
        field.focus()
        await pilot.pause()
        await pilot.press(*"dropout")
        assert field.value == "dropout"  # not "assessment.yamldropout"
        await pilot.press("ctrl+q")
