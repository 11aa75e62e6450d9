"""Behaviour of the harms, bias-sources and error-costs questionnaires and their sample answers."""

from __future__ import annotations

import pytest
from content_helpers import A, finding_ids, fired, own_keys, part, sample_parts, spec_for

from riskwizard.answers import Answer, check_value
from riskwizard.engine import AnswerView, evaluate

IDS = ["harms", "bias-sources", "error-costs"]


@pytest.fixture(scope="module")
def harms():
    return spec_for("harms")


@pytest.fixture(scope="module")
def bias():
    return spec_for("bias-sources")


@pytest.fixture(scope="module")
def errors():
    return spec_for("error-costs")




# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("qid", IDS)
def test_every_question_and_finding_is_sourced(qid: str) -> None:
    spec = spec_for(qid)
    assert spec.id == qid
    questions = spec.questions()
    assert len(questions) >= 20
    for q in questions:
        assert q.source.strip() and q.why.strip(), q.id
    assert len(spec.model.rules) >= 40
    for rule in spec.model.rules:
        if rule.finding:
            f = rule.finding
            assert f.explanation.strip() and f.recommendation.strip() and f.citation.strip(), rule.id
    levels = [lvl.id for lvl in spec.model.outcome.levels]
    assert levels == ["severe", "high", "moderate", "low"]
    assert spec.model.outcome.mode == "max"


def test_error_costs_has_the_question_ids_the_report_uses(errors) -> None:
    ids = {q.id for q in errors.questions()}
    required = {"population", "base_rate", "rate_format", "fpr", "fnr", "precision", "recall", "cost_fp",
                "cost_fn", "fp_consequence", "fn_consequence", "group_rates"}
    assert required <= ids
    assert {o.value for o in errors.question("rate_format").options} == {"fpr_fnr", "precision_recall"}
    assert errors.question("fp_consequence").type == "text"
    fields = [f.id for f in errors.question("group_rates").fields]
    assert fields == ["group", "population", "base_rate", "fpr", "fnr"]
    assert {d.id for d in errors.model.derived} == {"err", "err_pr"}


def test_harms_group_fields(harms) -> None:
    group = harms.question("affected_groups")
    assert group.type == "group"
    assert [f.id for f in group.fields] == ["name", "characteristic", "harm_types", "severity", "likelihood"]
    characteristic = next(f for f in group.fields if f.id == "characteristic")
    assert {"sex", "race_ethnicity", "age", "disability", "religion", "sexual_orientation", "nationality",
            "other"} == {o.value for o in characteristic.options}
    domains = {o.value for o in harms.question("domains").options}
    assert {"credit", "education", "employment", "housing", "public_accommodation", "health", "insurance",
            "public_benefits", "criminal_justice"} <= domains


# --------------------------------------------------------------------------- error counts


def _fpr_fnr(population, base_rate, fpr, fnr, **extra) -> dict[str, Answer]:
    answers = {"prediction_kind": A("binary"), "population": A(population), "base_rate": A(base_rate),
               "rate_format": A("fpr_fnr"), "fpr": A(fpr), "fnr": A(fnr)}
    answers.update({k: A(v) for k, v in extra.items()})
    return answers


def test_99_percent_accuracy_on_10_million_is_100000_errors(errors) -> None:
    r = evaluate(errors, _fpr_fnr(10_000_000, 5, 1, 1))
    assert r.derived["err.errors"] == pytest.approx(100_000)
    assert r.derived["err.error_rate"] == pytest.approx(1.0)
    assert "errors_100k" in finding_ids(r)
    assert "errors_million" not in fired(r)
    assert "mass_errors" in r.flags
    # the precision/recall calculator has no inputs here
    assert "err_pr.errors" not in r.derived


def test_error_count_scale_moves_with_population(errors) -> None:
    small = evaluate(errors, _fpr_fnr(10_000, 5, 1, 1))
    middle = evaluate(errors, _fpr_fnr(1_000_000, 5, 1, 1))
    huge = evaluate(errors, _fpr_fnr(200_000_000, 5, 1, 1))
    assert "errors_few" in fired(small) and "errors_thousands" not in fired(small)
    assert "errors_thousands" in fired(middle)
    assert "errors_million" in fired(huge) and "errors_100k" not in fired(huge)


