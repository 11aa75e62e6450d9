"""The report model: everything a report shows, as plain JSON-ready data.

Every output format (HTML/PDF, Markdown, LaTeX, JSON) is rendered from this one dictionary, so
the formats cannot disagree. Nothing here is markup: values are plain text, escaped by each
renderer for its own format.
"""

from __future__ import annotations

from typing import Any

from ..answers import AnswersDoc, answers_fingerprint
from ..engine import AnswerView, AssessmentResult, evaluate_assessment, format_raw, format_value
from ..loader import Spec
from .impact import broader_impact, checklist

REPORT_FORMAT = "riskwizard-report/1"
STAGES = {"design": "Design", "development": "Development", "deployment": "Deployment", "": "Not stated"}
DECISIONS = {
    "": "No decision recorded",
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "revise": "Revise and resubmit",
    "rejected": "Rejected",
}
SEVERITY_WORDS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low", "info": "Information"}
ERROR_COSTS = "error-costs"
MODEL_CARD = "model-card"
NEURIPS = "neurips-broader-impact"
MODEL_CARD_FIELDS = [
    ("mc_intended_use", "Intended use"),
    ("mc_out_of_scope", "Out-of-scope uses"),
    ("mc_factors", "Factors"),
    ("mc_metrics", "Metrics"),
    ("mc_caveats", "Caveats and recommendations"),
]
ERROR_FIELDS = [  # (derived key, label, kind)
    ("population", "People assessed", "input"),
    ("base_rate", "Base rate (true positives)", "input"),
    ("tp", "True positives (correctly flagged)", "count"),
    ("fp", "False positives (wrongly flagged)", "count"),
    ("fn", "False negatives (missed)", "count"),
    ("tn", "True negatives (correctly not flagged)", "count"),
    ("errors", "Errors in total", "count"),
    ("harm", "Expected harm (cost units)", "count"),
]
TOP_FINDINGS = 5


def build_model(doc: AnswersDoc, specs: list[Spec], answers_sha256: str | None = None,
                result: AssessmentResult | None = None, today: Any = None,
                max_age: int | None = None) -> dict[str, Any]:
    """Evaluate the assessment and collect everything the reports show.

    ``today`` (a date; default the real one) is the day staleness is judged on, ``max_age`` (days; None:
    no age check) the age of content and review it allows (see :mod:`riskwizard.staleness`);
    ``summary.staleness`` is present only when something is out of date.
    """
    from ..staleness import check_staleness

    result = result or evaluate_assessment(doc, specs)
    overall = result.overall_tier
    questionnaires = [_questionnaire(doc, spec, result) for spec in specs]
    obligations = [dict(o, questionnaire=q["title"]) for q in questionnaires for o in q["obligations"]]
    obligations.sort(key=lambda o: (o["applies_from"] is None, o["applies_from"] or "", o["title"]))
    open_questions = [dict(o, questionnaire=q["title"]) for q in questionnaires for o in q["open_questions"]]
    findings = [_finding(f, _title(specs, f.questionnaire)) for f in result.findings]
    model: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "system": {
            "name": doc.system.name or "Unnamed system",
            "description": doc.system.description,
            "version": doc.system.version,
            "organisation": doc.system.organisation,
        },
        "assessor": doc.assessor,
        "stage": doc.stage,
        "stage_label": STAGES.get(doc.stage, doc.stage),
        "created": doc.created,
        "updated": doc.updated,
        "date": (doc.updated or doc.created)[:10],
        "overall": _overall(overall, result.overall_result),
        "highest_severity": result.highest_severity,
        "summary": {
            "findings_total": len(findings),
            "findings_by_severity": _count_by_severity(findings),
            "top_findings": findings[:TOP_FINDINGS],
            "open_questions": open_questions,
            "unknown_count": sum(1 for o in open_questions if o["status"] == "unknown"),
            "obligations": obligations,
            "answered": sum(q["answered"] for q in questionnaires),
            "visible": sum(q["visible"] for q in questionnaires),
            "contradictions": contradictions(result),
        },
        "findings": findings,
        "questionnaires": questionnaires,
        "error_costs": _error_costs(doc, specs, result),
        "broader_impact": None,
        "checklist": None,
        "model_card": _model_card(doc, specs),
        "review": {
            "comments": [c.model_dump() for c in doc.review.comments],
            "decision": doc.review.decision,
            "decision_label": DECISIONS.get(doc.review.decision, doc.review.decision),
            "decided": doc.review.decided,
            "currency": _decision_currency(doc),
            "currency_note": CURRENCY_NOTES.get(_decision_currency(doc), ""),
            "conditions": doc.review.conditions,
        },
        "provenance": {
            "answers_sha256": answers_sha256 or "",
            "questionnaires": [{"id": s.id, "version": s.version, "sha256": s.sha256, "title": s.model.title}
                               for s in specs],
        },
    }
    stale = check_staleness(doc, specs, None, today, max_age)
    if stale:
        model["summary"]["staleness"] = [s.line for s in stale]
    neurips = next((s for s in specs if s.id == NEURIPS), None)
    if neurips is not None:
        answers = doc.answers.get(NEURIPS, {})
        model["broader_impact"] = broader_impact(neurips, answers, result.result(NEURIPS))
        model["checklist"] = checklist(neurips, answers, result.result(NEURIPS))
    return model


