"""The report model: everything a report shows, as plain JSON-ready data.

Every output format (HTML/PDF, Markdown, LaTeX, JSON) is rendered from this one dictionary, so
the formats cannot disagree. Nothing here is markup: values are plain text, escaped by each
renderer for its own format. Answers are read only through :class:`~.source.ReportAnswers`.
``riskwizard schema --report`` prints the JSON Schema of this dictionary (:mod:`.report_schema`).
"""

from __future__ import annotations

from typing import Any

from ..answers import AnswersDoc, answers_fingerprint, questionnaires_fingerprint
from ..engine import AnswerView, AssessmentResult, evaluate_assessment, finding_of, format_raw, format_value
from ..loader import Spec
from .errors import error_costs
from .impact import and_list, broader_impact, checklist
from .references import mark_cited, references
from .source import ReportAnswers
from .summary import (
    because_items,
    because_sentence,
    deadlines,
    decision_words,
    open_summary,
    short_prompt,
    themes,
    what_to_decide,
)

REPORT_FORMAT = "riskwizard-report/2"
APPENDIX_MODES = ("compact", "full")
STAGES = {"design": "Design", "development": "Development", "deployment": "Deployment", "": "Not stated"}
DECISIONS = {
    "": "No decision recorded",
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "revise": "Revise and resubmit",
    "rejected": "Rejected",
}
SEVERITY_WORDS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low", "info": "Information"}
MODEL_CARD = "model-card"
NEURIPS = "neurips-broader-impact"
EU_AI_ACT = "eu-ai-act"
GPAI_FLAGS = ("gpai", "gpai_systemic_risk")
MODEL_CARD_FIELDS = [
    ("mc_intended_use", "Intended use"),
    ("mc_out_of_scope", "Out-of-scope uses"),
    ("mc_factors", "Factors"),
    ("mc_metrics", "Metrics"),
    ("mc_caveats", "Caveats and recommendations"),
]
COMPACT_TEXT = 80
COMPACT_PROMPT = 70  # characters of a text answer shown in the compact Appendix A
CURRENCY_NOTES = {
    "changed": "The answers have changed since this decision was recorded, so it may not cover this version.",
    "unrecorded": "The decision does not record which answers it was taken on; check that it covers this version.",
    "questionnaires_changed": "The decision was taken on these answers, but other questionnaire versions score them "
                              "now, so the results may differ from those it was taken on.",
}
DATE_CAVEAT = ("The dates that apply are those set by acts published in the Official Journal. Confirm every date "
               "there before relying on it.")


