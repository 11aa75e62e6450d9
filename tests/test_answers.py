"""The answers file: atomic saves, backups, locking, orphans, exact Unicode round trips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskwizard.answers import (
    Answer,
    AnswerStore,
    Comment,
    check_value,
    dump_answers,
    load_answers,
    new_doc,
    reconcile,
    recover,
)
from riskwizard.errors import LockedError, RiskwizardError
from riskwizard.loader import load_questionnaire_text


def test_save_load_round_trip(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    doc = new_doc([mini], "System", "Ada", "design", path)
    doc.answers_for("mini").update({
        "kind": Answer(value="scorer", note="from the spec\nsecond line"),
        "domains": Answer(value=["credit", "hiring"]),
        "users": Answer(value=1200),
        "fpr": Answer(unknown=True, note="not measured yet"),
        "groups": Answer(value=[{"name": "women", "severity": 4}, {"name": "über", "severity": None}]),
    })
    with AnswerStore(path) as store:
        store.save(doc)
    back, _ = load_answers(path)
    assert back.answers == doc.answers
    assert back.assessor == "Ada" and back.stage == "design"
    text = path.read_text()
    assert "unknown: true" in text and "|" in text  # readable: block text for multi-line notes


def test_backup_kept_and_mode_preserved(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    store = AnswerStore(path)
    doc = new_doc([mini], "v1")
    store.save(doc)
    path.chmod(0o600)
    doc.system.name = "v2"
    store.save(doc)
    assert "v1" in (tmp_path / "a.yaml.bak").read_text()
    assert "v2" in path.read_text()
    assert (path.stat().st_mode & 0o777) == 0o600
    assert not list(tmp_path.glob(".*.tmp"))


def test_symlink_is_followed_not_replaced(tmp_path: Path, mini) -> None:
    real = tmp_path / "real.yaml"
    link = tmp_path / "link.yaml"
    AnswerStore(real).save(new_doc([mini], "first"))
    link.symlink_to(real)
    store = AnswerStore(link)
    doc, _ = store.load()
    doc.system.name = "second"
    store.save(doc)
    assert link.is_symlink()
    assert "second" in real.read_text()


def test_second_writer_is_refused(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(new_doc([mini]))
    script = (
        "import sys; from riskwizard.answers import AnswerStore\n"
        "from riskwizard.errors import LockedError\n"
        "try:\n    AnswerStore(sys.argv[1]).acquire()\nexcept LockedError as e:\n    print(e); sys.exit(3)\n"
    )
    with AnswerStore(path):
        before = path.read_bytes()
        done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True)
        assert done.returncode == 3
        assert "is open in another riskwizard" in done.stdout and str(os.getpid()) in done.stdout
        assert path.read_bytes() == before
    with AnswerStore(path):  # released: can be taken again
        pass


def test_same_process_second_store_is_refused(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    with AnswerStore(path), pytest.raises(LockedError):
        AnswerStore(path).acquire()


def test_external_change_saves_beside_the_file(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(new_doc([mini], "original"))
    store = AnswerStore(path)
    doc, _ = store.load()
    path.write_text(path.read_text().replace("original", "edited by hand"))
    doc.answers_for("mini")["kind"] = Answer(value="other")
    written = store.save(doc)
    assert written.name == "a.conflict.yaml"
    assert "edited by hand" in path.read_text()
    assert "kind" in written.read_text()
    assert any("changed by another program" in n for n in store.notices)


def test_unknown_answers_are_orphaned_not_dropped(tmp_path: Path, mini) -> None:
    doc = new_doc([mini])
    doc.answers_for("mini").update({"gone": Answer(value="x", note="keep me"), "kind": Answer(value="scorer")})
    notices = reconcile(doc, [mini])
    assert "gone" not in doc.answers["mini"]
    assert doc.orphaned["mini"]["gone"].value == "x"
    assert doc.orphaned["mini"]["gone"].note == "keep me"
    assert "no question `gone`" in doc.orphaned["mini"]["gone"].reason
    assert notices and "orphaned" in notices[0]
    text = dump_answers(doc)
    assert "orphaned:" in text and "keep me" in text


def test_removed_option_after_questionnaire_change_is_orphaned(mini) -> None:
    changed = load_questionnaire_text(
        Path(mini.path).read_text().replace("{value: other, label: Something else}", "{value: misc, label: Misc}"),
        "mini-v2.yaml",
    )
    doc = new_doc([mini])
    doc.answers_for("mini")["kind"] = Answer(value="other")
    reconcile(doc, [changed], strict=True)  # sha changed: not an error, the answer is kept aside
    assert doc.orphaned["mini"]["kind"].value == "other"
    assert doc.ref("mini").sha256 == changed.sha256


def test_strict_reconcile_reports_bad_value_with_line(tmp_path: Path, mini, mini_path: Path) -> None:
    path = tmp_path / "a.yaml"
    doc = new_doc([mini], answers_path=path)
    doc.answers_for("mini")["users"] = Answer(value=5)
    AnswerStore(path).save(doc)
    text = path.read_text().replace("value: 5", "value: many")
    path.write_text(text)
    line = text.splitlines().index("      value: many") + 1
    doc2, src = load_answers(path)
    with pytest.raises(RiskwizardError) as info:
        reconcile(doc2, [mini], src, strict=True)
    assert f"a.yaml:{line}:" in str(info.value)
    assert "expected a number" in str(info.value)


@pytest.mark.parametrize(
    ("qid", "value", "problem"),
    [
        ("kind", "scorer", ""),
        ("kind", "nope", "is not one of"),
        ("kind", True, "is not one of"),
        ("people", "yes", ""),
        ("people", True, "is not one of: yes, no"),
        ("domains", ["hiring", "credit"], ""),
        ("domains", ["credit", "credit"], "listed twice"),
        ("domains", "credit", "expected a list"),
        ("users", 10, ""),
        ("users", 1.5, "whole number"),
        ("users", -1, "below the minimum"),
        ("users", float("nan"), "finite"),
        ("users", True, "expected a number"),
        ("fpr", 100.5, "above the maximum"),
        ("fpr", 12.5, ""),
        ("notes", "free text", ""),
        ("notes", 12, "expected text"),
        ("groups", [{"name": "a", "severity": 3}], ""),
        ("groups", [{"name": "a", "colour": 3}], "unknown field `colour`"),
        ("groups", [{"severity": 9}], "above the maximum"),
        ("groups", "x", "expected a list of rows"),
    ],
)
def test_check_value_per_type(mini, qid: str, value: object, problem: str) -> None:
    _, found = check_value(mini.question(qid), value)
    assert (problem in found) if problem else found == ""


def test_multi_values_are_normalised_to_option_order(mini) -> None:
    assert check_value(mini.question("domains"), ["hiring", "credit"]) == (["credit", "hiring"], "")


def test_recover_restores_from_complete_temp_when_target_is_broken(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(new_doc([mini], "good"))
    good = path.read_text()
    tmp = tmp_path / ".a.yaml.999.tmp"
    tmp.write_text(good.replace("good", "newer"))
    path.write_text("format: riskwizard-answers/1\nanswers: [broken")
    notices = recover(path)
    assert "restored" in notices[0]
    assert "newer" in path.read_text()
    assert not tmp.exists()


def test_recover_restores_a_first_save_killed_before_its_rename(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(new_doc([mini], "first"))
    tmp = tmp_path / ".a.yaml.999.tmp"
    path.rename(tmp)  # the target never appeared: only the complete temp file is there
    notices = recover(path)
    assert "restored" in notices[0] and "first" in path.read_text() and not tmp.exists()


def test_recover_removes_a_partial_temp_when_there_is_no_target(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    tmp = tmp_path / ".a.yaml.999.tmp"
    tmp.write_text("format: riskwizard-ans")
    notices = recover(path)
    assert "removed" in notices[0] and not tmp.exists() and not path.exists()


def test_recover_removes_stale_temp_when_target_is_fine(tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(new_doc([mini], "good"))
    tmp = tmp_path / ".a.yaml.999.tmp"
    tmp.write_text("half a fi")
    recover(path)
    assert not tmp.exists() and "good" in path.read_text()


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=TEXT, note=TEXT, name=TEXT)
def test_any_unicode_text_round_trips_exactly(tmp_path: Path, mini, value: str, note: str, name: str) -> None:
    path = tmp_path / "rt.yaml"
    doc = new_doc([mini], name)
    doc.answers_for("mini")["notes"] = Answer(value=value, note=note)
    doc.review.comments.append(Comment(by=name, text=note or "x"))
    AnswerStore(path).save(doc)
    back, _ = load_answers(path)
    assert back.answers["mini"]["notes"].value == value
    assert back.answers["mini"]["notes"].note == note
    assert back.system.name == name


@pytest.mark.parametrize(
    "text",
    ["\x85", "a\u2028b", "\ufeffbom", " lead", "trail ", "a\r\nb", "\ttab", "two\n\nlines\n", "", "yes", "no",
     "2024-01-01", "010", "null", "~", "- item", "key: value", "# not a comment", "'quoted'", '"dq"',
     "[bold]markup[/]", "<script>alert(1)</script>", "emoji 🧪", "\x00nul", "\x7fdel"],
)
def test_nasty_text_round_trips(tmp_path: Path, mini, text: str) -> None:
    path = tmp_path / "n.yaml"
    doc = new_doc([mini], text)
    doc.answers_for("mini")["notes"] = Answer(value=text, note=text)
    AnswerStore(path).save(doc)
    back, _ = load_answers(path)
    assert back.answers["mini"]["notes"].value == text
    assert back.answers["mini"]["notes"].note == text
    assert back.system.name == text


def test_record_answer_validates_stamps_and_keeps_notes(mini) -> None:
    from riskwizard.answers import record_answer
    from riskwizard.errors import AnswersError

    doc = new_doc([mini])
    q = mini.question("users")
    a = record_answer(doc, "mini", q, 12, note="census")
    assert a.value == 12 and a.updated.endswith("Z") and a.note == "census"
    a = record_answer(doc, "mini", q, 13)
    assert a.note == "census"  # changing the value keeps the note
    a = record_answer(doc, "mini", q, unknown=True)
    assert a.unknown and a.value is None and a.note == "census"
    record_answer(doc, "mini", q, None)  # cleared value, note kept
    assert doc.answers["mini"]["users"].note == "census"
    with pytest.raises(AnswersError, match="whole number"):
        record_answer(doc, "mini", q, 1.5)
    record_answer(doc, "mini", q, None, note="")
    assert "users" not in doc.answers["mini"]
