"""One questionnaire's answers as the engine, the wizard and the reports see them.

A questionnaire's answers are a mapping from its question ids to :class:`Answer` objects. Most are
stored with the questionnaire (``answers: {harms: {...}}`` in the file); the questions that ask a
shared fact are routed to the document's single ``facts:`` store, under the fact's id. Facts that a
questionnaire reads without asking (``{fact: X}`` in a condition) appear under the key ``fact:X``,
which no question id can take (ids are slugs). So ``answers["recourse"]`` in harms and
``answers["contest_route"]`` in research-ethics are the same object, stored once, and a plain
``dict(answers)`` copy still carries everything a condition may read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

FACT_KEY = "fact:"


class QuestionnaireAnswers(MutableMapping[str, Any]):
    """Answers by question id; fact questions read and write the shared ``facts`` store."""

    __slots__ = ("local", "facts", "aliases", "reads")

    def __init__(self, local: dict[str, Any] | None = None) -> None:
        self.local: dict[str, Any] = dict(local or {})
        self.facts: dict[str, Any] | None = None
        self.aliases: dict[str, str] = {}  # local question id -> fact id
        self.reads: frozenset[str] = frozenset()  # facts read but not asked

    def bind(self, facts: dict[str, Any], aliases: dict[str, str], reads: frozenset[str]) -> None:
        self.facts, self.aliases, self.reads = facts, dict(aliases), reads

    def fact_id(self, key: str) -> str | None:
        """The fact a key stands for, or None for a questionnaire-specific question."""
        if self.facts is None:
            return None
        fid = self.aliases.get(key)
        if fid is not None:
            return fid
        if key.startswith(FACT_KEY) and key[len(FACT_KEY):] in self.reads:
            return key[len(FACT_KEY):]
        return None

    def _store(self, key: str) -> tuple[dict[str, Any], str]:
        fid = self.fact_id(key)
        if fid is not None and self.facts is not None:
            return self.facts, fid
        return self.local, key

    def __getitem__(self, key: str) -> Any:
        store, k = self._store(key)
        return store[k]

    def get(self, key: str, default: Any = None) -> Any:
        facts = self.facts
        if facts is not None:
            fid = self.aliases.get(key)
            if fid is not None:
                return facts.get(fid, default)
            if key.startswith(FACT_KEY) and key[len(FACT_KEY):] in self.reads:
                return facts.get(key[len(FACT_KEY):], default)
        return self.local.get(key, default)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        store, k = self._store(key)
        return k in store

    def __setitem__(self, key: str, value: Any) -> None:
        store, k = self._store(key)
        store[k] = value

    def __delitem__(self, key: str) -> None:
        store, k = self._store(key)
        del store[k]

    def __iter__(self) -> Iterator[str]:
        yield from self.local
        if self.facts is not None:
            for local, fid in self.aliases.items():
                if fid in self.facts:
                    yield local
            for fid in self.reads:
                if fid in self.facts:
                    yield FACT_KEY + fid

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __eq__(self, other: object) -> bool:
        """Equal when the questionnaire's own answers are; shared facts are compared on the document."""
        if isinstance(other, QuestionnaireAnswers):
            return self.local == other.local
        if isinstance(other, Mapping):
            return self.local == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"QuestionnaireAnswers({self.local!r}, facts={sorted(self.aliases.values())})"
