"""Compare two assessments: which answers changed and how the tier and scores moved."""

from __future__ import annotations

from typing import Any

from .assessment import Assessment
from .engine import format_value


def diff_assessments(old: Assessment, new: Assessment) -> dict[str, Any]:
    old_result, new_result = old.evaluate(), new.evaluate()
    changes: list[dict[str, Any]] = []
    lines: list[str] = []
    specs = {s.id: s for s in [*old.specs, *new.specs]}
    for qid_questionnaire, spec in specs.items():
        before = old.doc.answers.get(qid_questionnaire, {})
        after = new.doc.answers.get(qid_questionnaire, {})
        known = {q.id: q for q in spec.questions()}
        for qid in [q for q in known if q in before or q in after]:
            a, b = before.get(qid), after.get(qid)
            shown_a, shown_b = format_value(known[qid], a), format_value(known[qid], b)
            note_changed = (a.note if a else "") != (b.note if b else "")
            if shown_a != shown_b or (a and b and a.value != b.value) or note_changed:
                changes.append({"questionnaire": qid_questionnaire, "question": qid,
                                "old": shown_a, "new": shown_b, "note_changed": note_changed})
                lines.append(f"{qid_questionnaire}/{qid}: {shown_a} -> {shown_b}"
                             + (" (note changed)" if note_changed else ""))
    movement: list[dict[str, Any]] = []
    for r_new in new_result.results:
        r_old = old_result.result(r_new.questionnaire_id)
        if r_old is None:
            lines.append(f"{r_new.questionnaire_id}: added to the assessment")
            continue
        t_old = r_old.tier.id if r_old.tier else None
        t_new = r_new.tier.id if r_new.tier else None
        entry: dict[str, Any] = {"questionnaire": r_new.questionnaire_id, "tier": [t_old, t_new], "scores": {}}
        if t_old != t_new:
            title_old = r_old.tier.title if r_old.tier else "none"
            title_new = r_new.tier.title if r_new.tier else "none"
            lines.append(f"{r_new.questionnaire_id}: tier {title_old} -> {title_new} ({t_old} -> {t_new})")
        for dim in sorted(set(r_old.scores) | set(r_new.scores)):
            a, b = r_old.scores.get(dim, 0.0), r_new.scores.get(dim, 0.0)
            entry["scores"][dim] = [a, b]
            if a != b:
                lines.append(f"{r_new.questionnaire_id}: score {dim} {a:g} -> {b:g} ({b - a:+g})")
        old_ids = {f.rule_id for f in r_old.findings}
        new_ids = {f.rule_id for f in r_new.findings}
        entry["findings_added"] = sorted(new_ids - old_ids)
        entry["findings_removed"] = sorted(old_ids - new_ids)
        titles = {f.rule_id: f"[{f.severity}] {f.title}" for f in [*r_old.findings, *r_new.findings]}
        for rid in entry["findings_added"]:
            lines.append(f"{r_new.questionnaire_id}: new finding {titles[rid]} ({rid})")
        for rid in entry["findings_removed"]:
            lines.append(f"{r_new.questionnaire_id}: finding resolved {titles[rid]} ({rid})")
        movement.append(entry)
    if not lines:
        lines.append("no differences")
    return {"changes": changes, "movement": movement, "lines": lines}
