"""Markdown output: the same report as the PDF, as a plain-text document for repositories and wikis.

User text is escaped so that it cannot add Markdown structure or raw HTML when rendered.
"""

from __future__ import annotations

import re
from typing import Any

from .. import __version__

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#$])")
_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d{1,9})([.)])(?=\s|$))")
# every way text can end a line: CommonMark's \n, \r\n and bare \r, and the other line and
# paragraph separators renderers or editors may honour
_BREAKS = re.compile("\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_CR = re.compile("\r\n?")


def md(text: Any) -> str:
    """Escape inline text: the result is one line that cannot start or end a Markdown block.

    Line breaks become spaces (a soft break renders as a space anyway), every character that could
    open emphasis, code, links, HTML, tables, headings, math or strike-through is backslash-escaped,
    ``&`` is written as an entity, and a leading ``-``, ``+``, ``=`` or ``1.``/``1)`` cannot make a
    list item, a setext underline or a thematic break.
    """
    s = _BREAKS.sub(" ", str(text if text is not None else ""))
    s = _SPECIAL.sub(r"\\\1", s).replace("&", "&amp;")
    return _LINE_START.sub(_escape_start, s)


def _escape_start(m: re.Match[str]) -> str:
    if m.group(2):  # "-", "+", "=": list item, setext underline or thematic break
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)  # "1." / "1)": ordered list item -> "1\."


def _lines(text: Any) -> list[str]:
    """Text split into lines at \n, \r\n and bare \r (CommonMark's line endings)."""
    return _CR.sub("\n", str(text or "")).split("\n")


def cell(text: Any) -> str:
    """Escape for a table cell: single line, line breaks as <br>."""
    return "<br>".join(md(line) for line in _lines(str(text or "").strip())) or " "


def block(text: Any) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", "\n".join(_lines(text))) if p.strip()]
    return "\n\n".join("  \n".join(md(line.strip()) for line in p.split("\n")) for p in paragraphs)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out + [""]


def _h(model: dict[str, Any], sid: str, level: int = 2) -> str:
    sec = next(s for s in model["sections"] if s["id"] == sid)
    number = f"Appendix {sec['number']}" if sec["appendix"] else sec["number"]
    return f"{'#' * level} {number} {md(sec['title'])}"