def test_precision_recall_inputs_use_the_second_calculator(errors) -> None:
    answers = {"prediction_kind": A("threshold"), "population": A(1_000_000), "base_rate": A(1),
               "rate_format": A("precision_recall"), "precision": A(50), "recall": A(80),
               "cost_fp": A(2), "cost_fn": A(6)}
    r = evaluate(errors, answers)
    assert r.derived["err_pr.tp"] == pytest.approx(8_000)
    assert r.derived["err_pr.fn"] == pytest.approx(2_000)
    assert r.derived["err_pr.fp"] == pytest.approx(8_000)
    assert r.derived["err_pr.errors"] == pytest.approx(10_000)
    assert r.derived["err_pr.harm"] == pytest.approx(8_000 * 2 + 2_000 * 6)
    assert "err.errors" not in r.derived
    assert "errors_thousands" in fired(r)
    # precision of exactly 50% is not "most positives are false alarms"
    assert "precision_collapse" not in fired(r)


def test_rate_format_branching_hides_the_other_pair(errors) -> None:
    answers = _fpr_fnr(1_000_000, 1, 1, 1)
    answers["rate_format"] = A("precision_recall")  # fpr/fnr are now hidden and must not count
    view = AnswerView(errors, answers)
    assert not view.is_visible("fpr") and not view.is_visible("fnr")
    assert view.is_visible("precision") and view.is_visible("recall")
    r = evaluate(errors, answers)
    assert "err.errors" not in r.derived
    assert {q.id for q in r.open_questions} >= {"precision", "recall"}


def test_generative_output_skips_error_counting(errors) -> None:
    answers = {"prediction_kind": A("generative"), "population": A(1_000)}
    view = AnswerView(errors, answers)
    assert not view.is_visible("population")
    assert not view.is_visible("fp_consequence")
    assert view.is_visible("generative_eval")
    r = evaluate(errors, {**answers, "generative_eval": A("none")})
    assert "generative_unmeasured" in finding_ids(r)
    assert r.derived == {}


def test_low_base_rate_makes_precision_collapse(errors) -> None:
    r = evaluate(errors, _fpr_fnr(1_000_000, 0.1, 1, 10))
    # 900 true hits against 9,990 false alarms
    assert r.derived["err.precision"] == pytest.approx(900 / (900 + 9_990) * 100)
    assert {"low_base_rate", "precision_collapse"} <= finding_ids(r)
    # the same model on a population where 20% are positive is mostly right when it flags
    common = evaluate(errors, _fpr_fnr(1_000_000, 20, 1, 10))
    assert common.derived["err.precision"] > 90
    assert "precision_collapse" not in fired(common)


def test_coercive_action_on_false_alarms_is_critical(errors) -> None:
    answers = _fpr_fnr(50_000_000, 0.01, 0.1, 10, positive_action="coercive", human_check="none",
                       fp_harm_kind=["liberty"])
    r = evaluate(errors, answers)
    severities = {f.rule_id: f.severity for f in r.findings}
    assert severities["coercive_false_alarms"] == "critical"
    assert severities["fp_liberty"] == "critical"
    assert severities["coercive_unverified"] == "critical"
    assert "severe_false_positives" in r.flags
    assert r.tier.id == "severe"


@pytest.mark.parametrize("harm", ["liberty", "denial_credit", "denial_benefits", "denial_housing", "denial_job",
                                  "medical"])
def test_irreversible_severe_errors_are_critical(errors, harm: str) -> None:
    r = evaluate(errors, {"prediction_kind": A("binary"), "fp_harm_kind": A([harm]),
                          "fp_reversible": A("irreversible"), "fn_harm_kind": A([harm]),
                          "fn_reversible": A("irreversible")})
    severities = {f.rule_id: f.severity for f in r.findings}
    assert severities["fp_irreversible_severe"] == "critical"
    assert severities["fn_irreversible_severe"] == "critical"
    # the same harm when it can be undone quickly is not flagged as irreversible
    quick = evaluate(errors, {"prediction_kind": A("binary"), "fp_harm_kind": A([harm]),
                              "fp_reversible": A("quickly")})
    assert "fp_irreversible_severe" not in fired(quick)


