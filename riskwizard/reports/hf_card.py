"""Hugging Face model card: a README.md with the Hub's YAML metadata and the sections of its template.

The sections follow huggingface_hub's ``modelcard_template.md`` (Model Details, Uses with Direct and
Out-of-Scope Use, Bias, Risks, and Limitations with Recommendations, Training Details, Evaluation
with Testing Data, Factors, Metrics and Results, Environmental Impact, Model Card Contact); the
metadata follows the Hub's model card spec, with ``co2_eq_emissions`` and its documented sub-keys
(emissions in grams, source, training_type, geographical_location, hardware_used). They are filled
from the model-card answers, the bias-sources findings and the energy estimate of the report model;
what the answers do not give is left as the template's "[More Information Needed]".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from .. import __version__
from .markdown import block as _md_block
from .markdown import cell, md
from .measured import duration, provenance, significant
from .model import SEVERITY_ORDER

if TYPE_CHECKING:
    from . import Rendered, RenderJob

MISSING = "[More Information Needed]"  # the template's words for an empty field
DONT_KNOW = "Not known (answered \"don't know\" in the assessment)"
MODEL_CARD = "model-card"
BIAS = "bias-sources"
ENERGY_PREFERENCE = ("neurips-broader-impact",)  # where the energy estimate is looked for first

# License identifiers of the Hub (hub-docs, "Licenses": the identifier to use in the card).
HF_LICENSES = (
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
    "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
    "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0",
    "etalab-2.0", "eupl-1.1", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc",
    "lppl-1.3c", "ms-pl", "mpl-2.0", "odc-by", "odbl", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa",
    "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license", "llama2", "gemma", "unknown", "other",
)
# The licence categories of the model-card questionnaire (mc_licence) and the Hub identifiers in each.
LICENSE_CATEGORIES = {
    "permissive": ("apache-2.0", "mit", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
                   "bsd-3-clause-clear", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0",
                   "cc-by-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0",
                   "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0",
                   "lgpl", "lgpl-2.1", "lgpl-3.0", "isc", "lppl-1.3c", "ms-pl", "mpl-2.0", "odc-by", "odbl", "osl-3.0",
                   "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr"),
    "open_restricted": ("openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
                        "bigcode-openrail-m", "openrail++", "llama2", "gemma"),
    "research_only": ("cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0",
                      "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0", "c-uda",
                      "deepfloyd-if-license"),
    "proprietary": (),
}
LICENSE_NAMES = {"open_restricted": "open-with-use-restrictions", "research_only": "research-only",
                 "proprietary": "proprietary", "permissive": "permissive"}
_LICENSE_WORD = re.compile(r"(?<![\w.+-])(" + "|".join(re.escape(x) for x in sorted(HF_LICENSES, key=len, reverse=True)
                                                      if x not in ("other", "unknown", "cc"))
                           + r")(?![\w+-]|\.\d)", re.IGNORECASE)


def render(job: RenderJob) -> Rendered:
    text, warnings = render_card(job.model, _licence_answer(job))
    return text.encode("utf-8"), warnings


def _licence_answer(job: RenderJob) -> tuple[str | None, str]:
    a = job.doc.answers.get(MODEL_CARD, {}).get("mc_licence")
    if a is None or a.unknown or a.value is None:
        return None, a.note if a is not None else ""
    return str(a.value), a.note


class _Card:
    """The model-card answers of the report model, by question id."""

    def __init__(self, model: dict[str, Any]) -> None:
        q = next((q for q in model["questionnaires"] if q["id"] == MODEL_CARD), None)
        self.present = q is not None
        self.items = {it["id"]: it for sec in (q["sections"] if q else []) for it in sec["items"]}

    def text(self, qid: str) -> str:
        """The answer as plain text ('' when unanswered); "don't know" is said."""
        it = self.items.get(qid)
        if it is None or not it["visible"] or it["status"] == "unanswered":
            return ""
        if it["status"] == "unknown":
            return DONT_KNOW + (f": {it['note']}" if it["note"] else ".")
        return it["text"] + (f" ({it['note']})" if it["note"] else "")

    def item(self, qid: str) -> dict[str, Any] | None:
        it = self.items.get(qid)
        return it if it is not None and it["visible"] and it["status"] == "answered" else None


def render_card(model: dict[str, Any], licence: tuple[str | None, str] = (None, "")) -> tuple[str, list[str]]:
    """The card's text and warnings for the user."""
    card = _Card(model)
    warnings: list[str] = []
    if not card.present:
        warnings.append("the assessment has no model-card questionnaire, so most sections say "
                        f"\"{MISSING}\"; add it with `riskwizard new ... -q model-card` or import a card")
    energy = _energy(model)
    metadata = _metadata(licence, energy, warnings)
    name = card.text("mc_name") or model["system"]["name"]
    o: list[str] = []
    add = o.append
    add("---")
    add(yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100).rstrip() if metadata else "{}")
    add("---")
    add("")
    add(f"# Model Card for {_inline(name)}")
    add("")
    if model["system"]["description"]:
        add(block(model["system"]["description"]))
        add("")
    add("## Model Details")
    add("")
    add("### Model Description")
    add("")
    add(_para(card.text("mc_type")))
    add("")
    add(f"- **Developed by:** {_inline(card.text('mc_owner'))}")
    add(f"- **Model version:** {_inline(card.text('mc_version'))}")
    add(f"- **License:** {_inline(card.text('mc_licence'))}")
    add("")
    add("### Model Sources")
    add("")
    add(f"- **Paper:** {_inline(card.text('mc_citation'))}")
    add("")
    add("## Uses")
    add("")
    add("### Direct Use")
    add("")
    add(_para(card.text("mc_intended_use")))
    users = card.text("mc_intended_users")
    if users:
        add("")
        add(f"Intended users: {block(users)}")
    add("")
    add("### Out-of-Scope Use")
    add("")
    add(_para(card.text("mc_out_of_scope")))
    add("")
    o += _bias_section(model, card)
    add("## Training Details")
    add("")
    add("### Training Data")
    add("")
    add(_para(card.text("mc_training_data")))
    add("")
    o += _evaluation_section(card)
    o += _environment_section(energy)
    maintenance = card.text("mc_maintenance")
    if maintenance:
        add("## More Information")
        add("")
        add(f"Updates to this card: {block(maintenance)}")
        add("")
    add("## Model Card Contact")
    add("")
    add(_para(card.text("mc_owner")))
    add("")
    sha = model["provenance"]["answers_sha256"]
    add(f"<!-- Generated by riskwizard {__version__} from the answers of {_comment(model['system']['name'])}"
        + (f" (sha256 {sha})" if sha else "") + ". Edit the answers and export again rather than this file. -->")
    return "\n".join(o) + "\n", warnings


