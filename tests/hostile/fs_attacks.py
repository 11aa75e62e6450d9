"""Attacks through the file system, run with the real CLI on real files, folders, links and mounts.

Shared by tests/hostile/test_fs_attacks.py and ``tools/robustness.py``. Every scenario returns an
:class:`Outcome`; none may write anywhere but where asked, replace a node that is not a regular file,
change an input, hang, crash or end without a message that names the path.

Groups: ``symlink`` (planted links at locks, temp names, new files, outputs, ``.bak``, conflict
copies), ``target`` (``-o`` at devices, FIFOs, folders, ``/dev/stdout``; ``-o -``), ``input``
(FIFOs, devices, folders, unreadable files given to every reading command), ``overwrite`` (an
output that is an input), ``batch`` (poisonous files in a batch), ``disk-full`` (a small tmpfs,
when root), ``read-only`` (a read-only bind mount, when root; else a chmod'ed folder) and
``os-error`` (name too long, a folder where a file goes, permission denied).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "samples" / "cv-screening.yaml"
VICTIM_BYTES = b"VICTIM: riskwizard must never write here\n"
NOBODY = 65534


@dataclass
class Outcome:
    group: str
    name: str
    ok: bool
    detail: str = ""
    skipped: str = ""
    seconds: float = 0.0


@dataclass
class Run:
    code: int | None
    out: bytes
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace") + self.err

    @property
    def crashed(self) -> bool:
        return self.code is None or self.code < 0 or "Traceback" in self.err or "internal error" in self.err


def rw(args: list[str], cwd: Path, stdout: int | None = None, user: int | None = None, timeout: float = 60,
       env: dict[str, str] | None = None) -> Run:
    """Run ``python -m riskwizard ARGS`` in ``cwd``; ``user`` runs it as that uid (root only)."""
    full_env = {k: v for k, v in os.environ.items() if k != "RISKWIZARD_DEBUG"}
    full_env.update(env or {})
    full_env.setdefault("PYTHONIOENCODING", "utf-8")
    cmd = [sys.executable, "-m", "riskwizard", *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
        full_env["XDG_STATE_HOME"] = full_env["XDG_CACHE_HOME"] = str(Path(tempfile.gettempdir()))
        full_env["RISKWIZARD_NO_CACHE"] = "1"
        full_env["PYTHONDONTWRITEBYTECODE"] = "1"
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                              stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        return Run(None, exc.stdout or b"", (exc.stderr or b"").decode("utf-8", "replace") + "\n[timed out]",
                   time.monotonic() - started)
    return Run(proc.returncode, proc.stdout or b"", proc.stderr.decode("utf-8", "replace"), time.monotonic() - started)


# --------------------------------------------------------------------------- fixtures on disk


def make_answers(folder: Path, name: str = "a.yaml") -> Path:
    """A valid answers file (a copy of the cv-screening sample) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(SAMPLE.read_bytes())
    return path


def make_small(folder: Path, name: str = "s.yaml", questionnaire: str = "model-card") -> Path:
    """A new answers file for one small bundled questionnaire (quick to export, also as PDF)."""
    from riskwizard.answers import AnswerStore, new_doc
    from riskwizard.loader import find_questionnaire

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    AnswerStore(path).create(new_doc([find_questionnaire(questionnaire)], "Small system", answers_path=path))
    return path


