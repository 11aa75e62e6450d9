"""The bundled questionnaires: they load, cite their sources, and every rule can fire."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.engine import AnswerView, evaluate
from riskwizard.loader import bundled_paths, load_questionnaire
from riskwizard.qtest import load_cases, spec_for_case
from riskwizard.yamlsafe import load_yaml_file

REQUIRED = ["eu-ai-act", "harms", "bias-sources", "error-costs", "neurips-broader-impact", "research-ethics",
            "model-card", "canada-aia", "acl-responsible-nlp"]
RULE_FIXTURES = Path(__file__).resolve().parent.parent / "questionnaires" / "tests"  # the shipped test cases
BUNDLED = bundled_paths()


def test_all_required_questionnaires_are_bundled() -> None:
    assert sorted(BUNDLED) == sorted(REQUIRED)


@pytest.mark.parametrize("qid", REQUIRED)
def test_questionnaire_loads_and_cites(qid: str) -> None:
    spec = load_questionnaire(BUNDLED[qid])
    assert spec.id == qid
    assert spec.model.sources
    for q in spec.questions():
        assert q.source.strip(), f"{qid}/{q.id} has no source"
        assert q.help.strip() or q.why.strip(), f"{qid}/{q.id} has neither help nor why"
    for rule in spec.model.rules:
        # a rule may only add to a score (canada-aia gives each scored answer its own rule)
        assert rule.finding is not None or rule.tier is not None or rule.flags or rule.score, rule.id
        if rule.finding:
            assert rule.finding.citation.strip()


def _rule_cases() -> list[tuple[str, str]]:
    cases = []
    for qid in REQUIRED:
        path = RULE_FIXTURES / f"{qid}.yaml"
        if path.exists():  # cases named after a rule; the scenario cases run in tests/test_qtest.py
            rules = {r.id for r in load_questionnaire(BUNDLED[qid]).model.rules}
            cases += [(qid, rid) for rid in load_yaml_file(path).data if rid in rules]
    return cases


@pytest.mark.parametrize("qid", REQUIRED)
def test_every_rule_has_a_fixture(qid: str) -> None:
    spec = load_questionnaire(BUNDLED[qid])
    fixtures = load_yaml_file(RULE_FIXTURES / f"{qid}.yaml").data
    missing = [r.id for r in spec.model.rules if r.id not in fixtures]
    assert not missing, f"rules without a fixture: {missing}"


@pytest.mark.parametrize(("qid", "rule_id"), _rule_cases())
def test_rule_fires_on_its_fixture(qid: str, rule_id: str) -> None:
    spec = load_questionnaire(BUNDLED[qid])
    case = next(c for c in load_cases(spec, RULE_FIXTURES / f"{qid}.yaml") if c.id == rule_id)  # answers checked
    case_spec = spec_for_case(spec, case)
    result = evaluate(case_spec, case.answers, AnswerView(case_spec, case.answers, case.measured))
    assert rule_id in {t.rule_id for t in result.trace}
    if "tier" in case.expect:
        assert result.tier is not None and result.tier.id == case.expect["tier"]
