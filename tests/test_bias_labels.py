"""Tainted labels in bias-sources: past human decisions are told apart from recorded facts (issue 16 item 4)."""

from __future__ import annotations

import pytest
from content_helpers import A, finding_ids, fired, spec_for


@pytest.fixture(scope="module")
def bias():
    return spec_for("bias-sources")


def evaluate(spec, **answers):
    from riskwizard.engine import evaluate as run

    return run(spec, {k: v if hasattr(v, "unknown") else A(v) for k, v in answers.items()})


PEOPLE_DECISIONS = dict(about_people="yes", data_origin=["past_decisions"])


def test_label_source_no_longer_lumps_records_with_decisions(bias) -> None:
    options = {o.value: o.label for o in bias.question("label_source").options}
    assert "records" not in options
    assert "people" in options["past_decisions"].lower() and "decisions" in options["past_decisions"]
    assert "facts" in options["factual_records"] and "decision" not in options["factual_records"].lower()
    # the split came with 2.0.0 (a major version: the old option no longer exists)
    assert int(bias.version.split(".")[0]) >= 2 and bias.model.as_of


def test_the_reported_trap_no_finding_when_the_user_said_no(bias) -> None:
    # the case of the issue: labels are not past decisions, but come from existing (factual) records
    r = evaluate(bias, **PEOPLE_DECISIONS, labels_from_decisions="no", label_source="factual_records")
    assert "tainted_labels" not in fired(r)
    assert "recorded_outcome_labels" in finding_ids(r)
    assert r.scores["labels"] == 1


@pytest.mark.parametrize("source", ["experts", "crowd", "implicit", "factual_records", "automatic", "none",
                                    "past_decisions"])
def test_no_is_never_overruled_by_the_label_source(bias, source: str) -> None:
    r = evaluate(bias, **PEOPLE_DECISIONS, labels_from_decisions="no", label_source=source)
    assert "tainted_labels" not in fired(r)
    assert ("labels_origin_contradiction" in finding_ids(r)) == (source == "past_decisions")


def test_either_answer_that_says_past_decisions_gives_tainted_labels(bias) -> None:
    by_question = evaluate(bias, **PEOPLE_DECISIONS, labels_from_decisions="yes", label_source="factual_records")
    assert "tainted_labels" in finding_ids(by_question)
    # labels_from_decisions is only asked when the data come from past decisions; the label source then decides
    by_source = evaluate(bias, about_people="yes", data_origin=["observational"], label_source="past_decisions")
    assert "tainted_labels" in finding_ids(by_source)
    assert by_source.scores["labels"] == 4
    unknown = evaluate(bias, **PEOPLE_DECISIONS, labels_from_decisions=A(unknown=True), label_source="past_decisions")
    assert "tainted_labels" in fired(unknown)
    assert "labels_origin_contradiction" not in fired(unknown)
    nothing = evaluate(bias, **PEOPLE_DECISIONS, labels_from_decisions=A(unknown=True), label_source="crowd")
    assert not {"tainted_labels", "labels_origin_contradiction"} & fired(nothing)
