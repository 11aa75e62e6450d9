"""Starting the wizard on a file: the steps ``riskwizard open FILE`` and ``riskwizard FILE`` share.

Importing nothing of the CLI (click) nor of Textual until the wizard runs, so that ``riskwizard.launch``
can open an answers file without the CLI (start-up, #14 item 7).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The CLI's commands (tests/test_launch.py checks that this is all of them): `riskwizard NAME` with one of
# these names runs the command, even when a file of that name exists.
COMMANDS = frozenset({"add", "check", "decide", "diff", "export", "import-card", "list", "migrate", "new", "open",
                      "review", "schema", "score", "serve", "test", "upgrade", "validate"})


def wizard_file(args: list[str]) -> Path | None:
    """The answers file of ``riskwizard FILE`` when that is the whole command line and FILE is an
    existing regular file that is not a bundled sample (those are copied first, by the CLI); else None."""
    if len(args) != 1 or args[0].startswith("-") or args[0] in COMMANDS:
        return None
    path = Path(args[0])
    try:
        if not path.is_file():
            return None
    except OSError:
        return None
    return None if is_bundled_sample(path) else path


def is_bundled_sample(path: Path) -> bool:
    from .loader import samples_dir

    try:
        return path.resolve().parent == samples_dir().resolve()
    except OSError:
        return False


def terminal_problem() -> str | None:
    """Why the wizard cannot run in this process, or None. It draws on a terminal and reads keys from
    it: with standard input or error redirected (a script, a pipe, ``< /dev/null``) Textual would read
    end-of-file for ever at full CPU, or draw where nobody sees it. Another Textual driver (``riskwizard
    serve`` runs the wizard with the web driver) brings its own input and output."""
    driver = os.environ.get("TEXTUAL_DRIVER", "")
    if driver and not any(terminal in driver for terminal in ("linux_driver", "windows_driver")):
        return None
    # Textual's terminal drivers read keys from standard input and draw on standard error (so that standard
    # output can be redirected): those two must be the terminal
    for name, stream in (("input", sys.__stdin__), ("error", sys.__stderr__)):
        try:
            if stream is None or not stream.isatty():
                return f"its standard {name} is not a terminal"
        except (OSError, ValueError):
            return f"its standard {name} is closed"
    return None


def check_terminal(path: Path | None) -> None:
    """Refuse, with what to do instead, to start the wizard where it cannot run (see terminal_problem)."""
    problem = terminal_problem()
    if problem is not None:
        from .errors import Location, RiskwizardError, display_path

        name = display_path(path) if path is not None else "ANSWERS.yaml"
        raise RiskwizardError(f"the wizard needs a terminal, and {problem}",
                              Location(name) if path is not None else None,
                              f"run it in a terminal; without one, `riskwizard score {name}` prints the results "
                              f"and `riskwizard export {name}` writes the report")


def run_wizard(path: Path | None, search_dirs: list[Path]) -> None:
    """Open the wizard on ``path`` (None: the start screen): what ``riskwizard open`` does once the
    file is known to exist."""
    import gc

    from .collector import for_a_long_run

    check_terminal(path)
    if path is not None and os.path.lexists(path):
        from .safefile import check_input

        check_input(path)  # a FIFO, device, folder or unreadable file: refused before the wizard starts
    # Importing Textual and loading the questionnaires make many long-lived objects and no garbage
    # worth collecting; the app turns the collector back on once the session is loaded, with
    # Python's own thresholds (the wizard is not a short command: see ``collector``).
    for_a_long_run()
    gc.disable()
    try:
        from .tui.app import run  # imported late: the CLI's other commands never load Textual

        run(path, search_dirs)
    finally:
        gc.enable()
