"""Upgrading answers: duplicate answers become one shared fact, disagreements are kept as conflicts.

When a questionnaire asks a shared fact (or ``replaces:`` an older question), the answers its older
versions stored under their own ids move to the fact. Answers that agree become one fact (their
notes kept together); answers that disagree are all kept, value for value, under ``conflicts:``,
and the fact stays open until the user picks one. Nothing is dropped: every old answer ends up as
a fact, a conflict value, an answer under its new id, or an ``orphaned`` entry with its value.

Files of format 1 (before shared facts) are read in the new layout automatically; the first save
writes a backup of the old file next to it (``NAME.v1.bak``, never replacing an existing one).
``riskwizard migrate FILE --dry-run`` prints the change as a unified diff.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .answermap import QuestionnaireAnswers
from .answervalues import free_key

_REL_TOLERANCE = 1e-9


@dataclass
class _Old:
    """One stored answer that now belongs to a shared fact."""

    questionnaire: str
    question: str
    answer: Any  # an Answer
    kind: str  # value | unknown | note | check | invalid
    value: Any = None  # the value in the fact's terms (kind value)
    check: Callable[[Any, dict[str, Any]], bool] | None = None
    reason: str = ""


def lift_facts(doc: Any, specs: list[Any]) -> list[str]:
    """Move answers of fact questions (and of replaced questions) to their new place; returns notices."""
    from .answervalues import Orphan

    notices: list[str] = []
    pending: dict[str, list[_Old]] = {}
    questions: dict[str, Any] = {}
    for spec in specs:
        stored = doc.answers.get(spec.id)
        if not stored:
            continue
        local = stored.local if isinstance(stored, QuestionnaireAnswers) else stored
        for key in list(local):
            target = spec.lift.get(key)
            if target is None:
                continue
            target_id, rep = target
            question = spec.question(target_id)
            fid = spec.fact_of.get(target_id)
            answer = local.pop(key)
            if fid is None:  # a renamed questionnaire-specific question
                old = _translate(spec.id, key, answer, rep, question)
                if old.kind in ("value", "unknown", "note") and target_id not in local:
                    local[target_id] = answer.model_copy(update={"value": old.value if old.kind == "value"
                                                                 else answer.value})
                    continue
                reason = old.reason or f"`{target_id}` replaces it and has an answer already"
                orphans = doc.orphaned.setdefault(spec.id, {})
                orphans[free_key(orphans, key)] = Orphan(**answer.model_dump(), reason=reason,
                                                          questionnaire_version="")
                notices.append(f"{spec.id}/{key}: kept in `orphaned` ({reason})")
                continue
            questions.setdefault(fid, question)
            pending.setdefault(fid, []).append(_translate(spec.id, key, answer, rep, question))
    # facts whose old answers only check against other facts are settled last
    order = sorted(pending, key=lambda fid: any(o.kind == "check" for o in pending[fid]))
    for fid in order:
        notices += _settle(doc, fid, pending[fid], questions[fid])
    return notices


def _translate(questionnaire: str, key: str, answer: Any, rep: Any, question: Any) -> _Old:
    from .answervalues import check_value

    old = _Old(questionnaire, key, answer, "value")
    if answer.unknown:
        old.kind = "unknown"
        return old
    if answer.value is None:
        old.kind = "note"
        return old
    value = answer.value
    if rep is not None and rep.bands:
        band = rep.bands.get(value) if isinstance(value, str) else None
        if band is None:
            return _invalid(old, f"`{_short(value)}` is none of the bands {', '.join(rep.bands)}")
        low, high = band
        old.kind = "check"
        old.check = lambda v, _facts: (low is None or v >= low) and (high is None or v < high)
        old.reason = (f"{questionnaire} asked for a band, {_band_text(low, high)}; the shared fact "
                      f"`{question.id}` needs the number")
        return old
    if rep is not None and rep.product_with is not None:
        other = rep.product_with
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _invalid(old, f"`{_short(value)}` is not a number")
        total = float(value)

        def product(v: Any, facts: dict[str, Any], other: str = other, total: float = total) -> bool:
            factor = facts.get(other)
            if factor is None or not factor.is_answered or not isinstance(factor.value, int | float):
                return False
            return abs(float(v) * float(factor.value) - total) <= _REL_TOLERANCE * max(1.0, abs(total))

        old.kind = "check"
        old.check = product
        old.reason = (f"{questionnaire} asked for a total ({_number(value)}); the shared facts now ask for "
                      f"`{question.id}` and `{other}`, whose product it should be")
        return old
    if rep is not None and rep.map:
        value = _mapped(value, rep.map, question.type)
        if value is None:
            return _invalid(old, f"`{_short(answer.value)}` cannot be translated to the options of `{question.id}`")
    norm, problem = check_value(question, value)
    if problem:
        return _invalid(old, problem)
    old.value = norm
    return old


def _mapped(value: Any, mapping: dict[str, Any], target_type: str) -> Any:
    if target_type == "multi":
        items = value if isinstance(value, list) else [value]
        out: list[Any] = []
        for item in items:
            new = mapping.get(item, item) if isinstance(item, str) else item
            for v in new if isinstance(new, list) else [new]:
                if v not in out:
                    out.append(v)
        return out
    if isinstance(value, list):
        return None
    new = mapping.get(value, value) if isinstance(value, str) else value
    return None if isinstance(new, list) else new


def _invalid(old: _Old, reason: str) -> _Old:
    old.kind = "invalid"
    old.reason = reason
    return old


def _settle(doc: Any, fid: str, olds: list[_Old], question: Any) -> list[str]:
    """One fact and the old answers that belong to it: agree -> one fact, disagree -> conflict."""
    from .answervalues import Answer, ConflictValue, Orphan

    notices: list[str] = []
    keep: list[_Old] = []
    for old in olds:
        if old.kind == "invalid":
            orphans = doc.orphaned.setdefault(old.questionnaire, {})
            orphans[free_key(orphans, old.question)] = Orphan(**old.answer.model_dump(), reason=old.reason,
                                                               questionnaire_version="")
            notices.append(f"{old.questionnaire}/{old.question}: kept in `orphaned` ({old.reason})")
        else:
            keep.append(old)
    if not keep:
        return notices
    existing = doc.facts.get(fid)
    if fid in doc.conflicts:  # already in conflict: add the newcomers
        doc.conflicts[fid].extend(_conflict_entry(o) for o in keep)
        notices.append(f"fact `{fid}`: {len(keep)} more old answer(s) added to its conflict")
        return notices
    producers: list[tuple[str, Any]] = []  # (key, value) of every answer that gives the fact a value
    if existing is not None and (existing.unknown or existing.value is not None):
        producers.append(_key(existing.unknown, existing.value))
    producers += [_key(o.kind == "unknown", o.value) for o in keep if o.kind in ("value", "unknown")]
    distinct = {json.dumps(k, sort_keys=True, default=str) for k in producers}
    checks = [o for o in keep if o.kind == "check"]
    agreed = len(distinct) == 1 and (not checks or (producers[0][0] == "value" and all(
        o.check(producers[0][1], doc.facts) for o in checks if o.check is not None)))
    if not producers and not checks:  # notes only
        agreed = True
    if agreed:
        sources = [o for o in keep if o.kind != "check"]
        first = next((o for o in sources if o.kind in ("value", "unknown")), None)
        if existing is not None:
            base = existing
        elif first is not None:
            base = Answer(value=first.value if first.kind == "value" else None, unknown=first.kind == "unknown",
                          note="", updated=first.answer.updated)
        else:
            base = Answer(note="", updated=keep[0].answer.updated)
        notes = [(o.questionnaire, o.answer.note) for o in keep]
        base.note = _merge_notes([("", base.note), *notes])
        base.updated = max([base.updated, *(o.answer.updated for o in keep)])
        doc.facts[fid] = base
        return notices
    entries = []
    if existing is not None:
        entries.append(ConflictValue(value=existing.value, unknown=existing.unknown, note=existing.note,
                                     updated=existing.updated, fact_value=existing.value,
                                     reason="the value the shared fact held"))
        del doc.facts[fid]
    entries += [_conflict_entry(o) for o in keep]
    doc.conflicts[fid] = entries
    shown = "; ".join(f"{e.questionnaire or 'facts'}/{e.question or fid} = "
                      f"{'don' + chr(39) + 't know' if e.unknown else _short(e.value)}" for e in entries)
    notices.append(f"fact `{fid}`: the old answers disagree ({shown}); all are kept under `conflicts` "
                   "until you pick one")
    return notices


def _conflict_entry(old: _Old) -> Any:
    from .answervalues import ConflictValue

    a = old.answer
    return ConflictValue(questionnaire=old.questionnaire, question=old.question, value=a.value, unknown=a.unknown,
                         note=a.note, updated=a.updated, fact_value=old.value if old.kind == "value" else None,
                         reason=old.reason)


def _key(unknown: bool, value: Any) -> tuple[str, Any]:
    if unknown:
        return ("unknown", None)
    if isinstance(value, str):
        return ("value", value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ("value", float(value))
    return ("value", value)


def _merge_notes(notes: list[tuple[str, str]]) -> str:
    kept: list[tuple[str, str]] = []
    for source, note in notes:
        if note and note not in (n for _, n in kept):
            kept.append((source, note))
    if len(kept) <= 1:
        return kept[0][1] if kept else ""
    return "\n".join(f"{source}: {note}" if source else note for source, note in kept)


def _band_text(low: float | None, high: float | None) -> str:
    if low is None:
        return f"below {_number(high)}"
    if high is None:
        return f"{_number(low)} or more"
    return f"{_number(low)} to {_number(high)}"


def _number(x: float | None) -> str:
    return f"{int(x):,}" if x is not None and float(x).is_integer() else f"{x:,}"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."
