"""Command-line interface: a thin layer over the domain modules.

``riskwizard`` alone opens the wizard's start screen; ``riskwizard FILE.yaml`` resumes an
assessment; the subcommands validate, score, compare and export without a terminal UI.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import RiskwizardError
from .termtext import clean, clean_json, clean_lines, error_text

SEVERITIES = ["critical", "high", "medium", "low", "info"]


def say(text: object = "", err: bool = False) -> None:
    """Print one line of output; control characters from answers, questionnaires or file names are
    shown escaped (see :mod:`.termtext`). Every line the CLI prints goes through here."""
    click.echo(clean(text), err=err)


def say_json(data: Any) -> None:
    click.echo(clean_json(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)))


def say_error(exc: BaseException) -> None:
    click.echo(error_text(exc), err=True)


# Commands defined in other modules, imported only when used: `export` brings the report renderers and
# the batch exporter (multiprocessing), which opening the wizard never needs (start-up time, #14 item 7).
LAZY_COMMANDS = {"export": "riskwizard.reports.cli:export", "import-card": "riskwizard.cli_formats:import_card",
                 "serve": "riskwizard.cli_formats:serve"}


class _Group(click.Group):
    """A group that treats an unknown first argument as a file to open in the wizard, and imports the
    commands of :data:`LAZY_COMMANDS` when they are asked for."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands and args[0] not in LAZY_COMMANDS:
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *(n for n in LAZY_COMMANDS if self.get_command(ctx, n) is not None)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            module, _, attr = LAZY_COMMANDS[cmd_name].partition(":")
            try:
                command = getattr(importlib.import_module(module), attr)
            except ImportError:  # reports not installed in this build
                return None
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


def _search_dirs(ctx: click.Context) -> list[Path]:
    return search_dirs(ctx)


def search_dirs(ctx: click.Context) -> list[Path]:
    """The `-Q` folders given before the subcommand (checked: existing folders that can be listed)."""
    return [Path(p) for p in (ctx.find_root().obj or {}).get("questionnaire_dirs", ())]


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-Q", "--questionnaires", "questionnaire_dirs", multiple=True,
              type=click.Path(file_okay=False, readable=False, path_type=Path),
              help="Extra folder of questionnaires (searched before the bundled ones).")
@click.version_option(__version__, prog_name="riskwizard")
@click.pass_context
def cli(ctx: click.Context, questionnaire_dirs: tuple[Path, ...]) -> None:
    """Assess the ethical risks of a machine-learning system.

    Run without arguments to open the wizard, or give an answers file to resume it.
    """
    from .safefile import check_folder

    for folder in questionnaire_dirs:
        check_folder(folder, "questionnaire folder (-Q)")
    ctx.obj = {"questionnaire_dirs": questionnaire_dirs}
    if ctx.invoked_subcommand is None:
        _run_tui(None, ctx)


@cli.command("open")
@click.argument("answers", required=False, type=click.Path(readable=False, path_type=Path))
@click.option("--sample", metavar="NAME",
              help="Copy a bundled sample (see `riskwizard list`) into the current folder and open the copy.")
@click.pass_context
def open_cmd(ctx: click.Context, answers: Path | None, sample: str | None) -> None:
    """Open (or resume) ANSWERS in the wizard, or a copy of a bundled sample."""
    if (answers is None) == (sample is None):
        raise click.UsageError("give either an answers file or --sample NAME")
    if sample is not None:
        from .safefile import folder_writable
        from .wizard_start import check_terminal

        found = _find_sample(sample)
        if folder_writable(Path.cwd()):  # (a folder that cannot be written is refused by the copy, with its advice)
            check_terminal(None)  # before a copy is made that nobody could open here
        answers = _copy_sample(found, sample)
        say(f"Copied the sample to {answers}; the bundled sample stays unchanged.")
    _run_tui(answers, ctx)


def _copy_sample(path: Path, name: str) -> Path:
    """Copy a bundled sample into the current folder; a read-only folder gets a suggestion."""
    from .loader import copy_sample
    from .safefile import NOT_WRITABLE, DiskError

    try:
        return copy_sample(path, Path.cwd())
    except DiskError as exc:
        if exc.errno in NOT_WRITABLE:
            better = _writable_folder(path.name, Path.cwd())
            exc.fix = ("the sample is copied into the current folder: run it from a folder you can write to"
                       + (f", for example: cd {better} && riskwizard open --sample {name}" if better else ""))
        raise


def _find_sample(name: str) -> Path:
    from .loader import samples_dir

    available = sorted(samples_dir().glob("*.yaml"))
    for path in available:
        if name in (path.stem, path.name):
            return path
    names = ", ".join(p.stem for p in available) or "none are installed"
    raise click.UsageError(f"no bundled sample named `{name}` (available: {names})")


