"""A cache of parsed questionnaire files, so that starting riskwizard does not parse the same YAML
again (parsing is most of the time it takes to load the bundled questionnaires).

Only the plain data of files that loaded *and* validated is stored, as JSON (never pickle: what comes
back is plain values, validated again exactly like a file's). Entries are keyed by the file's
sha256 and by the YAML reader's own source, so an edited file or a changed reader never meets an old
entry. Any problem reading or writing the cache falls back to parsing the file; the cache lives in
``$XDG_CACHE_HOME/riskwizard`` (else ``~/.cache/riskwizard``) and ``RISKWIZARD_NO_CACHE=1`` turns it off.

An entry may also carry a *checked* mark: a key (see ``loader.check_key``) saying that its data
validated and passed every check of the loader with exactly the current code (and catalogue). Such
data is rebuilt without validating it again (see ``trusted``), the start-up's largest saving. The mark
is believed only from an entry that nobody but the user (or root) can have written: the file and its
folder owned by the user running riskwizard and writable by nobody else (:func:`get_checked`);
otherwise the data is validated as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from .safefile import make_folder, suppress_disk_errors, write_file

FORMAT = 1


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "riskwizard" / "parsed"


def enabled() -> bool:
    return os.environ.get("RISKWIZARD_NO_CACHE", "") in ("", "0")


@lru_cache(maxsize=1)
def _reader_key() -> str:
    """Changes whenever the YAML reader (its rules on tags, keys, dates...) or the package changes."""
    from . import __version__, yamlsafe

    source = Path(yamlsafe.__file__).read_bytes()
    return hashlib.sha256(source + __version__.encode()).hexdigest()[:16]


def _entry(file_sha256: str) -> Path:
    return cache_dir() / f"{file_sha256}-{_reader_key()}.json"


def get(file_sha256: str) -> Any | None:
    """The data stored for a file with this sha256, or None."""
    return get_checked(file_sha256)[0]


def get_checked(file_sha256: str) -> tuple[Any | None, str | None, Any]:
    """The data stored for a file with this sha256 (or None); the checked mark of the entry (None when
    it has none, or when the entry or its folder could have been written by another user); and what
    was stored with the mark (``put``'s ``extra``; None without a believed mark)."""
    if not enabled():
        return None, None, None
    entry = _entry(file_sha256)
    try:
        with open(entry, "rb") as handle:
            private = _private(os.fstat(handle.fileno())) and _private(os.stat(entry.parent))
            stored = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: a damaged entry nested too deep for JSON
        return None, None, None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or "data" not in stored:
        return None, None, None
    checked = stored.get("checked")
    if not private or not isinstance(checked, str):
        return stored["data"], None, None
    return stored["data"], checked, stored.get("extra")


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (group and others)."""
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def put(file_sha256: str, data: Any, checked: str | None = None, extra: Any = None) -> None:
    """Store ``data`` (only if JSON gives it back unchanged), with the ``checked`` mark and what
    belongs to it (``extra``: plain data, e.g. source positions) if given; failures are ignored."""
    if not enabled():
        return
    try:
        entry: dict[str, Any] = {"format": FORMAT, "data": data}
        if checked is not None:
            entry["checked"] = checked
        if extra is not None:
            entry["extra"] = extra
        text = json.dumps(entry, ensure_ascii=False)
        if json.loads(text)["data"] != data or json.loads(text).get("extra") != extra:
            return  # e.g. a non-text key would come back as text
    except (TypeError, ValueError):
        return
    target = _entry(file_sha256)
    with suppress_disk_errors():
        make_folder(target.parent, mode=0o700)  # private: see get_checked
        write_file(target, text, mode=0o600)
