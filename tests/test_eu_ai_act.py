"""The EU AI Act questionnaire on the tricky cases of the Regulation, and the four sample parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.answers import Answer, check_value
from riskwizard.engine import AnswerView, evaluate
from riskwizard.loader import load_questionnaire
from riskwizard.whatif import what_would_change

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / "questionnaires" / "eu-ai-act.yaml"
PARTS = ROOT / "samples" / "parts"


@pytest.fixture(scope="module")
def spec():
    return load_questionnaire(PATH)


def A(value=None, unknown: bool = False) -> Answer:  # noqa: N802 - short helper
    return Answer(value=value, unknown=unknown)


# A plain, in-scope AI system with nothing special about it; cases change only what matters.
BASE = {
    "artefact": "ai_system",
    "role": ["provider"],
    "eu_nexus": "yes",
    "military_only": "no",
    "sole_research": "no",
    "pre_market_research": "no",
    "open_source": "proprietary",
    "p5a_manipulation": "no",
    "p5b_vulnerability": "no",
    "p5c_social_scoring": "no",
    "p5d_crime_prediction": "none",
    "p5e_face_scraping": "no",
    "biometric_data": "no",
    "annex1_product": "no",
    "annex3_areas": ["none"],
    "art50_interacts": "no",
    "art50_generates": ["none"],
}


def answers(**changes) -> dict[str, Answer]:
    merged = {**BASE, **changes}
    return {k: (v if isinstance(v, Answer) else A(v)) for k, v in merged.items() if v is not None}


def run(spec, **changes):
    return evaluate(spec, answers(**changes))


def fired(result) -> set[str]:
    return {t.rule_id for t in result.trace}


def obligation_ids(result) -> set[str]:
    return {o.id for o in result.obligations}


def test_loads_with_sources_and_help(spec) -> None:
    assert spec.id == "eu-ai-act"
    assert spec.model.as_of == "2026-12-03"
    assert [lvl.id for lvl in spec.model.outcome.levels] == ["out_of_scope", "prohibited", "high", "limited",
                                                               "gpai_systemic", "gpai_model", "minimal"]
    assert spec.model.outcome.mode == "first_match"
    for q in spec.questions():
        assert q.help.strip() and q.why.strip() and q.source.strip(), q.id
    for rule in spec.model.rules:
        f = rule.finding
        assert f is not None, rule.id
        assert f.explanation.strip() and f.recommendation.strip() and f.citation.strip(), rule.id
    for ob in spec.model.obligations:  # every date comes from the timeline, with its legal basis and status
        assert ob.timeline and not ob.applies_from and not ob.date_source, ob.id


def test_baseline_is_minimal(spec) -> None:
    r = run(spec)
    assert r.tier.id == "minimal"
    assert r.tier.rule_id is None


# --------------------------------------------------------------------------- biometrics


def test_one_to_one_face_verification_is_not_high_risk(spec) -> None:
    r = run(spec, biometric_data="yes", biometric_functions=["verification_1to1"])
    assert r.tier.id == "minimal"
    assert "biometric_verification_only" in fired(r)
    assert "high_risk_annex_iii" not in r.flags


def test_remote_identification_is_high_risk(spec) -> None:
    r = run(spec, biometric_data="yes", biometric_functions=["remote_identification"], rbi_realtime="post",
            rbi_law_enforcement="no")
    assert r.tier.id == "high"
    assert r.tier.rule_id == "high_annex_iii_1a"


def test_emotion_recognition_at_work_for_safety_is_high_not_prohibited(spec) -> None:
    r = run(spec, biometric_data="yes", biometric_functions=["emotion_recognition"],
            emotion_context="workplace_education", emotion_purpose="medical_safety", derog_conditions=["none"],
            profiling="no")
    assert r.tier.id == "high"
    assert r.tier.rule_id == "high_annex_iii_1c"
    assert "art5_1_f_emotion_work_education" not in fired(r)
    assert "art5_1_f_medical_safety" in fired(r)


def test_emotion_recognition_at_work_for_productivity_is_prohibited(spec) -> None:
    r = run(spec, biometric_data="yes", biometric_functions=["emotion_recognition"],
            emotion_context="workplace_education", emotion_purpose="other")
    assert r.tier.id == "prohibited"
    assert r.tier.rule_id == "art5_1_f_emotion_work_education"
    assert "high_annex_iii_1c" not in fired(r)


def test_sensitive_categorisation_dataset_labelling_is_not_prohibited(spec) -> None:
    banned = run(spec, biometric_data="yes", biometric_functions=["categorisation_art5"], p5g_exception="none")
    assert banned.tier.id == "prohibited"
    labelling = run(spec, biometric_data="yes", biometric_functions=["categorisation_art5"],
                    p5g_exception="dataset_labelling", derog_conditions=["none"], profiling="no")
    assert labelling.tier.id == "high"
    assert labelling.tier.rule_id == "high_annex_iii_1b"


# Art 5(1)(h) bans the use: the police force deploying the system (the vendor alone is a high-risk provider)
RTRBI = dict(role=["deployer"], deployer_type="public_body", personal_use="no", biometric_data="yes",
             biometric_functions=["remote_identification"], rbi_realtime="realtime",
             rbi_law_enforcement="yes", rbi_public_space="yes")


def test_realtime_rbi_general_watch_list_is_prohibited(spec) -> None:
    r = run(spec, **RTRBI, rbi_objective="other")
    assert r.tier.id == "prohibited"
    assert r.tier.rule_id == "art5_1_h_realtime_rbi"


def test_realtime_rbi_with_listed_exception_is_high_with_safeguards(spec) -> None:
    r = run(spec, **RTRBI,
            rbi_objective="victims_search", rbi_strictly_necessary="yes", rbi_national_law="yes",
            rbi_authorisation="yes", derog_conditions=["none"], profiling="no")
    assert r.tier.id == "high"
    assert r.tier.rule_id == "high_annex_iii_1a"
    assert "art5_1_h_exception" in fired(r)
    assert "rbi_law_enforcement_exception" in r.flags
    obs = obligation_ids(r)
    assert {"deployer_rbi_safeguards", "deployer_fria", "deployer_public_registration"} <= obs


def test_realtime_rbi_exception_without_national_law_is_prohibited(spec) -> None:
    r = run(spec, **RTRBI, rbi_objective="imminent_threat", rbi_strictly_necessary="yes", rbi_national_law="no")
    assert r.tier.id == "prohibited"


def test_realtime_rbi_not_strictly_necessary_is_prohibited(spec) -> None:
    r = run(spec, **RTRBI, rbi_objective="suspects_serious_crime", rbi_strictly_necessary="no",
            rbi_national_law="yes")
    assert r.tier.id == "prohibited"


# --------------------------------------------------------------------------- Annex III carve-outs


def test_financial_fraud_detection_is_not_credit_scoring(spec) -> None:
    r = run(spec, annex3_areas=["essential_services"], annex3_services=["fraud_detection"])
    assert r.tier.id == "minimal"
    assert "fraud_detection_carve_out" in fired(r)
    credit = run(spec, annex3_areas=["essential_services"], annex3_services=["creditworthiness"],
                 derog_conditions=["none"], profiling="yes")
    assert credit.tier.id == "high"
    assert credit.tier.rule_id == "high_annex_iii_5"


def test_travel_document_check_and_campaign_logistics_are_not_high(spec) -> None:
    travel = run(spec, annex3_areas=["migration"], annex3_migration=["travel_document_check"])
    assert travel.tier.id == "minimal"
    campaign = run(spec, annex3_areas=["justice_democracy"], annex3_justice=["campaign_logistics"])
    assert campaign.tier.id == "minimal"
    voters = run(spec, annex3_areas=["justice_democracy"], annex3_justice=["elections"], derog_conditions=["none"],
                 profiling="yes")
    assert voters.tier.id == "high"


def test_subpoints_only_shown_after_area_chosen(spec) -> None:
    view = AnswerView(spec, answers())
    assert not view.is_visible("annex3_employment")
    assert not view.is_visible("derog_conditions")
    view = AnswerView(spec, answers(annex3_areas=["employment"]))
    assert view.is_visible("annex3_employment")
    assert not view.is_visible("annex3_education")
    assert not view.is_visible("derog_conditions")  # only once a listed sub-point is chosen
    view = AnswerView(spec, answers(annex3_areas=["employment"], annex3_employment=["recruitment"]))
    assert view.is_visible("derog_conditions") and view.is_visible("profiling")


# --------------------------------------------------------------------------- Art 6(3)


def test_derogation_without_profiling_is_not_high_and_flags(spec) -> None:
    r = run(spec, annex3_areas=["education"], annex3_education=["evaluate_outcomes"],
            derog_conditions=["narrow_procedural"], profiling="no")
    assert r.tier.id == "minimal"
    assert "art6_3_derogation" in r.flags
    assert {"provider_derogation_documentation", "provider_derogation_registration"} <= obligation_ids(r)
    assert any(f.rule_id == "art6_3_derogation" and "49(2)" in f.citation for f in r.findings)


def test_derogation_with_profiling_stays_high(spec) -> None:
    r = run(spec, annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["preparatory"],
            profiling="yes")
    assert r.tier.id == "high"
    assert "art6_3_derogation" not in r.flags
    assert "art6_3_profiling_override" in fired(r)


def test_derogation_with_unknown_profiling_stays_high(spec) -> None:
    r = run(spec, annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["preparatory"],
            profiling=A(unknown=True))
    assert r.tier.id == "high"
    assert "unknown_derogation" in fired(r)


# --------------------------------------------------------------------------- scope


def test_open_source_high_risk_is_not_out_of_scope(spec) -> None:
    r = run(spec, open_source="foss", annex3_areas=["education"], annex3_education=["admission"],
            derog_conditions=["none"], profiling="yes")
    assert r.tier.id == "high"
    assert "art2_12_open_source" not in fired(r)


def test_open_source_plain_is_out_of_scope_but_not_with_chatbot(spec) -> None:
    plain = run(spec, open_source="foss")
    assert plain.tier.id == "out_of_scope"
    assert plain.tier.rule_id == "art2_12_open_source"
    chatbot = run(spec, open_source="foss", art50_interacts="yes", art50_obvious="no")
    assert chatbot.tier.id == "limited"
    prohibited = run(spec, open_source="foss", p5c_social_scoring="yes")
    assert prohibited.tier.id == "prohibited"
    assert "art2_12_open_source" not in fired(prohibited)


def test_military_only_is_out_of_scope_even_if_prohibited(spec) -> None:
    r = run(spec, military_only="exclusively_military", p5a_manipulation="yes")
    assert r.tier.id == "out_of_scope"
    assert r.tier.rule_id == "art2_3_military"
    assert "excluded_but_prohibited" in fired(r)
    dual = run(spec, military_only="dual_use", p5a_manipulation="yes")
    assert dual.tier.id == "prohibited"


def test_research_exclusions(spec) -> None:
    assert run(spec, sole_research="yes", annex3_areas=["employment"], annex3_employment=["recruitment"]).tier.id \
        == "out_of_scope"
    assert run(spec, pre_market_research="lab_only").tier.id == "out_of_scope"
    real = run(spec, pre_market_research="real_world_testing", annex3_areas=["employment"],
               annex3_employment=["recruitment"], derog_conditions=["none"], profiling="yes")
    assert real.tier.id == "high"
    assert "art2_8_real_world_testing" in fired(real)


def test_personal_use_only_for_pure_deployers(spec) -> None:
    personal = run(spec, role=["deployer"], deployer_type="private_other", personal_use="yes",
                   art50_interacts="yes", art50_obvious="no")
    assert personal.tier.id == "out_of_scope"
    view = AnswerView(spec, answers(role=["provider", "deployer"]))
    assert not view.is_visible("personal_use")


# --------------------------------------------------------------------------- Art 50


def test_chatbot_is_limited_with_art50_1(spec) -> None:
    r = run(spec, art50_interacts="yes", art50_obvious="no")
    assert r.tier.id == "limited"
    assert "transparency_art50_1" in r.flags
    assert "duty_art50_1" in obligation_ids(r)


def test_obvious_chatbot_has_no_disclosure_duty(spec) -> None:
    r = run(spec, art50_interacts="yes", art50_obvious="yes")
    assert r.tier.id == "minimal"
    assert "transparency_art50_1" not in r.flags


def test_standard_editing_has_no_marking_duty(spec) -> None:
    r = run(spec, art50_generates=["text"], art50_editing_only="yes")
    assert "transparency_art50_2" not in r.flags
    r = run(spec, art50_generates=["image"], art50_editing_only="no")
    assert "transparency_art50_2" in r.flags
    assert r.tier.id == "limited"


def test_high_risk_plus_deepfake_keeps_high_and_flags_50_4(spec) -> None:
    r = run(spec, role=["provider", "deployer"], deployer_type="private_other", annex3_areas=["employment"],
            annex3_employment=["work_terms"], derog_conditions=["none"], profiling="yes",
            art50_generates=["video"], art50_editing_only="no", art50_deepfake="yes", art50_artistic="no")
    assert r.tier.id == "high"
    assert {"transparency_art50_4", "transparency_art50_2"} <= set(r.flags)
    assert {"duty_art50_4", "duty_art50_2", "provider_risk_management"} <= obligation_ids(r)


def test_art50_duties_follow_the_role(spec) -> None:
    provider = run(spec, art50_interacts="yes", art50_obvious="no", art50_generates=["text"],
                   art50_editing_only="no")
    assert {"transparency_art50_1", "transparency_art50_2"} <= set(provider.flags)
    deployer = run(spec, role=["deployer"], deployer_type="private_other", personal_use="no", art50_interacts="yes",
                   art50_obvious="no", art50_generates=["text"], art50_editing_only="no", art50_public_text="yes",
                   art50_editorial="no")
    assert deployer.tier.id == "limited"
    assert "transparency_art50_1" not in deployer.flags
    assert "transparency_art50_4" in deployer.flags
    edited = run(spec, role=["deployer"], deployer_type="private_other", personal_use="no", art50_generates=["text"],
                 art50_editing_only="no", art50_public_text="yes", art50_editorial="yes")
    assert "transparency_art50_4" not in edited.flags


def test_emotion_recognition_deployer_gets_50_3(spec) -> None:
    r = run(spec, role=["deployer"], deployer_type="private_other", personal_use="no", biometric_data="yes",
            biometric_functions=["emotion_recognition"], emotion_context="other_context", derog_conditions=["none"],
            profiling="no")
    assert r.tier.id == "high"
    assert "transparency_art50_3" in r.flags


# --------------------------------------------------------------------------- GPAI


def test_gpai_above_threshold_is_systemic(spec) -> None:
    r = run(spec, artefact="gpai_model", gpai_compute=3e25, gpai_designated="no", gpai_on_market_before="no")
    assert {"gpai", "gpai_systemic_risk"} <= set(r.flags)
    assert r.tier.id == "gpai_systemic"  # the headline names the Art 55 duties it lists (legal review P5)
    assert r.tier.rule_id == "gpai_systemic_tier"
    assert "general-purpose" in r.tier.reason and "Art 55" in r.tier.reason
    assert {"gpai_notify_commission", "gpai_systemic_duties", "gpai_documentation"} <= obligation_ids(r)


def test_gpai_below_threshold_and_exactly_at_threshold_is_not_systemic(spec) -> None:
    for compute in (3e23, 1e25):
        r = run(spec, artefact="gpai_model", gpai_compute=compute, gpai_designated="no", gpai_on_market_before="no")
        assert "gpai" in r.flags
        assert "gpai_systemic_risk" not in r.flags


def test_gpai_designation_and_unknown_compute(spec) -> None:
    r = run(spec, artefact="gpai_model", gpai_compute=1e23, gpai_designated="yes", gpai_on_market_before="no")
    assert "gpai_systemic_risk" in r.flags
    r = run(spec, artefact="gpai_model", gpai_compute=A(unknown=True), gpai_designated="no",
            gpai_on_market_before="no")
    assert "unknown_gpai_systemic" in fired(r)
    assert "gpai_systemic_risk" not in r.flags


def test_open_source_gpai_reduced_duties_and_legacy_dates(spec) -> None:
    r = run(spec, artefact="gpai_model", open_source="foss", gpai_compute=1e24, gpai_designated="no",
            gpai_on_market_before="no")
    obs = obligation_ids(r)
    assert "gpai_copyright_summary" in obs
    assert "gpai_documentation" not in obs
    assert "gpai_open_source_reduction" in fired(r)
    legacy = run(spec, artefact="gpai_model", gpai_compute=1e24, gpai_designated="no", gpai_on_market_before="yes")
    dates = {o.id: o.applies_from for o in legacy.obligations}
    assert dates.get("gpai_legacy_compliance") == "2027-08-02"
    assert "gpai_copyright_summary" not in dates


# --------------------------------------------------------------------------- obligations and dates


def test_obligations_differ_by_role(spec) -> None:
    case = dict(annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["none"],
                profiling="yes")
    provider = obligation_ids(run(spec, role=["provider"], **case))
    deployer = obligation_ids(run(spec, role=["deployer"], deployer_type="private_other", personal_use="no", **case))
    assert {"provider_risk_management", "provider_quality_management", "provider_conformity_assessment",
            "provider_registration", "provider_technical_documentation"} <= provider
    assert not any(o.startswith("deployer_") for o in provider)
    assert {"deployer_use_and_oversight", "deployer_input_monitoring_logs", "deployer_inform_people"} <= deployer
    assert not any(o.startswith("provider_") for o in deployer)
    assert "deployer_fria" not in deployer  # a private employer is not a public-service FRIA deployer
    assert "ai_literacy" in provider and "ai_literacy" in deployer


def test_fria_for_public_bodies_and_credit_scoring(spec) -> None:
    public = run(spec, role=["deployer"], deployer_type="public_body", personal_use="no", annex3_areas=["education"],
                 annex3_education=["admission"], derog_conditions=["none"], profiling="yes")
    assert "deployer_fria" in obligation_ids(public)
    bank = run(spec, role=["deployer"], deployer_type="private_other", personal_use="no",
               annex3_areas=["essential_services"], annex3_services=["creditworthiness"], derog_conditions=["none"],
               profiling="yes")
    assert "deployer_fria" in obligation_ids(bank)


def test_dates_follow_the_route(spec) -> None:
    annex_iii = run(spec, annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["none"],
                    profiling="yes")
    dates = {o.id: o.applies_from for o in annex_iii.obligations}
    assert dates["provider_risk_management"] == "2026-08-02"
    assert dates["ai_literacy"] == "2025-02-02"
    annex_i = run(spec, annex1_product="safety_component", annex1_legislation="machinery", annex1_third_party="yes")
    assert annex_i.tier.id == "high"
    dates = {o.id: o.applies_from for o in annex_i.obligations}
    assert dates["provider_risk_management_annex_i"] == "2027-08-02"
    assert "provider_risk_management" not in dates
    assert "provider_registration" not in dates  # Annex I products are not registered under Art 49(1)
    both = run(spec, annex1_product="safety_component", annex1_legislation="machinery", annex1_third_party="yes",
               annex3_areas=["critical_infrastructure"], annex3_infrastructure="safety_component",
               derog_conditions=["none"], profiling="no")
    ids = obligation_ids(both)
    assert "provider_risk_management" in ids and "provider_risk_management_annex_i" not in ids
    prohibited = run(spec, p5e_face_scraping="yes")
    assert "cease_prohibited_practice" in obligation_ids(prohibited)
    assert "provider_risk_management" not in obligation_ids(prohibited)


def test_provider_outside_the_eu_appoints_an_authorised_representative(spec) -> None:
    recruitment = dict(annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["none"],
                       profiling="yes")
    outside = run(spec, provider_established="no", **recruitment)
    dates = {o.id: o.applies_from for o in outside.obligations}
    assert dates["authorised_representative"] == "2026-08-02"
    assert "authorised_representative_annex_i" not in dates
    inside = run(spec, provider_established="yes", **recruitment)
    assert not any("authorised_representative" in o for o in obligation_ids(inside))
    machinery = run(spec, provider_established="no", annex1_product="safety_component", annex1_legislation="machinery",
                    annex1_third_party="yes")
    dates = {o.id: o.applies_from for o in machinery.obligations}
    assert dates["authorised_representative_annex_i"] == "2027-08-02" and "authorised_representative" not in dates
    # the question is about providers: a deployer is not asked and gets no such duty
    deployer = run(spec, role=["deployer"], deployer_type="private_other", personal_use="no", provider_established="no",
                   **recruitment)
    assert not AnswerView(spec, answers(role=["deployer"])).is_visible("provider_established")
    assert not any("authorised_representative" in o for o in obligation_ids(deployer))
    minimal = run(spec, provider_established="no")
    assert minimal.tier.id == "minimal" and not any("authorised_representative" in o for o in obligation_ids(minimal))


def test_gpai_provider_outside_the_eu_appoints_an_authorised_representative(spec) -> None:
    gpai = dict(artefact="gpai_model", gpai_compute=1e24, gpai_designated="no", gpai_on_market_before="no",
                provider_established="no")
    closed = {o.id: o.applies_from for o in run(spec, **gpai).obligations}
    assert closed["gpai_authorised_representative"] == "2025-08-02"
    assert "gpai_authorised_representative" not in obligation_ids(run(spec, **{**gpai, "provider_established": "yes"}))
    # Art 54(6): not for a free and open-source model without systemic risk...
    assert "gpai_authorised_representative" not in obligation_ids(run(spec, **{**gpai, "open_source": "foss"}))
    # ...but with systemic risk, or while its compute is not known, it is listed
    systemic = run(spec, **{**gpai, "open_source": "foss", "gpai_compute": 3e25})
    assert "gpai_authorised_representative" in obligation_ids(systemic)
    unknown = run(spec, **{**gpai, "open_source": "foss", "gpai_compute": A(unknown=True)})
    assert "gpai_authorised_representative" in obligation_ids(unknown)
    legacy = {o.id: o.applies_from for o in run(spec, **{**gpai, "gpai_on_market_before": "yes"}).obligations}
    assert legacy["gpai_legacy_authorised_representative"] == "2027-08-02"
    assert "gpai_authorised_representative" not in legacy


def test_annex_i_needs_third_party_assessment(spec) -> None:
    r = run(spec, annex1_product="is_product", annex1_legislation="medical_devices", annex1_third_party="no")
    assert r.tier.id == "minimal"
    assert "annex_i_no_third_party" in fired(r)


def test_key_dates_are_law_and_the_omnibus_dates_are_in_the_timeline(spec) -> None:
    dates = {d.date: d for d in spec.model.key_dates}
    for date in ("2025-02-02", "2025-08-02", "2026-08-02", "2027-08-02"):
        assert date in dates
    assert not {"2026-12-02", "2027-12-02", "2028-08-02"} & set(dates)  # not law yet: only in the timeline
    omnibus = {d.date for e in spec.model.timeline for d in e.dates if d.act == "digital_omnibus_ai"}
    assert {"2026-12-02", "2027-12-02", "2028-08-02"} <= omnibus


def key_events(result) -> dict[str, list[str]]:
    """date -> the events of the key dates shown for this result."""
    out: dict[str, list[str]] = {}
    for k in result.key_dates:
        out.setdefault(k["date"], []).append(k["event"])
    return out


GENERAL_DATES = {"2024-08-01", "2025-02-02", "2025-08-02", "2026-08-02"}
HIGH_RISK = dict(annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["none"],
                 profiling="yes")


def test_general_key_dates_concern_every_system_and_the_others_only_theirs(spec) -> None:
    minimal = run(spec)
    assert minimal.tier.id == "minimal"
    assert set(key_events(minimal)) == GENERAL_DATES  # no Annex I, GPAI or public-authority date
    # Art 6(1) needs an Annex I product and a third-party conformity assessment (Art 113(c) date)
    product = dict(annex1_product="is_product", annex1_legislation="medical_devices")
    annex_i = key_events(run(spec, **product, annex1_third_party="yes"))
    assert any("Art 6(1)" in e and "2 August 2028" in e for e in annex_i["2027-08-02"])
    assert "2027-08-02" not in key_events(run(spec, **product, annex1_third_party="no"))
    assert "2027-08-02" in key_events(run(spec, annex1_product=A(unknown=True)))  # may concern it
    assert "2027-08-02" in key_events(run(spec, annex1_product=None))  # still open: may concern it
    outside = run(spec, **product, annex1_third_party="yes", eu_nexus="no")
    assert outside.tier.id == "out_of_scope" and "2027-08-02" not in key_events(outside)
    legacy = run(spec, **product, annex1_third_party="yes", hr_placed_before="before_unchanged",
                 hr_public_authorities="no")
    assert "legacy_high_risk" in legacy.flags and "2027-08-02" not in key_events(legacy)  # Art 111(2)


def test_the_gpai_transition_date_concerns_models_already_on_the_market(spec) -> None:
    gpai = dict(artefact="gpai_model", gpai_compute=1e24, gpai_designated="no")
    before = key_events(run(spec, **gpai, gpai_on_market_before="yes"))
    assert any("before 2 August 2025" in e for e in before["2027-08-02"])
    assert "2027-08-02" not in key_events(run(spec, **gpai, gpai_on_market_before="no"))
    assert "2027-08-02" in key_events(run(spec, **gpai, gpai_on_market_before=A(unknown=True)))
    assert "2027-08-02" in key_events(run(spec, **gpai))  # still open
    deployer = run(spec, artefact="both", role=["deployer"], deployer_type="private_other", personal_use="no",
                   gpai_compute=1e24, gpai_designated="no", gpai_on_market_before="yes")
    assert "2027-08-02" not in key_events(deployer)  # Art 111(3) binds the model's provider


def test_the_2030_date_concerns_legacy_high_risk_systems_for_public_authorities(spec) -> None:
    def dates(**changes) -> set[str]:
        r = run(spec, **HIGH_RISK, **changes)
        assert r.tier.id == "high"
        return set(key_events(r))

    assert "2030-08-02" in dates(hr_placed_before="before_unchanged", hr_public_authorities="yes")
    assert "2030-08-02" in dates(role=["provider", "deployer"], deployer_type="public_body",
                                 hr_placed_before="before_unchanged")
    assert "2030-08-02" in dates(hr_placed_before="before_unchanged", hr_public_authorities=A(unknown=True))
    assert "2030-08-02" not in dates(hr_placed_before="before_unchanged", hr_public_authorities="no")
    assert "2030-08-02" not in dates(hr_placed_before="no")  # covered from its placing on the market
    assert "2030-08-02" not in dates(hr_placed_before="before_changed")  # covered from the change
    assert "2030-08-02" not in dates(role=["deployer"], deployer_type="public_body", personal_use="no",
                                     art25_provider=["substantial_modification"],
                                     hr_placed_before="before_unchanged")  # a significant change
    assert "2030-08-02" not in set(key_events(run(spec, hr_placed_before="before_unchanged",
                                                  hr_public_authorities="yes")))  # not high-risk


# --------------------------------------------------------------------------- don't know, what-if


def test_unknown_classification_raises_findings(spec) -> None:
    r = run(spec, p5a_manipulation=A(unknown=True), annex3_areas=A(unknown=True), art50_interacts=A(unknown=True))
    ids = {f.rule_id for f in r.findings}
    assert {"unknown_prohibited", "unknown_annex_iii", "unknown_transparency"} <= ids
    assert any(f.severity == "critical" for f in r.findings if f.rule_id == "unknown_prohibited")


def test_what_would_change_for_high_risk(spec) -> None:
    a = answers(annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["preparatory"],
                profiling="yes")
    assert evaluate(spec, a).tier.id == "high"
    changes = what_would_change(spec, a)
    assert changes
    assert any(c.question_id == "profiling" and c.new_tier == "minimal" for c in changes)
    assert any(c.question_id == "p5a_manipulation" and c.new_tier == "prohibited" for c in changes)


# --------------------------------------------------------------------------- legal review (items as numbered there)

DEROGATION_OBLIGATIONS = {"provider_derogation_documentation", "provider_derogation_registration"}


def _balanced(text: str, start: int) -> str:
    """The flow-mapping condition that opens at text[start] ('{'), up to its matching '}'."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i + 1]
    raise AssertionError("unbalanced condition")


