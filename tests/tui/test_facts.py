"""The real wizard with shared facts: answered once, shown answered everywhere, saved once in format 2,
contradictions shown live, and a format-1 file upgraded on its first save with a backup."""

from __future__ import annotations

from pathlib import Path

from riskwizard.answers import AnswerStore, load_answers, new_doc
from riskwizard.loader import find_questionnaire
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.screens.wizard import WizardScreen
from riskwizard.tui.widgets.results import ResultsPanel

from .helpers import run_async, wait_for

SIZE = (120, 45)
ROOT = Path(__file__).resolve().parent.parent.parent


def _results(app: RiskwizardApp) -> str:
    return str(app.screen.query_one(ResultsPanel).query_one("#results-body").render())


@run_async
async def test_a_fact_answered_in_one_questionnaire_is_answered_in_the_other(tmp_path: Path) -> None:
    specs = [find_questionnaire("research-ethics"), find_questionnaire("error-costs")]
    path = tmp_path / "a.yaml"
    with AnswerStore(path) as store:
        store.save(new_doc(specs, "Shared", "Ada", "development", path))
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, WizardScreen), (app._open_problem, screen)
        await wait_for(pilot, lambda: screen.ready)
        await screen.jump_to("research-ethics", "decisions_people")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # Automated
        await pilot.pause()
        await screen.jump_to("research-ethics", "contest_route")
        await pilot.pause()
        await pilot.press("down", "enter")  # No
        await pilot.pause()
        await wait_for(pilot, lambda: not screen.session.dirty)
        # the error-costs questionnaire sees the same fact; its own `contestable` answer contradicts it
        await screen.jump_to("error-costs", "prediction_kind")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # ranking
        await pilot.pause()
        await screen.jump_to("error-costs", "contestable")
        await pilot.pause()
        await pilot.press("enter")  # notified
        await pilot.pause()
        await wait_for(pilot, lambda: "Contradictions (1)" in _results(app))
        assert "People are said to be able to ask for a human review" in _results(app)
    doc, _ = load_answers(path)
    assert doc.format == "riskwizard-answers/2"
    assert doc.facts["contest_route"].value == "no"
    assert doc.facts["decision_automation"].value == "automated"
    assert "contest_route" not in doc.answers["research-ethics"]
    assert doc.answers["error-costs"]["contestable"].value == "notified"
    assert path.read_text(encoding="utf-8").count("contest_route:") == 1


@run_async
async def test_an_old_file_opens_and_is_saved_in_the_new_layout_with_a_backup(tmp_path: Path) -> None:
    old = (ROOT / "tests" / "fixtures" / "v1" / "samples" / "medical-imaging.yaml").read_bytes()
    path = tmp_path / "med.yaml"
    path.write_bytes(old)
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        await wait_for(pilot, lambda: screen.ready)
        await wait_for(pilot, lambda: path.read_bytes() != old)  # the first save writes the upgrade
        await wait_for(pilot, lambda: any("v1.bak" in str(n.message) for n in app._notifications))
        kept = [n for n in app._notifications if "v1.bak" in str(n.message)]
        assert kept[0].title == "Saved; backup kept"  # the file itself was saved: not "Saved elsewhere"
    assert (tmp_path / "med.yaml.v1.bak").read_bytes() == old
    doc, _ = load_answers(path)
    assert doc.format == "riskwizard-answers/2"
    assert doc.facts["lifecycle_stage"].value == "development"
    assert doc.conflicts  # the old duplicates that disagreed are kept, every value


@run_async
async def test_naming_or_dropping_a_paper_venue_says_which_checklist_applies(tmp_path: Path) -> None:
    """The venue is a scope fact: unticking *ACL says the ACL checklist of this assessment no longer
    applies; ticking it again says it applies again. In a file without it, naming *ACL says it applies."""
    import shutil

    from riskwizard.loader import samples_dir

    path = tmp_path / "paper.yaml"
    shutil.copyfile(samples_dir() / "llm-paper.yaml", path)
    app = RiskwizardApp(path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        target = next(p for p in screen.order if p.spec.id == "neurips-broader-impact"
                      and p.question.id == "paper_venue")
        await screen.go(target)
        await pilot.pause()
        picker = screen.query_one("#editor OptionPicker")
        acl = 1 + [v for v, _l, _h in picker.choices].index("acl")
        await pilot.press(str(acl))  # untick *ACL
        await wait_for(pilot, lambda: any("no longer applies" in str(n.message) for n in app._notifications))
        gone = [str(n.message) for n in app._notifications if "no longer applies" in str(n.message)]
        assert gone == ["ACL Rolling Review Responsible NLP Research checklist no longer applies with this "
                        "answer; its answers stay in the file."]
        assert load_answers(path)[0].facts["paper_venue"].value == ["neurips"]
        await pilot.press(str(acl))  # and back
        await wait_for(pilot, lambda: any("applies again" in str(n.message) for n in app._notifications))
        await pilot.press("ctrl+q")