def test_threshold_and_metric_discussion(errors) -> None:
    r = evaluate(errors, {"prediction_kind": A("binary"), "threshold_choice": A("default"),
                          "worse_error": A("unsure")})
    found = {f.rule_id: f for f in r.findings}
    assert "c_FP / (c_FP + c_FN)" in found["threshold_not_cost_based"].recommendation
    assert "worse_error_undecided" in found
    cost_based = evaluate(errors, {"prediction_kind": A("binary"), "threshold_choice": A("cost_based"),
                                   "worse_error": A("fn")})
    assert not {"threshold_not_cost_based", "worse_error_undecided"} & fired(cost_based)
    target = evaluate(errors, {"prediction_kind": A("binary"), "threshold_choice": A("target_rate"),
                               "worse_error": A("fn")})
    found = {f.rule_id: f for f in target.findings}
    assert "threshold_not_cost_based" not in found  # a set recall is a choice about one error, not a default
    assert found["threshold_target_rate"].severity == "low"
    assert "other error" in found["threshold_target_rate"].recommendation


def test_dont_know_on_key_questions_gives_findings(errors) -> None:
    r = evaluate(errors, {"prediction_kind": A("binary"), "population": A(unknown=True),
                          "base_rate": A(unknown=True), "rate_format": A(unknown=True),
                          "contestable": A(unknown=True)})
    assert {"population_unknown", "base_rate_unknown", "rates_unknown", "contestability_unknown"} <= finding_ids(r)
    assert r.derived == {}


def test_group_error_rate_gaps(errors) -> None:
    def rows(*values):
        return {"prediction_kind": A("binary"), "group_rates_known": A("yes"),
                "group_rates": A([dict(zip(["group", "population", "base_rate", "fpr", "fnr"], v, strict=True))
                                  for v in values])}

    gap = evaluate(errors, rows(["a", 1000, 5, 2, 8], ["b", 1000, 5, 6, 8]))
    assert "group_fpr_gap" in fired(gap) and "group_fnr_gap" not in fired(gap)
    close = evaluate(errors, rows(["a", 1000, 5, 4, 8], ["b", 1000, 5, 6, 10]))
    assert not {"group_fpr_gap", "group_fnr_gap"} & fired(close)
    misses = evaluate(errors, rows(["adults", 1000, 5, 2, 4], ["children", 100, 5, 2, 12]))
    assert "group_fnr_gap" in fired(misses)
    hidden = evaluate(errors, {**rows(["a", 1000, 5, 2, 8], ["b", 1000, 5, 6, 8]), "group_rates_known": A("no")})
    assert "group_fpr_gap" not in fired(hidden)
    assert "group_rates_unknown" in fired(hidden)


# --------------------------------------------------------------------------- harms


def _row(sev, lik, types=("allocation",), characteristic="age"):
    return {"name": "group", "characteristic": characteristic, "harm_types": list(types), "severity": sev,
            "likelihood": lik}


@pytest.mark.parametrize(("sev", "lik", "band"), [(1, 1, "low"), (2, 2, "low"), (3, 3, "moderate"),
                                                  (4, 3, "moderate"), (4, 4, "high"), (5, 3, "moderate"),
                                                  (5, 4, "severe"), (5, 5, "severe")])
def test_band_moves_with_severity_times_likelihood(harms, sev: int, lik: int, band: str) -> None:
    r = evaluate(harms, {"output_kind": A(["allocates"]), "affected_groups": A([_row(sev, lik)])})
    assert r.tier.id == band, r.scores


def test_row_harm_type_selects_the_dimension(harms) -> None:
    alloc = evaluate(harms, {"output_kind": A(["allocates"]), "affected_groups": A([_row(4, 4)])})
    rep = evaluate(harms, {"output_kind": A(["depicts"]),
                           "affected_groups": A([_row(4, 4, types=["stereotyping"])])})
    assert alloc.scores["allocation"] > 0 and alloc.scores["representation"] == 0
    assert rep.scores["representation"] > 0 and rep.scores["allocation"] == 0
    assert "group_allocation_critical" in fired(alloc)
    assert "group_representation_critical" in fired(rep)


def test_worst_row_counts_not_the_average(harms) -> None:
    rows = [_row(1, 1), _row(1, 2), _row(2, 1), _row(4, 5, characteristic="disability")]
    r = evaluate(harms, {"output_kind": A(["allocates"]), "affected_groups": A(rows)})
    assert r.tier.id == "high"
    assert any(f.severity == "critical" for f in r.findings)


def test_unrated_group_is_reported(harms) -> None:
    row = {"name": "wheelchair users", "characteristic": "disability", "harm_types": ["quality_of_service"],
           "severity": None, "likelihood": 4}
    r = evaluate(harms, {"output_kind": A(["serves"]), "affected_groups": A([row])})
    assert "group_unrated" in finding_ids(r)


