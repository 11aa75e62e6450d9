"""A finding that a listed finding covers (``covered_by``) is not listed twice (riskwizard/coverage.py)."""

from __future__ import annotations

import textwrap

import pytest
from content_helpers import QUESTIONNAIRES, SAMPLES

from riskwizard.answers import Answer, new_doc
from riskwizard.coverage import check_across
from riskwizard.engine import evaluate, evaluate_assessment
from riskwizard.errors import ErrorGroup
from riskwizard.loader import find_questionnaire, load_questionnaire_text
from riskwizard.reports.model import build_model

MINI = textwrap.dedent("""\
    id: {qid}
    version: "1.0"
    title: {title}
    description: Findings that cover others.
    sources: [{{id: s, citation: "Book (2020)"}}]
    sections:
      - id: s
        title: S
        questions:
          - {{id: amount, type: number, prompt: "How much?", source: x, help: h}}
    dimensions: [{{id: d, title: D}}]
    rules:
      - id: big
        when: {{q: amount, op: ge, value: 10}}
        score: {{d: 1}}
        covered_by: [huge{extra}]
        finding: {{severity: medium, title: Big, explanation: e, recommendation: r, citation: c}}
      - id: huge
        when: {{q: amount, op: ge, value: 100}}
        score: {{d: 2}}
        finding: {{severity: {huge_severity}, title: Huge, explanation: e, recommendation: r, citation: c}}
    """)


def mini(qid: str = "amounts", title: str = "Amounts", extra: str = "", huge_severity: str = "high") -> str:
    return MINI.format(qid=qid, title=title, extra=extra, huge_severity=huge_severity)


def spec(text: str, name: str = "amounts.yaml"):
    return load_questionnaire_text(text, name)


def test_a_covered_finding_is_left_out_but_the_rule_still_scores_and_is_traced() -> None:
    s = spec(mini())
    r = evaluate(s, {"amount": Answer(value=500)})
    assert [f.rule_id for f in r.findings] == ["huge"]
    assert r.scores["d"] == 3  # both rules still score
    assert [(c.rule_id, c.by_rule, c.by_title) for c in r.covered] == [("big", "huge", "Huge")]
    big = next(t for t in r.trace if t.rule_id == "big")
    assert any(e.startswith("finding not listed: covered by amounts/huge") for e in big.effects)


def test_a_finding_is_listed_when_what_covers_it_does_not_fire() -> None:
    r = evaluate(spec(mini()), {"amount": Answer(value=50)})
    assert [f.rule_id for f in r.findings] == ["big"]
    assert r.covered == []
    assert not any("covered" in e for t in r.trace for e in t.effects)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("covered_by: [huge]", "covered_by: [nothing]", "`covered_by` names unknown rule `nothing`"),
    ("covered_by: [huge]", "covered_by: [big]", "names itself in `covered_by`"),
    ("severity: high, title: Huge", "severity: low, title: Huge", "which is less serious (low)"),
    ("score: {d: 2}\n", "score: {d: 2}\n    covered_by: [big]\n", "form a cycle: big -> huge -> big"),
    ("covered_by: [huge]", "covered_by: [Huge!]", "covered_by"),
])
def test_bad_covered_by_is_an_error_naming_file_and_line(old: str, new: str, message: str) -> None:
    text = mini()
    assert old in text
    with pytest.raises(ErrorGroup) as errors:
        spec(text.replace(old, new, 1))
    shown = str(errors.value)
    assert message in shown and "amounts.yaml:" in shown


def test_covered_by_needs_a_finding_to_cover() -> None:
    old = "    finding: {severity: medium, title: Big, explanation: e, recommendation: r, citation: c}\n"
    assert old in mini()
    text = mini().replace(old, "", 1)
    with pytest.raises(ErrorGroup) as errors:
        spec(text)
    assert "has `covered_by` but no finding" in str(errors.value)


def _assessment(specs, amounts: dict[str, int]):
    doc = new_doc(specs)
    for qid, value in amounts.items():
        doc.answers_for(qid)["amount"] = Answer(value=value)
    return evaluate_assessment(doc, specs)


def test_a_finding_covered_from_another_questionnaire() -> None:
    first = spec(mini())
    second = spec(mini("echo", "Echo", ", amounts/huge, amounts/big"), "echo.yaml")
    result = _assessment([first, second], {"amounts": 500, "echo": 50})
    echo = result.result("echo")
    assert echo is not None
    assert echo.findings == []  # echo's "big" fired and is covered by amounts' listed "huge"
    assert [(c.rule_id, c.by_questionnaire, c.by_rule) for c in echo.covered] == [("big", "amounts", "huge")]
    # the shared result of evaluate() is not changed: echo alone still lists its finding
    assert [f.rule_id for f in evaluate(second, {"amount": Answer(value=50)}).findings] == ["big"]
    # without the other questionnaire, nothing covers it
    alone = _assessment([second], {"echo": 50}).result("echo")
    assert alone is not None and [f.rule_id for f in alone.findings] == ["big"]


