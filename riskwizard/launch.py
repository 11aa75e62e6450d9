"""The ``riskwizard`` command's entry point: the garbage collector set for a command (see
``collector``), then the CLI."""

from __future__ import annotations

from .collector import for_a_command


def main() -> None:
    for_a_command()
    from .cli import main as cli_main  # imported after: importing is a large part of what is collected

    cli_main()
