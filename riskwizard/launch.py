"""The ``riskwizard`` command's entry point: the garbage collector set for a command (see
``collector``), then the CLI (or the wizard directly), then a quick exit.

``riskwizard FILE`` for an existing answers file, the command a user runs most and waits for, opens
the wizard without importing the CLI (click and the commands' modules: start-up, #14 item 7); it takes
the very steps of the CLI's ``open`` (``wizard_start.run_wizard``), and a problem is reported by the
CLI's own handler. Anything else (options, subcommands, a missing file, a bundled sample) goes to the CLI.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

from .collector import for_a_command
from .wizard_start import run_wizard, wizard_file


def main() -> None:
    for_a_command()
    try:
        _run()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: Python's own exit prints it
        leave(exc.code or 0)
    leave(0)


def _run() -> None:
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


def leave(code: int) -> NoReturn:
    """End the process once its work is done, without tearing its heap down object by object.

    When a command has finished, everything it wrote went through ``safefile`` (written, synced,
    renamed) and its locks are released; what Python's normal shutdown would still do is free every
    object one by one and run the garbage collector over them all: after a PDF export, a tenth of a
    second or more spent on memory the operating system takes back at once. So the streams are
    flushed and the exit functions run (``atexit``: logging, temporary folders, multiprocessing), and
    the process ends. If another thread still runs, or a stream cannot be flushed, Python's own exit
    is taken instead, which waits for the threads and reports the stream's problem.
    """
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if others or not _flushed():
        sys.exit(code)
    atexit._run_exitfuncs()
    if not _flushed():
        sys.exit(code)
    os._exit(code)


def _flushed() -> bool:
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a full disk / broken pipe behind it
            return False
    return True
