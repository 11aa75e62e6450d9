"""The Canada AIA questionnaire in the wizard: level and scores shown, and updated after an answer."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from riskwizard.answers import load_answers
from riskwizard.tui.app import RiskwizardApp

from .helpers import run_async, saved, wait_for

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "canada-aia-benefits.yaml"


@run_async
async def test_level_and_scores_update_after_an_answer(tmp_path: Path) -> None:
    path = tmp_path / "aia.yaml"
    shutil.copyfile(FIXTURE, path)
    app = RiskwizardApp(path, [])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen

        def results() -> str:
            return str(screen.query_one("#results-body").render())

        def score(title: str) -> int:
            found = re.search(rf"{title}\s+(\d+)", results())
            assert found, results()
            return int(found.group(1))

        assert "Level II: moderate impact" in results() and "105/105 answered" in results()
        assert score("Raw impact score") == 61 and score("Mitigation score") == 67
        # advisory -> automated (the AIA's partial -> full): 2 -> 4 raw points; 63 x 0.85 = 53.55 -> 54 = 32.3 %,
        # still Level II. The question is the shared fact decision_automation, saved once under `facts:`
        target = next(p for p in screen.order if p.question.id == "automation_level")
        await screen.go(target)
        await pilot.pause()
        picker = screen.query_one("#editor OptionPicker")
        assert picker.choices[picker.highlighted][0] == "advisory"  # the highlight starts on the answer
        await pilot.press("4")  # the fourth option, automated
        await wait_for(pilot, lambda: load_answers(path)[0].facts["decision_automation"].value == "automated")
        assert "automation_level" not in saved(path)["canada-aia"].local
        await wait_for(pilot, lambda: score("Raw impact score") == 63)
        assert score("Mitigation score") == 67
        assert "Level II: moderate impact" in results()
        await pilot.press("ctrl+q")
