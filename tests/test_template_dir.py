"""Class 7: a --template-dir is untrusted input. Real exports through the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "cv-screening.yaml"


def rw(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=180)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copy(SAMPLE, tmp_path / "a.yaml")
    (tmp_path / "t").mkdir()
    return tmp_path


def export_with(work: Path, template: str, name: str = "cover.html.j2") -> subprocess.CompletedProcess[str]:
    (work / "t" / name).write_text(template, encoding="utf-8")
    return rw("export", "a.yaml", "-f", "html", "-o", "out.html", "--template-dir", "t", cwd=work)


def refused(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    for needle in needles:
        assert needle in done.stderr, done.stderr


def test_a_good_override_is_used(work: Path) -> None:
    done = export_with(work, '<section class="cover"><h1>Ours: {{ r.system.name }}</h1></section>\n')
    assert done.returncode == 0, done.stderr
    assert "Ours: TalentSift" in (work / "out.html").read_text(encoding="utf-8")


def test_a_template_linking_outside_the_folder_is_refused(work: Path) -> None:
    secret = work / "secret.txt"
    secret.write_text("TOP SECRET {{ r.system.name }}", encoding="utf-8")
    (work / "t" / "cover.html.j2").symlink_to(secret)
    done = rw("export", "a.yaml", "-f", "html", "-o", "out.html", "--template-dir", "t", cwd=work)
    refused(done, "resolves outside the template folder", "t/cover.html.j2")
    assert not (work / "out.html").exists()


def test_dotdot_in_an_include_is_not_found(work: Path) -> None:
    (work / "outside.html.j2").write_text("OUTSIDE", encoding="utf-8")
    done = export_with(work, '{% include "../outside.html.j2" %}')
    refused(done, "t/cover.html.j2:1")
    assert not (work / "out.html").exists()


def test_a_fifo_template_is_refused_without_blocking(work: Path) -> None:
    os.mkfifo(work / "t" / "cover.html.j2")
    done = rw("export", "a.yaml", "-f", "html", "-o", "out.html", "--template-dir", "t", cwd=work)
    refused(done, "named pipe", "cover.html.j2")


@pytest.mark.parametrize(("template", "line", "needle"), [
    ("<p>\n{% if %}\n", 2, "Expected an expression"),
    ("<p>\n\n{{ r.no_such_thing }}", 3, "no_such_thing"),
    ("<p>{{ 1 / 0 }}", 1, "ZeroDivisionError"),
    ("{% for x in r.questionnaires %}\n{{ x.nope.deeper }}{% endfor %}", 2, "nope"),
], ids=["syntax", "undefined", "zero-division", "in-a-loop"])
def test_template_errors_name_template_and_line(work: Path, template: str, line: int, needle: str) -> None:
    refused(export_with(work, template), f"t/cover.html.j2:{line}:", needle)


@pytest.mark.parametrize(("template", "needle"), [
    ('{{ "x" * 10**10 }}', "`*` would make"),
    ("{{ 10 ** 10000000 }}", "`**` would make"),
    ("{{ (range(100000)|list) * 1000 }}", "`*` would make"),
    ('{% set ns = namespace(s="xx") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
     "characters or items"),
    ('{{ "x"|center(1000000000) }}', "width"),
    ('{{ "%0999999999d" % 1 }}', "format width"),
    ('{{ "{:>999999999}".format(1) }}', "format width"),
    ('{{ range(100000)|join("x" * 10000) }}', "`join` would make"),
    ('{{ ("x" * 10000).join(range(100000)|map("string")) }}', "`join` would make"),
    ('{{ ("a\n" * 1000000)|indent(100000) }}', "`indent` would make"),
    ('{{ r.system.name|replace("", "x" * 1000000) }}', "`replace` would make"),
    ("{{ range(10000000) }}", "Range too big"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "recurse too deeply"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "template lines"),
    ('{% for i in range(100000) %}{{ "y" * 1000 }}{% endfor %}', "characters of HTML"),
], ids=["str-mul", "pow", "list-mul", "concat-doubling", "center", "percent-width", "format-width", "join-filter",
        "join-method", "indent", "replace", "range", "recursion", "nested-loops", "output"])
def test_expensive_expressions_end_with_a_clear_error(work: Path, template: str, needle: str) -> None:
    done = export_with(work, template)
    refused(done, needle, "t: " if needle == "characters of HTML" else "t/cover.html.j2")  # the folder, or the line
    assert not (work / "out.html").exists()
