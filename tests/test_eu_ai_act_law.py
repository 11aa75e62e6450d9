"""EU AI Act 1.3.0 (issue 16): the tier follows the duties of the operator's role, Art 5(2) safeguards,
no duty speaks at a tier where it does not apply, and application dates as data with their legal status."""

from __future__ import annotations

import difflib
import itertools
import shutil
from pathlib import Path

import pytest

from riskwizard.answers import Answer
from riskwizard.engine import AnswerView, evaluate
from riskwizard.errors import ErrorGroup
from riskwizard.loader import load_questionnaire
from riskwizard.qtest import load_cases, spec_for_case
from riskwizard.timeline import STATUS_WORDS, act_in_law, resolve

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / "questionnaires" / "eu-ai-act.yaml"
CASES = ROOT / "questionnaires" / "tests" / "eu-ai-act.yaml"


@pytest.fixture(scope="module")
def spec():
    return load_questionnaire(PATH)


def A(value=None, unknown: bool = False) -> Answer:  # noqa: N802 - short helper
    return Answer(value=value, unknown=unknown)


BASE = {"artefact": "ai_system", "eu_nexus": "yes", "military_only": "no", "sole_research": "no",
        "pre_market_research": "no", "open_source": "proprietary", "p5a_manipulation": "no", "p5b_vulnerability": "no",
        "p5c_social_scoring": "no", "p5d_crime_prediction": "none", "p5e_face_scraping": "no", "biometric_data": "no",
        "annex1_product": "no", "annex3_areas": ["none"], "art50_interacts": "no", "art50_generates": ["none"],
        "provider_established": "yes"}
DEPLOYER = {"role": ["deployer"], "deployer_type": "private_other", "personal_use": "no"}
PROVIDER = {"role": ["provider"]}


def run(spec, **changes):
    merged = {**BASE, **changes}
    return evaluate(spec, {k: v if isinstance(v, Answer) else A(v) for k, v in merged.items() if v is not None})


def shown(result) -> set[str]:
    return {f.rule_id for f in result.findings}


def obligations(result) -> dict[str, str | None]:
    return {o.id: o.applies_from for o in result.obligations}


# --------------------------------------------------------------------------- item 1: the tier follows the role

CHATBOT = dict(art50_interacts="yes", art50_obvious="no")
GENERATOR = dict(art50_generates=["image"], art50_editing_only="no")


def test_deployer_of_someone_elses_chatbot_is_not_limited(spec) -> None:
    r = run(spec, **DEPLOYER, **CHATBOT)
    assert r.tier.id == "minimal"
    assert "transparency_art50_1" not in r.flags and "duty_art50_1" not in obligations(r)
    other = next(f for f in r.findings if f.rule_id == "art50_1_provider_duty")
    assert "provider" in other.title and "not to you" in other.title and "Art 50(1)" in other.citation
    assert "art50_1_chatbot" not in shown(r) and "limited_art50" not in shown(r)


def test_deployer_of_a_generator_without_deep_fakes_or_public_text_is_not_limited(spec) -> None:
    r = run(spec, **DEPLOYER, **GENERATOR, art50_deepfake="no", p5_intimate_content="no")
    assert r.tier.id == "minimal"
    assert not {"transparency_art50_2", "transparency_art50_4"} & set(r.flags)
    assert "art50_2_provider_duty" in shown(r)
    text = run(spec, **DEPLOYER, art50_generates=["text"], art50_editing_only="no", art50_public_text="yes",
               art50_editorial="yes")
    assert text.tier.id == "minimal" and "art50_4_editorial" in shown(text)
    # the deployer's own duty makes the tier
    fake = run(spec, **DEPLOYER, **GENERATOR, art50_deepfake="yes", art50_artistic="no", p5_intimate_content="no")
    assert fake.tier.id == "limited" and "transparency_art50_4" in fake.flags and "duty_art50_4" in obligations(fake)
    public = run(spec, **DEPLOYER, art50_generates=["text"], art50_editing_only="no", art50_public_text="yes",
                 art50_editorial="no")
    assert public.tier.id == "limited" and "art50_4_public_text" in shown(public)


