"""In a folder that cannot be written, the wizard opens the assessment read-only: browse, review and
export elsewhere; the header says so; nothing is written next to the file (real read-only folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskwizard.answers import file_sha256
from riskwizard.tui.app import RiskwizardApp
from riskwizard.tui.screens.review import ReviewScreen
from riskwizard.tui.screens.wizard import WizardScreen
from riskwizard.tui.session import can_save

from .helpers import make_answers, run_async


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding an answers file that no one may write: a read-only bind mount when root (root
    ignores permission bits), else permissions 0555."""
    source = tmp_path / "source"
    source.mkdir()
    make_answers(source, name="frozen.yaml", system="Frozen system")
    target = tmp_path / "ro"
    target.mkdir()
    mounted = False
    if os.geteuid() == 0:
        bind = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True)
        if bind.returncode == 0:
            mounted = True
            if subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], capture_output=True).returncode:
                subprocess.run(["umount", str(target)], check=False)
                pytest.skip("cannot make a read-only bind mount here")
        else:
            pytest.skip("root cannot bind-mount here, and root ignores permission bits")
    else:
        shutil.rmtree(target)
        source.rename(target)
        target.chmod(0o555)
    try:
        yield target
    finally:
        if mounted:
            subprocess.run(["umount", str(target)], check=False)
        else:
            target.chmod(0o755)


@run_async
async def test_read_only_folder_opens_read_only_and_exports_elsewhere(read_only_folder: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = read_only_folder / "frozen.yaml"
    assert not can_save(path)
    before = file_sha256(path)
    listing = sorted(p.name for p in read_only_folder.iterdir())
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    app = RiskwizardApp(path, [])
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen) and app.session.read_only
        assert "READ-ONLY" in screen.sub_title
        assert "READ-ONLY" in str(screen.query_one("#headline").render())
        assert screen.query_one("#editor").disabled and screen.query_one("#note").disabled
        await pilot.press("1", "ctrl+n", "ctrl+n")  # browsing works; the number changes nothing
        await pilot.pause()
        assert screen.place.question.id != "kind"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        out = app.screen.query_one("#export-path").value
        assert Path(out).resolve().parent == work.resolve()  # the export goes where it can be written
        await pilot.press("ctrl+q")
    assert file_sha256(path) == before
    assert sorted(p.name for p in read_only_folder.iterdir()) == listing  # no lock, temp or backup
