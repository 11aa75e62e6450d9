"""The report shows the application dates of the law as published and of an amendment side by side, and
one data edit (the amendment's status and OJ reference) switches which date applies (issue #16 item 5)."""

from __future__ import annotations

from pathlib import Path

from riskwizard.assessment import open_assessment
from riskwizard.loader import find_questionnaire, load_questionnaire
from riskwizard.reports.markdown import render_md
from riskwizard.reports.model import build_model

from .conftest import SAMPLES

ANNEX_III = "High-risk obligations for Annex III systems (Chapter III Sections 1-3)"
DEPLOYER_DUTY = "Use according to instructions, with human oversight"  # Art 26, dated by the Annex III entry


def _row(model: dict, title: str) -> tuple[list[str], dict]:
    tl = next(t for t in model["obligations"]["timelines"] if t["questionnaire"].startswith("EU AI Act"))
    return [a["id"] for a in tl["acts"]], next(r for r in tl["rows"] if r["title"] == title)


def _published(tmp_path: Path) -> Path:
    """eu-ai-act with the Digital Omnibus switched to published: the one data edit."""
    text = Path(find_questionnaire("eu-ai-act").path).read_text(encoding="utf-8")
    old = '  - id: digital_omnibus_ai\n'
    start = text.index(old)
    block_end = text.index('    oj_reference: ""\n', start) + len('    oj_reference: ""\n')
    block = text[start:block_end]
    assert "    status: adopted\n" in block
    block = block.replace("    status: adopted\n", "    status: published\n").replace(
        '    oj_reference: ""\n', '    oj_reference: "OJ L, 2026/9999, 1.1.2027"\n')
    path = tmp_path / "eu-ai-act.yaml"
    path.write_text(text[:start] + block + text[block_end:], encoding="utf-8")
    return path


def test_both_timelines_side_by_side_and_one_edit_switches_them(tmp_path: Path) -> None:
    a = open_assessment(SAMPLES / "cv-screening.yaml", strict=False)
    model = build_model(a.doc, a.specs)
    acts, row = _row(model, ANNEX_III)
    assert acts == ["ai_act", "digital_omnibus_ai"]
    assert row["dates"] == [{"date": "2026-08-02", "applies": True}, {"date": "2027-12-02", "applies": False}]
    md = render_md(model)
    assert "| Provision | AI Act (Regulation (EU) 2024/1689) as published (OJ L, 2024/1689, 12.7.2024) | Digital " \
           "Omnibus on AI (adopted, not yet published in the Official Journal) |" in md
    assert f"| {ANNEX_III} | **2026-08-02** (applies) | 2027-12-02 |" in md
    duty = next(o for o in model["obligations"]["rows"] if o["title"] == DEPLOYER_DUTY)
    assert duty["applies_from"] == "2026-08-02"

    amended = load_questionnaire(_published(tmp_path))
    specs = [amended if s.id == "eu-ai-act" else s for s in a.specs]
    model = build_model(a.doc, specs)
    _, row = _row(model, ANNEX_III)
    assert row["dates"] == [{"date": "2026-08-02", "applies": False}, {"date": "2027-12-02", "applies": True}]
    assert row["applies_from"] == "2027-12-02"
    duty = next(o for o in model["obligations"]["rows"] if o["title"] == DEPLOYER_DUTY)
    assert duty["applies_from"] == "2027-12-02"
    md = render_md(model)
    assert f"| {ANNEX_III} | 2026-08-02 | **2027-12-02** (applies) |" in md
    assert "not yet published" not in md.split("side by side:")[1].split("\n\n")[1]  # both acts are law now


def test_the_summary_says_how_many_obligations_an_unpublished_act_would_move() -> None:
    a = open_assessment(SAMPLES / "cv-screening.yaml", strict=False)
    model = build_model(a.doc, a.specs)
    moved = [o for o in model["obligations"]["rows"] if o["pending"]]
    assert moved and {p["date"] for o in moved for p in o["pending"]} == {"2027-12-02"}
    sentence = model["summary"]["deadlines"]["pending"]
    assert sentence.startswith(f"The Digital Omnibus on AI (adopted, not yet published in the Official Journal) "
                               f"would move {len(moved)} of these obligations to 2 December 2027;")
    assert f"**{sentence}**" in render_md(model)
    assert all(not o["pending"] for o in model["obligations"]["rows"] if o["title"] == "AI literacy of staff")