def _copies(head: str) -> list[str]:
    text = PATH.read_text(encoding="utf-8")
    out, pos = [], text.find(head)
    while pos != -1:
        out.append(_balanced(text, pos))
        pos = text.find(head, pos + 1)
    return out


def test_repeated_conditions_are_kept_in_step() -> None:
    derogation = _copies("{all: [{q: derog_conditions, op: contains_any")
    # 10 Annex III tier rules, art6_3_derogation, art2_12_open_source (and its copy for a system with a model),
    # annex_i_only, annex_i_section_b_only, excluded_but_high_risk; the Art 25 and Section B copies in the Art 50 rules
    asks = [d for d in derogation if "derog_provider_registered" not in d]
    assert len(asks) == 1 and "role, op: contains, value: provider" in asks[0]  # the `derog_provider_registered` when
    derogation = [d for d in derogation if d not in asks]
    assert len(derogation) >= 14
    assert len(set(derogation)) == 1
    for needle in ("not_contains, value: none", "profiling_investigation", "[creditworthiness, insurance]",
                   "value: task_monitoring", 'profiling, op: eq, value: "no"', "derog_provider_registered"):
        assert needle in derogation[0]
    banned_rbi = _copies('{all: [{not: {q: role, op: not_contains, value: deployer}}, {q: rbi_realtime, op: eq, '
                         'value: realtime}, {q: rbi_law_enforcement, op: eq, value: "yes"}, '
                         '{q: rbi_public_space, op: eq, value: "yes"}, {any:')
    assert len(banned_rbi) >= 10  # art5_1_h_realtime_rbi and the nine copies that must exclude a banned use
    assert len(set(banned_rbi)) == 1
    for needle in ('rbi_authorisation, op: eq, value: "no"', 'rbi_fria, op: eq, value: "no"',
                   '{all: [{q: rbi_registered, op: eq, value: "no"}, {not: {q: rbi_urgency, op: eq, value: "yes"}}]}'):
        assert needle in banned_rbi[0]


