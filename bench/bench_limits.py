"""Benchmark: PDF export cost with every free-text field at its length cap (plain script; prints ratios).

1. a small assessment (the model-card questionnaire, no answers) as PDF;
2. the same with every name at its cap (500 characters, repeated in page headers) and the
   description, committee conditions and a comment at 20,000 characters each, written as single
   unbroken words (the worst case for line breaking);
3. case 2 with riskwizard's break opportunities switched off (what the cost was before).

Prints seconds (median of --repeat runs), pages and the ratios to case 1. Target: case 2 costs what
its page count predicts (about the same seconds per page as case 1), never minutes.

    python bench/bench_limits.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from riskwizard.answers import Comment, new_doc  # noqa: E402
from riskwizard.loader import find_questionnaire  # noqa: E402
from riskwizard.models import MAX_NAME, MAX_TEXT  # noqa: E402
from riskwizard.reports import htmldoc, render  # noqa: E402


def maximal(specs: list) -> object:
    doc = new_doc(specs, "N" * MAX_NAME, assessor="A" * MAX_NAME)
    doc.system.organisation = "O" * MAX_NAME
    doc.system.version = "V" * MAX_NAME
    doc.system.description = "D" * MAX_TEXT
    doc.review.conditions = "C" * MAX_TEXT
    doc.review.comments.append(Comment(by="B" * MAX_NAME, date="2026-01-01", text="T" * MAX_TEXT))
    return doc


def timed(doc: object, specs: list, repeat: int) -> tuple[float, int]:
    seconds = []
    pdf = b""
    for _ in range(repeat):
        started = time.perf_counter()
        pdf = render(doc, specs, "pdf")  # type: ignore[arg-type]
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(PdfReader(io.BytesIO(pdf)).pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    specs = [find_questionnaire("model-card")]
    render(new_doc(specs, "warm-up"), specs, "pdf")
    small, small_pages = timed(new_doc(specs, "Small"), specs, args.repeat)
    big, big_pages = timed(maximal(specs), specs, args.repeat)
    saved = htmldoc.break_long_words
    htmldoc.break_long_words = lambda html: html  # type: ignore[assignment]
    try:
        before, before_pages = timed(maximal(specs), specs, 1)
    finally:
        htmldoc.break_long_words = saved  # type: ignore[assignment]
    print(f"{'case':<44} {'seconds':>8} {'pages':>6} {'ratio':>7} {'s/page':>7}")
    for label, seconds, pages in (("small assessment", small, small_pages),
                                  ("every field at its cap (unbroken words)", big, big_pages),
                                  ("the same without break opportunities", before, before_pages)):
        print(f"{label:<44} {seconds:>8.2f} {pages:>6} {seconds / small:>6.1f}x {seconds / pages:>7.3f}")
    per_page = (big / big_pages) / (small / small_pages)
    print(f"seconds per page at the caps vs small: {per_page:.2f}x (target: about 1x, i.e. linear in the text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
