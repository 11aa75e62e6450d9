"""`riskwizard export`: write reports from an answers file or a folder of them.

The lead registers this command on the main CLI group (riskwizard/cli.py imports it when present).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import RiskwizardError
from . import EXTENSIONS, FORMATS, get_format


@click.command("export")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True,
              help="Output format.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              help="Output file (for a folder: output folder). Default: next to the answers file.")
@click.option("--template-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of templates overriding the bundled ones by name (e.g. report.css, cover.html.j2).")
@click.option("--processes", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Worker processes when exporting a folder.")
def export(source: Path, fmt: str, out: Path | None, template_dir: Path | None, processes: int) -> None:
    """Export SOURCE (an answers file or a folder of them) in one of the formats (see -f)."""
    try:
        if source.is_dir():
            _export_folder(source, fmt, out or source / "reports", template_dir, processes)
        else:
            _export_one(source, fmt, out or source.with_suffix(EXTENSIONS[fmt]), template_dir)
    except RiskwizardError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _export_one(source: Path, fmt: str, out: Path, template_dir: Path | None) -> None:
    from . import export_file

    if not source.exists():
        raise click.UsageError(f"{source}: no such file or folder")
    if out.is_dir():
        out = out / get_format(fmt).output_name(source.stem)
    report = export_file(source, fmt, out, template_dir)
    for warning in report.warnings:
        click.echo(f"{source}: warning: {warning}", err=True)
    click.echo(f"wrote {report.path}")


def _export_folder(source: Path, fmt: str, out: Path, template_dir: Path | None, processes: int) -> None:
    from .batch import answers_files, batch_export

    total = len(answers_files(source))
    with click.progressbar(length=total, label=f"Exporting {total} file(s) as {fmt}", file=sys.stderr,
                           show_pos=True) as bar:
        def progress(done: int, _total: int, _item: object) -> None:
            bar.update(1)

        items = batch_export(source, fmt, out, processes=processes, progress=progress, template_dir=template_dir)
    failed = 0
    for item in items:
        if item.error:
            failed += 1
            click.echo(item.error if item.error.startswith(str(item.source)) else f"{item.source}: {item.error}",
                       err=True)
            continue
        for warning in item.warnings:
            click.echo(f"{item.source}: warning: {warning}", err=True)
        click.echo(f"wrote {item.output}")
    if failed:
        click.echo(f"{failed} of {len(items)} file(s) failed", err=True)
        sys.exit(1)