@pytest.mark.parametrize("use", [
    dict(annex3_areas=["law_enforcement"], annex3_law_enforcement=["profiling_investigation"],
         derog_conditions=["detects_patterns"]),
    dict(annex3_areas=["employment"], annex3_employment=["task_monitoring"], derog_conditions=["preparatory"]),
    dict(annex3_areas=["essential_services"], annex3_services=["creditworthiness"], derog_conditions=["preparatory"]),
    dict(annex3_areas=["essential_services"], annex3_services=["insurance"], derog_conditions=["narrow_procedural"]),
], ids=["6e-profiling", "4b-work-decisions", "5b-credit", "5c-insurance"])
def test_item1_profiling_uses_cannot_use_the_derogation(spec, use) -> None:
    r = run(spec, role=["provider", "deployer"], deployer_type="public_body", profiling="no", **use)
    assert r.tier.id == "high"
    assert r.tier.rule_id.startswith("high_annex_iii_")
    assert "art6_3_derogation" not in r.flags
    assert "art6_3_derogation" not in fired(r)
    assert "art6_3_profiling_override" in fired(r)
    assert not DEROGATION_OBLIGATIONS & obligation_ids(r)
    assert {"provider_risk_management", "deployer_fria"} <= obligation_ids(r)


def test_item1_profiling_use_does_not_block_derogation_of_other_uses(spec) -> None:
    r = run(spec, annex3_areas=["employment"], annex3_employment=["recruitment"], derog_conditions=["preparatory"],
            profiling="no")
    assert r.tier.id == "minimal"
    assert "art6_3_derogation" in r.flags
    assert "art6_3_profiling_override" not in fired(r)
    # a profiling use also stops the open-source exclusion and the Annex I-only dating
    foss = run(spec, open_source="foss", annex3_areas=["essential_services"], annex3_services=["creditworthiness"],
               derog_conditions=["preparatory"], profiling="no")
    assert foss.tier.id == "high"
    assert "art2_12_open_source" not in fired(foss)
    both = run(spec, annex1_product="is_product", annex1_legislation="medical_devices", annex1_third_party="yes",
               annex3_areas=["employment"], annex3_employment=["task_monitoring"], derog_conditions=["preparatory"],
               profiling="no")
    assert "high_risk_annex_i_only" not in both.flags
    assert "provider_risk_management" in obligation_ids(both)


