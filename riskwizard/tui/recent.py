"""A small list of recently opened answers files in $XDG_STATE_HOME/riskwizard/recent.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..safefile import make_folder, suppress_disk_errors, write_file

MAX_RECENT = 10


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "riskwizard"


def recent_path() -> Path:
    return state_dir() / "recent.json"


def load_recent() -> list[dict[str, str]]:
    """Recent entries (newest first) whose files still exist; a broken list reads as empty."""
    try:
        data = json.loads(recent_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    out = []
    for item in data:
        if isinstance(item, dict) and isinstance(item.get("path"), str) and Path(item["path"]).is_file():
            out.append({"path": item["path"], "title": str(item.get("title", "")),
                        "opened": str(item.get("opened", ""))})
    return out[:MAX_RECENT]


def add_recent(path: Path, title: str, opened: str) -> None:
    """Put ``path`` first in the list; failures to write are ignored (the list is a convenience)."""
    resolved = str(Path(path).resolve())
    entries = [e for e in load_recent() if e["path"] != resolved]
    entries.insert(0, {"path": resolved, "title": title, "opened": opened})
    target = recent_path()
    with suppress_disk_errors():
        make_folder(target.parent)
        write_file(target, json.dumps(entries[:MAX_RECENT], indent=1), mode=0o600)
