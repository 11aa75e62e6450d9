"""`export -f hf-card`: a Hugging Face model card that huggingface_hub reads and whose metadata is valid."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from riskwizard.assessment import open_assessment
from riskwizard.engine import evaluate_assessment
from riskwizard.reports import export_file
from riskwizard.reports.hf_card import HF_LICENSES, LICENSE_CATEGORIES, MISSING
from riskwizard.yamlsafe import load_yaml_text

from .conftest import FIXTURES, GOLDEN, answers_files, case_id

hub = pytest.importorskip("huggingface_hub", reason="huggingface_hub is in the `test` extra")
CASES = answers_files()
CO2_KEYS = {"emissions", "source", "training_type", "geographical_location", "hardware_used"}  # the Hub's spec


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the tests never reach the Hub


def _template_headings() -> list[str]:
    """Section headings of huggingface_hub's own model card template, in order."""
    text = (Path(hub.__file__).parent / "templates" / "modelcard_template.md").read_text(encoding="utf-8")
    return [re.sub(r"\s*\[optional\]$", "", h) for h in re.findall(r"^#{2,4} (.+)$", text, re.M)]


@pytest.mark.parametrize("answers", CASES, ids=[case_id(p) for p in CASES])
def test_card_loads_with_huggingface_hub_and_follows_the_template(answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "README.md"
    export_file(answers, "hf-card", out)
    data = out.read_bytes()
    card = hub.ModelCard.load(out)  # ignore_metadata_errors=False: invalid metadata raises
    meta = yaml.safe_load(data.decode("utf-8").split("---\n")[1])
    assert card.data.to_dict() == meta
    assert load_yaml_text(data.decode("utf-8").split("---\n")[1], "metadata").data == meta  # our reader agrees

    a = open_assessment(answers, strict=False)
    result = evaluate_assessment(a.doc, a.specs)
    # the energy estimate of the broader-impact statement, else research ethics' (both read the shared compute facts)
    neurips = result.result("neurips-broader-impact")
    ethics = result.result("research-ethics")
    co2 = neurips.derived.get("co2.co2_kg") if neurips else None
    if co2 is None and ethics is not None and "energy.co2_kg" in ethics.derived:
        neurips = type(ethics)(**{**ethics.__dict__, "derived": {k.replace("energy.", "co2.", 1): v
                                                               for k, v in ethics.derived.items()}})
        co2 = neurips.derived["co2.co2_kg"]
    if co2 is not None:
        emissions = meta["co2_eq_emissions"]
        assert set(emissions) <= CO2_KEYS and {"emissions", "source"} <= set(emissions)
        assert isinstance(emissions["emissions"], float)
        assert emissions["emissions"] == pytest.approx(co2 * 1000, abs=0.05)  # grams, as the Hub documents
        assert card.data.co2_eq_emissions == emissions
        assert f"- **Carbon Emitted:** {co2:,.1f} kg CO2eq" in card.text
        assert f"- **Energy used:** {neurips.derived['co2.kwh']:,.0f} kWh" in card.text
        assert f"intensity at {neurips.derived['co2.intensity']:g} kg CO2eq/kWh" in card.text
    else:
        assert "co2_eq_emissions" not in meta
    if "license" in meta:
        assert meta["license"] in HF_LICENSES
        assert (meta["license"] == "other") == ("license_name" in meta)

    headings = [re.sub(r"\s*\[optional\]$", "", h) for h in re.findall(r"^#{2,4} (.+)$", card.text, re.M)]
    template = _template_headings()
    ours = [h for h in headings if h in template]
    assert ours == [h for h in template if h in ours], "sections are not in the template's order"
    for needed in ("Direct Use", "Out-of-Scope Use", "Bias, Risks, and Limitations", "Recommendations", "Factors",
                   "Metrics", "Environmental Impact"):
        assert needed in ours

    golden = GOLDEN / f"{case_id(answers)}.hf-card.md"
    if os.environ.get("RISKWIZARD_UPDATE_GOLDEN") == "1":
        golden.write_bytes(data)
        return
    assert golden.exists(), f"missing golden file {golden}; create it with RISKWIZARD_UPDATE_GOLDEN=1 and review it"
    assert data == golden.read_bytes(), f"{golden.name} differs; regenerate with RISKWIZARD_UPDATE_GOLDEN=1 if intended"


def test_card_is_filled_from_model_card_bias_and_energy_answers(tmp_path: Path) -> None:
    from riskwizard.loader import samples_dir

    out = tmp_path / "README.md"
    export_file(samples_dir() / "medical-imaging.yaml", "hf-card", out)
    card = hub.ModelCard.load(out)
    a = open_assessment(samples_dir() / "medical-imaging.yaml")
    mc = a.doc.answers["model-card"]
    text = card.text
    sections = dict(re.findall(r"^#{2,4} ([^\n]+)\n\n(.*?)(?=^#{1,4} |\Z)", text, re.M | re.S))
    assert mc["mc_intended_use"].value.split(";")[0] in sections["Direct Use"]
    assert mc["mc_out_of_scope"].value.split(";")[0] in sections["Out-of-Scope Use"]
    assert mc["mc_factors"].value.split(".")[0] in sections["Factors"]
    assert mc["mc_metrics"].value.split(";")[0] in sections["Metrics"]
    bias = evaluate_assessment(a.doc, a.specs).result("bias-sources")
    assert bias.findings
    for f in bias.findings:
        assert f"**{f.title}**" in sections["Bias, Risks, and Limitations"].replace("\\", "")
        assert f.title in sections["Recommendations"].replace("\\", "")
    rows = mc["mc_results"].value
    for row in rows:
        assert f"| {row['subgroup']} | {row['metric']} | {row['score']:g} | {row['n']:,} |" in sections["Results"]
    assert card.data.license == "other" and card.data.license_name == "proprietary"
    assert MISSING not in sections["Direct Use"]


def test_licence_named_in_the_note_becomes_the_hub_identifier(tmp_path: Path) -> None:
    from riskwizard.reports.hf_card import render_card
    from riskwizard.reports.model import build_model

    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    model = build_model(a.doc, a.specs)
    for note, expected in (("Released under Apache-2.0.", "apache-2.0"), ("CC-BY-NC-4.0 weights", "cc-by-nc-4.0"),
                           ("MIT", "mit"), ("the OpenRAIL++ licence", "openrail++")):
        text, warnings = render_card(model, ("permissive", note))
        assert hub.ModelCard(text).data.license == expected
        assert not warnings or "no model-card" in warnings[0]
    text, warnings = render_card(model, ("permissive", "a permissive licence"))
    assert hub.ModelCard(text).data.license == "other"
    assert any("names no Hugging Face license identifier" in w for w in warnings)
    assert set(LICENSE_CATEGORIES["permissive"]) <= set(HF_LICENSES)


def test_hostile_answers_cannot_break_out_of_the_metadata_or_add_markup(tmp_path: Path) -> None:
    from riskwizard.reports.hf_card import render_card
    from riskwizard.reports.model import build_model

    a = open_assessment(FIXTURES / "full.yaml", strict=False)
    model = build_model(a.doc, a.specs)
    evil = "x\n---\nlicense: mit\n---\n<script>alert(1)</script> [link](javascript:x) # H --> <!--"
    model["system"]["name"] = evil
    model["system"]["description"] = evil
    text, _ = render_card(model)
    card = hub.ModelCard(text)
    assert card.data.to_dict() == yaml.safe_load(text.split("---\n")[1])
    assert "license" not in card.data.to_dict() or card.data.license != "mit"
    assert "<script>" not in text and "\\<script\\>" in text
    body = text.split("---\n", 2)[2]
    assert not re.search(r"^\s*[-=]{2,}", body, re.M)  # no setext underline or rule from the answers
    comment = text.rsplit("<!--", 1)[1]
    assert "-->" in comment and comment.count("-->") == 1


def test_cli_writes_readme_into_a_folder_and_keeps_a_backup(tmp_path: Path) -> None:
    from riskwizard.cli import cli

    repo = tmp_path / "model-repo"
    repo.mkdir()
    (repo / "README.md").write_text("hand-written card\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(FIXTURES / "full.yaml"), "-f", "hf-card", "-o", str(repo)])
    assert result.exit_code == 0, result.output
    assert (repo / "README.md").read_text(encoding="utf-8").startswith("---\n")
    assert (repo / "README.md.bak").read_text(encoding="utf-8") == "hand-written card\n"
    result = CliRunner().invoke(cli, ["export", str(FIXTURES / "sparse.yaml"), "-f", "hf-card", "-o",
                                      str(tmp_path / "card.md")])
    assert result.exit_code == 0 and "warning:" in result.output  # sparse has no model-card questionnaire


def test_hostile_answers_leak_nothing_into_the_card(tmp_path: Path) -> None:
    """The hostile-input harness's answers (file: URLs, CSS, a local server to catch fetches) against hf-card."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
    try:
        from faults import leak_check
    finally:
        sys.path.pop(0)
    result = leak_check(tmp_path / "leak", ("hf-card",))
    assert result.available and result.formats == ["hf-card"], result.errors
    assert result.canary_bytes == 0 and result.server_hits == 0 and not result.errors