def _metadata(licence: tuple[str | None, str], energy: dict[str, Any] | None, warnings: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    category, note = licence
    named = _LICENSE_WORD.search(note or "")
    if named:
        meta["license"] = named.group(1).lower()
    elif category is not None:
        meta["license"] = "other"
        meta["license_name"] = LICENSE_NAMES.get(category, category)
    if category is not None and not named and LICENSE_CATEGORIES.get(category):
        warnings.append(f"the licence answer (`{category}`) names no Hugging Face license identifier, so the card "
                        "says `license: other`; name the licence in the answer's note (e.g. apache-2.0, mit, "
                        "cc-by-nc-4.0) and export again")
    if energy is not None:
        grams = energy["co2_kg"] * 1000
        # a measurement can be a fraction of a gram: significant figures, not one decimal
        emissions = float(significant(grams, 4).replace(",", "")) if energy.get("measured") else round(grams, 1)
        co2: dict[str, Any] = {"emissions": emissions, "source": energy["source"]}
        if energy["region"]:
            co2["geographical_location"] = energy["region"]
        if energy["hardware"]:
            co2["hardware_used"] = energy["hardware"]
        meta["co2_eq_emissions"] = co2
    return meta


def _bias_findings(bias: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The bias-sources findings, with those the report leaves out because another questionnaire's finding
    covers them: the card shows no other questionnaire's findings, so here they are listed."""
    if bias is None:
        return []
    others = [c for c in bias["covered"] if c["by_questionnaire"] != bias["title"]]
    return sorted([*bias["findings"], *others], key=lambda f: SEVERITY_ORDER.index(f["severity"]))


def _bias_section(model: dict[str, Any], card: _Card) -> list[str]:
    o = ["## Bias, Risks, and Limitations", ""]
    ethical = card.text("mc_ethical")
    bias = next((q for q in model["questionnaires"] if q["id"] == BIAS), None)
    findings = _bias_findings(bias)
    if ethical:
        o += [block(ethical), ""]
    if findings:
        o += ["Sources of bias found by the assessment (riskwizard's bias-sources questionnaire):", ""]
        o += [f"- **{md(f['title'])}** ({md(f['severity_label'].lower())}): {md(f['explanation'])}" for f in findings]
        o.append("")
    elif bias is not None:
        o += ["The assessment's bias-sources questionnaire found no source of bias.", ""]
    if not ethical and not findings:
        o += [MISSING, ""]
    o += ["### Recommendations", ""]
    caveats = card.text("mc_caveats")
    if caveats:
        o += [block(caveats), ""]
    o += [f"- {md(f['title'])}: {md(f['recommendation'])}" for f in findings]
    if findings:
        o.append("")
    if not caveats and not findings:
        o += ["Users (both direct and downstream) should be made aware of the risks, biases and limitations of the "
              "model. More information needed for further recommendations.", ""]
    return o


def _evaluation_section(card: _Card) -> list[str]:
    o = ["## Evaluation", "", "### Testing Data, Factors & Metrics", "", "#### Testing Data", ""]
    o += [_para(card.text("mc_eval_data"))]
    representative = card.text("mc_eval_representative")
    if representative:
        o += ["", f"Does it represent the intended use? {block(representative)}"]
    o += ["", "#### Factors", "", _para(card.text("mc_factors"))]
    o += ["", "#### Metrics", "", _para(card.text("mc_metrics"))]
    for qid, label in (("mc_thresholds", "Decision threshold"), ("mc_variation", "Uncertainty and variation")):
        value = card.text(qid)
        if value:
            o += ["", f"{label}: {block(value)}"]
    o += ["", "### Results", ""]
    results = card.item("mc_results")
    disaggregated = card.text("mc_disaggregated")
    if results and results["rows"]:
        columns = [re.sub(r"\s*\(e\.g\..*\)$", "", c) for c in results["columns"]]
        o += ["| " + " | ".join(cell(c) for c in columns) + " |",
              "|" + "|".join("---" for _ in results["columns"]) + "|"]
        o += ["| " + " | ".join(cell(v) for v in row) + " |" for row in results["rows"]]
    elif disaggregated:
        o.append(f"Results reported by group: {block(disaggregated)}")
    else:
        o.append(MISSING)
    intersectional = card.text("mc_intersectional")
    if intersectional:
        o += ["", f"Intersectional results: {block(intersectional)}"]
    return [*o, ""]


def _energy(model: dict[str, Any]) -> dict[str, Any] | None:
    """The energy estimate of the first questionnaire that makes one, with its inputs as text."""
    ordered = sorted(model["questionnaires"], key=lambda q: q["id"] not in ENERGY_PREFERENCE)
    for q in ordered:
        prefix = next((k[: -len(".kwh")] for k in q["derived"] if k.endswith(".kwh")), None)
        if prefix is None or f"{prefix}.co2_kg" not in q["derived"]:
            continue
        items = {it["id"]: it for sec in q["sections"] for it in sec["items"]}

        def text(qid: str, items: dict[str, Any] = items) -> str:
            it = items.get(qid)
            return it["text"] if it is not None and it["visible"] and it["status"] == "answered" else ""

        gpu, hours, count = text("gpu_type"), text("gpu_hours"), text("gpu_count")
        measured = q.get("measured", {}).get(prefix)
        if measured is not None:  # measured by CodeCarbon: its figures and its source replace the estimate
            v = measured["values"]
            return {"kwh": v["kwh"], "co2_kg": v["co2_kg"], "intensity": None, "measured": measured,
                    "hardware": measured["hardware"] or gpu, "gpu": measured["hardware"] or gpu,
                    "hours": duration(v["duration_h"]), "region": measured["location"] or text("grid_region"),
                    "source": measured["source"]}
        hardware = ", ".join(p for p in (f"{gpu} ({count})" if count and gpu else gpu, hours) if p)
        return {"kwh": q["derived"][f"{prefix}.kwh"], "co2_kg": q["derived"][f"{prefix}.co2_kg"],
                "intensity": q["derived"].get(f"{prefix}.intensity"), "hardware": hardware, "gpu": gpu,
                "hours": hours, "region": text("grid_region"),
                "source": "riskwizard estimate from accelerator power, run time and grid carbon intensity "
                          "(ML CO2 Impact method, Lacoste et al. 2019; CodeCarbon grid intensities)"}
    return None


def _environment_section(energy: dict[str, Any] | None) -> list[str]:
    o = ["## Environmental Impact", ""]
    if energy is None:
        return [*o, "- **Hardware Type:** " + MISSING, "- **Hours used:** " + MISSING,
                "- **Compute Region:** " + MISSING, "- **Carbon Emitted:** " + MISSING, ""]
    if energy.get("measured"):
        m = energy["measured"]
        return [*o, f"Energy and emissions were measured, not estimated ({_inline(provenance(m))}).",
                "",
                f"- **Hardware Type:** {_inline(energy['gpu']) if energy['gpu'] else MISSING}",
                f"- **Hours used:** {energy['hours']} (tracked run time)",
                f"- **Compute Region:** {_inline(energy['region']) if energy['region'] else MISSING}",
                f"- **Energy used:** {significant(energy['kwh'])} kWh (measured)",
                f"- **Carbon Emitted:** {significant(energy['co2_kg'])} kg CO2eq (measured)",
                ""]
    intensity = f" at {energy['intensity']:g} kg CO2eq/kWh" if energy["intensity"] is not None else ""
    return [*o,
            f"Carbon emissions are estimated from the accelerators' power, the run time and the grid's carbon "
            f"intensity{intensity}, with the method of the Machine Learning Impact calculator (Lacoste et al. 2019).",
            "",
            f"- **Hardware Type:** {_inline(energy['gpu'])}",
            f"- **Hours used:** {_inline(energy['hours'])}",
            f"- **Compute Region:** {_inline(energy['region'])}",
            f"- **Energy used:** {energy['kwh']:,.0f} kWh",
            f"- **Carbon Emitted:** {energy['co2_kg']:,.1f} kg CO2eq",
            ""]


_RULE_START = re.compile(r"^(\s*)(?=[-=])", re.MULTILINE)


def block(text: str) -> str:
    """Escaped paragraphs; a line of dashes or equals signs cannot become a heading underline or a rule."""
    return _RULE_START.sub(r"\1\\", _md_block(text))


def _para(text: str) -> str:
    return block(text) if text else MISSING


def _inline(text: str) -> str:
    return md(" ".join(text.split())) if text else MISSING


def _comment(text: str) -> str:
    """Text for an HTML comment: one line, no `--` that could end it."""
    return " ".join(str(text).split()).replace("--", "- -").replace(">", "&gt;")
