"""Answering quickly and finding every key: numbers, type-ahead, Enter, auto-advance, what-if, review
jumps, help, the side panel's focus, the group editor, and no typed input lost (Pilot, real files)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from riskwizard.answers import AnswerStore, load_answers, record_answer
from riskwizard.loader import bundled_dir, load_questionnaire
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.recent import load_settings
from riskwizard.tui.screens.help import HelpScreen, help_view
from riskwizard.tui.screens.review import ReviewScreen
from riskwizard.tui.screens.row_editor import RowEditorScreen
from riskwizard.tui.screens.whatif import WhatIfScreen
from riskwizard.tui.screens.wizard import WizardScreen

from .helpers import make_answers, run_async, saved

SIZE = (100, 40)
EU = bundled_dir() / "eu-ai-act.yaml"


def current(app: RiskwizardApp) -> str:
    screen = app.screen
    assert isinstance(screen, WizardScreen) and screen.place is not None
    return screen.place.question.id


def drop_out_predictor(folder: Path) -> Path:
    """An education system: the Annex III area answered, which education uses apply still open."""
    path = make_answers(folder, EU, system="Drop-out predictor")
    spec = load_questionnaire(EU)
    doc, _ = load_answers(path)
    given = {"artefact": "ai_system", "role": ["provider"], "eu_nexus": "yes", "military_only": "no",
             "sole_research": "no", "pre_market_research": "no", "open_source": "proprietary",
             "p5a_manipulation": "no", "p5b_vulnerability": "no", "p5c_social_scoring": "no",
             "p5d_crime_prediction": "none", "p5e_face_scraping": "no", "biometric_data": "no",
             "annex1_product": "no", "annex3_areas": ["education"]}
    for qid, value in given.items():
        record_answer(doc, spec.id, spec.question(qid), value=value)
    with AnswerStore(path) as store:
        store.save(doc)
    return path


@run_async
async def test_number_keys_type_ahead_and_enter(tmp_path: Path) -> None:
    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current(app) == "kind"
        await pilot.press("s")  # type-ahead: "Scores people" is first already; "so" goes to "Something else"
        await pilot.press("o")
        picker = app.screen.query_one("#editor OptionPicker")
        assert picker.highlighted == 1
        assert saved(path)["mini"].get("kind") is None  # type-ahead only moves, it does not pick
        await pilot.press("enter")  # picks "Something else" and moves on
        await pilot.pause()
        assert saved(path)["mini"]["kind"].value == "other" and current(app) == "domains"
        await pilot.press("3", "1")  # ticks by number, in option order
        await pilot.pause()
        assert saved(path)["mini"]["domains"].value == ["credit", "none"]
        await pilot.press("3")  # the same number unticks
        await pilot.pause()
        assert saved(path)["mini"]["domains"].value == ["credit"]
        await pilot.press("ctrl+q")


@run_async
async def test_enter_on_an_answered_question_keeps_the_answer(tmp_path: Path) -> None:
    """Coming back to a single choice, the highlight is on the answer: Enter keeps it and moves on
    (it used to sit on option 1, so Enter replaced the answer with the first option)."""
    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "o", "enter")  # "Something else", not the first option
        await pilot.pause()
        assert saved(path)["mini"]["kind"].value == "other" and current(app) == "domains"
        await pilot.press("ctrl+p")
        await pilot.pause()
        picker = app.screen.query_one("#editor OptionPicker")
        assert current(app) == "kind" and picker.choices[picker.highlighted][0] == "other"
        await pilot.press("enter")
        await pilot.pause()
        assert saved(path)["mini"]["kind"].value == "other" and current(app) == "domains"
        await pilot.press("ctrl+q")
    app = RiskwizardApp(path)  # and when the file is opened again
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if current(app) != "kind":
            await pilot.press("ctrl+p")
            await pilot.pause()
        picker = app.screen.query_one("#editor OptionPicker")
        assert current(app) == "kind" and picker.choices[picker.highlighted][0] == "other"
        await pilot.press("ctrl+q")


@run_async
async def test_auto_advance_moves_on_after_a_single_choice_and_is_remembered(tmp_path: Path) -> None:
    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        assert app.auto_advance and load_settings()["auto_advance"] is True
        await pilot.press("2")  # picked and moved on
        await pilot.pause()
        assert saved(path)["mini"]["kind"].value == "other" and current(app) == "domains"
        await pilot.press("1")  # a multiple choice never moves on by itself
        await pilot.pause()
        assert current(app) == "domains"
        await pilot.press("ctrl+q")
    again = RiskwizardApp(path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.auto_advance
        await pilot.press("f3", "ctrl+q")
    assert load_settings()["auto_advance"] is False


@run_async
async def test_what_if_ranks_the_education_use_first_with_reasons_and_jumps(tmp_path: Path) -> None:
    path = drop_out_predictor(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=(120, 40)) as pilot:  # wide enough for the results panel
        await pilot.pause()
        screen = app.screen
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.5)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        panel = str(screen.query_one("#results-body").render())
        assert "Which education uses apply?" in panel and "still open" in panel
        assert panel.index("education uses") < panel.index("F2 lists all")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, WhatIfScreen)
        listing = app.screen.query_one("#whatif-list")
        first = listing.get_option_at_index(listing.highlighted)
        assert first.id == "annex3_education"
        texts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("Contradicting your other answers" in t for t in texts)
        assert any("military" in t and "Contradicts" in t for t in texts)
        await pilot.press("pagedown", "pageup", "enter")  # paging, then back at the first, which opens
        await pilot.pause()
        assert current(app) == "annex3_education"
        await pilot.press("ctrl+b")  # back to where the jump came from
        assert current(app) != "annex3_education"
        await pilot.press("ctrl+q")


@run_async
async def test_review_opens_a_question_and_ctrl_b_returns_to_the_review(tmp_path: Path) -> None:
    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        listing = app.screen.query_one("#review-list")
        users = listing.get_option_index("mini/users")
        listing.highlighted = users
        await pilot.press("enter")
        await pilot.pause()
        assert current(app) == "users"
        assert "ctrl+b goes back" in str(app.screen.query_one("#status").render())
        await pilot.press(*"42", "ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        listing = app.screen.query_one("#review-list")
        assert listing.highlighted == users  # the review is back where it was
        assert "42" in str(listing.get_option_at_index(users).prompt)
        await pilot.press("ctrl+q")
    assert saved(path)["mini"]["users"].value == 42


@run_async
async def test_every_key_is_in_the_key_bar_or_the_help_screen(tmp_path: Path) -> None:
    path = make_answers(tmp_path)
    for size in ((100, 40), (80, 24)):
        app = RiskwizardApp(path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            bar = app.screen.query_one("#keys")
            shown = set(bar.shown_actions)
            assert {"next", "previous", "dont_know", "search", "review", "help", "app.quit"} <= shown
            assert len(str(bar.render())) <= size[0]
            console = Console(width=200, record=True, file=io.StringIO())  # wide: no description wraps
            console.print(help_view(False))
            helped = console.export_text()
            names = {"escape": "esc", "pagedown": "pgdn", "pageup": "pgup"}
            for binding in WizardScreen.BINDINGS:
                key = binding.key_display or binding.key.split(",")[0]
                key = names.get(key, key)
                assert binding.action in shown or key.lower() in helped.lower(), binding
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, WizardScreen)
            await pilot.press("ctrl+q")
    assert "ctrl+g" in helped and "ctrl+l" in helped and "F7" in helped and "ctrl+end" in helped


@run_async
async def test_jump_focus_is_visible_and_shows_the_whole_line(tmp_path: Path) -> None:
    path = make_answers(tmp_path, EU)
    app = RiskwizardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#side-hint")
        assert not hint.display or not hint.region
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#side")
        assert hint.region.height > 0  # the hint line shows while the panel has the keys
        await pilot.press("up")
        await pilot.pause()
        text = str(hint.render())
        assert "Enter goes there" in text
        assert "What is assessed, and your role" in text  # the whole section title, cut in the panel
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is not app.screen.query_one("#side") and not hint.region
        await pilot.press("ctrl+q")


@run_async
async def test_group_keys_work_from_the_add_button_rows_need_every_field_and_delete_undoes(tmp_path: Path) -> None:
    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.jump_to("mini", "groups")
        assert "Button" in type(app.focused).__name__  # no rows yet: focus is on "Add group"
        await pilot.press("a")  # the hint's key works from where focus is
        await pilot.pause()
        assert isinstance(app.screen, RowEditorScreen)
        await pilot.press(*"Children", "ctrl+s")  # severity left empty: refused, saying which field
        await pilot.pause()
        assert isinstance(app.screen, RowEditorScreen)
        problem = str(app.screen.query_one("#row-problem").render())
        assert "Severity 1-5" in problem and "don't know" in problem
        await pilot.press("5", "ctrl+s")  # focus went to the missing field
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert saved(path)["mini"]["groups"].value == [{"name": "Children", "severity": 5}]
        await pilot.press("d")
        await pilot.pause()
        assert saved(path)["mini"].get("groups") is None or not saved(path)["mini"]["groups"].value
        assert "u brings it back" in str(app.screen.query_one(".group-hint").render())
        await pilot.press("u")
        await pilot.pause()
        assert saved(path)["mini"]["groups"].value == [{"name": "Children", "severity": 5}]
        await pilot.press("ctrl+q")


@run_async
async def test_text_that_is_not_a_number_is_kept_and_a_matching_unit_is_accepted(tmp_path: Path) -> None:
    bias = bundled_dir() / "bias-sources.yaml"
    path = make_answers(tmp_path, bias)
    spec = load_questionnaire(bias)
    doc, _ = load_answers(path)
    record_answer(doc, spec.id, spec.question("about_people"), value="yes")  # shows the data section
    with AnswerStore(path) as store:
        store.save(doc)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.jump_to("bias-sources", "data_years")
        await pilot.press(*"8 years")  # the question's unit: read as 8
        await pilot.pause(0.6)
        assert saved(path)["bias-sources"]["data_years"].value == 8
        await pilot.press("ctrl+n", "ctrl+p")  # away and back: 8 is the answer this visit starts from
        assert current(app) == "data_years"
        await pilot.press("ctrl+u", *"about eight")
        await pilot.press("ctrl+n")  # leaving with text that is not a number
        await pilot.pause()
        answer = saved(path)["bias-sources"]["data_years"]
        assert answer.value == 8  # the earlier answer stays...
        assert "about eight" in answer.note  # ...and the typed text is kept in the note
        messages = [n.message for n in app._notifications]
        assert any("about eight" in m and "kept in its note" in m for m in messages), messages
        await app.screen.jump_to("bias-sources", "data_years")
        await pilot.press("ctrl+u", *"9 months", "ctrl+q")  # quitting keeps it too
    answer = saved(path)["bias-sources"]["data_years"]
    assert answer.value == 8 and "9 months" in answer.note and "about eight" in answer.note


@run_async
async def test_pasting_several_lines_into_the_note_keeps_every_line(tmp_path: Path) -> None:
    from textual.events import Paste

    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        note = app.screen.query_one("#note")
        note.focus()
        await pilot.pause()
        note.post_message(Paste("first line\nsecond line\n\nthird line"))
        await pilot.pause(0.6)
        assert saved(path)["mini"]["kind"].note == "first line / second line / third line"
        assert "every line is kept" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+q")


@run_async
async def test_dont_know_where_not_offered_says_why(tmp_path: Path) -> None:
    path = make_answers(tmp_path, bundled_dir() / "model-card.yaml")
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text_question = next(p for p in app.screen.order if not p.question.unknown_allowed)
        await app.screen.go(text_question)
        await pilot.press("ctrl+t")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Nothing changed" in m and "not offered" in m for m in messages), messages
        await pilot.press("ctrl+q")


@run_async
async def test_dont_know_dims_a_typed_number(tmp_path: Path) -> None:
    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.jump_to("mini", "users")
        await pilot.press(*"300", "ctrl+t")
        await pilot.pause()
        assert app.screen.query_one("#editor").has_class("overridden")
        assert saved(path)["mini"]["users"].unknown
        await pilot.press("ctrl+q")


@run_async
async def test_first_screen_shows_the_overall_tier_and_the_next_step(tmp_path: Path) -> None:
    path = drop_out_predictor(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        headline = str(app.screen.query_one("#headline").render())
        assert "EU AI Act risk tier: Minimal risk  ·  provisional: answer its" in headline
        assert "open questions next" in headline
        assert current(app) == "eu_nexus" or app.session.answer(app.screen.place) is None  # an open question
        await pilot.press("ctrl+q")


@run_async
async def test_help_descriptions_wrap_beside_their_key_at_80_columns(tmp_path: Path) -> None:
    """A description too long for the dialog continues under the description, not under the key column."""
    from riskwizard.tui.screens.help import KEY_WIDTH, KEYS

    path = make_answers(tmp_path)
    app = RiskwizardApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        body = app.screen.query_one("#help-body Static")
        lines = [strip.text.rstrip() for strip in body.render_lines(body.region.reset_offset)]
        lines += [s.text.rstrip() for s in body.render_lines(body.region.reset_offset.translate((0, len(lines))))]
        text = [line for line in lines if line.strip()]
        keys = {k for _t, items in KEYS for k, _w in items}
        titles = {t for t, _items in KEYS}
        wrapped = 0
        for line in text:
            if line.strip() in titles or line.startswith("Auto-advance"):
                continue
            if any(line.startswith("  " + k) for k in keys):
                continue
            wrapped += 1  # a continuation: it starts in the description column
            assert line.startswith(" " * (KEY_WIDTH + 1)) and line[KEY_WIDTH + 1] != " ", repr(line)
        assert wrapped >= 3  # at 80 columns several descriptions do wrap
        await pilot.press("escape")
        await pilot.press("ctrl+q")
