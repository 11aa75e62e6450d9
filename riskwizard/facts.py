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
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import ErrorGroup, Location, SchemaError, display_path
from .models import FactCatalogue, FactRef
from .yamlsafe import SourcedYaml, load_yaml_file

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

    def question(self, fact_id: str) -> Any:
        return self.facts[fact_id].question


def catalogue_path() -> Path:
    from .loader import bundled_dir

    return bundled_dir() / CATALOGUE_FILE


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The bundled catalogue (cached while the file is unchanged), or the one at ``path``."""
    p = Path(path) if path is not None else catalogue_path()
    try:
        st = p.stat()
    except OSError:
        raise SchemaError("the shared facts catalogue is missing", Location(display_path(p)),
                          "reinstall riskwizard (questionnaires/shared/facts.yaml is part of the package)") from None
    return _load_catalogue(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load_catalogue(path: str, mtime_ns: int, size: int) -> Catalogue:
    from .loader import pydantic_errors

    src = load_yaml_file(Path(path))
    if not isinstance(src.data, dict):
        raise SchemaError("the facts catalogue must be a mapping with version, title, sources, facts",
                          src.where(()), "start the file with `version: \"1.0.0\"`")
    try:
        model = FactCatalogue.model_validate(src.data)
    except ValidationError as exc:
        raise ErrorGroup(pydantic_errors(exc, src, "facts catalogue")) from None
    facts = {q.id: FactDef(q, src.path, src.where(("facts", i, "id"))) for i, q in enumerate(model.facts)}
    errors = []
    for i, q in enumerate(model.facts):
        unit_by = getattr(q, "unit_by", None)
        if unit_by is None:
            continue
        ref = facts.get(unit_by.fact or "")
        bad = set(unit_by.units) - {o.value for o in getattr(ref.question, "options", ())} if ref else set()
        if ref is None or ref.question.type != "single" or bad:
            errors.append(SchemaError(f"fact `{q.id}`: `unit_by` must name a single-choice fact and its options",
                                      src.where(("facts", i, "unit_by")), "use `unit_by: {fact: ID, units: {...}}`"))
    if errors:
        raise ErrorGroup(errors)
    return Catalogue(model.version, model.title, src.path, facts)


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


def check_definitions(specs: list[Any]) -> list[SchemaError]:
    """Two questionnaires of one assessment that define one fact differently: an error naming both files."""
    seen: dict[str, tuple[Any, str]] = {}
    problems: list[SchemaError] = []
    bundled = load_catalogue().facts
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
