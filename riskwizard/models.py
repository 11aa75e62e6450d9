"""Pydantic models of the questionnaire format.

Every model forbids unknown keys and is strict about text: an unquoted ``no`` where text is
expected is an error (the Norway problem), never silently ``False``. Conditions (``when:``) are
kept as raw data here and compiled by :mod:`riskwizard.conditions`, which knows the questions
they refer to.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from .yamlsafe import is_yaml_date


def _not_a_yaml_date(value: Any) -> Any:
    """Refuse unquoted dates where text is expected (YAML 1.1 reads them as timestamps)."""
    if is_yaml_date(value):
        raise ValueError(f"expected text, but YAML reads the unquoted `{value}` as a date; put it in quotes")
    return value


PlainText = Annotated[str, BeforeValidator(_not_a_yaml_date)]
# Length caps (characters) of every free-text field, checked at load with file:line; documented in
# docs/questionnaire-format.md and README ("Limits"). Names and titles are short because they are
# repeated (page headers, tables of contents, every CLI line); prose may be long but is laid out once.
MAX_NAME = 500  # system name, assessor, organisation, versions; questionnaire, section, tier and finding titles
MAX_LABEL = 1_000  # option labels, citations, URLs, units, placeholders, row labels
MAX_TEXT = 20_000  # prose: descriptions, prompts, help, notes, comments, conditions, explanations
MAX_STAMP = 64  # dates, time stamps, sha256 digests
MAX_PATH = 4_096
Slug = Annotated[PlainText, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$", max_length=64)]
# a rule of this questionnaire (`rule_id`) or of another one (`questionnaire-id/rule_id`)
RuleRef = Annotated[PlainText, StringConstraints(
    pattern=r"^([a-z][a-z0-9_]*(-[a-z0-9_]+)*/)?[a-z][a-z0-9_]*(-[a-z0-9_]+)*$", max_length=129)]
Text = Annotated[PlainText, StringConstraints(min_length=1, max_length=MAX_TEXT)]
OptionalText = Annotated[PlainText, StringConstraints(max_length=MAX_TEXT)]
Title = Annotated[PlainText, StringConstraints(min_length=1, max_length=MAX_NAME)]
Name = Annotated[PlainText, StringConstraints(max_length=MAX_NAME)]
Label = Annotated[PlainText, StringConstraints(min_length=1, max_length=MAX_LABEL)]
OptionalLabel = Annotated[PlainText, StringConstraints(max_length=MAX_LABEL)]
Stamp = Annotated[PlainText, StringConstraints(max_length=MAX_STAMP)]
PathText = Annotated[PlainText, StringConstraints(max_length=MAX_PATH)]


def _real_date(value: str) -> str:
    """A date of the calendar (2026-02-30 matches the pattern but is no date)."""
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"`{value}` is not a date of the calendar (YYYY-MM-DD, e.g. 2026-12-03)") from None
    return value


# Dates are written quoted ("2026-08-02") so that they stay text.
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]
RawCondition = dict[str, Any]


class Strict(BaseModel):
    """Every questionnaire model. Their validators are built on first use (``defer_build``): a start of
    the wizard rebuilds the questionnaires it checked before without validating them (see ``trusted``),
    and then never needs them."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"

    @property
    def rank(self) -> int:
        return SEVERITY_ORDER.index(self)


SEVERITY_ORDER = [Severity.info, Severity.low, Severity.medium, Severity.high, Severity.critical]


class Source(Strict):
    """A citation the questionnaire relies on."""

    id: Slug
    citation: Label
    url: OptionalLabel = ""


class Option(Strict):
    value: Slug
    label: Label
    help: OptionalText = ""


class Replacement(Strict):
    """An older question whose answers this question (or shared fact) takes over when a file is upgraded.

    ``map`` translates old option values (for a multiple choice, each chosen option; a list value turns
    one old option into several). ``bands`` and ``product_with`` give no value of their own: they only
    check an old answer against the value the fact gets from elsewhere (a band of a number, or a total
    that equals this fact times another fact); an old answer that cannot be checked is kept as a conflict.
    """

    question: Slug
    map: dict[Slug, Slug | list[Slug]] = Field(default_factory=dict)
    bands: dict[Slug, Annotated[list[float | None], Field(min_length=2, max_length=2)]] = Field(default_factory=dict)
    product_with: Slug | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Replacement:
        kinds = sum(1 for k in (self.map, self.bands, self.product_with) if k)
        if kinds > 1:
            raise ValueError(f"replaces `{self.question}`: use only one of map, bands, product_with")
        return self

    @property
    def check_only(self) -> bool:
        return bool(self.bands) or self.product_with is not None


