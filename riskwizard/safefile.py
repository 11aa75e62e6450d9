"""The one module that writes to disk.

Every byte riskwizard writes (answers saves and their ``.bak``, locks, exports, batch output, the
recent-files list, the parse cache, conflict copies, copied samples) goes through here, so that the
rules below hold everywhere and are tested in one place:

- A file is written to a temp file created *exclusively* in the target's own folder
  (``O_CREAT|O_EXCL|O_NOFOLLOW``, a random name: a planted file or symlink at the temp path is never
  opened), fsynced, renamed over the target with ``os.replace`` and the folder fsynced. Any error
  removes the temp file; the old target is then untouched.
- The target keeps its permission bits. A target that exists but is not a regular file (a device,
  FIFO, folder, socket) is refused, never replaced. A symlink at the target is refused (it could
  point anywhere), except where the caller opts in with ``follow_symlink`` (the answers file the
  user opened: written through, the link kept). A dangling symlink is always refused.
- ``new=True`` creates a file that must not exist yet (in any form, dangling symlinks included),
  atomically: the complete temp file is hard-linked to the name, which fails if anything is there.
- Locks are opened with ``O_NOFOLLOW``: a symlinked lock is refused, never truncated or written
  through.
- Operating-system errors become a :class:`DiskError` that names the path and says what to do.

Reading user-named inputs also lives here (:func:`read_input`): a FIFO, device or folder is refused
without blocking on ``open``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import Location, LockedError, RiskwizardError, display_path


class DiskError(RiskwizardError):
    """A file could not be read or written; the message names the path and what to do."""


_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space, or write to another disk"),
    errno.EDQUOT: ("the disk quota is exhausted", "free some space, or write to another disk"),
    errno.EROFS: ("the file system is read-only", "write to a folder on a writable disk"),
    errno.EACCES: ("permission denied", "check the permissions, or choose a folder you can write to"),
    errno.EPERM: ("operation not permitted", "check the permissions, or choose a folder you can write to"),
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
}


def os_error(exc: OSError, path: str | Path, action: str = "write the file") -> DiskError:
    """A DiskError for an OSError, naming the path, the reason in plain words and a fix."""
    reason, fix = _REASONS.get(exc.errno or 0, (exc.strerror or str(exc), "check the path and try again"))
    return DiskError(f"cannot {action}: {reason}", Location(display_path(path)), fix)


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
        try:
            resolved = p.resolve(strict=True)
            target_st = os.stat(resolved)
        except (OSError, RuntimeError):
            raise DiskError(f"cannot write: it is a symbolic link to a missing file ({_link_text(p)})",
                            Location(display_path(p)), "remove the link, or choose another name") from None
        if not follow_symlink:
            raise DiskError(f"cannot write: it is a symbolic link (to {display_path(resolved)})",
                            Location(display_path(p)), "remove the link, or name the file it points to")
        if not stat.S_ISREG(target_st.st_mode):
            raise DiskError(f"cannot write: it links to {kind_of(target_st.st_mode)}, not a regular file",
                            Location(display_path(p)), "choose a regular file as the output")
        return resolved
    if not stat.S_ISREG(st.st_mode):
        raise DiskError(f"cannot write: it is {kind_of(st.st_mode)}, not a regular file",
                        Location(display_path(p)),
                        "choose a regular file as the output (or `-o -` to print a text format)")
    return p


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when both paths name one existing file (through links, `..` and hard links)."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


# --------------------------------------------------------------------------- writing


def _temp_name(target: Path, kind: str = "tmp") -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.{kind}")


def _create_exclusive(target: Path, data: bytes, mode: int | None, kind: str = "tmp") -> Path:
    """Write data to a new, exclusively created temp file beside target; fsynced. Returns its path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = _temp_name(target, kind)
        try:
            fd = os.open(tmp, flags, 0o666 if mode is None else 0o600)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 random collisions
        raise DiskError("cannot create a temp file beside it", Location(display_path(target)))
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
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
    path actually written. Raises :class:`DiskError` for every operating-system problem.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    p = Path(path)
    if new:
        return _write_new(p, raw, mode)
    target = output_target(p, follow_symlink)
    folder = target.parent
    keep_mode = mode
    try:
        st = os.stat(target)
        keep_mode = stat.S_IMODE(st.st_mode)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise os_error(exc, target) from None
    temps: list[Path] = []
    try:
        tmp = _create_exclusive(target, raw, keep_mode)
        temps.append(tmp)
        if backup and st is not None:
            old = _read_regular_nofollow(target)
            bak_tmp = _create_exclusive(target, old, keep_mode, "baktmp")
            temps.append(bak_tmp)
            os.replace(bak_tmp, folder / f"{target.name}.bak")  # replaces a planted .bak link, never follows it
            temps.remove(bak_tmp)
        os.replace(tmp, target)
        temps.remove(tmp)
    except OSError as exc:
        raise os_error(exc, target) from None
    finally:
        for leftover in temps:
            with contextlib.suppress(OSError):
                os.unlink(leftover)
    fsync_folder(folder)
    return target


