"""Recently opened answers files ($XDG_STATE_HOME/riskwizard/recent.json) and the wizard's preferences
(settings.json beside it)."""

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


def settings_path() -> Path:
    return state_dir() / "settings.json"


def load_settings() -> dict[str, object]:
    """The wizard's preferences (e.g. ``auto_advance``); a missing or broken file reads as none."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(name: str, value: object) -> None:
    """Remember one preference; failures to write are ignored (it is a convenience)."""
    settings = {**load_settings(), name: value}
    target = settings_path()
    with suppress_disk_errors():
        make_folder(target.parent)
        write_file(target, json.dumps(settings, indent=1), mode=0o600)
