"""Which questionnaires apply, from a few shared facts (is there a paper? which stage? which role?).

A questionnaire may declare ``applies_when:``, a condition over shared facts; one without it always
applies. ``new`` and the start screen suggest the questionnaires whose condition holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .conditions import ANSWERED, MISSING, UNKNOWN
from .errors import RiskwizardError
from .loader import Spec, bundled_paths, load_questionnaire

# The facts that decide which questionnaires apply, in the order a start screen asks them.
SCOPE_FACTS = ("has_paper", "paper_venue", "lifecycle_stage", "operator_role", "canada_federal")
VENUES = ("neurips", "acl", "other")  # the options of the shared fact paper_venue


@dataclass(frozen=True)
class Suggestion:
    spec: Spec
    applies: bool
    reason: str

    @property
    def id(self) -> str:
        return self.spec.id


class _FactsOnly:
    """A lookup for ``applies_when``: facts by id, given as plain values or Answer objects."""

    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts

    def fact_status(self, fact_id: str) -> tuple[str, Any]:
        value = self.facts.get(fact_id)
        if hasattr(value, "unknown"):  # an Answer
            if value.unknown:
                return UNKNOWN, None
            value = value.value if value.is_answered else None
        if value is None or value == "" or value == []:
            return MISSING, None
        return ANSWERED, value

    def status(self, qid: str) -> tuple[str, Any]:
        return MISSING, None

    def derived(self, name: str) -> float | None:
        return None

    def score(self, dimension: str) -> float:
        return 0.0


def bundled_specs() -> list[Spec]:
    specs = []
    for path in bundled_paths().values():
        try:
            specs.append(load_questionnaire(path))
        except RiskwizardError:
            continue
    return specs


def suggest_questionnaires(facts: dict[str, Any], specs: list[Spec] | None = None) -> list[Suggestion]:
    """Every questionnaire (bundled, unless ``specs`` are given) with whether it applies and why."""
    lookup = _FactsOnly(facts)
    out = []
    for spec in specs if specs is not None else bundled_specs():
        cond = spec.applies_when
        if cond is None:
            out.append(Suggestion(spec, True, "applies to every assessment"))
            continue
        applies = cond.evaluate(lookup)
        because = spec.model.applies_because
        needed = sorted(cond.fact_refs())
        # the reason is written for the case the questionnaire applies to: quoted, not asserted, when it does not
        reason = because if applies else _not_suggested(needed, lookup, because)
        out.append(Suggestion(spec, applies, reason))
    return out


def _not_suggested(needed: list[str], lookup: _FactsOnly, because: str) -> str:
    given = [f for f in needed if lookup.fact_status(f)[0] != MISSING]
    missing = [f for f in needed if f not in given]
    text = "not suggested: " + (f"the answers to {', '.join(given)} do not meet its condition" if given
                                else "its condition is not met")
    if missing:
        text += f" ({', '.join(missing)} not answered)"
    return text + "." + (f" It is meant for this case: {because}" if because else "")


def suggested_ids(facts: dict[str, Any], specs: list[Spec] | None = None) -> list[str]:
    return [s.id for s in suggest_questionnaires(facts, specs) if s.applies]


def facts_from_options(paper: bool | None, stage: str | None, roles: tuple[str, ...] | list[str],
                       canada_federal: bool | None = None,
                       venues: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
    """Scope facts from command-line options (None / empty: not given). Naming a venue implies a paper."""
    facts: dict[str, Any] = {}
    if venues and paper is False:
        raise RiskwizardError("a paper venue was given together with 'no paper'; give one or the other")
    if venues:
        paper = True
        facts["paper_venue"] = list(dict.fromkeys(venues))
    if paper is not None:
        facts["has_paper"] = "yes" if paper else "no"
    if canada_federal is not None:
        facts["canada_federal"] = "yes" if canada_federal else "no"
    if stage:
        facts["lifecycle_stage"] = stage
    if roles:
        facts["operator_role"] = list(dict.fromkeys(roles))
    return facts


def ordered(ids: list[str]) -> list[str]:
    """Questionnaire ids in the bundled order (EU AI Act first), others after."""
    order = ["eu-ai-act", "canada-aia", "harms", "bias-sources", "error-costs", "neurips-broader-impact",
             "acl-responsible-nlp", "research-ethics", "model-card"]
    return sorted(ids, key=lambda q: (order.index(q) if q in order else len(order), q))


def scope_snapshot(facts: dict[str, Any]) -> dict[str, Any]:
    """The scope facts as they are now (copies: answers are edited in place), for :func:`applicability_changes`."""
    return {fid: a.model_copy(deep=True) for fid, a in facts.items() if fid in SCOPE_FACTS}


def applicability_changes(before: dict[str, Any], after: dict[str, Any], in_file: list[Spec],
                          bundled: list[Spec]) -> list[str]:
    """What a change of the scope facts turned, in sentences: a questionnaire of the assessment that no
    longer applies (or applies again), and a bundled one outside it that now applies (a paper venue
    answered as an *ACL venue: the ACL checklist)."""
    own = {s.id for s in in_file}
    specs = [*in_file, *(s for s in bundled if s.id not in own)]
    was = {s.id: s.applies for s in suggest_questionnaires(before, specs)}
    out = []
    for suggestion in suggest_questionnaires(after, specs):
        spec, now = suggestion.spec, suggestion.applies
        if now == was[spec.id]:
            continue  # unchanged, or no condition at all (applies to every assessment)
        title = spec.model.title
        if spec.id in own:
            out.append(f"{title} applies again with this answer." if now else
                       f"{title} no longer applies with this answer; its answers stay in the file.")
        elif now:
            out.append(f"With this answer, {title} applies too. It is not part of this assessment: "
                       f"`riskwizard new FILE -q {spec.id}` starts an assessment with it, and "
                       "`riskwizard score` lists every questionnaire that may apply.")
    return out