def test_item2_no_fria_or_public_registration_for_critical_infrastructure(spec) -> None:
    point2 = dict(annex3_areas=["critical_infrastructure"], annex3_infrastructure="safety_component",
                  derog_conditions=["none"], profiling="no")
    for deployer_type in ("public_body", "private_public_service"):
        r = run(spec, role=["deployer"], deployer_type=deployer_type, personal_use="no", **point2)
        assert r.tier.id == "high" and r.tier.rule_id == "high_annex_iii_2"
        assert "high_risk_annex_iii" in r.flags
        assert "high_risk_annex_iii_not_point2" not in r.flags
        obs = obligation_ids(r)
        assert {"deployer_use_and_oversight", "deployer_inform_people"} <= obs
        assert not {"deployer_fria", "deployer_public_registration", "deployer_explain_decisions"} & obs
    # the same deployer with a further Annex III use (point 3) needs them again
    mixed = run(spec, role=["deployer"], deployer_type="public_body", personal_use="no",
                **{**point2, "annex3_areas": ["critical_infrastructure", "education"]},
                annex3_education=["admission"])
    assert {"deployer_fria", "deployer_public_registration", "deployer_explain_decisions"} <= obligation_ids(mixed)


def test_item3_excepted_realtime_rbi_without_authorisation_is_prohibited(spec) -> None:
    r = run(spec, **RTRBI,
            rbi_objective="imminent_threat", rbi_strictly_necessary="yes", rbi_national_law="yes",
            rbi_authorisation="no")
    assert r.tier.id == "prohibited"
    assert r.tier.rule_id == "art5_1_h_realtime_rbi"
    assert "rbi_law_enforcement_exception" not in r.flags
    assert "art5_1_h_exception" not in fired(r)
    assert "art5_1_h_no_authorisation" in fired(r)
    obs = obligation_ids(r)
    assert "cease_prohibited_practice" in obs
    assert "deployer_rbi_safeguards" not in obs
    assert not AnswerView(spec, answers(**RTRBI, rbi_objective="imminent_threat", rbi_strictly_necessary="yes",
                                        rbi_national_law="yes", rbi_authorisation="no")).is_visible("derog_conditions")
    unknown = run(spec, **RTRBI, rbi_objective="imminent_threat", rbi_strictly_necessary="yes",
                  rbi_national_law="yes", rbi_authorisation=A(unknown=True))
    assert "unknown_prohibited" in fired(unknown)


