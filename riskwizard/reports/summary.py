"""The executive summary: what the committee must decide, the result and why, findings by theme,
open questions and the next deadlines, each in a few lines.

Nothing here is markup; every sentence is built from the results and the answers.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .impact import and_list

SEVERITIES = ["critical", "high", "medium", "low", "info"]
THEMES = {  # questionnaire id -> the theme its findings belong to
    "eu-ai-act": "Legal classification (EU AI Act)",
    "harms": "Harms to people and groups",
    "bias-sources": "Bias in data, labels and evaluation",
    "error-costs": "Costs of wrong outputs",
    "neurips-broader-impact": "Broader impact statement",
    "research-ethics": "Research ethics",
    "model-card": "Model documentation",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
OPEN_LISTED = 8  # open questions listed by name in the summary; the rest are in Appendix A
NEXT_KEY_DATES = 4  # key dates of the law after the report's date, shown in the summary


_INSTRUCTION = re.compile(r"\s*\((?:choose [^)]*|e\.g\.[^)]*|i\.e\.[^)]*|if known)\)", re.IGNORECASE)


def short_prompt(prompt: str) -> str:
    """A prompt without its answering instructions ("(Choose all that apply.)", "(e.g. …)")."""
    return " ".join(_INSTRUCTION.sub("", prompt).split())


def long_date(iso: str) -> str:
    """2026-08-02 -> 2 August 2026 (anything else is returned as it is)."""
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def because_items(because: list[Any]) -> list[dict[str, str]]:
    """The comparisons that set a tier, each as one line of words."""
    out = []
    for h in because:
        h = type(h)(h.kind, h.ref, short_prompt(h.label), h.shown, h.test)
        if h.kind in ("score", "derived") and h.test:
            text = f"{h.label}: {h.shown} ({h.test})"
        elif h.kind == "rows":
            text = f"{h.label}: {h.shown}"
        elif h.test == "includes":
            text = f"“{h.label.rstrip()}” — includes {h.shown}"
        elif h.test:
            text = f"“{h.label.rstrip()}” — {h.shown} ({h.test})"
        else:
            text = f"“{h.label.rstrip()}” — {h.shown}"
        out.append({"kind": h.kind, "ref": h.ref, "label": h.label, "shown": h.shown, "test": h.test, "text": text})
    return out


def because_sentence(items: list[dict[str, str]], default_reason: str) -> str:
    """A short sentence for a band set by scores ("Allocation harm score 35, at or above 24"), or the default."""
    if not items:
        return default_reason
    parts = []
    for item in items:
        if item["kind"] in ("score", "derived") and item["test"]:
            parts.append(f"{item['label']} {item['shown']}, {item['test']}")
        else:
            parts.append(f"{item['label'].rstrip('?')}: {item['shown']}")
    return "; ".join(parts) + "."


def themes(findings: list[dict[str, Any]], questionnaires: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings counted per theme and severity, in questionnaire order, with the most serious one named."""
    out = []
    for q in questionnaires:
        own = [f for f in findings if f["questionnaire"] == q["id"]]
        if not own:
            continue
        counts = {s: sum(1 for f in own if f["severity"] == s) for s in SEVERITIES}
        out.append({"id": q["id"], "title": THEMES.get(q["id"], q["title"]), "questionnaire": q["title"],
                    "total": len(own), "counts": counts, "top": own[0]["title"],
                    "top_severity": own[0]["severity"]})
    return out


