"""Human numbers and the words for why a tier was set."""

from __future__ import annotations

import pytest
from content_helpers import A, spec_for

from riskwizard.engine import evaluate
from riskwizard.numbers import co2, count, kwh, plain, sig


@pytest.mark.parametrize(("value", "expected"), [
    (7315.2, "7,320"), (312.5, "313"), (0.02107, "0.0211"), (999.7, "1,000"), (19200, "19,200"),
    (1_440_890.4, "1,440,000"), (3.14e25, "3.14 × 10²⁵"), (-3.5, "-3.5"), (0, "0"),
])
def test_significant_figures_without_exponents(value: float, expected: str) -> None:
    assert sig(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1_440_890.4, "1,440,890"), (312.5, "312.5"), (1e-5, "0.00001"), (14000.0, "14,000"), (2443.636363, "2,443.64"),
])
def test_plain_numbers_for_traces(value: float, expected: str) -> None:
    assert plain(value) == expected and "e+" not in plain(value)


def test_counts_round_half_up() -> None:
    assert [count(x) for x in (1603.6, 312.5, 2.5, 0.4)] == ["1,604", "313", "3", "0"]


def test_small_emissions_are_never_zero() -> None:
    assert co2(0.7 * 0.0301) == "21.1 g CO2eq"
    assert co2(256.032) == "256 kg CO2eq"
    assert co2(7315.2) == "7.32 t CO2eq"
    assert kwh(0.05) == "50 Wh" and kwh(672) == "672 kWh"


def test_tier_because_lists_only_the_alternative_that_fired() -> None:
    aia = spec_for("eu-ai-act")
    answers = {"artefact": A("ai_system"), "role": A(["provider"]), "eu_nexus": A("yes"),
               "art50_interacts": A("yes"), "art50_obvious": A("no"), "art50_generates": A(["none"]),
               "art50_deepfake": A("no"), "art50_public_text": A("no")}
    r = evaluate(aia, answers)
    assert r.tier is not None and r.tier.id == "limited"
    refs = {h.ref: h.shown for h in r.tier.because}
    # the Art 50(1) alternative that fired (and the conditions of the rule that make the duty the provider's,
    # outside Annex I), not the Art 50(2)-(4) alternatives that did not
    assert refs == {"art50_interacts": "Yes", "art50_obvious": "No", "annex1_product": "not answered",
                    "role": "Provider: we develop it (or have it developed) and place it on the market or put it "
                            "into service under our own name or trademark"}
    assert "art50_generates" not in refs and "art50_deepfake" not in refs
    labels = [h.label for h in r.tier.because if h.ref.startswith("art50")]
    assert labels[0].startswith("Is the system intended to interact directly with natural persons")


def test_band_because_is_a_score_against_its_threshold() -> None:
    bias = spec_for("bias-sources")
    r = evaluate(bias, {})
    # no answers: no band rule fired, so nothing is claimed
    assert r.tier is not None and r.tier.because == []
    from riskwizard.conditions import Leaf
    from riskwizard.engine import AnswerView
    from riskwizard.explain import held

    view = AnswerView(bias, {})
    view.scores = {"data": 24.0, "labels": 8.0, "evaluation": 16.0}
    because = held(bias, view, bias.rule_when["band_severe"])
    assert [(h.label, h.shown, h.test) for h in because][0] == ("Data bias score", "24", "at or above 22")
    assert all(isinstance(leaf, Leaf) for leaf in bias.rule_when["band_severe"].leaves())


def test_every_calculator_output_a_bundled_rule_compares_has_words() -> None:
    """A tier reason reads "impact score as a share of the maximum (%) 31.1377, above 25", never the
    bare name "aia.percent"."""
    from riskwizard.explain import DERIVED_WORDS
    from riskwizard.loader import bundled_paths, load_questionnaire

    missing = set()
    for path in bundled_paths().values():
        spec = load_questionnaire(path)
        conditions = [*spec.rule_when.values(), *(c for c in spec.question_when.values() if c is not None),
                      *(c for c in spec.section_when.values() if c is not None)]
        for cond in conditions:
            for leaf in cond.leaves():
                if leaf.kind == "derived" and leaf.ref.rsplit(".", 1)[-1] not in DERIVED_WORDS:
                    missing.add(f"{spec.id}: {leaf.ref}")
    assert not missing, sorted(missing)
