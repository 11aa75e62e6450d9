"""`riskwizard serve`: the same wizard in a web browser, through textual-serve.

Each browser connection starts ``python -m riskwizard open ANSWERS`` in a child process with
Textual's web driver, so the browser runs exactly the terminal wizard (the answers file's lock
stops two tabs from editing it at once). The server:

* listens on 127.0.0.1 unless another interface is asked for with ``allow_remote`` (with a warning);
* serves the wizard only under a random token in the path, printed once in the terminal, so other
  users of the machine and other sites cannot reach it by guessing the port;
* answers only requests whose Host is this server and whose Origin, when the browser sends one, is
  this server's own (a web page on another site cannot drive the wizard; DNS rebinding fails);
* loads nothing from the network: its page uses textual-serve's bundled script, style and fonts.

textual-serve (and aiohttp) are imported only when the command runs; Textual itself is imported
only by the child processes.
"""

from __future__ import annotations

import ipaddress
import secrets
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import Location, RiskwizardError, display_path

TEMPLATES = Path(__file__).resolve().parent / "serve_templates"
LOCAL_NAMES = ("localhost",)
TITLE = "riskwizard"


class ServeError(RiskwizardError):
    """The wizard cannot be served as asked."""


def is_loopback(host: str) -> bool:
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> str:
    """A warning for a reachable interface that was asked for explicitly; refuses one that was not."""
    if is_loopback(host):
        return ""
    if not allow_remote:
        raise ServeError(f"refusing to listen on {host}: other machines could reach the wizard and edit the answers",
                         None, "leave out --host to serve on 127.0.0.1 only, or add --allow-remote if you mean it "
                               "(behind a firewall or an authenticating proxy)")
    return (f"listening on {host}: anyone who can reach this machine and learns the address below (with its "
            "token) can read and change the answers; the connection is not encrypted")


def wizard_command(answers: Path | None, search: list[Path]) -> str:
    """The shell command textual-serve runs for each browser connection (every part quoted)."""
    args = [sys.executable, "-m", "riskwizard"]
    for folder in search:
        args += ["-Q", str(folder.resolve())]
    if answers is not None:
        args += ["open", str(answers.resolve())]
    return shlex.join(args)


def prepare_answers(answers: Path | None, echo: Callable[..., None]) -> Path | None:
    """The answers file to serve: it must exist; a bundled sample is copied first (once, not per tab)."""
    if answers is None:
        return None
    from .answers import recover
    from .loader import copy_sample, samples_dir

    if not answers.exists():
        for notice in recover(answers):
            echo(notice, err=True)
    if not answers.exists():
        raise ServeError("no such answers file", Location(display_path(answers)),
                         f"start one with `riskwizard new {answers} -q eu-ai-act`, or run `riskwizard serve` "
                         "alone for the start screen")
    if not answers.is_file():
        raise ServeError("not an answers file (a folder?)", Location(display_path(answers)),
                         "give the path of an answers .yaml file")
    try:
        bundled = answers.resolve().parent == samples_dir().resolve()
    except OSError:
        bundled = False
    if bundled:
        answers = copy_sample(answers, Path.cwd())
        echo(f"{answers.name} is a bundled sample; serving a copy at {answers} so the sample stays unchanged.")
    return answers


def serve_wizard(answers: Path | None, host: str = "127.0.0.1", port: int = 8000, allow_remote: bool = False,
                 search: list[Path] | None = None, echo: Callable[..., None] = print,
                 token: str | None = None) -> None:
    """Serve the wizard until interrupted (Ctrl+C or SIGTERM)."""
    warning = check_host(host, allow_remote)
    try:
        from textual_serve.server import Server  # noqa: F401  (checked here: the error names the fix)
    except ImportError:
        raise ServeError("`riskwizard serve` needs textual-serve, which is not installed", None,
                         "install it with: pip install 'riskwizard[web]'") from None
    answers = prepare_answers(answers, echo)
    token = token or secrets.token_urlsafe(18)
    server = make_server(wizard_command(answers, search or []), host, port, token)
    if warning:
        echo(f"warning: {warning}", err=True)
    shown = f"[{host}]" if ":" in host else host
    echo(f"Serving the riskwizard wizard{f' on {answers}' if answers else ''} at http://{shown}:{port}/{token}/")
    echo("Open that address in a browser (it includes the access token); press Ctrl+C to stop.")
    try:
        server.serve()
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", None,
                         "choose another port with --port (the port may be in use)") from None


def make_server(command: str, host: str, port: int, token: str) -> Any:
    """A textual-serve Server limited to the token path, this host and same-origin requests."""
    from aiohttp import web
    from textual_serve.server import Server

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        if not _host_allowed(request.host, host, port):
            raise web.HTTPForbidden(text="riskwizard: unexpected Host header\n")
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="riskwizard: requests from other sites are refused\n")
        response: web.StreamResponse = await handler(request)
        return response

    async def no_token(request: web.Request) -> web.Response:
        return web.Response(status=404, text="riskwizard: open the address `riskwizard serve` printed; it "
                                             "includes an access token.\n")

    class WizardServer(Server):  # type: ignore[misc]
        async def _make_app(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app = web.Application(middlewares=[guard])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
            app.add_routes([
                web.get(f"/{token}/", self.handle_index, name="index"),
                web.get(f"/{token}/ws", self.handle_websocket, name="websocket"),
                web.get(f"/{token}/download/{{key}}", self.handle_download, name="download"),
                web.static(f"/{token}/static", self.statics_path, name="static"),
                web.get("/", no_token),
            ])
            app.on_shutdown.append(self.on_shutdown)
            return app

    public = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    server = WizardServer(command, host=host, port=port, title=TITLE, public_url=public, templates_path=TEMPLATES)
    return server


def _host_allowed(requested: str, host: str, port: int) -> bool:
    """The Host header names this server (any name when serving other machines on purpose)."""
    if not is_loopback(host):
        return True
    name, _, given_port = requested.rpartition(":") if not requested.endswith("]") else (requested, "", "")
    return given_port == str(port) and is_loopback(name)
