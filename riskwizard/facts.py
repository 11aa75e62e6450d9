"""Shared facts: questions asked once and used by every questionnaire that asks or reads them.

The catalogue (``questionnaires/shared/facts.yaml``) defines each fact once, as a full question. A
questionnaire asks one with the entry ``- fact: people_affected`` (optionally under a local ``id``,
with its own ``when``/``why``/``help``); conditions, rules and calculators of any questionnaire may
read one with ``{fact: people_affected, ...}``. A questionnaire of the user's may define facts of its
own in a top-level ``facts:`` list; a fact defined twice in different ways is an error naming both
files. The answer to a fact is stored once, under ``facts:`` in the answers file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ErrorGroup, Location, SchemaError
from .models import FactRef
from .yamlsafe import SourcedYaml

CATALOGUE_FILE = Path("shared") / "facts.yaml"


@dataclass(frozen=True)
class FactDef:
    """One fact definition and the file that gave it (for error messages naming both files)."""

    question: Any
    path: str
    where: Location | None = None


@dataclass(frozen=True)
class Catalogue:
    version: str
    title: str
    path: str
    facts: dict[str, FactDef]
    sha256: str = ""  # of the file it was read from

    def question(self, fact_id: str) -> Any:
        return self.facts[fact_id].question


def same_definition(a: Any, b: Any) -> bool:
    return bool(a.model_dump() == b.model_dump())


def fact_registry(own: list[Any], src: SourcedYaml, catalogue: Catalogue) -> dict[str, FactDef]:
    """The catalogue plus a questionnaire's own ``facts:``; a different redefinition is an error."""
    registry = dict(catalogue.facts)
    errors = []
    for i, q in enumerate(own):
        where = src.where(("facts", i, "id"))
        known = registry.get(q.id)
        if known is not None and not same_definition(known.question, q.model_copy(update={"when": None})):
            errors.append(SchemaError(
                f"fact `{q.id}` is defined differently here and in {known.path}"
                + (f" (line {known.where.line})" if known.where and known.where.line else ""),
                where, "use the existing fact with `- fact: ...` in a section, or give yours another id"))
            continue
        if q.when is not None:
            errors.append(SchemaError(f"fact `{q.id}`: `when:` belongs to the question entry that asks the fact",
                                      src.where(("facts", i, "when")), "move `when:` to the `- fact:` entry"))
            continue
        registry[q.id] = FactDef(q, src.path, where)
    if errors:
        raise ErrorGroup(errors)
    return registry


def resolve_entry(ref: FactRef, registry: dict[str, FactDef], where: Location) -> Any:
    """The question a ``- fact:`` entry stands for, under its local id and with its local when/why/help."""
    known = registry.get(ref.fact)
    if known is None:
        names = ", ".join(sorted(registry)) or "(none)"
        raise SchemaError(f"unknown shared fact `{ref.fact}`", where,
                          f"use one of: {names}; or define it under `facts:` at the top of this file")
    base = known.question
    update: dict[str, Any] = {"id": ref.id or ref.fact, "when": ref.when, "replaces": list(ref.replaces)}
    if ref.why:
        update["why"] = ref.why
    if ref.help:
        update["help"] = ref.help
    return base.model_copy(update=update)


def check_definitions(specs: list[Any], bundled: dict[str, FactDef]) -> list[SchemaError]:
    """Two questionnaires of one assessment that define one fact differently: an error naming both files.

    ``bundled`` is the catalogue's facts (``loader.load_catalogue().facts``), which every file may use.
    """
    seen: dict[str, tuple[Any, str]] = {}
    problems: list[SchemaError] = []
    for spec in specs:
        for fid, fdef in spec.fact_defs.items():
            if bundled.get(fid) is fdef:
                continue
            prior = seen.get(fid)
            if prior is None:
                seen[fid] = (fdef.question, fdef.path)
            elif prior[1] != fdef.path and not same_definition(prior[0], fdef.question):
                problems.append(SchemaError(
                    f"fact `{fid}` is defined differently in {prior[1]} and in {fdef.path}", fdef.where,
                    "define it in one file (or identically in both), or rename one of them"))
    return problems
