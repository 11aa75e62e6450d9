"""Helpers shared by the TUI tests."""

from __future__ import annotations

from pathlib import Path

from riskwizard.answers import AnswerStore, load_answers, new_doc
from riskwizard.loader import load_questionnaire

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
MINI = HERE.parent / "fixtures" / "mini.yaml"


def make_answers(folder: Path, questionnaire: Path = MINI, name: str = "assessment.yaml",
                 system: str = "Loan scorer") -> Path:
    path = folder / name
    spec = load_questionnaire(questionnaire)
    with AnswerStore(path) as store:
        store.save(new_doc([spec], system, "Ada", "design", path))
    return path


def saved(path: Path) -> dict:
    """The answers as written on disk: {questionnaire: {question: Answer}}."""
    doc, _ = load_answers(path)
    return doc.answers


async def wait_for(pilot, predicate, timeout: float = 10.0) -> None:
    """Pause the pilot until ``predicate()`` is true (for worker threads and timers)."""
    import time

    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


def run_async(fn):
    """Run an async test with asyncio.run (no async pytest plugin is required)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper
