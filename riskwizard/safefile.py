"""The one module that writes to disk.

Every byte riskwizard writes (answers saves and their ``.bak``, locks, exports, batch output, the
recent-files list, the parse cache, conflict copies, copied samples) goes through here, so that the
rules below hold everywhere and are tested in one place:

- A file is written to a temp file created *exclusively* in the target's own folder
  (``O_CREAT|O_EXCL|O_NOFOLLOW``, a random name: a planted file or symlink at the temp path is never
  opened), fsynced, renamed over the target with ``os.replace`` and the folder fsynced. Any error
  removes the temp file; the old target is then untouched.
- The target keeps its permission bits (and, where the OS allows, its owner and group). A target
  that exists but is not a regular file (a device, FIFO, folder, socket) is refused, never replaced.
  A symlink at the target is refused (it could point anywhere), except where the caller opts in with
  ``follow_symlink`` (the answers file the user opened: written through, the link kept). A dangling
  symlink is always refused.
- ``new=True`` creates a file that must not exist yet (in any form, dangling symlinks included),
  atomically: the complete temp file is hard-linked to the name, which fails if anything is there.
- Locks are opened with ``O_NOFOLLOW|O_NONBLOCK``: a symlinked lock is refused, never truncated or
  written through, and a FIFO or device planted there never blocks.
- Operating-system errors become a :class:`DiskError` that names the path, says what to do and
  keeps the ``errno``.

Reading user-named inputs also lives here (:func:`read_input`): a FIFO, device or folder is refused
without being opened (and so without blocking), and so is standard output's counterpart for
writing: :func:`write_stdout` (``-o -``) turns a full disk or a closed pipe into a clear error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import Location, LockedError, RiskwizardError, display_path


class DiskError(RiskwizardError):
    """A file could not be read or written; the message names the path and what to do.

    ``errno`` is the operating system's error number when there was one (``errno.EROFS``...), so
    that callers can offer a better fix (``new`` in a read-only folder suggests another folder).
    """

    def __init__(self, message: str, location: Location | None = None, fix: str = "",
                 errno: int | None = None) -> None:
        super().__init__(message, location, fix)
        self.errno = errno


class StdoutClosed(DiskError):
    """Standard output was closed by the reader (``riskwizard ... | head``): nothing to report."""


# errors after which the user should write somewhere else (read-only disk, no permission)
NOT_WRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})

_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space, or write to another disk"),
    errno.EDQUOT: ("the disk quota is exhausted", "free some space, or write to another disk"),
    errno.EFBIG: ("the file is too large for this file system", "write to another disk"),
    errno.EROFS: ("the file system is read-only", "write to a folder on a writable disk"),
    errno.EACCES: ("permission denied", "check the permissions, or choose a folder you can write to"),
    errno.EPERM: ("operation not permitted", "check the permissions (or `lsattr` for an immutable file), "
                  "or choose a folder you can write to"),
    errno.ENAMETOOLONG: ("the file name is too long", "choose a shorter name"),
    errno.EISDIR: ("this is a folder, not a file", "name a file inside it instead"),
    errno.ENOTDIR: ("a part of the path is not a folder", "check the path"),
    errno.ENOENT: ("no such file or folder", "check the path, or create the folder first"),
    errno.ELOOP: ("it is a symbolic link, which riskwizard does not follow here",
                  "remove the link, or choose another name"),
    errno.EEXIST: ("a file of that name exists already", "choose another name"),
    errno.EXDEV: ("the target is on another file system", "choose a target in the same folder"),
    errno.EMLINK: ("too many links", "choose another name"),
    errno.EIO: ("an input/output error occurred", "check the disk"),
    errno.ETXTBSY: ("the file is in use by a running program", "choose another name"),
    errno.EBUSY: ("the file or folder is busy (a mount point?)", "choose another name"),
    errno.ENXIO: ("no such device", "name a regular file"),
    errno.EPIPE: ("the reader closed the pipe", "keep the reading program open until riskwizard finishes"),
}

# a temp name adds about 30 bytes to the target's name; file names are limited to 255 bytes
_NAME_MAX = 255
_TEMP_NAME_ROOM = 200


def reason_for(number: int | None) -> str:
    """The plain-words reason for an errno ("the file system is read-only")."""
    return _REASONS.get(number or 0, (os.strerror(number) if number else "unknown error", ""))[0]


def os_error(exc: OSError, path: str | Path, action: str = "write the file") -> DiskError:
    """A DiskError for an OSError, naming the path, the reason in plain words and a fix."""
    reason, fix = _REASONS.get(exc.errno or 0, (exc.strerror or str(exc), "check the path and try again"))
    return DiskError(f"cannot {action}: {reason}", Location(display_path(path)), fix, exc.errno)


def _link_text(p: Path) -> str:
    try:
        return os.readlink(p)
    except OSError:
        return "?"


def kind_of(mode: int) -> str:
    """A plain name for a file type (for messages)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _stdout_like(link: str) -> bool:
    return link.startswith(("/dev/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/self/fd", "pipe:"))


# --------------------------------------------------------------------------- targets


def output_target(path: str | Path, follow_symlink: bool = False) -> Path:
    """The file that writing ``path`` would replace, or a DiskError saying why it may not be written.

    Refuses targets that exist but are not regular files, dangling symlinks, and (unless
    ``follow_symlink``) any symlink. Call it before expensive work so that the user learns early.
    """
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return p
    except OSError as exc:
        raise os_error(exc, p) from None
    if stat.S_ISLNK(st.st_mode):
        link = _link_text(p)
        if _stdout_like(link):
            raise DiskError(f"cannot write: it is a symbolic link to {link} (a terminal, pipe or standard output), "
                            "which riskwizard does not follow", Location(display_path(p)),
                            "to print the report, use `-o -`", errno.ELOOP)
        try:
            resolved = p.resolve(strict=True)
            target_st = os.stat(resolved)
        except (OSError, RuntimeError):
            raise DiskError(f"cannot write: it is a symbolic link to a missing file ({link})",
                            Location(display_path(p)), "remove the link, or choose another name",
                            errno.ELOOP) from None
        if not follow_symlink:
            hint = ("to print the report, use `-o -`" if not stat.S_ISREG(target_st.st_mode)
                    else "remove the link, or name the file it points to")
            raise DiskError(f"cannot write: it is a symbolic link (to {link}), which riskwizard does not follow",
                            Location(display_path(p)), hint, errno.ELOOP)
        if not stat.S_ISREG(target_st.st_mode):
            raise DiskError(f"cannot write: it links to {kind_of(target_st.st_mode)}, not a regular file",
                            Location(display_path(p)), "choose a regular file as the output")
        return resolved
    if not stat.S_ISREG(st.st_mode):
        raise DiskError(f"cannot write: it is {kind_of(st.st_mode)}, not a regular file, and is never replaced",
                        Location(display_path(p)),
                        "choose a regular file as the output (or `-o -` to print a text format)")
    return p


def writable_target(path: str | Path, follow_symlink: bool = False) -> Path:
    """Like :func:`output_target`, and also proves that a file can be created in the target's folder.

    An empty temp file is created exclusively beside the target and removed again, so a missing,
    read-only or forbidden folder, or a name that is too long, is reported now (with the path and
    what to do), before slow work such as laying out a PDF. A full disk can still fail the write.
    """
    target = output_target(path, follow_symlink)
    probe = _create_exclusive(target, b"", None, "probe")
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return target


def save_problem(path: str | Path, follow_symlink: bool = True) -> DiskError | None:
    """Why ``path`` cannot be saved now (read-only disk, no permission, not a regular file...), or None.

    Nothing is left behind. The wizard uses it to open an assessment read-only instead of failing
    at the first save.
    """
    try:
        writable_target(path, follow_symlink)
    except DiskError as exc:
        return exc
    return None


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when both paths name one existing file (through links, `..` and hard links)."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


# --------------------------------------------------------------------------- writing


def _temp_stem(name: str) -> str:
    """The target's name as used in its temp names: shortened so the temp name fits in 255 bytes."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= _TEMP_NAME_ROOM:
        return name
    return raw[:_TEMP_NAME_ROOM].decode("utf-8", "ignore")


def _temp_name(target: Path, kind: str = "tmp") -> Path:
    return target.with_name(f".{_temp_stem(target.name)}.{os.getpid()}-{secrets.token_hex(4)}.{kind}")


def _create_exclusive(target: Path, data: bytes, mode: int | None, kind: str = "tmp",
                      owner: tuple[int, int] | None = None) -> Path:
    """Write data to a new, exclusively created temp file beside target; fsynced. Returns its path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = _temp_name(target, kind)
        try:
            fd = os.open(tmp, flags, 0o666 if mode is None else 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise os_error(exc, target, "create a file beside it" if kind == "probe" else "write the file") from None
        break
    else:  # pragma: no cover - 100 random collisions
        raise DiskError("cannot create a temp file beside it", Location(display_path(target)))
    try:
        if owner is not None:
            with contextlib.suppress(OSError):  # only root (or the owner, for the group) may do this
                os.fchown(fd, *owner)
        if mode is not None:
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise os_error(exc, target) from None
        raise
    os.close(fd)
    return tmp


def fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a folder; the rename still happened
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_file(path: str | Path, data: bytes | str, *, backup: bool = False, new: bool = False,
               follow_symlink: bool = False, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` so that a crash at any moment leaves either the old or the new file.

    ``backup`` keeps the previous content as ``<name>.bak``. ``new`` refuses if anything exists at
    ``path``. ``follow_symlink`` writes through a symlink to a regular file (the link is kept).
    ``mode`` sets the permission bits of a new file (an existing file keeps its own). Returns the
    path actually written. Raises :class:`DiskError` for every operating-system problem; the old
    file is then unchanged and no temp file is left.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    p = Path(path)
    if new:
        return _write_new(p, raw, mode)
    target = output_target(p, follow_symlink)
    folder = target.parent
    keep_mode = mode
    owner = None
    try:
        st = os.stat(target)
        keep_mode = stat.S_IMODE(st.st_mode)
        if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
            owner = (st.st_uid, st.st_gid)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise os_error(exc, target) from None
    temps: list[Path] = []
    try:
        tmp = _create_exclusive(target, raw, keep_mode, owner=owner)
        temps.append(tmp)
        if backup and st is not None:
            _write_backup(target, keep_mode, owner, temps)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise os_error(exc, target) from None
        temps.remove(tmp)
    finally:
        for leftover in temps:
            with contextlib.suppress(OSError):
                os.unlink(leftover)
    fsync_folder(folder)
    return target


def _write_backup(target: Path, mode: int | None, owner: tuple[int, int] | None, temps: list[Path]) -> None:
    """Copy target's current content to ``<name>.bak`` (replacing a planted .bak link, never following it)."""
    bak = target.with_name(f"{target.name}.bak")
    try:
        old = _read_regular_nofollow(target)
    except OSError as exc:
        raise os_error(exc, target, "read the file to keep a backup of it") from None
    bak_tmp = _create_exclusive(target, old, mode, "baktmp", owner)
    temps.append(bak_tmp)
    try:
        os.replace(bak_tmp, bak)
    except OSError as exc:
        error = os_error(exc, bak, "keep the backup copy")
        error.fix = f"remove or rename {display_path(bak)} (nothing was saved), then try again"
        raise error from None
    temps.remove(bak_tmp)


def _write_new(p: Path, raw: bytes, mode: int | None) -> Path:
    if os.path.lexists(p):
        raise _exists_error(p)
    tmp: Path | None = None
    try:
        tmp = _create_exclusive(p, raw, mode)
        try:
            os.link(tmp, p)  # fails if anything appeared at p meanwhile; never follows a symlink there
        except FileExistsError:
            raise _exists_error(p) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
                raise os_error(exc, p) from None
            _create_fallback(p, raw, mode)  # file systems without hard links: exclusive create in place
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_folder(p.parent)
    return p


def _exists_error(p: Path) -> DiskError:
    link = f" (a symbolic link to {_link_text(p)})" if p.is_symlink() else ""
    return DiskError(f"cannot create it: something of that name exists already{link}",
                     Location(display_path(p)), "choose another name, or open the existing file", errno.EEXIST)


def _create_fallback(p: Path, raw: bytes, mode: int | None) -> None:
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666 if mode is None else mode)
    except FileExistsError:
        raise _exists_error(p) from None
    except OSError as exc:
        raise os_error(exc, p) from None
    try:
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(p)
        if isinstance(exc, OSError):
            raise os_error(exc, p) from None
        raise
    os.close(fd)


def _read_regular_nofollow(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read()


def make_folder(path: str | Path, mode: int | None = None) -> Path:
    """Create a folder (and its parents) if missing; an existing non-folder is refused. ``mode`` sets
    the permission bits of the folder itself if it is created (its parents get the usual ones)."""
    p = Path(path)
    try:
        if mode is not None and not p.is_dir():
            p.parent.mkdir(parents=True, exist_ok=True)
            p.mkdir(mode=mode, exist_ok=True)
        else:
            p.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        what = f"a symbolic link to {_link_text(p)}" if p.is_symlink() else "something that is not a folder"
        raise DiskError(f"cannot create the folder: {what} has that name",
                        Location(display_path(p)), "choose another output folder", errno.EEXIST) from None
    except OSError as exc:
        raise os_error(exc, p, "create the folder") from None
    return p


def remove_file(path: str | Path) -> bool:
    """Remove a file riskwizard made (a temp file, a lock); never a folder. True if it was there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        return False
    except OSError as exc:
        raise os_error(exc, path, "remove the file") from None
    return True


def restore_from(temp: str | Path, target: str | Path) -> None:
    """Put a complete temp file of an interrupted save in place of its (missing or broken) target.

    Only a regular temp file may be put in place, and only over a regular file (or nothing).
    """
    t = Path(temp)
    try:
        if not stat.S_ISREG(os.lstat(t).st_mode):
            raise DiskError("cannot restore from it: not a regular file", Location(display_path(t)))
    except OSError as exc:
        raise os_error(exc, t, "restore from the file") from None
    real = output_target(target)
    try:
        os.replace(t, real)
    except OSError as exc:
        raise os_error(exc, real) from None
    fsync_folder(real.parent)


TEMP_KINDS = ("tmp", "baktmp", "probe")


def leftover_temps(path: str | Path) -> list[Path]:
    """Temp files this module left beside ``path`` (regular files only: planted links are not ours)."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    found = []
    stem = _glob_escape(_temp_stem(p.name))
    for kind in TEMP_KINDS:
        for candidate in sorted(folder.glob(f".{stem}.*.{kind}")):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(candidate).st_mode):
                    found.append(candidate)
    return found


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


# --------------------------------------------------------------------------- locks


class FileLock:
    """An advisory lock file (``flock``) holding the owner's pid; a symlinked lock is refused.

    Errors name the protected file (``what``) and the lock file, so that "cannot create the lock
    file" on a read-only disk reads as what it is: the file cannot be changed there.
    """

    def __init__(self, path: str | Path, what: str) -> None:
        self.path = Path(path)
        self.what = what  # the file the lock protects, for messages
        self._fd: int | None = None
        self._ino: tuple[int, int] | None = None

    def acquire(self) -> None:
        import fcntl

        flags = (os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
                 | getattr(os, "O_CLOEXEC", 0))
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise LockedError("its lock file is a symbolic link; riskwizard refuses to use it",
                                  Location(self.what),
                                  f"remove the link {display_path(self.path)} (someone may be trying to make "
                                  "riskwizard write elsewhere)") from None
            raise self._error(exc, "create its lock file") from None
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            raise LockedError(f"its lock file {display_path(self.path)} is {kind_of(st.st_mode)}, not a regular file",
                              Location(self.what), f"remove {display_path(self.path)} and try again")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip()
            os.close(fd)
            holder = holder if holder.isdigit() else "unknown"
            raise LockedError(
                f"this file is open in another riskwizard (pid {holder})", Location(self.what),
                "close the other riskwizard first, or copy the file and open the copy") from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError as exc:
            self._remove_own(st)
            os.close(fd)
            raise self._error(exc, "write its lock file") from None
        self._fd = fd
        self._ino = (st.st_dev, st.st_ino)

    def _error(self, exc: OSError, action: str) -> DiskError:
        error = os_error(exc, self.what, f"{action} {display_path(self.path)}")
        return error

    def _remove_own(self, st: os.stat_result) -> None:
        with contextlib.suppress(OSError):
            now = os.lstat(self.path)
            if (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino):
                os.unlink(self.path)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            st = os.lstat(self.path)
            if (st.st_dev, st.st_ino) == self._ino:  # only remove our own lock file
                os.unlink(self.path)
        os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --------------------------------------------------------------------------- reading inputs


def check_input(path: str | Path) -> os.stat_result:
    """Refuse, without opening it, an input that is missing, not a regular file or unreadable.

    Follows symlinks (an input may be a link to a file). Returns the file's stat.
    """
    p = Path(path)
    shown = display_path(p)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise DiskError("file not found", Location(shown), "check the path", errno.ENOENT) from None
    except OSError as exc:
        raise os_error(exc, p, "read the file") from None
    if not stat.S_ISREG(st.st_mode):
        fix = "name an answers file inside the folder" if stat.S_ISDIR(st.st_mode) else "name a regular file"
        raise DiskError(f"cannot read: it is {kind_of(st.st_mode)}, not a regular file", Location(shown), fix)
    if not os.access(p, os.R_OK):
        raise DiskError("cannot read the file: permission denied", Location(shown),
                        "check the file's permissions (`ls -l`)", errno.EACCES)
    return st


def read_input(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a user-named input file, refusing without blocking what is not a regular file.

    The file is checked with ``stat`` before it is opened (a FIFO or device is never opened), then
    opened with ``O_NONBLOCK|O_NOCTTY`` and checked again (it may have been swapped meanwhile).
    Raises DiskError (path and reason), also for files over ``max_bytes``.
    """
    p = Path(path)
    shown = display_path(p)
    check_input(p)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise DiskError("file not found", Location(shown), "check the path", errno.ENOENT) from None
    except OSError as exc:
        raise os_error(exc, p, "read the file") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise DiskError(f"cannot read: it is {kind_of(st.st_mode)}, not a regular file",
                            Location(shown), "name a regular file")
        if st.st_size > max_bytes:
            raise DiskError(f"file is {st.st_size:,} bytes; the limit is {max_bytes:,}", Location(shown),
                            "split the file or remove generated content")
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise os_error(exc, p, "read the file") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise DiskError(f"file is larger than {max_bytes:,} bytes", Location(shown),
                        "split the file or remove generated content")
    return raw


def read_input_head(path: str | Path, size: int) -> bytes:
    """The first ``size`` bytes of an input, with the same refusals as :func:`read_input`."""
    p = Path(path)
    check_input(p)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise os_error(exc, p, "read the file") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DiskError("cannot read: it is not a regular file", Location(display_path(p)), "name a regular file")
        return os.read(fd, size)
    except OSError as exc:
        raise os_error(exc, p, "read the file") from None
    finally:
        os.close(fd)


def check_folder(path: str | Path, what: str = "folder") -> Path:
    """Refuse a folder argument that is missing, not a folder, or cannot be listed."""
    p = Path(path)
    shown = display_path(p)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise os_error(exc, p, f"use the {what}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise DiskError(f"cannot use it as the {what}: it is {kind_of(st.st_mode)}", Location(shown),
                        f"name a {what}")
    if not os.access(p, os.R_OK | os.X_OK):
        raise DiskError(f"cannot list the {what}: permission denied", Location(shown),
                        "check the folder's permissions (`ls -ld`)", errno.EACCES)
    return p


def folder_writable(folder: str | Path) -> bool:
    """Whether new files can be created in ``folder`` (for read-only opening; no file is made)."""
    return os.access(folder, os.W_OK | os.X_OK)


# --------------------------------------------------------------------------- standard output


def write_stdout(data: bytes) -> None:
    """Write a report to standard output (``-o -``): a full disk is a DiskError, a closed pipe StdoutClosed."""
    stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    try:
        sys.stdout.flush()
        if stream is None:  # pragma: no cover - a replaced sys.stdout (tests, embedding)
            sys.stdout.write(data.decode("utf-8", "replace"))
            sys.stdout.flush()
            return
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise StdoutClosed("the reader closed standard output", Location("<stdout>"), "", errno.EPIPE) from None
    except OSError as exc:
        raise os_error(exc, "<stdout>", "write to standard output") from None


@contextlib.contextmanager
def suppress_disk_errors() -> Iterator[None]:
    """For conveniences (recent list, cache): a failure to write them never stops the user."""
    with contextlib.suppress(DiskError, OSError):
        yield


def silence_stdout() -> None:
    """After standard output failed (closed pipe, full disk): point it at /dev/null, so that
    Python's final flush at exit does not print a second error."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