def test_provider_of_non_sensitive_biometric_categorisation_is_not_limited(spec) -> None:
    r = run(spec, **PROVIDER, biometric_data="yes", biometric_functions=["categorisation_other"])
    assert r.tier.id == "minimal"
    assert "transparency_art50_3" not in r.flags
    assert "art50_3_deployer_duty" in shown(r)
    deployer = run(spec, **DEPLOYER, biometric_data="yes", biometric_functions=["categorisation_other"])
    assert deployer.tier.id == "limited" and "duty_art50_3" in obligations(deployer)
    assert "art50_3_deployer_duty" not in shown(deployer)


def test_both_roles_carry_both_kinds_of_duty(spec) -> None:
    r = run(spec, role=["provider", "deployer"], deployer_type="private_other", **CHATBOT, **GENERATOR,
            art50_on_market_before="no", art50_deepfake="yes", art50_artistic="no", p5_intimate_content="no")
    assert r.tier.id == "limited"
    assert {"transparency_art50_1", "transparency_art50_2", "transparency_art50_4"} <= set(r.flags)
    assert not {"art50_1_provider_duty", "art50_2_provider_duty", "art50_4_deployer_duty"} & shown(r)
    assert "provider" in r.tier.reason and "deployer" in r.tier.reason


def test_provider_only_of_a_generator_is_limited_and_told_whose_the_disclosure_is(spec) -> None:
    r = run(spec, **PROVIDER, **GENERATOR, art50_on_market_before="no", p5_intimate_content="no")
    assert r.tier.id == "limited" and "transparency_art50_2" in r.flags
    assert "art50_4_deployer_duty" in shown(r)


def test_art50_6_duties_stack_on_high_risk(spec) -> None:
    r = run(spec, role=["provider", "deployer"], deployer_type="private_other", annex3_areas=["employment"],
            annex3_employment=["recruitment"], derog_conditions=["none"], profiling="yes", **CHATBOT)
    assert r.tier.id == "high"
    assert {"duty_art50_1", "provider_risk_management", "deployer_use_and_oversight"} <= set(obligations(r))
    assert "limited_art50" in shown(r)  # its finding says the Art 50 duties apply on top


def test_importer_only_and_unknown_role_carry_no_art50_duty(spec) -> None:
    importer = run(spec, role=["importer_distributor"], **CHATBOT, **GENERATOR)
    assert importer.tier.id == "minimal"
    assert {"art50_1_provider_duty", "art50_2_provider_duty"} <= shown(importer)
    unknown = run(spec, role=A(unknown=True), **CHATBOT)
    assert unknown.tier.id == "minimal"
    assert "unknown_role" in shown(unknown) and "art50_1_provider_duty" not in shown(unknown)


def test_open_source_chatbot_stays_in_scope_whoever_deploys_it(spec) -> None:
    # Art 2(12) asks whether the system falls under Art 50, not whether the duty is this operator's
    r = run(spec, **DEPLOYER, open_source="foss", **CHATBOT)
    assert r.tier.id == "minimal" and r.tier.rule_id is None
    assert "art50_1_provider_duty" in shown(r)


# --------------------------------------------------------------------------- item 2: Art 5(2) and 5(3)

RBI = dict(**{**DEPLOYER, "deployer_type": "public_body"}, biometric_data="yes",
           biometric_functions=["remote_identification"], rbi_realtime="realtime", rbi_law_enforcement="yes",
           rbi_public_space="yes", rbi_objective="imminent_threat", rbi_strictly_necessary="yes",
           rbi_national_law="yes", derog_conditions=["none"], profiling="no")


@pytest.mark.parametrize(("urgency", "authorised", "fria", "registered"),
                         list(itertools.product(["yes", "no"], repeat=4)))
def test_excepted_realtime_rbi_needs_authorisation_fria_and_registration(spec, urgency, authorised, fria,
                                                                          registered) -> None:
    r = run(spec, **RBI, rbi_urgency=urgency, rbi_authorisation=authorised, rbi_fria=fria, rbi_registered=registered)
    lawful = authorised == "yes" and fria == "yes" and (registered == "yes" or urgency == "yes")
    assert r.tier.id == ("high" if lawful else "prohibited"), r.tier.reason
    assert ("rbi_law_enforcement_exception" in r.flags) == lawful
    assert ("deployer_rbi_safeguards" in obligations(r)) == lawful
    assert ("cease_prohibited_practice" in obligations(r)) == (not lawful)
    assert ("art5_2_no_fria" in shown(r)) == (fria == "no")
    assert ("art5_2_not_registered" in shown(r)) == (registered == "no" and urgency == "no")
    assert ("art5_2_urgency" in shown(r)) == (lawful and urgency == "yes")