def test_item4_law_enforcement_categorisation_exception_is_about_datasets(spec) -> None:
    labels = {o.value: o.label for o in spec.question("p5g_exception").options}
    assert "lawfully acquired" in labels["law_enforcement"]
    assert "not inferring" in labels["law_enforcement"]
    assert "Recital 30" in spec.question("p5g_exception").help
    police = dict(role=["deployer"], deployer_type="public_body", personal_use="no", biometric_data="yes",
                  biometric_functions=["categorisation_art5"])
    live = run(spec, **police, p5g_exception="none")
    assert live.tier.id == "prohibited"
    datasets = run(spec, **police, p5g_exception="law_enforcement", derog_conditions=["none"], profiling="yes")
    assert datasets.tier.id == "high"
    warning = [f for f in datasets.findings if f.rule_id == "art5_1_g_law_enforcement_datasets"]
    assert warning and warning[0].severity == "high" and "Recital 30" in warning[0].citation


@pytest.mark.parametrize("exclusion", [dict(sole_research="yes"), dict(military_only="exclusively_military"),
                                       dict(eu_nexus="no"), dict(pre_market_research="lab_only"),
                                       dict(open_source="foss")])
def test_item5_no_derogation_duties_when_out_of_scope(spec, exclusion) -> None:
    r = run(spec, annex3_areas=["education"], annex3_education=["evaluate_outcomes"],
            derog_conditions=["narrow_procedural"], profiling="no", **exclusion)
    assert r.tier.id == "out_of_scope"
    assert not DEROGATION_OBLIGATIONS & obligation_ids(r)


