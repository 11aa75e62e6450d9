"""A cache of parsed questionnaire files, so that starting riskwizard does not parse the same YAML
again (parsing is most of the time it takes to load the bundled questionnaires).

Only the plain data of files that loaded *and* validated is stored, as JSON (never pickle: what comes
back is plain values, validated again exactly like a file's). Entries are keyed by the file's
sha256 and by the YAML reader's own source, so an edited file or a changed reader never meets an old
entry. Any problem reading or writing the cache falls back to parsing the file; the cache lives in
``$XDG_CACHE_HOME/riskwizard`` (else ``~/.cache/riskwizard``) and ``RISKWIZARD_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
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
    if not enabled():
        return None
    try:
        stored = json.loads(_entry(file_sha256).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or "data" not in stored:
        return None
    return stored["data"]


def put(file_sha256: str, data: Any) -> None:
    """Store ``data`` (only if JSON gives it back unchanged); failures are ignored."""
    if not enabled():
        return
    try:
        text = json.dumps({"format": FORMAT, "data": data}, ensure_ascii=False)
        if json.loads(text)["data"] != data:
            return  # e.g. a non-text key would come back as text
    except (TypeError, ValueError):
        return
    target = _entry(file_sha256)
    with suppress_disk_errors():
        make_folder(target.parent)
        write_file(target, text)