def build_model(doc: AnswersDoc, specs: list[Spec], answers_sha256: str | None = None,
                result: AssessmentResult | None = None, appendix: str = "compact",
                source: ReportAnswers | None = None, today: Any = None,
                max_age: int | None = None) -> dict[str, Any]:
    """Evaluate the assessment and collect everything the reports show.

    ``appendix`` ("compact" or "full") tells the renderers how much of the appendices to print; the
    model itself always holds everything. ``source`` is where answers are read from (default: the
    answers file's own answers). ``today`` (a date; default the real one) is the day staleness is
    judged on, ``max_age`` (days; None: no age check) the age of content and review it allows (see
    :mod:`riskwizard.staleness`); ``summary.staleness`` is present only when something is out of date.
    """
    from ..staleness import check_staleness

    if appendix not in APPENDIX_MODES:
        raise ValueError(f"appendix must be one of {APPENDIX_MODES}")
    source = source or ReportAnswers(doc)
    result = result or evaluate_assessment(doc, specs)
    questionnaires = [_questionnaire(source, spec, result) for spec in specs]
    obligations = [dict(o, questionnaire=q["title"]) for q in questionnaires for o in q["obligations"]]
    obligations.sort(key=lambda o: (o["applies_from"] is None, o["applies_from"] or "", o["title"]))
    notes = _date_notes(obligations)
    open_questions = [dict(o, questionnaire=q["title"]) for q in questionnaires for o in q["open_questions"]]
    findings = [f for q in questionnaires for f in q["findings"]]
    findings.sort(key=lambda f: SEVERITY_ORDER.index(f["severity"]))
    covered = [c for q in questionnaires for c in q["covered"]]
    date = (doc.updated or doc.created)[:10]
    currency = _decision_currency(doc, specs)
    review = {
        "comments": [c.model_dump() for c in doc.review.comments],
        "decision": doc.review.decision,
        "decision_label": DECISIONS.get(doc.review.decision, doc.review.decision),
        "decided": doc.review.decided,
        "currency": currency,
        "currency_note": CURRENCY_NOTES.get(currency, ""),
        "conditions": doc.review.conditions,
    }
    review["words"] = decision_words(review, versions_recorded=bool(doc.review.questionnaires_fingerprint),
                                     versions=[f"{s.id} {s.version}" for s in specs])
    overall = _overall(specs, result, questionnaires)
    model: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "appendix": appendix,
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
        "date": date,
        "overall": overall,
        "highest_severity": findings[0]["severity"] if findings else None,
        "summary": {
            "decide": [],
            "results": [_result_row(q, overall) for q in questionnaires if q["tier"]],
            "findings_total": len(findings),
            "covered": covered,
            "covered_text": covered_text(covered),
            "findings_by_severity": _count_by_severity(findings),
            "themes": themes(findings, questionnaires),
            "open_questions": open_questions,
            "open": open_summary(open_questions, questionnaires),
            "deadlines": deadlines(obligations, date, [dict(k, questionnaire=r.title)
                                                       for r in result.results for k in r.key_dates]),
            "answered": sum(q["answered"] for q in questionnaires),
            "visible": sum(q["visible"] for q in questionnaires),
            "contradictions": contradictions(result),
        },
        "findings": findings,
        "obligations": {"rows": obligations, "notes": notes, "timelines": _timelines(specs, obligations),
                        "caveat": DATE_CAVEAT if obligations else ""},
        "questionnaires": questionnaires,
        "error_costs": error_costs(source, specs, result),
        "broader_impact": None,
        "checklist": None,
        "checklist_shown": False,
        "checklist_note": "",
        "model_card": _model_card(source, specs),
        "review": review,
        "references": references(questionnaires),
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
        model["broader_impact"] = broader_impact(neurips, source, result, specs)
        _mark_quoted(questionnaires, NEURIPS, model["broader_impact"]["quoted"], "impact")
        model["checklist"] = checklist(neurips, source, result.result(NEURIPS))
        deployed = doc.stage == "deployment" or source.value(NEURIPS, "impact_stack") == "deployment"
        model["checklist_shown"] = not deployed
        if deployed:
            model["checklist_note"] = ("The NeurIPS paper checklist is left out: this assesses a system in or near "
                                       "deployment, not a paper. Its answers are listed in Appendix A.")
        if model["checklist_shown"]:  # section 7 prints each answer with its justification
            _mark_quoted(questionnaires, NEURIPS, [c["id"] for c in model["checklist"] if c["answer"] is not None],
                         "checklist")
    if model["model_card"] is not None:
        _mark_quoted(questionnaires, MODEL_CARD, [c["id"] for c in model["model_card"] if c["status"] == "answered"],
                     "model-card")
    mark_cited(model["references"], [f["citation"] for f in findings] + [o["citation"] for o in obligations])
    model["sections"] = _sections(model)
    model["numbers"] = {sec["id"]: sec["number"] for sec in model["sections"]}
    shared = _shared_facts(questionnaires, specs)  # after every _mark_quoted: a quoted first copy is followed
    for q in questionnaires:
        q["compact"] = _compact(q["sections"], {k: model["numbers"].get(v, "") for k, v in q["quoted"].items()},
                                shared[q["id"]])
    model["summary"]["decide"] = what_to_decide(model)
    return model


