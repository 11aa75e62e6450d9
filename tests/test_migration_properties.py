"""Upgrading answers files of format 1: property tests over generated old-format files.

The files are generated from the OLD question sets (tests/fixtures/v1/, copies of the questionnaires
as they were before shared facts) and opened with the current ones. Whatever was answered, every old
answer must end up, unaltered, as a shared fact (translated only by the questionnaire's declared
value map), as one of the values of a conflict, as an answer (under its new id, if renamed) or as an
orphan; and nothing may appear that no old answer gave.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskwizard.answers import FACTS_ORPHANS, STAGE_FACT, check_value, dump_answers, parse_answers, to_plain
from riskwizard.assessment import open_assessment
from riskwizard.loader import find_questionnaire, load_questionnaire
from riskwizard.yamlsafe import load_yaml_text

V1 = Path(__file__).resolve().parent / "fixtures" / "v1"
OLD = {p.stem: load_questionnaire(p) for p in sorted(V1.glob("*.yaml"))}
NEW = {qid: find_questionnaire(qid) for qid in OLD}
TEXTS = ["same text", "another text", "Nothing released.", "  same text  "]
NOTES = ["", "", "a note", "another note"]
NUMBERS = [0, 1, 4, 128, 312.5, 1000, 14000, 40000, 100000, 10_000_000, 90_000_000]


def _value(question: Any) -> st.SearchStrategy[Any]:
    qtype = question.type
    if qtype == "single":
        return st.sampled_from([o.value for o in question.options])
    if qtype == "yesno":
        return st.sampled_from(["yes", "no"])
    if qtype == "multi":
        values = [o.value for o in question.options]
        return st.lists(st.sampled_from(values), min_size=0, max_size=3, unique=True).map(
            lambda chosen: [v for v in values if v in chosen])
    if qtype == "text":
        return st.sampled_from(TEXTS)
    if qtype == "group":
        field_values = {f.id: _value(f) for f in question.fields}
        row = st.fixed_dictionaries({}, optional=field_values)
        return st.lists(row, min_size=0, max_size=2)
    lo = question.min if question.min is not None else 0
    hi = question.max if question.max is not None else 1e12
    pool = [n for n in NUMBERS if lo <= n <= hi and (not question.integer or n == int(n))]
    if qtype == "percent":
        pool = [n for n in (0, 1.5, 50, 100) if lo <= n <= hi]
    return st.sampled_from(pool or [lo])


@st.composite
def old_answer(draw: Any, question: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["value", "value", "value", "unknown", "note"]))
    note = draw(st.sampled_from(NOTES))
    if kind == "unknown" and question.unknown_allowed:
        return {"unknown": True, "note": note}
    if kind == "note" and note:
        return {"value": None, "note": note}
    return {"value": draw(_value(question)), "note": note}


@st.composite
def old_file(draw: Any) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(sorted(OLD)), min_size=1, max_size=7, unique=True))
    answers: dict[str, dict[str, Any]] = {}
    for qid in chosen:
        spec = OLD[qid]
        # lean on the questions that became shared facts, so that duplicates meet often
        shared = [q for q in spec.questions() if q.id in _old_shared(qid)]
        others = [q for q in spec.questions() if q.id not in _old_shared(qid)]
        picked = draw(st.lists(st.sampled_from(shared), unique_by=lambda q: q.id)) if shared else []
        picked += draw(st.lists(st.sampled_from(others), unique_by=lambda q: q.id, max_size=6))
        answers[qid] = {q.id: draw(old_answer(q)) for q in picked}
    stage = draw(st.sampled_from(["", "design", "development", "deployment"]))
    return {"questionnaires": chosen, "answers": answers, "stage": stage}


def _old_shared(qid: str) -> set[str]:
    return set(NEW[qid].lift)


def _write(tmp: Path, data: dict[str, Any]) -> Path:
    doc = {
        "format": "riskwizard-answers/1",
        "system": {"name": "generated"},
        "stage": data["stage"],
        "questionnaires": [{"id": q, "version": OLD[q].version, "sha256": OLD[q].sha256}
                           for q in data["questionnaires"]],
        "answers": data["answers"],
    }
    path = tmp / "old.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return float(a) == float(b)
    return bool(a == b)


def _translated(rep: Any, value: Any, target: Any) -> Any:
    """The old value in the terms of the new question, by the questionnaire's declared map only."""
    if rep is None or not rep.map:
        mapped = value
    elif target.type == "multi":
        items = value if isinstance(value, list) else [value]
        mapped = []
        for item in items:
            new = rep.map.get(item, item)
            mapped += [v for v in (new if isinstance(new, list) else [new]) if v not in mapped]
    else:
        mapped = rep.map.get(value, value)
    norm, problem = check_value(target, mapped)
    return None if problem else norm


