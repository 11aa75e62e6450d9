"""Application dates as data (riskwizard/timeline.py) and the rule and obligation fields built on it."""

from __future__ import annotations

import json
import textwrap

import pytest

from riskwizard.answers import Answer
from riskwizard.engine import evaluate
from riskwizard.errors import ErrorGroup
from riskwizard.loader import load_questionnaire_text
from riskwizard.schema import questionnaire_schema
from riskwizard.timeline import format_table, gate_open, resolve, table

MINI = textwrap.dedent("""\
    id: dated
    version: "1.0"
    title: Dated
    description: Dates as data.
    sources: [{id: s, citation: "Act (2024)"}]
    sections:
      - id: s
        title: S
        questions:
          - {id: risky, type: yesno, prompt: "Risky?", source: x, help: h}
          - {id: new_thing, type: yesno, prompt: "Does the new thing?", source: x, help: h}
    outcome:
      levels: [{id: banned, title: Banned}, {id: high, title: High}, {id: low, title: Low}]
      default: low
    rules:
      - id: new_ban
        law_gate: {timeline: new_ban, state: law}
        when: {q: new_thing, op: eq, value: "yes"}
        tier: banned
        reason: Banned by the amendment.
        flags: [new_ban]
      - id: new_ban_pending
        law_gate: {timeline: new_ban, state: pending}
        when: {q: new_thing, op: eq, value: "yes"}
        finding: {severity: high, title: "Would be banned", explanation: e, recommendation: r, citation: c}
      - id: risky
        when: {q: risky, op: eq, value: "yes"}
        tier: high
        reason: Risky.
        only_at_tiers: [high]
        flags: [risky]
        finding: {severity: high, title: Risky duties, explanation: e, recommendation: r, citation: c}
      - id: exempt
        when: {q: new_thing, op: eq, value: "no"}
        flags: [exempt]
    obligations:
      - {id: duties, title: Duties, text: t, citation: c, tiers: [high], flags: [risky], timeline: duties,
         unless_flags: [exempt]}
      - {id: stop, title: Stop, text: t, citation: c, flags: [new_ban], timeline: new_ban}
      - {id: plain, title: Plain, text: t, citation: c, applies_from: "2025-01-01", date_source: "Act Art 1"}
    acts:
      - {id: act, title: The Act, citation: "Act 2024", status: published, oj_reference: "OJ L 1"}
      - id: fix
        title: The Fix
        citation: "Fix 2025"
        status: proposed
        record: [{date: "2025-01-02", status: proposed, claim: "Proposed.", source: "Gazette"}]
      - {id: fix2, title: The Second Fix, citation: "Fix 2026", status: proposed}
    timeline:
      - id: duties
        title: Duties apply
        dates:
          - {act: act, date: "2026-01-01", basis: "Act Art 9"}
          - {act: fix, date: "2027-01-01", basis: "Fix Art 1"}
          - {act: fix2, date: "2028-01-01", basis: "Fix2 Art 1"}
      - id: new_ban
        title: New ban
        dates:
          - {act: fix, date: "2026-06-01", basis: "Fix Art 2"}
    """)


def load(text: str = MINI):
    return load_questionnaire_text(text, "dated.yaml")


def publish(text: str, act: str, reference: str = "OJ L 9") -> str:
    if act == "fix":
        published = f'    status: published\n    oj_reference: "{reference}"\n    record'
        return text.replace("    status: proposed\n    record", published)
    return text.replace('{id: fix2, title: The Second Fix, citation: "Fix 2026", status: proposed}',
                        f'{{id: fix2, title: The Second Fix, citation: "Fix 2026", status: published, '
                        f'oj_reference: "{reference}"}}')


def run(spec, **answers):
    return evaluate(spec, {k: Answer(value=v) for k, v in answers.items()})


def test_the_last_published_act_sets_the_date() -> None:
    spec = load()
    assert resolve(spec.model, "duties").applies_from == "2026-01-01"
    once = load(publish(MINI, "fix"))
    rows = resolve(once.model, "duties").rows
    assert [(r.date, r.applies) for r in rows] == [("2026-01-01", False), ("2027-01-01", True), ("2028-01-01", False)]
    twice = load(publish(publish(MINI, "fix"), "fix2"))
    assert resolve(twice.model, "duties").applies_from == "2028-01-01"
    # an act published out of order still counts only where it stands in the list
    only_second = load(publish(MINI, "fix2"))
    assert resolve(only_second.model, "duties").applies_from == "2028-01-01"
    assert resolve(only_second.model, "new_ban").applies_from is None


def test_obligation_date_source_and_timeline_rows() -> None:
    r = run(load(), risky="yes")
    duties = next(o for o in r.obligations if o.id == "duties")
    assert duties.applies_from == "2026-01-01"
    assert duties.date_source == (
        "Act Art 9, OJ L 1. Not yet law: 2027-01-01 under the The Fix (proposed, not adopted; Fix Art 1). "
        "Not yet law: 2028-01-01 under the The Second Fix (proposed, not adopted; Fix2 Art 1).")
    assert [d["applies"] for d in duties.timeline] == [True, False, False]
    plain = next(o for o in r.obligations if o.id == "plain")  # questionnaires without a timeline keep working
    assert (plain.applies_from, plain.date_source, plain.timeline) == ("2025-01-01", "Act Art 1", [])
    later = run(load(publish(MINI, "fix")), risky="yes")
    source = next(o for o in later.obligations if o.id == "duties").date_source
    assert source.startswith("Fix Art 1, OJ L 9. Replaced: 2026-01-01 (Act Art 9).")


