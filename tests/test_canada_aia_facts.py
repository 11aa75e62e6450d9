"""The Canada AIA on shared facts: the same situation scores the same points and the same level as
before the conversion.

`tests/fixtures/canada-aia-1.0.1.yaml` is the questionnaire as it was before it asked shared facts
(its own project_phase, automation_level full/partial, personal_information and recourse). The
answer sets of tests/test_canada_aia.py, the benefit-triage fixture and a few mixed ones are scored
with both; the new one is also fed its facts from another questionnaire (harms), as a user who did
that one first would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_canada_aia import CASES, MAXIMUM, MINIMUM, MITIGATION_62, RAW_42, RAW_84

from riskwizard.answers import Answer, load_answers, new_doc
from riskwizard.engine import evaluate, evaluate_assessment
from riskwizard.loader import find_questionnaire, load_questionnaire

FIXTURES = Path(__file__).parent / "fixtures"
OLD = load_questionnaire(FIXTURES / "canada-aia-1.0.1.yaml")
NEW = find_questionnaire("canada-aia")
HARMS = find_questionnaire("harms")

# the old answers in the shared facts' options (the questionnaire's `replaces:` maps say the same)
TO_FACT = {"automation_level": {"full": "automated", "partial": "advisory"},
           "project_phase": {"implementation": "deployment", "design": "design"}}


def translated(answers: dict[str, Any]) -> dict[str, Any]:
    return {q: TO_FACT.get(q, {}).get(v, v) if isinstance(v, str) else v for q, v in answers.items()}


def old_answers(answers: dict[str, Any]) -> dict[str, Any]:
    back = {q: {new: old for old, new in m.items()} for q, m in TO_FACT.items()}
    return {q: back.get(q, {}).get(v, v) if isinstance(v, str) else v for q, v in answers.items()}


def outcome(spec: Any, answers: dict[str, Any]) -> tuple[Any, ...]:
    r = evaluate(spec, {q: Answer(value=v) for q, v in answers.items()})
    return (r.scores, r.derived["aia.current"], round(r.derived["aia.percent"], 4), r.tier.id,
            sorted(f.rule_id for f in r.findings), sorted(o.id for o in r.obligations))


MIXED = {  # not at a boundary: design phase, partial automation, no personal information, no recourse
    **old_answers(RAW_42), **MITIGATION_62, "project_phase": "design", "automation_level": "partial",
    "personal_information": "no", "recourse": "no"}
SETS = [(name, old_answers(a)) for name, a, *_ in CASES] + [
    ("mixed, design", MIXED),
    ("maximum, partial automation", {**MAXIMUM, "automation_level": "partial", "project_phase": "implementation"}),
    ("level III, recourse", old_answers({**RAW_84, "recourse": "yes", "personal_information": "yes"})),
]


@pytest.mark.parametrize(("name", "answers"), SETS, ids=[s[0] for s in SETS])
def test_same_situation_same_points_and_level(name: str, answers: dict[str, Any]) -> None:
    before = outcome(OLD, answers)
    after = outcome(NEW, translated(answers))
    assert after == before
    assert before[3] in {"level_i", "level_ii", "level_iii", "level_iv"}


def test_the_levels_covered_are_all_four() -> None:
    assert {outcome(OLD, a)[3] for _, a in SETS} == {"level_i", "level_ii", "level_iii", "level_iv"}


def test_indirect_scores_like_the_aias_partial() -> None:
    # the fact has four options, the AIA two weights: indirect is "supports the decision-maker" (2)
    for base in (MINIMUM, RAW_42, RAW_84):
        partial = outcome(OLD, {**old_answers(base), "automation_level": "partial"})
        assert outcome(NEW, {**translated(base), "automation_level": "indirect"}) == partial
    assert outcome(NEW, {**MINIMUM, "automation_level": "none"})[0] == outcome(OLD, MINIMUM)[0]  # 0, like unanswered


def test_facts_answered_in_another_questionnaire_score_in_the_aia() -> None:
    # harms asks decision_automation (as human_in_loop) and contest_route (as recourse): a user who
    # answered harms first gets the AIA's automation and recourse questions answered, with their points
    doc = new_doc([HARMS, NEW])
    doc.answers_for("harms")["output_kind"] = Answer(value=["allocates"])
    doc.answers_for("harms")["human_in_loop"] = Answer(value="automated")
    doc.answers_for("harms")["recourse"] = Answer(value="yes")
    for q, v in translated({k: v for k, v in RAW_84.items() if k not in ("automation_level", "recourse")}).items():
        doc.answers_for("canada-aia")[q] = Answer(value=v)
    (result,) = [r for r in evaluate_assessment(doc, [HARMS, NEW]).results if r.questionnaire_id == "canada-aia"]
    expected = outcome(OLD, {**old_answers(RAW_84), "recourse": "yes"})
    assert (result.scores, result.tier.id) == (expected[0], expected[3])
    assert "automation_level" not in doc.answers["canada-aia"].local and doc.facts["decision_automation"]


def test_fixture_scores_the_same_with_both() -> None:
    doc, _ = load_answers(FIXTURES / "canada-aia-benefits.yaml")  # format 1: the old question ids and options
    raw = {q: a.value for q, a in doc.answers["canada-aia"].local.items() if q != "canada_federal"}
    before = outcome(OLD, raw)
    assert before[:4] == ({"raw_impact": 61, "mitigation": 67}, 52, round(52 / 167 * 100, 4), "level_ii")
    assert outcome(NEW, translated(raw)) == before


def test_only_the_fact_questions_changed() -> None:
    old = {q.id: q for q in OLD.questions()}
    new = {q.id: q for q in NEW.questions()}
    assert set(new) - set(old) == {"canada_federal"}
    assert set(old) == set(new) - {"canada_federal"}
    assert set(NEW.fact_of) == {"canada_federal", "project_phase", "automation_level", "personal_information",
                                "recourse"}
    for qid, q in old.items():
        if qid not in NEW.fact_of:
            assert new[qid] == q, qid
    old_rules = {r.id: r for r in OLD.model.rules}
    new_rules = {r.id: r for r in NEW.model.rules}
    changed = {"automation_level-full", "automation_level-partial"}
    assert set(old_rules) - set(new_rules) == changed
    assert set(new_rules) - set(old_rules) == {"automation_level-automated", "automation_level-advisory",
                                               "automation_level-indirect"}
    for rid in set(old_rules) - changed - {"full_automation_at_high_level"}:
        assert new_rules[rid] == old_rules[rid], rid


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_summary_shows_each_frameworks_result(tmp_path: Path, fmt: str) -> None:
    """The executive summary of the federal sample names the EU AI Act tier and the AIA impact level
    the engine computed (not only the overall EU AI Act tier)."""
    import re

    from riskwizard.assessment import open_assessment
    from riskwizard.loader import samples_dir
    from riskwizard.reports import export_file

    sample = samples_dir() / "benefit-triage-canada.yaml"
    result = open_assessment(sample).evaluate()
    out = tmp_path / f"report.{fmt}"
    export_file(sample, fmt, out)
    text = out.read_text(encoding="utf-8")
    start = re.search(r"What the (decision rests on|committee must decide)", text).start()  # 1.1, after the contents
    end = re.search(r"Findings by theme", text[start:])
    summary = text[start:start + end.start()]  # 1.1 and 1.2 Result: the tier and each framework's result
    for qid in ("eu-ai-act", "canada-aia"):
        r = result.result(qid)
        assert r.tier.title in summary, (qid, r.tier.title)
    assert result.result("canada-aia").tier.title.startswith("Level II")