def contradictions(result: AssessmentResult) -> list[dict[str, Any]]:
    """Answers that disagree (consistency rules and unsettled conflicts), for the executive summary."""
    return [{"rule_id": c.rule_id, "kind": c.kind, "title": c.title, "explanation": c.explanation,
             "resolve": c.resolve, "citation": c.citation, "message": c.message,
             "sides": [{"questionnaire": s.questionnaire, "questionnaire_title": s.questionnaire_title,
                        "question": s.question, "fact": s.fact, "prompt": s.prompt, "answer": s.answer}
                       for s in c.sides]}
            for c in result.contradictions]


def _title(specs: list[Spec], qid: str) -> str:
    return next((s.model.title for s in specs if s.id == qid), qid)


CURRENCY_NOTES = {
    "changed": "The answers have changed since this decision was recorded, so it may not cover this version.",
    "unrecorded": "The decision does not record which answers it was taken on; check that it covers this version.",
}


def _decision_currency(doc: AnswersDoc) -> str:
    """Whether the recorded decision was taken on these answers: "", "current", "changed" or "unrecorded"."""
    review = doc.review
    if not review.decision:
        return ""
    if not review.answers_fingerprint:
        return "unrecorded"
    return "current" if review.answers_fingerprint == answers_fingerprint(doc) else "changed"


def _overall(tier: Any, holder: Any = None) -> dict[str, Any] | None:
    if tier is None:
        return None
    provisional = bool(holder is not None and holder.provisional)
    caveat = (f"Provisional: {holder.unanswered} of {holder.visible} questions are unanswered, so this tier "
              "may change when they are answered.") if provisional else ""
    plain = f"{tier.label}: {tier.title}."
    if tier.description:
        plain += f" {tier.description}"
    if caveat:
        plain += f" {caveat}"
    return {"id": tier.id, "label": tier.label, "title": tier.title, "description": tier.description,
            "reason": tier.reason, "rule_id": tier.rule_id, "plain": plain,
            "provisional": provisional, "caveat": caveat}


def _finding(f: Any, questionnaire_title: str) -> dict[str, Any]:
    return {"rule_id": f.rule_id, "severity": f.severity, "severity_label": SEVERITY_WORDS.get(f.severity, f.severity),
            "title": f.title, "explanation": f.explanation, "recommendation": f.recommendation,
            "citation": f.citation, "questionnaire": f.questionnaire, "questionnaire_title": questionnaire_title}


def _count_by_severity(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITY_WORDS}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return counts


def _questionnaire(doc: AnswersDoc, spec: Spec, result: AssessmentResult) -> dict[str, Any]:
    r = result.result(spec.id)
    assert r is not None
    answers = doc.answers.get(spec.id, {})
    view = AnswerView(spec, answers)
    sections = []
    for section in spec.model.sections:
        items = [_item(q, answers.get(q.id), view.is_visible(q.id)) for q in section.questions]
        sections.append({"id": section.id, "title": section.title, "items": items,
                         "visible": any(i["visible"] for i in items)})
    orphaned = [{"id": k, "value": _plain(o.value), "unknown": o.unknown, "reason": o.reason}
                for k, o in doc.orphaned.get(spec.id, {}).items()]
    dims = {d.id: d for d in spec.model.dimensions}
    scores = [{"id": k, "title": r.dimension_titles.get(k, k), "value": v,
               "max": dims[k].max if k in dims else None} for k, v in r.scores.items()]
    return {
        "id": spec.id,
        "version": spec.version,
        "sha256": spec.sha256,
        "title": spec.model.title,
        "description": spec.model.description,
        "as_of": spec.model.as_of,
        "tier": _overall(r.tier),
        "scores": scores,
        "flags": list(r.flags),
        "findings": [_finding(f, spec.model.title) for f in r.findings],
        "obligations": [{"id": o.id, "title": o.title, "text": o.text, "citation": o.citation,
                         "applies_from": o.applies_from, "date_source": o.date_source} for o in r.obligations],
        "open_questions": [{"id": o.id, "prompt": o.prompt, "section": o.section, "status": o.status}
                           for o in r.open_questions],
        "trace": [{"rule_id": t.rule_id, "description": t.description, "effects": list(t.effects),
                   "sets_tier": bool(r.tier and r.tier.rule_id == t.rule_id),
                   "evidence": [{"ref": e.ref, "kind": e.kind, "shown": e.shown} for e in t.evidence]}
                  for t in r.trace],
        "derived": {k: _round(v) for k, v in sorted(r.derived.items())},
        "measured": r.measured,  # derived id -> the CodeCarbon measurement that replaced the estimate
        "answered": r.answered,
        "visible": r.visible,
        "sections": sections,
        "orphaned": orphaned,
        "sources": [{"id": s.id, "citation": s.citation, "url": s.url} for s in spec.model.sources],
    }


