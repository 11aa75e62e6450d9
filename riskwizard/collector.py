"""Settings of Python's cyclic garbage collector for riskwizard's processes.

A command allocates a great deal and keeps almost all of it: imports, questionnaires, and for a PDF
hundreds of thousands of layout objects. With Python's default thresholds the collector rescans all
of them again and again for little garbage (about a tenth of a PDF export's time, more than the
export's own rules and templates take). A command (``riskwizard.launch``) collects the young
generation every 50,000 allocations instead of 700; cycles are still collected, so memory stays
bounded. The wizard and ``serve``, which run for as long as the user works, use Python's own
thresholds.
"""

from __future__ import annotations

import gc

PYTHON_THRESHOLD = gc.get_threshold()  # as the interpreter started (700, 10, 10 unless changed)
COMMAND_THRESHOLD = (50_000, 50, 100)


def for_a_command() -> None:
    gc.set_threshold(*COMMAND_THRESHOLD)


def for_a_long_run() -> None:
    gc.set_threshold(*PYTHON_THRESHOLD)