def _writable_folder(name: str, not_here: Path) -> Path | None:
    """A folder where ``name`` could be created (the current folder, then home), other than ``not_here``."""
    from .safefile import save_problem

    for folder in (Path.cwd(), Path.home()):
        try:
            if folder.resolve() == not_here.resolve():
                continue
        except OSError:
            continue
        if save_problem(folder / name, follow_symlink=False) is None:
            return folder
    return None


def _run_tui(path: Path | None, ctx: click.Context) -> None:
    if path is not None and os.path.lexists(path):
        from .safefile import check_input

        check_input(path)  # a FIFO, device, folder or unreadable file: refused before the wizard starts
    if path is not None and not path.exists():
        from .answers import recover

        for notice in recover(path):  # a first save killed before its rename leaves only a temp file
            say(notice, err=True)
    if path is not None and not path.exists():
        raise click.UsageError(f"{path}: no such file (start one with `riskwizard new {path} -q eu-ai-act` — see "
                               "`riskwizard list` for questionnaires — "
                               "or run `riskwizard` alone for the start screen)")
    if path is not None and _is_bundled_sample(path):
        path = _copy_sample(path, path.stem)
        say(f"{path.name} is a bundled sample; opening a copy at {path} so the sample stays unchanged.")
    from .wizard_start import run_wizard

    run_wizard(path, _search_dirs(ctx))