def render_md(model: dict[str, Any]) -> str:
    r = model
    o: list[str] = []
    add = o.append
    full = r["appendix"] == "full"
    numbers = r["numbers"]
    add(f"# Impact statement: {md(r['system']['name'])}")
    add("")
    if r["system"]["description"]:
        add(block(r["system"]["description"]))
        add("")
    facts = [["Assessor", cell(r["assessor"] or "not stated")], ["Answers dated", cell(r["date"] or "not stated")],
             ["Lifecycle stage", cell(r["stage_label"])]]
    if r["system"]["organisation"]:
        facts.insert(0, ["Organisation", cell(r["system"]["organisation"])])
    if r["system"]["version"]:
        facts.append(["System version", cell(r["system"]["version"])])
    decision = r["review"]["decision_label"] + (f", {r['review']['decided']}" if r["review"]["decided"] else "")
    facts.append(["Committee decision", cell(f"{decision}. {r['review']['words']['headline']}")])
    o += _table(["", ""], facts)

    s = r["summary"]
    add(_h(r, "summary"))
    add("")
    add(f"### {numbers['summary']}.1 "
        + ("What the decision rests on" if r["review"]["words"]["covers"] else "What the committee must decide"))
    add("")
    o += [f"- {md(line)}" for line in s["decide"]]
    add("")
    add(f"**{md(r['review']['words']['headline'])}** {md(r['review']['words']['detail'])}")
    add("")
    if s.get("staleness"):
        add(f"**Out of date:** {md('; '.join(s['staleness']))}")
        add("")
    add(f"### {numbers['summary']}.2 Result")
    add("")
    ov = r["overall"]
    if ov:
        add(f"**{md(ov['label'])}: {md(ov['title'])}.**")
        add("")
        if ov["because"]:
            add("The answers that set it:")
            add("")
            o += [f"- {md(b['text'])}" for b in ov["because"]]
            add("")
        else:
            add(md(ov["reason"]))
            add("")
        if ov["legal_basis"]:
            add(f"Legal basis: {md(ov['legal_basis'])}")
            add("")
        if ov["gpai"]:
            add("General-purpose AI model duties that also apply:")
            add("")
            o += [f"- {md(g['title'])}" + (f" (from {g['applies_from']})" if g["applies_from"] else "")
                  + f" · {md(g['citation'])}" for g in ov["gpai"]]
            add("")
        if ov["provisional"]:
            add(f"**{md(ov['caveat'])}**")
            add("")
    else:
        add("None of the questionnaires in this assessment assigns a tier.")
        add("")
    others = [row for row in s["results"] if not row["is_overall"]]
    if others:
        o += _table(["Questionnaire", "Result", "Because"],
                    [[cell(row["questionnaire"]), cell(row["result"]), cell(row["because"])] for row in others])
    add(f"### {numbers['summary']}.3 Findings by theme")
    add("")
    if s["findings_total"]:
        counts = ", ".join(f"{n} {sev}" for sev, n in s["findings_by_severity"].items() if n)
        repeats = len(s["covered"])
        more = (f"; section {numbers['findings']} names one more that repeats a listed one" if repeats == 1 else
                f"; section {numbers['findings']} names the {repeats} more that repeat a listed one" if repeats else "")
        add(f"The rules raised {s['findings_total']} findings: {counts}{more}.")
        add("")
        o += _table(["Theme", "Critical", "High", "Medium", "Low", "Info", "Most serious finding"],
                    [[cell(t["title"])] + [str(t["counts"][sev] or "–") for sev in
                                           ("critical", "high", "medium", "low", "info")] + [cell(t["top"])]
                     for t in s["themes"]])
    else:
        add("No rule raised a finding.")
        add("")
    n = 4
    if s["contradictions"]:  # the consistency rules and unsettled conflicts: shown only when there are any
        k = len(s["contradictions"])
        add(f"### {numbers['summary']}.4 Contradictions between answers")
        add("")
        add(f"**{k} pair{'s' if k != 1 else ''} of answers cannot both be true, so the results rest on answers that "
            "disagree. Settle each before relying on them.**")
        add("")
        for c in s["contradictions"]:
            sides = "; ".join(f"{md(x['questionnaire_title'])}: \u201c{md(x['prompt'])}\u201d = **{md(x['answer'])}**"
                              for x in c["sides"])
            settle = f" To settle it: {md(c['resolve'])}" if c["resolve"] else ""
            add(f"- **{md(c['title'])}.** {sides}. {md(c['explanation'])}{settle}")
        add("")
        n = 5
    add(f"### {numbers['summary']}.{n} Open questions")
    add("")
    oq = s["open"]
    add(f"{s['answered']} of {s['visible']} applicable questions are answered; {oq['total']} open"
        f" ({oq['unknown']} \"don't know\").")
    add("")
    for q in s["open_questions"]:
        status = "don't know" if q["status"] == "unknown" else "unanswered"
        add(f"- {md(q['questionnaire'])}: {md(q['prompt'])} ({status})")
    if s["open_questions"]:
        add("")
    add(f"### {numbers['summary']}.{n + 1} Deadlines")
    add("")
    d = s["deadlines"]
    rows = ([[x["label"], "in force", cell("; ".join(x["items"]))] for x in d["in_force"]]  # by date
            + [[x["label"], "coming", cell("; ".join(x["items"]))] for x in d["coming"]]
            + [[k["label"], "reported, unverified" if "not verified" in k["citation"] else "key date", cell(k["event"])]
               for k in d["key_dates"]])
    if rows:
        o += _table(["Date", "Status", "What applies"], rows)
        if d["pending"]:
            add(f"**{md(d['pending'])}**")
            add("")
        if r["obligations"]["caveat"]:
            add(md(r["obligations"]["caveat"]))
            add("")
    else:
        add("No obligations or dates follow from the answers.")
        add("")

    if r["findings"]:
        add(_h(r, "findings"))
        add("")
        if s["covered_text"]:
            add(md(s["covered_text"]))
            add("")
        for i, t in enumerate(s["themes"], 1):
            q = next(q for q in r["questionnaires"] if q["id"] == t["id"])
            add(f"### {numbers['findings']}.{i} {md(t['title'])}")
            add("")
            if q["tier"]:
                add(f"**{md(q['tier']['label'])}: {md(q['tier']['title'])}.** {md(q['tier']['because_text'])}")
                add("")
            for f in q["findings"]:
                why = f" {md(f['explanation'])}" if f["severity"] in ("critical", "high") else ""
                add(f"- **[{md(f['severity_label'])}] {md(f['title'])}**.{why} What to do: {md(f['recommendation'])} "
                    f"({md(f['citation'])})")
            add("")

    ob = r["obligations"]
    if ob["rows"]:
        add(_h(r, "obligations"))
        add("")
        o += _table(["Applies from", "Obligation", "Source"],
                    [[cell(x["applies_from"] or "not dated") + (f" [{x['note']}]" if x["note"] else ""),
                      f"**{cell(x['title'])}**: {cell(x['text'])}", cell(x["citation"])] for x in ob["rows"]])
        for note in ob["notes"]:
            add(f"[{note['number']}] {md(note['text'])}  ")
        add("")
        for tl in ob["timelines"]:
            add(f"Application dates of {md(tl['questionnaire'])}, side by side:")
            add("")
            heads = [f"{a['title']} ({a['label']})" for a in tl["acts"]]
            o += _table(["Provision", *map(cell, heads)],
                        [[cell(row["title"])] + [("–" if d is None else f"**{d['date']}** (applies)" if d["applies"]
                                                  else d["date"]) for d in row["dates"]] for row in tl["rows"]])
            if tl["note"]:
                add(md(tl["note"]))
                add("")
        add(md(ob["caveat"]))
        add("")

    if any(q["scores"] for q in r["questionnaires"]):
        add(_h(r, "profile"))
        add("")
        add("Scores add up the problems the rules found (0 = none found; higher is worse).")
        add("")
        rows = [[cell(q["title"]), cell(sc["title"]), f"{sc['value']:g}", f"{sc['max']:g}" if sc["max"] else "–"]
                for q in r["questionnaires"] for sc in q["scores"]]
        o += _table(["Questionnaire", "Dimension", "Score", "Maximum"], rows)

    ec = r.get("error_costs")
    if ec:
        add(_h(r, "errors"))
        add("")
        if ec["inputs"]:
            o += _table(["Answer", "Value"], [[cell(i["label"]), cell(i["shown"])] for i in ec["inputs"]])
        if ec["available"]:
            o += _table(["Expected per year", "Cases"], [[cell(row["label"]), row["shown"]] for row in ec["rows"]])
            if ec["harm_rows"]:
                o += _table(["Expected harm per year", "Errors x severity", "Harm"],
                            [[cell(h["label"]), cell(h["formula"]), h["shown"]] for h in ec["harm_rows"]])
            if ec["harm_note"]:
                add(md(ec["harm_note"]))
                add("")
        elif ec["problem"]:
            add(f"The error rates cannot all be true: {md(ec['problem'])}.")
            add("")
        else:
            add("The inputs needed to compute expected errors are not (all) answered.")
            add("")
        if ec["who"]:
            o += _table(["Error", "What happens", "Borne mainly by"],
                        [[cell(w["label"]), cell(w["consequence"]), cell(w["bears"])] for w in ec["who"]])

    bi = r.get("broader_impact")
    if bi:
        add(_h(r, "impact"))
        add("")
        for sec in bi["sections"]:
            add(f"### {md(sec['heading'])}")
            add("")
            for p in sec["paragraphs"]:
                add(block(p))
                add("")
        if bi["gaps"]:
            add("### What this statement does not cover")
            add("")
            for g in bi["gaps"]:
                add(md(g))
                add("")
        if r["checklist_note"]:
            add(md(r["checklist_note"]))
            add("")
    cl = r.get("checklist")
    if cl and r["checklist_shown"]:
        add(_h(r, "checklist"))
        add("")
        add("The official questions, with the answers and justifications given. Section, table and appendix numbers "
            "in the justifications are the paper's, not this report's.")
        add("")
        o += _table(["#", "Item", "Answer", "Justification"],
                    [[str(c["number"]), f"**{cell(c['title'])}**: {cell(c['question'])}", c["answer_label"],
                      cell(c["justification"] or "no justification given")] for c in cl])
    mc = r.get("model_card")
    if mc:
        add(_h(r, "model-card"))
        add("")
        for c in mc:
            add(f"### {md(c['title'])}")
            add("")
            add(block(c["text"]) if c["status"] == "answered" else
                ("_don't know_" if c["status"] == "unknown" else "_not answered_"))
            add("")

    add(_h(r, "committee"))
    add("")
    for c in r["review"]["comments"]:
        who = md(c["by"] or "Anonymous") + (f", {md(c['date'])}" if c["date"] else "")
        add(f"> **{who}**: {md(' '.join(c['text'].split()))}")
        add("")
    add(f"Decision: **{md(r['review']['decision_label'])}**. {md(r['review']['words']['headline'])}")
    add("")
    if r["review"]["conditions"]:
        add(f"Conditions: {block(r['review']['conditions'])}")
        add("")

    add(_h(r, "answers"))
    add("")
    for q in r["questionnaires"]:
        add(f"### {md(q['title'])} (`{q['id']}` {md(q['version'])})")
        add("")
        if full:
            rows = []
            for sec in q["sections"]:
                for it in sec["items"]:
                    text = it["text"]
                    if it["rows"]:
                        text = "\n".join("; ".join(f"{c}: {v}" for c, v in zip(it["columns"], row, strict=True))
                                         for row in it["rows"])
                    if it["note"]:
                        text += f"\nNote: {it['note']}"
                    rows.append([f"`{it['id']}` {cell(it['prompt'])}", cell(text)])
            o += _table(["Question", "Answer"], rows)
        else:
            for sec in q["compact"]:
                add(f"**{md(sec['title'])}**  ")
                for row in sec["rows"]:
                    add(f"{md(row['prompt'])} — **{md(row['answer'])}**  ")
                for qc in sec["quoted"]:
                    add(f"_{_answers(qc['count'])} quoted in full in section {md(qc['section'])}._  ")
                for sc in sec["shared"]:
                    add(f"_{_answers(sc['count'], 'shared answer')} given under {md(sc['questionnaire'])} above._  ")
                add("")
    add(_h(r, "trace"))
    add("")
    for q in r["questionnaires"]:
        if not q["trace"]:
            continue
        add(f"### {md(q['title'])}")
        add("")
        for t in q["trace"]:
            mark = " (sets the result)" if t["sets_tier"] else ""
            if full:
                ev = ", ".join(f"`{e['ref']}` = {md(e['shown'])}" for e in t["evidence"])
                add(f"- `{t['rule_id']}`{mark}: {md('; '.join(t['effects']))} [{ev}]")
            else:
                add(f"- `{t['rule_id']}`{mark}: {md('; '.join(t['effects']))}")
        add("")
    add(_h(r, "sources"))
    add("")
    for i, ref in enumerate(r["references"], 1):
        text = ref["citation"] if full else ref["short"]
        add(f"{i}\\. {md(text)}" + (f" <{ref['url']}>" if full and ref["url"] and "<" not in ref["url"]
                                     and ">" not in ref["url"] and " " not in ref["url"] else "") + "  ")
    add("")
    add(_h(r, "provenance"))
    add("")
    prov = r["provenance"]
    o += _table(["Questionnaire", "Version", "SHA-256"],
                [[f"`{p['id']}`", md(p["version"]), f"`{p['sha256']}`"] for p in prov["questionnaires"]]
                + [["answers file", md(r["updated"][:10]), f"`{prov['answers_sha256'] or 'not recorded'}`"]])
    add(f"Generated by riskwizard {__version__}.")
    return "\n".join(o).rstrip() + "\n"


def _answers(count: int, noun: str = "answer") -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"