def deadlines(obligations: list[dict[str, Any]], today: str, key_dates: list[dict[str, Any]]) -> dict[str, Any]:
    """Obligations grouped by the date they apply from (in force already, or coming), and the next key
    dates of the law after the report's date (reported, unverified dates say so in their source)."""
    by_date: dict[str, list[str]] = {}
    undated: list[str] = []
    for o in obligations:
        if o["applies_from"]:
            by_date.setdefault(o["applies_from"], []).append(o["title"])
        else:
            undated.append(o["title"])
    dates = sorted(by_date)
    past = [d for d in dates if today and d <= today]
    future = [d for d in dates if not (today and d <= today)]
    later = [dict(k, label=long_date(k["date"])) for k in sorted(key_dates, key=lambda k: k["date"])
             if not today or k["date"] > today][:NEXT_KEY_DATES]
    return {
        "in_force": [{"date": d, "label": long_date(d), "items": by_date[d]} for d in past],
        "coming": [{"date": d, "label": long_date(d), "items": by_date[d]} for d in future],
        "undated": undated,
        "next": {"date": future[0], "label": long_date(future[0])} if future else None,
        "key_dates": later,
        "pending": _pending_sentence(obligations),
    }


def _pending_sentence(obligations: list[dict[str, Any]]) -> str:
    """"The Digital Omnibus on AI (adopted, ...) would move 4 of these obligations: to 2 December 2027." or ""."""
    moved: dict[tuple[str, str], dict[str, int]] = {}
    for o in obligations:
        for p in o.get("pending", []):
            per = moved.setdefault((p["act"], p["status"]), {})
            per[p["date"]] = per.get(p["date"], 0) + 1
    parts = []
    for (act, status), dates in moved.items():
        n = sum(dates.values())
        to = ", ".join(f"{c} to {long_date(d)}" if len(dates) > 1 else f"to {long_date(d)}"
                       for d, c in sorted(dates.items()))
        parts.append(f"The {act} ({status}) would move {n} of these obligation{'s' if n != 1 else ''} {to}; "
                     "until it is published, the dates above apply (the obligations section shows both timelines "
                     "side by side).")
    return " ".join(parts)


def open_summary(open_questions: list[dict[str, Any]], questionnaires: list[dict[str, Any]]) -> dict[str, Any]:
    per = []
    for q in questionnaires:
        own = [o for o in open_questions if o["questionnaire"] == q["title"]]
        if own:
            per.append({"title": q["title"], "open": len(own),
                        "unknown": sum(1 for o in own if o["status"] == "unknown")})
    return {"total": len(open_questions), "unknown": sum(1 for o in open_questions if o["status"] == "unknown"),
            "by_questionnaire": per, "listed": open_questions[:OPEN_LISTED],
            "more": max(0, len(open_questions) - OPEN_LISTED)}


def decision_words(review: dict[str, Any], versions_recorded: bool = False,
                   versions: list[str] | None = None) -> dict[str, Any]:
    """Whether the recorded decision covers these answers, in plain words. ``versions_recorded``: the
    decision also recorded the questionnaire versions that scored the answers (and they are these);
    ``versions``: the questionnaires of this report ("id version")."""
    label, decided, currency = review["decision_label"], review["decided"], review["currency"]
    when = f" on {long_date(decided)}" if decided else ""
    if not review["decision"]:
        return {"covers": None, "headline": "No decision has been recorded yet.",
                "detail": "The committee's decision can be recorded with `riskwizard decide`; it is then tied to "
                          "a fingerprint of these answers."}
    if currency == "current":
        detail = ("The fingerprints of the answers and of the questionnaire versions in this report match those "
                  "recorded with the decision: nothing has changed since it was taken, neither the answers nor the "
                  "questionnaire versions that score them." if versions_recorded else
                  "The fingerprint of the answers in this report matches the one recorded with the decision: the "
                  "answers have not changed since it was taken (the decision does not record the questionnaire "
                  "versions that scored them).")
        return {"covers": True, "headline": f"The recorded decision ({label}{when}) covers these answers.",
                "detail": detail}
    if currency == "questionnaires_changed":
        now = f" (now {and_list(versions)})" if versions else ""
        return {"covers": None,
                "headline": f"The recorded decision ({label}{when}) was taken on these answers, but they are now "
                            "scored by other questionnaire versions.",
                "detail": f"The answers match the ones recorded with the decision, but the questionnaires{now} "
                          "differ from those it was taken with, so the results in this report may differ from "
                          "those the committee saw: check them before relying on the decision."}
    if currency == "changed":
        return {"covers": False,
                "headline": f"The recorded decision ({label}{when}) does not cover these answers.",
                "detail": "The answers have changed since the decision was taken (their fingerprint differs from "
                          "the one recorded with it), so the committee needs to look at them again."}
    return {"covers": None, "headline": f"It is not known whether the recorded decision ({label}{when}) covers "
                                        "these answers.",
            "detail": "The decision was recorded without a fingerprint of the answers it was taken on."}


