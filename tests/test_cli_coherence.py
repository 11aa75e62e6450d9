"""Class 9: the CLI is coherent. Run for real (subprocesses, real files)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "cv-screening.yaml"
BUNDLED = ROOT / "questionnaires"


def rw(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=180)


@pytest.fixture
def sample(sample_copy: Path) -> Path:
    return sample_copy


def test_unknown_fail_on_tier_is_a_usage_error_listing_the_valid_ids(sample: Path) -> None:
    done = rw("check", sample.name, "--fail-on-tier", "hihg", "--allow-open", cwd=sample.parent)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "hihg" in done.stderr
    for tier in ("prohibited", "high", "limited", "minimal"):
        assert tier in done.stderr
    ok = rw("check", sample.name, "--fail-on-tier", "high", "--fail-on", "critical", "--allow-open",
            cwd=sample.parent)
    assert ok.returncode == 1 and "tier high" in ok.stdout  # a valid id still works as a gate


def _my_questionnaire(folder: Path) -> Path:
    """A questionnaire with an id of its own, and an answers file that uses it by id."""
    folder.mkdir()
    text = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: mine", 1)
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    return folder


def test_export_and_batch_export_honour_q_like_score(tmp_path: Path) -> None:
    qs = _my_questionnaire(tmp_path / "qs")
    answers = tmp_path / "in" / "a.yaml"
    answers.parent.mkdir()
    answers.write_text("format: riskwizard-answers/1\nquestionnaires:\n  - {id: mine, version: '1.0'}\n"
                       "answers:\n  mine:\n    kind: {value: scorer}\n", encoding="utf-8")
    assert rw("score", "in/a.yaml", cwd=tmp_path).returncode == 2  # not found without -Q
    assert rw("-Q", str(qs), "score", "in/a.yaml", cwd=tmp_path).returncode == 0
    single = rw("-Q", str(qs), "export", "in/a.yaml", "-f", "json", "-o", "a.json", cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    assert json.loads((tmp_path / "a.json").read_text())["questionnaires"][0]["id"] == "mine"
    batch = rw("-Q", str(qs), "export", "in", "-f", "json", "-o", "out", "--processes", "1", cwd=tmp_path)
    assert batch.returncode == 0, batch.stderr
    assert (tmp_path / "out" / "a.json").read_bytes() == (tmp_path / "a.json").read_bytes()
    missing = rw("export", "in", "-f", "json", "-o", "out2", cwd=tmp_path)
    assert missing.returncode == 1 and "no questionnaire with id `mine`" in missing.stderr


def test_an_answers_file_naming_a_questionnaire_twice_is_refused_with_its_line(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    lines = text.splitlines()
    first = lines.index("- id: harms")
    twice = text.replace("questionnaires:\n", "questionnaires:\n- id: harms\n  version: 1.0.1\n", 1)
    sample.write_text(twice, encoding="utf-8")
    for command in (["validate"], ["score"], ["export", "-f", "md", "-o", "x.md"]):
        done = rw(command[0], sample.name, *command[1:], cwd=sample.parent)
        assert done.returncode in (1, 2) and done.returncode != 70, done.stderr
        assert f"{sample.name}:{first + 3}:" in done.stderr, done.stderr
        assert "listed twice (first on line" in done.stderr


def test_new_refuses_one_questionnaire_twice(tmp_path: Path) -> None:
    done = rw("new", "n.yaml", "-q", "harms", "-q", str(BUNDLED / "harms.yaml"), cwd=tmp_path)
    assert done.returncode == 2 and "given twice" in done.stderr
    assert not (tmp_path / "n.yaml").exists()


def test_a_user_questionnaire_with_a_bundled_id_names_both_files(sample: Path, tmp_path: Path) -> None:
    qs = tmp_path / "qs"
    qs.mkdir()
    changed = (BUNDLED / "harms.yaml").read_text(encoding="utf-8").replace("title:", "title: Not the bundled", 1)
    (qs / "harms.yaml").write_text(changed, encoding="utf-8")
    for args in (["score", sample.name], ["export", sample.name, "-f", "md", "-o", "x.md"], ["check", sample.name],
                 ["new", "n.yaml", "-q", "harms"]):
        done = rw("-Q", str(qs), *args, cwd=sample.parent)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "two different questionnaires have the id `harms`" in done.stderr
        assert "qs/harms.yaml" in done.stderr and "questionnaires/harms.yaml" in done.stderr
    # an identical copy is no collision
    shutil.copy(BUNDLED / "harms.yaml", qs / "harms.yaml")
    assert rw("-Q", str(qs), "score", sample.name, cwd=sample.parent).returncode == 0


def test_a_pinned_copy_named_by_version_is_no_collision(tmp_path: Path) -> None:
    """Answers recorded against an older copy kept beside them (as the report fixtures do) still load."""
    (tmp_path / "questionnaires").mkdir()
    old = re.sub(r'^version: "[^"]*"', 'version: "0.9.0"', (BUNDLED / "harms.yaml").read_text(encoding="utf-8"),
                 count=1, flags=re.MULTILINE)
    assert 'version: "0.9.0"' in old
    (tmp_path / "questionnaires" / "harms.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "a.yaml").write_text("format: riskwizard-answers/1\nquestionnaires:\n  - {id: harms, version: "
                                     "'0.9.0'}\n", encoding="utf-8")
    done = rw("score", "a.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_q_folder_must_exist(tmp_path: Path) -> None:
    done = rw("-Q", "nowhere", "list", cwd=tmp_path)
    assert done.returncode == 2 and "nowhere" in done.stderr and "no such file or folder" in done.stderr


def test_exit_codes(sample: Path, tmp_path: Path) -> None:
    """0 fine, 1 problems found, 2 bad input (also a file that cannot be read), never 70 for a user."""
    (tmp_path / "bad.yaml").write_text("id: x\n", encoding="utf-8")
    assert rw("validate", sample.name, cwd=sample.parent).returncode == 0
    assert rw("validate", "bad.yaml", cwd=tmp_path).returncode == 1
    assert rw("validate", "missing.yaml", cwd=tmp_path).returncode == 2
    assert rw("score", "missing.yaml", cwd=tmp_path).returncode == 2
    assert rw("export", sample.name, "-f", "docx", cwd=sample.parent).returncode == 2
