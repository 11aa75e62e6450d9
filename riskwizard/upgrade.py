"""`riskwizard migrate`: what opening an answers file in the current layout changes, as a plan and a diff.

The upgrade itself happens whenever a file is opened (:func:`riskwizard.answers.reconcile` and
:mod:`.migrate`); this module only shows it before anything is written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import display_path


def migration_diff(old_text: str, new_text: str, name: str) -> str:
    lines = difflib.unified_diff(old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                 fromfile=f"{name} (before)", tofile=f"{name} (after)")
    return "".join(lines)


@dataclass
class Migration:
    """What opening a file in the current layout changes: the text before and after, and why."""

    path: Path
    before: str
    after: str
    notices: list[str]
    upgraded_from: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return migration_diff(self.before, self.after, display_path(self.path))


def plan_migration(path: str | Path, search: list[Path] | None = None, store: Any = None) -> tuple[Migration, Any]:
    """Read a file and bring it to the current layout in memory; returns the plan and the document.

    Nothing is written. ``store`` is the caller's (locked) AnswerStore, so that a save afterwards
    notices if another program changed the file in between.
    """
    from .answers import MAX_ANSWERS_BYTES, AnswerStore, dump_answers
    from .assessment import open_assessment
    from .safefile import read_input

    p = Path(path)
    store = store if store is not None else AnswerStore(p)
    loaded = store.load()
    before = read_input(p, MAX_ANSWERS_BYTES).decode("utf-8", errors="replace")
    upgraded_from = loaded[0].upgraded_from
    assessment = open_assessment(p, search, strict=False, loaded=loaded)
    after = dump_answers(assessment.doc) if (upgraded_from or assessment.notices) else before
    return Migration(p, before, after, list(assessment.notices), upgraded_from), assessment.doc