def _item(q: Any, answer: Any, visible: bool) -> dict[str, Any]:
    status = "unanswered"
    if answer is not None and answer.unknown:
        status = "unknown"
    elif answer is not None and answer.value is not None:
        status = "answered"
    item: dict[str, Any] = {
        "id": q.id, "prompt": q.prompt, "type": q.type, "visible": visible, "status": status,
        "text": format_value(q, answer) if visible else "not applicable (hidden by an earlier answer)",
        "note": answer.note if answer is not None else "",
        "updated": answer.updated if answer is not None else "",
        "rows": None, "columns": None,
    }
    if q.type == "group" and status == "answered":
        item["columns"] = [f.prompt for f in q.fields]
        item["rows"] = [[("don't know" if row.get(f.id) is None else format_raw(f, row[f.id])) for f in q.fields]
                        for row in answer.value]
    return item


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | list | dict) or value is None else str(value)


def _round(value: float) -> float:
    return round(float(value), 6)


def _error_costs(doc: AnswersDoc, specs: list[Spec], result: AssessmentResult) -> dict[str, Any] | None:
    spec = next((s for s in specs if s.id == ERROR_COSTS), None)
    r = result.result(ERROR_COSTS)
    if spec is None or r is None:
        return None
    derived = r.derived
    prefix = next((k.split(".")[0] + "." for k in derived if k.endswith(".fp")), None)
    if prefix is None:
        return {"available": False, "rows": [], "values": {}}
    values = {k.removeprefix(prefix): v for k, v in derived.items() if k.startswith(prefix)}
    err = next(d for d in spec.model.derived if f"{d.id}." == prefix)
    answers = doc.answers.get(ERROR_COSTS, {})
    inputs: dict[str, float] = {}
    for name, qid in err.inputs.items():
        a = answers.get(qid)
        if a is not None and a.is_answered and isinstance(a.value, int | float):
            inputs[name] = float(a.value)
    values["population"] = inputs.get("population", values.get("positives", 0) + values.get("negatives", 0))
    values["base_rate"] = inputs.get("base_rate", 0.0)
    rows = []
    for key, label, kind in ERROR_FIELDS:
        if key not in values:
            continue
        if key == "harm" and not (inputs.get("cost_fp") or inputs.get("cost_fn")):
            continue
        v = values[key]
        shown = f"{v:g}%" if key == "base_rate" else f"{round(v):,}"
        rows.append({"key": key, "label": label, "value": _round(v), "shown": shown, "kind": kind})
    return {"available": True, "rows": rows, "values": {k: _round(v) for k, v in sorted(values.items())},
            "cost_fp": inputs.get("cost_fp"), "cost_fn": inputs.get("cost_fn")}


def _model_card(doc: AnswersDoc, specs: list[Spec]) -> list[dict[str, Any]] | None:
    spec = next((s for s in specs if s.id == MODEL_CARD), None)
    if spec is None:
        return None
    answers = doc.answers.get(MODEL_CARD, {})
    known = {q.id: q for q in spec.questions()}
    out = []
    for qid, label in MODEL_CARD_FIELDS:
        q = known.get(qid)
        a = answers.get(qid)
        if q is None:
            continue
        status = "unknown" if a is not None and a.unknown else ("answered" if a is not None and a.is_answered
                                                                  else "unanswered")
        text = format_value(q, a) if status == "answered" else ""
        out.append({"id": qid, "title": label, "text": text, "status": status})
    return out