def test_law_gate_pending_and_law() -> None:
    spec = load()
    gate = spec.model.rules[0].law_gate
    assert gate_open(spec.model, gate) is False
    pending = run(spec, new_thing="yes")
    assert pending.tier.id == "low"
    assert [f.rule_id for f in pending.findings] == ["new_ban_pending"]
    assert "new_ban" not in {t.rule_id for t in pending.trace}
    assert not pending.obligations[1:] and not pending.pending_obligations
    law = run(load(publish(MINI, "fix")), new_thing="yes")
    assert law.tier.id == "banned" and not law.findings
    assert {o.id: o.applies_from for o in law.obligations} == {"stop": "2026-06-01", "plain": "2025-01-01"}


def test_obligations_whose_date_is_not_law_are_kept_apart() -> None:
    text = MINI.replace("flags: [new_ban], timeline: new_ban}", "timeline: new_ban}")
    r = run(load(text), risky="no")
    assert "stop" not in {o.id for o in r.obligations}
    pending = {o.id: o for o in r.pending_obligations}
    assert pending["stop"].applies_from is None and pending["stop"].timeline[0]["status"] == "proposed"
    assert "No act in force sets this date yet." in pending["stop"].date_source
    assert r.to_dict()["pending_obligations"][0]["id"] == "stop"


def test_only_at_tiers_holds_back_finding_and_flags_and_says_so() -> None:
    law = load(publish(MINI, "fix"))
    both = run(law, risky="yes", new_thing="yes")
    assert both.tier.id == "banned"
    assert not both.findings and both.flags == ["new_ban"]
    assert "duties" not in {o.id for o in both.obligations}
    trace = next(t for t in both.trace if t.rule_id == "risky")
    assert trace.effects[-1] == "finding and flags not shown at tier banned"
    alone = run(law, risky="yes")
    assert alone.tier.id == "high" and alone.flags == ["risky"] and alone.findings[0].rule_id == "risky"


def test_unless_flags_drops_an_obligation() -> None:
    text = MINI.replace("    flags: [risky]\n", "    flags: [risky, exempt]\n")
    assert text != MINI
    r = run(load(text), risky="yes")
    assert "duties" not in {o.id for o in r.obligations}


def test_table_and_text_show_every_date_with_its_status() -> None:
    spec = load()
    rows = table(spec.model)
    assert rows[0]["applies_from"] == "2026-01-01" and len(rows[0]["dates"]) == 3
    lines = format_table(spec.model)
    assert lines[0].startswith("Application dates")
    assert "  Duties apply: 2026-01-01  | also: 2027-01-01 (The Fix: proposed, not adopted); 2028-01-01" in lines[1]
    assert "  New ban: not yet law  | also: 2026-06-01 (The Fix: proposed, not adopted)" in lines
    assert "  The Fix: proposed, not adopted" in lines
    from riskwizard.loader import bundled_paths, load_questionnaire

    assert format_table(load_questionnaire(bundled_paths()["model-card"]).model) == []  # no timeline: nothing


@pytest.mark.parametrize(("old", "new", "message"), [
    ("{act: fix, date: \"2027-01-01\"", "{act: nope, date: \"2027-01-01\"", "names unknown act `nope`"),
    ("timeline: duties,\n", "timeline: nope,\n", "unknown timeline entry `nope`"),
    ("law_gate: {timeline: new_ban, state: law}", "law_gate: {timeline: nope, state: law}", "unknown timeline entry"),
    ("law_gate: {timeline: new_ban, state: law}", "law_gate: {timeline: new_ban, state: maybe}", "state"),
    ("only_at_tiers: [high]", "only_at_tiers: [extreme]", "unknown tier `extreme` in `only_at_tiers`"),
    ('applies_from: "2025-01-01", date_source: "Act Art 1"', 'applies_from: "2025-01-01", timeline: duties',
     "give either `timeline` or `applies_from`"),
    ("status: published, oj_reference: \"OJ L 1\"", "status: published", "give its `oj_reference`"),
    ("timeline:\n  - id: duties\n", "timeline:\n  - id: new_ban\n", "duplicate timeline id"),
])
def test_bad_data_is_refused(old: str, new: str, message: str) -> None:
    assert old in MINI
    with pytest.raises(ErrorGroup) as errors:
        load(MINI.replace(old, new, 1))
    text = str(errors.value)
    assert message in text and "dated.yaml:" in text


def test_the_json_schema_describes_the_new_keys() -> None:
    schema = json.dumps(questionnaire_schema())
    for key in ("acts", "oj_reference", "law_gate", "only_at_tiers", "unless_flags", "timeline"):
        assert f'"{key}"' in schema, key
