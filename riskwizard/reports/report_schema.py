"""The JSON report format (``riskwizard export -f json``) as pydantic models, for its JSON Schema.

``riskwizard schema --report`` prints :func:`report_schema`. Every JSON report is validated against
these models in the tests (unknown keys are errors), so the schema cannot drift from the output.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["critical", "high", "medium", "low", "info"]
Status = Literal["answered", "unanswered", "unknown"]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class System(_M):
    name: str
    description: str
    version: str
    organisation: str


class Because(_M):
    """One comparison that made a tier rule fire, in words."""

    kind: Literal["q", "derived", "score", "rows"] | str
    ref: str = Field(description="question id, derived value (calculator.output) or score dimension")
    label: str = Field(description="the question prompt or the value's name")
    shown: str = Field(description="the answer or value in words")
    test: str = Field(description="the comparison in words, e.g. 'at or above 22'; empty when the answer says it")
    text: str = Field(description="the whole line as printed")


class PendingDate(_M):
    date: str
    act: str
    status: str


class Obligation(_M):
    id: str
    title: str
    text: str
    citation: str
    applies_from: str | None = Field(description="ISO date the duty applies from, or null")
    date_source: str
    pending: list[PendingDate] = Field(description="dates that acts not yet published would set instead")


class Tier(_M):
    """The result of a questionnaire with an outcome (a tier or band)."""

    id: str
    label: str = Field(description="what the outcome is called, e.g. 'EU AI Act risk tier', 'Harm band'")
    title: str
    description: str
    reason: str = Field(description="the questionnaire's own reason text for the rule (every alternative)")
    rule_id: str | None = Field(description="the rule that set it; null for the default")
    plain: str
    provisional: bool = Field(description="true while visible questions are unanswered")
    caveat: str
    because: list[Because] = Field(description="only the conditions that actually held")
    because_text: str
    legal_basis: str = Field(description="citation of the finding raised by the same rule, if any")


class Overall(Tier):
    questionnaire: str
    questionnaire_title: str
    gpai: list[Obligation] = Field(description="general-purpose AI model duties that apply as well")
    gpai_flags: list[str]


class ResultRow(_M):
    id: str
    questionnaire: str
    label: str
    result: str
    because: str
    provisional: bool
    is_overall: bool


class Theme(_M):
    id: str
    title: str
    questionnaire: str
    total: int
    counts: dict[Severity, int]
    top: str
    top_severity: Severity


class OpenQuestion(_M):
    id: str
    prompt: str
    section: str
    status: Literal["unanswered", "unknown"]
    questionnaire: str | None = None


class OpenCount(_M):
    title: str
    open: int
    unknown: int


class OpenSummary(_M):
    total: int
    unknown: int
    by_questionnaire: list[OpenCount]
    listed: list[OpenQuestion]
    more: int


class DatedItems(_M):
    date: str
    label: str
    items: list[str]


class NextDate(_M):
    date: str
    label: str


class KeyDate(_M):
    date: str
    event: str
    citation: str
    questionnaire: str
    label: str


class Deadlines(_M):
    in_force: list[DatedItems]
    coming: list[DatedItems]
    undated: list[str]
    next: NextDate | None
    key_dates: list[KeyDate]
    pending: str = Field(description="one sentence when an act not yet published would move listed dates, else empty")


class Finding(_M):
    rule_id: str
    severity: Severity
    severity_label: str
    title: str
    explanation: str
    recommendation: str
    citation: str
    questionnaire: str
    questionnaire_title: str


class CoveredFinding(Finding):
    by_questionnaire: str = Field(description="title of the questionnaire whose listed finding covers this one")
    by_rule: str
    by_title: str = Field(description="title of the listed finding that covers this one")


class Summary(_M):
    decide: list[str] = Field(description="what the committee must decide, one sentence each")
    results: list[ResultRow]
    findings_total: int
    covered: list[CoveredFinding] = Field(
        description="findings that fired but are not listed, because a listed finding says what they say and more "
                    "(a rule's `covered_by`); their rules are in the trace")
    covered_text: str = Field(description="one sentence naming the covered findings and what covers them, or empty")
    findings_by_severity: dict[Severity, int]
    themes: list[Theme]
    contradictions: list[dict[str, Any]] = Field(
        description="answers of different questionnaires that contradict each other (the consistency rules of "
                    "questionnaires/shared/consistency.yaml, and conflicts left unsettled)")
    staleness: list[str] | None = Field(
        default=None, description="present only when something is out of date: old legal content, a passed or "
                                  "overdue review, a newer bundled questionnaire version (riskwizard.staleness)")
    open_questions: list[OpenQuestion]
    open: OpenSummary
    deadlines: Deadlines
    answered: int
    visible: int


class ObligationRow(Obligation):
    questionnaire: str
    note: int | None = Field(description="number of the date-source note in obligations.notes")


class DateNote(_M):
    number: int
    text: str


class TimelineAct(_M):
    id: str
    title: str
    status: Literal["proposed", "agreed", "adopted", "published"]
    status_words: str
    oj_reference: str
    label: str = Field(description="shown under the act's title: its OJ reference when published, else its status")


class TimelineDate(_M):
    date: str
    applies: bool = Field(description="true for the date that applies (set by the last published act)")


class TimelineRow(_M):
    title: str
    applies_from: str | None = Field(description="the date that applies; null when no published act sets one")
    dates: list[TimelineDate | None] = Field(description="one per act, in the order of `acts` (null: no date)")


class Timeline(_M):
    questionnaire: str
    acts: list[TimelineAct]
    rows: list[TimelineRow]
    note: str = Field(description="which acts are not yet law; empty when every act is published")


class Obligations(_M):
    rows: list[ObligationRow]
    notes: list[DateNote]
    timelines: list[Timeline] = Field(description="application dates side by side: the law as published and "
                                                  "each amendment, with its status (questionnaire timelines)")
    caveat: str


class Level(_M):
    id: str
    title: str


class Score(_M):
    id: str
    title: str
    value: float
    max: float | None
    description: str


class Evidence(_M):
    ref: str
    kind: str
    shown: str


class TraceEntry(_M):
    rule_id: str
    description: str
    effects: list[str]
    sets_tier: bool
    evidence: list[Evidence]


class Item(_M):
    id: str
    prompt: str
    type: str
    visible: bool
    status: Status
    text: str
    short: str
    note: str
    updated: str
    rows: list[list[str]] | None
    columns: list[str] | None


class Section(_M):
    id: str
    title: str
    items: list[Item]
    visible: bool


class CompactRow(_M):
    id: str
    prompt: str
    answer: str
    status: Status
    ids: list[str]


class QuotedCount(_M):
    section: str = Field(description="number of the report section that quotes these answers whole")
    count: int


class SharedCount(_M):
    questionnaire: str = Field(description="title of the earlier questionnaire whose Appendix A entry gives "
                                           "these shared answers (a shared fact has one answer)")
    count: int


class CompactSection(_M):
    title: str
    rows: list[CompactRow]
    quoted: list[QuotedCount]
    shared: list[SharedCount]


class Orphan(_M):
    id: str
    value: Any
    unknown: bool
    reason: str


class Source(_M):
    id: str
    citation: str
    url: str


class Measurement(_M):
    """Totals read from a CodeCarbon emissions.csv (riskwizard.codecarbon.Measurement.to_dict)."""

    path: str = Field(description="the file as the answers name it (relative to the answers file)")
    source: str = Field(description='"CodeCarbon 3.3.2", with every version the file records')
    versions: list[str]
    runs: int
    first: str = Field(description="date of the first run")
    last: str = Field(description="date of the last run")
    period: str
    location: str
    hardware: str
    values: dict[str, float] = Field(description="kwh, co2_kg, intensity, runs, duration_h, measured (1)")


class Questionnaire(_M):
    id: str
    version: str
    sha256: str
    title: str
    description: str
    as_of: str | None
    tier: Tier | None
    levels: list[Level]
    scores: list[Score]
    flags: list[str]
    findings: list[Finding]
    covered: list[CoveredFinding]
    obligations: list[Obligation]
    open_questions: list[OpenQuestion]
    trace: list[TraceEntry]
    derived: dict[str, float] = Field(description="calculator outputs, e.g. err.fp, co2.kwh")
    measured: dict[str, Measurement] = Field(
        description="derived id -> the CodeCarbon measurement that replaced its estimate (empty when estimated)")
    answered: int
    visible: int
    hidden: int
    sections: list[Section]
    quoted: dict[str, str] = Field(description="question id -> report section that quotes the answer whole")
    compact: list[CompactSection]
    orphaned: list[Orphan]
    sources: list[Source]


class OutcomeRow(_M):
    key: str
    label: str
    value: float
    shown: str


class InputRow(_M):
    key: str
    label: str
    shown: str


class HarmRow(_M):
    key: str
    label: str
    value: float
    shown: str
    cost: float | None
    formula: str


class Who(_M):
    kind: Literal["fp", "fn"]
    label: str
    consequence: str
    bears: str


class ErrorCosts(_M):
    available: bool
    rows: list[OutcomeRow]
    inputs: list[InputRow]
    values: dict[str, float]
    problem: str = Field(description="why the error rates were refused (they cannot all hold), or empty")
    missing: list[str]
    harm_rows: list[HarmRow] = Field(description="harm only for costs that are known; the total only with both")
    harm_note: str
    cost_fp: float | None
    cost_fn: float | None
    who: list[Who]


class Paragraphs(_M):
    heading: str
    paragraphs: list[str]


class Energy(_M):
    text: str
    estimated: bool
    figures: dict[str, float]
    shown: dict[str, str] | None = None


class QuestionRef(_M):
    id: str
    prompt: str


class BroaderImpact(_M):
    sections: list[Paragraphs]
    energy: Energy | None
    quoted: list[str]
    unanswered: list[QuestionRef]
    unknown: list[QuestionRef]
    gaps: list[str]


class ChecklistItem(_M):
    number: int
    id: str
    title: str
    question: str
    answer: Literal["yes", "no", "na"] | None
    answer_label: str
    justification: str


class ModelCardField(_M):
    id: str
    title: str
    text: str
    status: Status


class Comment(_M):
    by: str
    date: str
    text: str


class DecisionWords(_M):
    covers: bool | None = Field(description="true: the decision was taken on these answers; false: they changed "
                                            "since; null: no decision, or no fingerprint recorded")
    headline: str
    detail: str


class Review(_M):
    comments: list[Comment]
    decision: Literal["", "approved", "approved_with_conditions", "revise", "rejected"]
    decision_label: str
    decided: str
    currency: Literal["", "current", "changed", "questionnaires_changed", "unrecorded"]
    currency_note: str
    conditions: str
    words: DecisionWords


class Reference(_M):
    citation: str
    short: str
    url: str
    used_by: list[str]
    cited: bool = Field(description="named in the citation of a finding or obligation of this assessment")


class ProvenanceQuestionnaire(_M):
    id: str
    version: str
    sha256: str
    title: str


class Provenance(_M):
    answers_sha256: str
    questionnaires: list[ProvenanceQuestionnaire]


class ReportSection(_M):
    id: str
    number: str
    title: str
    appendix: bool


class Report(_M):
    """A riskwizard report (`riskwizard export -f json`)."""

    format: Literal["riskwizard-report/2"]
    appendix: Literal["compact", "full"]
    system: System
    assessor: str
    stage: Literal["", "design", "development", "deployment"]
    stage_label: str
    created: str
    updated: str
    date: str
    overall: Overall | None
    highest_severity: Severity | None
    summary: Summary
    findings: list[Finding]
    obligations: Obligations
    questionnaires: list[Questionnaire]
    error_costs: ErrorCosts | None
    broader_impact: BroaderImpact | None
    checklist: list[ChecklistItem] | None
    checklist_shown: bool
    checklist_note: str
    model_card: list[ModelCardField] | None
    review: Review
    references: list[Reference]
    provenance: Provenance
    sections: list[ReportSection]
    numbers: dict[str, str]


def report_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "riskwizard report (riskwizard-report/2)"
    return schema