def _sections(model: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's numbered chapters and lettered appendices, in order (every format uses this list)."""
    body = [("summary", "Executive summary", True),
            ("findings", "Findings and recommendations", bool(model["findings"])),
            ("obligations", "Obligations and deadlines", bool(model["obligations"]["rows"])),
            ("profile", "Risk profile", any(q["scores"] for q in model["questionnaires"])),
            ("errors", "False positives and false negatives", model["error_costs"] is not None),
            ("impact", "Broader impact statement", model["broader_impact"] is not None),
            ("checklist", "NeurIPS paper checklist", model["checklist_shown"]),
            ("model-card", "Model card summary", model["model_card"] is not None),
            ("committee", "Ethics committee review", True)]
    appendices = [("answers", "Every answer"), ("trace", "Rule trace"), ("sources", "Sources"),
                  ("provenance", "Versions and checksums")]
    out = [{"id": sid, "number": str(i), "title": title, "appendix": False}
           for i, (sid, title, _) in enumerate([b for b in body if b[2]], 1)]
    out += [{"id": sid, "number": letter, "title": title, "appendix": True}
            for letter, (sid, title) in zip("ABCD", appendices, strict=True)]
    return out


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


SEVERITY_ORDER = list(SEVERITY_WORDS)


def _decision_currency(doc: AnswersDoc, specs: list[Spec]) -> str:
    """Whether the recorded decision was taken on these answers, scored as here: "" (no decision),
    "current", "changed" (other answers), "questionnaires_changed" (the same answers, recorded with other
    questionnaire versions than these) or "unrecorded" (no fingerprint)."""
    review = doc.review
    if not review.decision:
        return ""
    if not review.answers_fingerprint:
        return "unrecorded"
    if review.answers_fingerprint != answers_fingerprint(doc):
        return "changed"
    if review.questionnaires_fingerprint and review.questionnaires_fingerprint != questionnaires_fingerprint(specs):
        return "questionnaires_changed"
    return "current"


def _tier(tier: Any, holder: Any, findings: list[dict[str, Any]], default_reason: str) -> dict[str, Any] | None:
    if tier is None:
        return None
    provisional = bool(holder is not None and holder.provisional)
    verb = "is" if holder is not None and holder.unanswered == 1 else "are"
    caveat = (f"Provisional: {holder.unanswered} of {holder.visible} questions {verb} unanswered, so this result "
              "may change when they are answered.") if provisional else ""
    items = because_items(tier.because)
    basis = next((f["citation"] for f in findings if f["rule_id"] == tier.rule_id), "")
    plain = f"{tier.label}: {tier.title}."
    if tier.description:
        plain += f" {tier.description}"
    if caveat:
        plain += f" {caveat}"
    return {"id": tier.id, "label": tier.label, "title": tier.title, "description": tier.description,
            "reason": tier.reason, "rule_id": tier.rule_id, "plain": plain, "provisional": provisional,
            "caveat": caveat, "because": items,
            "because_text": because_sentence(items, tier.reason if tier.rule_id is None else default_reason),
            "legal_basis": basis}


def _overall(specs: list[Spec], result: AssessmentResult, questionnaires: list[dict[str, Any]]) -> Any:
    holder = result.overall_result
    if holder is None:
        return None
    q = next(q for q in questionnaires if q["id"] == holder.questionnaire_id)
    overall = dict(q["tier"], questionnaire=q["id"], questionnaire_title=q["title"])
    spec = next(s for s in specs if s.id == holder.questionnaire_id)
    gpai_ids = {ob.id for ob in spec.model.obligations if any(f in GPAI_FLAGS for f in ob.flags)}
    overall["gpai"] = [o for o in q["obligations"] if o["id"] in gpai_ids]
    overall["gpai_flags"] = [f for f in q["flags"] if f in GPAI_FLAGS]
    return overall


def _result_row(q: dict[str, Any], overall: dict[str, Any] | None) -> dict[str, Any]:
    tier = q["tier"]
    return {"id": q["id"], "questionnaire": q["title"], "label": tier["label"], "result": tier["title"],
            "because": tier["because_text"], "provisional": tier["provisional"],
            "is_overall": bool(overall and overall["questionnaire"] == q["id"])}


def _finding(f: Any, questionnaire_title: str) -> dict[str, Any]:
    return {"rule_id": f.rule_id, "severity": f.severity, "severity_label": SEVERITY_WORDS.get(f.severity, f.severity),
            "title": f.title, "explanation": f.explanation, "recommendation": f.recommendation,
            "citation": f.citation, "questionnaire": f.questionnaire, "questionnaire_title": questionnaire_title}


def _count_by_severity(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITY_WORDS}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return counts


def _pending_dates(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The dates an act not yet published would set for an obligation, with that act and its status."""
    from ..timeline import STATUS_WORDS

    return [{"date": d["date"], "act": d["act_title"], "status": STATUS_WORDS[d["status"]]}
            for d in rows if not d["applies"] and d["status"] != "published"]


def _timelines(specs: list[Spec], obligations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each dated questionnaire's application dates, one column per act (the law as published and each
    amendment in progress, with its status), for the questionnaires whose obligations the report lists."""
    from ..timeline import STATUS_WORDS, table

    used = {o["questionnaire"] for o in obligations}
    out = []
    for spec in specs:
        if not spec.model.timeline or spec.model.title not in used:
            continue
        acts = [{"id": a.id, "title": a.title, "status": a.status, "status_words": STATUS_WORDS[a.status],
                 "oj_reference": a.oj_reference,
                 "label": a.oj_reference if a.status == "published" and a.oj_reference else STATUS_WORDS[a.status]}
                for a in spec.model.acts]
        rows = []
        for entry in table(spec.model):
            by_act = {d["act"]: d for d in entry["dates"]}
            rows.append({"title": entry["title"], "applies_from": entry["applies_from"],
                         "dates": [{"date": by_act[a["id"]]["date"], "applies": by_act[a["id"]]["applies"]}
                                   if a["id"] in by_act else None for a in acts]})
        pending = [a for a in acts if a["status"] != "published"]
        note = ("; ".join(f"{a['title']}: {a['status_words']}" for a in pending)
                + ". Its dates are shown beside those in force and apply only once it is published.") if pending else ""
        out.append({"questionnaire": spec.model.title, "acts": acts, "rows": rows, "note": note})
    return out


def _date_notes(obligations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each distinct date source once, numbered; obligations refer to it by number (caveats stated once)."""
    notes: list[dict[str, Any]] = []
    for o in obligations:
        if not o["date_source"]:
            o["note"] = None
            continue
        found = next((n for n in notes if n["text"] == o["date_source"]), None)
        if found is None:
            found = {"number": len(notes) + 1, "text": o["date_source"]}
            notes.append(found)
        o["note"] = found["number"]
    return notes


def covered_text(covered: list[dict[str, Any]]) -> str:
    """One sentence naming the findings left out because a listed finding covers them (empty if none)."""
    if not covered:
        return ""
    groups: dict[str, list[str]] = {}
    for c in covered:
        groups.setdefault(c["by_title"], []).append(f"\u201c{c['title']}\u201d")
    parts = [f"{and_list(titles)}, by \u201c{by}\u201d" for by, titles in groups.items()]
    n = len(covered)
    many = n != 1
    return (f"{n} more finding{'s' if many else ''} {'were' if many else 'was'} raised but {'are' if many else 'is'} "
            f"not listed, because a listed finding says what {'they say' if many else 'it says'} and more: "
            f"{'; '.join(parts)}. Appendix B shows the rule{'s' if many else ''}.")


def _title_of(result: AssessmentResult, questionnaire_id: str) -> str:
    r = result.result(questionnaire_id)
    return r.title if r is not None else questionnaire_id


def _questionnaire(source: ReportAnswers, spec: Spec, result: AssessmentResult) -> dict[str, Any]:
    r = result.result(spec.id)
    assert r is not None
    answers = source.of(spec.id)
    view = AnswerView(spec, answers)
    findings = [_finding(f, spec.model.title) for f in r.findings]
    sections = []
    for section in spec.model.sections:
        items = [_item(q, answers.get(q.id), view.is_visible(q.id)) for q in section.questions]
        sections.append({"id": section.id, "title": section.title, "items": items,
                         "visible": any(i["visible"] for i in items)})
    orphaned = [{"id": k, "value": _plain(o.value), "unknown": o.unknown, "reason": o.reason}
                for k, o in source.orphaned(spec.id).items()]
    dims = {d.id: d for d in spec.model.dimensions}
    scores = [{"id": k, "title": r.dimension_titles.get(k, k), "value": v,
               "max": dims[k].max if k in dims else None,
               "description": dims[k].description if k in dims else ""} for k, v in r.scores.items()]
    outcome = spec.model.outcome
    default_reason = outcome.default_reason if outcome is not None else ""
    return {
        "id": spec.id,
        "version": spec.version,
        "sha256": spec.sha256,
        "title": spec.model.title,
        "description": spec.model.description,
        "as_of": spec.model.as_of,
        "tier": _tier(r.tier, r, findings, default_reason),
        "levels": [{"id": lvl.id, "title": lvl.title} for lvl in outcome.levels] if outcome is not None else [],
        "scores": scores,
        "flags": list(r.flags),
        "findings": findings,
        # fired findings not listed again because a listed finding says what they say (riskwizard.coverage)
        "covered": [{**_finding(finding_of(spec.id, next(x for x in spec.model.rules if x.id == c.rule_id)),
                                  spec.model.title),
                     "by_questionnaire": _title_of(result, c.by_questionnaire), "by_rule": c.by_rule,
                     "by_title": c.by_title} for c in r.covered],
        "obligations": [{"id": o.id, "title": o.title, "text": o.text, "citation": o.citation,
                         "applies_from": o.applies_from, "date_source": o.date_source,
                         "pending": _pending_dates(o.timeline)} for o in r.obligations],
        "open_questions": [{"id": o.id, "prompt": o.prompt, "section": o.section, "status": o.status}
                           for o in r.open_questions],
        "trace": [{"rule_id": t.rule_id, "description": t.description, "effects": list(t.effects),
                   "sets_tier": bool(r.tier and r.tier.rule_id == t.rule_id),
                   "evidence": [{"ref": e.ref, "kind": e.kind, "shown": e.shown} for e in t.evidence]}
                  for t in r.trace],
        "derived": {k: round(float(v), 6) for k, v in sorted(r.derived.items())},
        "measured": r.measured,  # derived id -> the CodeCarbon measurement that replaced the estimate
        "answered": r.answered,
        "visible": r.visible,
        "hidden": sum(1 for s in sections for i in s["items"] if not i["visible"]),
        "sections": sections,
        "quoted": {},  # question id -> the section (id) that quotes the answer whole
        "compact": [],
        "orphaned": orphaned,
        "sources": [{"id": s.id, "citation": s.citation, "url": s.url} for s in spec.model.sources],
    }


def _item(q: Any, answer: Any, visible: bool) -> dict[str, Any]:
    status = "unanswered"
    if answer is not None and answer.unknown:
        status = "unknown"
    elif answer is not None and answer.value is not None:
        status = "answered"
    text = format_value(q, answer) if visible else "not applicable (hidden by an earlier answer)"
    item: dict[str, Any] = {
        "id": q.id, "prompt": q.prompt, "type": q.type, "visible": visible, "status": status,
        "text": text, "short": _shorten(text, COMPACT_TEXT),
        "note": answer.note if answer is not None else "",
        "updated": answer.updated if answer is not None else "",
        "rows": None, "columns": None,
    }
    if q.type == "group" and status == "answered":
        item["columns"] = [f.prompt for f in q.fields]
        item["rows"] = [[("don't know" if row.get(f.id) is None else format_raw(f, row[f.id])) for f in q.fields]
                        for row in answer.value]
    return item


def _mark_quoted(questionnaires: list[dict[str, Any]], qid: str, ids: list[str], section: str) -> None:
    q = next((q for q in questionnaires if q["id"] == qid), None)
    if q is not None:
        q["quoted"].update({i: section for i in ids})


def _item_title(prompt: str) -> str:
    """A checklist-style prompt "4. Reproducibility: Does the paper ..." -> "4. Reproducibility"."""
    head = prompt.split(":", 1)[0]
    return head if head != prompt and len(head) <= 60 else prompt


def _shared_facts(questionnaires: list[dict[str, Any]], specs: list[Spec]) -> dict[str, dict[str, str]]:
    """For each questionnaire: its visible shared-fact questions that an earlier questionnaire of the
    report already shows, mapped to that questionnaire's title (a fact has one answer in the file, so
    the compact Appendix A gives it once).

    Where the first copy is not listed but quoted whole by a body section, the later copies are marked
    quoted by that same section (``q["quoted"]``) instead, so that every note points to where the
    answer really is.
    """
    first: dict[str, tuple[str, str]] = {}  # fact id -> ("title", questionnaire) or ("section", section id)
    out: dict[str, dict[str, str]] = {}
    for q, spec in zip(questionnaires, specs, strict=True):
        mine: dict[str, str] = {}
        for section in q["sections"]:
            for it in section["items"]:
                fact = spec.fact_of.get(it["id"])
                if fact is None or not it["visible"]:
                    continue
                if fact not in first:
                    quoted_by = q["quoted"].get(it["id"]) if it["status"] == "answered" else None
                    first[fact] = ("section", quoted_by) if quoted_by else ("title", q["title"])
                elif first[fact][0] == "section":
                    q["quoted"][it["id"]] = first[fact][1]
                else:
                    mine[it["id"]] = first[fact][1]
        out[q["id"]] = mine
    return out


def _compact(sections: list[dict[str, Any]], quoted: dict[str, str],
             shared: dict[str, str]) -> list[dict[str, Any]]:
    """The visible answers, section by section, shortened.

    A justification joins the answer it justifies; an answer the body quotes whole points to its
    section; a shared fact that an earlier questionnaire shows (``shared``: question id -> its
    title) points there; three or more questions of a section with the same answer are listed once.
    """
    out = []
    for section in sections:
        rows: list[dict[str, Any]] = []
        quoted_here: dict[str, list[str]] = {}
        shared_here: dict[str, int] = {}
        skipped: set[str] = set()  # shown elsewhere: their justifications go with them
        for it in section["items"]:
            if not it["visible"]:
                continue
            if it["id"].endswith("_just") and it["id"][:-5] in skipped:
                continue
            if it["status"] == "answered" and quoted.get(it["id"]):
                quoted_here.setdefault(quoted[it["id"]], []).append(short_prompt(it["prompt"]))
                skipped.add(it["id"])
                continue
            if it["id"] in shared:
                shared_here[shared[it["id"]]] = shared_here.get(shared[it["id"]], 0) + 1
                skipped.add(it["id"])
                continue
            answer = it["short"] if it["status"] == "answered" else (
                "don't know" if it["status"] == "unknown" else "unanswered")
            if it["rows"]:  # every row and cell (a finding may rest on the last one), long cells shortened
                answer = "; ".join(" · ".join(_shorten(cell, COMPACT_TEXT // 2) for cell in row) for row in it["rows"])
            if rows and it["id"] == f"{rows[-1]['id']}_just":
                if it["status"] == "answered":
                    rows[-1]["answer"] = _shorten(f"{rows[-1]['answer']}: {it['text']}", COMPACT_TEXT)
                continue
            rows.append({"id": it["id"], "prompt": _shorten(short_prompt(it["prompt"]), COMPACT_PROMPT),
                         "answer": answer, "status": it["status"], "ids": [it["id"]]})
        if rows or quoted_here or shared_here:
            out.append({"title": section["title"], "rows": _same_answers_once(rows),
                        "quoted": [{"section": k, "count": len(v)} for k, v in quoted_here.items()],
                        "shared": [{"questionnaire": k, "count": n} for k, n in shared_here.items()]})
    return out


def _same_answers_once(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows sharing one answer three or more times become one row naming the questions."""
    by_answer: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_answer.setdefault(row["answer"], []).append(row)
    out, done = [], set()
    for row in rows:
        same = by_answer[row["answer"]]
        if len(same) < 3 or row["status"] != "answered" or len(row["answer"]) < 20:
            out.append(row)
        elif row["answer"] not in done:
            done.add(row["answer"])
            out.append({"id": same[0]["id"], "prompt": "; ".join(_item_title(r["prompt"]) for r in same),
                        "answer": row["answer"], "status": "answered", "ids": [r["id"] for r in same]})
    return out


def _shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word, with an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + " …"


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | list | dict) or value is None else str(value)


def _model_card(source: ReportAnswers, specs: list[Spec]) -> list[dict[str, Any]] | None:
    spec = next((s for s in specs if s.id == MODEL_CARD), None)
    if spec is None:
        return None
    known = {q.id: q for q in spec.questions()}
    out = []
    for qid, label in MODEL_CARD_FIELDS:
        q = known.get(qid)
        a = source.get(MODEL_CARD, qid)
        if q is None:
            continue
        status = "unknown" if a is not None and a.unknown else ("answered" if a is not None and a.is_answered
                                                                  else "unanswered")
        text = format_value(q, a) if status == "answered" else ""
        out.append({"id": qid, "title": label, "text": text, "status": status})
    return out
