"""The NeurIPS-style broader impact statement and paper checklist, written from answers.

Template prose only: each answer is quoted into a fixed sentence; nothing is invented. What was
left unanswered or answered "don't know" is said plainly, so the statement never looks more
complete than the assessment behind it.
"""

from __future__ import annotations

import re
from typing import Any

from ..answers import Answer
from ..calc import ENERGY_SOURCE
from ..engine import AnswerView, format_raw
from .measured import sentence as measured_sentence

STACK_SENTENCES = {  # keyed by the options of neurips-broader-impact's impact_stack question
    "foundational": "The work is foundational research: its societal impact depends on how others build on it.",
    "technique": "The work contributes a general technique (a method, model or tool) that many applications "
                 "could build on, so its impacts depend on those applications as well as on the work itself.",
    "application": "The work targets a specific application, so its effects on the people in that domain "
                   "are direct and are named below.",
    "deployment": "The work describes a system that is deployed or about to be deployed, "
                  "so its impacts on people are direct.",
}

CHECKLIST = [  # (id, title as in the NeurIPS paper checklist)
    ("cl_claims", "Claims"),
    ("cl_limitations", "Limitations"),
    ("cl_theory", "Theory assumptions and proofs"),
    ("cl_reproducibility", "Experimental result reproducibility"),
    ("cl_open_access", "Open access to data and code"),
    ("cl_experimental_details", "Experimental setting/details"),
    ("cl_significance", "Experiment statistical significance"),
    ("cl_compute", "Experiments compute resources"),
    ("cl_code_of_ethics", "Code of ethics"),
    ("cl_broader_impacts", "Broader impacts"),
    ("cl_safeguards", "Safeguards"),
    ("cl_licenses", "Licenses for existing assets"),
    ("cl_new_assets", "New assets"),
    ("cl_human_subjects", "Crowdsourcing and research with human subjects"),
    ("cl_irb", "Institutional review board (IRB) approvals or equivalent for research with human subjects"),
    ("cl_llm_usage", "Declaration of LLM usage"),
]
ANSWER_WORDS = {"yes": "Yes", "no": "No", "na": "NA"}
COMPUTE_ITEM = "cl_compute"  # where a measured energy figure is quoted


class _Reader:
    """Reads answers through visibility and records which questions had nothing to say."""

    def __init__(self, spec: Any, answers: dict[str, Answer]) -> None:
        self.spec = spec
        self.answers = answers
        self.view = AnswerView(spec, answers)
        self.known = {q.id: q for q in spec.questions()}
        self.unanswered: list[dict[str, str]] = []
        self.unknown: list[dict[str, str]] = []

    def question(self, qid: str) -> Any:
        return self.known.get(qid)

    def get(self, qid: str, record: bool = True) -> Any:
        """The answer value, or None (recording unanswered / don't know)."""
        q = self.known.get(qid)
        if q is None or not self.view.is_visible(qid):
            return None
        a = self.answers.get(qid)
        if a is not None and a.unknown:
            if record:
                self.unknown.append({"id": qid, "prompt": q.prompt})
            return None
        if a is None or a.value is None or a.value == "" or a.value == []:
            if record:
                self.unanswered.append({"id": qid, "prompt": q.prompt})
            return None
        return a.value

    def text(self, qid: str, record: bool = True) -> str | None:
        value = self.get(qid, record)
        if value is None:
            return None
        q = self.known[qid]
        if q.type == "multi":
            labels = [o.label for o in q.options if o.value in value]
            return join_words(labels)
        if q.type == "group":
            return format_raw(q, value)
        return format_raw(q, value).strip()

    def labels(self, qid: str) -> list[str]:
        value = self.get(qid)
        q = self.known.get(qid)
        if value is None or q is None:
            return []
        if q.type == "multi":
            return [o.label for o in q.options if o.value in value]
        return [format_raw(q, value)]


