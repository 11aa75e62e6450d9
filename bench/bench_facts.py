"""Keypress latency with shared facts: every questionnaire and every consistency rule re-evaluated
after each keypress (plain script, a benchmark, not a test).

The wizard as shipped evaluates the current questionnaire after a change, re-evaluates the others
only when a shared fact changed, runs the consistency rules, and waits for a typing pause before
refreshing. Here a second wizard is measured beside it with none of that saving: after every key
(typing included) it refreshes at once and evaluates all questionnaires of the assessment and all
consistency rules. Both open a copy of the llm-paper sample (seven questionnaires, every consistency
rule applies). The engine keeps each questionnaire's last result with a signature of what it read,
so "evaluating every questionnaire" costs a signature check for those whose answers and shared facts
did not change; a third wizard is measured with that memo switched off, so the figures also show the
cost of scoring all seven from scratch after every key. Keys: digits typed into a shared number fact
(the accelerator hours), choices of a shared single-choice fact (the accelerator), and moves to the
next or previous question, 3:1:1. A
keypress is the UI thread's CPU time to handle one key and redraw (``time.thread_time``, as in
bench_tui.py). The script also times evaluate_assessment alone (7 questionnaires, 34 rules).

Target: median keypress under one 60 Hz frame (16.7 ms) with everything re-evaluated.

    python bench/bench_facts.py [--keys 60] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZE = (100, 40)
FRAME = 1000 / 60
TYPING = "12345678"


def everything_after_each_key(screen: Any) -> None:
    """Make a wizard re-evaluate every questionnaire and consistency rule after every key."""
    original = screen.refresh_after_change

    def refresh_all() -> None:
        screen._results_cache.clear()
        original()

    screen.refresh_after_change = refresh_all
    screen._schedule_refresh = refresh_all  # typing too: no pause before refreshing


class _NoMemo(dict):  # type: ignore[type-arg]
    """Stands in for the engine's memo: remembers nothing, so every evaluation starts from scratch."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


async def keys(path: Path, n: int, full: bool, memo: bool = True) -> list[float]:
    from riskwizard import engine

    saved_memo = engine._MEMO
    if not memo:
        engine._MEMO = _NoMemo()
    try:
        return await _keys(path, n, full)
    finally:
        engine._MEMO = saved_memo


async def _keys(path: Path, n: int, full: bool) -> list[float]:
    from riskwizard.tui.app import RiskwizardApp
    from riskwizard.tui.screens.wizard import WizardScreen

    app = RiskwizardApp(path, [])
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, WizardScreen) and app.screen.ready):
            await pilot.pause(0)
        screen = app.screen
        if full:
            everything_after_each_key(screen)
        hours = next(p for p in screen.order if p.spec.id == "neurips-broader-impact" and p.question.id == "gpu_hours")
        await screen.go(hours)
        await pilot.pause()
        await pilot.press(*["backspace"] * 8)
        await pilot.pause()
        for i in range(n):
            t = time.thread_time()
            await pilot.press(TYPING[i % len(TYPING)])
            times.append(time.thread_time() - t)
        accelerator = next(p for p in screen.order if p.spec.id == "research-ethics" and p.question.id == "gpu_type")
        await screen.go(accelerator)
        await pilot.pause()
        for i in range(n // 3):
            t = time.thread_time()
            await pilot.press("down" if i % 2 == 0 else "up", "enter")
            times.append((time.thread_time() - t) / 2)
        for i in range(n // 3):
            t = time.thread_time()
            await pilot.press("ctrl+n" if i % 2 == 0 else "ctrl+p")
            times.append(time.thread_time() - t)
        await pilot.press("ctrl+q")
    return times


def evaluate_all(path: Path, n: int) -> list[float]:
    from riskwizard import engine
    from riskwizard.assessment import open_assessment
    from riskwizard.engine import evaluate_assessment

    a = open_assessment(path)
    times = []
    saved_memo, engine._MEMO = engine._MEMO, _NoMemo()  # scoring from scratch each time
    for _ in range(n):
        t = time.perf_counter()
        result = evaluate_assessment(a.doc, a.specs)
        times.append(time.perf_counter() - t)
    engine._MEMO = saved_memo
    assert len(result.results) == 7 and not result.contradictions
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_STATE_HOME"] = tmp
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        times: dict[str, list[float]] = {"shipped": [], "full": [], "scratch": []}
        kinds = list(times)
        for i in range(args.rounds):
            for kind in kinds[i % 3:] + kinds[:i % 3]:  # the order rotates: none always runs first
                path = Path(tmp) / f"{kind}-{i}.yaml"
                shutil.copy(ROOT / "samples" / "llm-paper.yaml", path)
                gc.collect()
                times[kind].extend(asyncio.run(keys(path, args.keys, kind != "shipped", kind != "scratch")))
        shipped, full, scratch = times["shipped"], times["full"], times["scratch"]
        path = Path(tmp) / "eval.yaml"
        shutil.copy(ROOT / "samples" / "llm-paper.yaml", path)
        alone = evaluate_all(path, 200)
    ms = 1000
    print(f"keypress median, everything re-evaluated after every key: {statistics.median(full) * ms:.1f} ms "
          f"(p95 {p95(full) * ms:.1f} ms; {len(full)} keys) — target < {FRAME:.1f} ms: "
          f"{'met' if statistics.median(full) * ms < FRAME else 'NOT met'}")
    print(f"  the same without the engine's memo (all seven scored from scratch after every key): "
          f"{statistics.median(scratch) * ms:.1f} ms (p95 {p95(scratch) * ms:.1f} ms)")
    print(f"keypress median, the wizard as shipped: {statistics.median(shipped) * ms:.1f} ms "
          f"(p95 {p95(shipped) * ms:.1f} ms); everything re-evaluated / shipped: "
          f"{statistics.median(full) / statistics.median(shipped):.2f}x")
    print(f"evaluate_assessment from scratch, alone (7 questionnaires, every consistency rule): median "
          f"{statistics.median(alone) * ms:.2f} ms (p95 {p95(alone) * ms:.2f} ms)")


if __name__ == "__main__":
    main()
