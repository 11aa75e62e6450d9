"""Findings that another finding covers (a rule's ``covered_by``) are not listed twice.

"Emissions exceed 25 tonnes" says all that "emissions exceed one tonne" says, and more; research
ethics' "more than one tonne" repeats the broader impact questionnaire's finding on the same figure.
A rule names the rules whose finding covers its own; when one of them has fired and its finding is
listed, the covered finding is left out of the list. The covered rule still fires: its score, its
flags and its line in the trace (which says what covered it) are unchanged.

Which findings are listed is decided in one pass over all fired findings, most serious first (then
in questionnaire and rule order): a finding is left out when a finding that covers it is already
listed. So a finding is never hidden behind a less serious one, and of two findings that name each
other, the first is listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import SchemaError
from .models import Severity

if TYPE_CHECKING:
    from .models import Questionnaire

SEPARATOR = "/"


@dataclass(frozen=True)
class Covered:
    """A finding left out of the list because a listed finding covers it."""

    questionnaire: str
    rule_id: str
    severity: str
    title: str
    by_questionnaire: str
    by_rule: str
    by_title: str


def qualified(questionnaire_id: str, ref: str) -> tuple[str, str]:
    """(questionnaire id, rule id) of a ``covered_by`` entry written in ``questionnaire_id``."""
    if SEPARATOR in ref:
        qid, rid = ref.split(SEPARATOR, 1)
        return qid, rid
    return questionnaire_id, ref


def crosses(models: Iterable[Questionnaire]) -> bool:
    """Whether any rule of these questionnaires names another questionnaire's rule in ``covered_by``."""
    return any(SEPARATOR in ref for m in models for r in m.rules for ref in r.covered_by)


def _less_serious(cover: Any, rule: Any) -> bool:
    """Whether the finding of ``cover`` is less serious than that of ``rule`` (both have one)."""
    return Severity(cover.finding.severity).rank < Severity(rule.finding.severity).rank


def check_covered_by(model: Questionnaire, where: Any) -> list[SchemaError]:
    """Errors in the ``covered_by`` lists of one questionnaire's rules.

    A rule of this questionnaire that is named must exist, have a finding and be at least as
    serious; a rule may not name itself, and the local references may not form a cycle. References
    to another questionnaire's rules are checked when both questionnaires are loaded together
    (:func:`check_across`).
    """
    errors: list[SchemaError] = []
    rules = {r.id: r for r in model.rules}
    for ri, rule in enumerate(model.rules):
        if not rule.covered_by:
            continue
        loc = where(("rules", ri, "covered_by"))
        if rule.finding is None:
            errors.append(SchemaError(f"rule `{rule.id}` has `covered_by` but no finding to cover", loc,
                                      "remove `covered_by`, or give the rule a finding"))
            continue
        for ref in rule.covered_by:
            qid, rid = qualified(model.id, ref)
            if qid != model.id:
                continue
            other = rules.get(rid)
            if rid == rule.id:
                errors.append(SchemaError(f"rule `{rule.id}` names itself in `covered_by`", loc,
                                          "name the rules whose finding covers this one"))
            elif other is None:
                errors.append(SchemaError(
                    f"rule `{rule.id}`: `covered_by` names unknown rule `{rid}`", loc,
                    f"use a rule id of this questionnaire, or `questionnaire-id{SEPARATOR}rule_id`"))
            elif other.finding is None:
                errors.append(SchemaError(f"rule `{rule.id}`: `covered_by` names rule `{rid}`, which has no finding",
                                          loc, "name a rule whose finding covers this one"))
            elif _less_serious(other, rule):
                errors.append(SchemaError(
                    f"rule `{rule.id}` ({rule.finding.severity}) would be covered by `{rid}`, which is less serious "
                    f"({other.finding.severity})", loc,
                    "a finding is never hidden behind a less serious one: raise that rule's severity or drop it here"))
    cycle = _local_cycle(model)
    if cycle:
        errors.append(SchemaError(f"the `covered_by` lists form a cycle: {' -> '.join(cycle)}",
                                  where(("rules",)), "a finding cannot be covered by one that it covers"))
    return errors


def _local_cycle(model: Questionnaire) -> list[str]:
    edges = {r.id: [rid for qid, rid in (qualified(model.id, ref) for ref in r.covered_by) if qid == model.id]
             for r in model.rules}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt in edges and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for rid in edges:
        if state.get(rid) is None:
            found = visit(rid)
            if found:
                return found
    return []


def check_across(models: Iterable[Questionnaire]) -> list[str]:
    """Problems with references to other questionnaires' rules, among questionnaires loaded together.

    A reference to a questionnaire that is not loaded is not a problem (that questionnaire is just
    not part of this assessment), but one to a missing rule, a rule without a finding or a less
    serious finding is: the text says which.
    """
    by_id = {m.id: m for m in models}
    problems: list[str] = []
    for model in by_id.values():
        for rule in model.rules:
            for ref in rule.covered_by:
                qid, rid = qualified(model.id, ref)
                if qid == model.id or qid not in by_id or rule.finding is None:
                    continue
                other = next((r for r in by_id[qid].rules if r.id == rid), None)
                if other is None or other.finding is None:
                    problems.append(f"{model.id}: rule `{rule.id}` is covered by `{ref}`, which is not a rule with "
                                    f"a finding of {qid} {by_id[qid].version}")
                elif _less_serious(other, rule):
                    problems.append(f"{model.id}: rule `{rule.id}` ({rule.finding.severity}) is covered by `{ref}`, "
                                    f"which is less serious ({other.finding.severity}); it is listed anyway")
    return problems


def listed(fired: list[tuple[str, Any, Any]]) -> tuple[set[tuple[str, str]], list[Covered]]:
    """Which fired findings are listed, and which are covered.

    ``fired`` holds ``(questionnaire id, rule, finding)`` for every rule that fired with its finding
    shown, in questionnaire and rule order; ``finding`` has ``severity`` and ``title``. Returns the
    listed (questionnaire id, rule id) pairs and the covered findings, each with what covers it.
    """
    order = sorted(range(len(fired)), key=lambda i: (-Severity(fired[i][2].severity).rank, i))
    shown: dict[tuple[str, str], str] = {}
    covered: list[Covered] = []
    for i in order:
        qid, rule, finding = fired[i]
        by = next((qualified(qid, ref) for ref in rule.covered_by if qualified(qid, ref) in shown), None)
        if by is None:
            shown[(qid, rule.id)] = finding.title
        else:
            covered.append(Covered(qid, rule.id, finding.severity, finding.title, by[0], by[1], shown[by]))
    return set(shown), covered