def _accounted(doc: Any, qn: str, key: str, old: dict[str, Any]) -> str:
    """Where an old answer ended up ("" if nowhere): fact, conflict, answer or orphan, with the same value."""
    value, unknown, note = old.get("value"), old.get("unknown", False), old.get("note", "")
    spec = NEW[qn]
    target = spec.lift.get(key)
    for orphan_key, orphan in doc.orphaned.get(qn, {}).items():
        if orphan_key.split("__")[0] == key and orphan.unknown == unknown and _same(orphan.value, value) \
                and orphan.note == note:
            return "orphan"
    if target is None:
        answer = doc.answers[qn].local.get(key)
        if answer is not None and answer.unknown == unknown and answer.note == note and (
                unknown or _same(answer.value, check_value(OLD[qn].question(key), value)[0] if value is not None
                                 else None)):
            return "answer"
        return ""
    target_id, rep = target
    fid = spec.fact_of.get(target_id)
    question = spec.question(target_id)
    if fid is None:  # renamed within the questionnaire
        answer = doc.answers[qn].local.get(target_id)
        if answer is not None and answer.unknown == unknown and answer.note == note and (
                unknown or value is None or _same(answer.value, _translated(rep, value, question))):
            return "renamed"
        return ""
    for entry in doc.conflicts.get(fid, []):
        if entry.questionnaire == qn and entry.question == key and entry.unknown == unknown \
                and _same(entry.value, value) and entry.note == note:
            return "conflict"
    fact = doc.facts.get(fid)
    if fact is None:
        return ""
    if note and note not in fact.note:
        return ""
    if unknown:
        return "fact" if fact.unknown else ""
    if value is None:
        return "fact"
    if rep is not None and rep.bands:
        low, high = rep.bands[value]
        ok = fact.value is not None and (low is None or fact.value >= low) and (high is None or fact.value < high)
        return "fact" if ok else ""
    if rep is not None and rep.product_with:
        other = doc.facts.get(rep.product_with)
        ok = other is not None and fact.value is not None and other.value is not None and \
            abs(fact.value * other.value - value) <= 1e-9 * max(1.0, abs(value))
        return "fact" if ok else ""
    return "fact" if _same(fact.value, _translated(rep, value, question)) else ""


