"""Snapshots of the main screens at 100x40 and 80x24 (review the SVGs before accepting them).

Update with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.tui.app import RiskwizardApp

from .helpers import FIXTURES

BIG = (100, 40)
SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _stable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("riskwizard.tui.screens.start.bundled_dir", lambda: FIXTURES / "bundled")
    monkeypatch.setattr("riskwizard.tui.screens.start.samples_dir", lambda: FIXTURES / "no-samples")


async def wizard(pilot):
    from riskwizard.tui.screens.wizard import WizardScreen

    from .helpers import wait_for

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, WizardScreen) and pilot.app.screen.ready)
    return pilot.app.screen


async def settle(pilot) -> None:
    """Let timers and the what-would-change worker finish so the picture is stable."""
    from textual.widgets import Input, TextArea

    await pilot.pause(0.4)
    await pilot.app.workers.wait_for_complete()
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["100x40", "80x24"])
def test_start_screen(snap_compare, size) -> None:
    assert snap_compare(RiskwizardApp(None, []), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["100x40", "80x24"])
def test_question_screen(snap_compare, answers_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await wizard(pilot)
        await pilot.press("enter", "ctrl+n")  # "people" appears once "kind" is answered
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=size, run_before=run_before)


def test_results_panel_on_demand_at_80x24(snap_compare, answers_path: Path) -> None:
    async def run_before(pilot) -> None:
        await wizard(pilot)
        await pilot.press("enter", "ctrl+n", "enter", "ctrl+o")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["100x40", "80x24"])
def test_number_question_with_error(snap_compare, answers_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await (await wizard(pilot)).jump_to("mini", "users")
        await pilot.press("-", "5")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=size, run_before=run_before)


def test_group_question(snap_compare, answers_path: Path) -> None:
    async def run_before(pilot) -> None:
        await (await wizard(pilot)).jump_to("mini", "groups")
        await pilot.press("enter", *"Children", "tab", "5", "ctrl+s", "a", *"Older people", "ctrl+s")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=BIG, run_before=run_before)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["100x40", "80x24"])
def test_calculator(snap_compare, answers_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await (await wizard(pilot)).jump_to("mini", "users")
        await pilot.press(*"100000", "enter", "1", "enter", "2", "ctrl+l", "tab", "tab", "tab", "tab",
                          *"50", "tab", *"500")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["100x40", "80x24"])
def test_review_screen(snap_compare, answers_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await wizard(pilot)
        await pilot.press("enter", "ctrl+n", "enter", "ctrl+n", "space", "ctrl+r")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["100x40", "80x24"])
def test_what_if_screen(snap_compare, answers_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await wizard(pilot)
        await pilot.press("1", "1", "ctrl+n", "1")  # scorer; yes; domains: credit
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=size, run_before=run_before)


def test_help_screen_at_80x24(snap_compare, answers_path: Path) -> None:
    async def run_before(pilot) -> None:
        await wizard(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(answers_path, []), terminal_size=SMALL, run_before=run_before)


def test_long_options_wrap_at_80x24(snap_compare, tmp_path: Path) -> None:
    from riskwizard.loader import bundled_dir

    from .helpers import make_answers

    path = make_answers(tmp_path, bundled_dir() / "eu-ai-act.yaml", name="eu.yaml")

    async def run_before(pilot) -> None:
        await (await wizard(pilot)).jump_to("eu-ai-act", "military_only")
        await settle(pilot)

    assert snap_compare(RiskwizardApp(path, []), terminal_size=SMALL, run_before=run_before)
