"""The sources of all questionnaires as one reference list: each work once, sorted.

Questionnaires cite the same work under the same id (``mitchell2019``), sometimes with a different
pinpoint or a shorter author list; the list keeps one entry per work: the one with a URL if any,
else the fullest citation. Ids that differ only in ``-`` / ``_`` are the same work, and so are
entries whose first author and year agree and whose titles start alike.
"""

from __future__ import annotations

import re
from typing import Any

_YEAR = re.compile(r"\((\d{4})[a-z]?\)")
_LEADING = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def _work_key(citation: str) -> tuple[str, str, str] | None:
    """(first author surname, year, first words of the title) for "Surname, X. ... (YYYY). Title ..." citations."""
    year = _YEAR.search(citation)
    if not year or "," not in citation[: year.start()]:
        return None
    surname = citation.split(",", 1)[0].strip().casefold()
    title = citation[year.end():].lstrip(". ").casefold()
    words = re.findall(r"[a-z0-9]+", title)[:4]
    return surname, year.group(1), " ".join(words)


def short_citation(citation: str, limit: int = 110) -> str:
    """"Surname, A., Other, B., Third, C. (2019). Title. Venue ..." -> "Surname, A. et al. (2019). Title."."""
    year = _YEAR.search(citation)
    if year and "," in citation[: year.start()]:
        authors = citation[: year.start()].strip()
        parts = [p for p in re.split(r"(?<=\.),\s+", authors) if p]
        if len(parts) > 2 and not authors.endswith("et al."):
            authors = f"{parts[0].rstrip(',')} et al."
        rest = citation[year.end():].lstrip(". ")
        title = re.split(r"(?<=[.?!])\s+", rest, maxsplit=1)[0]
        short = f"{authors} {year.group(0)}. {title}"
    else:
        short = citation
    if len(short) > limit:
        short = short[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return short


def sort_key(citation: str) -> str:
    return _LEADING.sub("", citation.strip().lstrip("'\"‘“")).casefold()


def references(questionnaires: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{citation, url, used_by: [questionnaire titles]}], one per work, sorted by citation."""
    groups: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    by_work: dict[tuple[str, str, str], dict[str, Any]] = {}
    for q in questionnaires:
        for source in q["sources"]:
            sid = source["id"].replace("-", "_")
            work = _work_key(source["citation"])
            group = by_id.get(sid) or (by_work.get(work) if work else None)
            if group is None:
                group = {"ids": set(), "entries": [], "used_by": []}
                groups.append(group)
            group["ids"].add(sid)
            group["entries"].append(source)
            if q["title"] not in group["used_by"]:
                group["used_by"].append(q["title"])
            by_id[sid] = group
            if work:
                by_work.setdefault(work, group)
    out = []
    for group in groups:
        best = max(group["entries"], key=lambda s: (bool(s.get("url")), len(s["citation"])))
        out.append({"citation": best["citation"], "short": short_citation(best["citation"]),
                    "url": best.get("url") or "", "used_by": group["used_by"]})
    out.sort(key=lambda r: sort_key(r["citation"]))
    return out


_INSTRUMENT = re.compile(r"\b\d{4}/\d{2,4}(?:/E[CU])?\b|\b\d+ (?:CFR|U\.S\.C\.) \d+")
_ACRONYM = re.compile(r"\(([A-Z]{2,}[A-Za-z]*(?: [A-Z][a-z]{1,4})?)[,)]")
# "(EU)", "(EC)" … say whose law it is, not which work: "Regulation (EU) 2017/745" is not cited by a
# finding that names the "EU Charter".
_PLACE_MARKERS = frozenset({"EU", "EC", "EEC", "EEA", "UK", "US", "USA", "UN"})
# Laws that findings cite by their usual short name; a name counts only for the work the reference is
# (its citation starts with the instrument), not for another work that mentions it (an amending act).
_SHORT_NAMES = (
    (re.compile(r"^Regulation \(EU\) 2024/1689\b"), ("AI Act",)),
    (re.compile(r"^Regulation \(EU\) 2016/679\b"), ("GDPR",)),
    (re.compile(r"^Regulation \(EU\) 2017/745\b"), ("MDR",)),
    (re.compile(r"^Charter of Fundamental Rights of the European Union\b"), ("Charter",)),
    (re.compile(r"^European Convention on Human Rights\b"), ("ECHR",)),
    (re.compile(r"^Digital Omnibus on AI\b"), ("Digital Omnibus",)),
)
_CITED_AUTHOR = re.compile(r"^([A-Z][^\s,(]+(?:[- ][A-Z][^\s,(]+)?),")


def mark_cited(refs: list[dict[str, Any]], citations: list[str]) -> None:
    """Set ``cited`` on each reference that a finding's citation names (author and year, law or acronym)."""
    text = " ".join(citations)
    for ref in refs:
        citation = ref["citation"]
        year = _YEAR.search(citation)
        author = _CITED_AUTHOR.match(citation)
        cited = False
        if year and author:
            cited = bool(re.search(rf"\b{re.escape(author.group(1))}\b[^;]*?\b{year.group(1)}\b", text))
        elif author:  # a work without a year (a lecture, a web page) is cited by its author's name
            cited = bool(re.search(rf"\b{re.escape(author.group(1))}\b", text))
        if not cited:
            cited = any(code in text for code in _INSTRUMENT.findall(citation))
        if not cited:
            names = [n for pattern, short in _SHORT_NAMES if pattern.match(citation) for n in short]
            names += [a for a in _ACRONYM.findall(citation) if a not in _PLACE_MARKERS]
            cited = any(re.search(rf"\b{re.escape(n)}\b", text) for n in names)
        ref["cited"] = cited
