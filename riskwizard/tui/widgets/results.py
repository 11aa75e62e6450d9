"""The live results panel: tier and reason, scores, findings, what would change, open questions."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...engine import AssessmentResult, QuestionnaireResult
from ...whatif import Change
from ..text import one_line

SHOWN_CHANGES = 3  # in the panel; F2 lists them all
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def bar(value: float, top: float, width: int = 12) -> str:
    if top <= 0:
        return ""
    eighths = int(round(max(0.0, min(value / top, 1.0)) * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")


def results_text(result: QuestionnaireResult, others: list[QuestionnaireResult],
                 changes: list[Change] | None, dims_max: dict[str, float | None],
                 contradictions: list[Any] | None = None, progress: list[Any] | None = None) -> Text:
    """The panel's text. ``progress``: :func:`riskwizard.progress.questions_left` of every questionnaire
    (the lines ``riskwizard score`` prints)."""
    out = Text()
    if contradictions:
        out.append(f"Contradictions ({len(contradictions)})\n", style="bold red underline")
        for c in contradictions[:5]:
            out.append("! " + one_line(c.title, 70) + "\n", style="red")
            for side in c.sides[:3]:
                out.append(f"  {one_line(side.questionnaire_title or 'shared fact', 24)}: "
                           f"{one_line(side.answer, 40)}\n", style="dim")
        if len(contradictions) > 5:
            out.append(f"  …and {len(contradictions) - 5} more\n", style="dim")
        out.append("\n")
    if result.tier is not None:
        out.append(f"{result.tier.label}: ", style="bold")
        out.append(result.tier.title + "\n", style="bold reverse")
        if result.provisional:
            out.append(f"Provisional: {result.unanswered} of {result.visible} questions unanswered\n", style="bold")
        if result.tier.reason:
            out.append(result.tier.reason + "\n", style="italic")
    else:
        out.append("No tier in this questionnaire.\n", style="dim")
    out.append(f"{result.answered}/{result.visible} answered\n", style="dim")
    if result.scores:
        out.append("\nScores\n", style="bold underline")
        top = max([*result.scores.values(), 10.0])  # dimensions without a declared max
        for dim, value in result.scores.items():
            title = result.dimension_titles.get(dim, dim)
            if len(title) > 15:  # the full name on its own line rather than "Harm from fals…" twice
                out.append(title + "\n")
                title = ""
            out.append(f"{title:<15} {value:>4g} ")
            out.append(bar(value, dims_max.get(dim) or top, 8) + "\n", style="magenta")
    if result.flags:
        out.append("Flags: " + ", ".join(result.flags) + "\n", style="dim")
    out.append(f"\nFindings ({len(result.findings)})\n", style="bold underline")
    if not result.findings:
        out.append("None yet.\n", style="dim")
    for f in result.findings:
        out.append(f"[{f.severity}] ", style=SEVERITY_STYLE.get(f.severity, ""))
        out.append(f.title + "\n")
    if result.tier is not None:
        out.append("\nWhat would change the tier\n", style="bold underline")
        if changes is None:
            out.append("working it out…\n", style="dim")
        elif not changes:
            out.append("No single answer change would.\n", style="dim")
        else:
            likely = [c for c in changes if c.likely]
            for c in likely[:SHOWN_CHANGES]:
                out.append("• " + c.prompt + "\n")
                out.append(f"  {c.current} → {c.alternative}: ", style="dim")
                out.append(c.new_tier_title + "\n", style="bold")
                out.append(f"  {c.reason}\n", style="dim italic")
            if not likely:
                out.append("None that fits your other answers.\n", style="dim")
            rest = len(changes) - min(len(likely), SHOWN_CHANGES)
            if rest:
                out.append(f"  F2 lists all {len(changes)}", style="bold")
                out.append(f" ({len(changes) - len(likely)} contradict your other answers)\n"
                           if len(likely) < len(changes) else "\n", style="dim")
    open_q = result.open_questions
    unknown = sum(1 for q in open_q if q.status == "unknown")
    out.append(f"\nOpen questions ({len(open_q)}, {unknown} don't know)\n", style="bold underline")
    for q in open_q[:10]:
        out.append("? " if q.status == "unknown" else "· ", style="yellow" if q.status == "unknown" else "dim")
        out.append(one_line(q.prompt, 60) + "\n")
    if len(open_q) > 10:
        out.append(f"  …and {len(open_q) - 10} more\n", style="dim")
    if progress:
        out.append("\nQuestions left\n", style="bold underline")
        for p in progress:
            out.append(p.line + "\n", style="green" if not p.left else "")
    if others:
        out.append("\nOther questionnaires\n", style="bold underline")
        for r in others:
            tier = f"{r.tier.title}" if r.tier else "—"
            out.append(f"{one_line(r.title, 22)}: ", style="dim")
            out.append(f"{tier} ({r.answered}/{r.visible})\n")
    return out


def headline_text(results: list[QuestionnaireResult], read_only: bool = False, stale: list[Any] | None = None,
                  contradictions: int = 0) -> Text:
    """One or two lines for the top of the wizard: the overall tier and what to do next (and, first, a
    staleness warning, see :mod:`riskwizard.staleness`, and how many answers contradict each other: the
    results panel, ctrl+o, lists them)."""
    out = Text()
    if stale:
        out.append(" OUT OF DATE ", style="bold reverse yellow")
        upgrade = any(s.kind == "version" for s in stale)
        more = f" (+{len(stale) - 1} more)" if len(stale) > 1 else ""
        out.append(f" {one_line(stale[0].message, 90)}{more}" + ("; F4 upgrades" if upgrade else "") + "\n",
                   style="yellow")
    if contradictions:
        out.append(f" {contradictions} contradiction{'s' if contradictions != 1 else ''} ", style="bold reverse red")
        out.append(" (results: ctrl+o)  ", style="dim")
    if read_only:
        out.append(" READ-ONLY ", style="bold reverse")
        out.append(" the folder cannot be written: browse, review, export elsewhere (ctrl+r).  ", style="bold")
    overall = AssessmentResult(results).overall_result
    open_total = sum(r.unanswered for r in results)
    if overall is not None and overall.tier is not None:
        out.append(f"{overall.tier.label}: ", style="bold")
        out.append(overall.tier.title, style="bold reverse")
    else:
        out.append("No tier in these questionnaires", style="dim")
    if overall is not None and overall.provisional:
        n = overall.unanswered
        out.append("  ·  provisional: ", style="bold")
        out.append(f"answer its {n} open question{'s' if n != 1 else ''} next")
    elif open_total:
        out.append("  ·  Next: ", style="dim")
        where = " in other questionnaires" if overall is not None and overall.tier is not None else ""
        out.append(f"{open_total} question{'s' if open_total != 1 else ''} open{where}")
    else:
        unknown = sum(1 for r in results for q in r.open_questions if q.status == "unknown")
        out.append("  ·  Next: ", style="dim")
        if unknown:
            out.append(f"every question is answered or marked don't know ({unknown} don't know): "
                       "review and export (ctrl+r)")
        else:
            out.append("every question is answered: review and export (ctrl+r)")
    return out


class ResultsPanel(VerticalScroll):
    """Holds one Static with the rendered results (no markup: all text is data)."""

    def compose(self) -> ComposeResult:
        yield Static("", markup=False, id="results-body")

    def show(self, text: Any) -> None:
        body = self.query("#results-body")
        if body:  # absent while the screen is being torn down
            body.first(Static).update(text)
