"""Every hostile input in tests/hostile/corpus (and the big generated ones) in a jailed subprocess.

Pass: the expected exit code (never a signal death, a timeout or a traceback), the expected message
and, where a line makes sense, ``FILE:LINE:`` in the message. See cases.py for the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import CASES, CORPUS, Case
from hostile_harness import prepare_generated, run_case

# Each item of threats.md (and of the issue) that the corpus must cover at least once.
THREATS = {
    "norway", "dates", "numbers", "duplicates", "colliding", "alias bomb", "anchors", "merge", "depth",
    "tags", "empty", "multi-document", "encoding", "surrogates", "control", "bom", "operators",
    "unknown ids", "option values", "circular", "contradictory", "rules", "calculators", "size", "markup",
    "html", "value types", "unknown questionnaire", "format line", "nan", "10k rows",
}


@pytest.fixture(scope="session")
def generated_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    prepare_generated(root)
    return root


def test_corpus_is_big_enough_and_covers_every_threat() -> None:
    assert len(CASES) >= 100
    assert sum(1 for c in CASES if c.exit != 0) >= 100
    assert len({c.name for c in CASES}) == len(CASES), "duplicate case names"
    missing = THREATS - {c.threat for c in CASES}
    assert not missing, f"threats without a case: {sorted(missing)}"


def test_corpus_files_match_the_table() -> None:
    """corpus/ is generated from cases.py (`python tests/hostile/cases.py --write`); keep them in sync."""
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("[qa]/*.yaml")}
    expected = {c.relpath for c in CASES if not c.generated}
    assert on_disk == expected
    for case in CASES:
        if case.generated:
            continue
        data = (CORPUS / case.relpath).read_bytes()
        assert data == case.data(), f"{case.relpath} differs from cases.py; rerun cases.py --write"
        assert len(data) <= 100 * 1024, f"{case.relpath} is over 100 KB: generate it at test time"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, generated_root: Path) -> None:
    verdict = run_case(case, generated_root)
    assert verdict.ok, (f"{case.relpath} ({case.cmd}): " + "; ".join(verdict.problems)
                        + f"\n--- output (exit {verdict.run.returncode}) ---\n{verdict.run.output[:2000]}")
