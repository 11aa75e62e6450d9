"""Application dates as data: which date applies, given the status of the acts that set it.

A questionnaire may list ``acts`` (the regulation as published, amendments in progress) and a
``timeline`` of application dates. Each timeline entry gives, oldest act first, the date each act
sets for it and the provision that does so. Only a *published* act is law: the date that applies is
the one set by the last published act in the entry's list. A date set only by an act that is
proposed, agreed or adopted is shown beside it with that status, never as the date that applies.
Switching an amendment to ``status: published`` (with its ``oj_reference``) is the one edit that
makes its dates apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import Location, RiskwizardError, SchemaError
from .models import Act, LawGate, Questionnaire, TimelineEntry
from .yamlsafe import SourcedYaml

STATUS_WORDS = {
    "proposed": "proposed, not adopted",
    "agreed": "politically agreed, not adopted",
    "adopted": "adopted, not yet published in the Official Journal",
    "published": "published",
}


@dataclass
class DateRow:
    """One act's date for a timeline entry, as shown beside the others."""

    date: str
    basis: str
    act: str
    act_title: str
    status: str
    oj_reference: str
    applies: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "basis": self.basis, "act": self.act, "act_title": self.act_title,
                "status": self.status, "oj_reference": self.oj_reference, "applies": self.applies, "note": self.note}


@dataclass
class Resolution:
    entry_id: str
    title: str
    applies_from: str | None
    rows: list[DateRow]
    _source: str | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> str:
        """``date_source()``, computed once."""
        if self._source is None:
            self._source = self.date_source()
        return self._source

    @property
    def in_law(self) -> bool:
        """True when a published act sets a date for the entry."""
        return self.applies_from is not None

    def date_source(self) -> str:
        """The legal basis of the date that applies, then every other date with its status."""
        applying = next((r for r in self.rows if r.applies), None)
        text = (f"{applying.basis}, {applying.oj_reference}." if applying is not None
                else "No act in force sets this date yet.")
        others = self.other_dates()
        return f"{text} {others}" if others else text

    def other_dates(self) -> str:
        """The dates that do not apply, each with its act and status (empty when there are none)."""
        parts = []
        for row in self.rows:
            if row.applies:
                continue
            if row.status == "published":
                parts.append(f"Replaced: {row.date} ({row.basis}).")
            else:
                parts.append(f"Not yet law: {row.date} under the {row.act_title} ({STATUS_WORDS[row.status]}; "
                             f"{row.basis}).")
        return " ".join(parts)


def act_in_law(act: Act) -> bool:
    return act.status == "published"


_RESOLVED: dict[int, tuple[Questionnaire, dict[str, Resolution]]] = {}


def resolve(model: Questionnaire, entry_id: str) -> Resolution:
    """The date that applies for ``entry_id`` and every date of it, with the status of its act.

    Models are frozen, so the answer is kept per model (the engine asks for it on every evaluation).
    """
    cached = _RESOLVED.get(id(model))
    if cached is None or cached[0] is not model:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        cached = (model, {})
        _RESOLVED[id(model)] = cached
    found = cached[1].get(entry_id)
    if found is None:
        found = cached[1][entry_id] = _resolve(model, entry_id)
    return found


def _resolve(model: Questionnaire, entry_id: str) -> Resolution:
    entry = _entry(model, entry_id)
    acts = {a.id: a for a in model.acts}
    applying = None
    for i, d in enumerate(entry.dates):
        if act_in_law(acts[d.act]):
            applying = i
    rows = [DateRow(d.date, d.basis, d.act, acts[d.act].title, acts[d.act].status, acts[d.act].oj_reference,
                    i == applying, d.note) for i, d in enumerate(entry.dates)]
    return Resolution(entry.id, entry.title, entry.dates[applying].date if applying is not None else None, rows)


def gate_open(model: Questionnaire, gate: LawGate | None) -> bool:
    """Whether a rule with this ``law_gate`` is evaluated in the current state of the law."""
    if gate is None:
        return True
    in_law = resolve(model, gate.timeline).in_law
    return in_law if gate.state == "law" else not in_law


def table(model: Questionnaire) -> list[dict[str, Any]]:
    """Every timeline entry with the dates of every act side by side (for display)."""
    out = []
    for entry in model.timeline:
        res = resolve(model, entry.id)
        out.append({"id": entry.id, "title": entry.title, "applies_from": res.applies_from,
                    "dates": [r.to_dict() for r in res.rows]})
    return out


def pending_note(rows: list[dict[str, Any]]) -> str:
    """`` [not law yet: 2027-12-02, Digital Omnibus on AI adopted]`` for an obligation's other dates, or ""."""
    others = [f"{d['date']}, {d['act_title']} {d['status']}" for d in rows
              if not d["applies"] and d["status"] != "published"]
    return f" [not law yet: {'; '.join(others)}]" if others else ""


def format_table(model: Questionnaire) -> list[str]:
    """Plain-text lines: each application date, the date that applies, and the dates not (yet) law."""
    if not model.timeline:
        return []
    lines = ["Application dates (the date that applies, then dates that are not, or not yet, law):"]
    for row in table(model):
        applying = row["applies_from"] or "not yet law"
        others = [f"{d['date']} ({d['act_title']}: {STATUS_WORDS[d['status']]})"
                  for d in row["dates"] if not d["applies"]]
        lines.append(f"  {row['title']}: {applying}" + (f"  | also: {'; '.join(others)}" if others else ""))
    for act in model.acts:
        reported = [e for e in act.record if not e.verified]
        checked = f", checked {act.checked}" if act.checked else ""
        lines.append(f"  {act.title}: {STATUS_WORDS[act.status]}"
                     + (f" ({act.oj_reference})" if act.oj_reference else "") + checked)
        for e in reported:
            lines.append(f"    reported, not verified: {e.claim} ({e.source}, {e.date})")
    return lines


def check_references(model: Questionnaire, src: SourcedYaml) -> list[RiskwizardError]:
    """Ids used by timelines, obligations and rule gates must exist; problems name file:line."""
    errors: list[RiskwizardError] = []
    acts = {a.id for a in model.acts}
    entries = {e.id for e in model.timeline}
    for ei, entry in enumerate(model.timeline):
        for di, d in enumerate(entry.dates):
            if d.act not in acts:
                errors.append(SchemaError(f"timeline `{entry.id}` names unknown act `{d.act}`",
                                          src.where(("timeline", ei, "dates", di, "act")),
                                          f"declare it under `acts:` or use one of: {_names(acts)}"))
    for oi, ob in enumerate(model.obligations):
        if ob.timeline is not None and ob.timeline not in entries:
            errors.append(SchemaError(f"obligation `{ob.id}` names unknown timeline entry `{ob.timeline}`",
                                      src.where(("obligations", oi, "timeline")),
                                      f"declare it under `timeline:` or use one of: {_names(entries)}"))
    for ri, rule in enumerate(model.rules):
        if rule.law_gate is not None and rule.law_gate.timeline not in entries:
            errors.append(SchemaError(
                f"rule `{rule.id}` gates on unknown timeline entry `{rule.law_gate.timeline}`",
                src.where(("rules", ri, "law_gate", "timeline")),
                f"declare it under `timeline:` or use one of: {_names(entries)}"))
    return errors


def _entry(model: Questionnaire, entry_id: str) -> TimelineEntry:
    for entry in model.timeline:
        if entry.id == entry_id:
            return entry
    raise SchemaError(f"unknown timeline entry `{entry_id}`", Location(model.id), "check the questionnaire")


def _names(ids: set[str]) -> str:
    return ", ".join(sorted(ids)) or "(none declared)"
