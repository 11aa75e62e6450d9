"""Staleness (issue #16, item 6): old legal content, old reviews, a passed review-by date, a newer bundled
questionnaire. Real files, real questionnaires; "today" is a parameter of the check, never a mocked clock."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from riskwizard.answers import load_answers
from riskwizard.assessment import open_assessment
from riskwizard.loader import bundled_paths, load_questionnaire
from riskwizard.staleness import bundled_newer, check_staleness, last_review, version_key

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "fixtures" / "v1"
SAMPLE = ROOT / "samples" / "llm-paper.yaml"  # passes `check --fail-on critical` (no critical finding)


def rw(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    path = tmp_path / "a.yaml"
    shutil.copy(SAMPLE, path)
    return path


def _set_review(path: Path, **fields: str) -> None:
    text = path.read_text()
    lines = "".join(f"  {k}: '{v}'\n" for k, v in fields.items())
    assert "\nreview:\n" in text
    path.write_text(text.replace("\nreview:\n", "\nreview:\n" + lines, 1))


def test_every_bundled_questionnaire_has_a_valid_as_of() -> None:
    for qid, path in bundled_paths().items():
        spec = load_questionnaire(path)
        assert spec.model.as_of, f"{qid} has no as_of"
        dt.date.fromisoformat(spec.model.as_of)


def test_as_of_that_is_no_calendar_date_is_refused_with_its_line(tmp_path: Path) -> None:
    text = (ROOT / "questionnaires" / "harms.yaml").read_text()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("as_of:"))
    bad = tmp_path / "harms.yaml"
    bad.write_text(text.replace('as_of: "2026-11-22"', 'as_of: "2026-02-30"'))
    done = rw("validate", str(bad))
    assert done.returncode == 1
    assert f"harms.yaml:{line}:" in done.stderr and "not a date of the calendar" in done.stderr
    assert "Traceback" not in done.stderr


def test_version_key_orders_numerically() -> None:
    assert version_key("2.10.0") > version_key("2.9.1") > version_key("2.9")
    assert version_key("2.1") == version_key("2.1.0")


def test_content_age_uses_the_given_day() -> None:
    assessment = open_assessment(SAMPLE)
    harms = next(s for s in assessment.specs if s.id == "harms")
    as_of = dt.date.fromisoformat(harms.model.as_of)
    exactly = check_staleness(assessment.doc, [harms], today=as_of + dt.timedelta(days=30), max_age=30)
    assert not [s for s in exactly if s.kind == "content"]
    older = check_staleness(assessment.doc, [harms], today=as_of + dt.timedelta(days=31), max_age=30)
    content = [s for s in older if s.kind == "content"]
    assert len(content) == 1 and "31 days ago, more than 30 days" in content[0].message
    assert content[0].questionnaire == "harms"
    assert not [s for s in check_staleness(assessment.doc, [harms], today=as_of + dt.timedelta(days=9999))
                if s.kind in ("content", "review")], "no max_age: no age check"


def test_review_age_review_by_and_fallback(copy: Path) -> None:
    doc, _ = load_answers(copy)
    doc.review.decided = ""
    when, what = last_review(doc)
    assert what == "last saved" and when == dt.date.fromisoformat(doc.updated[:10])
    specs = open_assessment(copy).specs
    far = when + dt.timedelta(days=400)
    review = [s for s in check_staleness(doc, specs, today=far, max_age=365) if s.kind == "review"]
    assert len(review) == 1 and "never reviewed" in review[0].message
    _set_review(copy, reviewed=str(far - dt.timedelta(days=10)), review_by=str(far - dt.timedelta(days=1)))
    doc, _ = load_answers(copy)
    assert last_review(doc)[1] == "reviewed"
    found = {s.kind: s for s in check_staleness(doc, specs, today=far, max_age=365)}
    assert "review" not in found, "reviewed 10 days before: not old"
    assert "review_by" in found and "1 day ago" in found["review_by"].message
    assert "review_by" not in {s.kind for s in check_staleness(doc, specs, today=far - dt.timedelta(days=1))}


def test_decision_counts_as_review(copy: Path) -> None:
    doc, _ = load_answers(copy)
    doc.review.decided, doc.review.reviewed = "2026-10-01", "2026-06-01"
    assert last_review(doc) == (dt.date(2026, 10, 1), "decided on by the committee")


def test_newer_bundled_version_is_reported(tmp_path: Path) -> None:
    old = tmp_path / "answers.yaml"
    shutil.copy(V1 / "samples" / "cv-screening.yaml", old)
    assessment = open_assessment(old, [V1], strict=False)
    assert assessment.recorded["harms"] == "1.0.1"
    versions = [s for s in check_staleness(assessment.doc, assessment.specs, assessment.recorded)
                if s.kind == "version"]
    assert {s.questionnaire for s in versions} == set(assessment.recorded) and "harms" in assessment.recorded
    harms = next(s for s in versions if s.questionnaire == "harms")
    assert "version 1.0.1" in harms.message and "riskwizard upgrade" in harms.fix
    assert bundled_newer("harms", "99.0.0") is None


def test_review_fields_are_optional_and_validated(copy: Path) -> None:
    assert rw("validate", str(copy)).returncode == 0, "a file without them stays valid"
    _set_review(copy, review_by="2027-02-30")
    line = next(i for i, row in enumerate(copy.read_text().splitlines(), 1) if "review_by" in row)
    done = rw("score", str(copy))
    assert done.returncode == 2 and f"a.yaml:{line}:" in done.stderr and "not a date like" in done.stderr
    assert "Traceback" not in done.stderr


def test_answers_schema_documents_the_review_fields() -> None:
    done = rw("schema", "--answers")
    schema = json.loads(done.stdout)
    review = schema["$defs"]["Review"]["properties"]
    assert {"reviewed", "reviewer", "review_by"} <= set(review)


def test_review_command_records_and_check_max_age(copy: Path) -> None:
    today = dt.date.today()
    done = rw("review", str(copy), "--by", "Ethics board", "--review-by", str(today + dt.timedelta(days=180)),
              "--comment", "Still true after the vendor update.")
    assert done.returncode == 0, done.stderr
    doc, _ = load_answers(copy)
    assert doc.review.reviewed == str(today) and doc.review.reviewer == "Ethics board"
    assert doc.review.review_by == str(today + dt.timedelta(days=180))
    assert doc.review.comments[-1].text == "Still true after the vendor update."
    gate = ("check", str(copy), "--fail-on", "critical", "--allow-open", "--allow-inconsistent")
    first = rw(*gate)
    assert first.returncode == 0, first.stdout + first.stderr
    specs = open_assessment(copy).specs
    oldest = min(dt.date.fromisoformat(s.model.as_of) for s in specs)
    age = (today - oldest).days
    fresh = rw(*gate, "--max-age", str(age))
    assert fresh.returncode == 0 and "stale" not in fresh.stdout
    stale = rw(*gate, "--max-age", str(age - 1))
    assert stale.returncode == 1 and "stale:" in stale.stdout and f"checked on {oldest}" in stale.stdout


def test_passed_review_by_warns_without_failing_unless_max_age(copy: Path) -> None:
    _set_review(copy, review_by="2020-01-01")
    gate = ("check", str(copy), "--fail-on", "critical", "--allow-open", "--allow-inconsistent")
    warned = rw(*gate)
    assert warned.returncode == 0 and "warning: the review was due by 2020-01-01" in warned.stdout
    failed = rw(*gate, "--max-age", "100000")
    assert failed.returncode == 1 and "stale: the review was due by 2020-01-01" in failed.stdout


@pytest.mark.parametrize("args, message", [
    (("--date", "2026-13-01"), "is not a date like"),
    (("--review-by", "soon"), "is not a date like"),
    (("--date", "2026-12-01", "--review-by", "2026-11-01"), "is not after the review itself"),
])
def test_review_bad_dates_exit_2(copy: Path, args: tuple[str, ...], message: str) -> None:
    before = copy.read_bytes()
    done = rw("review", str(copy), *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert copy.read_bytes() == before


def test_check_max_age_must_be_a_number(copy: Path) -> None:
    done = rw("check", str(copy), "--max-age", "-3")
    assert done.returncode == 2 and "--max-age" in done.stderr


def test_decide_sets_review_by(copy: Path) -> None:
    done = rw("decide", str(copy), "--decision", "approved", "--date", "2026-12-01", "--review-by", "2027-12-01")
    assert done.returncode == 0, done.stderr
    doc, _ = load_answers(copy)
    assert doc.review.review_by == "2027-12-01" and doc.review.decided == "2026-12-01"


def test_reports_say_out_of_date_in_the_summary(copy: Path, tmp_path: Path) -> None:
    _set_review(copy, review_by="2020-01-01")
    for fmt in ("md", "html", "tex"):
        out = tmp_path / f"r.{fmt}"
        done = rw("export", str(copy), "-f", fmt, "-o", str(out))
        assert done.returncode == 0, done.stderr
        text = out.read_text()
        assert "ut of date" in text and "the review was due by 2020-01-01" in text, fmt
    md = (tmp_path / "r.md").read_text()
    assert md.index("Out of date") < md.index("Findings by theme"), "in the summary, before the findings"
    assert "its content was checked on" not in md
    aged = rw("export", str(copy), "-f", "md", "-o", "-", "--max-age", "0")
    assert aged.returncode == 0 and "its content was checked on" in aged.stdout


def test_report_model_judges_staleness_on_the_given_day() -> None:
    from riskwizard.reports.model import build_model

    assessment = open_assessment(SAMPLE)
    newest = max(dt.date.fromisoformat(s.model.as_of) for s in assessment.specs)
    current = build_model(assessment.doc, assessment.specs, today=newest)
    assert "staleness" not in current["summary"], "a current assessment's report is unchanged"
    assert "staleness" not in build_model(assessment.doc, assessment.specs, today=newest + dt.timedelta(days=400))[
        "summary"], "no max_age: no age check"
    later = build_model(assessment.doc, assessment.specs, today=newest + dt.timedelta(days=400), max_age=365)
    lines = later["summary"]["staleness"]
    assert len([x for x in lines if "its content was checked on" in x]) == len(assessment.specs)
    assert any("decided on by the committee" in x for x in lines)
