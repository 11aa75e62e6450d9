"""Run riskwizard on hostile inputs in a jailed subprocess and judge the outcome.

Shared by the pytest suite (tests/hostile/) and ``tools/robustness.py``. A run passes when:
the exit code is the expected one (never a signal death or a timeout), no ``Traceback`` and no
``internal error`` appears, the expected message substring appears, and, where a line makes
sense, the message names ``FILE:LINE:``.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cases import CASES, CORPUS, Case, write_corpus

MEMORY_LIMIT = 1024 * 1024 * 1024  # RLIMIT_AS: 1 GiB
TIME_LIMIT = 20  # seconds of CPU (RLIMIT_CPU): the budget of one input
WALL_LIMIT = 60  # seconds of wall clock: generous, so a loaded CI machine does not flake


def _limits() -> None:  # runs in the child between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass
class Run:
    returncode: int | None
    output: str
    seconds: float
    timed_out: bool = False

    @property
    def signal_death(self) -> bool:
        return self.returncode is not None and self.returncode < 0

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.output or "internal error:" in self.output


def run_cli(args: list[str], cwd: Path, timeout: float = WALL_LIMIT) -> Run:
    env = {k: v for k, v in os.environ.items() if k != "RISKWIZARD_DEBUG"}
    env["PYTHONFAULTHANDLER"] = "1"  # a segfault prints "Fatal Python error" instead of vanishing
    env.setdefault("PYTHONIOENCODING", "utf-8")
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "riskwizard", *args], cwd=cwd, env=env,
                              capture_output=True, timeout=timeout, preexec_fn=_limits, check=False)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"") + (exc.stderr or b"")
        return Run(None, out.decode("utf-8", "replace"), time.monotonic() - start, timed_out=True)
    out = proc.stdout + proc.stderr
    return Run(proc.returncode, out.decode("utf-8", "replace"), time.monotonic() - start)


@dataclass
class Verdict:
    case: Case
    run: Run
    problems: list[str] = field(default_factory=list)

    @property
    def crash(self) -> bool:
        return self.run.signal_death or self.run.timed_out or self.run.traceback

    @property
    def missing_line(self) -> bool:
        return any(p.startswith("missing line") for p in self.problems)

    @property
    def ok(self) -> bool:
        return not self.problems


def judge(case: Case, run: Run) -> Verdict:
    v = Verdict(case, run)
    name = case.filename
    if run.timed_out:
        v.problems.append(f"timed out after {WALL_LIMIT} s (wall clock)")
    elif run.signal_death:
        name = signal.Signals(-run.returncode).name
        extra = f" (over the {TIME_LIMIT} s CPU limit)" if name in ("SIGXCPU", "SIGKILL") else ""
        v.problems.append(f"killed by signal {name}{extra}")
    if run.traceback:
        v.problems.append("traceback / internal error in output")
    if not run.timed_out and not run.signal_death and run.returncode != case.exit:
        v.problems.append(f"exit {run.returncode}, expected {case.exit}")
    if case.exit != 0 and not run.output.strip():
        v.problems.append("no message at all")
    if case.msg and case.msg.lower() not in run.output.lower():
        v.problems.append(f"message lacks {case.msg!r}")
    if case.exit != 0 and case.line is not None and f"{name}:{case.line}:" not in run.output:
        v.problems.append(f"missing line: expected {name}:{case.line}:")
    if case.exit != 0 and name not in run.output:
        v.problems.append(f"message does not name the file {name}")
    return v


def case_path(case: Case, generated_root: Path | None) -> Path:
    if case.generated:
        if generated_root is None:
            raise ValueError("generated case needs a folder")
        path = generated_root / case.relpath
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(case.data())
        return path
    return CORPUS / case.relpath


def prepare_generated(root: Path) -> None:
    write_corpus(root, include_generated=False)  # answers files need a/questionnaires/ beside them
    for case in CASES:
        if case.generated:
            case_path(case, root)


def run_case(case: Case, generated_root: Path | None = None) -> Verdict:
    path = case_path(case, generated_root)
    return judge(case, run_cli([*case.cmd.split(), path.name], cwd=path.parent))


def run_all(generated_root: Path, workers: int = 2, cases: list[Case] | None = None) -> list[Verdict]:
    prepare_generated(generated_root)
    todo = cases if cases is not None else CASES
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda c: run_case(c, generated_root), todo))
