"""The values of an answers file: one answer, an orphaned answer, an old answer kept in a conflict,
and the check of a value against its question. Kept apart from :mod:`.answers` (the file) so that
the upgrade code in :mod:`.migrate` can build them without importing the file's module."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict

from .models import Name, OptionalText, Stamp


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Answer(_Model):
    value: Any = None
    unknown: bool = False
    note: OptionalText = ""
    updated: Stamp = ""
    answered_in: Name = ""  # a shared fact: the questionnaire it was last answered in (empty: not recorded)

    @property
    def is_answered(self) -> bool:
        """A real answer: not "don't know", not empty, and not blank text."""
        if self.unknown or self.value is None:
            return False
        return not (isinstance(self.value, str) and not self.value.strip())


class Orphan(_Model):
    value: Any = None
    unknown: bool = False
    note: OptionalText = ""
    updated: Stamp = ""
    answered_in: Name = ""
    reason: OptionalText = ""
    questionnaire_version: Name = ""


class ConflictValue(_Model):
    """One of several old answers to a fact that disagreed when the file was upgraded (kept as given)."""

    questionnaire: Name = ""  # empty: the value the fact held before
    question: Name = ""
    value: Any = None
    unknown: bool = False
    note: OptionalText = ""
    updated: Stamp = ""
    fact_value: Any = None  # the old value in the fact's terms, where it translates to one
    reason: OptionalText = ""


def check_value(question: Any, value: Any) -> tuple[Any, str]:
    """Validate and normalise an answer value for a question; returns (value, problem)."""
    qtype = question.type
    if qtype == "group":
        return _check_rows(question, value)
    if qtype in ("single", "yesno"):
        allowed = [o.value for o in question.options] if qtype == "single" else ["yes", "no"]
        if type(value) is not str or value not in allowed:
            return value, f"`{_short(value)}` is not one of: {', '.join(allowed)}"
        return value, ""
    if qtype == "multi":
        allowed = [o.value for o in question.options]
        if not isinstance(value, list) or any(type(v) is not str for v in value):
            return value, "expected a list of options"
        bad = [v for v in value if v not in allowed]
        if bad:
            return value, f"{bad} not among the options: {', '.join(allowed)}"
        if len(set(value)) != len(value):
            return value, "an option is listed twice"
        return [v for v in allowed if v in value], ""
    if qtype == "text":
        if type(value) is not str:
            return value, "expected text (quote it)"
        if len(value) > question.max_length:
            return value, f"text is {len(value)} characters; the limit is {question.max_length}"
        return value, ""
    # number / percent
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value, f"expected a number, got `{_short(value)}`"
    if isinstance(value, float) and not math.isfinite(value):
        return value, "expected a finite number"
    if question.integer and value != int(value):
        return value, "expected a whole number"
    if question.min is not None and value < question.min:
        return value, f"{value} is below the minimum {question.min:g}"
    if question.max is not None and value > question.max:
        return value, f"{value} is above the maximum {question.max:g}"
    return (int(value) if question.integer else value), ""


def _check_rows(question: Any, value: Any) -> tuple[Any, str]:
    if not isinstance(value, list) or any(not isinstance(r, dict) for r in value):
        return value, "expected a list of rows (each a mapping of field: value)"
    if len(value) > question.max_rows:
        return value, f"{len(value)} rows; at most {question.max_rows} are allowed"
    fields = {f.id: f for f in question.fields}
    rows = []
    for i, row in enumerate(value, 1):
        clean: dict[str, Any] = {}
        for key, v in row.items():
            field = fields.get(key)
            if field is None:
                return value, f"row {i}: unknown field `{key}` (fields: {', '.join(fields)})"
            if v is None:
                clean[key] = None
                continue
            norm, problem = check_value(field, v)
            if problem:
                return value, f"row {i}, `{key}`: {problem}"
            clean[key] = norm
        rows.append(clean)
    return rows, ""


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def free_key(existing: dict[str, Any], key: str) -> str:
    """``key``, or ``key__2``, ``key__3``... when it is taken (orphans never replace each other)."""
    if key not in existing:
        return key
    n = 2
    while f"{key}__{n}" in existing:
        n += 1
    return f"{key}__{n}"
