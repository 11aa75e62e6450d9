"""`riskwizard upgrade` (issue #16, item 7): answers given to an older questionnaire version are re-scored
against the bundled one; the plan lists what moved, the file is rewritten with a backup, nothing is lost.
Old versions are real files: a changed copy of a bundled questionnaire and the v1 fixtures."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from riskwizard.answers import load_answers
from riskwizard.assessment import open_assessment
from riskwizard.loader import find_questionnaire
from riskwizard.version_upgrade import upgrade_assessment

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "fixtures" / "v1"
CANADA = ROOT / "questionnaires" / "canada-aia.yaml"
EXTRA = """      - id: old_only
        type: text
        prompt: "A question of the old version that the new one dropped"
"""


def rw(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.fixture
def old_canada(tmp_path: Path) -> Path:
    """An older canada-aia: version 0.9.0, one extra question, and the AIA duty dated a year earlier;
    answers given to it (recorded by path, as `riskwizard new -q FILE` does)."""
    folder = tmp_path / "old"
    folder.mkdir()
    text = CANADA.read_text()
    bundled = find_questionnaire("canada-aia").version
    text = text.replace(f'version: "{bundled}"', 'version: "0.9.0"', 1)
    text = text.replace("    questions:\n", "    questions:\n" + EXTRA, 1)
    assert text.count("old_only") == 1
    assert text.count('applies_from: "2020-04-01"') == 1
    text = text.replace('applies_from: "2020-04-01"', 'applies_from: "2019-04-01"')
    (folder / "canada-aia.yaml").write_text(text)
    answers = tmp_path / "a.yaml"
    done = rw("new", str(answers), "-q", str(folder / "canada-aia.yaml"), "--name", "Benefits triage")
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(answers.read_text())
    data["answers"]["canada-aia"] = {"old_only": {"value": "kept whatever happens"},
                                     "public_scrutiny": {"value": "no"}}
    answers.write_text(yaml.safe_dump(data, sort_keys=False))
    return answers


def test_dry_run_lists_what_moves_and_writes_nothing(old_canada: Path) -> None:
    before = old_canada.read_bytes()
    done = rw("upgrade", str(old_canada), "--dry-run")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    bundled = find_questionnaire("canada-aia").version
    assert f"canada-aia: 0.9.0 -> {bundled}" in out
    assert "orphaned (kept in `orphaned`): old_only (no question `old_only` in canada-aia" in out
    assert "date of Complete and publish the official AIA: 2019-04-01 -> 2020-04-01" in out
    assert "+      reason: no question `old_only`" in out, "the diff shows the answer moving to `orphaned`"
    assert "dry run, nothing written" in out
    assert old_canada.read_bytes() == before
    assert sorted(p.name for p in old_canada.parent.iterdir()) == ["a.yaml", "old"]


def test_upgrade_writes_keeps_a_backup_and_loses_nothing(old_canada: Path) -> None:
    before = old_canada.read_bytes()
    done = rw("upgrade", str(old_canada))
    assert done.returncode == 0, done.stderr
    backup = old_canada.with_name("a.yaml.before-upgrade.bak")
    assert backup.read_bytes() == before
    assert "the old file is kept as" in done.stdout
    doc, _ = load_answers(old_canada)
    ref = doc.ref("canada-aia")
    bundled = find_questionnaire("canada-aia")
    assert (ref.version, ref.sha256, ref.path) == (bundled.version, bundled.sha256, "")
    orphan = doc.orphaned["canada-aia"]["old_only"]
    assert orphan.value == "kept whatever happens" and orphan.questionnaire_version == "0.9.0"
    assert "no question `old_only`" in orphan.reason
    assert doc.answers["canada-aia"]["public_scrutiny"].value == "no"
    again = rw("upgrade", str(old_canada))  # the file now opens with the bundled version alone
    assert again.returncode == 0 and "nothing to upgrade" in again.stdout
    assert rw("validate", str(old_canada)).returncode == 0


def test_v1_fixtures_upgrade_reports_tier_findings_and_new_questions(tmp_path: Path) -> None:
    path = tmp_path / "llm.yaml"
    shutil.copy(V1 / "samples" / "llm-paper.yaml", path)
    old = open_assessment(path, [V1], strict=False)
    plan = upgrade_assessment(old)
    moves = {m.id: m for m in plan.moves}
    assert set(moves) == set(old.recorded), "every v1 questionnaire has a newer bundled version"
    assert all(m.old_available for m in moves.values())
    assert any("has_paper" in q and "(new question)" in q for q in moves["research-ethics"].to_answer)
    # every tier that moved is the engine's own before/after
    from riskwizard.engine import evaluate_assessment

    before, after = evaluate_assessment(old.doc, old.specs), evaluate_assessment(plan.doc, plan.specs)
    for m in moves.values():
        t_old, t_new = before.result(m.id).tier, after.result(m.id).tier
        title = (t_old.title if t_old else "none", t_new.title if t_new else "none")
        assert m.tier == (title if title[0] != title[1] else None)
    assert old.doc.ref("harms").version == "1.0.1" or old.recorded["harms"] == "1.0.1"


def test_v1_upgrade_via_cli_keeps_every_old_answer(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    shutil.copy(V1 / "samples" / "cv-screening.yaml", path)
    old_text = path.read_text()
    done = rw("-Q", str(V1), "upgrade", str(path))
    assert done.returncode == 0, done.stderr
    assert path.with_name("cv.yaml.v1.bak").read_text() == old_text, "format 1: the v1 backup is the backup"
    assert "bias-sources: 1.0.0 -> " in done.stdout and "label_source" in done.stdout
    assessment = open_assessment(path)  # the bundled versions only, as the file now says
    doc = assessment.doc
    old = yaml.safe_load(old_text)["answers"]
    for qid, answers in old.items():
        spec = next(s for s in assessment.specs if s.id == qid)
        for key in answers:
            target = spec.lift.get(key, (key, None))[0]
            fact = spec.fact_of.get(target)
            kept = (doc.answers_for(qid).get(target) is not None or key in doc.orphaned.get(qid, {})
                    or (fact is not None and any(e.questionnaire == qid and e.question == key
                                                 for e in doc.conflicts.get(fact, []))))
            assert kept, f"{qid}/{key} lost"
    assert rw("validate", str(path)).returncode in (0, 1)


def test_pinned_copy_beside_the_file_is_refused_before_writing(tmp_path: Path) -> None:
    beside = tmp_path / "questionnaires"
    beside.mkdir()
    shutil.copy(V1 / "harms.yaml", beside / "harms.yaml")
    path = tmp_path / "a.yaml"
    done = rw("new", str(path), "-q", str(beside / "harms.yaml"))
    assert done.returncode == 0, done.stderr
    before = path.read_bytes()
    refused = rw("upgrade", str(path))
    assert refused.returncode == 2 and "questionnaires/harms.yaml" in refused.stderr
    assert "-Q THAT_FOLDER upgrade" in refused.stderr and "Traceback" not in refused.stderr
    assert path.read_bytes() == before


def test_current_file_has_nothing_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    shutil.copy(ROOT / "samples" / "llm-paper.yaml", path)
    before = path.read_bytes()
    done = rw("upgrade", str(path))
    assert done.returncode == 0 and "nothing to upgrade" in done.stdout
    assert path.read_bytes() == before


def test_bad_input_gets_location_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("format: riskwizard-answers/2\nquestionnaires: [\n")
    done = rw("upgrade", str(path))
    assert done.returncode == 2 and "a.yaml:" in done.stderr and "Traceback" not in done.stderr
    missing = rw("upgrade", str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
