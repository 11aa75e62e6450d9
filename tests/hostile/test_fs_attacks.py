"""Planted symlinks, non-regular targets and inputs, batch poison, a full disk, a read-only folder and
other operating-system errors, each tried with the real CLI on the real file system (fs_attacks.py).

Scenarios that need root (mounting a tmpfs or a read-only bind mount, running as another user)
skip cleanly otherwise; tools/robustness.py prints the same scenarios as figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fs_attacks import SCENARIOS, Outcome


@pytest.mark.parametrize(("group", "name", "fn"), SCENARIOS, ids=[f"{g}: {n}" for g, n, _ in SCENARIOS])
def test_fs_attack(group: str, name: str, fn, tmp_path: Path) -> None:
    tmp_path.chmod(0o755)  # scenarios that run the CLI as another user need to enter the folder
    outcome: Outcome = fn(tmp_path / "s")
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    assert outcome.ok, f"{group}: {name}: {outcome.detail}"


def test_every_group_of_the_issue_is_covered() -> None:
    groups = {g for g, _, _ in SCENARIOS}
    assert groups == {"symlink", "target", "input", "overwrite", "batch", "disk-full", "read-only", "os-error"}
    assert len(SCENARIOS) >= 35