def make_victim(folder: Path, name: str = "victim.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    victim = folder / name
    victim.write_bytes(VICTIM_BYTES)
    return victim


def plant_dangling(root: Path, name: str) -> Path:
    """A symlink ``root/name`` to a file that does not exist (yet) in ``root/elsewhere``; returns that target."""
    (root / "elsewhere").mkdir(parents=True, exist_ok=True)
    target = root / "elsewhere" / "planted"
    (root / name).symlink_to(target)
    return target


def intact(victim: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(victim).st_mode) and victim.read_bytes() == VICTIM_BYTES
    except OSError:
        return False


def node_id(path: Path) -> tuple[int, int, int]:
    st = os.lstat(path)
    return st.st_dev, st.st_ino, st.st_mode


def leftovers(folder: Path) -> list[str]:
    """Temp files riskwizard would have made (``.NAME.PID-RANDOM.tmp`` and the like)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.suffix in (".tmp", ".baktmp",
                                                                                               ".probe"))


def is_root() -> bool:
    return os.geteuid() == 0


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "1m") -> Iterator[Path | None]:
    """A real tmpfs of ``size`` mounted at ``folder`` (None where mounting is not possible)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not is_root() or shutil.which("mount") is None:
        yield None
        return
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path, leave_pages: int = 0) -> None:
    """Fill the file system of ``folder`` (a tmpfs) so that at most ``leave_pages`` 4 KiB pages stay free."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for block in (b"\0" * 65536, b"\0" * 4096, b"\0"):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, block)
    finally:
        os.close(fd)
    if leave_pages:
        size = filler.stat().st_size
        os.truncate(filler, max(0, size - leave_pages * 4096))


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str | None]:
    """Make ``folder`` read-only for riskwizard: a read-only bind mount as root (the kernel's EROFS),
    else chmod 555 (EACCES). Yields how, or None where neither works."""
    if is_root():
        done = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True,
                              check=False)
        if done.returncode == 0:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, check=False)
            try:
                yield "read-only bind mount"
            finally:
                subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)
            return
        yield None
        return
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        yield "chmod 555"
    finally:
        folder.chmod(stat.S_IMODE(mode))


def checks(*pairs: tuple[bool, str]) -> tuple[bool, str]:
    failed = [what for ok, what in pairs if not ok]
    return not failed, "; ".join(failed)


def refused(run: Run, *needles: str, code: int = 2) -> list[tuple[bool, str]]:
    """A clean refusal: the exit code, no crash, and every needle in the message."""
    text = run.text
    out = [(run.code == code, f"exit {run.code}, expected {code}: {text.strip()[:300]}"),
           (not run.crashed, f"crash/timeout: {text.strip()[:300]}")]
    out += [(n.lower() in text.lower(), f"message lacks {n!r}: {text.strip()[:300]}") for n in needles]
    return out


# --------------------------------------------------------------------------- scenarios


Scenario = Callable[[Path], Outcome]
SCENARIOS: list[tuple[str, str, Scenario]] = []


def scenario(group: str, name: str) -> Callable[[Scenario], Scenario]:
    def register(fn: Scenario) -> Scenario:
        SCENARIOS.append((group, name, fn))
        return fn
    return register


def _outcome(group: str, name: str, *pairs: tuple[bool, str]) -> Outcome:
    ok, detail = checks(*pairs)
    return Outcome(group, name, ok, detail)


# symlinks --------------------------------------------------------------------


@scenario("symlink", "lock file is a symlink (decide)")
def _lock_link(root: Path) -> Outcome:
    answers = make_answers(root)
    victim = make_victim(root / "elsewhere")
    (root / ".a.yaml.lock").symlink_to(victim)
    before = answers.read_bytes()
    run = rw(["decide", "a.yaml", "--decision", "approved"], root)
    return _outcome("symlink", "lock", *refused(run, "symbolic link", "a.yaml"), (intact(victim), "victim changed"),
                    (answers.read_bytes() == before, "answers changed"))


@scenario("symlink", "lock file is a symlink (new)")
def _lock_link_new(root: Path) -> Outcome:
    victim = make_victim(root / "elsewhere")
    root.mkdir(exist_ok=True)
    (root / ".b.yaml.lock").symlink_to(victim)
    run = rw(["new", "b.yaml", "-q", "model-card"], root)
    return _outcome("symlink", "lock-new", *refused(run, "symbolic link"), (intact(victim), "victim changed"),
                    (not (root / "b.yaml").exists(), "b.yaml was created without a lock"))


@scenario("symlink", "dangling symlink at new's file")
def _new_dangling(root: Path) -> Outcome:
    target = plant_dangling(root, "n.yaml")
    run = rw(["new", "n.yaml", "-q", "model-card"], root)
    return _outcome("symlink", "new", *refused(run, "exists already"), (not target.exists(), "wrote through the link"),
                    ((root / "n.yaml").is_symlink(), "the link was replaced"))


@scenario("symlink", "dangling symlink at a copied sample's name")
def _sample_dangling(root: Path) -> Outcome:
    from riskwizard.loader import copy_sample, samples_dir

    target = plant_dangling(root, "cv-screening.yaml")
    copy = copy_sample(samples_dir() / "cv-screening.yaml", root)
    return _outcome("symlink", "sample", (copy.name == "cv-screening-2.yaml", f"copied to {copy.name}"),
                    (not target.exists(), "wrote through the link"))


@scenario("symlink", "export -o names a symlink to a file")
def _export_link(root: Path) -> Outcome:
    make_answers(root)
    victim = make_victim(root / "elsewhere")
    (root / "out.md").symlink_to(victim)
    run = rw(["export", "a.yaml", "-f", "md", "-o", "out.md"], root)
    return _outcome("symlink", "export", *refused(run, "symbolic link"), (intact(victim), "victim changed"))


@scenario("symlink", "export -o names a dangling symlink")
def _export_dangling(root: Path) -> Outcome:
    make_answers(root)
    target = plant_dangling(root, "out.md")
    run = rw(["export", "a.yaml", "-f", "md", "-o", "out.md"], root)
    return _outcome("symlink", "export-dangling", *refused(run, "symbolic link"), (not target.exists(), "created"))


@scenario("symlink", ".bak is a symlink to a victim (decide)")
def _bak_link(root: Path) -> Outcome:
    answers = make_answers(root)
    before = answers.read_bytes()
    victim = make_victim(root / "elsewhere")
    (root / "a.yaml.bak").symlink_to(victim)
    run = rw(["decide", "a.yaml", "--decision", "approved"], root)
    bak = root / "a.yaml.bak"
    return _outcome("symlink", "bak", (run.code == 0, f"exit {run.code}: {run.text[:300]}"), (intact(victim), "victim"),
                    (not bak.is_symlink() and bak.read_bytes() == before, ".bak is not the previous file"))


@scenario("symlink", "conflict copy name is a planted symlink")
def _conflict_link(root: Path) -> Outcome:
    from riskwizard.answers import AnswerStore

    answers = make_answers(root)
    victim = make_victim(root / "elsewhere")
    (root / "a.conflict.yaml").symlink_to(victim)
    store = AnswerStore(answers)
    with store:
        doc, _ = store.load()
        answers.write_bytes(answers.read_bytes() + b"# changed by another program\n")
        first = store.save(doc)
        second = store.save(doc)
    return _outcome("symlink", "conflict", (first.name == "a.conflict-2.yaml", f"saved to {first.name}"),
                    (second == first, "a second save went elsewhere"), (intact(victim), "victim changed"))


@scenario("symlink", "planted symlink at the temp name")
def _temp_link(root: Path) -> Outcome:
    from riskwizard import safefile

    root.mkdir(parents=True, exist_ok=True)
    victim = make_victim(root / "elsewhere")
    target = root / "t.yaml"
    names = iter(["aaaaaaaa", "bbbbbbbb"])
    saved = safefile.secrets.token_hex
    safefile.secrets.token_hex = lambda n: next(names)  # type: ignore[assignment]
    try:
        (root / f".t.yaml.{os.getpid()}-aaaaaaaa.tmp").symlink_to(victim)  # the guessed first name
        safefile.write_file(target, "mine")
    finally:
        safefile.secrets.token_hex = saved  # type: ignore[assignment]
    return _outcome("symlink", "temp", (target.read_text() == "mine", "not written"), (intact(victim), "victim"))


@scenario("symlink", "answers file is a symlink: written through, link kept")
def _answers_link(root: Path) -> Outcome:
    real = make_answers(root / "real", "real.yaml")
    (root / "link.yaml").symlink_to(real)
    run = rw(["decide", "link.yaml", "--decision", "approved"], root)
    return _outcome("symlink", "answers-link", (run.code == 0, f"exit {run.code}: {run.text[:300]}"),
                    ((root / "link.yaml").is_symlink(), "link replaced"),
                    (b"decision: approved" in real.read_bytes(), "not written through"),
                    ((root / "real" / "real.yaml.bak").is_file(), ".bak not beside the real file"),
                    (not leftovers(root) and not leftovers(root / "real"), "temp files left"))


@scenario("symlink", "batch output is a symlink to a victim")
def _batch_link(root: Path) -> Outcome:
    make_answers(root / "in", "a.yaml")
    make_answers(root / "in", "b.yaml")
    victim = make_victim(root / "elsewhere")
    (root / "out").mkdir()
    (root / "out" / "a.md").symlink_to(victim)
    run = rw(["export", "in", "-f", "md", "-o", "out", "--processes", "2"], root)
    return _outcome("symlink", "batch", *refused(run, "a.yaml", "symbolic link", code=1), (intact(victim), "victim"),
                    ((root / "out" / "b.md").is_file(), "the good file was not exported"))


# targets that are not regular files ------------------------------------------


def _target(root: Path, out: str, name: str, *needles: str) -> Outcome:
    make_answers(root)
    path = out if out.startswith("/") else str(root / out)
    before = node_id(Path(path))
    run = rw(["export", "a.yaml", "-f", "md", "-o", out], root)
    return _outcome("target", name, *refused(run, *needles), (node_id(Path(path)) == before, "node replaced"))


@scenario("target", "-o /dev/null")
def _dev_null(root: Path) -> Outcome:
    return _target(root, "/dev/null", "dev-null", "character device")


@scenario("target", "-o /dev/full")
def _dev_full(root: Path) -> Outcome:
    return _target(root, "/dev/full", "dev-full", "character device")


@scenario("target", "-o names a FIFO")
def _fifo_target(root: Path) -> Outcome:
    root.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "pipe.md")
    return _target(root, "pipe.md", "fifo", "named pipe")


@scenario("target", "-o /dev/stdout")
def _dev_stdout(root: Path) -> Outcome:
    make_answers(root)
    run = rw(["export", "a.yaml", "-f", "md", "-o", "/dev/stdout"], root)
    return _outcome("target", "dev-stdout", *refused(run, "-o -"), (not run.out, "printed something"))


@scenario("target", "-o names a symlink to /dev/null")
def _link_null(root: Path) -> Outcome:
    root.mkdir(parents=True, exist_ok=True)
    (root / "null.md").symlink_to("/dev/null")
    return _target(root, "null.md", "link-null", "symbolic link")


@scenario("target", "-o names a folder: the report goes inside")
def _folder_target(root: Path) -> Outcome:
    make_answers(root)
    (root / "reports").mkdir()
    run = rw(["export", "a.yaml", "-f", "md", "-o", "reports"], root)
    return _outcome("target", "folder", (run.code == 0, f"exit {run.code}: {run.text[:300]}"),
                    ((root / "reports" / "a.md").is_file(), "not written inside the folder"))


@scenario("target", "-o - prints md/tex/json/html")
def _stdout_text(root: Path) -> Outcome:
    make_answers(root)
    problems = []
    for fmt, start in (("md", b"# Impact statement"), ("json", b"{"), ("tex", b"%"), ("html", b"<!DOCTYPE html>")):
        run = rw(["export", "a.yaml", "-f", fmt, "-o", "-"], root)
        if run.code != 0 or not run.out.lstrip().startswith(start) or b"wrote" in run.out:
            problems.append(f"{fmt}: exit {run.code}, stdout starts {run.out[:30]!r}: {run.err[:200]}")
    return _outcome("target", "stdout", (not problems, "; ".join(problems)),
                    (sorted(p.name for p in root.iterdir()) == ["a.yaml"], "files were written"))


@scenario("target", "-o - with stdout on /dev/full")
def _stdout_full(root: Path) -> Outcome:
    make_answers(root)
    with open("/dev/full", "wb") as full:
        run = rw(["export", "a.yaml", "-f", "md", "-o", "-"], root, stdout=full.fileno())
    return _outcome("target", "stdout-full", *refused(run, "no space left"))


@scenario("target", "-o - with a PDF: printed to a pipe, refused on a terminal")
def _stdout_pdf(root: Path) -> Outcome:
    import pty

    make_small(root)
    piped = rw(["export", "s.yaml", "-f", "pdf", "-o", "-"], root)
    leader, follower = pty.openpty()
    try:
        tty = rw(["export", "s.yaml", "-f", "pdf", "-o", "-"], root, stdout=follower)
    finally:
        os.close(follower)
        with contextlib.suppress(OSError):
            os.read(leader, 65536)
        os.close(leader)
    return _outcome("target", "stdout-pdf", (piped.code == 0 and piped.out.startswith(b"%PDF-"),
                                             f"pipe: exit {piped.code} {piped.err[:200]}"),
                    *refused(tty, "garble the terminal"))


@scenario("target", "a bad target is reported before the PDF is laid out")
def _early(root: Path) -> Outcome:
    make_answers(root)
    code = ("import sys\nfrom riskwizard.cli import main\ntry:\n    main(['export', 'a.yaml', '-f', 'pdf', '-o', "
            "'/dev/full'])\nexcept SystemExit as e:\n    print('exit', e.code, 'weasyprint' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120,
                          check=False)
    return _outcome("target", "early", (done.stdout.strip() == "exit 2 False", f"{done.stdout} {done.stderr[:200]}"))


# inputs that are not regular files -------------------------------------------


def _inputs(root: Path) -> dict[str, Path]:
    root.mkdir(parents=True, exist_ok=True)
    fifo = root / "fifo.yaml"
    os.mkfifo(fifo)
    (root / "folder.yaml").mkdir()
    (root / "gone.yaml").symlink_to(root / "nowhere.yaml")
    return {"a named pipe": fifo, "a character device": Path("/dev/zero"), "a folder": root / "folder.yaml",
            "no such file": root / "gone.yaml"}


INPUT_COMMANDS: list[list[str]] = [
    ["validate", "{}"], ["score", "{}"], ["check", "{}"], ["diff", "{}", "a.yaml"], ["diff", "a.yaml", "{}"],
    ["export", "{}", "-f", "md"], ["decide", "{}", "--decision", "approved"], ["open", "{}"],
]


@scenario("input", "FIFO, device, folder and dangling link given to every reading command")
def _bad_inputs(root: Path) -> Outcome:
    make_answers(root)
    problems = []
    tried = 0
    for reason, path in _inputs(root).items():
        words = {"a named pipe": "named pipe", "a character device": "character device", "a folder": "folder",
                 "no such file": "not found"}[reason]
        for template in INPUT_COMMANDS:
            if template[0] == "export" and reason == "a folder":
                continue  # a folder is a batch export (its own scenario)
            args = [a.replace("{}", str(path)) for a in template]
            run = rw(args, root, timeout=30)
            tried += 1
            for ok, what in refused(run, words, str(path.name)):
                if not ok:
                    problems.append(f"{' '.join(args)}: {what}")
    return Outcome("input", "inputs", not problems, "; ".join(problems[:5]) or f"{tried} runs")


@scenario("input", "-Q folder and --template-dir files that are not regular files")
def _folder_inputs(root: Path) -> Outcome:
    make_answers(root)
    os.mkfifo(root / "pipe")
    (root / "templates").mkdir()
    os.mkfifo(root / "templates" / "cover.html.j2")
    q = rw(["-Q", "pipe", "score", "a.yaml"], root, timeout=30)
    t = rw(["export", "a.yaml", "-f", "html", "--template-dir", "templates"], root, timeout=30)
    return _outcome("input", "folders", *refused(q, "named pipe"), *refused(t, "named pipe", "cover.html.j2"))


@scenario("input", "unreadable answers file (as another user)")
def _unreadable(root: Path) -> Outcome:
    make_answers(root)
    (root / "a.yaml").chmod(0o600)
    if is_root():
        root.chmod(0o755)  # nobody may search the folder (it is the working directory), not read the file
        run = rw(["score", "a.yaml"], root, user=NOBODY)
    else:
        (root / "a.yaml").chmod(0)
        run = rw(["score", "a.yaml"], root)
    return _outcome("input", "unreadable", *refused(run, "permission denied", "a.yaml"))


# never overwrite an input ----------------------------------------------------


@scenario("overwrite", "-o is the answers file, through .., a link and a hard link")
def _overwrite(root: Path) -> Outcome:
    answers = make_answers(root)
    before = answers.read_bytes()
    (root / "sub").mkdir()
    (root / "hard.md").hardlink_to(answers)
    problems = []
    for out in ("a.yaml", "sub/../a.yaml", str(answers), "hard.md"):
        run = rw(["export", "a.yaml", "-f", "md", "-o", out], root)
        for ok, what in refused(run, "refusing to write"):
            if not ok:
                problems.append(f"-o {out}: {what}")
    return _outcome("overwrite", "answers", (not problems, "; ".join(problems)),
                    (answers.read_bytes() == before, "the answers file changed"))


@scenario("overwrite", "-o is a questionnaire the export loads")
def _overwrite_q(root: Path) -> Outcome:
    from riskwizard.loader import bundled_dir

    make_answers(root)
    (root / "questionnaires").mkdir()
    for p in bundled_dir().glob("*.yaml"):
        shutil.copy(p, root / "questionnaires" / p.name)  # identical copies: allowed, and loaded from here
    target = root / "questionnaires" / "harms.yaml"
    before = target.read_bytes()
    run = rw(["export", "a.yaml", "-f", "md", "-o", str(target)], root)
    return _outcome("overwrite", "questionnaire", *refused(run, "refusing to write", "questionnaire"),
                    (target.read_bytes() == before, "the questionnaire changed"))


# batch poison ----------------------------------------------------------------


@scenario("batch", "poisonous inputs never stop the others")
def _batch_poison(root: Path) -> Outcome:
    folder = root / "in"
    for name in ("good1.yaml", "good2.yaml", "same.yaml", "same.yml"):
        make_small(folder, name)
    os.mkfifo(folder / "pipe.yaml")
    (folder / "dir.yaml").mkdir()
    (folder / "gone.yaml").symlink_to(folder / "nowhere.yaml")
    (folder / "invalid.yaml").write_text("format: riskwizard-answers/1\nanswers: [\n", encoding="utf-8")
    twice = (folder / "good1.yaml").read_text(encoding="utf-8").replace(
        "questionnaires:\n", "questionnaires:\n- id: model-card\n  version: 1.0.0\n", 1)
    (folder / "twice.yaml").write_text(twice, encoding="utf-8")
    # the only file that uses `harms` meets a different questionnaire of that id beside it
    make_small(folder, "collides.yaml", "harms")
    (folder / "questionnaires").mkdir()
    (folder / "questionnaires" / "harms.yaml").write_text(
        (ROOT / "questionnaires" / "harms.yaml").read_text(encoding="utf-8").replace("title:", "title: Changed", 1),
        encoding="utf-8")
    run = rw(["export", "in", "-f", "json", "-o", "out", "--processes", "2"], root, timeout=300)
    failed = ["pipe.yaml", "dir.yaml", "gone.yaml", "invalid.yaml", "twice.yaml", "collides.yaml"]
    summary = next((line for line in run.err.splitlines() if "file(s) failed" in line), "")
    out = root / "out"
    made = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    return _outcome("batch", "poison", (run.code == 1, f"exit {run.code}"), (not run.crashed, run.err[-300:]),
                    (all(f in summary for f in failed) and summary.startswith("6 of 10"), f"summary: {summary}"),
                    (made == ["good1.json", "good2.json", "same.yaml.json", "same.yml.json"], f"outputs: {made}"),
                    ("two different questionnaires" in run.err, "collision not reported"))


@scenario("batch", "two worker processes writing one target never share a temp file")
def _race(root: Path) -> Outcome:
    root.mkdir(parents=True, exist_ok=True)
    target = root / "shared.bin"
    code = ("import sys\nfrom riskwizard.safefile import write_file\n"
            "for i in range(200):\n    write_file(sys.argv[1], sys.argv[2].encode() * 20000)\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(target), letter], stderr=subprocess.PIPE)
             for letter in "AB"]
    errors = [p.communicate(timeout=300)[1].decode() for p in procs]
    data = target.read_bytes()
    whole = data in (b"A" * 20000, b"B" * 20000)
    return _outcome("batch", "race", (all(p.returncode == 0 for p in procs), "; ".join(errors)[:300]),
                    (whole, "the file is a mix of both writers"), (not leftovers(root), "temp files left"))


# disk full (a real small tmpfs, root only) ------------------------------------


def _full_disk(root: Path, name: str, action: Callable[[Path], tuple[Run, list[tuple[bool, str]]]]) -> Outcome:
    with tmpfs(root / "mnt", "512k") as mnt:
        if mnt is None:
            return Outcome("disk-full", name, True, skipped="needs root to mount a tmpfs")
        run, extra = action(mnt)
        return _outcome("disk-full", name, *refused(run, "no space left"), *extra,
                        (not leftovers(mnt), f"temp files left: {leftovers(mnt)}"))


@scenario("disk-full", "decide on a full disk: exit 2, answers byte-identical")
def _full_decide(root: Path) -> Outcome:
    def action(mnt: Path) -> tuple[Run, list[tuple[bool, str]]]:
        answers = make_answers(mnt)
        before = answers.read_bytes()
        fill(mnt, leave_pages=1)  # room for the lock's page only
        run = rw(["decide", "a.yaml", "--decision", "approved"], mnt)
        return run, [(answers.read_bytes() == before, "answers changed"),
                     (not (mnt / ".a.yaml.lock").exists(), "lock left")]
    return _full_disk(root, "decide", action)


@scenario("disk-full", "export to a full disk")
def _full_export(root: Path) -> Outcome:
    def action(mnt: Path) -> tuple[Run, list[tuple[bool, str]]]:
        make_answers(root)
        fill(mnt)
        run = rw(["export", str(root / "a.yaml"), "-f", "md", "-o", str(mnt / "a.md")], root)
        return run, [(not (mnt / "a.md").exists(), "a partial report was left")]
    return _full_disk(root, "export", action)


@scenario("disk-full", "new on a full disk")
def _full_new(root: Path) -> Outcome:
    def action(mnt: Path) -> tuple[Run, list[tuple[bool, str]]]:
        fill(mnt, leave_pages=1)
        run = rw(["new", "n.yaml", "-q", "eu-ai-act"], mnt)
        return run, [(not (mnt / "n.yaml").exists(), "a partial answers file was left"),
                     (not (mnt / ".n.yaml.lock").exists(), "lock left")]
    return _full_disk(root, "new", action)


# read-only ---------------------------------------------------------------------


@scenario("read-only", "decide in a read-only folder")
def _ro_decide(root: Path) -> Outcome:
    answers = make_answers(root / "ro")
    before = answers.read_bytes()
    with read_only(root / "ro") as how:
        if how is None:
            return Outcome("read-only", "decide", True, skipped="cannot make a read-only folder here")
        run = rw(["decide", "a.yaml", "--decision", "approved"], root / "ro")
        score = rw(["score", "a.yaml"], root / "ro")
    return _outcome("read-only", "decide", *refused(run, "a.yaml", "copy the file"),
                    (answers.read_bytes() == before, "answers changed"), (score.code == 0, "score failed read-only"))


def _refused_in_empty_read_only(root: Path, name: str, args: list[str], inside: bool, *needles: str) -> Outcome:
    """Run ``args`` (in the read-only folder ``ro`` if ``inside``, else beside it): a clean refusal."""
    (root / "ro").mkdir(parents=True)
    with read_only(root / "ro") as how:
        if how is None:
            return Outcome("read-only", name, True, skipped="cannot make a read-only folder here")
        run = rw(args, root / "ro" if inside else root)
    return _outcome("read-only", name, *refused(run, *needles))


@scenario("read-only", "new in a read-only folder suggests another folder")
def _ro_new(root: Path) -> Outcome:
    return _refused_in_empty_read_only(root, "new", ["new", "ro/n.yaml", "-q", "eu-ai-act"], False, "ro/n.yaml",
                                       "for example: riskwizard new n.yaml -q eu-ai-act")


@scenario("read-only", "export next to answers on a read-only disk: refused before rendering")
def _ro_export(root: Path) -> Outcome:
    make_answers(root / "ro")
    with read_only(root / "ro") as how:
        if how is None:
            return Outcome("read-only", "export", True, skipped="cannot make a read-only folder here")
        run = rw(["export", "ro/a.yaml", "-f", "pdf"], root)
        elsewhere = rw(["export", "ro/a.yaml", "-f", "md", "-o", "a.md"], root)
    return _outcome("read-only", "export", *refused(run, "ro/a.pdf"), (elsewhere.code == 0, "export elsewhere failed"))


@scenario("read-only", "open --sample in a read-only folder")
def _ro_sample(root: Path) -> Outcome:
    return _refused_in_empty_read_only(root, "sample", ["open", "--sample", "cv-screening"], True,
                                       "cv-screening.yaml", "folder you can write to")


# other operating-system errors -------------------------------------------------


@scenario("os-error", "a 300-character file name")
def _long_name(root: Path) -> Outcome:
    root.mkdir(parents=True, exist_ok=True)
    name = "n" * 300 + ".yaml"
    new = rw(["new", name, "-q", "eu-ai-act"], root)
    make_answers(root)
    export = rw(["export", "a.yaml", "-f", "md", "-o", "r" * 300 + ".md"], root)
    return _outcome("os-error", "long-name", *refused(new, "too long"), *refused(export, "too long"))


def _decide_with_planted(root: Path, planted: str, name: str, *needles: str) -> Outcome:
    """`decide` with a folder planted where riskwizard must put a file: refused, answers unchanged."""
    answers = make_answers(root)
    before = answers.read_bytes()
    (root / planted).mkdir()
    run = rw(["decide", "a.yaml", "--decision", "approved"], root)
    return _outcome("os-error", name, *refused(run, *needles), (answers.read_bytes() == before, "answers changed"),
                    (not leftovers(root), "temp files left"))


@scenario("os-error", "a folder where the lock file goes")
def _lock_folder(root: Path) -> Outcome:
    return _decide_with_planted(root, ".a.yaml.lock", "lock-folder", "folder", ".a.yaml.lock")


@scenario("os-error", "a folder where the .bak goes")
def _bak_folder(root: Path) -> Outcome:
    return _decide_with_planted(root, "a.yaml.bak", "bak-folder", "a.yaml.bak")


@scenario("os-error", "permission denied (another user's folder)")
def _eacces(root: Path) -> Outcome:
    answers = make_answers(root)
    before = answers.read_bytes()
    answers.chmod(0o644)
    if is_root():
        root.chmod(0o755)
        run = rw(["decide", "a.yaml", "--decision", "approved"], root, user=NOBODY)
    else:
        root.chmod(0o555)
        try:
            run = rw(["decide", "a.yaml", "--decision", "approved"], root)
        finally:
            root.chmod(0o755)
    return _outcome("os-error", "eacces", *refused(run, "permission denied", "a.yaml"),
                    (answers.read_bytes() == before, "answers changed"))


@scenario("os-error", "immutable answers file (chattr +i)")
def _immutable(root: Path) -> Outcome:
    answers = make_answers(root)
    before = answers.read_bytes()
    if not is_root() or shutil.which("chattr") is None:
        return Outcome("os-error", "immutable", True, skipped="needs root and chattr")
    if subprocess.run(["chattr", "+i", str(root)], capture_output=True, check=False).returncode != 0:
        return Outcome("os-error", "immutable", True, skipped="this file system has no immutable flag")
    try:
        run = rw(["decide", "a.yaml", "--decision", "approved"], root)
    finally:
        subprocess.run(["chattr", "-i", str(root)], capture_output=True, check=False)
    return _outcome("os-error", "immutable", *refused(run, "a.yaml", "not permitted"),
                    (answers.read_bytes() == before, "answers changed"))


def run_all(root: Path, only: set[str] | None = None) -> list[Outcome]:
    """Every scenario in its own folder below ``root`` (in this process, one at a time)."""
    results = []
    for i, (group, name, fn) in enumerate(SCENARIOS):
        if only is not None and group not in only:
            continue
        folder = root / f"s{i:02d}"
        started = time.monotonic()
        try:
            outcome = fn(folder)
        except Exception as exc:  # a broken scenario is a bad figure, never a silent pass
            outcome = Outcome(group, name, False, f"scenario raised {type(exc).__name__}: {exc}")
        outcome.name = name
        outcome.seconds = time.monotonic() - started
        results.append(outcome)
    return results
