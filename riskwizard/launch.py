"""The ``riskwizard`` command's entry point: the garbage collector set for a command (see
``collector``), then the CLI.

``riskwizard FILE`` for an existing answers file, the command a user runs most and waits for, opens
the wizard without importing the CLI (click and the commands' modules: start-up, #14 item 7); it takes
the very steps of the CLI's ``open`` (``wizard_start.run_wizard``), and a problem is reported by the
CLI's own handler. Anything else (options, subcommands, a missing file, a bundled sample) goes to the CLI.
"""

from __future__ import annotations

import sys

from .collector import for_a_command
from .wizard_start import run_wizard, wizard_file


def main() -> None:
    for_a_command()
    path = wizard_file(sys.argv[1:])
    if path is None:
        from .cli import main as cli_main  # imported after: importing is a large part of what is collected

        cli_main()
        return
    try:
        try:
            run_wizard(path, [])
        finally:
            sys.stdout.flush()
    except BaseException as exc:
        from .cli import exit_for

        if isinstance(exc, EOFError | KeyboardInterrupt):  # as click reports them for the CLI's `open`
            import click

            click.echo(file=sys.stderr)
            exc = click.exceptions.Abort()
        exit_for(exc)
