"""`framework X: N questions left`: shared facts count as answered in every questionnaire that asks them,
also in questionnaires not (yet) in the assessment; score prints it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from riskwizard.answers import Answer, record_answer
from riskwizard.applicability import bundled_specs
from riskwizard.assessment import open_assessment
from riskwizard.loader import find_questionnaire, samples_dir
from riskwizard.progress import progress_report, questions_left

AIA = find_questionnaire("canada-aia")


def _copy(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    shutil.copyfile(samples_dir() / f"{name}.yaml", path)
    return path


def test_a_complete_assessment_has_nothing_left() -> None:
    a = open_assessment(samples_dir() / "benefit-triage-canada.yaml")
    progress = {p.questionnaire_id: p for p in questions_left(a.doc, a.specs)}
    assert set(progress) == {"eu-ai-act", "canada-aia"}
    for p in progress.values():
        assert p.left == 0 and p.answered == p.visible > 0
    result = a.evaluate()
    assert progress["canada-aia"].visible == result.result("canada-aia").visible  # the same questions as score
    # the AIA asks five shared facts; lifecycle_stage is also asked by the EU AI Act
    assert progress["canada-aia"].shared_answered == 5


def test_facts_from_other_questionnaires_count_in_a_framework_not_yet_added() -> None:
    a = open_assessment(samples_dir() / "cv-screening.yaml")  # EU AI Act, harms, bias-sources, error-costs
    keys_before = set(a.doc.answers)
    (aia,) = questions_left(a.doc, [AIA])
    assert set(a.doc.answers) == keys_before  # counting does not add the questionnaire to the document
    answered_facts = {AIA.fact_of[q] for q in AIA.fact_of if AIA.fact_of[q] in a.doc.facts}
    assert answered_facts == {"lifecycle_stage", "decision_automation", "contest_route"}
    assert aia.answered == aia.shared_answered == 3
    assert aia.left == aia.visible - 3
    # one more shared fact answered elsewhere: one question fewer left in the AIA
    a.doc.facts["personal_data"] = Answer(value="no")
    (after,) = questions_left(a.doc, [AIA])
    assert after.answered == 4 and after.shared_answered == 4
    a.doc.facts["personal_data"] = Answer(value="yes")  # shows the four follow-up questions on personal information
    (shown,) = questions_left(a.doc, [AIA])
    assert shown.visible == after.visible + 4 and shown.left == after.left + 4


def test_dont_know_is_still_left() -> None:
    a = open_assessment(samples_dir() / "benefit-triage-canada.yaml")
    record_answer(a.doc, "canada-aia", AIA.question("recourse"), unknown=True)  # a shared fact: don't know offered
    (p,) = [x for x in questions_left(a.doc, a.specs) if x.questionnaire_id == "canada-aia"]
    assert p.left == 1 and p.line.startswith("framework canada-aia: 1 question left (")
    assert p.shared_answered == 4


def test_other_frameworks_ruled_out_by_their_scope_facts_are_not_listed() -> None:
    a = open_assessment(samples_dir() / "cv-screening.yaml")  # has_paper no, deployer only, canada_federal open
    done, others = progress_report(a.doc, a.specs, bundled_specs())
    assert [p.questionnaire_id for p in done] == [s.id for s in a.specs]
    listed = {p.questionnaire_id for p in others}
    assert "canada-aia" in listed  # undecided: canada_federal is not answered
    assert "neurips-broader-impact" not in listed  # no paper (whatever venue, still open, it would name)
    assert "acl-responsible-nlp" not in listed
    a.doc.facts["canada_federal"] = Answer(value="no")
    assert "canada-aia" not in {p.questionnaire_id for p in progress_report(a.doc, a.specs, bundled_specs())[1]}


def _rw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, timeout=120)


def test_score_prints_questions_left(tmp_path: Path) -> None:
    path = _copy(tmp_path, "cv-screening")
    done = _rw("score", str(path), "--no-trace")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("Questions left (a shared fact answered once counts in every questionnaire):")
    block = lines[start + 1:]
    assert block[0].startswith("  framework eu-ai-act: 0 questions left (")
    aia_line = next(x for x in block if "framework canada-aia:" in x)
    (aia,) = questions_left(open_assessment(path).doc, [AIA])
    assert aia_line == f"  {aia.line}; not in this assessment"
    data = json.loads(_rw("score", str(path), "--json").stdout)
    assert {p["questionnaire_id"] for p in data["progress"]} == {s.id for s in open_assessment(path).specs}
    assert any(p["questionnaire_id"] == "canada-aia" and p["left"] == aia.left for p in data["progress_other"])


def test_new_suggests_the_aia_only_for_a_federal_use(tmp_path: Path) -> None:
    federal = tmp_path / "federal.yaml"
    out = _rw("new", str(federal), "--stage", "deployment", "--role", "deployer", "--no-paper", "--canada-federal")
    assert out.returncode == 0, out.stderr
    assert "canada-aia" in open_assessment(federal).doc.answers or any(
        r.id == "canada-aia" for r in open_assessment(federal).doc.questionnaires)
    other = tmp_path / "other.yaml"
    out = _rw("new", str(other), "--stage", "deployment", "--role", "deployer", "--no-paper", "--not-canada-federal")
    assert out.returncode == 0, out.stderr
    assert "  - canada-aia" in out.stdout
    assert all(r.id != "canada-aia" for r in open_assessment(other).doc.questionnaires)
    undecided = tmp_path / "undecided.yaml"
    out = _rw("new", str(undecided), "--stage", "deployment", "--role", "deployer", "--no-paper")
    assert all(r.id != "canada-aia" for r in open_assessment(undecided).doc.questionnaires)
    # a federal file made by `new` already counts its scope facts in the AIA
    (p,) = [x for x in questions_left(open_assessment(federal).doc, open_assessment(federal).specs)
            if x.questionnaire_id == "canada-aia"]
    assert p.shared_answered == 2  # canada_federal and lifecycle_stage (project_phase)


def test_new_takes_the_venue_and_suggests_only_its_checklist(tmp_path: Path) -> None:
    acl = tmp_path / "acl.yaml"
    out = _rw("new", str(acl), "--stage", "development", "--role", "provider", "--venue", "acl")
    assert out.returncode == 0, out.stderr
    a = open_assessment(acl)
    ids = [s.id for s in a.specs]
    assert "acl-responsible-nlp" in ids and "neurips-broader-impact" not in ids
    assert a.doc.facts["has_paper"].value == "yes"  # a venue means a paper
    assert a.doc.facts["paper_venue"].value == ["acl"]
    assert "  - neurips-broader-impact" in out.stdout and "paper_venue" in out.stdout
    # the NeurIPS checklist stays listed as a framework that does not apply: its venue was not named
    _done, others = progress_report(a.doc, a.specs, bundled_specs())
    assert "neurips-broader-impact" not in {p.questionnaire_id for p in others}
    both = tmp_path / "both.yaml"
    out = _rw("new", str(both), "--stage", "development", "--role", "provider", "--venue", "neurips",
              "--venue", "acl")
    assert out.returncode == 0, out.stderr
    assert {"acl-responsible-nlp", "neurips-broader-impact"} <= {s.id for s in open_assessment(both).specs}


def test_new_refuses_a_venue_without_a_paper(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    out = _rw("new", str(target), "--no-paper", "--venue", "acl")
    assert out.returncode == 2
    assert "--venue" in out.stderr and "--no-paper" in out.stderr and "Traceback" not in out.stderr
    assert not target.exists()


def test_a_paper_whose_venue_is_open_may_still_need_the_acl_checklist() -> None:
    a = open_assessment(samples_dir() / "llm-paper.yaml")
    acl = next(s for s in bundled_specs() if s.id == "acl-responsible-nlp")
    neurips = [s for s in a.specs if s.id == "neurips-broader-impact"]
    del a.doc.facts["paper_venue"]
    _done, others = progress_report(a.doc, neurips, [acl])
    assert [p.questionnaire_id for p in others] == ["acl-responsible-nlp"]  # undecided: the venue is open
    a.doc.facts["paper_venue"] = Answer(value=["neurips"])
    assert progress_report(a.doc, neurips, [acl])[1] == []  # decided: not an *ACL paper