def _check(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), data)
        doc = open_assessment(path, strict=False).doc
        lost = [(qn, key, old, _accounted(doc, qn, key, old))
                for qn, per_q in data["answers"].items() for key, old in per_q.items()]
        assert [x for x in lost if not x[3]] == []
        # nothing invented: every fact comes from an old answer (or the old top-level stage)
        sources: dict[str, int] = {}
        for qn, per_q in data["answers"].items():
            for key in per_q:
                target = NEW[qn].lift.get(key)
                fid = NEW[qn].fact_of.get(target[0]) if target else None
                if fid is not None:
                    sources[fid] = sources.get(fid, 0) + 1
        for fid in doc.facts:
            assert sources.get(fid) or (fid == STAGE_FACT and data["stage"]), fid
        if data["stage"] and STAGE_FACT not in doc.conflicts:
            assert doc.facts[STAGE_FACT].value == data["stage"]
        # the upgraded document saves and reads back identically, and a second upgrade changes nothing
        text = dump_answers(doc)
        back = parse_answers(load_yaml_text(text, "<saved>"))
        assert to_plain(back) == to_plain(doc)
        assert FACTS_ORPHANS not in doc.orphaned
        Path(folder, "new.yaml").write_text(text, encoding="utf-8")
        again = open_assessment(Path(folder, "new.yaml"), strict=False)
        assert to_plain(again.doc) == to_plain(doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(old_file())
def test_no_old_answer_is_lost_or_altered(data: dict[str, Any]) -> None:
    _check(data)


@pytest.mark.parametrize("sample", sorted(p.stem for p in (V1 / "samples").glob("*.yaml")))
def test_the_old_samples_upgrade_without_loss(sample: str) -> None:
    raw = yaml.safe_load((V1 / "samples" / f"{sample}.yaml").read_text(encoding="utf-8"))
    data = {"questionnaires": [r["id"] for r in raw["questionnaires"]], "stage": raw["stage"],
            "answers": {qn: {k: {kk: vv for kk, vv in a.items() if kk != "updated"} for k, a in per_q.items()}
                        for qn, per_q in raw["answers"].items()}}
    _check(data)


def test_agreeing_duplicates_become_one_fact_and_disagreeing_ones_a_conflict(tmp_path: Path) -> None:
    data = {"questionnaires": ["harms", "research-ethics", "error-costs"], "stage": "deployment", "answers": {
        "harms": {"output_kind": {"value": ["allocates"]}, "recourse": {"value": "no", "note": "no contact"},
                  "scale": {"value": "lt_100k"}, "vulnerable": {"value": ["job_seekers"]}},
        "research-ethics": {"decisions_people": {"value": "automated"},
                            "contest_route": {"value": "yes", "note": "letter offers review"},
                            "vulnerable_participants": {"value": ["dependent"]}},
        "error-costs": {"prediction_kind": {"value": "ranking"}, "population": {"value": 14000}},
    }}
    doc = open_assessment(_write(tmp_path, data), strict=False).doc
    assert doc.facts["people_affected"].value == 14000  # the band 1,000-100,000 agrees with 14,000
    assert doc.facts["vulnerable_groups"].value == ["dependent"]  # job_seekers is now "dependent"
    assert "contest_route" not in doc.facts
    assert [(e.questionnaire, e.question, e.value, e.note) for e in doc.conflicts["contest_route"]] == [
        ("harms", "recourse", "no", "no contact"), ("research-ethics", "contest_route", "yes", "letter offers review")]
    assert doc.facts[STAGE_FACT].value == "deployment"
    # the wizard's record_answer settles it: one value, the conflict entry goes
    from riskwizard.answers import record_answer

    harms = NEW["harms"]
    record_answer(doc, "harms", harms.question("recourse"), "no")
    assert doc.facts["contest_route"].value == "no"
    assert "contest_route" not in doc.conflicts
    assert doc.answers["research-ethics"].get("contest_route") is doc.facts["contest_route"]


def test_a_band_with_nothing_to_check_against_is_kept_as_a_conflict(tmp_path: Path) -> None:
    data = {"questionnaires": ["harms"], "stage": "", "answers": {
        "harms": {"output_kind": {"value": ["serves"]}, "scale": {"value": "ge_10m", "note": "millions"}}}}
    assessment = open_assessment(_write(tmp_path, data), strict=False)
    doc = assessment.doc
    assert "people_affected" not in doc.facts
    [entry] = doc.conflicts["people_affected"]
    assert (entry.questionnaire, entry.question, entry.value, entry.note) == ("harms", "scale", "ge_10m", "millions")
    result = assessment.evaluate()
    assert [c.rule_id for c in result.contradictions] == ["conflict:people_affected"]
    assert "10,000,000 or more" in result.contradictions[0].sides[0].answer
    assert result.result("harms").provisional  # the fact is an open question until a number is given
