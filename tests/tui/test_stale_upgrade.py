"""The wizard warns when an assessment is out of date and offers the questionnaire upgrade (F4)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from riskwizard.answers import load_answers
from riskwizard.loader import find_questionnaire
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.screens.upgrade import UpgradeScreen
from riskwizard.tui.session import Session
from riskwizard.tui.widgets.results import headline_text

from .helpers import run_async, wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
CANADA = ROOT / "questionnaires" / "canada-aia.yaml"
SAMPLE = ROOT / "samples" / "llm-paper.yaml"


def _old_canada(tmp_path: Path) -> Path:
    folder = tmp_path / "old"
    folder.mkdir()
    bundled = find_questionnaire("canada-aia").version
    original = CANADA.read_text()
    text = original.replace(f'version: "{bundled}"', 'version: "0.9.0"', 1).replace(
        "    questions:\n", "    questions:\n      - id: old_only\n        type: text\n"
        "        prompt: \"Dropped later\"\n", 1)
    assert text.count("old_only") == 1 and "0.9.0" in text  # the fixture really is an older version
    (folder / "canada-aia.yaml").write_text(text)
    spec_path = folder / "canada-aia.yaml"
    from riskwizard.answers import AnswerStore, new_doc
    from riskwizard.loader import load_questionnaire

    path = tmp_path / "a.yaml"
    with AnswerStore(path) as store:
        store.create(new_doc([load_questionnaire(spec_path)], "Triage", answers_path=path))
    data = yaml.safe_load(path.read_text())
    data["answers"]["canada-aia"] = {"old_only": {"value": "keep me"}}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_headline_warns_on_a_passed_review_by_date(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    shutil.copy(SAMPLE, path)
    path.write_text(path.read_text().replace("\nreview:\n", "\nreview:\n  review_by: '2026-01-31'\n", 1))
    session = Session.open(path)
    try:
        session.today = dt.date(2026, 3, 1)
        stale = session.stale()
        text = headline_text([], False, stale).plain
        assert "OUT OF DATE" in text and "due by 2026-01-31 (29 days ago)" in text and "F4" not in text
        session.today = dt.date(2026, 1, 30)
        assert not [s for s in session.stale() if s.kind == "review_by"]
    finally:
        session.close()


@run_async
async def test_ctrl_u_shows_the_plan_and_upgrades(tmp_path: Path) -> None:
    path = _old_canada(tmp_path)
    before = path.read_bytes()
    app = RiskwizardApp(path, [])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "ready", False))
        headline = str(app.screen.query_one("#headline").render())
        assert "OUT OF DATE" in headline and "F4 upgrades" in headline
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UpgradeScreen))
        plan = str(app.screen.query_one("#upgrade-body").render())
        assert "canada-aia: 0.9.0 -> " in plan and "old_only" in plan
        await pilot.press("escape")  # cancel: nothing changes
        await pilot.pause()
        assert not path.with_name("a.yaml.before-upgrade.bak").exists()
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UpgradeScreen))
        await pilot.press("u")
        await wait_for(pilot, lambda: path.with_name("a.yaml.before-upgrade.bak").exists())
        await wait_for(pilot, lambda: getattr(app.screen, "ready", False)
                       and not isinstance(app.screen, UpgradeScreen))
        assert "OUT OF DATE" not in str(app.screen.query_one("#headline").render())
    kept, _ = load_answers(path.with_name("a.yaml.before-upgrade.bak"))  # as the wizard last saved it
    assert kept.ref("canada-aia").version == "0.9.0" and kept.answers["canada-aia"]["old_only"].value == "keep me"
    assert before != path.read_bytes()
    doc, _ = load_answers(path)
    assert doc.ref("canada-aia").version == find_questionnaire("canada-aia").version
    assert doc.orphaned["canada-aia"]["old_only"].value == "keep me"
