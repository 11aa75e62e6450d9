"""Whole-process start-up: from starting the process to the first question on screen, imports included.

What a user waits for after typing ``riskwizard FILE``: Python starting, riskwizard's imports (the
command line, then the TUI), opening and locking the answers file with all seven bundled questionnaires
(read from the parsed-questionnaire cache, as on every start after the first), building the first
screen and drawing it. Against it, in the same run and in alternating order, a bare Textual app process
that imports only Textual and shows the same screen: the same widgets, nested the same way, with the
same text and styles (``bench_tui.BareApp`` fed with riskwizard's own first-screen text, saved to a
file beforehand). Each figure is measured from just before the parent starts the child to the moment
the child's first frame has been drawn (headless, 100x40: both apps render the frame, neither writes
it to a terminal), on the system's monotonic clock, which both processes share.

Python is run as a user would run it: with bytecode caches (``PYTHONDONTWRITEBYTECODE`` removed from
the children's environment, and one warm-up run of each that writes them).

Target: riskwizard at most 1.3x the bare app (the median of the per-round ratios). The same rounds
also print the import cost alone (``import riskwizard.launch`` and ``riskwizard.tui.app`` vs
``import textual.app``; ``riskwizard FILE`` opens the wizard without importing the CLI).

    python bench/bench_tui_startup.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import os
import pickle  # the benchmark's own file, written by this script a moment before it is read
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (100, 40)


def child(kind: str, answers: str, shape: str) -> None:
    """Run one app to its first frame, print the monotonic time then, and exit."""
    def drawn(app: object) -> None:
        print(f"FRAME {time.monotonic():.6f}", flush=True)
        app.exit()  # type: ignore[attr-defined]

    if kind == "rw":
        import gc

        # what the ``riskwizard FILE`` command does before the wizard runs (``riskwizard.launch.main``):
        # it sets the collector for a command and checks that FILE is an answers file to open without
        # the CLI; then ``wizard_start.run_wizard`` checks the file, sets Python's thresholds back and turns the
        # collector off while the TUI is imported (the app turns it on again)
        from riskwizard import collector, wizard_start
        collector.for_a_command()
        path = wizard_start.wizard_file([answers])
        assert path is not None, "riskwizard FILE would go through the CLI"
        from riskwizard.safefile import check_input
        check_input(path)
        collector.for_a_long_run()
        gc.disable()
        from riskwizard.tui.app import RiskwizardApp
        from riskwizard.tui.screens.wizard import WizardScreen

        wizard_mounted = WizardScreen.on_mount

        def on_mount(screen: WizardScreen) -> None:  # the first question is composed: report once drawn
            wizard_mounted(screen)
            screen.app.call_after_refresh(drawn, screen.app)

        WizardScreen.on_mount = on_mount  # type: ignore[method-assign]
        app = RiskwizardApp(path, [])
        try:
            app.run(headless=True, size=SIZE)
        finally:
            app.close_session()
        return
    if kind == "bare":
        sys.path.insert(0, str(HERE))
        from bench_tui import BareApp

        widgets, lines, texts = pickle.loads(Path(shape).read_bytes())

        class Bare(BareApp):
            def on_mount(self) -> None:
                self.call_after_refresh(drawn, self)

        Bare(widgets, lines, texts).run(headless=True, size=SIZE)
        return
    if kind == "import-rw":
        import riskwizard.launch  # noqa: F401
        import riskwizard.tui.app  # noqa: F401
    elif kind == "import-textual":
        import textual.app  # noqa: F401
    print(f"FRAME {time.monotonic():.6f}", flush=True)


def run_child(kind: str, answers: Path, shape: Path, env: dict[str, str]) -> float:
    start = time.monotonic()
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(answers), str(shape)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    stamps = [line for line in done.stdout.splitlines() if line.startswith("FRAME ")]
    if done.returncode != 0 or not stamps:
        raise SystemExit(f"{kind} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return float(stamps[-1].split()[1]) - start


def shape_of_first_screen(answers: Path, shape: Path, env: dict[str, str]) -> None:
    """Riskwizard's first screen (widget count, side-panel lines, texts) for the bare app, in a process
    of its own so this one imports nothing."""
    code = ("import asyncio, pickle, sys; sys.path.insert(0, sys.argv[3]); import bench_tui; from pathlib import Path; "
            "_, w, l, t = asyncio.run(bench_tui.first_frame_rw(Path(sys.argv[1]))); "
            "Path(sys.argv[2]).write_bytes(pickle.dumps((w, l, t)))")
    subprocess.run([sys.executable, "-c", code, str(answers), str(shape), str(HERE)], check=True, env=env,
                   timeout=300)


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "ANSWERS", "SHAPE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(XDG_STATE_HOME=str(Path(tmp) / "state"), XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        sys.path.insert(0, str(HERE))
        os.environ.update(XDG_STATE_HOME=env["XDG_STATE_HOME"], XDG_CACHE_HOME=env["XDG_CACHE_HOME"])
        import bench_tui

        answers = bench_tui.make_answers(Path(tmp))
        shape = Path(tmp) / "shape.pickle"
        shape_of_first_screen(answers, shape, env)
        for kind in ("rw", "bare", "import-rw", "import-textual"):  # warm-up: bytecode and parsed caches
            run_child(kind, answers, shape, env)
        times: dict[str, list[float]] = {k: [] for k in ("rw", "bare", "import-rw", "import-textual")}
        for i in range(args.rounds):
            order = ["rw", "bare"] if i % 2 == 0 else ["bare", "rw"]
            for kind in order:
                times[kind].append(run_child(kind, answers, shape, env))
            for kind in (["import-rw", "import-textual"] if i % 2 == 0 else ["import-textual", "import-rw"]):
                times[kind].append(run_child(kind, answers, shape, env))
    ratios = [r / b for r, b in zip(times["rw"], times["bare"], strict=True)]
    import_ratios = [r / b for r, b in zip(times["import-rw"], times["import-textual"], strict=True)]
    ratio = statistics.median(ratios)
    print(f"whole process, start to first question drawn (imports included): riskwizard "
          f"{statistics.median(times['rw']) * 1000:.0f} ms, bare Textual app showing the same screen "
          f"{statistics.median(times['bare']) * 1000:.0f} ms: ratio {ratio:.2f}x (median of {len(ratios)} rounds, "
          f"range {spread(ratios)}; target <= 1.3x: {'met' if ratio <= 1.3 else 'NOT met'})")
    print(f"  imports alone: riskwizard.launch + riskwizard.tui.app "
          f"{statistics.median(times['import-rw']) * 1000:.0f} ms,"
          f" textual.app {statistics.median(times['import-textual']) * 1000:.0f} ms: ratio "
          f"{statistics.median(import_ratios):.2f}x (range {spread(import_ratios)})")


if __name__ == "__main__":
    main()
