"""Shared facts in the questionnaire format: asked once, stored once, read everywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from riskwizard.answers import Answer, AnswerStore, load_answers, new_doc, record_answer
from riskwizard.applicability import suggest_questionnaires, suggested_ids
from riskwizard.assessment import open_assessment
from riskwizard.engine import AnswerView, evaluate, evaluate_assessment
from riskwizard.errors import RiskwizardError
from riskwizard.loader import find_questionnaire, load_catalogue, load_questionnaire_text

ROOT = Path(__file__).resolve().parent.parent

USER = """\
id: my-check
version: "1.0"
title: My check
description: A user's questionnaire that shares facts.
sources: [{id: me, citation: "Me (2026)"}]
facts:
  - id: team_size
    type: number
    prompt: How many people build the system?
    min: 0
sections:
  - id: s
    title: S
    questions:
      - {id: rate, type: percent, prompt: Rate?}
      - fact: people_affected
        id: reach
        why: Local reason.
      - fact: team_size
      - id: note
        type: text
        prompt: Anything else?
        when: {fact: has_paper, op: eq, value: "yes"}
derived:
  - id: err
    fn: expected_errors
    inputs: {population: {fact: people_affected}, base_rate: rate, fpr: rate, fnr: rate}
rules:
  - id: big
    when: {fact: people_affected, op: ge, value: 1000}
    finding: {severity: low, title: Big, explanation: Many people., recommendation: Say so., citation: Me}
  - id: contested
    when: {fact: contest_route, op: eq, value: "no"}
    finding: {severity: medium, title: No route, explanation: No review., recommendation: Add one., citation: Me}
