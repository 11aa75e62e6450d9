"""Assemble samples/<name>.yaml from parts: samples/parts/<name>/facts.yaml (the shared facts, each
answered once) and samples/parts/<name>/<questionnaire>.yaml (each questionnaire's own answers).

A part that answers a shared fact, or answers that break a consistency rule, stop the assembly:
samples must hold one truth per fact and no contradiction.

Run once after editing parts: python tools/assemble_samples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskwizard.answers import (  # noqa: E402
    Answer,
    AnswerStore,
    Comment,
    answers_fingerprint,
    dump_answers,
    load_answers,
    new_doc,
    questionnaires_fingerprint,
    reconcile,
)
from riskwizard.engine import evaluate_assessment  # noqa: E402
from riskwizard.loader import find_questionnaire  # noqa: E402
from riskwizard.yamlsafe import load_yaml_file  # noqa: E402

ORDER = ["eu-ai-act", "canada-aia", "harms", "bias-sources", "error-costs", "neurips-broader-impact",
         "acl-responsible-nlp", "research-ethics", "model-card"]  # as applicability.ordered() orders them

META = {
    "benefit-triage-canada": dict(
        name="Pension claim triage (fictional)",
        description="Fictional federal program: a model sorts old-age pension claims, including those of claimants "
                    "living in the EU, into a fast-track queue and an officer-review queue; officers confirm every "
                    "approval and decide every refusal. Assessed under the Canada AIA and the EU AI Act.",
        assessor="Program integrity team, Benefits Branch (fictional)",
        organisation="A federal department of the Government of Canada (fictional)",
        comments=[("Departmental AIA review", "Level II stands only while the mitigation measures hold (87 % of the "
                   "mitigation maximum); consult the advocacy groups for claimants with irregular work histories "
                   "before the retraining."),
                  ("EU legal adviser", "Decisions for claimants resident in the EU make the department a provider "
                   "and deployer of a high-risk Annex III 5(a) system; appoint an authorised representative.")],
        decision="approved_with_conditions",
        conditions="Authorised representative in the EU appointed before the next EU intake; disability testing "
                   "(the AIA's open point) done before the retraining.",
    ),
    "cv-screening": dict(
        name="TalentSift CV screening and ranking",
        description="Vendor-supplied model that filters and ranks job applications for warehouse and office "
                    "roles at a 900-person logistics company in Germany.",
        assessor="Dr. Miriam Keller, data protection lead (deployer)",
        organisation="Nordhafen Logistik GmbH",
        comments=[("Works council", "The council asks for the rejection explanations to be tested with "
                   "applicants before go-live."),
                  ("Ethics board chair", "Deployment is conditional on the disaggregated audit in finding "
                   "historical_bias being repeated on the 2026 applicant pool.")],
        decision="approved_with_conditions",
        conditions="Quarterly selection-rate audit by sex, age band and nationality; human review of every "
                   "automatic rejection until the audit shows parity within the four-fifths rule.",
    ),
    "face-recognition-station": dict(
        name="Central Station live face matching (proposal)",
        description="Real-time face recognition on station CCTV against a general police watch list.",
        assessor="Inspector Jonas Weber, project lead",
        organisation="City Police Directorate",
        comments=[("Legal counsel", "The purpose as described is not one of the Art 5(1)(h) objectives; the "
                   "project cannot proceed in this form.")],
        decision="rejected",
        conditions="",
    ),
    "llm-paper": dict(
        name="Lumen-7B: an open-weights language model (NeurIPS submission)",
        description="A 7B-parameter decoder-only language model trained by a university lab, released with "
                    "open weights and a public chat demo.",
        assessor="Prof. Ana Duarte, principal investigator",
        organisation="University NLP Lab",
        comments=[("Departmental ethics committee", "Please report the annotators' effective hourly pay in the "
                   "paper and describe the demo's misuse monitoring.")],
        decision="approved_with_conditions",
        conditions="Demo launches with AI disclosure and output watermarking in place.",
    ),
    "medical-imaging": dict(
        name="PneumoFlag chest X-ray triage",
        description="Classifier that flags suspected pneumothorax on chest radiographs for priority reading.",
        assessor="Dr. Lena Brandt, clinical safety officer",
        organisation="RadAI Spinout GmbH",
        comments=[("Clinical governance", "Paediatric and portable (AP) images must be evaluated separately "
                   "before the clinical investigation.")],
        decision="revise",
        conditions="",
    ),
}


def main() -> None:
    parts_root = ROOT / "samples" / "parts"
    for name, meta in META.items():
        folder = parts_root / name
        ids = [q for q in ORDER if (folder / f"{q}.yaml").exists()]
        specs = [find_questionnaire(q) for q in ids]
        out = ROOT / "samples" / f"{name}.yaml"
        doc = new_doc(specs, meta["name"], meta["assessor"], "", out)
        doc.system.description = meta["description"]
        doc.system.organisation = meta["organisation"]
        doc.system.version = "1.0"
        facts = load_yaml_file(folder / "facts.yaml").data or {}
        doc.facts.update({k: Answer(**v) for k, v in facts.items()})
        for spec in specs:
            data = load_yaml_file(folder / f"{spec.id}.yaml").data or {}
            shared = sorted(set(data) & set(spec.fact_of))
            if shared:
                raise SystemExit(f"{name}/{spec.id}.yaml answers shared facts {shared} "
                                 f"({', '.join(spec.fact_of[q] for q in shared)}): move them to facts.yaml")
            doc.answers_for(spec.id).local.update({k: Answer(**v) for k, v in data.items()})
        doc.review.comments = [Comment(by=b, text=t, date="2026-11-20") for b, t in meta["comments"]]
        doc.review.decision = meta["decision"]
        doc.review.conditions = meta["conditions"]
        notices = reconcile(doc, specs, strict=False)
        for n in notices:
            print(f"{name}: WARNING {n}")
        contradictions = evaluate_assessment(doc, specs).contradictions
        if contradictions:
            raise SystemExit(f"{name}: the answers contradict each other:\n  "
                             + "\n  ".join(c.message for c in contradictions))
        doc.review.decided = "2026-11-20"  # the committee decided on exactly these answers
        doc.review.answers_fingerprint = answers_fingerprint(doc)
        doc.review.questionnaires_fingerprint = questionnaires_fingerprint(specs)
        doc.created = "2026-11-20T09:00:00Z"
        if out.exists():
            old, _ = load_answers(out)
            doc.updated = old.updated
            if dump_answers(doc) == dump_answers(old):
                print(f"unchanged {out.relative_to(ROOT)}")
                continue  # same answers: keep the file (and its hash in the golden reports) as it is
            out.unlink()
        AnswerStore(out).save(doc)
        print(f"wrote {out.relative_to(ROOT)} ({', '.join(ids)})")


if __name__ == "__main__":
    main()
