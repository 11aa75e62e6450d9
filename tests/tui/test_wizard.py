"""The wizard driven by keys under App.run_test(): answering, autosave, resume, branching."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from riskwizard.answers import load_answers
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.screens.row_editor import RowEditorScreen
from riskwizard.tui.screens.wizard import WizardScreen

from .helpers import run_async, saved

SIZE = (100, 40)


def current(app: RiskwizardApp) -> str:
    screen = app.screen
    assert isinstance(screen, WizardScreen)
    assert screen.place is not None
    return screen.place.question.id


async def answer_everything(pilot, path: Path) -> None:
    """Answer each question type of tests/fixtures/mini.yaml with the keyboard only: Enter picks the
    highlighted option and moves on, a number picks that option, space ticks."""
    app = pilot.app
    assert current(app) == "kind"
    await pilot.press("enter")  # the first option, "Scores people", and on to the next question
    await pilot.pause()
    assert saved(path)["mini"]["kind"].value == "scorer"
    assert current(app) == "people"  # appeared because kind == scorer

    await pilot.press("1")  # "Yes" by its number: picked, and the question stays (auto-advance is off)
    await pilot.pause()
    assert saved(path)["mini"]["people"].value == "yes"
    assert current(app) == "people"

    await pilot.press("ctrl+n")
    assert current(app) == "domains"
    await pilot.press("1", "down", "space")  # tick Credit by number, Hiring with space
    await pilot.pause()
    assert saved(path)["mini"]["domains"].value == ["credit", "hiring"]
    await pilot.press("enter")  # Enter in a multiple choice moves on
    assert current(app) == "users"
    assert isinstance(app.focused, Input)
    await pilot.press(*"12x")
    await pilot.pause()
    assert "not a number" in str(app.screen.query_one("#editor .inline-error").render())
    assert "Not saved yet" in str(app.screen.query_one("#status").render())
    await pilot.press("backspace", *"000")
    await pilot.press("enter")  # enter in a number field saves and moves on
    assert current(app) == "fpr"
    assert saved(path)["mini"]["users"].value == 12000

    await pilot.press(*"150")
    await pilot.pause()
    assert "out of range" in str(app.screen.query_one("#editor .inline-error").render())
    await pilot.press("backspace", "backspace", "ctrl+n")  # ctrl+n works while the Input has focus
    assert current(app) == "base"
    assert saved(path)["mini"]["fpr"].value == 1

    await pilot.press("ctrl+t")  # don't know
    await pilot.pause()
    assert saved(path)["mini"]["base"].unknown is True

    await pilot.press("ctrl+n")
    assert current(app) == "notes"
    assert isinstance(app.focused, TextArea)
    await pilot.press(*"hi", "enter", *"there")
    await pilot.press("ctrl+n")
    assert saved(path)["mini"]["notes"].value == "hi\nthere"

    assert current(app) == "groups"
    await pilot.press("enter")  # the focused "Add group" button
    await pilot.pause()
    assert isinstance(app.screen, RowEditorScreen)
    await pilot.press(*"Group A", "tab", "4", "ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, WizardScreen)
    assert saved(path)["mini"]["groups"].value == [{"name": "Group A", "severity": 4}]


@run_async
async def test_full_run_answers_every_type(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_everything(pilot, answers_path)
        headline = str(app.screen.query_one("#headline").render())
        assert "Risk band: High" in headline and "Next: every question is answered" in headline
        await pilot.press("ctrl+o")  # at 100 columns the results panel is shown on demand
        await pilot.pause()
        results = str(app.screen.query_one("#results-body").render())
        assert "High" in results and "Harm score of 5 or more" in results
        assert "Scores people" in results  # the finding
    doc, _ = load_answers(answers_path)
    assert doc.position.question == "groups"


@run_async
async def test_note_is_saved_with_the_answer(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"ask legal")
        await pilot.pause(0.6)  # saved after a short pause in typing
        answer = saved(answers_path)["mini"]["kind"]
        assert (answer.value, answer.note) == ("scorer", "ask legal")


@run_async
async def test_resume_restores_position_and_answers(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter", "space", "enter")
        assert current(app) == "users"
        await pilot.press(*"250")
        await pilot.press("ctrl+q")  # quit straight after typing: nothing may be lost
    doc, _ = load_answers(answers_path)
    assert doc.answers["mini"]["users"].value == 250
    assert (doc.position.questionnaire, doc.position.question) == ("mini", "users")

    again = RiskwizardApp(answers_path, [])
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Reopened at the first open question, not where the last session stopped...
        assert current(again) == "fpr"
        assert "ctrl+b goes there" in str(again.screen.query_one("#status").render())
        await pilot.press("ctrl+b")  # ...which is one key away
        assert current(again) == "users"
        assert again.screen.query_one("#editor Input", Input).value == "250"
        await pilot.press("ctrl+p")
        assert current(again) == "domains"
        await pilot.press("ctrl+p")
        assert current(again) == "kind"  # "people" is hidden: kind is "other"


@run_async
async def test_branching_question_appears_and_disappears(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        ids = lambda: [p.question.id for p in screen.order]  # noqa: E731
        assert "people" not in ids()
        where = lambda: str(screen.query_one("#where").render())  # noqa: E731
        assert "question 1 of 7 (1 more may apply)" in where()
        await pilot.press("1")  # scorer
        await pilot.pause()
        assert "people" in ids()
        assert "New question added" in str(screen.query_one("#status").render())
        assert "question 1 of 8" in where()  # the count follows the answers
        assert ("mini", "people") in screen.query_one("#side")._question_nodes
        await pilot.press("2")  # other
        await pilot.pause()
        assert "people" not in ids()
        assert "no longer applies" in str(screen.query_one("#status").render())
        assert "question 1 of 7" in where()
        await pilot.press("ctrl+n")
        assert current(app) == "domains"


@run_async
async def test_jump_with_side_panel_and_search(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f", *"base rate", "enter")
        await pilot.pause()
        assert current(app) == "base"
        await pilot.press("ctrl+g")  # focus the side panel; the cursor is on the current question
        await pilot.press("up", "up", "enter")
        await pilot.pause()
        assert current(app) == "users"


@run_async
async def test_calculator_prefilled_from_answers(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.jump_to("mini", "users")
        await pilot.press(*"10000", "enter", *"2", "enter", *"5")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen.query_one("#calc-population", Input).value == "10000"
        body = str(app.screen.query_one("#calc-result").render())
        # 10000 cases, base rate 5%: 9500 negatives x 2% FPR = 190 FP; 500 positives x 2% FNR = 10 FN
        assert "190" in body and "False negatives" in body
        app.screen.query_one("#calc-cost_fn", Input).focus()
        await pilot.press(*"100")
        await pilot.pause()
        assert "Total harm: 1,000" in str(app.screen.query_one("#calc-result").render())
        await pilot.press("escape")
        assert isinstance(app.screen, WizardScreen)


@run_async
async def test_quit_key_saves_and_releases_the_lock(answers_path: Path) -> None:
    app = RiskwizardApp(answers_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lock = answers_path.parent / f".{answers_path.name}.lock"
        assert lock.exists()
        await pilot.press("ctrl+q")
    assert not lock.exists()


@run_async
async def test_dont_know_dims_the_kept_choice_and_a_new_choice_clears_it(tmp_path: Path) -> None:
    from .helpers import make_answers

    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current(app) == "kind"
        await pilot.press("1")  # choose the first option
        await pilot.pause()
        editor = app.screen.query_one("#editor")
        assert not editor.has_class("overridden")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert editor.has_class("overridden")  # the old choice is shown dimmed, not as the answer
        assert saved(path)["mini"]["kind"].unknown
        await pilot.press("2")  # choosing again replaces "don't know"
        await pilot.pause()
        assert not editor.has_class("overridden")
        answer = saved(path)["mini"]["kind"]
        assert not answer.unknown and answer.value is not None
        await pilot.press("ctrl+q")
    # reopening a "don't know" answer shows it dimmed from the start
    async with RiskwizardApp(path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.app.screen.jump_to("mini", "kind")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("ctrl+q")
    async with RiskwizardApp(path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.app.screen.jump_to("mini", "kind")
        assert current(pilot.app) == "kind"
        assert pilot.app.screen.query_one("#editor").has_class("overridden")
        await pilot.press("ctrl+q")


@run_async
async def test_key_bar_entries_are_clickable(tmp_path: Path) -> None:
    from .helpers import make_answers

    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current(app) == "kind"
        await pilot.press("1")
        await pilot.pause()
        keys = app.screen.query_one("#keys")
        text = str(keys.render())
        assert text.split()[:4] == ["^n", "Next", "^p", "Prev"]
        await pilot.click("#keys", offset=(text.index("Next"), 0))
        await pilot.pause()
        assert current(app) == "people"
        await pilot.click("#keys", offset=(text.index("Prev"), 0))
        await pilot.pause()
        assert current(app) == "kind"
        await pilot.press("ctrl+q")


@run_async
async def test_leaving_with_an_invalid_entry_keeps_the_earlier_answer(tmp_path: Path) -> None:
    from .helpers import make_answers

    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        fpr = next(p for p in screen.order if p.question.id == "fpr")
        await screen.go(fpr)
        await pilot.press(*"2.5", "enter")  # saved, moves on
        assert saved(path)["mini"]["fpr"].value == 2.5
        await pilot.press("ctrl+p")
        assert current(app) == "fpr"
        # retype over it: the field passes through "" and "15" (valid, recorded) to "150" (out of range)
        await pilot.press("backspace", "backspace", "backspace", *"150")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert current(app) == "base"
        assert saved(path)["mini"]["fpr"].value == 2.5  # the earlier answer, not "15" and not nothing
        messages = [n.message for n in app._notifications]
        assert any("Not saved" in m and "stays 2.5" in m for m in messages), messages
        await pilot.press("ctrl+q")
    assert saved(path)["mini"]["fpr"].value == 2.5


@run_async
async def test_a_question_replaced_before_its_reveal_runs_does_not_crash(tmp_path: Path) -> None:
    """The scroll-into-view runs after a refresh; by then fast navigation may have removed the view."""
    from riskwizard.tui.widgets.question import QuestionView

    from .helpers import make_answers

    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        await view.remove()
        view._reveal_focused()  # what the pending callback does once the view is gone: nothing, no crash
        assert app.is_running
        await pilot.press("ctrl+q")


@run_async
async def test_long_option_labels_and_score_names_are_shown_in_full(tmp_path: Path) -> None:
    from riskwizard.loader import bundled_dir

    from .helpers import make_answers

    path = make_answers(tmp_path, bundled_dir() / "error-costs.yaml")  # absolute: other tests may chdir
    app = RiskwizardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        target = max((p for p in screen.order if p.question.type == "single"),
                     key=lambda p: max(len(o.label) for o in p.question.options))
        assert max(len(o.label) for o in target.question.options) > 40
        await screen.go(target)
        await pilot.pause()
        picker = screen.query_one("#editor OptionPicker")
        for index, option in enumerate(target.question.options):
            # the option as drawn, line by line, without the number and mark columns: every word is there
            strips = picker._get_option_render(picker.get_option_at_index(index),
                                               picker.get_visual_style("option-list--option"))
            drawn = " ".join(strip.text[8:].strip() for strip in strips)
            assert " ".join(f"{option.label} {option.help}".split()) == " ".join(drawn.split())
            assert len(strips) > 1 or len(option.label) <= strips[0].cell_length - 8  # longer ones wrap
        results = screen.query_one("#results")
        await pilot.press("ctrl+o")  # at 80 columns the results panel is shown on demand
        await pilot.pause()
        panel = str(results.query("Static").first().render())
        assert "Harm from false positives" in panel and "Harm from false negatives" in panel
        await pilot.press("ctrl+q")


@run_async
async def test_opening_another_file_and_going_back_to_the_start_screen(tmp_path: Path) -> None:
    from riskwizard.tui.screens.start import StartScreen

    from .helpers import make_answers

    first = make_answers(tmp_path, name="first.yaml", system="First system")
    second = make_answers(tmp_path, name="second.yaml", system="Second system")
    app = RiskwizardApp(first, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.wizard is app.screen and app.session is not None and app.session.path == first
        first_wizard = app.screen
        await pilot.press("enter")  # an answer in the first file: schedules its what-would-change timer
        app.open_path(second)
        await pilot.pause()
        await pilot.pause()
        # The first wizard was the first screen (Textual cannot replace that one): it stays underneath,
        # with its session closed, its timers stopped and its widgets gone.
        assert app.screen_stack[0] is first_wizard and first_wizard.session.closed
        assert first_wizard._changes_timer is None and not first_wizard.children
        assert app.screen is app.wizard and app.wizard.session.path == second
        assert not (tmp_path / ".first.yaml.lock").exists() and (tmp_path / ".second.yaml.lock").exists()
        await pilot.press("enter")  # answers the first question of the second file
        await pilot.pause()
        assert saved(second)["mini"]["kind"].value == "scorer"
        assert saved(first)["mini"]["kind"].value == "scorer"  # the first file kept its own answer
        await app.show_start()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.session is None and app.wizard is None
        assert not (tmp_path / ".second.yaml.lock").exists()
        await pilot.press("ctrl+q")


@run_async
async def test_short_terminal_shows_the_prompt_with_its_options(tmp_path: Path) -> None:
    """At 80x24 a question with long help, "why it matters" and a source still shows its prompt
    and its options together; the why and the source come after the answer."""
    from riskwizard.loader import bundled_dir

    from .helpers import make_answers

    path = make_answers(tmp_path, bundled_dir() / "neurips-broader-impact.yaml")
    app = RiskwizardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        target = next(p for p in screen.order if p.question.type == "single" and p.question.why
                      and p.question.source and len(p.question.help or "") > 100)
        await screen.go(target)
        await pilot.pause()
        await pilot.pause()
        view = screen.question_view
        prompt, editor, why = (view.query_one(s) for s in ("#prompt", "#editor", "#why"))
        options = screen.focused
        assert options is not None and options in editor.walk_children()
        assert view.scroll_offset.y == 0  # nothing had to scroll for the answer to be on screen
        assert prompt.region.y >= view.region.y  # the prompt's first lines are on screen...
        first = options.content_region.y + options._index_to_line[options.highlighted]
        assert first + options._heights[options.highlighted] <= view.region.bottom  # ...and the first option
        assert prompt.virtual_region.y < editor.virtual_region.y < why.virtual_region.y
        assert "Why it matters" in str(why.render()) and target.question.source in str(why.render())
        await pilot.press("ctrl+q")