def join_words(words: list[str]) -> str:
    words = words[:1] + [lower_first(w) for w in words[1:]]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?)\"'»”" else text + "."


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def broader_impact(spec: Any, answers: dict[str, Answer], result: Any = None) -> dict[str, Any]:
    """Sections of the statement as {heading, paragraphs} plus what was left open."""
    r = _Reader(spec, answers)
    sections: list[dict[str, Any]] = []

    def add(heading: str, paragraphs: list[str | None]) -> None:
        kept = [p for p in paragraphs if p]
        if kept:
            sections.append({"heading": heading, "paragraphs": kept})

    summary = r.text("contribution_summary")
    stack = r.get("impact_stack")
    stack_q = r.question("impact_stack")
    stack_text = None
    if stack is not None and stack_q is not None:
        stack_text = STACK_SENTENCES.get(stack) or f"The authors place the work as: {format_raw(stack_q, stack)}."
    apps = r.text("applications")
    add("Contribution and context", [
        sentence(summary) if summary else None,
        stack_text,
        f"Applications the work enables: {sentence(apps)}" if apps else None,
    ])

    no_consequence = r.get("no_foreseeable_consequence", record=False)
    if no_consequence == "yes":
        argument = r.text("no_consequence_argument")
        add("No foreseeable societal consequence", [
            "The authors state that the work has no foreseeable societal consequence"
            + (f", and argue: {sentence(argument)}" if argument else ", but give no argument for this claim."),
        ])

    positive = r.text("positive_impacts")
    add("Benefits", [f"Positive impacts: {sentence(positive)}" if positive
                     else "The authors did not describe any positive impact."])

    negative = r.text("negative_impacts")
    stakeholders = r.text("stakeholders")
    vulnerable = vulnerable_labels(r)
    vulnerable_how = r.text("vulnerable_impact")
    add("Risks and harms", [
        f"Negative impacts: {sentence(negative)}" if negative else "The authors did not describe any negative impact.",
        f"Those affected: {sentence(stakeholders)}" if stakeholders else None,
        (f"Groups that may be particularly vulnerable: {sentence(join_words(vulnerable))}" if vulnerable else None),
        f"How they could be affected: {sentence(vulnerable_how)}" if vulnerable_how else None,
    ])

    misuse = r.text("misuse")
    actors = r.labels("misuse_actors")
    add("Misuse", [
        f"Possible misuse: {sentence(misuse)}" if misuse else None,
        f"Who might misuse it: {sentence(join_words(actors))}" if actors else None,
    ])

    failures = r.text("failure_modes")
    fp = r.text("fp_harm")
    fn = r.text("fn_harm")
    add("Failures and errors", [
        f"Failure modes: {sentence(failures)}" if failures else None,
        f"When the system wrongly flags a case (false positive): {sentence(fp)}" if fp else None,
        f"When the system misses a case (false negative): {sentence(fn)}" if fn else None,
    ])

    fairness = r.text("fairness")
    privacy = r.text("privacy")
    add("Fairness and privacy", [
        f"Fairness: {sentence(fairness)}" if fairness else None,
        f"Privacy: {sentence(privacy)}" if privacy else None,
    ])

    mitigations = _mitigations(r)
    add("Mitigations", mitigations)

    limitations = r.text("limitations")
    add("Limitations", [sentence(limitations) if limitations else None])

    add("Environmental impact", [_energy(r, result)])

    return {
        "sections": sections,
        "unanswered": r.unanswered,
        "unknown": r.unknown,
        "gaps": _gaps(r),
    }


def vulnerable_labels(r: _Reader) -> list[str]:
    """The vulnerable groups chosen (a shared fact since questionnaire 2.0), without "None of these"."""
    q = r.question("vulnerable_groups")
    value = r.get("vulnerable_groups")
    if q is None or value is None:
        return []
    if q.type != "multi":
        return r.labels("vulnerable_groups")
    return [o.label for o in q.options if o.value in value and o.value != "none"]


