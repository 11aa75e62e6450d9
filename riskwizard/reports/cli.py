"""`riskwizard export`: write reports from an answers file or a folder of them.

riskwizard/cli.py registers this command on the main CLI group when the reports are installed.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import click

from ..errors import Location, RiskwizardError
from ..termtext import clean, error_text
from . import EXTENSIONS, FORMATS, STDOUT, ExportError, get_format


def _say(text: str, err: bool = False) -> None:
    click.echo(clean(text), err=err)


@click.command("export")
@click.argument("source", type=click.Path(readable=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True,
              help="Output format.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, allow_dash=True, readable=False), default=None,
              help="Output file (for a folder: output folder; an existing folder: the file goes inside it). "
                   "`-` prints the report on standard output. Default: next to the answers file.")
@click.option("--template-dir", type=click.Path(file_okay=False, readable=False, path_type=Path), default=None,
              help="Folder of templates overriding the bundled ones by name (e.g. report.css, cover.html.j2).")
@click.option("--processes", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Worker processes when exporting a folder.")
@click.option("--appendix", type=click.Choice(["compact", "full"]), default="compact", show_default=True,
              help="Appendices: compact (shortened answers, trace without evidence) or full.")
@click.option("--max-age", "max_age", type=click.IntRange(min=0), default=None, metavar="DAYS",
              help="Say in the summary when a questionnaire's content (as_of) or the last review is older than "
                   "DAYS (a passed review-by date and a newer bundled questionnaire are always said).")
@click.pass_context
def export(ctx: click.Context, source: Path, fmt: str, out: Path | None, template_dir: Path | None,
           processes: int, appendix: str, max_age: int | None) -> None:
    """Export SOURCE (an answers file or a folder of them) in one of the formats (see -f)."""
    from ..safefile import StdoutClosed, silence_stdout

    try:
        _export(ctx, source, fmt, out, template_dir, processes, appendix, max_age)
    except StdoutClosed:
        silence_stdout()
        sys.exit(1)  # quietly, as click does for a closed pipe
    except RiskwizardError as exc:
        if exc.location is not None and exc.location.path == "<stdout>":
            silence_stdout()
        click.echo(error_text(exc), err=True)
        sys.exit(2)


def _export(ctx: click.Context, source: Path, fmt: str, out: Path | None, template_dir: Path | None,
            processes: int, appendix: str, max_age: int | None = None) -> None:
    from ..safefile import check_folder

    search = [Path(p) for p in (ctx.find_root().obj or {}).get("questionnaire_dirs", ())]  # `-Q`, as score
    if template_dir is not None:
        check_folder(template_dir, "template folder (--template-dir)")
    try:
        is_folder = stat.S_ISDIR(os.stat(source).st_mode)
    except OSError:
        is_folder = False
    if is_folder:
        if out is not None and str(out) == STDOUT:
            raise ExportError("a folder export writes one report per answers file, so it cannot print them",
                              Location(str(source)), "give an output folder with -o, or export one file with -o -")
        _export_folder(source, fmt, out or source / "reports", template_dir, processes, search, appendix, max_age)
    else:
        target = out or source.with_suffix(EXTENSIONS[fmt])
        if str(target) != STDOUT and target.is_dir():
            target = target / get_format(fmt).output_name(source.stem)
        _export_one(source, fmt, target, template_dir, search, appendix, max_age)


def _export_one(source: Path, fmt: str, out: Path, template_dir: Path | None, search: list[Path],
                appendix: str, max_age: int | None = None) -> None:
    from . import export_file

    report = export_file(source, fmt, out, template_dir, search, appendix=appendix, max_age=max_age)
    for warning in report.warnings:
        _say(f"{source}: warning: {warning}", err=True)
    if str(out) != STDOUT:
        _say(f"wrote {report.path}")


def _export_folder(source: Path, fmt: str, out: Path, template_dir: Path | None, processes: int,
                   search: list[Path], appendix: str, max_age: int | None) -> None:
    from .batch import batch_export, scan_folder

    files, problems = scan_folder(source)
    total = len(files) + len(problems)
    with click.progressbar(length=total, label=f"Exporting {total} file(s) as {fmt}", file=sys.stderr,
                           show_pos=True) as bar:
        def progress(done: int, _total: int, _item: object) -> None:
            bar.update(1)

        items = batch_export(source, fmt, out, processes=processes, progress=progress, template_dir=template_dir,
                             search=search, appendix=appendix, max_age=max_age)
    failed = []
    for item in items:
        if item.error:
            failed.append(item)
            text = item.error if item.error.startswith(str(item.source)) else f"{item.source}: {item.error}"
            click.echo("\n".join(clean(line) for line in text.split("\n")), err=True)
            continue
        for warning in item.warnings:
            _say(f"{item.source}: warning: {warning}", err=True)
        _say(f"wrote {item.output}")
    if failed:
        names = ", ".join(str(item.source) for item in failed)
        _say(f"{len(failed)} of {len(items)} file(s) failed: {names}", err=True)
        sys.exit(1)