def test_rbi_safeguard_questions_are_asked_only_for_a_listed_objective(spec) -> None:
    view = AnswerView(spec, {k: A(v) for k, v in {**BASE, **RBI}.items()})
    for qid in ("rbi_urgency", "rbi_authorisation", "rbi_fria", "rbi_registered"):
        assert view.is_visible(qid), qid
        assert "Art 5(2)" in spec.question(qid).source or "Art 5(3)" in spec.question(qid).source
    watch_list = AnswerView(spec, {k: A(v) for k, v in {**BASE, **RBI, "rbi_objective": "other"}.items()})
    assert not watch_list.is_visible("rbi_fria")
    assert "no urgency exception" in spec.question("rbi_urgency").help.lower() or \
        "has no urgency exception" in spec.question("rbi_urgency").help


@pytest.mark.parametrize("qid", ["rbi_urgency", "rbi_fria", "rbi_registered"])
def test_dont_know_on_a_safeguard_cannot_rule_out_the_ban(spec, qid) -> None:
    answers = dict(rbi_urgency="no", rbi_authorisation="yes", rbi_fria="yes", rbi_registered="yes")
    answers[qid] = A(unknown=True)
    r = run(spec, **RBI, **answers)
    assert "unknown_prohibited" in shown(r)


# --------------------------------------------------------------------------- item 3: no duty at the wrong tier

EXCLUSIONS = {
    "sole_research": dict(sole_research="yes"),
    "no_eu_link": dict(eu_nexus="no"),
    "military": dict(military_only="exclusively_military"),
    "pre_market": dict(pre_market_research="lab_only"),
    "personal_use": dict(role=["deployer"], deployer_type="private_other", personal_use="yes"),
    "intl_cooperation": dict(role=["deployer"], deployer_type="third_country_public", intl_cooperation="yes"),
    "open_source": dict(open_source="foss"),
}
PROHIBITION = dict(p5c_social_scoring="yes")
# Findings that may be shown at these tiers, and why (everything else must be held back by only_at_tiers).
SCOPE_RULES = {"not_ai_system", "art2_3_military", "art2_4_international_cooperation", "art2_1_no_eu_link",
               "art2_6_sole_research", "art2_8_pre_market", "art2_10_personal_use", "art2_12_open_source"}
CLASSIFICATION_NOTES = {"biometric_verification_only", "fraud_detection_carve_out", "travel_document_carve_out",
                        "campaign_logistics_carve_out", "annex_i_no_third_party", "art5_1_d_supports_human",
                        "art5_1_g_law_enforcement_datasets", "gpai_model_only"}
UNKNOWN = {"unknown_artefact", "unknown_role", "unknown_scope", "unknown_prohibited", "unknown_annex_i",
           "unknown_annex_iii", "unknown_derogation", "unknown_transparency", "unknown_gpai_systemic"}  # ask to resolve
GPAI = {"gpai_model", "gpai_systemic_compute", "gpai_systemic_designated", "gpai_open_source_reduction",
        "gpai_open_source_unconfirmed"}  # Chapter V binds the model's provider whatever the system's tier
ALLOWED = {
    "out_of_scope": SCOPE_RULES | CLASSIFICATION_NOTES | GPAI | UNKNOWN
    | {"excluded_but_prohibited", "excluded_but_high_risk", "excluded_but_transparency"},
    "prohibited": CLASSIFICATION_NOTES | GPAI | UNKNOWN
    | {"art2_8_real_world_testing", "military_dual_use", "art5_intimate_content_csam_pending",
       "art5_intimate_content_safeguarded", "art5_2_no_fria", "art5_2_not_registered", "art5_1_h_no_authorisation",
       "art5_1_a_manipulation", "art5_1_b_vulnerability", "art5_1_c_social_scoring", "art5_1_d_crime_prediction",
       "art5_1_e_face_scraping", "art5_1_f_emotion_work_education", "art5_1_g_sensitive_categorisation",
       "art5_1_h_realtime_rbi", "art5_intimate_content_csam"},
}
ALLOWED_FLAGS = {"out_of_scope": {"gpai", "gpai_systemic_risk"},
                 "prohibited": {"gpai", "gpai_systemic_risk", "art5_prohibition", "art5_prohibition_omnibus"}}
