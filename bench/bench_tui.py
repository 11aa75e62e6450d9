"""TUI latency benchmark (plain script): first frame and per-keypress latency.

Each number is compared with a bare Textual app that has the same kinds and number of widgets,
measured in the same run, so the ratios say what riskwizard adds on top of Textual itself. The
bare app is measured twice: showing riskwizard's first screen's text with its styles (the target is
judged against this one: the text is the questionnaire's, which any app must draw), and showing a
word or two per widget. Timed rounds on a shared machine vary by a third, so each first-frame ratio
is the median of per-round ratios (see also ``bench_tui_instructions.py``, which counts instructions).

First frame: wall time from creating the app (which opens, locks and reads the answers file
with all bundled questionnaires) to the first question being on screen. Keypress: the UI
thread's CPU time to handle one key and redraw (``time.thread_time``; Pilot's own idle-waiting
sleeps are excluded; background workers such as "what would change" run in other threads).
Targets: first frame <= 1.3x the bare app; median keypress under one 60 Hz frame (16.7 ms).

The in-process first-frame runs reuse the questionnaires loaded by the first run (they are
cached in memory), so the script also starts each app in a fresh process (imports excluded,
questionnaire loading included): with riskwizard's parsed-questionnaire cache warm, and cold (as
the first start after installing or upgrading).

    python bench/bench_tui.py [--keys 60] [--repeat 9] [--fresh 5]
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
from textual.widgets import Checkbox, Header, Input, OptionList, Static, Tree

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

    The containers nest as the wizard's do (see ``screen_texts``). The tree shows as many lines as
    riskwizard's side panel does on its first screen (a Tree's cost is in the lines it draws, not in
    the one widget it is). With ``texts`` (captured from riskwizard's first screen, with their styles)
    every widget shows the same text, so the ratio isolates what riskwizard's logic adds; without,
    they show short placeholders.
    """

    # the layout of riskwizard.tcss at 100 columns (headline, side column 30 with its hidden hint line,
    # no results column below 120 columns: riskwizard composes it hidden) and its docked key bar
    CSS = """
    .keys { dock: bottom; height: 1; background: $footer-background; }
    #headline { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    #main { height: 1fr; }
    #side-col { width: 30; border-right: vkey $foreground 30%; }
    #side-hint { display: none; }
    #tree { width: 1fr; height: 1fr; }
    #results { width: 36; padding: 0 1; border-left: vkey $foreground 30%; display: none; }
    #question { padding: 0 1; }
    #where { margin-bottom: 1; }
    .editor { height: auto; margin-bottom: 1; }
    #question Checkbox { margin-bottom: 1; }
    #why { margin-bottom: 1; }
    #status { margin-top: 1; }
    OptionList { height: auto; max-height: 1000; border: tall $border-blurred; }
    OptionList:focus { border: tall $border; }
    """

    def __init__(self, widgets: int, tree_lines: int = 12, texts: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.widgets = widgets
        self.tree_lines = tree_lines
        self.texts = texts

    def compose(self) -> ComposeResult:
        texts = self.texts or {}
        # Header and its 3 parts, the headline, Horizontal, the side column with its hint and Tree, 2
        # Verticals, the question's VerticalScroll, where it is, the prompt, the editor's Vertical and its
        # option list, the check box, why-it-matters, note label, note input, status line, the results
        # column and its text, the key bar.
        options = texts.get("options") or [f"Option {i}" for i in range(4)]
        whys = [texts["why"]] if texts.get("why") is not None else []
        unknowns = [texts.get("unknown", "Don't know")] if texts.get("unknown", "") is not None else []
        used = 22 + len(whys) + len(unknowns)
        yield Header()
        yield Static(texts.get("headline", "headline"), markup=False, id="headline")
        with Horizontal(id="main"):
            with Vertical(id="side-col"):
                yield Static("hint", id="side-hint")
                tree: Tree[None] = Tree("bare", id="tree")
                tree.show_root = False
                labels = texts.get("tree") or []
                for i in range(self.tree_lines):
                    tree.root.add_leaf(labels[i] if i < len(labels) else f"3/12 Section of a questionnaire {i}")
                yield tree
            with Vertical(), Vertical(), VerticalScroll(id="question"):
                yield Static(texts.get("where", "where"), markup=False, id="where")
                yield Static(texts.get("head", "prompt"), markup=False)
                with Vertical(classes="editor"):
                    yield OptionList(*options)
                for unknown in unknowns:  # "don't know", when the question offers it
                    yield Checkbox(unknown, compact=True)
                for why in whys:  # "why it matters" and the source, after the answer
                    yield Static(why, markup=False, id="why")
                yield Static(texts.get("note_label", "Note"), markup=False)
                yield Input(placeholder=texts.get("note_placeholder", "note"))
                yield Static(texts.get("status", ""), markup=False, id="status")
                yield from (Static(f"line {i}") for i in range(max(0, self.widgets - used)))
            yield VerticalScroll(Static(texts.get("results", "results"), markup=False), id="results")
        yield Static(texts.get("keys", " ^n Next  ^p Prev  ^f Find  ^t Don't know  ^o Results  ^r Review  ^q Quit"
                                       "  ^k Palette"), classes="keys")


def visible_tree_lines(tree: Tree[object]) -> int:
    """Lines a tree draws when fully scrolled (``last_line`` is the index of its last line)."""
    return tree.last_line + 1


def screen_texts(screen: Any) -> dict[str, Any]:
    """The text riskwizard's first screen shows, with its styles (copies of the Rich objects): headline,
    side-panel lines, where the question is, the question, its options as drawn (number, mark, label and
    help), note, status, results, key bar."""
    from riskwizard.tui.widgets.picker import OptionPicker

    tree = screen.query_one(Tree)
    pickers = screen.query(OptionPicker)
    options = ([pickers.first()._prompt(i) for i in range(pickers.first().option_count)] if pickers else [])

    def copy(text: Any) -> Any:
        return text.copy() if hasattr(text, "copy") else text

    def static(selector: str) -> Any:
        return copy(screen.query_one(selector, Static).content)

    return {
        "headline": static("#headline"),
        "tree": [copy(tree.get_node_at_line(i).label) for i in range(tree.last_line + 1)],
        "where": static("#where"),
        "head": static("#prompt"),
        "options": options or ["Yes", "No"],
        # None when the first question has no "don't know" box (e.g. a required form field)
        "unknown": screen.query_one("#unknown", Checkbox).label if screen.query("#unknown") else None,
        "why": static("#why") if screen.query("#why") else None,
        "note_label": static(".note-label"),
        "note_placeholder": screen.query_one("#note", Input).placeholder,
        "status": static("#status"),
        "results": static("#results-body"),
        "keys": static("#keys"),
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


# What is typed into an answer: digits, then as many backspaces (the value stays a short number).
TYPING = [*"12345", *["backspace"] * 5]


async def keys_rw(path: Path, n: int) -> tuple[list[float], list[float]]:
    """UI-thread time of ``n`` keys typed into a number answer (autosave is debounced), and of
    ``n // 3`` moves to the next or previous question (alternating, so the typed-in answer comes back)."""
    from riskwizard.tui.app import RiskwizardApp
    from riskwizard.tui.screens.wizard import WizardScreen

    app = RiskwizardApp(path, [])
    typing, moves = [], []
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, WizardScreen) and app.screen.ready):
            await pilot.pause(0)
        number = next(p for p in app.screen.order if p.question.type == "number")
        await app.screen.go(number)
        await pilot.pause()
        for i in range(n):
            t = time.thread_time()
            await pilot.press(TYPING[i % len(TYPING)])
            typing.append(time.thread_time() - t)
        for i in range(n // 3):
            t = time.thread_time()
            await pilot.press("ctrl+n" if i % 2 == 0 else "ctrl+p")
            moves.append(time.thread_time() - t)
        await pilot.press("ctrl+q")
    return typing, moves


class QuestionLike(Vertical):
    """What the wizard mounts per question, without logic: text, an option list, a checkbox, inputs."""

    def compose(self) -> ComposeResult:
        yield Static("where the question is")
        yield Static("prompt, help, why, source")
        with Vertical(classes="editor"):
            yield OptionList(*(f"Option {i}" for i in range(4)))
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
        holder = app.query_one("#question", VerticalScroll)
        for _ in range(n):
            t = time.thread_time()
            for old in holder.query(QuestionLike):
                await old.remove()
            await holder.mount(QuestionLike())
            await pilot.press("tab")
            times.append(time.thread_time() - t)
    return times


async def keys_bare(widgets: int, tree_lines: int, n: int, texts: dict[str, Any] | None = None) -> list[float]:
    """Bare baseline for typing: the same keys typed into an Input."""
    app = BareApp(widgets, tree_lines, texts)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(Input).focus()
        await pilot.pause()
        for i in range(n):
            t = time.thread_time()
            await pilot.press(TYPING[i % len(TYPING)])
            times.append(time.thread_time() - t)
    return times


def fresh_first_frame(kind: str, path: Path, shape: Path) -> float:
    """First frame of riskwizard ("rw") or the bare app with riskwizard's texts ("same") in a new
    Python process, in seconds. ``shape`` holds the bare app's widget count, tree lines and texts."""
    import subprocess

    done = subprocess.run([sys.executable, __file__, "--one", kind, str(path), str(shape)], capture_output=True,
                          text=True, check=True, timeout=120)
    return float(done.stdout.strip().splitlines()[-1])


def one(kind: str, path: Path, shape: Path) -> None:
    """Child process of ``fresh_first_frame``: modules imported first, then one app timed."""
    import pickle  # the benchmark's own file, written by this script a moment ago

    from riskwizard.tui.app import RiskwizardApp  # noqa: F401  (imports are not part of the frame)

    if kind == "rw":
        print(asyncio.run(first_frame_rw(path))[0])
    else:
        widgets, lines, texts = pickle.loads(shape.read_bytes())
        print(asyncio.run(first_frame_bare(widgets, lines, texts)))


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=9, help="rounds of in-process first frames")
    parser.add_argument("--fresh", type=int, default=5, help="first frames measured in fresh processes")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "ANSWERS", "SHAPE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], Path(args.one[1]), Path(args.one[2]))
        return
    import pickle

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_STATE_HOME"] = tmp
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        path = make_answers(Path(tmp))
        # The shape of riskwizard's first screen (widgets, tree lines, texts) for the bare apps.
        _, widgets, lines, texts = asyncio.run(first_frame_rw(path))
        shape = Path(tmp) / "shape.pickle"
        shape.write_bytes(pickle.dumps((widgets, lines, texts)))
        # A fresh process loads the questionnaires: parsed from YAML the first time (a cold cache, as
        # after installing or upgrading), then read from riskwizard's parsed-data cache. Riskwizard and
        # the bare app alternate, so both see the machine in the same state.
        fresh_cold, fresh_rw, fresh_same = [], [], []
        for _ in range(args.fresh):
            shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
            fresh_cold.append(fresh_first_frame("rw", path, shape))
            fresh_rw.append(fresh_first_frame("rw", path, shape))
            fresh_same.append(fresh_first_frame("same", path, shape))
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
        rw_typing, rw_nav = asyncio.run(keys_rw(path, args.keys))
        gc.collect()
        bare_keys = asyncio.run(keys_bare(widgets, lines, args.keys, texts))
        gc.collect()
        bare_nav = asyncio.run(nav_bare(widgets, lines, max(4, args.keys // 3)))
    # A keypress: typing and moving between questions, 3 to 1 (as in the bare app: typing and remounting).
    rw_keys, bare_keys = rw_typing + rw_nav, bare_keys + bare_nav[:len(rw_nav)]
    rw_k, bare_k = statistics.median(rw_keys) * 1000, statistics.median(bare_keys) * 1000
    rw_p95 = sorted(rw_keys)[int(len(rw_keys) * 0.95) - 1] * 1000
    print(f"widgets on the first screen: {widgets}; side-panel tree lines: {lines}")
    # Each round's apps ran back to back, so a round's ratio is measured in one state of this (noisy)
    # machine; the median of the rounds' ratios is the figure to compare with the target.
    same_ratios = [r / s for r, s in zip(rw_frames, same_frames, strict=True)]
    bare_ratios = [r / b for r, b in zip(rw_frames, bare_frames, strict=True)]
    same_ratio = statistics.median(same_ratios)
    print(f"first frame: riskwizard {statistics.median(rw_frames) * 1000:.0f} ms; bare app with the same widgets "
          f"and the same text {statistics.median(same_frames) * 1000:.0f} ms: ratio {same_ratio:.2f}x "
          f"(median of {len(same_ratios)} rounds, range {spread(same_ratios)}; target <= 1.3x)")
    print(f"  with placeholder text {statistics.median(bare_frames) * 1000:.0f} ms: ratio "
          f"{statistics.median(bare_ratios):.2f}x (range {spread(bare_ratios)})")
    if fresh_rw:
        fresh_ratios = [r / s for r, s in zip(fresh_rw, fresh_same, strict=True)]
        cold_ratios = [c / s for c, s in zip(fresh_cold, fresh_same, strict=True)]
        print(f"first frame in a fresh process (imports excluded; questionnaires read from riskwizard's parsed "
              f"cache): riskwizard {statistics.median(fresh_rw) * 1000:.0f} ms, bare app with the same text "
              f"{statistics.median(fresh_same) * 1000:.0f} ms: ratio {statistics.median(fresh_ratios):.2f}x "
              f"(range {spread(fresh_ratios)})")
        print(f"  with a cold cache (YAML parsed, as after installing): {statistics.median(fresh_cold) * 1000:.0f} ms,"
              f" ratio {statistics.median(cold_ratios):.2f}x")
    print(f"keypress median (typing and next/previous, 3 to 1): riskwizard {rw_k:.1f} ms (p95 {rw_p95:.1f} ms), "
          f"bare {bare_k:.1f} ms, ratio {rw_k / bare_k:.2f}x; one 60 Hz frame is {FRAME:.1f} ms "
          f"({'OK' if rw_k <= FRAME else 'SLOW'})")
    typing, bare_typing = statistics.median(rw_typing) * 1000, statistics.median(bare_keys[:len(rw_typing)]) * 1000
    nav, bare_n = statistics.median(rw_nav) * 1000, statistics.median(bare_nav) * 1000
    print(f"  typing in an answer: median {typing:.1f} ms; bare app typing in an Input {bare_typing:.1f} ms, "
          f"ratio {typing / bare_typing:.2f}x")
    print(f"  next/previous question: median {nav:.1f} ms; bare remount of a question-sized group "
          f"{bare_n:.1f} ms, ratio {nav / bare_n:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