def _mitigations(r: _Reader) -> list[str | None]:
    rows = r.get("mitigations")
    q = r.question("mitigations")
    if not rows or q is None or q.type != "group":
        return []
    fields = {f.id: f for f in q.fields}
    out: list[str | None] = []
    for row in rows:
        what = row.get("mitigation")
        if not what:
            continue
        details = []
        owner = row.get("owner")
        details.append(f"owner: {owner}" if owner else "owner not named")
        status = row.get("status")
        if status is not None and "status" in fields:
            details.append(f"status: {lower_first(format_raw(fields['status'], status))}")
        else:
            details.append("status unknown")
        out.append(f"{str(what).strip().rstrip('.')} ({'; '.join(details)}).")
    return out


def _energy(r: _Reader, result: Any) -> str | None:
    measured = getattr(result, "measured", {}).get("co2")
    if measured is not None:  # a CodeCarbon measurement replaces the estimate and its assumptions
        return measured_sentence(measured)
    derived = dict(result.derived) if result is not None else r.view.derived_values()
    kwh = derived.get("co2.kwh")
    co2 = derived.get("co2.co2_kg")
    hours = r.get("gpu_hours", record=kwh is None)
    gpu = r.text("gpu_type", record=kwh is None)
    region = r.text("grid_region", record=kwh is None)
    if kwh is None or co2 is None:
        if hours is None and gpu is None and region is None:
            return None
        return ("The compute used is only partly described, so energy use and emissions could not be "
                "estimated.")
    where = f" in {region}" if region else ""
    on = f" on {gpu}" if gpu else ""
    count = r.get("gpu_count", record=False)
    total = hours * count if isinstance(hours, int | float) and isinstance(count, int | float) else hours
    device = "CPU" if r.get("gpu_type", record=False) == "cpu" else "GPU"  # the unit follows the accelerator
    used = (f"about {total:,.6g} {device}-hours{on}{where}" if isinstance(total, int | float)
            else "the reported compute")
    return (f"Training used {used}, an estimated {kwh:,.0f} kWh of electricity and {co2:,.0f} kg CO2eq of "
            f"emissions. Method: {ENERGY_SOURCE}.")


def _gaps(r: _Reader) -> list[str]:
    gaps = []
    if r.unanswered:
        gaps.append("Left unanswered, so this statement says nothing about: "
                    + "; ".join(lower_first(q["prompt"]).rstrip("?.") for q in r.unanswered) + ".")
    if r.unknown:
        gaps.append("The authors answered \"don't know\" to: "
                    + "; ".join(lower_first(q["prompt"]).rstrip("?.") for q in r.unknown) + ".")
    return gaps


def _without_item_prefix(prompt: str, number: int) -> str:
    """The questionnaire's prompt says "1. Claims: Do the main ..."; the checklist already shows both."""
    match = re.match(rf"{number}\.\s+[^:?]{{1,120}}:\s+", prompt)
    return prompt[match.end():] if match else prompt


def checklist(spec: Any, answers: dict[str, Answer], result: Any = None) -> list[dict[str, Any]]:
    """The 16 NeurIPS checklist items: answer yes/no/na or None (TODO), with justification.

    With a CodeCarbon measurement, the compute item's justification ends with the measured totals.
    """
    measured = getattr(result, "measured", {}).get("co2")
    known = {q.id: q for q in spec.questions()}
    items = []
    for number, (cid, title) in enumerate(CHECKLIST, 1):
        q = known.get(cid)
        a = answers.get(cid)
        answer = a.value if a is not None and a.is_answered and a.value in ANSWER_WORDS else None
        j = answers.get(f"{cid}_just")
        justification = j.value.strip() if j is not None and j.is_answered and isinstance(j.value, str) else ""
        if cid == COMPUTE_ITEM and measured is not None:
            justification = f"{justification} {measured_sentence(measured)}".strip()
        items.append({
            "number": number, "id": cid, "title": title,
            "question": _without_item_prefix(q.prompt, number) if q is not None else title,
            "answer": answer, "answer_label": ANSWER_WORDS.get(answer or "", "TODO"),
            "justification": justification,
        })
    return items
