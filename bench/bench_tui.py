"""TUI latency benchmark (plain script): first frame and per-keypress latency.

Each number is compared with a bare Textual app that has the same kinds and number of widgets,
measured in the same run, so the ratios say what riskwizard adds on top of Textual itself.

First frame: wall time from creating the app (which opens, locks and reads the answers file
with all bundled questionnaires) to the first question being on screen. Keypress: the UI
thread's CPU time to handle one key and redraw (``time.thread_time``; Pilot's own idle-waiting
sleeps are excluded; background workers such as "what would change" run in other threads).
Targets: first frame <= 1.3x the bare app; median keypress under one 60 Hz frame (16.7 ms).

The in-process first-frame runs reuse the questionnaires loaded by the first run (they are
cached in memory), so the script also starts each app in a fresh process (imports excluded,
questionnaire loading included): with riskwizard's parsed-questionnaire cache warm, and cold (as
the first start after installing or upgrading).

    python bench/bench_tui.py [--keys 60] [--repeat 3] [--fresh 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Header, Input, RadioButton, RadioSet, SelectionList, Static, Tree

SIZE = (100, 40)
FRAME = 1000 / 60


def make_answers(folder: Path) -> Path:
    from riskwizard.answers import AnswerStore, new_doc
    from riskwizard.loader import bundled_paths, find_questionnaire

    specs = [find_questionnaire(k) for k in bundled_paths()]
    path = folder / "bench.yaml"
    with AnswerStore(path) as store:
        store.save(new_doc(specs, "Bench system", "bench", "design", path))
    return path


class BareApp(App[None]):
    """Riskwizard's first screen with the same kinds and number of widgets, and no logic behind them.

    The tree shows as many lines as riskwizard's side panel does on its first screen (a Tree's
    cost is in the lines it draws, not in the one widget it is). With ``texts`` (captured from
    riskwizard's first screen) the widgets show the same text, so the ratio isolates what
    riskwizard's logic adds; without, they show short placeholders.
    """

    # the column widths of riskwizard.tcss (side panel 28, results 32) and its docked key bar
    CSS = """
    .keys { dock: bottom; height: 1; background: $footer-background; }
    #tree { width: 28; }
    #results { width: 32; }
    """

    def __init__(self, widgets: int, tree_lines: int = 12, texts: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.widgets = widgets
        self.tree_lines = tree_lines
        self.texts = texts

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            texts = self.texts or {}
            tree: Tree[None] = Tree("bare", id="tree")
            tree.show_root = False
            for i in range(self.tree_lines):
                labels = texts.get("tree") or []
                tree.root.add_leaf(labels[i] if i < len(labels) else f"Section of a questionnaire {i}  3/12")
            yield tree
            with VerticalScroll():
                yield Static(texts.get("head", "prompt"), markup=False)
                options = texts.get("options") or [f"Option {i}" for i in range(4)]
                # Header and its 3 parts, Horizontal, Tree, this VerticalScroll, the prompt, the check box,
                # 2 inputs, the results column and its text, the key bar; then the answer widgets.
                used = 14 + (1 if texts.get("multi") else 1 + len(options))
                if texts.get("multi"):  # the first question is a tick-all-that-apply list
                    yield SelectionList[int](*((label, i) for i, label in enumerate(options)))
                else:
                    with RadioSet():
                        for label in options:
                            yield RadioButton(label)
                yield Checkbox("Don't know")
                yield Input(id="a")
                yield Input(id="b")
                yield from (Static(f"line {i}") for i in range(max(0, self.widgets - used)))
            yield VerticalScroll(Static(texts.get("results", "results"), markup=False), id="results")
        # riskwizard's wizard draws its key hints as one docked line (see riskwizard/tui/widgets/keybar.py)
        yield Static(" ^n Next  ^p Prev  ^f Find  ^t Don't know  ^o Results  ^r Review  ^q Quit  ^k Palette",
                     classes="keys")


def visible_tree_lines(tree: Tree[object]) -> int:
    """Lines a tree draws when fully scrolled (``last_line`` is the index of its last line)."""
    return tree.last_line + 1


def screen_texts(screen: Any) -> dict[str, Any]:
    """The text riskwizard's first screen shows: side-panel lines, question, options, results."""
    tree = screen.query_one(Tree)
    results = screen.query_one("#results").query(Static)
    lists = screen.query(SelectionList)
    options = ([str(lists.first().get_option_at_index(i).prompt) for i in range(lists.first().option_count)]
               if lists else [str(b.label) for b in screen.query(RadioButton)])
    return {
        "tree": [str(tree.get_node_at_line(i).label) for i in range(tree.last_line + 1)],
        "head": str(screen.query_one("#prompt").render()),
        "options": options or ["Yes", "No"],
        "multi": bool(lists),
        "results": str(results.first().render()) if results else "results",
    }


async def first_frame_rw(path: Path) -> tuple[float, int, int, dict[str, Any]]:
    from riskwizard.tui.app import RiskwizardApp
    from riskwizard.tui.screens.wizard import WizardScreen

    start = time.perf_counter()
    app = RiskwizardApp(path, [])
    async with app.run_test(size=SIZE) as pilot:
        # Yield to the app without painting (pilot.pause would force a repaint of every
        # half-built state), then paint once, as for the bare app.
        while not (isinstance(app.screen, WizardScreen) and app.screen.ready):
            await asyncio.sleep(0)
        await pilot.pause(0)
        elapsed = time.perf_counter() - start
        count = len(list(app.screen.walk_children()))
        lines = visible_tree_lines(app.screen.query_one(Tree))
        texts = screen_texts(app.screen)
        await pilot.press("ctrl+q")
    return elapsed, count, lines, texts


async def first_frame_bare(widgets: int, tree_lines: int, texts: dict[str, Any] | None = None) -> float:
    start = time.perf_counter()
    app = BareApp(widgets, tree_lines, texts)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0)
        elapsed = time.perf_counter() - start
    return elapsed


