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


def render_md(model: dict[str, Any]) -> str:
    r = model
    o: list[str] = []
    add = o.append
    add(f"# Impact statement: {md(r['system']['name'])}")
    add("")
    if r["system"]["description"]:
        add(block(r["system"]["description"]))
        add("")
    facts = [["Assessor", cell(r["assessor"] or "not stated")], ["Date", cell(r["date"] or "not stated")],
             ["Lifecycle stage", cell(r["stage_label"])]]
    if r["system"]["organisation"]:
        facts.insert(0, ["Organisation", cell(r["system"]["organisation"])])
    if r["system"]["version"]:
        facts.append(["System version", cell(r["system"]["version"])])
    decision = r["review"]["decision_label"] + (f" ({r['review']['decided']})" if r["review"]["decided"] else "")
    if r["review"]["currency_note"]:
        decision += " — " + r["review"]["currency_note"]
    facts.append(["Committee decision", cell(decision)])
    o += _table(["", ""], facts)

    add("## Executive summary")
    add("")
    ov = r["overall"]
    if ov:
        add(f"**{md(ov['label'])}: {md(ov['title'])}.** {md(ov['description'])}".rstrip())
        add("")
        add(f"Why: {md(ov['reason'])}")
        if ov["provisional"]:
            add("")
            add(f"**{md(ov['caveat'])}**")
    else:
        add("None of the questionnaires in this assessment assigns a tier.")
    add("")
    tiered = [q for q in r["questionnaires"] if q["tier"]]
    if len(tiered) > 1:  # each framework's result, as in the HTML summary
        o += _table(["Questionnaire", "Result", "Reason"],
                    [[md(q["title"]), md(q["tier"]["title"]), md(q["tier"]["reason"])] for q in tiered])
    s = r["summary"]
    if s.get("staleness"):
        add(f"**Out of date:** {md('; '.join(s['staleness']))}")
        add("")
    if s["contradictions"]:
        n = len(s["contradictions"])
        add("### Contradictions between answers")
        add("")
        add(f"**{n} pair{'s' if n != 1 else ''} of answers cannot both be true, so the results rest on answers that "
            "disagree. Settle each before relying on them.**")
        add("")
        for c in s["contradictions"]:
            sides = "; ".join(f"{md(x['questionnaire_title'])}: \u201c{md(x['prompt'])}\u201d = **{md(x['answer'])}**"
                              for x in c["sides"])
            settle = f" To settle it: {md(c['resolve'])}" if c["resolve"] else ""
            add(f"- **{md(c['title'])}.** {sides}. {md(c['explanation'])}{settle}")
        add("")
    add("### Top findings")
    add("")
    if s["top_findings"]:
        for f in s["top_findings"]:
            add(f"- **[{md(f['severity_label'])}] {md(f['title'])}**: {md(f['explanation'])} "
                f"Recommendation: {md(f['recommendation'])} ({md(f['citation'])})")
    else:
        add("No rule raised a finding.")
    add("")
    add("### Obligations and deadlines")
    add("")
    if s["obligations"]:
        o += _table(["Applies from", "Obligation", "Source"],
                    [[cell(ob["applies_from"] or "now / not dated"), f"**{cell(ob['title'])}**: {cell(ob['text'])}",
                      cell(ob["citation"])] for ob in s["obligations"]])
    else:
        add("No obligations follow from the answers.")
        add("")
    add("### Open questions")
    add("")
    add(f"{s['answered']} of {s['visible']} applicable questions are answered; {len(s['open_questions'])} open"
        f" ({s['unknown_count']} \"don't know\").")
    add("")
    for q in s["open_questions"]:
        status = "don't know" if q["status"] == "unknown" else "unanswered"
        add(f"- {md(q['questionnaire'])}: {md(q['prompt'])} ({status})")
    if s["open_questions"]:
        add("")

    ec = r.get("error_costs")
    if ec:
        add("## False positives and false negatives")
        add("")
        if ec["available"]:
            o += _table(["Quantity", "Expected"], [[cell(row["label"]), row["shown"]] for row in ec["rows"]])
        else:
            add("The inputs needed to compute expected errors are not (all) answered.")
            add("")

    bi = r.get("broader_impact")
    if bi:
        add("## Broader impact statement")
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
    cl = r.get("checklist")
    if cl:
        add("## NeurIPS paper checklist")
        add("")
        o += _table(["#", "Item", "Answer", "Justification"],
                    [[str(c["number"]), f"**{cell(c['title'])}**: {cell(c['question'])}", c["answer_label"],
                      cell(c["justification"] or "no justification given")] for c in cl])
    mc = r.get("model_card")
    if mc:
        add("## Model card summary")
        add("")
        for c in mc:
            add(f"### {md(c['title'])}")
            add("")
            add(block(c["text"]) if c["status"] == "answered" else
                ("_don't know_" if c["status"] == "unknown" else "_not answered_"))
            add("")

    for q in r["questionnaires"]:
        add(f"## {md(q['title'])}")
        add("")
        add(f"Questionnaire `{q['id']}` version {md(q['version'])}; {q['answered']} of {q['visible']} applicable "
            f"questions answered.")
        add("")
        if q["tier"]:
            add(f"**{md(q['tier']['label'])}: {md(q['tier']['title'])}.** {md(q['tier']['reason'])}")
            add("")
        if q["scores"]:
            o += _table(["Dimension", "Score", "Maximum"],
                        [[cell(sc["title"]), f"{sc['value']:g}", f"{sc['max']:g}" if sc["max"] else "–"]
                         for sc in q["scores"]])
        for f in q["findings"]:
            add(f"- **[{md(f['severity_label'])}] {md(f['title'])}**: {md(f['explanation'])} "
                f"Recommendation: {md(f['recommendation'])} ({md(f['citation'])})")
        if q["findings"]:
            add("")
        for ob in q["obligations"]:
            when = f" (from {ob['applies_from']})" if ob["applies_from"] else ""
            add(f"- Obligation: **{md(ob['title'])}**{when}. {md(ob['text'])} ({md(ob['citation'])})")
        if q["obligations"]:
            add("")
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
        if q["trace"]:
            add("Rule trace:")
            add("")
            for t in q["trace"]:
                ev = ", ".join(f"`{e['ref']}` = {md(e['shown'])}" for e in t["evidence"])
                add(f"- `{t['rule_id']}`: {md('; '.join(t['effects']))} [{ev}]")
            add("")

    add("## Ethics committee review")
    add("")
    for c in r["review"]["comments"]:
        who = md(c["by"] or "Anonymous") + (f", {md(c['date'])}" if c["date"] else "")
        add(f"> **{who}**: {md(' '.join(c['text'].split()))}")
        add("")
    add(f"Decision: **{md(r['review']['decision_label'])}**")
    add("")
    if r["review"]["conditions"]:
        add(f"Conditions: {block(r['review']['conditions'])}")
        add("")
    add("## Provenance")
    add("")
    prov = r["provenance"]
    o += _table(["Questionnaire", "Version", "SHA-256"],
                [[f"`{p['id']}`", md(p["version"]), f"`{p['sha256']}`"] for p in prov["questionnaires"]]
                + [["answers file", md(r["updated"][:10]), f"`{prov['answers_sha256'] or 'not recorded'}`"]])
    add(f"Generated by riskwizard {__version__}.")
    return "\n".join(o).rstrip() + "\n"