ALLOWED_OBLIGATIONS = {"out_of_scope": lambda o: o.startswith("gpai_"),
                       "prohibited": lambda o: o.startswith(("gpai_", "cease_")) or o == "ai_literacy"}


def _every_rule_under_every_exclusion(spec):
    for case in load_cases(spec, CASES):
        case_spec = spec_for_case(spec, case)
        base = {k: a.value for k, a in case.answers.items() if not a.unknown}
        for name, changes in [*EXCLUSIONS.items(), ("prohibition", PROHIBITION)]:
            answers = {k: A(v) for k, v in {**base, **changes}.items()}
            answers.update({k: a for k, a in case.answers.items() if a.unknown and k not in changes})
            yield case.id, name, case_spec, evaluate(case_spec, answers)


def test_no_finding_flag_or_obligation_speaks_as_if_a_duty_applied_at_those_tiers(spec) -> None:
    held_back: set[str] = set()
    checked = 0
    for case_id, name, _case_spec, r in _every_rule_under_every_exclusion(spec):
        if r.tier.id not in ALLOWED:
            continue
        checked += 1
        where = f"{case_id} + {name} -> {r.tier.id}"
        assert shown(r) <= ALLOWED[r.tier.id], f"{where}: {sorted(shown(r) - ALLOWED[r.tier.id])}"
        assert set(r.flags) <= ALLOWED_FLAGS[r.tier.id], f"{where}: {r.flags}"
        bad = [o for o in obligations(r) if not ALLOWED_OBLIGATIONS[r.tier.id](o)]
        assert not bad, f"{where}: {bad}"
        held_back |= {t.rule_id for t in r.trace if any("not shown at tier" in e for e in t.effects)}
    assert checked > 500
    gated = {rule.id for rule in spec.model.rules if rule.only_at_tiers and "out_of_scope" not in rule.only_at_tiers}
    # every rule that is held back at those tiers was seen held back at least once (each such rule is tested)
    assert gated - held_back == set(), sorted(gated - held_back)


def test_conditional_findings_at_out_of_scope_say_would(spec) -> None:
    for rid in ("excluded_but_prohibited", "excluded_but_high_risk", "excluded_but_transparency"):
        rule = next(r for r in spec.model.rules if r.id == rid)
        assert rule.only_at_tiers == ["out_of_scope"]
        assert "would" in rule.finding.explanation and "would" in rule.finding.title, rid


def test_personal_use_deep_fake_gets_no_deployer_duty(spec) -> None:
    r = run(spec, role=["deployer"], deployer_type="private_other", personal_use="yes", art50_generates=["video"],
            art50_editing_only="no", art50_deepfake="yes", art50_artistic="no", p5_intimate_content="no")
    assert r.tier.id == "out_of_scope" and r.tier.rule_id == "art2_10_personal_use"
    assert "art50_4_deepfake" not in shown(r) and "transparency_art50_4" not in r.flags
    assert "excluded_but_transparency" in shown(r)
    trace = next(t for t in r.trace if t.rule_id == "art50_4_deepfake")
    assert "finding and flags not shown at tier out_of_scope" in trace.effects


# --------------------------------------------------------------------------- item 5: amendments as data


def test_each_date_carries_its_basis_and_the_status_of_its_act(spec) -> None:
    acts = {a.id: a for a in spec.model.acts}
    assert acts["ai_act"].status == "published" and acts["ai_act"].oj_reference == "OJ L, 2024/1689, 12.7.2024"
    omnibus = acts["digital_omnibus_ai"]
    assert omnibus.status == "adopted" and omnibus.oj_reference == "" and not act_in_law(omnibus)
    steps = {e.status for e in omnibus.record if e.verified}
    assert {"proposed", "agreed", "adopted"} <= steps and "published" not in steps
    for e in omnibus.record:
        assert e.source and e.url.startswith("https://") and e.claim, e
    reported = [e for e in omnibus.record if not e.verified]
    assert [e.status for e in reported] == ["published"] and "2026/1744" in reported[0].claim
    parliament = next(e for e in omnibus.record if e.date == "2026-06-16")
    council = next(e for e in omnibus.record if e.date == "2026-06-29")
    assert "Parliament" in parliament.claim and "Council" in council.claim
    for entry in spec.model.timeline:
        for d in entry.dates:
            assert d.basis and d.act in acts, entry.id


