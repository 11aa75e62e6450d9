"""The bundled questionnaires: they load, cite their sources, and every rule can fire."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.answers import Answer, check_value
from riskwizard.engine import evaluate
from riskwizard.loader import bundled_paths, load_questionnaire
from riskwizard.yamlsafe import load_yaml_file

REQUIRED = ["eu-ai-act", "harms", "bias-sources", "error-costs", "neurips-broader-impact", "research-ethics",
            "model-card", "canada-aia"]
RULE_FIXTURES = Path(__file__).parent / "fixtures" / "rules"
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


def _answers(raw: dict) -> dict[str, Answer]:
    return {k: Answer(**v) for k, v in (raw or {}).items()}


def _rule_cases() -> list[tuple[str, str]]:
    cases = []
    for qid in REQUIRED:
        path = RULE_FIXTURES / f"{qid}.yaml"
        if path.exists():
            cases += [(qid, rid) for rid in load_yaml_file(path).data]
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
    case = load_yaml_file(RULE_FIXTURES / f"{qid}.yaml").data[rule_id]
    answers = _answers(case.get("answers"))
    for question_id, answer in answers.items():
        if answer.value is not None:
            _, problem = check_value(spec.question(question_id), answer.value)
            assert not problem, f"fixture answer {question_id}: {problem}"
    result = evaluate(spec, answers)
    fired = {t.rule_id for t in result.trace}
    assert rule_id in fired
    if "tier" in case:
        assert result.tier is not None and result.tier.id == case["tier"]
