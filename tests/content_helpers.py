"""Helpers shared by the questionnaire content tests."""

from __future__ import annotations

from pathlib import Path

from riskwizard.answers import Answer
from riskwizard.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
PARTS = ROOT / "samples" / "parts"
SAMPLES = ["benefit-triage-canada", "cv-screening", "face-recognition-station", "llm-paper", "medical-imaging"]


def spec_for(qid: str):
    return load_questionnaire(QUESTIONNAIRES / f"{qid}.yaml")


def A(value=None, unknown: bool = False) -> Answer:  # noqa: N802 - short helper for readability
    return Answer(value=value, unknown=unknown)


def fired(result) -> set[str]:
    return {t.rule_id for t in result.trace}


def finding_ids(result) -> set[str]:
    return {f.rule_id for f in result.findings}


def part(sample: str, qid: str) -> dict[str, Answer]:
    """A sample's answers to one questionnaire, as the engine sees them: the questionnaire's own part
    plus the sample's shared facts (samples/parts/<sample>/facts.yaml) under the questionnaire's ids."""
    from riskwizard.answermap import FACT_KEY
    from riskwizard.yamlsafe import load_yaml_file

    spec = spec_for(qid)
    own = load_yaml_file(PARTS / sample / f"{qid}.yaml").data or {}
    facts = load_yaml_file(PARTS / sample / "facts.yaml").data or {}
    for key, raw in [*own.items(), *facts.items()]:
        assert set(raw) <= {"value", "note", "unknown"}, (sample, qid, key)
    answers = {k: Answer(**v) for k, v in own.items()}
    for fid, raw in facts.items():
        local = spec.local_of.get(fid)
        if local is not None:
            answers[local] = Answer(**raw)
        elif fid in spec.reads:
            answers[FACT_KEY + fid] = Answer(**raw)
    return answers


def own_keys(sample: str, qid: str) -> list[str]:
    """The questions a sample answers in its part for this questionnaire (not its shared facts)."""
    from riskwizard.yamlsafe import load_yaml_file

    return list(load_yaml_file(PARTS / sample / f"{qid}.yaml").data or {})


def has_part(sample: str, qid: str) -> bool:
    return (PARTS / sample / f"{qid}.yaml").exists()


def sample_parts(ids: list[str]) -> list[tuple[str, str]]:
    """(sample, questionnaire) for every part the samples have among these questionnaires."""
    return [(s, q) for s in SAMPLES for q in ids if has_part(s, q)]
