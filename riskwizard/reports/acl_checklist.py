"""The ACL Rolling Review Responsible NLP Research checklist in LaTeX, with the official item ids and wording.

Source of the questions (verbatim, the page's *emphasis* kept as ``\\emph``): the ARR guidelines page
https://aclrollingreview.org/responsibleNLPresearch/ (file ``responsibleNLPresearch.md`` of
github.com/acl-org/aclrollingreview, last changed in commit 6fae0f24 of 2025-06-17), which lists 18 items
A1-E1 (A3 was removed for the October 2024 cycle). Since February 2024 authors fill the checklist in the
OpenReview submission form; each item carries its form field (``openreview/stages/arr_content.py`` of
openreview-py), and the form of 2026-02-23 (commit 8563b1ea) no longer asks B1, B2, B3, B5, C1, C4 and
D5, which the export says in a comment. Since EMNLP 2025 the checklist is published as an appendix of
accepted papers: the export is that appendix, ready to paste. ``docs/acl-checklist-source.md`` records
the sources. The wizard's prompts in ``questionnaires/acl-responsible-nlp.yaml`` are the same questions
(tests/reports/test_acl_checklist.py checks both against :data:`ITEMS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..numbers import plain as number
from .latex import joined_with_character_check, justification_tex, tex_comment, tex_escape
from .source import ReportAnswers

if TYPE_CHECKING:
    from . import Rendered, RenderJob

ACL = "acl-responsible-nlp"
SOURCE = ("ARR Responsible NLP Research checklist, https://aclrollingreview.org/responsibleNLPresearch/ "
          "(acl-org/aclrollingreview responsibleNLPresearch.md, commit 6fae0f24, 2025-06-17)")
FORM = "OpenReview ARR submission form (openreview-py openreview/stages/arr_content.py, 2026-02-23)"
ANSWERS = {"yes": "Yes", "no": "No", "na": "N/A"}  # the form's radio options


@dataclass(frozen=True)
class Section:
    letter: str
    question: str  # the page's heading, markdown emphasis as *...*
    qid: str  # the questionnaire's question for the section ("" for A: every submission)
    field: str  # the OpenReview field ("" for A)


@dataclass(frozen=True)
class Item:
    id: str  # "A1"
    qid: str  # the answer's question id in the acl-responsible-nlp questionnaire
    question: str  # verbatim from the guidelines page, markdown emphasis as *...*
    field: str  # the OpenReview form field
    in_form: bool  # asked by the OpenReview form since 2026-02-23

    @property
    def section(self) -> str:
        return self.id[0]

    @property
    def plain_question(self) -> str:
        return plain(self.question)


def plain(markdown: str) -> str:
    """The page's question without its markdown emphasis (for the wizard's prompts)."""
    return markdown.replace("*", "")


def emph_tex(markdown: str) -> str:
    """The question as LaTeX: escaped text, *emphasis* as \\emph{...}."""
    return _EMPHASIS.sub(r"\\emph{\1}", tex_escape(markdown))


_EMPHASIS = re.compile(r"\*([^*]+)\*")


SECTIONS: tuple[Section, ...] = (
    Section("A", "For every submission:", "", ""),
    Section("B", "Did you use or create *scientific artifacts*?", "acl_b", "B_use_or_create_scientific_artifacts"),
    Section("C", "Did you run *computational experiments*?", "acl_c", "C_computational_experiments"),
    Section("D", "Did you use *human annotators* (e.g., crowdworkers) or *research with human participants*?",
            "acl_d", "D_human_subjects_including_annotators"),
    Section("E", "Did you use AI assistants (e.g., ChatGPT, Copilot) in your research, coding, or writing?",
            "acl_e", "E_ai_assistants_in_research_or_writing"),
)

ITEMS: tuple[Item, ...] = (
    Item("A1", "acl_a1", "Did you describe the *limitations* of your work?", "A1_limitations_section", True),
    Item("A2", "acl_a2", "Did you discuss any potential *risks* of your work?", "A2_potential_risks", True),
    Item("B1", "acl_b1", "Did you cite the creators of artifacts you used?", "B1_cite_creators_of_artifacts", False),
    Item("B2", "acl_b2", "Did you discuss the *license or terms* for use and / or distribution of any artifacts?",
         "B2_discuss_the_license_for_artifacts", False),
    Item("B3", "acl_b3", "Did you discuss if your use of existing artifact(s) was consistent with their *intended "
         "use*, provided that it was specified? For the artifacts you create, do you specify intended use and "
         "whether that is compatible with the original access conditions (in particular, derivatives of data "
         "accessed for research purposes should not be used outside of research contexts)?",
         "B3_artifact_use_consistent_with_intended_use", False),
    Item("B4", "acl_b4", "Did you discuss the steps taken to check whether the data that was collected / used "
         "contains any *information that names or uniquely identifies individual people* or *offensive "
         "content*, and the steps taken to protect / anonymize it?",
         "B4_data_contains_personally_identifying_info_or_offensive_content", True),
    Item("B5", "acl_b5", "Did you provide documentation of the artifacts, e.g., coverage of domains, languages, "
         "and linguistic phenomena, demographic groups represented, etc.?", "B5_documentation_of_artifacts", False),
    Item("B6", "acl_b6", "Did you report relevant statistics like the number of examples, details of train / "
         "test / dev splits, etc. for the data that you used / created?", "B6_statistics_for_data", True),
    Item("C1", "acl_c1", "Did you report the *number of parameters* in the models used, the *total "
         "computational budget* (e.g., GPU hours), and *computing infrastructure* used?",
         "C1_model_size_and_budget", False),
    Item("C2", "acl_c2", "Did you discuss the experimental setup, including *hyperparameter search* and "
         "*best-found hyperparameter* values?", "C2_experimental_setup_and_hyperparameters", True),
    Item("C3", "acl_c3", "Did you report *descriptive statistics* about your results (e.g., error bars around "
         "results, summary statistics from sets of experiments), and is it transparent whether you are reporting "
         "the max, mean, etc. or just a single run?", "C3_descriptive_statistics", True),
    Item("C4", "acl_c4", "If you used existing packages (e.g., for preprocessing, for normalization, or for "
         "evaluation, such as NLTK, Spacy, ROUGE, etc.), did you report the implementation, model, and parameter "
         "settings used?", "C4_parameters_for_packages", False),
    Item("D1", "acl_d1", "Did you report the full text of instructions given to participants, including e.g., "
         "screenshots, disclaimers of any risks to participants or annotators, etc.?",
         "D1_instructions_given_to_participants", True),
    Item("D2", "acl_d2", "Did you report information about how you recruited (e.g., crowdsourcing platform, "
         "students) and paid participants, and discuss if such *payment is adequate* given the participants’ "
         "demographic (e.g., country of residence)?", "D2_recruitment_and_payment", True),
    Item("D3", "acl_d3", "Did you discuss whether and how *consent* was obtained from people whose data you're "
         "using/curating?", "D3_data_consent", True),
    Item("D4", "acl_d4", "Was the data collection protocol *approved (or determined exempt)* by an ethics review "
         "board?", "D4_ethics_review_board_approval", True),
    Item("D5", "acl_d5", "Did you report the basic demographic and geographic characteristics of the *annotator* "
         "population that is the source of the data?", "D5_characteristics_of_annotators", False),
    Item("E1", "acl_e1", "If you used any AI assistants, did you include information about your use?",
         "E1_information_about_use_of_ai_assistants", True),
)

HEADING = "Responsible NLP Research Checklist"
INSTRUCTION = ("If you answer Yes, provide the section number; if you answer No, provide a justification.")
PREAMBLE = r"""% Generated by riskwizard from the answers of {name}.
% Questions: {source}; the page's own words, which ARR asks authors not to change.
% Since February 2024 the checklist is filled in the OpenReview submission form; each item below
% names its form field. The form of 2026-02-23 no longer asks B1, B2, B3, B5, C1, C4 and D5 (they
% are marked; the guidelines page still lists them). Since EMNLP 2025 the checklist of an accepted
% paper is published as an appendix: paste this after the references.
% The form requires the "section or justification" field for every Yes and No: a section number
% for Yes, a reason for No.
\providecommand{\textcolor}[2]{#2}
\providecommand{\aclanswer}[1]{\textbf{#1}}
\providecommand{\aclanswerTODO}{\textcolor{red}{\textbf{[TODO]}}}
"""
TODO = r"\aclanswerTODO{}"
A1_FORM = ("% In the form, A1 is the box \"This paper has a limitations section.\": ARR desk-rejects papers without a "
           "section titled \"Limitations\".")
NOT_ASKED = "% Not asked by the OpenReview form since 2026-02-23 (still on the guidelines page)."


def render(job: RenderJob) -> Rendered:
    text, warnings = render_tex(job)
    return text.encode("utf-8"), warnings


def answers(job: RenderJob) -> dict[str, tuple[str | None, str]]:
    """Each section question and item as (answer yes/no/na or None, justification)."""
    source = ReportAnswers(job.doc)
    out: dict[str, tuple[str | None, str]] = {}
    for qid in [s.qid for s in SECTIONS if s.qid] + [i.qid for i in ITEMS]:
        value = source.value(ACL, qid)
        just = source.value(ACL, f"{qid}_just")
        out[qid] = (value if value in ANSWERS else None, just.strip() if isinstance(just, str) else "")
    return out


def render_tex(job: RenderJob) -> tuple[str, list[str]]:
    model = job.model
    out = [PREAMBLE.replace("{name}", tex_comment(model["system"]["name"])).replace("{source}", SOURCE)]
    if not any(q["id"] == ACL for q in model["questionnaires"]):
        out.append(f"% This assessment does not include the {ACL} questionnaire, so there is no checklist "
                   "to export.\n% Add it with `riskwizard open FILE` (start screen) or `riskwizard new -q "
                   f"{ACL}`.\n")
        return "".join(out), []
    for line in model["summary"].get("staleness", []):
        out.append(f"% riskwizard: out of date: {tex_comment(line)}\n")
    found = [c for c in model["summary"]["contradictions"]
             if any(s["questionnaire"] == ACL for s in c["sides"])]
    if found:
        out.append(f"% riskwizard: {len(found)} contradiction(s) with other answers; settle them before "
                   "submitting:\n" + "".join(f"% - {tex_comment(c['message'])}\n" for c in found))
    given = answers(job)
    budget = _budget_comment(model)
    warnings: list[str] = []
    out.append(f"\n\\section*{{{HEADING}}}\n% {INSTRUCTION}\n")
    for section in SECTIONS:
        out.append(f"\n\\subsection*{{{section.letter}.\\quad {emph_tex(section.question)}}}\n")
        gate: str | None = "yes"
        if section.qid:
            gate = given[section.qid][0] if given[section.qid][0] in ("yes", "no") else None
            shown = ANSWERS[gate] if gate else None
            out.append(f"% OpenReview field: {section.field}\n"
                       f"Answer: {_answer_tex(shown)}\n")
        out.append("\\begin{description}\n")
        for item in (i for i in ITEMS if i.section == section.letter):
            answer, just = given[item.qid]
            lines = [f"\\item[{item.id}.] {emph_tex(item.question)}\\\\"]
            if gate == "no":
                answer, text = "na", f"Not applicable: the answer to {section.letter} is No."
                pointed = True
            else:
                text, pointed = justification_tex(just)
                pointed = pointed or bool(_SECTION_NUMBER.match(just))
            if item.id == "C1" and budget:
                lines.append(f"% riskwizard: {budget}")
            lines.append(f"Answer: {_answer_tex(ANSWERS.get(answer or ''))}\\\\")
            missing = TODO if answer != "na" else ""
            lines.append(f"Section or justification: {text or missing}".rstrip())
            if not item.in_form:
                lines.append(NOT_ASKED)
            if item.id == "A1":
                lines.append(A1_FORM)
            lines.append(f"% OpenReview field: {item.field} (elaboration: {item.id}_elaboration)")
            out.append("\n".join(lines) + "\n")
            if gate != "no" and answer in ("yes", "no") and not just:
                warnings.append(f"ACL checklist {item.id} is answered {ANSWERS[answer]} without a section or "
                                "justification; the OpenReview form requires one")
            elif answer == "yes" and not pointed:
                warnings.append(f"ACL checklist {item.id} is answered Yes, but its justification names no section; "
                                "give the section number (\"Section 4\") or its LaTeX label (sec:experiments)")
        out.append("\\end{description}\n")
    return joined_with_character_check(out, warnings)


# A justification that starts with a section number ("4.2", "§3") points to the paper, as the form asks.
_SECTION_NUMBER = re.compile(r"\s*(?:§\s*)?\d+(?:\.\d+)*\b")


def _answer_tex(label: str | None) -> str:
    return f"\\aclanswer{{{label}}}" if label else TODO


def _budget_comment(model: dict[str, Any]) -> str:
    """The compute budget the shared answers give, as a hint beside C1 (a comment, not the answer)."""
    q = next((q for q in model["questionnaires"] if q["id"] == ACL), None)
    derived = q.get("derived", {}) if q else {}
    total = derived.get("budget.device_hours")
    if total is None:
        return ""
    count, per = derived.get("budget.gpu_count"), derived.get("budget.hours_per_gpu")
    return (f"the compute answers give {number(total)} device-hours in total ({number(count)} devices x "
            f"{number(per)} hours each); C1 asks for the total budget of all experiments")