"""


def user_spec(text: str = USER, name: str = "my-check.yaml"):
    return load_questionnaire_text(text, name)


def test_catalogue_facts_are_complete_questions() -> None:
    cat = load_catalogue()
    assert len(cat.facts) >= 20
    for fid, d in cat.facts.items():
        q = d.question
        assert q.id == fid and q.prompt and q.why and q.source and q.help, fid
        assert q.when is None


def test_user_questionnaire_asks_and_reads_facts() -> None:
    spec = user_spec()
    assert spec.fact_of == {"reach": "people_affected", "team_size": "team_size"}
    assert spec.question("reach").prompt == load_catalogue().question("people_affected").prompt
    assert spec.question("reach").why == "Local reason."
    assert spec.reads == {"has_paper", "contest_route"}
    doc = new_doc([spec])
    record_answer(doc, spec.id, spec.question("reach"), 5000)
    assert doc.facts["people_affected"].value == 5000
    assert "reach" not in doc.answers[spec.id].local
    r = evaluate(spec, doc.answers_for(spec.id))
    assert {f.rule_id for f in r.findings} == {"big"}
    doc.facts["contest_route"] = Answer(value="no")
    doc.facts["has_paper"] = Answer(value="yes")
    view = AnswerView(spec, doc.answers_for(spec.id))
    assert view.is_visible("note")
    assert {f.rule_id for f in evaluate(spec, doc.answers_for(spec.id)).findings} == {"big", "contested"}
    # a plain copy (the wizard's what-if) keeps the facts it reads
    assert {f.rule_id for f in evaluate(spec, dict(doc.answers_for(spec.id))).findings} == {"big", "contested"}


def test_calculator_reads_a_fact_it_does_not_ask() -> None:
    spec = user_spec()
    doc = new_doc([spec])
    doc.facts["people_affected"] = Answer(value=10_000)
    doc.answers_for(spec.id)["rate"] = Answer(value=10.0)
    r = evaluate(spec, doc.answers_for(spec.id))
    assert r.derived["err.positives"] == pytest.approx(1000)
    assert r.derived["err.fp"] == pytest.approx(900)


@pytest.mark.parametrize(("change", "message"), [
    (("- fact: team_size", "- fact: team_sizes"), "unknown shared fact `team_sizes`"),
    (("{fact: people_affected, op: ge, value: 1000}", "{fact: people_affected, op: contains, value: 1000}"),
     "operator `contains` is not valid for fact `people_affected`"),
    (("{fact: contest_route, op: eq, value: \"no\"}", "{fact: contest_route, op: eq, value: maybe}"),
     "yes/no comparison"),
    (("{fact: has_paper, op: eq, value: \"yes\"}", "{fact: nope, op: answered}"), "unknown shared fact `nope`"),
    (("      - fact: team_size\n", "      - fact: team_size\n      - fact: team_size\n        id: again\n"),
     "asked twice"),
    (("    min: 0\n", "    min: 0\n  - id: people_affected\n    type: yesno\n    prompt: Different?\n"),
     "defined differently here and in"),
])
def test_fact_mistakes_name_the_line(change: tuple[str, str], message: str) -> None:
    text = USER.replace(*change)
    assert text != USER
    with pytest.raises(RiskwizardError) as info:
        user_spec(text)
    shown = str(info.value)
    assert message in shown, shown
    assert "my-check.yaml:" in shown


def test_two_user_files_defining_one_fact_differently_is_an_error_naming_both(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "one.yaml").write_text(USER.replace("id: my-check", "id: one"), encoding="utf-8")
    (folder / "two.yaml").write_text(USER.replace("id: my-check", "id: two").replace(
        "How many people build the system?", "How big is the team?"), encoding="utf-8")
    specs = [find_questionnaire(str(folder / "one.yaml")), find_questionnaire(str(folder / "two.yaml"))]
    path = tmp_path / "a.yaml"
    AnswerStore(path).save(new_doc(specs, answers_path=path))
    with pytest.raises(RiskwizardError) as info:
        open_assessment(path)
    shown = str(info.value)
    assert "fact `team_size` is defined differently in" in shown
    assert "one.yaml" in shown and "two.yaml" in shown


def test_user_questionnaire_shares_a_fact_with_a_bundled_one(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "my-check.yaml").write_text(USER, encoding="utf-8")
    specs = [find_questionnaire("harms"), find_questionnaire("my-check", [folder])]
    path = tmp_path / "a.yaml"
    doc = new_doc(specs, answers_path=path)
    record_answer(doc, "harms", specs[0].question("output_kind"), ["serves"])
    record_answer(doc, "harms", specs[0].question("people_affected"), 250_000)
    AnswerStore(path).save(doc)
    text = path.read_text(encoding="utf-8")
    assert text.count("250000") == 1  # stored once
    assessment = open_assessment(path, [folder])
    assert assessment.doc.answers_for("my-check")["reach"].value == 250_000
    result = assessment.evaluate()
    assert "big" in {f.rule_id for f in result.result("my-check").findings}
    assert "large_scale" in {f.rule_id for f in result.result("harms").findings}


def test_unit_follows_the_accelerator() -> None:
    spec = find_questionnaire("research-ethics")
    view = AnswerView(spec, {"gpu_type": Answer(value="a100_sxm4")})
    units = {q.id: q.unit for q in view.visible_questions() if q.id in ("gpu_hours", "gpu_count")}
    assert units == {"gpu_hours": "hours per GPU", "gpu_count": "GPUs"}
    view = AnswerView(spec, {"gpu_type": Answer(value="cpu")})
    units = {q.id: q.unit for q in view.visible_questions() if q.id in ("gpu_hours", "gpu_count")}
    assert units == {"gpu_hours": "hours per CPU", "gpu_count": "CPUs"}
    assert "GPU" not in units["gpu_hours"]


def test_cpu_energy_uses_85_watts() -> None:
    spec = find_questionnaire("neurips-broader-impact")
    r = evaluate(spec, {"gpu_type": Answer(value="cpu"), "gpu_count": Answer(value=2), "gpu_hours": Answer(value=100),
                        "grid_region": Answer(value="france")})
    assert r.derived["co2.watts"] == 85
    assert r.derived["co2.kwh"] > 0


def test_fact_answered_in_one_questionnaire_is_answered_in_all(tmp_path: Path) -> None:
    specs = [find_questionnaire(q) for q in ("harms", "research-ethics", "neurips-broader-impact")]
    path = tmp_path / "a.yaml"
    doc = new_doc(specs, stage="development", answers_path=path)
    record_answer(doc, "harms", specs[0].question("vulnerable"), ["children", "patients"], note="ward")
    record_answer(doc, "research-ethics", specs[1].question("gpu_type"), "h100_sxm")
    with AnswerStore(path) as store:
        store.save(doc)
    back, _ = load_answers(path)
    assert back.format == "riskwizard-answers/2"
    assert back.facts["vulnerable_groups"].value == ["children", "patients"]
    assert back.facts["lifecycle_stage"].value == "development"
    assert back.stage == "development"
    assessment = open_assessment(path)
    answers = {s.id: assessment.doc.answers_for(s.id) for s in assessment.specs}
    assert answers["research-ethics"]["vulnerable_participants"].note == "ward"
    assert answers["neurips-broader-impact"]["vulnerable_groups"] is answers["harms"]["vulnerable"]
    assert answers["neurips-broader-impact"]["gpu_type"].value == "h100_sxm"
    result = evaluate_assessment(assessment.doc, assessment.specs)
    assert result.result("research-ethics").answered >= 1


def test_suggested_questionnaires_follow_the_scope_facts() -> None:
    deployed_hiring = {"has_paper": "no", "lifecycle_stage": "deployment", "operator_role": ["deployer"]}
    assert suggested_ids(deployed_hiring) == sorted(["bias-sources", "error-costs", "eu-ai-act", "harms"])
    paper = {"has_paper": "yes", "lifecycle_stage": "development", "operator_role": ["provider"]}
    assert set(suggested_ids(paper)) == {"bias-sources", "error-costs", "eu-ai-act", "harms", "model-card",
                                         "neurips-broader-impact", "research-ethics"}  # venue open: NeurIPS
    product = {"has_paper": "no", "lifecycle_stage": "development", "operator_role": ["provider"]}
    assert "neurips-broader-impact" not in suggested_ids(product)
    assert {"research-ethics", "model-card"} <= set(suggested_ids(product))
    reasons = {s.id: s.reason for s in suggest_questionnaires(deployed_hiring)}
    assert "has_paper" in reasons["neurips-broader-impact"]
    assert reasons["neurips-broader-impact"].startswith("not suggested: the answers to has_paper do not meet")
    assert "(paper_venue not answered)" in reasons["neurips-broader-impact"]
    assert reasons["canada-aia"].startswith("not suggested: its condition is not met (canada_federal not answered)")


@pytest.mark.parametrize(("venues", "checklists"), [
    ([], {"neurips-broader-impact"}),  # not named yet: the general checklist, as before venues were asked
    (["neurips"], {"neurips-broader-impact"}),
    (["acl"], {"acl-responsible-nlp"}),  # an ACL author is not asked the 70 NeurIPS questions
    (["other"], {"neurips-broader-impact"}),  # no checklist of that venue is bundled
    (["neurips", "acl"], {"neurips-broader-impact", "acl-responsible-nlp"}),
    (["acl", "other"], {"neurips-broader-impact", "acl-responsible-nlp"}),
])
def test_the_paper_venue_decides_which_checklists_are_suggested(venues: list[str], checklists: set[str]) -> None:
    facts = {"has_paper": "yes", "lifecycle_stage": "development", "operator_role": ["provider"]}
    if venues:
        facts["paper_venue"] = venues
    venue_checklists = {"neurips-broader-impact", "acl-responsible-nlp"}
    assert set(suggested_ids(facts)) & venue_checklists == checklists
    assert "research-ethics" in suggested_ids(facts)
    # no paper: no venue checklist, whatever venue was left behind in the file
    assert not set(suggested_ids({**facts, "has_paper": "no"})) & venue_checklists


def test_the_venue_options_are_the_ones_the_cli_and_start_screen_offer() -> None:
    from riskwizard.applicability import VENUES
    from riskwizard.cli import new
    from riskwizard.loader import load_catalogue
    from riskwizard.tui.screens.start import VENUE_LABELS

    options = [o.value for o in load_catalogue().question("paper_venue").options]
    assert list(VENUES) == options == list(VENUE_LABELS)
    (venue_option,) = [p for p in new.params if p.name == "venues"]
    assert list(venue_option.type.choices) == options


@pytest.mark.parametrize("sample", ["cv-screening", "face-recognition-station", "llm-paper", "medical-imaging"])
def test_samples_hold_exactly_the_suggested_questionnaires(sample: str) -> None:
    assessment = open_assessment(ROOT / "samples" / f"{sample}.yaml")
    assert sorted(s.id for s in assessment.specs) == suggested_ids(assessment.doc.facts)


def _rw(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_new_suggests_from_the_facts(tmp_path: Path) -> None:
    done = _rw("new", "hiring.yaml", "--stage", "deployment", "--role", "deployer", "--no-paper", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "- neurips-broader-impact" in done.stdout and "+ harms" in done.stdout
    doc, _ = load_answers(tmp_path / "hiring.yaml")
    assert [r.id for r in doc.questionnaires] == ["eu-ai-act", "harms", "bias-sources", "error-costs"]
    assert doc.facts["operator_role"].value == ["deployer"] and doc.facts["has_paper"].value == "no"
    done = _rw("new", "paper.yaml", "--paper", "--role", "provider", cwd=tmp_path)
    doc, _ = load_answers(tmp_path / "paper.yaml")
    assert "neurips-broader-impact" in [r.id for r in doc.questionnaires]
    done = _rw("new", "given.yaml", "-q", "harms", "--paper", cwd=tmp_path)
    doc, _ = load_answers(tmp_path / "given.yaml")
    assert [r.id for r in doc.questionnaires] == ["harms"]


def test_migrate_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    old = (ROOT / "tests" / "fixtures" / "v1" / "samples" / "medical-imaging.yaml").read_bytes()
    path = tmp_path / "med.yaml"
    path.write_bytes(old)
    done = _rw("migrate", "med.yaml", "--dry-run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "-format: riskwizard-answers/1" in done.stdout and "+format: riskwizard-answers/2" in done.stdout
    assert "+facts:" in done.stdout and "-stage: development" in done.stdout
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["med.yaml"]
    done = _rw("migrate", "med.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "med.yaml.v1.bak").read_bytes() == old
    assert load_answers(path)[0].format == "riskwizard-answers/2"
    again = _rw("migrate", "med.yaml", "--dry-run", cwd=tmp_path)
    assert "nothing to change" in again.stdout


def test_old_file_opens_and_keeps_one_backup_through_saves(tmp_path: Path) -> None:
    old = (ROOT / "tests" / "fixtures" / "v1" / "samples" / "cv-screening.yaml").read_bytes()
    path = tmp_path / "cv.yaml"
    path.write_bytes(old)
    (tmp_path / "cv.yaml.v1.bak").write_bytes(b"an older backup")
    with AnswerStore(path) as store:
        doc, _ = store.load()
        assessment = open_assessment(path, strict=False, loaded=(doc, _))
        store.save(assessment.doc)
        store.save(assessment.doc)
    assert (tmp_path / "cv.yaml.v1.bak").read_bytes() == b"an older backup"  # never overwritten
    assert (tmp_path / "cv.yaml.v1-2.bak").read_bytes() == old
    assert not (tmp_path / "cv.yaml.v1-3.bak").exists()  # one backup, not one per save
    assert "conflicts:" in path.read_text(encoding="utf-8")



def test_applicability_changes_name_what_a_scope_answer_turned() -> None:
    from riskwizard.applicability import applicability_changes, bundled_specs

    bundled = bundled_specs()
    by_id = {s.id: s for s in bundled}
    neurips_only = [by_id["eu-ai-act"], by_id["neurips-broader-impact"]]
    before = {"has_paper": "yes", "paper_venue": ["neurips"]}
    after = {"has_paper": "yes", "paper_venue": ["neurips", "acl"]}
    lines = applicability_changes(before, after, neurips_only, bundled)
    assert len(lines) == 1 and lines[0].startswith(
        "With this answer, ACL Rolling Review Responsible NLP Research checklist applies too.")
    assert "riskwizard new FILE -q acl-responsible-nlp" in lines[0]
    # venue only ACL: the NeurIPS statement of this file no longer applies; the ACL one now does
    lines = applicability_changes(before, {"has_paper": "yes", "paper_venue": ["acl"]}, neurips_only, bundled)
    assert any(line.startswith("NeurIPS broader impact statement and paper checklist no longer applies")
               for line in lines) and len(lines) == 2
    assert applicability_changes(before, dict(before), neurips_only, bundled) == []
    # no paper: nothing outside the file starts to apply, the file's NeurIPS part stops
    lines = applicability_changes(before, {"has_paper": "no"}, neurips_only, bundled)
    assert [line.split(" no longer")[0] for line in lines] == ["NeurIPS broader impact statement and paper checklist"]