def test_the_original_and_the_amended_timeline_side_by_side(spec) -> None:
    annex_iii = resolve(spec.model, "annex_iii_high_risk")
    assert annex_iii.applies_from == "2026-08-02"
    assert [(r.date, r.status, r.applies) for r in annex_iii.rows] == [("2026-08-02", "published", True),
                                                                       ("2027-12-02", "adopted", False)]
    text = annex_iii.date_source()
    assert text.startswith("AI Act Art 113 second paragraph (general date of application), OJ L, 2024/1689")
    assert f"Not yet law: 2027-12-02 under the Digital Omnibus on AI ({STATUS_WORDS['adopted']}" in text
    assert resolve(spec.model, "annex_i_high_risk").applies_from == "2027-08-02"
    ban = resolve(spec.model, "art5_intimate_content_csam")
    assert ban.applies_from is None and not ban.in_law


def test_no_unconfirmed_date_is_ever_presented_as_law(spec) -> None:
    """Over every case of the shipped suite: each listed obligation's date is one a published act sets."""
    for case in load_cases(spec, CASES):
        case_spec = spec_for_case(spec, case)
        r = evaluate(case_spec, case.answers)
        for ob in r.obligations:
            applying = [d for d in ob.timeline if d["applies"]]
            assert len(applying) == 1 and applying[0]["status"] == "published", (case.id, ob.id)
            assert ob.applies_from == applying[0]["date"]
        for ob in r.pending_obligations:
            assert not any(d["applies"] for d in ob.timeline) and ob.applies_from is None


def _published_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "eu-ai-act.yaml"
    shutil.copy(PATH, copy)
    text = copy.read_text(encoding="utf-8")
    old = '    status: adopted\n    oj_reference: ""\n'
    assert text.count(old) == 1
    copy.write_text(text.replace(old, '    status: published\n    oj_reference: "OJ L, 2026/1744, 24.7.2026"\n'),
                    encoding="utf-8")
    return copy


