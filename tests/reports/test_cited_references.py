"""Appendix C's compact list holds the works the findings and obligations cite, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.reports.model import build_model
from riskwizard.reports.references import mark_cited

AI_ACT = ("Regulation (EU) 2024/1689 of the European Parliament and of the Council of 13 June 2024 laying down "
          "harmonised rules on artificial intelligence (Artificial Intelligence Act)")
OMNIBUS = ("Digital Omnibus on AI: Regulation amending Regulations (EU) 2024/1689, (EU) 2018/1139 and (EU) 2023/1230 "
           "as regards the simplification of the implementation of harmonised rules on artificial intelligence")
MDR = "Regulation (EU) 2017/745 on medical devices (MDR), Annex I General Safety and Performance Requirements 1-4"
GDPR = "Regulation (EU) 2016/679 (General Data Protection Regulation), Art 4(4) (definition of profiling)"
CHARTER = "Charter of Fundamental Rights of the European Union (2012/C 326/02), Art 21 (non-discrimination)"
ECHR = "European Convention on Human Rights, Art 5 (liberty and security) and Art 6 (fair trial)"
GUIDELINES = ("European Commission, Guidelines on prohibited artificial intelligence practices established by "
              "Regulation (EU) 2024/1689, C(2025) 884 final")
AGG = "Allgemeines Gleichbehandlungsgesetz (AGG, German General Act on Equal Treatment, 2006), sections 1, 3 and 19."
LECTURE = "Kaestner, C. Machine Learning in Production, lecture 'Responsible ML Engineering': sources of bias."
PAPER = "Mitchell, M. et al. (2019). Model Cards for Model Reporting. FAT* 2019."
ALL = [AI_ACT, OMNIBUS, MDR, GDPR, CHARTER, ECHR, GUIDELINES, AGG, LECTURE, PAPER]


def _cited(citations: list[str]) -> set[str]:
    refs = [{"citation": c} for c in ALL]
    mark_cited(refs, citations)
    return {r["citation"] for r in refs if r["cited"]}


@pytest.mark.parametrize(("citations", "expected"), [
    (["AI Act Art 50(1), Recital 132"], {AI_ACT}),  # not the act amending it, not guidelines under it
    (["EU Charter Art 21"], {CHARTER}),  # "(EU)" in a regulation's title is not a citation of it
    (["Charter Art 48", "ECHR Art 5"], {CHARTER, ECHR}),
    (["GDPR Art 22(3)"], {GDPR}),
    (["MDR Annex I GSPR 1-4"], {MDR}),
    (["AGG sections 1, 19, 22"], {AGG}),
    (["Kaestner, 'Tainted labels'; Dastin (2018)"], {LECTURE}),  # a work without a year: by its author
    (["Mitchell et al. (2019)"], {PAPER}),
    (["Mitchell et al. (2020)"], set()),  # the same author, another year: another work
    (["Digital Omnibus on AI, Art 1(40)"], {OMNIBUS}),
])
def test_a_reference_is_cited_only_by_its_own_name(citations: list[str], expected: set[str]) -> None:
    assert _cited(citations) == expected


def test_cv_screening_lists_the_charter_and_not_the_medical_device_regulation() -> None:
    path = Path(__file__).resolve().parents[2] / "samples" / "cv-screening.yaml"
    a = open_assessment(path, strict=False)
    model = build_model(a.doc, a.specs)
    cited = [r["citation"] for r in model["references"] if r["cited"]]
    assert any(c.startswith("Charter of Fundamental Rights") for c in cited)
    assert not any(c.startswith("Regulation (EU) 2017/745") for c in cited)  # a CV screener is no medical device
    assert not any(c.startswith("Digital Omnibus") for c in cited)