def test_harms_branching(harms) -> None:
    view = AnswerView(harms, {"output_kind": A(["depicts"])})
    assert not view.is_visible("human_in_loop")
    assert not view.is_visible("quality_gap")  # allocation section hidden
    assert view.is_visible("content_tested") and view.is_visible("representation_types")
    view = AnswerView(harms, {"output_kind": A(["none"])})
    assert not any(view.is_visible(q) for q in ("domains", "affected_groups", "representation_types"))
    view = AnswerView(harms, {"output_kind": A(["allocates"]), "domains": A(["none"])})
    assert not view.is_visible("disparity_measured")
    view = AnswerView(harms, {"output_kind": A(["allocates"]), "domains": A(["credit"])})
    assert view.is_visible("disparity_measured") and view.is_visible("unfavourable_effect")


def test_regulated_domains_and_law(harms) -> None:
    r = evaluate(harms, {"output_kind": A(["allocates"]), "domains": A(["employment"]),
                         "jurisdictions": A(["eu", "us"]), "protected_used": A(["age"]),
                         "disparity_measured": A(unknown=True)})
    ids = finding_ids(r)
    assert {"regulated_domain", "protected_direct_use", "eu_equality_law", "us_equality_law",
            "disparity_not_measured"} <= ids
    assert "discrimination_law" in r.flags
    health = evaluate(harms, {"output_kind": A(["allocates"]), "domains": A(["health"]),
                              "protected_used": A(["sex"])})
    # health is high-stakes but sex as an input in medicine is not automatically direct discrimination
    assert "high_stakes_domain" in fired(health) and "protected_direct_use" not in fired(health)


def test_representation_harms(harms) -> None:
    r = evaluate(harms, {"output_kind": A(["depicts", "infers"]),
                         "representation_types": A(["stereotyping", "denigration", "erasure"]),
                         "inferred_attributes": A(["sexual_orientation"]), "content_tested": A("not_tested")})
    assert {"stereotyping", "denigration", "erasure", "sensitive_inference", "content_untested"} <= finding_ids(r)
    assert "biometric_categorisation" in r.flags
    assert r.scores["representation"] >= 12


# --------------------------------------------------------------------------- bias sources


def test_bias_sources_each_finding_gives_a_mitigation(bias) -> None:
    answers = {"about_people": A("yes"), "historical_inequity": A("known"), "data_origin": A(["past_decisions"]),
               "labels_from_decisions": A("yes"), "proxy_features": A(["postcode"]), "slice_eval": A("aggregate"),
               "outputs_shape_data": A("yes")}
    r = evaluate(bias, answers)
    ids = finding_ids(r)
    assert {"historical_bias", "tainted_labels", "proxies", "no_slice_evaluation", "feedback_loop"} <= ids
    for f in r.findings:
        assert len(f.recommendation) > 40, f.rule_id
    assert r.scores["data"] >= 10 and r.scores["labels"] >= 4 and r.scores["evaluation"] >= 4


def test_bias_sources_branching(bias) -> None:
    not_people = AnswerView(bias, {"about_people": A("no"), "label_source": A("implicit")})
    for hidden in ("historical_inequity", "proxy_features", "group_sizes", "fairness_criterion",
                   "label_agreement"):
        assert not not_people.is_visible(hidden), hidden
    crowd = AnswerView(bias, {"about_people": A("yes"), "label_source": A("crowd"), "group_sizes": A("known")})
    for shown in ("label_guidelines", "label_agreement", "labeller_background", "smallest_group_n"):
        assert crowd.is_visible(shown), shown
    assert not crowd.is_visible("labels_from_decisions")  # only when data come from past decisions


@pytest.mark.parametrize(("n", "rule"), [(30, "sample_size_disparity"), (500, "sample_size_small")])
def test_sample_size_disparity(bias, n: int, rule: str) -> None:
    r = evaluate(bias, {"about_people": A("yes"), "group_sizes": A("known"), "smallest_group_n": A(n)})
    assert rule in fired(r)
    big = evaluate(bias, {"about_people": A("yes"), "group_sizes": A("known"), "smallest_group_n": A(5000)})
    assert not {"sample_size_disparity", "sample_size_small"} & fired(big)


# --------------------------------------------------------------------------- sample parts


def _part(sample: str, qid: str) -> dict[str, Answer]:
    answers = part(sample, qid)
    assert answers
    return answers


