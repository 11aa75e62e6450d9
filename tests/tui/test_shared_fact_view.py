"""A shared fact in the real wizard: the question says which other questionnaires use the same answer and
where it was answered; editing it in one place changes it everywhere; conflicting old values (a migrated
file) are listed on the question and one can be picked. Also: "framework X: N questions left" in the
results panel, the same lines as ``riskwizard score`` (riskwizard.progress.questions_left)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from riskwizard.answers import AnswerStore, load_answers, new_doc, record_answer
from riskwizard.loader import find_questionnaire
from riskwizard.progress import questions_left
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.screens.wizard import WizardScreen
from riskwizard.tui.widgets.results import ResultsPanel

from .helpers import run_async, wait_for

SIZE = (120, 45)
ROOT = Path(__file__).resolve().parent.parent.parent


def _text(screen: WizardScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def _new(tmp_path: Path, ids: list[str]) -> Path:
    """An assessment of ``ids`` where harms and error costs have their first (gating) answer given."""
    path = tmp_path / "a.yaml"
    specs = [find_questionnaire(i) for i in ids]
    doc = new_doc(specs, "Shared", "Ada", "development", path)
    first = {"harms": ("output_kind", ["allocates"]), "error-costs": ("prediction_kind", "binary")}
    for spec in specs:
        if spec.id in first:
            qid, value = first[spec.id]
            record_answer(doc, spec.id, next(q for q in spec.questions() if q.id == qid), value=value)
    with AnswerStore(path) as store:
        store.save(doc)
    return path


async def _open(app: RiskwizardApp, pilot) -> WizardScreen:
    screen = app.screen
    assert isinstance(screen, WizardScreen), (app._open_problem, screen)
    await wait_for(pilot, lambda: screen.ready)
    return screen


@run_async
async def test_a_shared_fact_says_who_else_uses_it_where_it_was_answered_and_changes_everywhere(tmp_path: Path) -> None:
    path = _new(tmp_path, ["harms", "error-costs"])
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        harms, costs = (screen.session.spec(i).model.title for i in ("harms", "error-costs"))
        await screen.jump_to("harms", "people_affected")
        await pilot.pause()
        shared = " ".join(_text(screen, "#shared").split())
        assert shared.startswith(f"Shared fact — also used by {costs}:")
        assert "Answered in" not in shared  # not answered yet
        screen.query_one("#editor Input", Input).value = "1200"
        await pilot.pause(0.6)  # the typing pause: saved
        await wait_for(pilot, lambda: not screen.session.dirty)

        await screen.jump_to("error-costs", "population")
        await pilot.pause()
        assert screen.query_one("#editor Input", Input).value == "1200"  # the same answer, shown here
        assert f"Answered in {harms}." in _text(screen, "#shared")
        assert f"also used by {harms}:" in " ".join(_text(screen, "#shared").split())
        screen.query_one("#editor Input", Input).value = "5000"  # edited in the other questionnaire
        await pilot.pause(0.6)
        await wait_for(pilot, lambda: not screen.session.dirty)

        await screen.jump_to("harms", "people_affected")
        await pilot.pause()
        assert screen.query_one("#editor Input", Input).value == "5000"
        assert f"Answered in {costs}." in _text(screen, "#shared")
    doc, _ = load_answers(path)
    assert doc.facts["people_affected"].value == 5000
    assert doc.facts["people_affected"].answered_in == "error-costs"
    assert "people_affected" not in doc.answers["harms"].local
    assert "population" not in doc.answers["error-costs"].local
    text = path.read_text(encoding="utf-8")
    assert text.count("people_affected:") == 1 and "answered_in: error-costs" in text


@run_async
async def test_a_question_that_is_not_a_fact_has_no_shared_line(tmp_path: Path) -> None:
    path = _new(tmp_path, ["harms", "error-costs"])
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await screen.jump_to("error-costs", "prediction_kind")
        await pilot.pause()
        assert not screen.query("#shared")


@run_async
async def test_conflicting_old_values_are_listed_on_the_question_and_one_is_picked(tmp_path: Path) -> None:
    old = (ROOT / "tests" / "fixtures" / "v1" / "samples" / "medical-imaging.yaml").read_bytes()
    path = tmp_path / "med.yaml"
    path.write_bytes(old)
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        entries = screen.session.doc.conflicts["release_type"]
        assert len(entries) == 2
        local = screen.session.spec("research-ethics").local_of["release_type"]
        await screen.jump_to("research-ethics", local)
        await pilot.pause()
        head = " ".join(_text(screen, "#conflict-head").split())
        assert head.startswith("Earlier answers disagree — the 2 values")
        picker = screen.query_one("#conflict-pick", OptionList)
        labels = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert len(labels) == 2
        assert "from NeurIPS" in labels[0] and "internal" in labels[0].lower()
        assert "from Research ethics" in labels[1]
        assert screen.focused is picker  # arriving at a conflict: the old values have the keys
        await pilot.press("down", "enter")  # the second: the research-ethics value
        await pilot.pause()
        await wait_for(pilot, lambda: not screen.query("#conflict-pick"))
        assert "Settled" in _text(screen, "#status")
        await wait_for(pilot, lambda: not screen.session.dirty)
    doc, _ = load_answers(path)
    assert "release_type" not in doc.conflicts
    assert doc.facts["release_type"].value == ["service"]
    assert doc.facts["release_type"].answered_in == "research-ethics"
    assert "false_positive_harm" in doc.conflicts  # the other conflicts stay until they are settled


@run_async
async def test_results_panel_lists_questions_left_per_framework_as_score_does(tmp_path: Path) -> None:
    path = _new(tmp_path, ["harms", "error-costs"])
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await screen.jump_to("harms", "people_affected")
        await pilot.pause()
        body = lambda: str(screen.query_one(ResultsPanel).query_one("#results-body").render())  # noqa: E731
        before = questions_left(screen.session.doc, screen.session.specs)
        assert "Questions left" in body()
        for p in before:
            assert p.line in body()
        screen.query_one("#editor Input", Input).value = "1200"
        await pilot.pause(0.6)
        after = questions_left(screen.session.doc, screen.session.specs)
        # the shared fact counts in both questionnaires at once
        assert [a.left for a in after] == [b.left - 1 for b in before]
        await wait_for(pilot, lambda: all(p.line in body() for p in after))
