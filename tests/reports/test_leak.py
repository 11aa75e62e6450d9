"""Nothing outside the bundled assets reaches a PDF: no local files, no network requests.

Hostile answers are escaped (so they are text, never markup); a hostile custom template folder
meets the restricted URL fetcher and the attachment stripper.
"""

from __future__ import annotations

import secrets
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from riskwizard.reports import export_file

from .conftest import FIXTURES
from .pdfcheck import all_bytes, embedded_problems, text


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        body = b"body { background: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    _Counter.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    httpd.timeout = 2
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], _Counter.hits
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _payloads(canary: Path, port: int) -> list[str]:
    url = canary.as_uri()
    return [
        f'<link rel="attachment" href="{url}">',
        f'<img src="{url}">',
        f"<style>@import url(http://127.0.0.1:{port}/import)</style>",
        f'<div style="background: url(http://127.0.0.1:{port}/inline-style)">x</div>',
        f"url({url}) url('http://127.0.0.1:{port}/css-url')",
        f'<a rel="attachment" href="{url}">file</a>',
        f'<object data="{url}"></object><embed src="http://127.0.0.1:{port}/embed">',
        f"{{{{ '{url}' }}}} {{% include '{canary}' %}}",
    ]


def _hostile_answers(tmp_path: Path, canary: Path, port: int) -> Path:
    data = yaml.safe_load((FIXTURES / "full.yaml").read_text(encoding="utf-8"))
    payload = "\n".join(_payloads(canary, port))
    data["system"]["name"] = f"Hostile {payload[:300]}"
    data["system"]["description"] = payload
    data["assessor"] = payload[:200]
    nb = data["answers"]["neurips-broader-impact"]
    for key in ("contribution_summary", "negative_impacts", "limitations", "cl_claims_just"):
        nb[key] = {"value": payload}
    nb["mitigations"]["value"][0]["mitigation"] = payload
    data["answers"]["model-card"]["mc_intended_use"] = {"value": payload}
    data["review"]["comments"][0]["text"] = payload
    data["review"]["conditions"] = payload
    folder = tmp_path / "assessment"
    folder.mkdir()
    shutil.copytree(FIXTURES / "questionnaires", folder / "questionnaires")
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _canary(tmp_path: Path) -> tuple[Path, bytes]:
    token = ("CANARY" + secrets.token_hex(16)).encode("ascii")
    canary = tmp_path / "secret" / "canary.txt"
    canary.parent.mkdir()
    canary.write_bytes(token + b"\n")
    return canary, token


def _assert_clean(pdf: bytes, token: bytes, hits: list[str]) -> None:
    everything = all_bytes(pdf)
    assert token not in everything
    assert token.decode() not in text(pdf)
    assert embedded_problems(pdf) == []
    assert hits == []


def test_hostile_answers_fetch_nothing(tmp_path: Path, server: tuple[int, list[str]]) -> None:
    port, hits = server
    canary, token = _canary(tmp_path)
    answers = _hostile_answers(tmp_path, canary, port)
    out = tmp_path / "out.pdf"
    export_file(answers, "pdf", out)
    pdf = out.read_bytes()
    _assert_clean(pdf, token, hits)
    body = " ".join(text(pdf).split())
    assert "<img src=" in body  # the payload is shown as text, not interpreted
    html = tmp_path / "out.html"
    export_file(answers, "html", html)
    page = html.read_text(encoding="utf-8")
    assert "<img src=" not in page and "&lt;img src=" in page
    assert "<style>@import" not in page and "<link rel=\"attachment\"" not in page
    assert token.decode() not in page  # the template include was not executed


def test_hostile_template_folder_fetches_nothing(tmp_path: Path, server: tuple[int, list[str]]) -> None:
    port, hits = server
    canary, token = _canary(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    url = canary.as_uri()
    (templates / "logo.png").symlink_to(canary)
    (templates / "report.css").write_text(
        f"@import url(http://127.0.0.1:{port}/import.css);\n"
        f"@font-face {{ font-family: Leak; src: url({url}); }}\n"
        f"body {{ background: url({url}); font-family: Leak; }}\n"
        f"h1 {{ background-image: url(http://127.0.0.1:{port}/bg.png); }}\n"
        f"h2::after {{ content: url({url}); }}\n", encoding="utf-8")
    (templates / "cover.html.j2").write_text(
        f'<section class="cover"><h1 class="cover-title">{{{{ r.system.name }}}}</h1>\n'
        f'<link rel="attachment" href="{url}">\n'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/link.css">\n'
        f'<a rel="attachment" href="{url}">attached</a>\n'
        f'<img src="{url}"><img src="http://127.0.0.1:{port}/img.png">\n'
        f'<img src="{{{{ user_asset("logo.png") }}}}"><img src="{{{{ user_asset("../secret/canary.txt") }}}}">\n'
        f'<link rel="attachment" href="fonts/DejaVuSans.ttf">\n'
        f'<iframe src="{url}"></iframe><object data="{url}"></object>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
        f'height="10"><image xlink:href="{url}" width="10" height="10"/>'
        f'<image href="http://127.0.0.1:{port}/svg.png" width="10" height="10"/></svg>\n'
        f"</section>\n", encoding="utf-8")
    answers = tmp_path / "answers"
    answers.mkdir()
    shutil.copy(FIXTURES / "full.yaml", answers / "a.yaml")
    shutil.copytree(FIXTURES / "questionnaires", answers / "questionnaires")
    out = tmp_path / "branded.pdf"
    report = export_file(answers / "a.yaml", "pdf", out, template_dir=templates)
    _assert_clean(out.read_bytes(), token, hits)
    assert any("refused" in w for w in report.warnings), report.warnings


def test_custom_template_is_still_autoescaped(tmp_path: Path) -> None:
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "cover.html.j2").write_text("<section class=cover><h1>{{ r.system.name }}</h1></section>\n",
                                             encoding="utf-8")
    folder = tmp_path / "a"
    folder.mkdir()
    shutil.copytree(FIXTURES / "questionnaires", folder / "questionnaires")
    data = yaml.safe_load((FIXTURES / "full.yaml").read_text(encoding="utf-8"))
    data["system"]["name"] = "<b>bold</b>"
    (folder / "x.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    export_file(folder / "x.yaml", "html", tmp_path / "x.html", template_dir=templates)
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<h1>&lt;b&gt;bold&lt;/b&gt;</h1>" in page