@pytest.mark.parametrize(("sample", "qid"), sample_parts(IDS))
def test_sample_part_is_valid_and_complete(sample: str, qid: str) -> None:
    spec = spec_for(qid)
    answers = _part(sample, qid)
    for question_id, answer in answers.items():
        question = spec.question(question_id) if ":" not in question_id else spec.fact_question(question_id[5:])
        if answer.unknown:
            assert question.unknown_allowed, question_id
        else:
            _, problem = check_value(question, answer.value)
            assert not problem, f"{sample}/{qid}/{question_id}: {problem}"
    view = AnswerView(spec, answers)
    own = own_keys(sample, qid)
    assert all(view.is_visible(k) for k in own), [k for k in own if not view.is_visible(k)]
    r = evaluate(spec, answers)
    assert not [q.id for q in r.open_questions if q.status == "unanswered"]
    assert r.findings


def _result(sample: str, qid: str):
    return evaluate(spec_for(qid), _part(sample, qid))


def test_cv_screening_sample() -> None:
    bias = _result("cv-screening", "bias-sources")
    assert {"historical_bias", "tainted_labels", "proxies", "proxies_untested", "selective_labels",
            "feedback_loop", "no_slice_evaluation"} <= finding_ids(bias)
    assert bias.tier.id == "severe"
    harms = _result("cv-screening", "harms")
    assert {"regulated_domain", "protected_direct_use", "eu_equality_law", "automated_denial",
            "group_protected_regulated"} <= finding_ids(harms)
    errors = _result("cv-screening", "error-costs")
    assert {"fn_essential_denial", "frequent_worse_error_fn", "threshold_not_cost_based"} <= finding_ids(errors)
    assert errors.derived["err_pr.fn"] == pytest.approx(840)


def test_face_recognition_sample() -> None:
    errors = _result("face-recognition-station", "error-costs")
    severities = {f.rule_id: f.severity for f in errors.findings}
    assert severities["fp_liberty"] == "critical"
    assert severities["coercive_false_alarms"] == "critical"
    assert severities["coercive_unverified"] == "critical"
    assert {"severe_false_positives", "mass_errors", "rare_event"} <= set(errors.flags)
    assert errors.derived["err.precision"] < 1  # almost every alert is a false alarm
    assert errors.derived["err.fp"] == pytest.approx(180_000, rel=0.01)
    assert {"group_fpr_gap", "precision_collapse"} <= finding_ids(errors)
    assert errors.tier.id == "severe"
    harms = _result("face-recognition-station", "harms")
    assert harms.tier.id == "severe"
    assert {"high_stakes_domain", "recognition_harm", "group_allocation_grave"} <= finding_ids(harms)
    bias = _result("face-recognition-station", "bias-sources")
    assert {"skewed_sample", "limited_features", "feedback_loop"} <= finding_ids(bias)


def test_llm_paper_sample() -> None:
    harms = _result("llm-paper", "harms")
    assert {"stereotyping", "denigration", "content_issues", "quality_gap_found"} <= finding_ids(harms)
    assert harms.tier.id == "high"
    assert not harms.flags  # no regulated domain, no sensitive inference
    bias = _result("llm-paper", "bias-sources")
    assert {"historical_bias", "skewed_sample", "homogeneous_labellers", "target_proxy"} <= finding_ids(bias)
    errors = _result("llm-paper", "error-costs")
    assert {"group_fpr_gap", "precision_collapse", "frequent_worse_error_fn"} <= finding_ids(errors)
    assert errors.tier.id == "moderate"


def test_medical_imaging_sample() -> None:
    errors = _result("medical-imaging", "error-costs")
    severities = {f.rule_id: f.severity for f in errors.findings}
    assert severities["fn_irreversible_severe"] == "critical"
    assert {"fn_medical", "cost_fn_severe", "group_fnr_gap", "frequent_worse_error_fn"} <= set(severities)
    assert "severe_false_negatives" in errors.flags
    assert "threshold_not_cost_based" not in severities
    assert errors.scores["fn_harm"] > errors.scores["fp_harm"]
    assert errors.tier.id == "severe"
    bias = _result("medical-imaging", "bias-sources")
    assert {"sample_size_disparity", "skewed_sample", "limited_features", "no_external_validation"} <= finding_ids(bias)
    assert "no_slice_evaluation" not in finding_ids(bias)
    harms = _result("medical-imaging", "harms")
    assert {"disparity_gap", "quality_gap_found", "high_stakes_domain"} <= finding_ids(harms)