def what_to_decide(model: dict[str, Any]) -> list[str]:
    """The questions in front of the committee, from the decision state, tier, findings and open points.

    When the recorded decision covers these answers, the same points are stated as what it rests on.
    """
    out = []
    name = model["system"]["name"]
    stage = model["stage"]
    decided = model["review"]["words"]["covers"] is True
    sec = model["numbers"]
    if decided:
        out.append(f"The committee has decided: {model['review']['decision_label'].lower()}. This report documents "
                   "the answers that decision was taken on; a new decision is needed only if they change.")
    else:
        where = f" at the {stage} stage" if stage else ""
        again = " again" if model["review"]["words"]["covers"] is False else ""
        out.append(f"Decide{again} whether {name} may proceed{where}: approve, approve with conditions, ask for a "
                   "revision, or reject.")
    overall = model["overall"]
    if overall:
        tier = overall["id"]
        if tier == "prohibited":
            out.append("The answers describe a prohibited practice: the system may not be placed on the market, put "
                       "into service or used in the EU in this form. The question is whether it can be redesigned, "
                       "not under which conditions it may run.")
        elif tier == "high" and "obligations" in sec:
            dl = model["summary"]["deadlines"]
            n_now = sum(len(x["items"]) for x in dl["in_force"])
            n_later = sum(len(x["items"]) for x in dl["coming"])
            total = n_now + n_later
            if n_later and n_now:
                when = (f"As a high-risk AI system it has {total} obligations: {n_later} apply from "
                        f"{dl['coming'][0]['label']}, {n_now} already {'apply' if n_now != 1 else 'applies'}")
            elif n_later:
                when = f"As a high-risk AI system it has {total} obligations, applying from {dl['coming'][0]['label']}"
            else:
                when = f"As a high-risk AI system it has {total} obligations, all of which apply already"
            tail = (f"section {sec['obligations']} lists them" if decided else
                    f"decide whether each one in section {sec['obligations']} is planned and owned")
            out.append(f"{when}: {tail}.")
        elif tier == "limited":
            out.append("Transparency duties apply (Art 50)" + (": the disclosures must be built in." if decided else
                                                                ": decide whether the disclosures are built in."))
        if overall["gpai"]:
            out.append("The general-purpose AI model duties (Chapter V) apply as well"
                       + ("." if decided else "; check who carries them."))
        if overall["provisional"]:
            out.append(overall["caveat"])
    counts = model["summary"]["findings_by_severity"]
    serious = [f"{counts[s]} {s}" for s in ("critical", "high") if counts.get(s)]
    if serious:
        plural = "s" if sum(counts.get(s, 0) for s in ("critical", "high")) > 1 else ""
        if decided:
            out.append(f"The rules raised {' and '.join(serious)} finding{plural} (section {sec['findings']}).")
        else:
            out.append(f"Respond to the {' and '.join(serious)} finding{plural} in section {sec['findings']}: accept "
                       "each with a condition, or require a change before approval.")
    oq = model["summary"]["open"]
    if oq["total"]:
        dk = f", {oq['unknown']} of them answered “don't know”" if oq["unknown"] else ""
        ask = "." if decided else ": decide whether they must be answered before a decision."
        out.append(f"{oq['total']} question{'s are' if oq['total'] != 1 else ' is'} still open{dk}{ask}")
    if model["summary"]["contradictions"]:  # first after the decision itself: every result below rests on them
        n = len(model["summary"]["contradictions"])
        out.insert(1, f"{n} pair{'s' if n != 1 else ''} of answers contradict each other (section "
                      f"{sec['summary']}.4): ask which one holds before relying on the results.")
    return out
