"""The NeurIPS-style broader impact statement and paper checklist, written from answers.

Template prose only, no language model: each paragraph is a fixed frame into which the answers are
woven. A free-text answer that reads as a list of phrases ("Applicants; recruiters; the works
council") continues a lead-in sentence ("Those affected are applicants; …"); an answer written as
sentences is quoted whole after its lead-in, so no label is glued in front of a sentence that
already says the same. Figures (errors per year, energy, emissions) come from the calculators with
their assumptions beside them. What was left unanswered or answered "don't know" is said plainly,
so the statement never looks more complete than the assessment behind it.
"""

from __future__ import annotations

import re
from typing import Any

from ..calc import ASSUMED_PUE, ENERGY_SOURCE, GPU_WATTS_SOURCE, grid_source
from ..engine import AnswerView, format_raw
from ..numbers import co2, count, kwh, plain, sig
from .measured import sentence as measured_sentence
from .source import ReportAnswers

NEURIPS = "neurips-broader-impact"
STACK_SENTENCES = {  # keyed by the options of neurips-broader-impact's impact_stack question
    "foundational": "The work is foundational research: its societal impact depends on how others build on it.",
    "technique": "The work contributes a general technique (a method, model or tool) that many applications "
                 "could build on, so its impacts depend on those applications as well as on the work itself.",
    "application": "The work targets a specific application, so its effects on the people in that domain "
                   "are direct.",
    "deployment": "The work describes a system that is deployed or about to be deployed, "
                  "so its impacts on people are direct.",
}
RELEASE_WORDS = {  # the shared fact release_type (several may apply)
    "nothing": "only the paper is published",
    "internal": "nothing is released publicly",
    "code": "the code is released, without a trained model",
    "data": "a new data set is released",
    "weights_gated": "the trained weights or data are released behind an access request",
    "weights_open": "the trained weights or data are openly downloadable",
    "service": "a public demo, API or service is offered",
}
LIKELIHOOD_WORDS = {
    "low": "low: the work gives little uplift over existing tools, or is hard to misuse",
    "medium": "medium: misuse is plausible, with moderate harm",
    "high": "high: the work is easy to misuse, or misuse could cause serious harm",
}
FAIRNESS_WORDS = {
    "measured": "Fairness is defined and measured: for named groups, with an outcome and a metric.",
    "qualitative": "Fairness is described qualitatively, with named harms and groups, but not measured.",
    "undefined": "Bias or fairness is mentioned but not defined.",
    "not_discussed": "Fairness is not discussed.",
}
STATUS_WORDS = {"planned": "planned", "in_progress": "in progress", "done": "done"}
WHO_BEARS = {"subject": "the person the output is about", "third_party": "other people (bystanders, the public)",
             "operator": "the organisation using the system"}
ENERGY_INPUT_WORDS = {"gpu_type": "the accelerator type", "gpu_watts": "the accelerator's power draw",
                      "gpu_count": "the number of accelerators", "gpu_hours": "the hours of compute",
                      "grid_region": "where the compute ran", "pue": "the data centre's PUE"}
