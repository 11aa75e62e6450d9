"""The AnswerStore on the real file system: read-only opening, conflict copies, symlinked files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from riskwizard.answers import AnswerStore, load_answers, recover
from riskwizard.errors import LockedError
from riskwizard.safefile import DiskError, leftover_temps, write_file

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "cv-screening.yaml"


@pytest.fixture
def answers(sample_copy: Path) -> Path:
    return sample_copy


def test_read_only_store_loads_without_a_lock_and_refuses_to_save(answers: Path) -> None:
    before = answers.read_bytes()
    store = AnswerStore(answers, read_only=True)
    with store:
        doc, _ = store.load()
        assert not store.lock_path.exists()
        assert store.save_problem() is not None
        with pytest.raises(DiskError, match="read-only"):
            store.save(doc)
    assert answers.read_bytes() == before


def test_save_problem_is_none_where_saving_works_and_creates_nothing(answers: Path) -> None:
    names = sorted(p.name for p in answers.parent.iterdir())
    assert AnswerStore(answers).save_problem() is None
    assert sorted(p.name for p in answers.parent.iterdir()) == names


def test_save_problem_on_a_read_only_mount(answers: Path) -> None:
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("needs root for a read-only bind mount")
    folder = answers.parent
    if subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True).returncode:
        pytest.skip("bind mounts are not possible here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True)
        problem = AnswerStore(answers).save_problem()
        assert problem is not None and "read-only" in problem.message
        with pytest.raises(DiskError, match="read-only"):
            AnswerStore(answers).acquire()  # what the wizard meets if it does not ask first
        store = AnswerStore(answers, read_only=True)  # ... and what it can do instead
        with store:
            doc, _ = store.load()
        assert doc.system.name
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_conflict_copies_get_a_free_new_name_and_are_reused(answers: Path) -> None:
    (answers.parent / "a.conflict.yaml").write_text("someone else's")
    store = AnswerStore(answers)
    with store:
        doc, _ = store.load()
        answers.write_text(answers.read_text() + "# edited elsewhere\n")
        first = store.save(doc)
        second = store.save(doc)
    assert first == second == answers.parent / "a.conflict-2.yaml"
    assert (answers.parent / "a.conflict.yaml").read_text() == "someone else's"
    assert load_answers(first)[0].system.name == load_answers(SAMPLE)[0].system.name


def test_replaced_by_a_fifo_the_answers_go_to_a_conflict_copy(answers: Path) -> None:
    store = AnswerStore(answers)
    with store:
        doc, _ = store.load()
        answers.unlink()
        os.mkfifo(answers)
        saved = store.save(doc)  # must not block reading the FIFO, nor replace it
    assert saved.name == "a.conflict.yaml" and answers.is_fifo()


def test_symlinked_answers_lock_and_recover_beside_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "real" / "r.yaml"
    real.parent.mkdir()
    shutil.copy(SAMPLE, real)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    other = tmp_path / "other.yaml"
    other.symlink_to(real)
    with AnswerStore(link) as store:
        assert store.lock_path == real.parent / ".r.yaml.lock"
        with pytest.raises(LockedError, match="another riskwizard"):
            AnswerStore(other).acquire()  # two links, one file: one lock
        doc, _ = store.load()
        store.save(doc)
    assert link.is_symlink() and (real.parent / "r.yaml.bak").is_file()
    # an interrupted save of a symlinked file leaves its temp beside the real file; opening recovers it
    good = real.read_bytes()
    tmp = real.parent / f".r.yaml.{os.getpid()}-00000000.tmp"
    tmp.write_bytes(good)
    real.write_text("broken: [")
    assert recover(link) and real.read_bytes() == good and link.is_symlink()
    assert not leftover_temps(real)


def test_create_never_replaces_anything(tmp_path: Path) -> None:
    from riskwizard.answers import new_doc
    from riskwizard.loader import find_questionnaire

    path = tmp_path / "n.yaml"
    path.symlink_to(tmp_path / "elsewhere.yaml")
    doc = new_doc([find_questionnaire("model-card")], "x", answers_path=path)
    with pytest.raises(DiskError, match="exists already"):
        AnswerStore(path).create(doc)
    assert not (tmp_path / "elsewhere.yaml").exists()
    path.unlink()
    AnswerStore(path).create(doc)
    with pytest.raises(DiskError, match="exists already"):
        write_file(path, "again", new=True)
