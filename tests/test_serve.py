"""`riskwizard serve`: the wizard in a real headless Chromium, served on the loopback only.

Chromium and its driver come from the distribution (.ci/run installs chromium and chromium-driver
and sets RISKWIZARD_REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskwizard.answers import load_answers

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = os.path.exists(CHROMIUM) and os.path.exists(DRIVER)
REQUIRED = os.environ.get("RISKWIZARD_REQUIRE_BROWSER") == "1"


def _need(condition: bool, what: str) -> None:
    if condition:
        return
    if REQUIRED:
        pytest.fail(f"{what} is missing, but RISKWIZARD_REQUIRE_BROWSER=1 (.ci/run installs it)", pytrace=False)
    pytest.skip(f"{what} is not installed (CI installs it)")


def rw(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, proc: subprocess.Popen[str], url: str, port: int, answers: Path, output: list[str]) -> None:
        self.proc, self.url, self.port, self.answers, self.output = proc, url, port, answers, output

    @property
    def token_path(self) -> str:
        return "/" + self.url.split("/", 3)[3]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    pytest.importorskip("textual_serve")
    folder = tmp_path_factory.mktemp("serve")
    answers = folder / "card.yaml"
    done = rw("new", str(answers), "-q", "model-card", "--name", "Served in a browser")
    assert done.returncode == 0, done.stderr
    port = free_port()
    env = {**os.environ, "XDG_STATE_HOME": str(folder / "state"), "XDG_CACHE_HOME": str(folder / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "riskwizard", "serve", str(answers), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=folder, env=env,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    output: list[str] = []
    threading.Thread(target=lambda: [output.append(line) for line in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    url = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not url:
        match = re.search(rf"http://127\.0\.0\.1:{port}/\S+/", "".join(output))
        url = match.group(0) if match else ""
        assert proc.poll() is None, "".join(output)
        time.sleep(0.1)
    assert url, "".join(output)
    _wait_listening(port)
    try:
        yield Served(proc, url, port, answers, output)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and the wizards it started, nothing else
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def _get(served: Served, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_browser_answers_a_question_and_the_file_changes(served: Served, tmp_path: Path) -> None:
    _need(HAVE_BROWSER, "chromium with chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="rw-chromium-", dir=tmp_path)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,800"):
        options.add_argument(flag)
    before = served.answers.read_bytes()
    lock = served.answers.parent / f".{served.answers.name}.lock"
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.set_page_load_timeout(30)
        driver.get(served.url)
        _until(lambda: driver.execute_script("return document.body.classList.contains('-first-byte')"), 60,
               "the wizard never drew in the browser")
        _until(lock.exists, 60, "the wizard did not open the answers file")  # the session is loaded
        time.sleep(1.5)  # its first frame, with the answer field focused
        driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys("Browser model")
        _until(lambda: served.answers.read_bytes() != before and _name(served.answers) == "Browser model", 60,
               "the typed answer never reached the answers file")
        shot = tmp_path / "wizard.png"
        driver.save_screenshot(str(shot))
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a drawn wizard, not an empty page
        if os.environ.get("RISKWIZARD_SCREENSHOT_DIR"):
            shutil.copy(shot, Path(os.environ["RISKWIZARD_SCREENSHOT_DIR"]) / "serve-wizard.png")
    finally:
        driver.quit()
    doc, _ = load_answers(served.answers)
    assert doc.system.name == "Served in a browser"  # nothing else was touched


def _name(path: Path) -> str | None:
    a = load_answers(path)[0].answers.get("model-card", {}).get("mc_name")
    return a.value if a is not None else None


def _until(check: object, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except Exception:  # a file read mid-save, a page not yet ready: try again
            pass
        time.sleep(0.2)
    raise AssertionError(message)


def test_only_the_token_path_this_host_and_same_origin_are_served(served: Served) -> None:
    status, body = _get(served, "/")
    assert status == 404 and "access token" in body
    assert _get(served, "/static/js/textual.js")[0] == 404  # even the assets sit behind the token
    status, page = _get(served, served.token_path)
    assert status == 200 and f"ws://127.0.0.1:{served.port}{served.token_path}ws" in page
    assert _get(served, served.token_path, {"Host": f"attacker.example:{served.port}"})[0] == 403  # DNS rebinding
    assert _get(served, served.token_path, {"Origin": "http://attacker.example"})[0] == 403
    assert _get(served, served.token_path + "ws", {"Origin": "http://attacker.example", "Upgrade": "websocket",
                                                   "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                                                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})[0] == 403
    same = {"Origin": f"http://127.0.0.1:{served.port}"}
    assert _get(served, served.token_path, same)[0] == 200


def test_the_page_loads_nothing_from_elsewhere(served: Served) -> None:
    _, page = _get(served, served.token_path)
    urls = re.findall(r"""(?<![\w-])(?:src|href)\s*=\s*["']([^"']+)""", page)
    urls += re.findall(r"""url\(\s*["']?([^"')]+)""", page)
    assert urls, page
    for url in urls:
        assert url.startswith(f"http://127.0.0.1:{served.port}{served.token_path}static/"), url
    for url in urls:
        assert _get(served, url.split(str(served.port), 1)[1])[0] == 200, url
    assert "googleapis" not in page and "https://" not in page


def test_listening_beyond_the_loopback_needs_allow_remote(tmp_path: Path) -> None:
    done = rw("serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert done.returncode == 2 and "refusing to listen on 0.0.0.0" in done.stderr and "--allow-remote" in done.stderr
    from riskwizard.serve import ServeError, check_host

    assert check_host("127.0.0.1", False) == check_host("::1", False) == check_host("localhost", False) == ""
    with pytest.raises(ServeError):
        check_host("192.168.1.10", False)
    assert "anyone who can reach this machine" in check_host("0.0.0.0", True)


def test_bad_answers_and_busy_ports_are_messages(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    done = rw("serve", str(tmp_path / "missing.yaml"), "--port", str(free_port()))
    assert done.returncode == 2 and "no such answers file" in done.stderr and "Traceback" not in done.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        done = rw("serve", "--port", str(busy.getsockname()[1]), timeout=60)
    assert done.returncode == 2 and "cannot listen" in done.stderr and "--port" in done.stderr


def test_without_textual_serve_the_fix_is_named() -> None:
    code = ("import sys; sys.modules['textual_serve'] = None; sys.modules['textual_serve.server'] = None\n"
            "from riskwizard.cli import main; main(['serve'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "pip install 'riskwizard[web]'" in done.stderr


def test_other_commands_do_not_import_textual_or_the_web_server() -> None:
    code = ("import sys\nimport riskwizard.cli, riskwizard.cli_formats, riskwizard.serve, riskwizard.cardimport\n"
            "from riskwizard.cli import main\n"
            "try:\n    main(['list'])\nexcept SystemExit:\n    pass\n"
            "bad = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'textual_serve', 'aiohttp'})\n"
            "print('LOADED', bad)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in done.stdout, done.stdout + done.stderr
