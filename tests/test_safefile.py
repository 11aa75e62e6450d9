"""The one writer (riskwizard/safefile.py), on the real filesystem."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from riskwizard import safefile
from riskwizard.errors import LockedError
from riskwizard.safefile import DiskError, FileLock, read_input, write_file


def test_write_replaces_atomically_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_file(target, "new", backup=True)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (tmp_path / "a.txt.bak").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.bak"]  # no temp left


def test_symlink_target_refused_unless_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("real")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    with pytest.raises(DiskError, match="symbolic link"):
        write_file(link, "x")
    assert real.read_text() == "real" and link.is_symlink()
    assert write_file(link, "through", follow_symlink=True) == real.resolve()
    assert real.read_text() == "through" and link.is_symlink()


def test_dangling_symlink_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere" / "victim"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "out.pdf"
    link.symlink_to(victim)
    for kwargs in ({}, {"follow_symlink": True}, {"new": True}):
        with pytest.raises(DiskError):
            write_file(link, "x", **kwargs)
    assert not victim.exists() and link.is_symlink()


def test_planted_symlink_at_the_temp_name_is_not_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "a.yaml"
    names = iter(["aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(safefile.secrets, "token_hex", lambda n: next(names))
    (tmp_path / f".a.yaml.{os.getpid()}-aaaaaaaa.tmp").symlink_to(victim)  # the attacker guessed the first name
    write_file(target, "mine")
    assert target.read_text() == "mine" and victim.read_text() == "precious"


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_non_regular_targets_are_never_replaced(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        node = tmp_path / "pipe"
        os.mkfifo(node)
    elif kind == "folder":
        node = tmp_path / "dir"
        node.mkdir()
    else:
        node = Path("/dev/null")
    before = os.lstat(node)
    with pytest.raises(DiskError, match="not a regular file"):
        write_file(node, "x")
    after = os.lstat(node)
    assert (before.st_ino, before.st_mode) == (after.st_ino, after.st_mode)


def test_new_refuses_anything_existing(tmp_path: Path) -> None:
    target = tmp_path / "n.yaml"
    write_file(target, "one", new=True)
    with pytest.raises(DiskError, match="exists already"):
        write_file(target, "two", new=True)
    assert target.read_text() == "one"
    assert [p.name for p in tmp_path.iterdir()] == ["n.yaml"]


def test_symlinked_lock_is_refused_and_not_truncated(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    lock = tmp_path / ".a.yaml.lock"
    lock.symlink_to(victim)
    with pytest.raises(LockedError, match="symbolic link"):
        FileLock(lock, "a.yaml").acquire()
    assert victim.read_text() == "keep me"


def test_lock_release_leaves_a_foreign_lock_alone(tmp_path: Path) -> None:
    lock_path = tmp_path / ".a.lock"
    lock = FileLock(lock_path, "a")
    lock.acquire()
    lock_path.unlink()
    lock_path.write_text("someone else's")
    lock.release()
    assert lock_path.read_text() == "someone else's"


def test_reading_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []
    worker = threading.Thread(target=lambda: outcome.append(_try_read(fifo)), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], DiskError) and "named pipe" in outcome[0].message


def _try_read(path: Path) -> BaseException | bytes:
    try:
        return read_input(path, 1000)
    except DiskError as exc:
        return exc


def test_unreadable_input_names_the_reason(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    locked = tmp_path / "locked.yaml"
    locked.write_text("x")
    locked.chmod(0)
    with pytest.raises(DiskError, match="permission denied"):
        read_input(locked, 1000)


def test_write_into_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DiskError) as info:
        write_file(tmp_path / "nope" / "a.pdf", b"x")
    assert "no such file or folder" in info.value.message and info.value.fix


# --------------------------------------------------------------------------- hardening (issue 11)


def test_long_target_names_get_temp_names_that_fit(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 250 + ".md")  # 253 bytes: the temp name must be shortened, not fail
    write_file(target, "one")
    write_file(target, "two", backup=False)
    assert target.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_name_over_255_bytes_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DiskError) as info:
        write_file(tmp_path / ("n" * 300 + ".yaml"), "x", new=True)
    assert "too long" in info.value.message and info.value.errno is not None
    assert list(tmp_path.iterdir()) == []


def test_owner_and_group_are_kept_when_root_replaces_a_file(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    target = tmp_path / "theirs.yaml"
    target.write_text("old")
    os.chown(target, 65534, 65534)
    write_file(target, "new", backup=True)
    st = target.stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert (tmp_path / "theirs.yaml.bak").stat().st_uid == 65534


def test_writable_target_probes_and_leaves_nothing(tmp_path: Path) -> None:
    assert safefile.writable_target(tmp_path / "new.pdf") == tmp_path / "new.pdf"
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DiskError, match="no such file or folder"):
        safefile.writable_target(tmp_path / "missing" / "x.pdf")
    assert safefile.save_problem(tmp_path / "missing" / "x.yaml") is not None


def test_inputs_that_are_devices_are_refused_without_being_opened(tmp_path: Path) -> None:
    for device in ("/dev/zero", "/dev/tty", "/dev/full"):
        if os.path.exists(device):
            with pytest.raises(DiskError, match="character device"):
                read_input(device, 1000)
    with pytest.raises(DiskError, match="folder"):
        read_input(tmp_path, 1000)


def test_a_fifo_at_the_lock_path_never_blocks(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".a.yaml.lock")
    outcome: list[object] = []

    def attempt() -> None:
        try:
            FileLock(tmp_path / ".a.yaml.lock", "a.yaml").acquire()
            outcome.append("acquired")
        except LockedError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "opening a FIFO lock blocked"
    assert isinstance(outcome[0], LockedError) and "named pipe" in outcome[0].message


def test_a_planted_bak_folder_names_the_bak(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("old")
    (tmp_path / "a.yaml.bak").mkdir()
    with pytest.raises(DiskError) as info:
        write_file(target, "new", backup=True)
    assert "a.yaml.bak" in str(info.value.location) and "nothing was saved" in info.value.fix
    assert target.read_text() == "old" and not safefile.leftover_temps(target)


def test_restore_only_puts_regular_files_in_place(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    link = tmp_path / ".a.yaml.1-deadbeef.tmp"
    victim = tmp_path / "victim"
    victim.write_text("v")
    link.symlink_to(victim)
    with pytest.raises(DiskError):
        safefile.restore_from(link, target)
    assert not target.exists() and victim.read_text() == "v"
    assert safefile.leftover_temps(target) == []  # a planted link is not one of ours


def test_write_stdout_reports_a_full_disk() -> None:
    code = ("import sys\nfrom riskwizard.safefile import DiskError, write_stdout\n"
            "try:\n    write_stdout(b'x' * 100000)\nexcept DiskError as e:\n    print(e.message, file=sys.stderr)\n")
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-c", code], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert "no space left" in done.stderr