async def keys_rw(path: Path, n: int) -> list[float]:
    from riskwizard.tui.app import RiskwizardApp
    from riskwizard.tui.screens.wizard import WizardScreen

    app = RiskwizardApp(path, [])
    times = []
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, WizardScreen) and app.screen.ready):
            await pilot.pause(0)
        number = next(p for p in app.screen.order if p.question.type == "number")
        await app.screen.go(number)  # typing goes into a number answer
        await pilot.pause()
        for i in range(n):
            # typing into a number answer (autosave is debounced) and moving between questions
            key = str(i % 10) if i % 4 else ("ctrl+n" if (i // 4) % 2 == 0 else "ctrl+p")
            t = time.thread_time()
            await pilot.press(key)
            times.append(time.thread_time() - t)
        await pilot.press("ctrl+q")
    return times


class QuestionLike(Vertical):
    """What the wizard mounts per question, without logic: text, a radio set, a checkbox, inputs."""

    def compose(self) -> ComposeResult:
        yield Static("prompt, help, why, source")
        with RadioSet():
            for i in range(4):
                yield RadioButton(f"Option {i}")
        yield Static("option help")
        yield Checkbox("Don't know")
        yield Static("Note")
        yield Input()
        yield Static("status")


async def nav_bare(widgets: int, tree_lines: int, n: int) -> list[float]:
    """Bare baseline for moving to another question: replace a question-sized group of widgets."""
    app = BareApp(widgets, tree_lines)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        holder = app.query_one(VerticalScroll)
        for _ in range(n):
            t = time.thread_time()
            for old in holder.query(QuestionLike):
                await old.remove()
            await holder.mount(QuestionLike())
            await pilot.press("tab")
            times.append(time.thread_time() - t)
    return times


async def keys_bare(widgets: int, tree_lines: int, n: int) -> list[float]:
    app = BareApp(widgets, tree_lines)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#a", Input).focus()
        await pilot.pause()
        for i in range(n):
            key = str(i % 10) if i % 4 else "tab"
            t = time.thread_time()
            await pilot.press(key)
            times.append(time.thread_time() - t)
    return times


def fresh_first_frame(kind: str, path: Path) -> float:
    """First frame of riskwizard ("rw") or the bare app in a new Python process, in seconds."""
    import subprocess

    done = subprocess.run([sys.executable, __file__, "--one", kind, str(path)], capture_output=True, text=True,
                          check=True, timeout=120)
    return float(done.stdout.strip().splitlines()[-1])


def one(kind: str, path: Path) -> None:
    """Child process of ``fresh_first_frame``: modules imported first, then one app timed."""
    from riskwizard.tui.app import RiskwizardApp  # noqa: F401  (imports are not part of the frame)

    if kind == "rw":
        print(asyncio.run(first_frame_rw(path))[0])
    else:
        print(asyncio.run(first_frame_bare(19, 18)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", type=int, default=3, help="first frames measured in fresh processes")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "ANSWERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], Path(args.one[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_STATE_HOME"] = tmp
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        path = make_answers(Path(tmp))
        # A fresh process loads the questionnaires: parsed from YAML the first time (a cold cache, as
        # after installing or upgrading), then read from riskwizard's parsed-data cache.
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        fresh_cold = []
        for _ in range(args.fresh):
            shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
            fresh_cold.append(fresh_first_frame("rw", path))
        fresh_rw = [fresh_first_frame("rw", path) for _ in range(args.fresh)]
        fresh_bare = [fresh_first_frame("bare", path) for _ in range(args.fresh)]
        # The shape of riskwizard's first screen (widgets, tree lines, texts) for the bare apps.
        _, widgets, lines, texts = asyncio.run(first_frame_rw(path))
        runs = {
            "rw": lambda: asyncio.run(first_frame_rw(path))[0],
            "bare": lambda: asyncio.run(first_frame_bare(widgets, lines)),
            "same": lambda: asyncio.run(first_frame_bare(widgets, lines, texts)),
        }
        frames: dict[str, list[float]] = {name: [] for name in runs}
        for i in range(args.repeat):
            # The order rotates each round (what runs first in a process pays for warming shared
            # caches), and each app starts from a collected heap, so none pays for the one before.
            names = list(runs)
            for name in names[i % 3:] + names[:i % 3]:
                gc.collect()
                frames[name].append(runs[name]())
        rw_frames, bare_frames, same_frames = frames["rw"], frames["bare"], frames["same"]
        gc.collect()
        rw_keys = asyncio.run(keys_rw(path, args.keys))
        gc.collect()
        bare_keys = asyncio.run(keys_bare(widgets, lines, args.keys))
        gc.collect()
        bare_nav = asyncio.run(nav_bare(widgets, lines, max(4, args.keys // 4)))
    rw_nav = [t for i, t in enumerate(rw_keys) if i % 4 == 0]
    rw_typing = [t for i, t in enumerate(rw_keys) if i % 4]
    rw_f, bare_f = statistics.median(rw_frames), statistics.median(bare_frames)
    rw_k, bare_k = statistics.median(rw_keys) * 1000, statistics.median(bare_keys) * 1000
    rw_p95 = sorted(rw_keys)[int(len(rw_keys) * 0.95) - 1] * 1000
    print(f"widgets on the first screen: {widgets}; side-panel tree lines: {lines}")
    same_f = statistics.median(same_frames)
    if fresh_rw:
        f_rw, f_bare = statistics.median(fresh_rw), statistics.median(fresh_bare)
        f_cold = statistics.median(fresh_cold)
        print(f"first frame in a fresh process (imports excluded; questionnaires read from the parsed cache): "
              f"riskwizard {f_rw * 1000:.0f} ms, bare {f_bare * 1000:.0f} ms, ratio {f_rw / f_bare:.2f}x; "
              f"with a cold cache (YAML parsed) {f_cold * 1000:.0f} ms, ratio {f_cold / f_bare:.2f}x")
    print(f"first frame: riskwizard {rw_f * 1000:.0f} ms; bare app with the same widgets and the same text "
          f"{same_f * 1000:.0f} ms, ratio {rw_f / same_f:.2f}x (target <= 1.3x); with placeholder text "
          f"{bare_f * 1000:.0f} ms, ratio {rw_f / bare_f:.2f}x")
    print(f"keypress median: riskwizard {rw_k:.1f} ms (p95 {rw_p95:.1f} ms), bare {bare_k:.1f} ms, "
          f"ratio {rw_k / bare_k:.2f}x; one 60 Hz frame is {FRAME:.1f} ms "
          f"({'OK' if rw_k <= FRAME else 'SLOW'})")
    nav, bare_n = statistics.median(rw_nav) * 1000, statistics.median(bare_nav) * 1000
    typing = statistics.median(rw_typing) * 1000
    print(f"  typing in an answer: median {typing:.1f} ms")
    print(f"  next/previous question: median {nav:.1f} ms; bare remount of a question-sized group "
          f"{bare_n:.1f} ms, ratio {nav / bare_n:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