def _is_bundled_sample(path: Path) -> bool:
    from .wizard_start import is_bundled_sample

    return is_bundled_sample(path)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(readable=False, path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check questionnaires and answers files; print every problem with file:line:col.

    Exit 1 when a file has problems, 2 when a file cannot be read at all (missing, a FIFO, a folder...).
    """
    from .safefile import DiskError
    from .yamlsafe import YamlError

    failures = unreadable = 0
    for path in files:
        try:
            _validate_one(ctx, path)
        except RiskwizardError as exc:
            failures += 1
            unreadable += isinstance(exc, DiskError) or (isinstance(exc, YamlError) and _is_read_error(exc))
            say_error(exc)
    if failures:
        raise SystemExit(2 if unreadable else 1)  # a file that cannot be read is bad input, not a finding


def _is_read_error(exc: RiskwizardError) -> bool:
    return exc.location is not None and exc.location.line is None and exc.message.startswith(("cannot ", "file not"))


_FORMAT_KEY = re.compile(rb"^format\s*:", re.MULTILINE)


def _validate_one(ctx: click.Context, path: Path) -> None:
    """Read and parse the file once (it is validated as it is: the parse cache is not used)."""
    import hashlib

    from .answers import MAX_ANSWERS_BYTES, parse_answers
    from .assessment import open_assessment
    from .errors import Location, display_path
    from .loader import build_spec
    from .yamlsafe import MAX_BYTES, YamlError, decode_utf8, load_yaml_text, read_bytes

    raw = read_bytes(path, MAX_ANSWERS_BYTES)
    shown = display_path(path)
    if not _FORMAT_KEY.search(raw) and len(raw) > MAX_BYTES:
        raise YamlError(f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} for a questionnaire", Location(shown),
                        "split the file or remove generated content")
    src = load_yaml_text(decode_utf8(raw, shown), shown, MAX_ANSWERS_BYTES)
    if isinstance(src.data, dict) and "format" in src.data:
        assessment = open_assessment(path, _search_dirs(ctx), strict=True, loaded=(parse_answers(src), src))
        for notice in assessment.notices:
            say(f"{path}: note: {notice}", err=True)
        say(f"{path}: ok (answers for {', '.join(s.id for s in assessment.specs)})")
        return
    if len(raw) > MAX_BYTES:
        raise YamlError(f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} for a questionnaire", Location(shown),
                        "split the file or remove generated content")
    spec = build_spec(src, hashlib.sha256(raw).hexdigest())
    _check_cover_references(spec, shown)
    say(f"{path}: ok ({spec.id} {spec.version}: {len(spec.questions())} questions, {len(spec.model.rules)} rules)")


def _check_cover_references(spec: Any, shown: str) -> None:
    """A `covered_by` entry naming another questionnaire's rule is checked against the bundled questionnaires."""
    from .coverage import check_across, crosses

    if not crosses([spec.model]):
        return
    from .applicability import bundled_specs
    from .errors import ErrorGroup, Location, SchemaError

    others = [s.model for s in bundled_specs() if s.id != spec.id]
    problems = [p for p in check_across([spec.model, *others]) if p.startswith(f"{spec.id}:")]
    if problems:
        raise ErrorGroup([SchemaError(p, Location(shown), "name a rule with a finding, at least as serious, of a "
                                      "bundled questionnaire (`riskwizard list`)") for p in problems])


def _open(ctx: click.Context, path: Path) -> Any:
    from .assessment import open_assessment

    assessment = open_assessment(path, _search_dirs(ctx), strict=True)
    for notice in assessment.notices:
        say(f"{path}: note: {notice}", err=True)
    return assessment


@cli.command()
@click.argument("answers", type=click.Path(readable=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--trace/--no-trace", default=True, help="Show which rules fired on which answers.")
@click.pass_context
def score(ctx: click.Context, answers: Path, as_json: bool, trace: bool) -> None:
    """Score ANSWERS: tier, scores, findings and the rule trace."""
    from .applicability import bundled_specs
    from .progress import progress_report
    from .timeline import format_table, pending_note

    assessment = _open(ctx, answers)
    result = assessment.evaluate()
    done, others = progress_report(assessment.doc, assessment.specs, bundled_specs())
    if as_json:
        say_json({**result.to_dict(), "progress": [p.to_dict() for p in done],
                  "progress_other": [p.to_dict() for p in others]})
        return
    overall = result.overall_tier
    holder = result.overall_result
    if overall:
        say(f"Overall: {overall.title}{_provisional(holder)} — {overall.reason}")
    _echo_contradictions(result.contradictions)
    for r in result.results:
        say()
        say(f"== {r.title} ({r.questionnaire_id} {r.version}) — {r.answered}/{r.visible} answered")
        if r.tier:
            say(f"  {r.tier.label}: {r.tier.title}{_provisional(r)}. {r.tier.reason}")
        if r.flags:
            say(f"  Flags: {', '.join(r.flags)}")
        for dim, value in r.scores.items():
            say(f"  Score {r.dimension_titles.get(dim, dim)}: {value:g}")
        for f in r.findings:
            say(f"  [{f.severity}] {f.title} ({f.citation})")
        for ob in r.obligations:
            when = f" from {ob.applies_from}" if ob.applies_from else ""
            say(f"  Obligation: {ob.title}{when}{pending_note(ob.timeline)} ({ob.citation})")
        for ob in r.pending_obligations:
            say(f"  Not law yet: {ob.title}{pending_note(ob.timeline)}")
        spec = next((s for s in assessment.specs if s.id == r.questionnaire_id), None)
        for line in format_table(spec.model) if spec is not None else []:
            say(f"  {line}")
        if r.open_questions:
            say(f"  Open questions: {len(r.open_questions)} "
                f"({sum(1 for q in r.open_questions if q.status == 'unknown')} don't know)")
        if trace:
            for t in r.trace:
                evidence = ", ".join(f"{e.ref}={e.shown}" for e in t.evidence)
                wins = " (sets the tier)" if r.tier and r.tier.rule_id == t.rule_id else ""
                say(f"    trace: {t.rule_id} -> {'; '.join(t.effects)}{wins} [{evidence}]")
    _echo_progress(done, others)


def _echo_progress(done: list[Any], others: list[Any]) -> None:
    """`framework X: N questions left`, for this assessment and for the questionnaires that may still apply."""
    say()
    say("Questions left (a shared fact answered once counts in every questionnaire):")
    for p in done:
        say(f"  {p.line}")
    for p in others:
        say(f"  {p.line}; not in this assessment")


def _check_tier_ids(given: tuple[str, ...], specs: list[Any]) -> None:
    """A typo in --fail-on-tier would let every file pass the gate: unknown ids are a usage error."""
    valid: list[str] = []
    for spec in specs:
        if spec.model.outcome is not None:
            valid += [lvl.id for lvl in spec.model.outcome.levels if lvl.id not in valid]
    unknown = [t for t in given if t not in valid]
    if unknown:
        listed = ", ".join(valid) if valid else "none: no questionnaire of this assessment assigns a tier"
        raise click.BadParameter(f"unknown tier id {', '.join(f'`{t}`' for t in unknown)}; the tier ids of "
                                 f"these questionnaires are: {listed}", param_hint="--fail-on-tier")


def _echo_contradictions(found: list[Any], prefix: str = "") -> None:
    if not found:
        return
    say(f"{prefix}Contradictions between answers ({len(found)}):")
    for c in found:
        say(f"{prefix}  ! {c.message}")
        if c.resolve:
            say(f"{prefix}    to settle it: {c.resolve}")


def _provisional(r: Any) -> str:
    if r is None or not r.provisional:
        return ""
    return f" (provisional: {r.unanswered} of {r.visible} questions unanswered)"


@cli.command()
@click.argument("answers", type=click.Path(readable=False, path_type=Path))
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="high", show_default=True,
              help="Exit 1 if any finding is at least this severe.")
@click.option("--fail-on-tier", multiple=True, help="Also exit 1 if the overall tier is one of these ids.")
@click.option("--allow-open", is_flag=True,
              help="Do not fail because questions are unanswered (the tier is then provisional).")
@click.option("--allow-inconsistent", is_flag=True,
              help="Do not fail because answers contradict each other (they are still listed).")
@click.option("--max-age", "max_age", type=click.IntRange(min=0), default=None, metavar="DAYS",
              help="Also fail when the assessment is stale: a questionnaire's legal content (as_of) or the last "
                   "review older than DAYS, the review-by date passed, or a newer questionnaire version bundled.")
@click.pass_context
def check(ctx: click.Context, answers: Path, fail_on: str, fail_on_tier: tuple[str, ...], allow_open: bool,
          allow_inconsistent: bool, max_age: int | None) -> None:
    """Exit 1 when findings reach a severity, questions are unanswered or answers contradict each other (for CI).

    A passed review-by date and a newer bundled questionnaire are always reported; with --max-age they,
    and content or reviews older than DAYS, fail the check.
    """
    from .engine import severity_at_least
    from .staleness import check_staleness

    assessment = _open(ctx, answers)
    stale = check_staleness(assessment.doc, assessment.specs, assessment.recorded, max_age=max_age)
    for s in stale:
        say(f"{answers}: {'stale' if max_age is not None else 'warning'}: {s.line}")
    _check_tier_ids(fail_on_tier, assessment.specs)
    result = assessment.evaluate()
    bad = [f for f in result.findings if severity_at_least(f.severity, fail_on)]
    for f in bad:
        say(f"{answers}: [{f.severity}] {f.questionnaire}/{f.rule_id}: {f.title}")
    tier = result.overall_tier
    tier_bad = tier is not None and tier.id in fail_on_tier
    if tier_bad:
        say(f"{answers}: tier {tier.id}: {tier.reason}")
    incomplete = [r for r in result.results if r.unanswered] if not allow_open else []
    for r in incomplete:
        say(f"{answers}: {r.questionnaire_id}: {r.unanswered} of {r.visible} questions unanswered, so the "
            "result is provisional (answer them, mark them \"don't know\", or pass --allow-open)")
    for c in result.contradictions:
        say(f"{answers}: contradiction {c.rule_id}: {c.message}"
            + ("" if allow_inconsistent else " (settle it, or pass --allow-inconsistent)"))
    inconsistent = bool(result.contradictions) and not allow_inconsistent
    if bad or tier_bad or incomplete or inconsistent or (stale and max_age is not None):
        raise SystemExit(1)
    say(f"{answers}: ok (no finding at or above {fail_on}; every shown question answered)"
        if not allow_open else f"{answers}: ok (no finding at or above {fail_on})")


@cli.command()
@click.argument("old", type=click.Path(readable=False, path_type=Path))
@click.argument("new", type=click.Path(readable=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def diff(ctx: click.Context, old: Path, new: Path, as_json: bool) -> None:
    """Compare two answers files: changed answers, tier and score movement."""
    from .diffing import diff_assessments

    report = diff_assessments(_open(ctx, old), _open(ctx, new))
    if as_json:
        say_json(report)
        return
    for line in report["lines"]:
        say(line)


@cli.command("test")
@click.argument("questionnaires", nargs=-1, required=True)
@click.option("--cases", type=click.Path(dir_okay=False, path_type=Path),
              help="Case file to run (default: tests/<name>.yaml beside the questionnaire; one questionnaire only).")
@click.option("--all-rules", is_flag=True, help="Also fail when a rule has no case.")
@click.option("-v", "--verbose", is_flag=True, help="List passing cases too.")
@click.pass_context
def test_cmd(ctx: click.Context, questionnaires: tuple[str, ...], cases: Path | None, all_rules: bool,
             verbose: bool) -> None:
    """Run a questionnaire's example answer sets and check the outcomes they expect (see docs)."""
    from .loader import find_questionnaire
    from .qtest import format_suite, run_suite

    if cases is not None and len(questionnaires) != 1:
        raise click.UsageError("--cases goes with exactly one questionnaire")
    failed = False
    for ref in questionnaires:
        suite = run_suite(find_questionnaire(ref, _search_dirs(ctx)), cases)
        for line in format_suite(suite, verbose):
            say(line)
        failed = failed or bool(suite.failed) or (all_rules and bool(suite.uncovered))
    if failed:
        raise SystemExit(1)


@cli.command()
@click.option("--answers", is_flag=True, help="Print the schema of answers files instead.")
@click.option("--facts", is_flag=True, help="Print the schema of the shared facts catalogue instead.")
@click.option("--consistency", is_flag=True, help="Print the schema of the consistency rules instead.")
@click.option("--report", is_flag=True, help="Print the schema of JSON reports (`export -f json`) instead.")
def schema(answers: bool, facts: bool, consistency: bool, report: bool) -> None:
    """Print the JSON Schema of the questionnaire format (for yaml-language-server)."""
    from .schema import answers_schema, consistency_schema, facts_schema, questionnaire_schema

    if sum((answers, facts, consistency, report)) > 1:
        raise click.UsageError("give at most one of --answers, --facts, --consistency and --report")
    if report:
        from .reports.report_schema import report_schema

        say_json(report_schema())
        return
    chosen = answers_schema if answers else facts_schema if facts else consistency_schema if consistency else None
    say_json((chosen or questionnaire_schema)())


@cli.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """List the available questionnaires and samples."""
    from .loader import bundled_dir, load_questionnaire, samples_dir

    folders = [*_search_dirs(ctx), bundled_dir()]
    for folder in folders:
        for path in sorted(folder.glob("*.y*ml")):
            try:
                spec = load_questionnaire(path)
            except RiskwizardError as exc:
                say(f"  (invalid) {path}: {exc.message}")
                continue
            say(f"{spec.id:<24} {spec.version:<8} {len(spec.questions()):>4} questions  {spec.model.title}")
    samples = sorted(samples_dir().glob("*.yaml"))
    if samples:
        say()
        say("Samples (open a copy with `riskwizard open --sample NAME`):")
        for path in samples:
            say(f"  {path.stem:<26} {path}")


@cli.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-q", "--questionnaire", "questionnaires", multiple=True,
              help="Questionnaire id or path (repeat for several). Without it, the questionnaires that apply "
                   "to the facts given (--paper, --venue, --stage, --role) are used.")
@click.option("--name", default="", help="Name of the system being assessed.")
@click.option("--assessor", default="", help="Who answers.")
@click.option("--stage", type=click.Choice(["design", "development", "deployment"]), default=None)
@click.option("--paper/--no-paper", default=None, help="Whether the work is described in a research paper.")
@click.option("--role", "roles", multiple=True, type=click.Choice(["provider", "deployer", "importer_distributor"]),
              help="Your role for the system (repeat for several).")
@click.option("--canada-federal/--not-canada-federal", "canada_federal", default=None,
              help="Whether a federal institution of the Government of Canada uses it for administrative decisions "
                   "(then the Canada AIA applies).")
@click.option("--venue", "venues", multiple=True, type=click.Choice(["neurips", "acl", "other"]),
              help="Where the paper goes (repeat for several; implies --paper): neurips suggests the NeurIPS "
                   "checklist, acl the ACL Rolling Review one, other the NeurIPS one as the general checklist.")
@click.pass_context
def new(ctx: click.Context, answers: Path, questionnaires: tuple[str, ...], name: str, assessor: str,
        stage: str | None, paper: bool | None, roles: tuple[str, ...], canada_federal: bool | None,
        venues: tuple[str, ...]) -> None:
    """Start a new answers file (then open it with `riskwizard ANSWERS`)."""
    from .answers import AnswerStore, new_doc
    from .applicability import facts_from_options, ordered, suggest_questionnaires
    from .loader import find_questionnaire
    from .models import MAX_NAME

    if os.path.lexists(answers):
        if answers.is_symlink():
            raise click.UsageError(f"{answers} exists already (a symbolic link); choose another name")
        raise click.UsageError(f"{answers} exists already; open it with `riskwizard {answers}`")
    for option, value in (("--name", name), ("--assessor", assessor)):
        _check_length(option, value, MAX_NAME)
    if venues and paper is False:
        raise click.UsageError("--venue names where the paper goes, and --no-paper says there is none; "
                               "give one or the other")
    facts = facts_from_options(paper, stage, roles, canada_federal, venues)
    if not questionnaires:
        suggestions = suggest_questionnaires(facts)
        for s in suggestions:
            say(f"  {'+' if s.applies else '-'} {s.id:<24} {s.reason}")
        questionnaires = tuple(ordered([s.id for s in suggestions if s.applies]))
    _check_new_target(answers, questionnaires)
    specs = [find_questionnaire(q, _search_dirs(ctx)) for q in questionnaires]
    _refuse_twice(specs)
    with AnswerStore(answers) as store:
        store.create(new_doc(specs, name, assessor, "", answers, facts=facts))
    say(f"created {answers} ({', '.join(s.id for s in specs)}); open it with: riskwizard {answers}")


@cli.command()
@click.argument("answers", type=click.Path(readable=False, path_type=Path))
@click.option("-q", "--questionnaire", "questionnaires", multiple=True, required=True,
              help="Questionnaire id or path to add (repeatable); see `riskwizard list`.")
@click.pass_context
def add(ctx: click.Context, answers: Path, questionnaires: tuple[str, ...]) -> None:
    """Add questionnaires to ANSWERS; facts the file already answers are reused."""
    from .answers import AlreadyThere, AnswerStore, add_questionnaires
    from .assessment import paths_bases, questionnaire_folders, resolve_specs
    from .errors import AnswersError, Location, display_path
    from .loader import find_questionnaire
    from .progress import progress_of

    search = _search_dirs(ctx)
    folders = questionnaire_folders(answers, search)  # where opening the file looks, so it finds the same ones
    specs = [find_questionnaire(q, folders) for q in questionnaires]
    _refuse_twice(specs)
    shown = display_path(answers)
    with AnswerStore(answers) as store:
        doc, _ = _load_unchanged(store, answers, search, "add the questionnaires again")
        try:
            add_questionnaires(doc, specs, answers)
        except AlreadyThere as exc:
            raise AnswersError(f"the file already has the questionnaire `{exc.questionnaire_id}`", Location(shown),
                               f"open it with `riskwizard {shown}`, or add another questionnaire") from None
        resolve_specs(doc, None, folders, paths_bases(answers))  # the file as it will be written opens, or nothing is
        target = _saved(store, doc)
    written = display_path(target)
    for spec in specs:
        progress = progress_of(doc, spec)  # as `score` and the wizard count them
        known = f"{progress.answered} already answered through shared facts, " if progress.answered else ""
        say(f"{written}: added {spec.id} {spec.version} ({known}{progress.left} to answer)")
    say(f"open it with: riskwizard {written}")


def _refuse_twice(specs: list[Any]) -> None:
    """A questionnaire named twice on one command line (`new`, `add`): answers are kept per id."""
    ids = [s.id for s in specs]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise click.UsageError(f"questionnaire {', '.join(f'`{i}`' for i in twice)} given twice (answers are kept "
                               "per questionnaire id); give each questionnaire once")


def _check_length(option: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise click.BadParameter(f"{len(value):,} characters; at most {limit:,} are allowed", param_hint=option)


def _check_new_target(answers: Path, questionnaires: tuple[str, ...]) -> None:
    """Before anything is made: can a file be created there? A read-only folder gets another one suggested."""
    from .errors import Location, display_path
    from .safefile import NOT_WRITABLE, DiskError, reason_for, save_problem

    problem = save_problem(answers, follow_symlink=False)
    if problem is None:
        return
    if problem.errno not in NOT_WRITABLE:
        raise problem
    folder = answers.parent if str(answers.parent) else Path(".")
    better = _writable_folder(answers.name, folder)
    qs = " ".join(f"-q {q}" for q in questionnaires)
    fix = "create it in a folder you can write to"
    if better is not None:
        fix += f", for example: riskwizard new {display_path(better / answers.name)} {qs}"
    raise DiskError(f"cannot create the answers file: {reason_for(problem.errno)} in the folder "
                    f"{display_path(folder)}", Location(display_path(answers)), fix, problem.errno)


@cli.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the change as a unified diff and write nothing.")
@click.pass_context
def migrate(ctx: click.Context, answers: Path, dry_run: bool) -> None:
    """Bring ANSWERS to the current layout (shared facts); a file of format 1 keeps a backup."""
    from .answers import AnswerStore
    from .upgrade import plan_migration

    if dry_run:
        plan, _ = plan_migration(answers, _search_dirs(ctx))
        for notice in plan.notices:
            say(f"{answers}: note: {notice}", err=True)
        if plan.changed:
            click.echo(clean_lines(plan.diff().rstrip("\n")))
        else:
            say(f"{answers}: already in the current layout; nothing to change")
        return
    with AnswerStore(answers) as store:
        plan, doc = plan_migration(answers, _search_dirs(ctx), store)
        for notice in plan.notices:
            say(f"{answers}: note: {notice}", err=True)
        if not plan.changed:
            say(f"{answers}: already in the current layout; nothing to change")
            return
        target = store.save(doc)
        for notice in store.notices:
            say(notice)
    say(f"{target}: upgraded" + (f" from {plan.upgraded_from}" if plan.upgraded_from else ""))


@cli.command()
@click.argument("answers", type=click.Path(readable=False, path_type=Path))
@click.option("--decision", required=True,
              type=click.Choice(["approved", "approved_with_conditions", "revise", "rejected"]))
@click.option("--conditions", default=None, help="Conditions attached to the decision.")
@click.option("--by", "by", default="", help="Who records the decision (kept with the comment).")
@click.option("--comment", default=None, help="A committee comment to add.")
@click.option("--date", "date", default=None, help="Date of the decision (YYYY-MM-DD; default today).")
@click.option("--review-by", "review_by", default=None, metavar="DATE",
              help="Date (YYYY-MM-DD) by which the answers must be reviewed again.")
@click.pass_context
def decide(ctx: click.Context, answers: Path, decision: str, conditions: str | None, by: str,
           comment: str | None, date: str | None, review_by: str | None) -> None:
    """Record the ethics committee's decision on ANSWERS, with a fingerprint of the answers it covers.

    Reports then say whether the answers have changed since the decision was taken. The decision
    counts as a review (see `riskwizard review`).
    """
    import datetime as dt

    from .assessment import open_assessment
    from .safefile import NOT_WRITABLE, DiskError

    day = _date_option(date, "--date") or dt.date.today().isoformat()
    _review_by_option(review_by, day)
    from .models import MAX_NAME, MAX_TEXT

    _check_length("--conditions", conditions, MAX_TEXT)
    _check_length("--comment", comment, MAX_TEXT)
    _check_length("--by", by, MAX_NAME)
    # a decision on valid answers only (opened again, under the lock, by _load_unchanged); opened here first
    # so that a file that cannot be read is not given the advice below, which is about saving
    open_assessment(answers, _search_dirs(ctx), strict=True)
    try:
        _record(answers, _search_dirs(ctx), decision, day, conditions, by, comment, review_by)
    except DiskError as exc:
        if exc.errno in NOT_WRITABLE:
            exc.fix = ("the decision is kept in the answers file itself: copy the file to a folder you can write "
                       "to, record the decision there, and copy it back")
        raise


def _date_option(value: str | None, option: str) -> str | None:
    """A date given on the command line: YYYY-MM-DD of the calendar, or a usage error (exit 2)."""
    import datetime as dt

    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date like 2026-11-27 (YYYY-MM-DD)", param_hint=option) from None
    if len(value) != 10:
        raise click.BadParameter(f"`{value}`: give the date as YYYY-MM-DD, e.g. 2026-11-27", param_hint=option)
    return value


def _review_by_option(review_by: str | None, day: str) -> None:
    if _date_option(review_by, "--review-by") is not None and review_by is not None and review_by <= day:
        raise click.BadParameter(f"{review_by} is not after the review itself ({day}); give a later date",
                                 param_hint="--review-by")


def _load_unchanged(store: Any, answers: Path, search: list[Path], again: str) -> tuple[Any, Any]:
    """The file as it is on disk, read under the lock, and the assessment it opens as (strictly); refused
    when opening it would move answers (decisions, reviews and added questionnaires go on a clean file).
    ``again`` says what to run once the file is clean."""
    from .answers import parse_answers
    from .assessment import open_assessment
    from .errors import AnswersError, Location, display_path

    doc, src = store.load()
    assessment = open_assessment(answers, search, strict=True, loaded=(parse_answers(src), src))
    if doc.answers != assessment.doc.answers:  # reconciling would move answers: ask for a clean file first
        raise AnswersError("opening the file would move answers that no longer fit its questionnaires",
                           Location(display_path(answers)),
                           f"run `riskwizard upgrade {display_path(answers)}` (or open it in the wizard), then {again}")
    return doc, assessment


def _saved(store: Any, doc: Any) -> Path:
    """Save ``doc`` through the store, say what the store noticed (a conflict copy, a kept old format),
    and return where the answers went."""
    target = store.save(doc)
    for notice in store.notices:
        say(notice)
    return target


def _record(answers: Path, search: list[Path], decision: str, day: str, conditions: str | None, by: str,
            comment: str | None, review_by: str | None = None) -> None:
    from .answers import AnswerStore, Comment, answers_fingerprint, questionnaires_fingerprint
    from .errors import display_path

    with AnswerStore(answers) as store:
        doc, assessment = _load_unchanged(store, answers, search, "record the decision again")
        if review_by is not None:
            doc.review.review_by = review_by
        doc.review.decision = decision  # type: ignore[assignment]
        doc.review.decided = day
        doc.review.answers_fingerprint = answers_fingerprint(doc)
        doc.review.questionnaires_fingerprint = questionnaires_fingerprint(assessment.specs)
        if conditions is not None:
            doc.review.conditions = conditions
        if comment:
            doc.review.comments.append(Comment(by=by, date=day, text=comment))
        target = _saved(store, doc)
    say(f"{display_path(target)}: recorded decision `{decision}` of {day} on answers "
        f"{doc.review.answers_fingerprint[:12]}")


@cli.command()
@click.argument("answers", type=click.Path(readable=False, path_type=Path))
@click.option("--by", "by", default="", help="Who reviewed the answers.")
@click.option("--date", "date", default=None, help="Date of the review (YYYY-MM-DD; default today).")
@click.option("--review-by", "review_by", default=None, metavar="DATE",
              help="Date (YYYY-MM-DD) by which the answers must be reviewed again.")
@click.option("--comment", default=None, help="A comment to keep with the review.")
@click.pass_context
def review(ctx: click.Context, answers: Path, by: str, date: str | None, review_by: str | None,
           comment: str | None) -> None:
    """Record that the answers in ANSWERS were reviewed and still hold (date, reviewer, next review)."""
    import datetime as dt

    from .answers import AnswerStore, Comment
    from .errors import display_path
    from .models import MAX_NAME, MAX_TEXT
    from .staleness import check_staleness

    day = _date_option(date, "--date") or dt.date.today().isoformat()
    _review_by_option(review_by, day)
    _check_length("--by", by, MAX_NAME)
    _check_length("--comment", comment, MAX_TEXT)
    with AnswerStore(answers) as store:
        doc, assessment = _load_unchanged(store, answers, _search_dirs(ctx), "record the review again")
        for s in check_staleness(assessment.doc, assessment.specs, assessment.recorded):
            if s.kind == "version":
                say(f"{answers}: warning: {s.line}", err=True)
        doc.review.reviewed, doc.review.reviewer = day, by
        if review_by is not None:
            doc.review.review_by = review_by
        if comment:
            doc.review.comments.append(Comment(by=by, date=day, text=comment))
        target = _saved(store, doc)
    next_one = f"; next review by {doc.review.review_by}" if doc.review.review_by else ""
    say(f"{display_path(target)}: reviewed on {day}" + (f" by {by}" if by else "") + next_one)


@cli.command("upgrade")
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print what would move and the change as a diff; write nothing.")
@click.pass_context
def upgrade_cmd(ctx: click.Context, answers: Path, dry_run: bool) -> None:
    """Re-score ANSWERS against the newer bundled questionnaire versions, show what moves, and write the
    upgraded file (the old one is kept as NAME.before-upgrade.bak; orphaned answers are kept with reasons)."""
    from .answers import MAX_ANSWERS_BYTES, AnswerStore, dump_answers, parse_answers
    from .assessment import open_assessment
    from .safefile import read_input
    from .upgrade import migration_diff
    from .version_upgrade import refuse_shadowing, upgrade_assessment, upgrade_backup

    with AnswerStore(answers, read_only=dry_run) as store:
        loaded = store.load()
        before_orphans = parse_answers(loaded[1]).orphaned
        old = open_assessment(answers, _search_dirs(ctx), strict=False, loaded=loaded)
        plan = upgrade_assessment(old, before_orphans)
        if not plan.changed:
            say(f"{answers}: every questionnaire is at its bundled version; nothing to upgrade")
            return
        for line in plan.lines():
            say(line)
        refuse_shadowing(answers, plan, old.specs)
        if dry_run:
            before = read_input(answers, MAX_ANSWERS_BYTES).decode("utf-8", errors="replace")
            click.echo(clean_lines(migration_diff(before, dump_answers(plan.doc), str(answers)).rstrip("\n")))
            say(f"{answers}: dry run, nothing written")
            return
        backup = None if plan.doc.upgraded_from else upgrade_backup(answers)  # format 1 keeps NAME.v1.bak
        target = store.save(plan.doc)
        for notice in store.notices:
            say(notice)
    kept = f"; the old file is kept as {backup}" if backup is not None else ""
    say(f"{target}: upgraded ({', '.join(f'{m.id} {m.old_version} -> {m.new_version}' for m in plan.moves)}){kept}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one clear message and exit code 2, never a traceback.

    Exit codes: 0 fine; 1 `validate` found problems, `check` failed or some files of a batch export
    failed; 2 bad input, bad usage or a file that cannot be read or written; 130 interrupted;
    1 also (quietly) when standard output is closed by its reader; 70 an internal error (a bug).
    """
    try:
        try:
            cli.main(args=argv, prog_name="riskwizard", standalone_mode=False)
        finally:
            sys.stdout.flush()  # a full disk or closed pipe behind stdout is reported here, not at exit
    except BaseException as exc:
        exit_for(exc)


def exit_for(error: BaseException) -> None:
    """Report an exception that ended a command (see :func:`main` for the exit codes) and exit; also
    used by ``riskwizard.launch`` when it opened the wizard without the CLI."""
    from .safefile import DiskError, StdoutClosed, os_error, silence_stdout

    try:
        raise error
    except BrokenPipeError:
        silence_stdout()
        sys.exit(1)  # quietly, as click does for a closed pipe
    except StdoutClosed:
        silence_stdout()
        sys.exit(1)  # quietly, as click does for a closed pipe
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        buffer = io.StringIO()
        exc.show(file=buffer)
        click.echo(clean_lines(buffer.getvalue().rstrip("\n")), err=True)
        sys.exit(exc.exit_code)
    except RiskwizardError as exc:
        if isinstance(exc, DiskError) and exc.location is not None and exc.location.path == "<stdout>":
            silence_stdout()
        say_error(exc)
        sys.exit(2)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except RecursionError:
        click.echo("error: input is nested too deeply to process", err=True)
        sys.exit(2)
    except OSError as exc:  # a file problem no command foresaw: still the path, the reason and a fix
        if exc.filename is None and exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            silence_stdout()  # most likely standard output itself (`> /dev/full`)
            say_error(os_error(exc, "<stdout>", "write to standard output"))
        else:
            say_error(os_error(exc, str(exc.filename or "?"), "use the file"))
        sys.exit(2)
    except Exception as exc:  # last resort: no traceback unless asked for
        if os.environ.get("RISKWIZARD_DEBUG"):
            raise
        click.echo(clean_lines(f"internal error: {type(exc).__name__}: {exc}\n  please report this; "
                               "set RISKWIZARD_DEBUG=1 to see the traceback"), err=True)
        sys.exit(70)