def test_item6_section_b_products_get_no_direct_chapter_iii_duties(spec) -> None:
    vehicle = dict(annex1_product="safety_component", annex1_legislation="section_b", annex1_third_party="yes")
    r = run(spec, role=["provider", "deployer", "importer_distributor"], deployer_type="private_other", **vehicle)
    assert r.tier.id == "high"
    assert "high_risk_annex_i_only" in r.flags
    assert not [o for o in obligation_ids(r) if o.endswith("_annex_i")]
    assert not [o for o in obligation_ids(r) if o.startswith(("provider_", "deployer_", "importer_"))]
    finding = [f for f in r.findings if f.rule_id == "annex_i_section_b"]
    assert finding and "sectoral" in finding[0].explanation and "Art 2(2)" in finding[0].citation
    # Section A products keep them; an Annex III use of a Section B product applies directly
    machinery = run(spec, role=["provider", "deployer"], deployer_type="private_other",
                    **{**vehicle, "annex1_legislation": "machinery"})
    assert {"provider_risk_management_annex_i", "deployer_use_and_oversight_annex_i"} <= obligation_ids(machinery)
    annex3 = run(spec, **vehicle, annex3_areas=["critical_infrastructure"], annex3_infrastructure="safety_component",
                 derog_conditions=["none"], profiling="no")
    assert "provider_risk_management" in obligation_ids(annex3)


