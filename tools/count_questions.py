"""How many questions a user answers for each whole sample assessment, before and after shared facts.

Before: the sample as it was in format 1 (tests/fixtures/v1/samples) with the questionnaires as they
were (tests/fixtures/v1/*.yaml): every question shown, questionnaire by questionnaire, plus the stage
asked when the file was created. After: the sample as bundled now: each question shown counted once,
a shared fact once however many questionnaires show it, plus the facts given when the file was
created that no questionnaire shows. The middle column keeps all seven questionnaires of the old
sample (its answers upgraded) to separate what sharing facts saves from what leaving out the
questionnaires that do not apply saves. benefit-triage-canada (EU AI Act and Canada AIA) was made after
shared facts: its "before" shows its answers in the EU AI Act of format 1 and the Canada AIA 1.0.1, each
asking its own copy of the facts.

    python tools/count_questions.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskwizard.answers import load_answers  # noqa: E402
from riskwizard.assessment import open_assessment  # noqa: E402
from riskwizard.engine import AnswerView  # noqa: E402
from riskwizard.loader import load_questionnaire  # noqa: E402

V1 = ROOT / "tests" / "fixtures" / "v1"
SAMPLES = ["cv-screening", "face-recognition-station", "llm-paper", "medical-imaging"]
# samples made after shared facts: "before" is the same answers in the questionnaires as they were
# before they shared facts (each fact asked again by every questionnaire that needs it)
OLD_QUESTIONNAIRES = {"eu-ai-act": V1 / "eu-ai-act.yaml",
                      "canada-aia": ROOT / "tests" / "fixtures" / "canada-aia-1.0.1.yaml"}
NEW_SAMPLES = ["benefit-triage-canada"]


def before(name: str) -> tuple[int, int]:
    doc, _ = load_answers(V1 / "samples" / f"{name}.yaml")  # read in the new layout; answers unchanged
    specs = [load_questionnaire(V1 / f"{ref.id}.yaml") for ref in doc.questionnaires]
    shown = sum(len(AnswerView(s, doc.answers[s.id].local).visible_questions()) for s in specs)
    return shown + 1, len(specs)  # + the stage, asked by `new`


def before_new(name: str) -> tuple[int, int]:
    now = open_assessment(ROOT / "samples" / f"{name}.yaml")
    old = [load_questionnaire(OLD_QUESTIONNAIRES[s.id]) for s in now.specs]
    # the old questionnaires kept the local ids the facts are now asked under, so the same answers show them
    shown = sum(len(AnswerView(o, now.doc.answers_for(o.id)).visible_questions()) for o in old)
    return shown + 1, len(old)  # + the stage, asked by `new`


def distinct(assessment) -> int:
    doc, seen = assessment.doc, set()
    for spec in assessment.specs:
        for q in AnswerView(spec, doc.answers_for(spec.id)).visible_questions():
            seen.add(("fact", spec.fact_of[q.id]) if q.id in spec.fact_of else (spec.id, q.id))
    shown_facts = {fid for kind, fid in seen if kind == "fact"}
    given = {fid for fid in doc.facts if fid not in shown_facts}  # answered at `new` (stage, paper, role)
    return len(seen) + len(given)


def main() -> None:
    print(f"{'sample':<26} {'before':>7} {'shared facts, same questionnaires':>34} {'after':>7}  questionnaires")
    totals = [0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        for name in SAMPLES:
            b, old_n = before(name)
            copy = Path(tmp) / f"{name}.yaml"
            shutil.copy(V1 / "samples" / f"{name}.yaml", copy)
            same = distinct(open_assessment(copy, strict=False))
            now = open_assessment(ROOT / "samples" / f"{name}.yaml")
            a = distinct(now)
            totals = [totals[0] + b, totals[1] + same, totals[2] + a]
            print(f"{name:<26} {b:>7} {same:>34} {a:>7}  {old_n} -> {len(now.specs)}")
    print(f"{'all four':<26} {totals[0]:>7} {totals[1]:>34} {totals[2]:>7}")
    for name in NEW_SAMPLES:
        b, old_n = before_new(name)
        a = distinct(open_assessment(ROOT / "samples" / f"{name}.yaml"))
        totals = [totals[0] + b, totals[1] + a, totals[2] + a]
        print(f"{name:<26} {b:>7} {a:>34} {a:>7}  {old_n} -> {old_n}")
    print(f"{f'all {len(SAMPLES) + len(NEW_SAMPLES)}':<26} {totals[0]:>7} {totals[1]:>34} {totals[2]:>7}")


if __name__ == "__main__":
    main()
