"""Helpers shared by the questionnaire content tests."""

from __future__ import annotations

from pathlib import Path

from riskwizard.answers import Answer
from riskwizard.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
PARTS = ROOT / "samples" / "parts"
SAMPLES = ["cv-screening", "face-recognition-station", "llm-paper", "medical-imaging"]


def spec_for(qid: str):
    return load_questionnaire(QUESTIONNAIRES / f"{qid}.yaml")


def A(value=None, unknown: bool = False) -> Answer:  # noqa: N802 - short helper for readability
    return Answer(value=value, unknown=unknown)


def fired(result) -> set[str]:
    return {t.rule_id for t in result.trace}


def finding_ids(result) -> set[str]:
    return {f.rule_id for f in result.findings}