class UnitBy(Strict):
    """A unit that follows another answer, e.g. "hours per CPU" once the accelerator is a CPU."""

    q: Slug | None = None
    fact: Slug | None = None
    units: dict[Slug, Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_ref(self) -> UnitBy:
        if (self.q is None) == (self.fact is None):
            raise ValueError("unit_by needs exactly one of `q` (a single-choice question) or `fact`")
        return self


class QuestionBase(Strict):
    id: Slug
    prompt: Text
    help: OptionalText = ""
    why: OptionalText = Field("", description="Why the question matters, shown beside the prompt.")
    source: OptionalLabel = Field("", description="Citation for the question (article, paper, guideline).")
    when: RawCondition | None = Field(None, description="Show the question only when this condition holds.")
    allow_unknown: bool | None = Field(
        None, description="Offer 'don't know'. Defaults to true for every type except free text."
    )
    replaces: list[Replacement] = Field(
        default_factory=list, description="Older questions whose answers move here when a file is upgraded.")

    @property
    def unknown_allowed(self) -> bool:
        if self.allow_unknown is not None:
            return self.allow_unknown
        return self.type != "text"  # type: ignore[attr-defined]


class SingleChoice(QuestionBase):
    type: Literal["single"]
    options: list[Option] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_options(self) -> SingleChoice:
        _check_unique([o.value for o in self.options], "option value")
        return self


class MultipleChoice(QuestionBase):
    type: Literal["multi"]
    options: list[Option] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_options(self) -> MultipleChoice:
        _check_unique([o.value for o in self.options], "option value")
        return self


class YesNo(QuestionBase):
    type: Literal["yesno"]


class FreeText(QuestionBase):
    type: Literal["text"]
    multiline: bool = False
    max_length: int = Field(10_000, ge=1, le=100_000)
    placeholder: OptionalLabel = ""


class Number(QuestionBase):
    type: Literal["number"]
    unit: OptionalLabel = ""
    unit_by: UnitBy | None = Field(None, description="A unit that follows a single-choice answer.")
    min: float | None = None
    max: float | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _bounds(self) -> Number:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is larger than max")
        return self


class Percentage(QuestionBase):
    type: Literal["percent"]

    unit: Literal["%"] = "%"
    min: float = 0.0
    max: float = 100.0
    integer: Literal[False] = False

    @model_validator(mode="after")
    def _bounds(self) -> Percentage:
        if not (0 <= self.min <= self.max <= 100):
            raise ValueError("percentage bounds must satisfy 0 <= min <= max <= 100")
        return self


FieldQuestion = Annotated[
    SingleChoice | MultipleChoice | YesNo | FreeText | Number | Percentage,
    Field(discriminator="type"),
]


class Group(QuestionBase):
    """A repeatable group: one row per item (for example one row per affected group)."""

    type: Literal["group"]
    fields: list[FieldQuestion] = Field(min_length=1)
    row_label: OptionalLabel = "row"
    min_rows: int = Field(0, ge=0)
    max_rows: int = Field(50, ge=1, le=500)

    @model_validator(mode="after")
    def _fields(self) -> Group:
        _check_unique([f.id for f in self.fields], "field id")
        for f in self.fields:
            if f.when is not None:
                raise ValueError(f"field `{f.id}`: `when:` is not supported inside a group")
            if f.replaces:
                raise ValueError(f"field `{f.id}`: `replaces:` is not supported inside a group")
        if self.min_rows > self.max_rows:
            raise ValueError("min_rows is larger than max_rows")
        return self


Question = Annotated[
    SingleChoice | MultipleChoice | YesNo | FreeText | Number | Percentage | Group,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single", "multi", "yesno", "text", "number", "percent", "group")


class FactRef(Strict):
    """A question entry that asks a shared fact: ``- fact: people_affected``.

    The fact's definition (type, prompt, options...) comes from the catalogue
    (``questionnaires/shared/facts.yaml``) or from a questionnaire's own ``facts:``. Inside this
    questionnaire the question is called ``id`` (default: the fact id), so conditions and reports can
    keep a local name. ``when``, ``why`` and ``help`` apply here only; the answer is stored once.
    """

    fact: Slug
    id: Slug | None = None
    when: RawCondition | None = None
    why: OptionalText = ""
    help: OptionalText = ""
    replaces: list[Replacement] = Field(default_factory=list)


def _entry_kind(value: Any) -> str | None:
    """Which model a question entry is: a ``fact:`` reference, or a question by its ``type``."""
    if isinstance(value, dict):
        if "fact" in value:
            return "fact"
        kind = value.get("type")
        return kind if isinstance(kind, str) else None
    return "fact" if isinstance(value, FactRef) else getattr(value, "type", None)


QuestionEntry = Annotated[
    Annotated[SingleChoice, Tag("single")] | Annotated[MultipleChoice, Tag("multi")] | Annotated[YesNo, Tag("yesno")]
    | Annotated[FreeText, Tag("text")] | Annotated[Number, Tag("number")] | Annotated[Percentage, Tag("percent")]
    | Annotated[Group, Tag("group")] | Annotated[FactRef, Tag("fact")],
    Discriminator(_entry_kind),
]


class Section(Strict):
    id: Slug
    title: Title
    description: OptionalText = ""
    when: RawCondition | None = None
    questions: list[QuestionEntry] = Field(min_length=1)


class Dimension(Strict):
    """A named score axis (for example allocation harm), summed from rule contributions."""

    id: Slug
    title: Title
    description: OptionalText = ""
    max: float | None = Field(None, gt=0, description="Used to scale charts; scores may exceed it.")


class Level(Strict):
    id: Slug
    title: Title
    description: OptionalText = ""


class Outcome(Strict):
    """The ordered outcome (tier or band). Levels are listed from most to least serious."""

    label: Title = "Tier"
    mode: Literal["first_match", "max"] = "first_match"
    levels: list[Level] = Field(min_length=1)
    default: Slug
    default_reason: OptionalText = "No rule assigned a tier, so the default applies."

    @model_validator(mode="after")
    def _default_is_level(self) -> Outcome:
        ids = [lvl.id for lvl in self.levels]
        _check_unique(ids, "level id")
        if self.default not in ids:
            raise ValueError(f"default `{self.default}` is not one of the levels {ids}")
        return self


class FindingSpec(Strict):
    severity: Annotated[Severity, Field(strict=False)]
    title: Title
    explanation: Text
    recommendation: Text
    citation: Label


class LawGate(Strict):
    """Makes a rule depend on whether a dated provision is law yet (see ``timeline``)."""

    timeline: Slug = Field(description="Id of a `timeline` entry.")
    state: Literal["law", "pending"] = Field(
        description="law: the rule counts only once an act in force (published) sets a date for the entry; "
                    "pending: only while no such act does (the date comes from an act not yet published).")


class Rule(Strict):
    id: Slug
    when: RawCondition
    description: OptionalText = ""
    tier: Slug | None = None
    reason: OptionalText = Field("", description="Why this rule assigns the tier; shown with the result.")
    finding: FindingSpec | None = None
    score: dict[Slug, Annotated[float, Field(ge=-1e6, le=1e6)]] = Field(default_factory=dict)
    flags: list[Slug] = Field(default_factory=list)
    only_at_tiers: list[Slug] = Field(
        default_factory=list,
        description="Show the rule's finding and set its flags only when the final tier is one of these "
                    "(the rule still appears in the trace). Empty: at any tier.")
    law_gate: LawGate | None = Field(None, description="Evaluate the rule only in this state of the law.")
    covered_by: list[RuleRef] = Field(
        default_factory=list,
        description="Rules whose finding says what this rule's finding says, and more: when one of them fires "
                    "and its finding is listed, this finding is not listed again (the rule still fires, scores "
                    "and appears in the trace). `rule_id` of this questionnaire, or `questionnaire-id/rule_id`. "
                    "A finding is never hidden behind a less serious one.")

    @model_validator(mode="after")
    def _has_effect(self) -> Rule:
        if self.tier is None and self.finding is None and not self.score and not self.flags:
            raise ValueError(f"rule `{self.id}` has no effect: give it a tier, finding, score or flags")
        if self.tier is not None and not self.reason:
            raise ValueError(f"rule `{self.id}` assigns a tier and needs a `reason`")
        return self


class Obligation(Strict):
    """A duty that applies for some tiers, flags or roles; dates are data, with their source."""

    id: Slug
    title: Title
    text: Text
    citation: Label
    tiers: list[Slug] = Field(default_factory=list)
    flags: list[Slug] = Field(default_factory=list)
    when: RawCondition | None = None
    unless_flags: list[Slug] = Field(default_factory=list, description="Not listed when one of these flags is set.")
    applies_from: IsoDate | None = None
    date_source: OptionalLabel = ""
    timeline: Slug | None = Field(
        None, description="Id of a `timeline` entry: the date that applies is chosen from it (instead of "
                          "`applies_from`/`date_source`) by the status of the acts that set its dates.")

    @model_validator(mode="after")
    def _one_date(self) -> Obligation:
        if self.timeline is not None and (self.applies_from is not None or self.date_source):
            raise ValueError(f"obligation `{self.id}`: give either `timeline` or `applies_from`/`date_source`")
        return self


ActStatus = Literal["proposed", "agreed", "adopted", "published"]
ACT_STATUSES: tuple[str, ...] = ("proposed", "agreed", "adopted", "published")


class ActEvent(Strict):
    """A dated claim about an act's progress (proposal, agreement, adoption, publication) and its source."""

    date: IsoDate
    status: ActStatus = Field(description="The step of the procedure the claim reports.")
    claim: Text
    source: Text = Field(description="Who says so: title and publisher of the source.")
    url: OptionalText = ""
    verified: bool = Field(True, description="False: only reported by secondary sources, not checked against "
                                             "the official text.")


class Act(Strict):
    """A legal act (the regulation as published, or an amendment) that sets application dates."""

    id: Slug
    title: Text
    citation: Text
    status: ActStatus = Field(description="Only a published act is law: its dates apply.")
    oj_reference: OptionalText = Field("", description="Official Journal reference; required once published.")
    checked: IsoDate | None = Field(None, description="Date the status was last checked against sources.")
    record: list[ActEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _published_has_reference(self) -> Act:
        if self.status == "published" and not self.oj_reference.strip():
            raise ValueError(f"act `{self.id}` is published: give its `oj_reference` (e.g. OJ L, 2024/1689, 12.7.2024)")
        if self.status != "published" and self.oj_reference.strip():
            raise ValueError(f"act `{self.id}` has an `oj_reference` but its status is `{self.status}`; "
                             "set `status: published`, or remove the reference")
        return self


class TimelineDate(Strict):
    act: Slug = Field(description="Id of the act (under `acts:`) that sets this date.")
    date: IsoDate
    basis: Text = Field(description="The provision that sets the date, e.g. AI Act Art 113(a).")
    note: OptionalText = ""


class TimelineEntry(Strict):
    """One application date with the dates each act sets for it, oldest act first."""

    id: Slug
    title: Text
    dates: list[TimelineDate] = Field(min_length=1)


class KeyDate(Strict):
    """A date of the law shown in a report's deadlines when it concerns the assessed system: always,
    without ``tiers``/``flags``/``when``/``unless_flags``; otherwise they select it as they select an
    obligation (every one given must hold)."""

    date: IsoDate
    event: Label
    citation: Label
    tiers: list[Slug] = Field(default_factory=list, description="Shown only at one of these tiers.")
    flags: list[Slug] = Field(default_factory=list, description="Shown only when one of these flags is set.")
    when: RawCondition | None = Field(None, description="Shown only when this condition holds.")
    unless_flags: list[Slug] = Field(default_factory=list, description="Not shown when one of these flags is set.")


class FactInput(Strict):
    """A calculator input read from a shared fact the questionnaire does not ask: ``{fact: people_affected}``."""

    fact: Slug


class ScoreInput(Strict):
    """A calculator input read from a dimension: its summed score or its declared ``max``."""

    score: Slug | None = None
    max: Slug | None = None

    @property
    def dimension(self) -> str:
        return self.score or self.max or ""


_SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$")


def _derived_input_form(value: Any) -> Any:
    """One clear error for anything but a question id, ``{score: D}``, ``{max: D}`` or ``{fact: F}``."""
    if isinstance(value, ScoreInput | FactInput):
        return value
    if type(value) is str and _SLUG_RE.match(value) and len(value) <= 64:
        return value
    if isinstance(value, dict) and len(value) == 1:
        (key, ref), = value.items()
        if key in ("score", "max", "fact") and type(ref) is str and _SLUG_RE.match(ref):
            return value
    raise ValueError("an input is a question id, `{score: DIMENSION}` (the dimension's summed score), "
                     "`{max: DIMENSION}` (its declared max) or `{fact: FACT}` (a shared fact)")


DerivedInput = Annotated[Slug | ScoreInput | FactInput, BeforeValidator(_derived_input_form)]


class Derived(Strict):
    """A value computed by a whitelisted calculator from numeric answers or dimension scores."""

    id: Slug
    fn: Slug
    inputs: dict[Slug, DerivedInput]
    # a shared fact naming a CodeCarbon emissions.csv: when it names one, the file's measured totals
    # (calc.MEASURED_OUTPUTS) replace the calculator's estimate
    measured_by: Slug | None = None

    def reads_scores(self) -> bool:
        """Inputs from scores are known only after the scoring rules have run."""
        return any(isinstance(ref, ScoreInput) for ref in self.inputs.values())


class Questionnaire(Strict):
    id: Slug
    version: Annotated[PlainText, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$", max_length=32)]
    title: Title
    description: Text
    sources: list[Source] = Field(min_length=1)
    as_of: IsoDate | None = Field(
        None, description="Date (YYYY-MM-DD) the legal content was last checked against its sources; "
                          "`riskwizard check --max-age DAYS`, the wizard and reports warn when it is older than DAYS.")
    sections: list[Section] = Field(min_length=1)
    dimensions: list[Dimension] = Field(default_factory=list)
    outcome: Outcome | None = None
    derived: list[Derived] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    key_dates: list[KeyDate] = Field(default_factory=list)
    facts: list[Question] = Field(
        default_factory=list, description="Shared facts this questionnaire defines (beyond the bundled catalogue).")
    applies_when: RawCondition | None = Field(
        None, description="When the questionnaire applies, as a condition over shared facts ({fact: ...}).")
    applies_because: OptionalText = Field("", description="Why it applies then; shown with the suggestion.")
    acts: list[Act] = Field(default_factory=list, description="Acts that set the dates of `timeline`.")
    timeline: list[TimelineEntry] = Field(default_factory=list, description="Application dates as data.")

    @model_validator(mode="after")
    def _unique_ids(self) -> Questionnaire:
        _check_unique([s.id for s in self.sections], "section id")
        _check_unique([entry_id(q) for s in self.sections for q in s.questions], "question id")
        _check_unique([f.id for f in self.facts], "fact id")
        _check_unique([r.id for r in self.rules], "rule id")
        _check_unique([d.id for d in self.dimensions], "dimension id")
        _check_unique([o.id for o in self.obligations], "obligation id")
        _check_unique([d.id for d in self.derived], "derived id")
        _check_unique([a.id for a in self.acts], "act id")
        _check_unique([e.id for e in self.timeline], "timeline id")
        return self

    def questions(self) -> list[Any]:
        """All top-level questions in order."""
        return [q for s in self.sections for q in s.questions]

    def question(self, qid: str) -> Any:
        for q in self.questions():
            if q.id == qid:
                return q
        raise KeyError(qid)

    def level(self, level_id: str) -> Level:
        assert self.outcome is not None
        for lvl in self.outcome.levels:
            if lvl.id == level_id:
                return lvl
        raise KeyError(level_id)


def entry_id(entry: Any) -> str:
    """The id of a question entry inside its questionnaire (a fact entry defaults to the fact id)."""
    if isinstance(entry, FactRef):
        return entry.id or entry.fact
    return str(entry.id)


class FactCatalogue(Strict):
    """The shared facts shipped with riskwizard (``questionnaires/shared/facts.yaml``)."""

    version: Annotated[PlainText, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
    title: Text
    description: Text
    sources: list[Source] = Field(min_length=1)
    facts: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FactCatalogue:
        _check_unique([f.id for f in self.facts], "fact id")
        for f in self.facts:
            if f.when is not None:
                raise ValueError(f"fact `{f.id}`: `when:` belongs to the questionnaire that asks the fact")
        return self


class ConsistencyRule(Strict):
    """A cross-questionnaire rule: when its condition holds, two answers contradict each other."""

    id: Slug
    when: RawCondition
    title: Text
    explanation: Text
    resolve: OptionalText = Field("", description="How to settle it (which answer to look at).")
    citation: OptionalText = ""


class ConsistencyRules(Strict):
    version: Annotated[PlainText, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
    title: Text
    description: OptionalText = ""
    rules: list[ConsistencyRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ConsistencyRules:
        _check_unique([r.id for r in self.rules], "rule id")
        return self


def _check_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what} `{v}`")
        seen.add(v)