def _write_new(p: Path, raw: bytes, mode: int | None) -> Path:
    if os.path.lexists(p):
        raise DiskError("cannot create it: something of that name exists already"
                        + (" (a symbolic link)" if p.is_symlink() else ""),
                        Location(display_path(p)), "choose another name, or open the existing file")
    tmp: Path | None = None
    try:
        tmp = _create_exclusive(p, raw, mode)
        try:
            os.link(tmp, p)  # fails if anything appeared at p meanwhile; never follows a symlink there
        except FileExistsError:
            raise DiskError("cannot create it: something of that name exists already",
                            Location(display_path(p)), "choose another name, or open the existing file") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP):
                raise
            _create_fallback(p, raw, mode)  # file systems without hard links: exclusive create in place
    except OSError as exc:
        raise os_error(exc, p) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_folder(p.parent)
    return p


def _create_fallback(p: Path, raw: bytes, mode: int | None) -> None:
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666 if mode is None else mode)
    try:
        os.write(fd, raw)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(p)
        raise
    os.close(fd)


def _read_regular_nofollow(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def make_folder(path: str | Path) -> Path:
    """Create a folder (and its parents) if missing; an existing non-folder is refused."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DiskError("cannot create the folder: a file of that name exists",
                        Location(display_path(p)), "choose another output folder") from None
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
    """Put a complete temp file of an interrupted save in place of its (missing or broken) target."""
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise os_error(exc, target) from None
    fsync_folder(Path(target).parent)


def leftover_temps(path: str | Path) -> list[Path]:
    """Temp files this module left beside ``path`` (regular files only: planted links are not ours)."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    found = []
    for kind in ("tmp", "baktmp"):
        for candidate in sorted(folder.glob(f".{p.name}.*.{kind}")):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(candidate).st_mode):
                    found.append(candidate)
    return found


# --------------------------------------------------------------------------- locks


class FileLock:
    """An advisory lock file (``flock``) holding the owner's pid; a symlinked lock is refused."""

    def __init__(self, path: str | Path, what: str) -> None:
        self.path = Path(path)
        self.what = what  # the file the lock protects, for messages
        self._fd: int | None = None
        self._ino: tuple[int, int] | None = None

    def acquire(self) -> None:
        import fcntl

        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise LockedError("this lock file is a symbolic link; riskwizard refuses to use it",
                                  Location(display_path(self.path)),
                                  "remove the link (someone may be trying to make riskwizard write elsewhere)"
                                  ) from None
            raise os_error(exc, self.path, "create the lock file") from None
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            raise LockedError(f"this lock file is {kind_of(st.st_mode)}, not a regular file",
                              Location(display_path(self.path)), "remove it and try again")
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
            os.close(fd)
            raise os_error(exc, self.path, "write the lock file") from None
        self._fd = fd
        self._ino = (st.st_dev, st.st_ino)

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


def read_input(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a user-named input file, refusing without blocking what is not a regular file.

    Opens with ``O_NONBLOCK`` so that a FIFO or device never hangs the program; a folder, FIFO,
    device or socket is refused with the reason. Raises DiskError (path and reason) or a
    DiskError for files over ``max_bytes``.
    """
    p = Path(path)
    shown = display_path(p)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise DiskError("file not found", Location(shown), "check the path") from None
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


def folder_writable(folder: str | Path) -> bool:
    """Whether new files can be created in ``folder`` (for read-only opening; no file is made)."""
    return os.access(folder, os.W_OK | os.X_OK)


@contextlib.contextmanager
def suppress_disk_errors() -> Iterator[None]:
    """For conveniences (recent list, cache): a failure to write them never stops the user."""
    with contextlib.suppress(DiskError, OSError):
        yield
