"""Class 8: control characters from answers, questionnaires and file names never reach the terminal raw.

Every CLI command is run for real (a subprocess, real files) on inputs full of ESC/CSI/OSC
sequences, BEL, bare CR, other C0 and C1 controls, DEL, U+2028/U+2029 and bidi overrides; the
bytes printed on stdout and stderr must hold none of them (only newlines), and the escapes must be
visible instead.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from riskwizard.termtext import clean, clean_json, error_text, has_controls

FIXTURES = Path(__file__).parent / "fixtures"
# Written as YAML double-quoted escapes: \e ESC, \a BEL, \r CR, \x9b C1 CSI, \u2028 line separator...
EVIL = r"\e[2J\e]0;pwned\a\rOK\x9b31m\x7f\u2028\u202eevil\x00"
RAW_EVIL = "\x1b[2J\x1b]0;pwned\x07\rOK\x9b31m\x7f\u2028\u202eevil\x00"
# bytes that must never be printed: C0 except \n, DEL, and the UTF-8 forms of C1, U+2028/9 and bidi controls
FORBIDDEN = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


def rw(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, cwd=cwd, timeout=120)


def assert_clean(done: subprocess.CompletedProcess[bytes]) -> str:
    for stream in (done.stdout, done.stderr):
        bad = FORBIDDEN.search(stream)
        where = stream[max(0, bad.start() - 60):][:120] if bad else b""
        assert bad is None, f"raw control byte {bad.group()!r} at {bad.start()}: {where!r}"
    text = (done.stdout + done.stderr).decode("utf-8")
    assert "Traceback" not in text and "internal error" not in text, text[-2000:]
    return text


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    """A questionnaire and two answers files whose texts are full of terminal controls."""
    q = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    q = q.replace("title: Mini questionnaire", f'title: "Mini {EVIL}"')
    q = q.replace("{id: high, title: High}", f'{{id: high, title: "High {EVIL}"}}')
    q = q.replace("finding: {severity: high, title: Scores people,",
                  f'finding: {{severity: high, title: "Scores {EVIL}",')
    q = q.replace("{id: harm, title: Harm}", f'{{id: harm, title: "Harm {EVIL}"}}')
    (tmp_path / "questionnaires").mkdir()
    (tmp_path / "questionnaires" / "mini.yaml").write_text(q, encoding="utf-8")
    base = f"""format: riskwizard-answers/1
system: {{name: "Sys {EVIL}"}}
questionnaires:
  - {{id: mini, version: "1.0"}}
answers:
  mini:
    kind: {{value: scorer}}
    people: {{value: "yes"}}
    domains: {{value: [credit]}}
    notes: {{value: "NOTE {EVIL}", note: "n {EVIL}"}}
"""
    (tmp_path / "old.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(base.replace("NOTE", "CHANGED"), encoding="utf-8")
    return tmp_path


def test_score_check_diff_list_escape_everything(evil: Path) -> None:
    outputs = []
    for args in (["score", "new.yaml"], ["score", "new.yaml", "--json"], ["check", "new.yaml"],
                 ["diff", "old.yaml", "new.yaml"], ["diff", "old.yaml", "new.yaml", "--json"],
                 ["-Q", "questionnaires", "list"], ["validate", "new.yaml", "questionnaires/mini.yaml"]):
        done = rw(*args, cwd=evil)
        assert done.returncode in (0, 1), (args, done.stderr)
        outputs.append(assert_clean(done))
    joined = "\n".join(outputs)
    assert "\\x1b[2J" in joined and "\\u202e" in joined  # shown, escaped
    assert "\\x9b" in joined or "\\u009b" in joined
    json.loads(rw("score", "new.yaml", "--json", cwd=evil).stdout)  # JSON escaping keeps it valid JSON


def test_error_messages_escape_keys_values_and_file_names(evil: Path) -> None:
    bad = (evil / "new.yaml").read_text(encoding="utf-8").replace(
        "kind: {value: scorer}", f'kind: {{value: "{EVIL}"}}\n    "key{EVIL}": {{value: 1}}')
    name = "bad\x1b[31m\u2028.yaml"
    (evil / name).write_text(bad, encoding="utf-8")
    for args in (["validate", name], ["score", name], ["export", name, "-f", "md", "-o", "x.md"],
                 ["check", name, "--fail-on-tier", f"no{RAW_EVIL[:6]}"], ["score", f"missing{RAW_EVIL[:8]}.yaml"]):
        done = rw(*args, cwd=evil)
        assert done.returncode in (1, 2), (args, done.stdout, done.stderr)
        text = assert_clean(done)
        assert "error" in text.lower()


def test_usage_errors_are_escaped(evil: Path) -> None:
    done = rw("check", "new.yaml", "--fail-on", f"x{RAW_EVIL[:5]}", cwd=evil)
    assert done.returncode == 2
    assert_clean(done)


def test_markdown_on_a_terminal_is_escaped_but_exact_in_a_pipe(evil: Path) -> None:
    import os
    import pty

    piped = rw("export", "new.yaml", "-f", "md", "-o", "-", cwd=evil)
    assert piped.returncode == 0 and b"\x1b" in piped.stdout  # a pipe gets the report's exact bytes
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "riskwizard", "export", "new.yaml", "-f", "md", "-o", "-"],
                              stdout=follower, stderr=subprocess.PIPE, cwd=evil, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    shown = b"".join(chunks).replace(b"\r\n", b"\n")  # the pty turns \n into \r\n itself
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in shown and b"\\x1b" in shown and b"# Impact statement" in shown


def test_one_helper_escapes_every_kind_of_control() -> None:
    shown = clean(RAW_EVIL)
    assert not has_controls(shown) and "\n" not in shown
    assert shown.startswith("\\x1b[2J\\x1b]0;pwned\\x07\\rOK\\x9b31m\\x7f\\u2028\\u202eevil\\x00")
    assert clean("a\nb\tc", newlines=True) == "a\nb\tc" and clean("a\nb") == "a\\nb"
    assert json.loads(clean_json(json.dumps(RAW_EVIL, ensure_ascii=False))) == RAW_EVIL
    from riskwizard.errors import Location, SchemaError

    text = error_text(SchemaError(f"bad {RAW_EVIL}", Location(f"f{RAW_EVIL}.yaml", 3), f"fix\n{RAW_EVIL}"))
    assert text.count("\n") == 1 and not has_controls(text)
