"""Benchmark PDF export (plain script; prints the ratios measured in this run).

1. riskwizard's PDF export of an answers file (load, evaluate, build HTML, lay out, write) against
   WeasyPrint alone laying out the very same HTML. Target: <= 1.3x.
2. Batch export of a folder of copies of the samples with 2 worker processes against 1.

    python bench/bench_pdf.py [--repeat 3] [--copies 2]
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskwizard.assessment import open_assessment  # noqa: E402
from riskwizard.reports import batch_export, export_file  # noqa: E402
from riskwizard.reports.fetcher import ASSETS  # noqa: E402
from riskwizard.reports.htmldoc import render_html  # noqa: E402
from riskwizard.reports.model import build_model  # noqa: E402

FIXTURES = ROOT / "tests" / "reports" / "fixtures"
_FORMAT = re.compile(r"^format:\s*[\"']?riskwizard-answers/1", re.MULTILINE)


def samples() -> list[Path]:
    found = [p for p in sorted((ROOT / "samples").glob("*.yaml")) if _FORMAT.search(p.read_text(encoding="utf-8"))]
    return found or [FIXTURES / "full.yaml"]


def timed_pair(a, b, repeat: int) -> tuple[float, float]:
    """Median times of a and b, interleaved so that machine load affects both alike."""
    a()
    b()  # warm-up: imports, font parsing, template compilation
    runs_a, runs_b = [], []
    for _ in range(repeat):
        for fn, runs in ((a, runs_a), (b, runs_b)):
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
    return statistics.median(runs_a), statistics.median(runs_b)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import HTML

    answers = samples()[0]
    tmp = Path(tempfile.mkdtemp(prefix="rw-bench-"))
    try:
        a = open_assessment(answers, strict=False)
        html = render_html(build_model(a.doc, a.specs), for_pdf=True)
        base = ASSETS.as_uri() + "/"
        t_weasy, t_ours = timed_pair(lambda: HTML(string=html, base_url=base).write_pdf(),
                                     lambda: export_file(answers, "pdf", tmp / "one.pdf"), args.repeat)
        print(f"sample: {answers.relative_to(ROOT)}")
        print(f"WeasyPrint alone (same HTML): {t_weasy:.2f} s")
        print(f"riskwizard export_file (pdf): {t_ours:.2f} s")
        print(f"ratio export / WeasyPrint:   {t_ours / t_weasy:.2f}x (target <= 1.30x)")

        folder = tmp / "batch"
        folder.mkdir()
        for src in samples():
            for i in range(args.copies):
                shutil.copy(src, folder / f"{src.stem}-{i}.yaml")
            qdir = src.parent / "questionnaires"
            if qdir.is_dir() and not (folder / "questionnaires").exists():
                shutil.copytree(qdir, folder / "questionnaires")
        n = len(list(folder.glob("*.yaml")))
        times = {}
        for procs in (1, 2):
            start = time.perf_counter()
            items = batch_export(folder, "pdf", tmp / f"out{procs}", processes=procs)
            times[procs] = time.perf_counter() - start
            failed = [i for i in items if i.error]
            if failed:
                print(f"  {len(failed)} failures, e.g. {failed[0].error}")
        print(f"batch of {n} files: 1 process {times[1]:.2f} s, 2 processes {times[2]:.2f} s")
        print(f"batch speed-up with 2 processes: {times[1] / times[2]:.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