def test_item8_none_with_a_condition_is_not_a_derogation(spec) -> None:
    r = run(spec, annex3_areas=["employment"], annex3_employment=["recruitment"],
            derog_conditions=["none", "narrow_procedural"], profiling="no")
    assert r.tier.id == "high"
    assert "art6_3_derogation" not in r.flags
    assert "art6_3_contradictory_answer" in fired(r)
    assert not DEROGATION_OBLIGATIONS & obligation_ids(r)


def test_item10_importer_checks_follow_the_route_date(spec) -> None:
    annex_i = run(spec, role=["importer_distributor"], annex1_product="is_product",
                  annex1_legislation="medical_devices", annex1_third_party="yes")
    dates = {o.id: o.applies_from for o in annex_i.obligations}
    assert dates.get("importer_distributor_checks_annex_i") == "2027-08-02"
    assert "importer_distributor_checks" not in dates
    annex_iii = run(spec, role=["importer_distributor"], annex3_areas=["education"], annex3_education=["admission"],
                    derog_conditions=["none"], profiling="yes")
    dates = {o.id: o.applies_from for o in annex_iii.obligations}
    assert dates.get("importer_distributor_checks") == "2026-08-02"
    assert "importer_distributor_checks_annex_i" not in dates


def test_item11_post_rbi_authorisation_outside_public_spaces(spec) -> None:
    police = dict(role=["deployer"], deployer_type="public_body", personal_use="no", biometric_data="yes",
                  biometric_functions=["remote_identification"], derog_conditions=["none"], profiling="no")
    r = run(spec, **police, rbi_realtime="post", rbi_law_enforcement="yes")
    assert r.tier.id == "high"
    assert "post_rbi_law_enforcement" in fired(r)
    assert not AnswerView(spec, answers(**police, rbi_realtime="post", rbi_law_enforcement="yes")) \
        .is_visible("rbi_public_space")
    shop = run(spec, **police, rbi_realtime="post", rbi_law_enforcement="no")
    assert "post_rbi_law_enforcement" not in fired(shop)
    # real-time police use in a place that is not publicly accessible: high-risk, not Art 5(1)(h)
    closed = run(spec, **police, rbi_realtime="realtime", rbi_law_enforcement="yes", rbi_public_space="no")
    assert closed.tier.id == "high"
    assert not AnswerView(spec, answers(**police, rbi_realtime="realtime", rbi_law_enforcement="yes",
                                        rbi_public_space="no")).is_visible("rbi_objective")


