#!/usr/bin/env python3
"""Robustness figures for riskwizard, in one command.

    python tools/robustness.py [--kills 100] [--workers 2] [--no-tui] [--no-leaks] [--no-fs] [-v]

1. every hostile input of tests/hostile/cases.py (`validate`/`score` in a subprocess limited to
   1 GiB of address space, 20 s of CPU, 60 s wall clock): crashes (traceback, internal error, signal death, timeout),
   missing line numbers, other expectation mismatches;
2. kill -9 at random moments while a child autosaves a growing assessment: unreadable files,
   answers lost beyond the in-flight save, temp files left after recovery;
3. SIGTERM and SIGHUP to the TUI running on a pty after a few keystroke answers;
4. two instances on one answers file;
5. reports rendered from hostile answers: canary bytes of a local file, hits on a local server;
6. attacks through the file system (tests/hostile/fs_attacks.py), with the real CLI: planted
   symlinks (locks, temp names, new files, outputs, .bak, conflict copies), targets that are not
   regular files, inputs that are not (FIFOs, devices, folders, unreadable), outputs that are
   inputs, batch poison, a full disk (a small tmpfs, when root) and a read-only folder.

riskwizard's state and cache (recent files, parsed questionnaires) go to temporary folders for
this run and every process it starts: the user's own are never touched.

Prints the figures and exits 1 if any is bad (0 otherwise).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hostile"))

import faults  # noqa: E402
import fs_attacks  # noqa: E402
import hostile_harness  # noqa: E402
from cases import CASES  # noqa: E402

FS_GROUPS = [
    ("symlink", "planted symlinks: nothing written elsewhere"),
    ("target", "-o at devices/FIFOs/folders/links; -o -"),
    ("input", "non-regular or unreadable inputs refused"),
    ("overwrite", "outputs that are inputs refused"),
    ("batch", "batch poison and concurrent writers"),
    ("disk-full", "full disk (512 KiB tmpfs): exit 2, file kept"),
    ("read-only", "read-only folder: refused, suggestion"),
    ("os-error", "long names, folders in the way, EACCES/EPERM"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=100, help="SIGKILLs during autosave (default 100)")
    ap.add_argument("--workers", type=int, default=2, help="parallel subprocesses (default 2)")
    ap.add_argument("--no-tui", action="store_true", help="skip the TUI signal runs")
    ap.add_argument("--no-leaks", action="store_true", help="skip the report leak check")
    ap.add_argument("--no-fs", action="store_true", help="skip the file-system attacks")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the output of failing cases")
    args = ap.parse_args(argv)
    started = time.monotonic()
    bad: list[str] = []

    def figure(label: str, value: object, is_bad: bool = False) -> None:
        mark = "  <-- BAD" if is_bad else ""
        print(f"  {label:<44} {value}{mark}")
        if is_bad:
            bad.append(label)

    with tempfile.TemporaryDirectory(prefix="rw-robust-") as tmp:
        root = Path(tmp)
        # never the user's real recent-files list or parse cache (children inherit the environment)
        os.environ["XDG_STATE_HOME"] = str(root / "state")
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        # 1. hostile inputs
        t0 = time.monotonic()
        verdicts = hostile_harness.run_all(root / "generated", workers=args.workers)
        crashes = [v for v in verdicts if v.crash]
        missing = [v for v in verdicts if v.missing_line and not v.crash]
        others = [v for v in verdicts if not v.ok and not v.crash and not v.missing_line]
        print(f"Hostile inputs ({time.monotonic() - t0:.0f} s)")
        figure("inputs tried", f"{len(verdicts)} ({sum(c.exit != 0 for c in CASES)} must fail, "
                               f"{sum(c.exit == 0 for c in CASES)} valid-but-weird must pass)")
        figure("crashes (traceback/internal error/signal/timeout)", len(crashes), bool(crashes))
        figure("missing or wrong line numbers", len(missing), bool(missing))
        figure("other expectation mismatches (exit/message)", len(others), bool(others))
        slowest = max(verdicts, key=lambda v: v.run.seconds)
        figure("slowest input", f"{slowest.run.seconds:.1f} s ({slowest.case.name})")
        for v in crashes + missing + others:
            print(f"    {v.case.relpath} [{v.case.cmd}]: {'; '.join(v.problems)}")
            if args.verbose:
                print("      " + v.run.output.strip()[:800].replace("\n", "\n      "))

        # 2. kill -9
        t0 = time.monotonic()
        stats = faults.parallel_kill_runs(root / "kills", args.kills, workers=args.workers, seed=int(time.time()))
        print(f"kill -9 during autosave ({time.monotonic() - t0:.0f} s)")
        figure("kills", f"{stats.kills} of {args.kills} ({stats.saves_acknowledged} saves acknowledged, "
                        f"{stats.interrupted_saves} kills landed mid-save)", stats.kills != args.kills)
        figure("unreadable files before recovery", stats.unreadable_before_recovery,
               bool(stats.unreadable_before_recovery))
        figure("unreadable files after recovery", stats.unreadable_after_recovery,
               bool(stats.unreadable_after_recovery))
        figure("unreadable backups (.bak)", stats.unreadable_backups, bool(stats.unreadable_backups))
        figure("answers lost (beyond the in-flight save)", stats.answers_lost, bool(stats.answers_lost))
        figure("answers altered", stats.wrong_answers, bool(stats.wrong_answers))
        figure("temp files left after recovery", stats.leftover_temps, bool(stats.leftover_temps))
        figure("restarts refused by a stale lock", stats.lock_refusals, bool(stats.lock_refusals))
        for p in stats.problems[:10]:
            print(f"    {p}")

        # 3. TUI signals
        print("TUI under a pty")
        if args.no_tui:
            figure("SIGTERM / SIGHUP", "skipped (--no-tui)")
        else:
            for sig in (signal.SIGTERM, signal.SIGHUP):
                r = faults.tui_signal(root / "tui", sig)
                if r.skipped:
                    figure(r.signal_name, f"skipped: {r.skipped}")
                    continue
                figure(f"{r.signal_name}: exit code / file readable / lock freed",
                       f"{r.exit_code} / {'yes' if r.readable else 'NO'} / {'yes' if r.lock_released else 'NO'}"
                       f"; answers by keystroke {r.answers_before}, after exit {r.answers_after}"
                       + (f" ({r.detail.strip('; ')})" if r.detail else ""), r.bad)

        # 4. two instances
        two = faults.two_instances(root / "two")
        print("Two instances on one file")
        figure("second instance told / file unchanged",
               f"{'yes' if two.refused else 'NO'} / {'yes' if two.unchanged else 'NO'}",
               not (two.refused and two.unchanged))

        # 5. leaks
        print("Report leaks (hostile answers: file://, http://127.0.0.1, CSS url(), @import, templates)")
        if args.no_leaks:
            figure("leaks", "skipped (--no-leaks)")
        else:
            leak = faults.leak_check(root / "leak")
            if not leak.available:
                figure("leaks", leak.reason)
            else:
                figure("formats rendered", ", ".join(leak.formats) or "none", not leak.formats)
                figure("canary bytes in reports", leak.canary_bytes, bool(leak.canary_bytes))
                figure("local server hits", leak.server_hits, bool(leak.server_hits))
                for e in leak.errors:
                    figure("export problem", e, True)

        # 6. file-system attacks
        print("File-system attacks (real CLI, real files, links, FIFOs, devices and mounts)")
        if args.no_fs:
            figure("file-system attacks", "skipped (--no-fs)")
        else:
            t0 = time.monotonic()
            fs_root = root / "fs"
            fs_root.mkdir()
            fs_root.chmod(0o755)  # scenarios that run the CLI as another user must enter it
            outcomes = fs_attacks.run_all(fs_root)
            print(f"  ({len(outcomes)} scenarios, {time.monotonic() - t0:.0f} s; running as "
                  f"{'root' if os.geteuid() == 0 else 'an ordinary user'})")
            for group, label in FS_GROUPS:
                mine = [o for o in outcomes if o.group == group]
                failed = [o for o in mine if not o.ok]
                skipped = [o for o in mine if o.skipped]
                value = f"{len(mine) - len(failed) - len(skipped)} of {len(mine)} held"
                if skipped:
                    value += f", {len(skipped)} skipped ({skipped[0].skipped})"
                figure(label, value, bool(failed))
                for o in failed:
                    print(f"    {o.name}: {o.detail[:400]}")

    print(f"\n{'FAIL' if bad else 'OK'}: {len(bad)} bad figure(s) in {time.monotonic() - started:.0f} s"
          + (f": {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
