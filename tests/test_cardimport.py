"""`riskwizard import-card`: a Hugging Face model card pre-fills the model-card answers, never silently."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskwizard.answers import load_answers
from riskwizard.cardimport import CardError, default_answers_path, import_card, map_card, read_card
from riskwizard.loader import find_questionnaire, samples_dir
from riskwizard.reports import export_file

# the samples with a model card (the deployed systems' samples have none: their operators deploy a vendor's model)
SAMPLES = [p for p in sorted(samples_dir().glob("*.yaml")) if "model-card" in load_answers(p)[0].answers]


def rw(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1"})


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_a_card_exported_by_riskwizard_imports_back_to_the_same_answers(sample: Path, tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    export_file(sample, "hf-card", card)
    report = import_card(card, tmp_path / "back.yaml")
    assert report.created and report.answers_path == tmp_path / "back.yaml"
    original = load_answers(sample)[0].answers["model-card"]
    back = load_answers(tmp_path / "back.yaml")[0]
    imported = back.answers["model-card"]
    assert set(imported) == set(original)
    for qid, answer in original.items():
        got = imported[qid]
        assert (got.value, got.unknown, got.note) == (answer.value, answer.unknown, answer.note), qid
    assert back.system.description == load_answers(sample)[0].system.description
    # what the card derives (bias findings, energy) is not taken for answers, and the energy is listed
    assert all("Sources of bias" not in str(a.value) for a in imported.values())
    done = rw("validate", str(tmp_path / "back.yaml"))
    assert done.returncode == 0, done.stderr


@pytest.fixture
def hub_card(tmp_path: Path) -> Path:
    """A card made by huggingface_hub itself from its template."""
    hub = pytest.importorskip("huggingface_hub")
    data = hub.ModelCardData(license="apache-2.0", language="en", tags=["vision"], datasets=["imagenet-1k"],
                             co2_eq_emissions={"emissions": 1200.5, "source": "codecarbon"})
    card = hub.ModelCard.from_template(
        data, model_id="acme/lens-net", model_summary="Classifies lens defects.", developers="Acme Optics Lab",
        model_type="ResNet-50 image classifier", direct_use="Sorting lenses on the factory line.",
        downstream_use="Fine-tuning for other glass parts.", out_of_scope_use="Medical imaging.",
        bias_risks_limitations="Trained on one factory's lenses only.", bias_recommendations="Re-test per factory.",
        testing_data="2,000 held-out photos.", testing_factors="Lens coating; lighting.",
        testing_metrics="Recall of defects.", training_data="40k photos.", model_examination="Saliency maps.")
    path = tmp_path / "README.md"
    path.write_text(str(card), encoding="utf-8")
    return path


def test_a_hub_template_card_fills_what_it_can_and_lists_the_rest(hub_card: Path, tmp_path: Path) -> None:
    mapping = map_card(read_card(hub_card), find_questionnaire("model-card", []))
    values = {qid: m.value for qid, m in mapping.answers.items()}
    assert values["mc_name"] == "acme/lens-net"
    assert values["mc_owner"] == "Acme Optics Lab"
    assert values["mc_type"] == "ResNet-50 image classifier"
    assert values["mc_intended_use"] == ("Sorting lenses on the factory line.\n\n"
                                         "Downstream use: Fine-tuning for other glass parts.")
    assert values["mc_out_of_scope"] == "Medical imaging."
    assert values["mc_ethical"] == "Trained on one factory's lenses only."
    assert values["mc_caveats"] == "Re-test per factory."
    assert values["mc_eval_data"] == "2,000 held-out photos."
    assert values["mc_factors"] == "Lens coating; lighting."
    assert values["mc_metrics"] == "Recall of defects."
    assert values["mc_training_data"] == "40k photos."
    assert values["mc_licence"] == "permissive"
    assert mapping.answers["mc_licence"].note == "Hugging Face license: apache-2.0"
    assert "mc_citation" not in values  # the template's empty BibTeX/APA labels are no answer
    lines = hub_card.read_text(encoding="utf-8").splitlines()
    listed = {entry.split(": ", 2)[1]: int(entry.split(":")[1]) for entry in mapping.unmapped}
    for what, needle in (("metadata `datasets`", "datasets:"), ("metadata `language`", "language:"),
                         ("metadata `tags`", "tags:"), ("metadata `co2_eq_emissions`", "co2_eq_emissions:"),
                         ("section `Model Examination [optional]` (1 line)", "Saliency maps.")):
        assert what in listed, mapping.unmapped
        assert needle in lines[listed[what] - 1]  # file:line points at it
    assert not any("More Information Needed" in e for e in mapping.unmapped)


def test_conflicts_write_nothing_unless_forced_and_force_keeps_a_backup(hub_card: Path, tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    import_card(hub_card, target)
    text = hub_card.read_text(encoding="utf-8").replace("Medical imaging.", "Medical imaging and toys.")
    hub_card.write_text(text, encoding="utf-8")
    before = target.read_bytes()
    done = rw("import-card", str(hub_card), "--into", str(target))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "`mc_out_of_scope` is already answered (`Medical imaging.`)" in done.stderr
    assert f"{target.name}:" in done.stderr and "README.md:" in done.stderr and "--force" in done.stderr
    assert target.read_bytes() == before
    done = rw("import-card", str(hub_card), "--into", str(target), "--force")
    assert done.returncode == 0, done.stderr
    assert "replaced mc_out_of_scope" in done.stdout
    assert (tmp_path / "answers.yaml.bak").read_bytes() == before
    assert load_answers(target)[0].answers["model-card"]["mc_out_of_scope"].value == "Medical imaging and toys."


def test_import_adds_the_questionnaire_and_keeps_other_answers(hub_card: Path, tmp_path: Path) -> None:
    done = rw("new", str(tmp_path / "ai.yaml"), "-q", "eu-ai-act", "--name", "Lens")
    assert done.returncode == 0, done.stderr
    ai = tmp_path / "ai.yaml"
    answered = "  eu-ai-act:\n    artefact:\n      value: ai_system"
    text = ai.read_text(encoding="utf-8").replace("  eu-ai-act: {}", answered)
    ai.write_text(text, encoding="utf-8")
    done = rw("import-card", str(hub_card), "--into", str(ai))
    assert done.returncode == 0, done.stderr
    assert "added the model-card questionnaire" in done.stderr
    doc, _ = load_answers(ai)
    assert doc.answers["eu-ai-act"]["artefact"].value == "ai_system"
    assert doc.system.name == "Lens" and doc.system.description == "Classifies lens defects."
    assert doc.answers["model-card"]["mc_factors"].value == "Lens coating; lighting."
    assert [q.id for q in doc.questionnaires] == ["eu-ai-act", "model-card"]


def test_default_target_is_beside_the_card(hub_card: Path) -> None:
    assert default_answers_path(hub_card) == hub_card.with_name("README.model-card.yaml")
    done = rw("import-card", str(hub_card))
    assert done.returncode == 0, done.stderr
    assert hub_card.with_name("README.model-card.yaml").is_file()
    assert "open it with: riskwizard" in done.stdout
    again = rw("import-card", str(hub_card))
    assert again.returncode == 0 and "nothing to write" in again.stdout


@pytest.mark.parametrize(("content", "message", "line"), [
    ("---\nlicense: [mit\n---\n# Card\n", "metadata:", 3),  # where the parser noticed
    ("---\nlicense: mit\nlicense: apache-2.0\n---\n# Card\n", "metadata:", 3),
    ("---\nlicense: mit\n# Card\n", "never closed", 1),
    ("---\n- a\n- b\n---\n# Card\n", "not a mapping", 2),
    ("# Just a title\n\nSome words.\n", "nothing in", None),
    ("", "nothing in", None),
])
def test_bad_cards_are_errors_with_file_and_line(content: str, message: str, line: int | None,
                                                 tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_text(content, encoding="utf-8")
    with pytest.raises(CardError) as err:
        import_card(card, tmp_path / "out.yaml")
    assert message in err.value.message
    if line is not None:
        assert err.value.location is not None and err.value.location.line == line
    assert not (tmp_path / "out.yaml").exists()
    done = rw("import-card", str(card), "--into", str(tmp_path / "out.yaml"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "README.md" in done.stderr


def test_unreadable_inputs_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bin.md").write_bytes(b"\xff\xfe\x00not utf-8")
    done = rw("import-card", str(tmp_path / "bin.md"), "--into", str(tmp_path / "o.yaml"))
    assert done.returncode == 2 and "UTF-8" in done.stderr
    os.mkfifo(tmp_path / "fifo.md")
    done = rw("import-card", str(tmp_path / "fifo.md"), "--into", str(tmp_path / "o.yaml"))
    assert done.returncode == 2 and "not a regular file" in done.stderr
    done = rw("import-card", str(tmp_path / "missing.md"))
    assert done.returncode == 2 and "not found" in done.stderr


def test_an_answer_too_long_or_of_the_wrong_kind_is_listed_not_imported(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    long_text = "word " * 2500
    card.write_text(f"# Model Card for X\n\n## Direct Use\n\nOK use.\n\n## Factors\n\n{long_text}\n\n"
                    "## Evaluation\n\n### Results\n\nResults reported by group: Perhaps\n", encoding="utf-8")
    mapping = map_card(read_card(card), find_questionnaire("model-card", []))
    assert mapping.answers["mc_intended_use"].value == "OK use."
    assert "mc_factors" not in mapping.answers
    assert any(e.startswith(f"{read_card(card).path}:9:") and "limit" in e for e in mapping.unmapped)
    assert any("`Perhaps` is not one of the answers to `mc_disaggregated`" in e for e in mapping.unmapped)