def test_a_finding_hidden_locally_comes_back_when_what_hid_it_is_covered() -> None:
    # echo: big is covered by its own huge; huge is covered by amounts' huge (listed): echo's big, no longer
    # covered by anything listed, is listed again
    first = spec(mini())
    second_text = mini("echo", "Echo").replace("    score: {d: 2}\n", "    score: {d: 2}\n"
                                                "    covered_by: [amounts/huge]\n", 1)
    assert "covered_by: [amounts/huge]" in second_text
    second = spec(second_text, "echo.yaml")
    echo = _assessment([first, second], {"amounts": 500, "echo": 500}).result("echo")
    assert echo is not None
    assert [f.rule_id for f in echo.findings] == ["big"]
    assert [(c.rule_id, c.by_questionnaire) for c in echo.covered] == [("huge", "amounts")]


def test_never_hidden_behind_a_less_serious_finding_across_questionnaires() -> None:
    first = spec(mini(huge_severity="low").replace("covered_by: [huge]", "covered_by: []", 1))
    second = spec(mini("echo", "Echo", ", amounts/huge"), "echo.yaml")  # echo big (medium) "covered" by low
    assert any("less serious" in p for p in check_across([first.model, second.model]))
    echo = _assessment([first, second], {"amounts": 500, "echo": 50}).result("echo")
    assert echo is not None and [f.rule_id for f in echo.findings] == ["big"]


def test_bundled_cross_references_resolve() -> None:
    models = [find_questionnaire(p.stem).model for p in sorted(QUESTIONNAIRES.glob("*.yaml"))]
    assert check_across(models) == []
    assert any("/" in ref for m in models for r in m.rules for ref in r.covered_by)


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_fired_finding_of_a_sample_is_listed_or_covered_once(sample: str) -> None:
    from riskwizard.assessment import open_assessment

    a = open_assessment(QUESTIONNAIRES.parent / "samples" / f"{sample}.yaml", None, strict=True)
    result = a.evaluate()
    model = build_model(a.doc, a.specs)
    for r in result.results:
        rules = {x.id: x for x in next(s for s in a.specs if s.id == r.questionnaire_id).model.rules}
        with_finding = [t.rule_id for t in r.trace if rules[t.rule_id].finding is not None
                        and not any(e.startswith("finding and flags not shown") for e in t.effects)]
        listed = [f.rule_id for f in r.findings]
        covered = [c.rule_id for c in r.covered]
        assert sorted(listed + covered) == sorted(with_finding), (sample, r.questionnaire_id)
        for c in r.covered:  # what covers it is listed, and at least as serious
            by = result.result(c.by_questionnaire)
            assert by is not None
            cover = next(f for f in by.findings if f.rule_id == c.by_rule)
            assert ["info", "low", "medium", "high", "critical"].index(cover.severity) >= \
                   ["info", "low", "medium", "high", "critical"].index(c.severity)
    covered = model["summary"]["covered"]
    assert len(covered) == sum(len(r.covered) for r in result.results)
    assert model["summary"]["findings_total"] == sum(len(r.findings) for r in result.results)
    for c in covered:
        assert f"\u201c{c['title']}\u201d" in model["summary"]["covered_text"]
    if covered:
        assert model["summary"]["covered_text"].startswith(f"{len(covered)} more finding")


def test_llm_paper_lists_one_emissions_finding() -> None:
    from riskwizard.assessment import open_assessment

    a = open_assessment(QUESTIONNAIRES.parent / "samples" / "llm-paper.yaml", None, strict=True)
    titles = [f.title for r in a.evaluate().results for f in r.findings]
    assert [t for t in titles if "tonne" in t] == ["Emissions exceed 25 tonnes of CO2eq"]


def test_validate_reports_a_bad_reference_to_a_bundled_rule(tmp_path) -> None:
    import subprocess
    import sys

    good = tmp_path / "echo.yaml"
    good.write_text(mini("echo", "Echo", ", harms/no_intersections"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "riskwizard", "validate", str(good)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    bad = tmp_path / "echo2.yaml"
    bad.write_text(mini("echo", "Echo", ", harms/no_such_rule"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "riskwizard", "validate", str(bad)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "echo2.yaml" in done.stderr and "harms/no_such_rule" in done.stderr and "Traceback" not in done.stderr
