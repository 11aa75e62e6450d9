"""`riskwizard import-card` and `riskwizard serve`: thin command-line layers (registered by riskwizard/cli.py).

Neither imports Textual: `serve` starts the wizard in child processes.
"""

from __future__ import annotations

from pathlib import Path

import click

from .termtext import clean


def _echo(text: str, err: bool = False) -> None:
    """Card and answer text may hold terminal controls: shown escaped (see riskwizard/termtext.py)."""
    click.echo(clean(text), err=err)


def _search_dirs(ctx: click.Context) -> list[Path]:
    return [Path(p) for p in (ctx.obj or {}).get("questionnaire_dirs", ())]


@click.command("import-card")
@click.argument("card", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "answers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Answers file to write (created if missing). Default: beside CARD, README.md -> "
                   "README.model-card.yaml.")
@click.option("--force", is_flag=True,
              help="Replace answers the file already gives differently (the previous file is kept as .bak).")
@click.pass_context
def import_card(ctx: click.Context, card: Path, answers: Path | None, force: bool) -> None:
    """Pre-fill the model-card answers from a Hugging Face model card (README.md).

    Lists what the card says that no model-card question asks for. An answer the file already gives
    differently is never replaced without --force: nothing is written and the conflicts are listed.
    """
    from .cardimport import default_answers_path
    from .cardimport import import_card as run_import

    target = answers or default_answers_path(card)
    report = run_import(card, target, force=force, search=_search_dirs(ctx))
    for notice in report.notices:
        _echo(f"{report.answers_path}: note: {notice}", err=True)
    for line in report.imported:
        _echo(f"imported {line}")
    for line in report.replaced:
        _echo(f"replaced {line}")
    if report.unchanged:
        _echo(f"{len(report.unchanged)} answer(s) already matched the card")
    for line in report.unmapped:
        _echo(line, err=True)
    if not (report.imported or report.replaced):
        _echo(f"{report.answers_path}: nothing to write; every answer the card gives is already there")
        return
    kept = f" (previous version kept as {report.backup})" if report.backup and report.replaced else ""
    verb = "created" if report.created else "updated"
    _echo(f"{verb} {report.answers_path}{kept}; {len(report.unmapped)} part(s) of the card not imported; "
          f"open it with: riskwizard {report.answers_path}")


@click.command("serve")
@click.argument("answers", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Anything but the loopback needs --allow-remote.")
@click.option("--allow-remote", is_flag=True,
              help="Allow --host to be an interface other machines can reach (anyone who gets the address and "
                   "its token can edit the answers).")
@click.pass_context
def serve(ctx: click.Context, answers: Path | None, port: int, host: str, allow_remote: bool) -> None:
    """Serve the wizard in a web browser (textual-serve), on 127.0.0.1 only unless told otherwise.

    Opens ANSWERS like `riskwizard ANSWERS`, or the start screen without it. Each browser tab runs
    its own wizard; the answers file's lock keeps two of them from editing it at once.
    """
    from .collector import for_a_long_run
    from .serve import serve_wizard

    for_a_long_run()  # a server runs for hours: Python's own collector settings
    serve_wizard(answers, host=host, port=port, allow_remote=allow_remote, search=_search_dirs(ctx),
                 echo=_echo)
