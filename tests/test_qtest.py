"""Questionnaire tests for authors (riskwizard test): the bundled suites pass, failures are caught and explained,
and no finding of a bundled questionnaire asserts a fact the user explicitly denied (issue 16 items 4 and 8)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from riskwizard.cli import main
from riskwizard.errors import ErrorGroup
from riskwizard.loader import bundled_paths, find_questionnaire, load_questionnaire
from riskwizard.qtest import cases_path, format_suite, load_cases, run_suite
from riskwizard.yamlsafe import load_yaml_file

BUNDLED = bundled_paths()


@pytest.fixture(scope="module", params=sorted(BUNDLED))
def suite(request):
    return run_suite(load_questionnaire(BUNDLED[request.param]))


def test_every_bundled_questionnaire_ships_cases_beside_it() -> None:
    for qid, path in BUNDLED.items():
        assert cases_path(load_questionnaire(path)).resolve() == (path.parent / "tests" / path.name).resolve(), qid
        assert (path.parent / "tests" / path.name).is_file(), qid


def test_bundled_suites_pass_and_cover_every_rule(suite) -> None:
    assert not suite.failed, "\n".join(format_suite(suite))
    assert not suite.uncovered, f"rules without a case: {suite.uncovered}"
    assert len(suite.results) >= len(suite.spec.model.rules)


def test_bundled_findings_declare_the_facts_they_assert(suite) -> None:
    """The table of denials lives in the case files; every questionnaire with findings has some, and each ran."""
    denials = [r for r in suite.results if r.case.denials]
    assert denials, f"{suite.spec.id}: no denied_by declarations"
    for r in denials:
        assert r.tried > 0, f"{suite.spec.id}/{r.case.id}: the denial was never reached"


# --------------------------------------------------------------------------- a small questionnaire with a trap

TRAP = textwrap.dedent("""\
    id: trap
    version: "1.0"
    title: Trap
    description: An OR-shaped rule.
    sources: [{id: s, citation: "Someone (2024)"}]
    sections:
      - id: s
        title: S
        questions:
          - {id: from_decisions, type: yesno, prompt: "Are the labels past decisions?", source: x, help: h}
          - id: source
            type: single
            prompt: "Where do labels come from?"
            source: x
            help: h
            options:
              - {value: records, label: "Existing records or past decisions"}
              - {value: crowd, label: Crowd}
    outcome:
      levels: [{id: high, title: High}, {id: low, title: Low}]
      default: low
    rules:
      - id: tainted
        when: {any: [{q: from_decisions, op: eq, value: "yes"}, {q: source, op: eq, value: records}]}
        tier: high
        reason: Tainted labels.
        finding: {severity: high, title: Labels are past decisions, explanation: e, recommendation: r, citation: c}
    """)

CASES = textwrap.dedent("""\
    tainted:
      answers:
        from_decisions: {value: "yes"}
      tier: high
      denied_by:
        - {q: from_decisions, op: eq, value: "no"}
    crowd_is_low:
      description: Crowd labels that are not decisions give no finding.
      answers:
        from_decisions: {value: "no"}
        source: {value: crowd}
      tier: low
      no_findings: [tainted]
    """)


@pytest.fixture
def trap(tmp_path: Path) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "trap.yaml").write_text(TRAP, encoding="utf-8")
    (tmp_path / "tests" / "trap.yaml").write_text(CASES, encoding="utf-8")
    return tmp_path / "trap.yaml"


def test_the_denial_search_finds_the_or_shaped_trap(trap: Path) -> None:
    suite = run_suite(load_questionnaire(trap))
    assert [r.case.id for r in suite.failed] == ["tainted"]
    failure = suite.failed[0].failures[0]
    assert "denied_by `from_decisions eq no`" in failure
    assert "source=Existing records or past decisions" in failure and "from_decisions=No" in failure
    # fixed: the finding no longer fires when the user said No
    trap_condition = '{any: [{q: from_decisions, op: eq, value: "yes"}, {q: source, op: eq, value: records}]}'
    guard = '{not: {q: from_decisions, op: eq, value: "no"}}'
    fixed = TRAP.replace(trap_condition, f"{{all: [{trap_condition}, {guard}]}}")
    trap.write_text(fixed, encoding="utf-8")
    suite = run_suite(load_questionnaire(trap))
    assert not suite.failed and suite.results[0].tried > 0


def test_a_denial_that_can_never_hold_is_a_failure_not_a_pass(trap: Path) -> None:
    # the denied question is only shown after a question neither the rule nor the denial reads: nothing is checked
    gated = TRAP.replace(
        '- {id: from_decisions, type: yesno, prompt: "Are the labels past decisions?", source: x, help: h}\n',
        '- {id: gate, type: yesno, prompt: "Labelled data?", source: x, help: h}\n'
        '      - {id: from_decisions, type: yesno, prompt: "Are the labels past decisions?", source: x, help: h,'
        ' when: {q: gate, op: eq, value: "yes"}}\n')
    assert gated != TRAP
    trap.write_text(gated, encoding="utf-8")
    cases = trap.parent / "tests" / "trap.yaml"
    cases.write_text(CASES.replace("from_decisions: {value: \"yes\"}\n  tier: high",
                                   "source: {value: records}\n  tier: high"), encoding="utf-8")
    suite = run_suite(load_questionnaire(trap))
    failures = [f for r in suite.failed for f in r.failures]
    assert any("the denial never holds" in f and "hidden" in f for f in failures), failures


def test_failures_print_expected_actual_and_trace(trap: Path, capsys) -> None:
    cases = trap.parent / "tests" / "trap.yaml"
    cases.write_text(CASES.replace("tier: low", "tier: high"), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["test", str(trap)])
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "FAIL  crowd_is_low" in out and "tests/trap.yaml:" in out
    assert "tier: expected high, got low" in out
    assert "trap 1.0: 0 of 2 cases passed" in out
    assert "trace:" in out or "tier low (default)" in out


def test_passing_suite_exits_0_and_lists_cases_when_verbose(trap: Path, capsys) -> None:
    fixed = TRAP.replace("{any: [{q: from_decisions, op: eq, value: \"yes\"}, {q: source, op: eq, value: records}]}",
                         '{q: from_decisions, op: eq, value: "yes"}')
    trap.write_text(fixed, encoding="utf-8")
    main(["test", str(trap), "-v"])  # returns: exit status 0
    out = capsys.readouterr().out
    assert "ok    tainted" in out and "ok    crowd_is_low" in out
    assert "2 of 2 cases passed" in out and "1 denial checked" in out


def test_bad_case_files_name_file_line_and_exit_2(trap: Path, capsys) -> None:
    cases = trap.parent / "tests" / "trap.yaml"
    cases.write_text(textwrap.dedent("""\
        tainted:
          answers:
            from_decisions: {value: maybe}
            nowhere: {value: "yes"}
          tier: extreme
          fires: [ghost]
          flags: [no_such_flag]
          colour: blue
        scenario:
          answers: {}
          denied_by: [{q: from_decisions, op: eq, value: "no"}]
        """), encoding="utf-8")
    with pytest.raises(ErrorGroup) as errors:
        load_cases(load_questionnaire(trap), cases)
    text = str(errors.value)
    for needle in ("trap.yaml:3:", "`maybe` is not one of: yes, no", "unknown question `nowhere`",
                   "unknown tier `extreme`", "unknown id `ghost`", "unknown id `no_such_flag`", "unknown key `colour`",
                   "`denied_by` belongs to a case named after the rule"):
        assert needle in text, needle
    with pytest.raises(SystemExit) as exit_info:
        main(["test", str(trap)])
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_missing_case_file_is_a_clear_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "trap.yaml").write_text(TRAP, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["test", str(tmp_path / "trap.yaml")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "no test cases for `trap`" in err and "docs/questionnaire-format.md" in err


def test_all_rules_flag_fails_on_a_rule_without_a_case(trap: Path, capsys) -> None:
    cases = trap.parent / "tests" / "trap.yaml"
    first_case = CASES.split("crowd_is_low:")[0]
    cases.write_text(first_case.replace("tainted:", "plain:").split("  denied_by:")[0], encoding="utf-8")
    suite = run_suite(load_questionnaire(trap))
    assert suite.uncovered == ["tainted"] and not suite.failed
    with pytest.raises(SystemExit) as exit_info:
        main(["test", str(trap), "--all-rules"])
    assert exit_info.value.code == 1
    assert "rules without a case: tainted" in capsys.readouterr().out


def test_the_command_runs_a_bundled_questionnaire_in_a_fresh_process(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "riskwizard", "test", "bias-sources", "--all-rules"],
                          capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    version = find_questionnaire("bias-sources").version
    assert f"bias-sources {version}:" in done.stdout
    assert "cases passed" in done.stdout and "denials checked" in done.stdout


def test_a_copied_questionnaire_finds_its_cases_beside_it(tmp_path: Path) -> None:
    shutil.copy(BUNDLED["model-card"], tmp_path / "model-card.yaml")
    (tmp_path / "tests").mkdir()
    shutil.copy(BUNDLED["model-card"].parent / "tests" / "model-card.yaml", tmp_path / "tests" / "model-card.yaml")
    suite = run_suite(load_questionnaire(tmp_path / "model-card.yaml"))
    assert suite.path == tmp_path / "tests" / "model-card.yaml"
    assert not suite.failed
    raw = load_yaml_file(suite.path).data
    assert set(raw) == {r.case.id for r in suite.results}