# Words that open a sentence rather than a list of phrases.
_SENTENCE_STARTS = {"we", "our", "i", "it", "its", "this", "these", "those", "they", "there", "when", "if", "a",
                    "an", "the", "no", "none", "used", "as", "in", "on", "at", "for", "by", "because", "since",
                    "although", "while", "each", "every", "all", "most", "some", "many", "only", "not"}
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”)]?\s+[A-Z(“\"]")

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
    """Reads one questionnaire's answers through visibility and records what had nothing to say."""

    def __init__(self, spec: Any, source: ReportAnswers) -> None:
        self.spec = spec
        self.answers = source.of(spec.id)
        self.view = AnswerView(spec, self.answers)
        self.known = {q.id: q for q in spec.questions()}
        self.unanswered: list[dict[str, str]] = []
        self.unknown: list[dict[str, str]] = []
        self.quoted: list[str] = []  # text answers the statement quotes whole
        stack = self.answers.get("impact_stack")
        # who speaks in the statement: a paper has authors; a deployed system has assessors
        self.who = "The assessors" if stack is not None and stack.value == "deployment" else "The authors"

    def question(self, qid: str) -> Any:
        return self.known.get(qid)

    def is_unknown(self, qid: str) -> bool:
        a = self.answers.get(qid)
        return bool(a is not None and a.unknown and self.known.get(qid) is not None and self.view.is_visible(qid))

    def get(self, qid: str, record: bool = True) -> Any:
        """The answer value, or None (recording unanswered / don't know)."""
        q = self.known.get(qid)
        if q is None or not self.view.is_visible(qid):
            return None
        a = self.answers.get(qid)
        if a is not None and a.unknown:
            if record and not any(u["id"] == qid for u in self.unknown):
                self.unknown.append({"id": qid, "prompt": q.prompt})
            return None
        if a is None or a.value is None or a.value == "" or a.value == []:
            if record and not any(u["id"] == qid for u in self.unanswered):
                self.unanswered.append({"id": qid, "prompt": q.prompt})
            return None
        return a.value

    def text(self, qid: str, record: bool = True) -> str | None:
        value = self.get(qid, record)
        if value is None:
            return None
        if self.known[qid].type == "text" and qid not in self.quoted:
            self.quoted.append(qid)
        return " ".join(format_raw(self.known[qid], value).split())

    def note(self, qid: str) -> str:
        a = self.answers.get(qid)
        return " ".join(a.note.split()) if a is not None and a.note and self.view.is_visible(qid) else ""


# --------------------------------------------------------------------------- weaving answers into prose


def join_words(words: list[str]) -> str:
    """Words joined as a list in a sentence, all but the first starting in lower case."""
    return and_list(words[:1] + [lower_first(w) for w in words[1:]])


def and_list(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?)\"'»”" else text + "."


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or a name-like capitalised pair."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def is_sentences(text: str) -> bool:
    """Whether an answer is written as sentences (quoted whole) rather than as a list of phrases."""
    first = re.match(r"[A-Za-z]+", text.strip())
    if _SENTENCE_BREAK.search(text.strip()):
        return True
    return bool(first and first.group(0).lower() in _SENTENCE_STARTS)


def weave(lead: str, text: str) -> str:
    """A lead-in sentence and an answer: "Lead. Answer sentences." or "Lead: answer phrases; …".

    The answer keeps its own words and capitals (a name is never lower-cased); only the joint changes
    with its form, so a sentence is never glued behind a label that says the same.
    """
    text = " ".join(text.split())
    joint = ". " if is_sentences(text) else ": "
    return f"{lead}{joint}{sentence(text)}"


def _quote(text: str) -> str:
    return f"“{text.strip().rstrip('.')}”"


# --------------------------------------------------------------------------- the statement


def broader_impact(spec: Any, source: ReportAnswers, result: Any = None,
                   specs: list[Any] | None = None) -> dict[str, Any]:
    """Sections of the statement as {heading, paragraphs} plus what was left open."""
    r = _Reader(spec, source)
    others = {s.id: s for s in (specs or []) if s.id != spec.id}
    sections: list[dict[str, Any]] = []

    def add(heading: str, paragraphs: list[str | None]) -> None:
        kept = [" ".join(p.split()) for p in paragraphs if p]
        if kept:
            sections.append({"heading": heading, "paragraphs": kept})

    add("Contribution and context", [_contribution(r)])
    no_consequence = r.get("no_foreseeable_consequence", record=False)
    if no_consequence == "yes":
        argument = r.text("no_consequence_argument")
        add("No foreseeable societal consequence", [
            f"{r.who} state that the work has no foreseeable societal consequence"
            + (f", and argue as follows. {sentence(argument)}" if argument
               else ", but give no argument for this claim, so reviewers cannot check it."),
        ])
    add("Benefits and harms", [_benefits(r), _harms(r)])
    add("Who is affected", [_affected(r, source, others)])
    add("Misuse", [_misuse(r)])
    add("Failures and who each error hurts", [_failures(r), _errors(r, source, others, result)])
    add("Fairness and privacy", [_fairness(r), _privacy(r)])
    add("Mitigations", [_mitigations(r)])
    energy = _energy(r, result)
    add("Environmental cost", [energy["text"]] if energy else [])
    add("Limitations", [_limitations(r)])
    return {
        "sections": sections,
        "energy": energy,
        "quoted": r.quoted,
        "unanswered": r.unanswered,
        "unknown": r.unknown,
        "gaps": _gaps(r),
    }


def _contribution(r: _Reader) -> str | None:
    parts = []
    summary = r.text("contribution_summary")
    if summary:
        parts.append(sentence(summary))
    stack = r.get("impact_stack")
    stack_q = r.question("impact_stack")
    if stack is not None and stack_q is not None:
        parts.append(STACK_SENTENCES.get(stack)
                     or f"{r.who} place the work as {lower_first(format_raw(stack_q, stack))}.")
    apps = r.text("applications")
    if apps:
        parts.append(weave(f"{r.who} name these applications", apps))
    return " ".join(parts) or None


def _benefits(r: _Reader) -> str:
    positive = r.text("positive_impacts")
    if not positive:
        return f"{r.who} describe no positive impact, so the statement cannot weigh benefits against harms."
    return weave(f"{r.who} expect these benefits", positive)


def _harms(r: _Reader) -> str:
    parts = []
    negative = r.text("negative_impacts")
    if negative:
        parts.append(weave("Against them stand the harms they foresee", negative))
    else:
        parts.append(f"{r.who} describe no negative impact, which reviewers will read as a gap.")
    specificity = r.get("negative_specificity", record=False)
    if specificity == "generic":
        parts.append("They describe the harms only in general terms, without saying who is affected or how badly.")
    longer = r.text("long_term_effects")
    if longer:
        parts.append(weave("If the work is widely used, they expect longer-term effects as well", longer))
    return " ".join(parts)


def _affected(r: _Reader, source: ReportAnswers, others: dict[str, Any]) -> str | None:
    parts = []
    stakeholders = r.text("stakeholders")
    if stakeholders:
        parts.append(weave("The statement names those affected, directly or indirectly", stakeholders))
    vulnerable = vulnerable_labels(r)  # a shared fact: the same answer the harms assessment reads
    if vulnerable:
        parts.append("Some of them are in a particularly vulnerable position: "
                     f"{join_words([lower_first(v) for v in vulnerable])}.")
    how = r.text("vulnerable_impact")
    if how:
        parts.append(weave("How they could be affected, in the authors' words", how))
    return " ".join(parts) or None


def vulnerable_labels(r: _Reader) -> list[str]:
    """The vulnerable groups chosen (a shared fact since questionnaire 2.0), without "None of these"."""
    q = r.question("vulnerable_groups")
    value = r.get("vulnerable_groups")
    if q is None or value is None:
        return []
    if q.type != "multi":
        return r.labels("vulnerable_groups")
    return [o.label for o in q.options if o.value in value and o.value != "none"]


def _misuse(r: _Reader) -> str | None:
    parts = []
    misuse = r.text("misuse")
    if misuse:
        parts.append(weave(f"{r.who} see these ways to misuse the work", misuse))
    actors = r.text("misuse_actors")
    if actors:
        parts.append(weave("They name who might do so, and with what resources", actors))
    likelihood = r.get("misuse_likelihood", record=False)
    if likelihood in LIKELIHOOD_WORDS:
        parts.append(f"They judge the risk of misuse to be {LIKELIHOOD_WORDS[likelihood]}.")
    release = r.get("release_type", record=False)
    chosen = [RELEASE_WORDS[v] for v in RELEASE_WORDS if v in (release if isinstance(release, list) else [release])]
    if chosen:
        words = join_words(chosen)
        parts.append(f"With the paper, {words}." if r.who == "The authors" else f"{words[0].upper()}{words[1:]}.")
    return " ".join(parts) or None


def _failures(r: _Reader) -> str | None:
    failures = r.text("failure_modes")
    if not failures:
        return None
    return weave("The method is known to fail in these ways", failures)


def _errors(r: _Reader, source: ReportAnswers, others: dict[str, Any], result: Any) -> str | None:
    """Who is hurt by each error type: the statement's answers, the error-costs answers and the counts."""
    parts = []
    fp, fn = r.text("fp_harm"), r.text("fn_harm")
    if fp:
        parts.append(weave("A false positive, where the system wrongly flags a case, hurts people in this way", fp))
    if fn:
        parts.append(weave("A false negative, where it misses a case, hurts people in this way", fn))
    errors = others.get("error-costs")
    if errors is not None:
        bears = []
        visible = AnswerView(errors, source.of("error-costs"))
        for key, kind in (("who_bears_fp", "false positive"), ("who_bears_fn", "false negative")):
            who = source.value("error-costs", key)
            if who in WHO_BEARS and visible.is_visible(key):
                bears.append(f"{'the cost of' if not bears else 'that of'} a {kind} falls mainly on {WHO_BEARS[who]}")
        if bears:
            parts.append("According to the error-cost assessment, " + " and ".join(bears) + ".")
        counts = _error_counts(result)
        if counts:
            parts.append(counts)
    return " ".join(parts) or None


def _error_counts(result: Any) -> str | None:
    r = result.result("error-costs") if result is not None else None
    if r is None:
        return None
    for prefix in ("err", "err_pr"):
        fp, fn = r.derived.get(f"{prefix}.fp"), r.derived.get(f"{prefix}.fn")
        if fp is not None and fn is not None:
            return (f"At the population, base rate and error rates given there, about {count(fp)} cases a year "
                    f"would be wrongly flagged and {count(fn)} missed.")
    return None


def _fairness(r: _Reader) -> str | None:
    parts = []
    fairness = r.text("fairness")
    if fairness:
        parts.append(weave(f"On fairness, {r.who.lower()} report the following", fairness))
    definition = r.get("bias_definition", record=False)
    if definition in FAIRNESS_WORDS:
        parts.append(FAIRNESS_WORDS[definition])
    return " ".join(parts) or None


def _privacy(r: _Reader) -> str | None:
    privacy = r.text("privacy")
    if privacy:
        return weave("On privacy, they report the following", privacy)
    if r.get("personal_data", record=False) == "yes":
        return "The work uses data about identifiable people, but the statement does not say how privacy is protected."
    return None


def _mitigations(r: _Reader) -> str | None:
    rows = r.get("mitigations")
    q = r.question("mitigations")
    if not rows or q is None or q.type != "group":
        return None
    fields = {f.id: f for f in q.fields}
    sentences = []
    for row in rows:
        what = str(row.get("mitigation") or "").strip()
        if not what:
            continue
        owner = str(row.get("owner") or "").strip()
        status = row.get("status")
        state = STATUS_WORDS.get(status) if status is not None else None
        if state is None and status is not None and "status" in fields:
            state = lower_first(format_raw(fields["status"], status))
        who = f"owned by {owner}" if owner else "with no owner named yet"
        sentences.append(f"{_quote(what)}, {who}, is {state}." if state else
                         f"{_quote(what)}, {who}, has no status recorded.")
    if not sentences:
        return None
    n = len(sentences)
    return f"{r.who} list {'one mitigation' if n == 1 else f'{n} mitigations'}. " + " ".join(sentences)


def _limitations(r: _Reader) -> str:
    parts = []
    limitations = r.text("limitations")
    if limitations:
        parts.append(weave(f"{r.who} name these limitations", limitations))
    parts.append("This statement is assembled from the assessment's answers by fixed templates: it adds no claim "
                 "of its own, and it is only as complete as those answers.")
    if r.unanswered or r.unknown:
        parts.append("Where questions were left open it says so below.")
    return " ".join(parts)


# --------------------------------------------------------------------------- environmental cost


def _energy(r: _Reader, result: Any) -> dict[str, Any] | None:
    """The energy paragraph with every figure from the calculator and its assumptions beside it."""
    qr = result.result(NEURIPS) if result is not None else None
    measured = qr.measured.get("co2") if qr is not None else None
    if measured is not None:  # a CodeCarbon measurement replaces the estimate and its assumptions
        values = measured["values"]
        return {"text": measured_sentence(measured), "estimated": False, "measured": True,
                "figures": {"kwh": values["kwh"], "co2_kg": values["co2_kg"]}}
    derived = dict(qr.derived) if qr is not None else r.view.derived_values()
    inputs = ("gpu_type", "gpu_watts", "gpu_count", "gpu_hours", "grid_region", "pue")
    present = [q for q in inputs if r.question(q) is not None and r.view.is_visible(q)]
    if not present:
        return None
    if "co2.kwh" not in derived:
        for qid in (*present, "hours_scope"):  # record what is open, for the gaps paragraph
            if qid != "pue" or r.is_unknown(qid):
                r.get(qid)
        unknown = [ENERGY_INPUT_WORDS[q] for q in present if r.is_unknown(q)]
        missing = [ENERGY_INPUT_WORDS[q] for q in present
                   if q != "pue" and not r.is_unknown(q) and r.get(q, record=False) is None]
        if not unknown and not missing:
            return None
        reasons = []
        if unknown:
            reasons.append(f"{join_words(unknown)} {'is' if len(unknown) == 1 else 'are'} answered “don't know”")
        if missing:
            reasons.append(f"{join_words(missing)} {'is' if len(missing) == 1 else 'are'} not given")
        text = (f"Energy use and emissions are an open point: {' and '.join(reasons)}, so no estimate is given "
                "rather than one built on defaults.")
        return {"text": text, "estimated": False, "figures": {}}
    watts = derived["co2.watts"]
    device_hours = derived["co2.device_hours"]
    count_gpus = derived.get("co2.gpu_count")
    pue = derived["co2.pue"]
    intensity = derived["co2.intensity"]
    gpu = r.get("gpu_type", record=False)
    gpu_q = r.question("gpu_type")
    if gpu == "other" or gpu is None or gpu_q is None:
        device = "accelerators"
        power = f"{plain(watts)} W per accelerator (as given by the authors)"
    else:
        device = format_raw(gpu_q, gpu)
        power = f"{plain(watts)} W per accelerator ({GPU_WATTS_SOURCE})"
    unit = "device-hours" if device == "accelerators" else "GPU-hours"
    if count_gpus is not None:
        hours = derived["co2.hours_per_gpu"]
        n_gpus = int(count_gpus) if count_gpus == int(count_gpus) else count_gpus
        noun = "accelerator" if n_gpus == 1 else "accelerators"
        what = noun if device == "accelerators" else f"{device} {noun}"
        compute = (f"Training used {plain(device_hours)} {unit}: {plain(n_gpus)} {what} running {plain(hours)} "
                   "hours each.")
    else:
        compute = f"Training used {plain(device_hours)} {unit} on {device}."
    region = r.get("grid_region", record=False)
    region_q = r.question("grid_region")
    if region == "world" or region is None or region_q is None:
        grid = f"{plain(intensity)} kg CO2eq per kWh, the {grid_source('world')}, as the location is not known"
    else:
        grid = f"{plain(intensity)} kg CO2eq per kWh for {format_raw(region_q, region)} ({grid_source(region)})"
    pue_text = (f"a power usage effectiveness (PUE) of {_pue(pue)}" if not derived.get("co2.pue_assumed")
                else f"a PUE of {_pue(ASSUMED_PUE)}, assumed because none was given (the accelerators' own power "
                     "only; cooling and power delivery would add to it)")
    text = (f"{compute} At {power} and {pue_text}, this comes to an estimated {kwh(derived['co2.kwh'])} of "
            f"electricity. At {grid}, that is about {co2(derived['co2.co2_kg'])}.")
    scope = r.get("hours_scope", record=False)
    if scope == "final_runs":
        note = r.note("hours_scope")
        text += (" The hours cover only the final reported runs: hyperparameter searches, ablations and failed runs "
                 "are left out, so the full cost is higher"
                 + (f" (the authors note: {_quote(note)})." if note else "."))
    elif scope == "all_experiments":
        text += " The hours include all experiments: searches, ablations and failed runs."
    text += f" Method: {ENERGY_SOURCE}."
    figures = {"device_hours": device_hours, "gpu_count": count_gpus, "watts": watts, "pue": pue,
               "intensity": intensity, "kwh": derived["co2.kwh"], "co2_kg": derived["co2.co2_kg"]}
    return {"text": text, "estimated": True, "figures": {k: v for k, v in figures.items() if v is not None},
            "shown": {"kwh": kwh(derived["co2.kwh"]), "co2": co2(derived["co2.co2_kg"]),
                      "device_hours": sig(device_hours, 6)}}


def _pue(x: float) -> str:
    """A PUE with at least one decimal: 1.0, 1.2, 1.25."""
    text = plain(x)
    return text if "." in text else f"{text}.0"


def _gaps(r: _Reader) -> list[str]:
    gaps = []
    if r.unanswered:
        gaps.append("Left unanswered, so this statement says nothing about: "
                    + "; ".join(lower_first(q["prompt"]).rstrip("?.") for q in r.unanswered) + ".")
    if r.unknown:
        gaps.append(f"{r.who} answered \"don't know\" to: "
                    + "; ".join(lower_first(q["prompt"]).rstrip("?.") for q in r.unknown) + ".")
    return gaps


# --------------------------------------------------------------------------- checklist


def _without_item_prefix(prompt: str, number: int) -> str:
    """The questionnaire's prompt says "1. Claims: Do the main ..."; the checklist already shows both."""
    match = re.match(rf"{number}\.\s+[^:?]{{1,120}}:\s+", prompt)
    return prompt[match.end():] if match else prompt


def checklist(spec: Any, source: ReportAnswers, result: Any = None) -> list[dict[str, Any]]:
    """The 16 NeurIPS checklist items: answer yes/no/na or None (TODO), with justification.

    ``result`` is the questionnaire's result: with a CodeCarbon measurement, the compute item's
    justification ends with the measured totals.
    """
    measured = result.measured.get("co2") if result is not None else None
    known = {q.id: q for q in spec.questions()}
    items = []
    for number, (cid, title) in enumerate(CHECKLIST, 1):
        q = known.get(cid)
        a = source.get(spec.id, cid)
        answer = a.value if a is not None and a.is_answered and a.value in ANSWER_WORDS else None
        j = source.get(spec.id, f"{cid}_just")
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
