"""The start screen asks the scope facts (stage, paper, role), pre-ticks the questionnaires that apply
(riskwizard.applicability.suggest_questionnaires) with the reason shown, keeps the user's own ticks, and
stores the facts in the new file; at 80x24 every control down to "Create" is on screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import SelectionList, Static

from riskwizard.answers import load_answers
from riskwizard.applicability import suggested_ids
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.screens.start import StartScreen
from riskwizard.tui.screens.wizard import WizardScreen

from .helpers import run_async, wait_for


def _ticked(app: RiskwizardApp) -> set[str]:
    return set(app.screen.query_one("#new-questionnaires", SelectionList).selected)


@run_async
async def test_scope_facts_pre_tick_the_questionnaires_that_apply_and_are_stored(tmp_path: Path) -> None:
    app = RiskwizardApp(None, [])
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        always = set(suggested_ids({}))
        assert _ticked(app) == always and "neurips-broader-impact" not in always
        await pilot.press("right", "right", "enter")  # stage: deployment
        await pilot.press("tab", "right", "enter")  # paper: no
        await pilot.press("tab", "tab", "tab", "tab", "tab", "space")  # past the 3 venues; role: deployer
        await pilot.pause()
        facts = {"lifecycle_stage": "deployment", "has_paper": "no", "operator_role": ["deployer"]}
        assert _ticked(app) == set(suggested_ids(facts))
        assert "neurips-broader-impact" not in _ticked(app) and "model-card" not in _ticked(app)

        await pilot.press("tab", "tab")  # to the list
        listing = app.screen.query_one("#new-questionnaires", SelectionList)
        ids = [listing.get_option_at_index(i).value for i in range(listing.option_count)]
        listing.highlighted = ids.index("neurips-broader-impact")
        await pilot.pause()
        reason = str(app.screen.query_one("#new-reason", Static).render())
        assert reason.startswith("NeurIPS") and "not suggested" in reason and "has_paper" in reason

        # a paper after all: NeurIPS is suggested and ticked, with the reason
        app.screen.query_one("#new-paper").query("RadioButton").first().value = True
        await pilot.pause()
        assert "neurips-broader-impact" in _ticked(app)
        assert "+ " in str(listing.get_option_at_index(ids.index("neurips-broader-impact")).prompt)
        assert "not suggested" not in str(app.screen.query_one("#new-reason", Static).render())

        # the user's own tick stays when the facts change again
        listing.highlighted = ids.index("canada-aia")
        await pilot.press("space")
        app.screen.query_one("#new-paper").query("RadioButton").last().value = True  # no paper
        await pilot.pause()
        assert "canada-aia" in _ticked(app) and "neurips-broader-impact" in _ticked(app)

        app.screen.query_one("#new-file").value = "hire"
        chosen = _ticked(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen))
        await pilot.press("ctrl+q")
    doc, _ = load_answers(tmp_path / "hire.yaml")
    assert {r.id for r in doc.questionnaires} == chosen
    assert doc.facts["lifecycle_stage"].value == "deployment"
    assert doc.facts["has_paper"].value == "no"
    assert doc.facts["operator_role"].value == ["deployer"]


@run_async
async def test_at_80x24_every_control_of_the_new_form_is_on_screen() -> None:
    app = RiskwizardApp(None, [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        form = screen.query_one("#new-form")
        for selector in ("#new-stage", "#new-paper", "#new-paper-row Check", "#new-roles", "#new-questionnaires",
                         "#new-reason", "#new-file", "#new-name", "#new-assessor", "#new-create"):
            region = screen.query_one(selector).region
            assert region.height >= 1 and region.bottom <= form.region.bottom, (selector, region, form.region)
        assert form.max_scroll_y == 0


@run_async
async def test_ticking_a_venue_means_a_paper_and_suggests_that_venues_checklist(tmp_path: Path) -> None:
    from riskwizard.tui.widgets.toggles import Check

    app = RiskwizardApp(None, [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        venues = {str(c.name): c for c in app.screen.query("#new-paper-row Check") if isinstance(c, Check)}
        assert set(venues) == {"neurips", "acl", "other"}
        await pilot.press("tab", "tab", "tab", "space")  # from the stage past the paper and NeurIPS: *ACL
        await pilot.pause()
        assert venues["acl"].value
        assert app.screen._pressed("#new-paper") == "yes"  # a venue answers "paper? yes"
        assert "acl-responsible-nlp" in _ticked(app) and "neurips-broader-impact" not in _ticked(app)
        app.screen.query_one("#new-paper").query("RadioButton").last().value = True  # no paper after all
        await pilot.pause()
        assert not any(c.value for c in venues.values())
        assert "acl-responsible-nlp" not in _ticked(app)
        venues["neurips"].value = True
        venues["acl"].value = True
        await pilot.pause()
        assert {"acl-responsible-nlp", "neurips-broader-impact"} <= _ticked(app)
        app.screen.query_one("#new-file").value = str(tmp_path / "paper")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen))
        await pilot.press("ctrl+q")
    doc, _ = load_answers(tmp_path / "paper.yaml")
    assert doc.facts["has_paper"].value == "yes"
    assert doc.facts["paper_venue"].value == ["neurips", "acl"]