def test_item12_international_cooperation_exclusion(spec) -> None:
    foreign = dict(role=["deployer"], deployer_type="third_country_public", personal_use="no")
    assert not AnswerView(spec, answers(role=["deployer"], deployer_type="public_body")).is_visible("intl_cooperation")
    assert AnswerView(spec, answers(**foreign)).is_visible("intl_cooperation")
    use = dict(annex3_areas=["law_enforcement"], annex3_law_enforcement=["evidence_reliability"],
               derog_conditions=["none"], profiling="yes")
    out = run(spec, **foreign, intl_cooperation="yes", **use)
    assert out.tier.id == "out_of_scope"
    assert out.tier.rule_id == "art2_4_international_cooperation"
    assert not [o for o in obligation_ids(out) if o.startswith("deployer_")]
    banned = run(spec, **foreign, intl_cooperation="yes", p5c_social_scoring="yes")
    assert banned.tier.id == "out_of_scope"
    assert "excluded_but_prohibited" in fired(banned)
    inside = run(spec, **foreign, intl_cooperation="no", **use)
    assert inside.tier.id == "high"
    assert {"deployer_fria", "deployer_public_registration"} <= obligation_ids(inside)
    assert "unknown_scope" in fired(run(spec, **foreign, intl_cooperation=A(unknown=True)))


def test_item13_fatigue_is_not_the_example_of_the_emotion_exception(spec) -> None:
    labels = {o.value: o.label for o in spec.question("emotion_purpose").options}
    assert "fatigue" not in labels["medical_safety"].lower()
    assert "Recital 18" in spec.question("emotion_purpose").help
    rule = next(r for r in spec.model.rules if r.id == "art5_1_f_emotion_work_education")
    assert "Recital 18" in rule.finding.recommendation


def test_item13_open_source_gpai_with_unknown_compute_keeps_full_duties(spec) -> None:
    for unknown in (dict(gpai_compute=A(unknown=True), gpai_designated="no"),
                    dict(gpai_compute=1e24, gpai_designated=A(unknown=True))):
        r = run(spec, artefact="gpai_model", open_source="foss", gpai_on_market_before="no", **unknown)
        assert "gpai_documentation" in obligation_ids(r)
        assert "gpai_open_source_reduction" not in fired(r)
        assert "gpai_open_source_unconfirmed" in fired(r)
    known = run(spec, artefact="gpai_model", open_source="foss", gpai_compute=1e24, gpai_designated="no",
                gpai_on_market_before="no")
    assert "gpai_documentation" not in obligation_ids(known)
    assert "gpai_open_source_unconfirmed" not in fired(known)


# --------------------------------------------------------------------------- samples

SAMPLES = {
    "benefit-triage-canada": ("high", {"high_risk_annex_iii"}, set()),
    "cv-screening": ("high", {"high_risk_annex_iii"}, set()),
    "face-recognition-station": ("prohibited", set(), set()),
    "llm-paper": ("limited", {"gpai", "transparency_art50_1", "transparency_art50_2"}, {"gpai_systemic_risk"}),
    "medical-imaging": ("high", {"high_risk_annex_i", "high_risk_annex_i_only"}, {"high_risk_annex_iii"}),
}


def load_part(name: str, spec) -> dict[str, Answer]:
    from content_helpers import part

    out = {}
    for qid, answer in part(name, "eu-ai-act").items():
        if answer.value is not None:
            _, problem = check_value(spec.question(qid), answer.value)
            assert not problem, f"{name}/{qid}: {problem}"
        out[qid] = answer
    return out


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_part_scores_to_the_legal_tier(spec, name: str) -> None:
    a = load_part(name, spec)
    r = evaluate(spec, a)
    tier, flags, absent = SAMPLES[name]
    assert r.tier.id == tier, r.tier.reason
    assert flags <= set(r.flags)
    assert not (absent & set(r.flags))
    unanswered = [q.id for q in r.open_questions]
    assert not unanswered, f"{name}: open questions {unanswered}"
    view = AnswerView(spec, a)
    hidden = [qid for qid in a if not view.is_visible(qid)]
    assert not hidden, f"{name}: answers to hidden questions {hidden}"


def test_sample_details(spec) -> None:
    cv = evaluate(spec, load_part("cv-screening", spec))
    assert cv.tier.rule_id == "high_annex_iii_4"
    assert "art6_3_profiling_override" in fired(cv)
    assert {"deployer_use_and_oversight", "deployer_inform_people"} <= obligation_ids(cv)
    face = evaluate(spec, load_part("face-recognition-station", spec))
    assert face.tier.rule_id == "art5_1_h_realtime_rbi"
    med = evaluate(spec, load_part("medical-imaging", spec))
    assert med.tier.rule_id == "high_annex_i"
    assert {o.applies_from for o in med.obligations if o.id.startswith("provider_")} == {"2027-08-02"}
    llm = evaluate(spec, load_part("llm-paper", spec))
    # open weights under a licence that forbids some uses: not free and open-source (Recital 102), so no
    # Art 53(2) reduction and the Annex XI/XII documentation duty applies
    assert load_part("llm-paper", spec)["open_source"].value == "restricted_open"
    assert "gpai_open_source_reduction" not in fired(llm)
    assert "gpai_documentation" in obligation_ids(llm)


def test_art5_questions_put_no_last_like_their_yes_no_neighbours(spec) -> None:
    """The wizard numbers options from 1: a yes/no question is 1 Yes, 2 No, so a single choice among them
    lists its "yes" answers first and "No" last (pressing 2 on every Art 5 question never bans a system)."""
    section = next(s for s in spec.model.sections if s.id == "prohibited")
    kinds = set()
    for entry in section.questions:
        q = spec.question(entry.id)
        kinds.add(q.type)
        if q.type in ("single", "multi"):
            values = [o.value for o in q.options]
            assert values[-1] in ("no", "none"), (q.id, values)
            assert not any(v in ("no", "none") for v in values[:-1]), (q.id, values)
    assert {"yesno", "single"} <= kinds