def test_one_data_edit_switches_which_dates_apply(spec, tmp_path: Path) -> None:
    copy = _published_copy(tmp_path)
    diff = [line for line in difflib.unified_diff(PATH.read_text(encoding="utf-8").splitlines(),
                                                  copy.read_text(encoding="utf-8").splitlines(), n=0, lineterm="")
            if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert len(diff) == 4  # the status and the OJ reference of one act: two lines out, two in
    published = load_questionnaire(copy)
    high = dict(**PROVIDER, annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["none"],
                profiling="yes")
    before, after = obligations(run(spec, **high)), obligations(run(published, **high))
    assert before["provider_risk_management"] == "2026-08-02" and after["provider_risk_management"] == "2027-12-02"
    assert before["ai_literacy"] == after["ai_literacy"] == "2025-02-02"
    product = dict(**PROVIDER, annex1_product="is_product", annex1_legislation="medical_devices",
                   annex1_third_party="yes")
    assert obligations(run(published, **product))["provider_risk_management_annex_i"] == "2028-08-02"
    chatbot = obligations(run(published, **PROVIDER, **CHATBOT))
    assert chatbot["duty_art50_1"] == "2026-08-02"  # Art 50 is not postponed
    legacy = dict(**PROVIDER, **GENERATOR, art50_on_market_before="yes", p5_intimate_content="no")
    assert obligations(run(spec, **legacy))["duty_art50_2_existing_systems"] == "2026-08-02"
    assert obligations(run(published, **legacy))["duty_art50_2_existing_systems"] == "2026-12-02"
    source = next(o for o in run(published, **high).obligations if o.id == "provider_risk_management").date_source
    assert "OJ L, 2026/1744" in source and "Replaced: 2026-08-02" in source


def test_publication_turns_the_adopted_ban_into_a_prohibition(spec, tmp_path: Path) -> None:
    published = load_questionnaire(_published_copy(tmp_path))
    nudifier = dict(**PROVIDER, **GENERATOR, art50_on_market_before="no", p5_intimate_content="intended")
    pending = run(spec, **nudifier)
    assert pending.tier.id == "limited"
    assert "art5_intimate_content_csam_pending" in shown(pending)
    assert "not yet" in next(f for f in pending.findings if f.rule_id == "art5_intimate_content_csam_pending").title
    assert "cease_intimate_content_csam" not in obligations(pending)  # the ban is not law, so no duty to cease
    law = run(published, **nudifier)
    assert law.tier.id == "prohibited" and law.tier.rule_id == "art5_intimate_content_csam"
    assert obligations(law) == {"cease_intimate_content_csam": "2026-12-02"}  # no AI literacy next to a ban
    assert "art5_intimate_content_csam_pending" not in shown(law)
    machinery = dict(**PROVIDER, annex1_product="safety_component", annex1_legislation="machinery",
                     annex1_third_party="yes")
    assert "provider_risk_management_annex_i" in obligations(run(spec, **machinery))
    moved = run(published, **machinery)
    assert "annex_i_machinery_section_b" in moved.flags
    assert not [o for o in obligations(moved) if o.endswith("_annex_i")]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('    status: adopted\n    oj_reference: ""\n', '    status: published\n    oj_reference: ""\n',
     "is published: give its `oj_reference`"),
    ('    status: adopted\n    oj_reference: ""\n', '    status: adopted\n    oj_reference: "OJ L, 2026/1"\n',
     "has an `oj_reference` but its status is `adopted`"),
    ("      - {act: digital_omnibus_ai, date: \"2027-12-02\"", "      - {act: omnibus, date: \"2027-12-02\"",
     "names unknown act `omnibus`"),
    ("    timeline: annex_iii_high_risk\n", "    timeline: annex_3\n", "unknown timeline entry `annex_3`"),
    ("    law_gate: {timeline: machinery_section_b, state: law}",
     "    law_gate: {timeline: machinery, state: law}", "gates on unknown timeline entry `machinery`"),
    ("    only_at_tiers: [out_of_scope]\n", "    only_at_tiers: [excluded]\n", "unknown tier `excluded`"),
    ("    status: adopted\n", "    status: enacted\n", "status"),
])
def test_bad_timeline_data_is_refused_with_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = PATH.read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / "eu-ai-act.yaml"
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ErrorGroup) as errors:
        load_questionnaire(copy)
    shown_text = str(errors.value)
    assert message in shown_text and "eu-ai-act.yaml:" in shown_text


def test_score_shows_the_date_that_applies_and_the_other_timeline(tmp_path: Path, capsys) -> None:
    from riskwizard.cli import main

    main(["score", str(ROOT / "samples" / "cv-screening.yaml"), "--no-trace"])
    out = capsys.readouterr().out
    assert ("Obligation: Use according to instructions, with human oversight from 2026-08-02 "
            "[not law yet: 2027-12-02, Digital Omnibus on AI adopted]") in out
    assert "High-risk obligations for Annex III systems (Chapter III Sections 1-3): 2026-08-02  | also: 2027-12-02 " \
           "(Digital Omnibus on AI: adopted, not yet published in the Official Journal)" in out
    assert "Digital Omnibus on AI: adopted, not yet published in the Official Journal, checked 2026-12-03" in out
    assert "reported, not verified: Reported published as Regulation (EU) 2026/1744" in out


def test_an_old_4b_answer_keeps_both_limbs_and_its_forced_profiling(tmp_path: Path) -> None:
    """Questionnaire 3.0.0 split Annex III 4(b): an answer given to the single old option is read as both limbs,
    so the derogation it blocked stays blocked (nothing lost, no duty lost) until the user narrows it."""
    from riskwizard.assessment import open_assessment

    root = Path(__file__).resolve().parent.parent
    text = (root / "samples" / "cv-screening.yaml").read_text(encoding="utf-8")
    old = "    annex3_employment:\n      value:\n      - recruitment\n"
    assert old in text
    path = tmp_path / "old.yaml"
    new = "    annex3_employment:\n      value:\n      - work_decisions\n"
    path.write_text(text.replace(old, new), encoding="utf-8")
    assessment = open_assessment(path)
    eu = assessment.evaluate().result("eu-ai-act")
    assert assessment.doc.answers["eu-ai-act"]["annex3_employment"].value == ["work_terms", "task_monitoring"]
    assert eu.tier.id == "high"
    assert "art6_3_profiling_override" in {f.rule_id for f in eu.findings}
