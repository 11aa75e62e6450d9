"""One error hierarchy for everything a user can get wrong.

Every error a user can cause carries where it happened (file, line, column) and what to do
about it, so the CLI and the TUI can show one clear sentence instead of a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A position in a source file; line and column are 1-based."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class RiskwizardError(Exception):
    """Base class of every error that is reported to the user as a message, not a traceback."""

    def __init__(self, message: str, location: Location | None = None, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.fix = fix

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        text = f"{prefix}error: {self.message}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


class YamlError(RiskwizardError):
    """The file is not acceptable YAML (syntax, tags, aliases, duplicates, size, depth, encoding)."""


class SchemaError(RiskwizardError):
    """The YAML parsed but does not describe a valid questionnaire or answers file."""


class AnswersError(RiskwizardError):
    """An answers file cannot be read, written or matched to its questionnaires."""


class LockedError(AnswersError):
    """Another riskwizard process holds the answers file."""


class ErrorGroup(RiskwizardError):
    """Several problems found in one file; all are reported at once so the user can fix them together."""

    def __init__(self, errors: list[RiskwizardError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, first.location, first.fix)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def display_path(path: str | Path) -> str:
    """Shorten a path relative to the working directory when that is possible.

    Symlinks are not resolved: a message names the path the user gave, not where a link points.
    """
    p = Path(path)
    try:
        return str(Path(os.path.normpath(os.path.abspath(p))).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(p)
