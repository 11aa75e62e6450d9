"""The command line, run as a user runs it (a real subprocess, real files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def rw(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


@pytest.fixture
def answered(tmp_path: Path) -> Path:
    path = tmp_path / "a.yaml"
    done = rw("new", str(path), "-q", str(FIXTURES / "mini.yaml"), "--name", "Demo", "--stage", "design")
    assert done.returncode == 0, done.stderr
    text = path.read_text().replace("  mini: {}", """  mini:
    kind:
      value: scorer
    people:
      value: 'yes'
    domains:
      value: [credit]
    users:
      value: 10000000
    base:
      value: 10
    fpr:
      value: 1""")
    path.write_text(text)
    return path


def test_validate_questionnaire_ok() -> None:
    done = rw("validate", str(FIXTURES / "mini.yaml"))
    assert done.returncode == 0
    assert "ok (mini 1.0: 8 questions, 5 rules)" in done.stdout


def test_validate_reports_every_bad_file_with_line() -> None:
    done = rw("validate", str(FIXTURES / "invalid" / "duplicate.yaml"), str(FIXTURES / "invalid" / "norway.yaml"))
    assert done.returncode == 1
    assert "duplicate.yaml:4:1: error: duplicate key `title`" in done.stderr
    assert "norway.yaml:14:" in done.stderr
    assert "Traceback" not in done.stderr


def test_validate_answers_file(answered: Path) -> None:
    done = rw("validate", str(answered))
    assert done.returncode == 0, done.stderr
    assert "ok (answers for mini)" in done.stdout


def test_bad_answer_value_names_line(answered: Path) -> None:
    text = answered.read_text().replace("value: 10000000", "value: lots")
    answered.write_text(text)
    line = text.splitlines().index("      value: lots") + 1
    done = rw("score", str(answered))
    assert done.returncode == 2
    assert f"a.yaml:{line}:" in done.stderr and "expected a number" in done.stderr
    assert "Traceback" not in done.stderr


def test_score_json(answered: Path) -> None:
    done = rw("score", str(answered), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    mini = data["questionnaires"][0]
    assert mini["tier"]["id"] == "high"
    assert mini["scores"] == {"harm": 5.0}
    assert {t["rule_id"] for t in mini["trace"]} == {"people_scored", "regulated", "many_errors", "band_high"}
    assert data["highest_severity"] == "high"


def test_score_text(answered: Path) -> None:
    done = rw("score", str(answered))
    assert "Risk band: High (provisional: 2 of 8 questions unanswered). Harm score of 5 or more." in done.stdout
    assert "trace: people_scored -> score harm+3; finding (high) [kind=Scores people, people=Yes]" in done.stdout


def test_check_exit_codes(answered: Path) -> None:
    assert rw("check", str(answered), "--fail-on", "high", "--allow-open").returncode == 1
    assert rw("check", str(answered), "--fail-on", "critical", "--allow-open").returncode == 0
    assert rw("check", str(answered), "--fail-on", "critical", "--allow-open",
              "--fail-on-tier", "high").returncode == 1


def test_unanswered_questions_make_the_tier_provisional_and_fail_check(tmp_path: Path) -> None:
    path = tmp_path / "blank.yaml"
    assert rw("new", str(path), "-q", "eu-ai-act", "-q", "harms").returncode == 0
    scored = rw("score", str(path))
    assert scored.returncode == 0, scored.stderr
    first = scored.stdout.splitlines()[0]
    assert first.startswith("Overall: ") and "(provisional: " in first and "questions unanswered)" in first
    done = rw("check", str(path), "--fail-on", "critical")
    assert done.returncode == 1
    assert "eu-ai-act:" in done.stdout and "unanswered, so the result is provisional" in done.stdout
    data = json.loads(rw("score", str(path), "--json").stdout)
    assert data["overall_provisional"] is True
    assert data["questionnaires"][0]["unanswered"] > 0


def test_a_complete_sample_is_not_provisional() -> None:
    from riskwizard.loader import samples_dir

    data = json.loads(rw("score", str(samples_dir() / "cv-screening.yaml"), "--json").stdout)
    assert data["overall_provisional"] is False
    assert data["overall_tier"]["id"] == "high"


def test_diff(answered: Path, tmp_path: Path) -> None:
    new = tmp_path / "b.yaml"
    new.write_text(answered.read_text().replace("value: 'yes'", "value: 'no'"))
    done = rw("diff", str(answered), str(new))
    assert done.returncode == 0, done.stderr
    assert "mini/people: Yes -> No" in done.stdout
    assert "mini: tier High -> Low (high -> low)" in done.stdout
    assert "mini: score harm 5 -> 2 (-3)" in done.stdout
    assert "mini: finding resolved [high] " in done.stdout  # findings by severity and title, id in brackets


def test_schema_is_json_schema() -> None:
    done = rw("schema")
    schema = json.loads(done.stdout)
    assert schema["title"] == "riskwizard questionnaire"
    assert "Condition" in schema["$defs"]
    assert json.loads(rw("schema", "--answers").stdout)["title"] == "riskwizard answers file"


def test_missing_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    done = rw("score", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert "file not found" in done.stderr and "Traceback" not in done.stderr


def test_new_refuses_to_overwrite(answered: Path) -> None:
    done = rw("new", str(answered), "-q", "mini")
    assert done.returncode == 2 and "exists already" in done.stderr


def test_open_unknown_sample_lists_the_available_ones(tmp_path: Path) -> None:
    done = rw("open", "--sample", "no-such-sample", cwd=tmp_path)
    assert done.returncode == 2
    assert "no bundled sample named `no-such-sample`" in done.stderr and "cv-screening" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_open_needs_a_file_or_a_sample(tmp_path: Path) -> None:
    done = rw("open", cwd=tmp_path)
    assert done.returncode == 2 and "either an answers file or --sample" in done.stderr


def test_copy_sample_never_overwrites(tmp_path: Path) -> None:
    from riskwizard.loader import copy_sample, samples_dir

    sample = samples_dir() / "llm-paper.yaml"
    first = copy_sample(sample, tmp_path)
    first.write_text("edited")
    second = copy_sample(sample, tmp_path)
    assert first.name == "llm-paper.yaml" and second.name == "llm-paper-2.yaml"
    assert first.read_text() == "edited" and second.read_bytes() == sample.read_bytes()


def test_export_refuses_an_invalid_answer_like_score(answered: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(answered.read_text().replace("value: 'yes'", "value: maybe"))
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "value: maybe" in text)
    for args in (["score"], ["export", "-f", "md", "-o", str(tmp_path / "out.md")]):
        done = rw(*args, str(bad)) if args == ["score"] else rw("export", str(bad), *args[1:])
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert f"bad.yaml:{line}:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.md").exists()


def test_decision_records_a_fingerprint_and_reports_say_when_answers_changed(answered: Path, tmp_path: Path) -> None:
    done = rw("decide", str(answered), "--decision", "approved_with_conditions", "--conditions", "Audit yearly.",
              "--by", "Chair", "--comment", "Fine with conditions.", "--date", "2026-11-20")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "r.md"
    assert rw("export", str(answered), "-f", "md", "-o", str(out)).returncode == 0
    facts = out.read_text()
    assert "| Committee decision | Approved with conditions, 2026-11-20." in facts
    assert "covers these answers" in facts and "have changed since" not in facts
    answered.write_text(answered.read_text().replace("value: 'yes'", "value: 'no'"))
    assert rw("export", str(answered), "-f", "md", "-o", str(out)).returncode == 0
    changed = out.read_text()
    assert "does not cover these answers" in changed and "The answers have changed since the decision" in changed


def test_decision_records_the_questionnaire_versions_and_reports_say_when_they_changed(answered: Path,
                                                                                       tmp_path: Path) -> None:
    """The same answers scored by other questionnaire versions may give other results than the committee saw:
    the report says so instead of claiming that nothing has changed."""
    import re

    from riskwizard.answers import questionnaires_fingerprint
    from riskwizard.assessment import open_assessment

    assert rw("decide", str(answered), "--decision", "approved", "--date", "2026-11-20").returncode == 0
    recorded = re.search(r"questionnaires_fingerprint: (\w+)", answered.read_text())
    assert recorded and recorded.group(1) == questionnaires_fingerprint(open_assessment(answered, strict=False).specs)
    out = tmp_path / "r.md"

    def export() -> str:
        assert rw("export", str(answered), "-f", "md", "-o", str(out)).returncode == 0
        return out.read_text()

    same = export()
    assert "covers these answers" in same and "neither the answers nor the questionnaire versions" in same
    answered.write_text(answered.read_text().replace(recorded.group(1), "f" * 64))  # decided with other versions
    other = export()
    assert "was taken on these answers, but they are now scored by other questionnaire versions" in other
    assert "covers these answers" not in other and "the results in this report may differ" in other
    text = answered.read_text()
    answered.write_text(text.replace(f"  questionnaires_fingerprint: {'f' * 64}\n", ""))  # an older decision
    assert "questionnaires_fingerprint" not in answered.read_text()
    old = export()
    assert "covers these answers" in old and "does not record the questionnaire versions" in old


def test_decide_refuses_a_bad_date(answered: Path) -> None:
    done = rw("decide", str(answered), "--decision", "approved", "--date", "20.11.2026")
    assert done.returncode == 2 and "is not a date like" in done.stderr


def test_add_puts_questionnaires_in_a_file_and_keeps_every_answer(tmp_path: Path) -> None:
    from riskwizard.answers import load_answers, to_plain

    path = tmp_path / "cv.yaml"
    path.write_bytes((Path(__file__).parents[1] / "samples" / "cv-screening.yaml").read_bytes())
    before, _ = load_answers(path)
    done = rw("add", str(path), "-q", "model-card", "-q", "research-ethics")
    assert done.returncode == 0, done.stderr
    after, _ = load_answers(path)
    assert [r.id for r in after.questionnaires] == [*(r.id for r in before.questionnaires), "model-card",
                                                   "research-ethics"]
    plain_before, plain_after = to_plain(before), to_plain(after)
    assert plain_after["facts"] == plain_before["facts"]
    for qid, answers in plain_before["answers"].items():
        assert plain_after["answers"][qid] == answers  # not one answer moved or lost
    scored = rw("score", str(path), "--json")
    assert scored.returncode == 0, scored.stderr
    report = json.loads(scored.stdout)
    by_id = {r["questionnaire_id"]: r for r in report["questionnaires"]}
    assert {"model-card", "research-ethics"} <= set(by_id)
    progress = {p["questionnaire_id"]: p for p in report["progress"]}
    for qid in ("model-card", "research-ethics"):
        counted = progress[qid]  # as `score` counts them: only shared facts can be answered yet
        assert counted["answered"] == counted["shared_answered"] > 0
        assert (f"added {qid} {by_id[qid]['version']} ({counted['answered']} already answered through shared "
                f"facts, {counted['left']} to answer)") in done.stdout


def test_add_finds_questionnaires_where_opening_the_file_looks(tmp_path: Path) -> None:
    bundled = Path(__file__).parents[1] / "questionnaires" / "harms.yaml"
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    own = bundled.read_text(encoding="utf-8").replace("id: harms", "id: harms-local", 1)
    (folder / "harms-local.yaml").write_text(own, encoding="utf-8")
    path = tmp_path / "a.yaml"
    assert rw("new", str(path), "-q", "eu-ai-act").returncode == 0
    done = rw("add", str(path), "-q", "harms-local")  # only in the questionnaires/ folder beside the file
    assert done.returncode == 0, done.stderr
    assert rw("score", str(path)).returncode == 0
    # a changed copy of a bundled questionnaire beside the file: adding the bundled id is refused, unwritten
    (folder / "harms.yaml").write_text(bundled.read_text(encoding="utf-8").replace("title:", "title: Changed", 1),
                                       encoding="utf-8")
    original = path.read_bytes()
    clash = rw("add", str(path), "-q", "harms")
    assert clash.returncode == 2 and "two different questionnaires have the id `harms`" in clash.stderr
    assert path.read_bytes() == original and "Traceback" not in clash.stderr


def test_add_through_a_symlinked_file_records_a_path_that_opens(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (tmp_path / "link" / "deep").mkdir(parents=True)
    real.mkdir()
    own = tmp_path / "qs" / "custom.yaml"
    own.parent.mkdir()
    bundled = Path(__file__).parents[1] / "questionnaires" / "harms.yaml"
    own.write_text(bundled.read_text(encoding="utf-8").replace("id: harms", "id: custom", 1), encoding="utf-8")
    assert rw("new", str(real / "a.yaml"), "-q", "eu-ai-act").returncode == 0
    link = tmp_path / "link" / "deep" / "a.yaml"
    link.symlink_to(real / "a.yaml")
    done = rw("add", str(link), "-q", str(own))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    for opened in (link, real / "a.yaml"):
        scored = rw("score", str(opened), "--json")
        assert scored.returncode == 0, scored.stderr
        assert "custom" in {r["questionnaire_id"] for r in json.loads(scored.stdout)["questionnaires"]}


def test_add_refuses_what_is_there_unknown_ids_and_a_file_open_elsewhere(tmp_path: Path) -> None:
    from riskwizard.answers import AnswerStore

    path = tmp_path / "a.yaml"
    assert rw("new", str(path), "-q", "eu-ai-act").returncode == 0
    original = path.read_bytes()
    again = rw("add", str(path), "-q", "eu-ai-act")
    assert again.returncode == 2 and "already has the questionnaire `eu-ai-act`" in again.stderr
    assert "Usage:" not in again.stderr  # not a mistake in the command line
    unknown = rw("add", str(path), "-q", "no-such")
    assert unknown.returncode == 2 and "no questionnaire with id `no-such`" in unknown.stderr
    with AnswerStore(path):  # the wizard holds this lock while the file is open
        locked = rw("add", str(path), "-q", "harms")
    assert locked.returncode == 2, locked.stderr
    assert "open in another riskwizard" in locked.stderr and path.name in locked.stderr
    for done in (again, unknown, locked):
        assert "Traceback" not in done.stderr
    assert path.read_bytes() == original  # nothing was written by any of them


def test_a_path_written_by_hand_beside_a_symlinked_file_still_opens(tmp_path: Path) -> None:
    """Recorded paths are tried against the symlink's own folder first, then the real file's."""
    (tmp_path / "real").mkdir()
    (tmp_path / "proj" / "qs").mkdir(parents=True)
    own = tmp_path / "proj" / "qs" / "mine.yaml"
    bundled = Path(__file__).parents[1] / "questionnaires" / "harms.yaml"
    own.write_text(bundled.read_text(encoding="utf-8").replace("id: harms", "id: mine", 1), encoding="utf-8")
    assert rw("new", str(tmp_path / "real" / "a.yaml"), "-q", "eu-ai-act").returncode == 0
    link = tmp_path / "proj" / "a.yaml"
    link.symlink_to(tmp_path / "real" / "a.yaml")
    assert rw("add", str(link), "-q", str(own)).returncode == 0
    text = link.read_text(encoding="utf-8")
    recorded = next(line.split(":", 1)[1].strip() for line in text.splitlines() if "mine.yaml" in line)
    (tmp_path / "real" / "a.yaml").write_text(text.replace(recorded, "qs/mine.yaml"), encoding="utf-8")
    scored = rw("score", str(link), "--json")  # relative to the link's folder, as a person would write it
    assert scored.returncode == 0, scored.stderr
    assert "mine" in {r["questionnaire_id"] for r in json.loads(scored.stdout)["questionnaires"]}
