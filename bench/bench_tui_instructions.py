"""First frame counted in CPU instructions (Valgrind's callgrind): a figure the machine's noise cannot move.

Wall and CPU times of the same first frame vary by a third between runs on a shared 2-core machine,
so ``bench_tui.py`` needs many rounds to give a stable ratio. Instructions executed do not vary: two
runs agree to within 0.1%. This script counts them for the same three apps as ``bench_tui.py``
(riskwizard; the bare app with riskwizard's widgets and text; the bare app with placeholder text),
each after two uncounted warm-up runs in the same process, and prints the ratios. Instructions are
not time (memory stalls differ), so this complements the timed benchmark rather than replacing it.

    python bench/bench_tui_instructions.py      # needs valgrind; about two minutes

It re-runs itself under ``valgrind --tool=callgrind --instr-atstart=no`` and switches counting on
and off around each first frame with ``callgrind_control``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_tui  # noqa: E402  (the apps and texts being compared)

KINDS = ("rw", "same", "bare")


def counting(on: bool) -> None:
    """Ask callgrind to start or stop counting this process's instructions."""
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], capture_output=True,
                   check=False)
    for _ in range(3000):  # callgrind applies the request at its next check, while Python runs
        pass


def dump(label: str) -> None:
    subprocess.run(["callgrind_control", "-d", label, str(os.getpid())], capture_output=True, check=False)
    for _ in range(3000):
        pass


async def first_frame(kind: str, path: Path, shape: tuple[int, int, dict], count: bool) -> None:
    from riskwizard.tui.app import RiskwizardApp
    from riskwizard.tui.screens.wizard import WizardScreen

    widgets, lines, texts = shape
    if count:
        counting(True)
    if kind == "rw":
        app = RiskwizardApp(path, [])
        async with app.run_test(size=bench_tui.SIZE) as pilot:
            while not (isinstance(app.screen, WizardScreen) and app.screen.ready):
                await asyncio.sleep(0)
            await pilot.pause(0)
            if count:
                counting(False)
            await pilot.press("ctrl+q")
        return
    bare = bench_tui.BareApp(widgets, lines, texts if kind == "same" else None)
    async with bare.run_test(size=bench_tui.SIZE) as pilot:
        await pilot.pause(0)
        if count:
            counting(False)


def child(folder: Path) -> None:
    """Runs under valgrind: warm up each app, then count one first frame of each."""
    path = bench_tui.make_answers(folder)
    _, widgets, lines, texts = asyncio.run(bench_tui.first_frame_rw(path))
    shape = (widgets, lines, texts)
    for kind in KINDS:
        for _ in range(2):
            asyncio.run(first_frame(kind, path, shape, count=False))
    for kind in KINDS:
        gc.collect()
        asyncio.run(first_frame(kind, path, shape, count=True))
        dump(kind)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
        return
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        sys.exit("This benchmark needs Valgrind (valgrind and callgrind_control on PATH): "
                 "apt-get install valgrind, then run it again.")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_STATE_HOME": tmp, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        out = Path(tmp) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
                        sys.executable, __file__, "--child", tmp],
                       env=env, capture_output=True, check=True, timeout=1800)
        counts: dict[str, int] = {}
        for dumped in Path(tmp).glob("callgrind.out.*"):
            text = dumped.read_text(errors="replace")
            label = re.search(r"^desc: Trigger: dump (\S+)", text, re.M)
            total = re.search(r"^totals: (\d+)", text, re.M)
            if label and total and label.group(1) in KINDS:
                counts[label.group(1)] = int(total.group(1))
    missing = [k for k in KINDS if k not in counts]
    if missing:
        sys.exit(f"callgrind reported no count for {', '.join(missing)}")
    rw, same, bare = (counts[k] for k in KINDS)
    print(f"first frame, instructions executed: riskwizard {rw / 1e6:.0f} M; bare app with the same widgets and "
          f"text {same / 1e6:.0f} M: ratio {rw / same:.2f}x (target <= 1.3x); with placeholder text "
          f"{bare / 1e6:.0f} M: ratio {rw / bare:.2f}x")


if __name__ == "__main__":
    main()
