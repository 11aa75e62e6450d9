"""Class 10: bounded cost. Length caps checked at load with file:line, a large questionnaire's checks
stay within their budget, maximal values give a PDF of bounded size, and answer text never makes
Markdown structure. No timed assertions: bounds are on pages, bytes and evaluation counts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from riskwizard import loader
from riskwizard.models import MAX_LABEL, MAX_NAME, MAX_TEXT

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "cv-screening.yaml"
sys.path.insert(0, str(ROOT / "tools"))
from gen_large_questionnaire import questionnaire  # noqa: E402


def rw(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskwizard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("where", "limit"), [
    (("system", "name"), MAX_NAME), (("system", "organisation"), MAX_NAME), (("assessor",), MAX_NAME),
    (("system", "description"), MAX_TEXT), (("review", "conditions"), MAX_TEXT),
], ids=lambda v: ".".join(v) if isinstance(v, tuple) else str(v))
def test_answers_fields_over_their_cap_are_refused_with_file_line(tmp_path: Path, where: tuple[str, ...],
                                                                    limit: int) -> None:
    import yaml

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    node = data
    for key in where[:-1]:
        node = node.setdefault(key, {})
    node[where[-1]] = "x" * (limit + 1)
    bad = yaml.safe_dump(data, sort_keys=False, width=10**9)
    (tmp_path / "a.yaml").write_text(bad, encoding="utf-8")
    line = _line_of(bad, f"{where[-1]}: xxx")
    for command in (["validate", "a.yaml"], ["export", "a.yaml", "-f", "pdf", "-o", "a.pdf"]):
        done = rw(*command, cwd=tmp_path)
        assert done.returncode in (1, 2), done.stderr
        assert f"a.yaml:{line}:" in done.stderr and f"at most {limit} are allowed" in done.stderr, done.stderr
    assert not (tmp_path / "a.pdf").exists()


def test_the_40000_character_system_name_is_refused_before_any_pdf_work(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    start = next(line for line in text.splitlines() if line.startswith("  name: "))
    (tmp_path / "a.yaml").write_text(text.replace(start, f"  name: '{'N' * 40_000}'", 1), encoding="utf-8")
    done = rw("export", "a.yaml", "-f", "pdf", cwd=tmp_path)
    assert done.returncode == 2 and "at most 500" in done.stderr
    assert not (tmp_path / "a.pdf").exists()


def test_questionnaire_texts_over_their_cap_name_the_line(tmp_path: Path) -> None:
    base = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
    for old, limit in (("title: Mini questionnaire", MAX_NAME), ("label: Scores people", MAX_LABEL),
                       ("prompt: Anything else?", MAX_TEXT)):
        key = old.split(":")[0]
        bad = base.replace(old, f"{key}: {'y' * (limit + 1)}", 1)
        (tmp_path / "q.yaml").write_text(bad, encoding="utf-8")
        done = rw("validate", "q.yaml", cwd=tmp_path)
        assert done.returncode == 1
        assert f"q.yaml:{_line_of(bad, key + ': yyy')}:" in done.stderr and f"at most {limit}" in done.stderr


def test_decide_options_over_their_cap_are_usage_errors(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.yaml")
    before = (tmp_path / "a.yaml").read_bytes()
    done = rw("decide", "a.yaml", "--decision", "approved", "--comment", "c" * (MAX_TEXT + 1), cwd=tmp_path)
    assert done.returncode == 2 and "--comment" in done.stderr and "at most 20,000" in done.stderr
    assert (tmp_path / "a.yaml").read_bytes() == before


# --------------------------------------------------------------------------- load-time checks


def test_a_large_worst_case_questionnaire_is_valid_and_its_check_stays_in_budget(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(questionnaire(2000, 400, "worst"), encoding="utf-8")
    budgets: list[loader.CheckBudget] = []
    original = loader.CheckBudget

    def recording(remaining: int) -> loader.CheckBudget:
        budget = original(remaining)
        budgets.append(budget)
        return budget

    monkeypatch.setattr(loader, "CheckBudget", recording)
    monkeypatch.setenv("RISKWIZARD_NO_CACHE", "1")
    spec = loader.load_questionnaire(path)
    assert len(spec.questions()) == 2000 and len(spec.model.rules) == 400
    assert len(budgets) == 1 and 0 <= budgets[0].remaining < loader.CHECK_BUDGET  # spent, never overdrawn
    # without the budget, these 400 rules would need 400 x 16,384 evaluations
    assert loader.CHECK_BUDGET < 400 * 4**7 // 100


def test_independent_comparisons_are_checked_one_by_one() -> None:
    """A contradiction in one part of a big condition is still found, however many parts it has."""
    parts = ", ".join(f"{{q: q{i}, op: eq, value: 'yes'}}" for i in range(40))
    text = questionnaire(60, 1, "typical").replace(
        "rules:\n", f"rules:\n  - {{id: never, when: {{all: [{parts}, {{q: q3, op: eq, value: 'no'}}]}}, "
                    "score: {d: 1}}\n", 1)
    with pytest.raises(Exception, match="rule `never` can never fire"):
        loader.load_questionnaire_text(text, "big-and.yaml")


def test_a_chain_of_when_conditions_longer_than_the_recursion_limit(tmp_path: Path) -> None:
    text = questionnaire(3000, 1, "typical")
    spec = loader.load_questionnaire_text(text, "chain.yaml")
    assert len(spec.questions()) == 3000
    looped = text.replace("id: q0, type: yesno, prompt: Q0}", "id: q0, type: yesno, prompt: Q0, "
                                                                "when: {q: q2999, op: answered}}", 1)
    with pytest.raises(Exception, match="circular `when:` conditions"):
        loader.load_questionnaire_text(looped, "loop.yaml")


# --------------------------------------------------------------------------- PDF cost


def test_maximal_names_and_unbroken_text_give_a_bounded_pdf() -> None:
    """Every name at its cap (repeated in page headers) and 20,000-character words: pages grow with the
    text once, never with the header; unbroken runs get break opportunities (WeasyPrint's cost for a
    long word grows with its square)."""
    from pypdf import PdfReader

    from riskwizard.answers import Comment, new_doc
    from riskwizard.loader import find_questionnaire
    from riskwizard.reports import render

    specs = [find_questionnaire("model-card")]
    small = new_doc(specs, "Small")
    baseline = len(PdfReader(io.BytesIO(render(small, specs, "pdf"))).pages)
    big = new_doc(specs, "N" * MAX_NAME, assessor="A" * MAX_NAME)
    big.system.organisation = "O" * MAX_NAME
    big.system.version = "V" * MAX_NAME
    big.system.description = "D" * MAX_TEXT
    big.review.conditions = "C" * MAX_TEXT
    big.review.comments.append(Comment(by="B" * MAX_NAME, date="2026-01-01", text="T " * (MAX_TEXT // 2)))
    pdf = render(big, specs, "pdf")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    # 60,000 characters of text are ~35 pages; the headers add nothing per page
    assert baseline < pages <= baseline + 45, (baseline, pages)
    assert len(pdf) < 2_000_000


def test_break_long_words_only_touches_long_runs_of_text() -> None:
    from riskwizard.reports.htmldoc import BREAK, break_long_words

    html = ('<p title="' + "a" * 300 + '">' + "x" * 230 + " short " + "&amp;" * 120 + "</p>"
            "<style>.c{background:url(" + "b" * 300 + ")}</style>" + "y" * 99)
    out = break_long_words(html)
    assert 'title="' + "a" * 300 in out and "b" * 300 in out  # tags and styles untouched
    assert out.endswith("y" * 99)  # under 100: untouched
    text = re.sub(r"&[#\w]+;", "&", re.sub(r"<[^>]*>", "", out.split("<style>")[0]))  # an entity is one character
    assert all(len(run) <= 50 for part in text.split() for run in part.split(BREAK))
    assert out.count("&amp;") == 120 and "&am" + BREAK not in out  # entities stay whole


# --------------------------------------------------------------------------- Markdown structure

HOSTILE = [
    "Title\n===", "Title\r===", "text\n---", "a\r- item", "- item", "+ item", "1. item", "1) item", "# heading",
    "> quote", "| a | b |\n|---|---|", "x | y", "<div>html</div>", "```\ncode\n```", "~~~\ncode", "    indented",
    "para\n\n    code block", "***", "___", "[link](http://x)", "![img](http://x/i.png)", "<http://auto>",
    "*em* _em_ `code`", "$math$", "&lt;entity", "\\*escaped", "a\u2028b", "line  \nbreak", "<!-- comment -->",
    "[ref]: http://x", "2026-01-01\n=", "=", "-", "*",
]


def _structure(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    shape = []
    for tok in tokens:
        shape.append(tok.type)
        for child in tok.children or []:
            if child.type == "html_inline" and child.content == "<br>":
                continue  # how table cells keep a line break (both texts may or may not have one)
            if child.type not in ("text", "softbreak", "hardbreak"):
                shape.append("inline:" + child.type)
    return shape


def test_answer_text_never_creates_markdown_structure() -> None:
    """The same report with every user text hostile and with the same texts made of plain words: the
    Markdown parses to the same structure (no extra heading, list, table, code, quote or HTML)."""
    from riskwizard.assessment import open_assessment
    from riskwizard.reports import render

    def filled(text_for: object) -> str:
        a = open_assessment(SAMPLE)
        doc = a.doc
        n = 0

        def t() -> str:
            nonlocal n
            n += 1
            return text_for(n)  # type: ignore[operator]

        doc.system.name, doc.system.description, doc.system.organisation = t(), t(), t()
        doc.assessor, doc.review.conditions = t(), t()
        for c in doc.review.comments:
            c.text, c.by = t(), t()
        for spec in a.specs:
            for q in spec.questions():
                answer = doc.answers.get(spec.id, {}).get(q.id)
                if answer is None:
                    continue
                answer.note = t()
                if q.type == "text" and isinstance(answer.value, str):
                    answer.value = t()
                if q.type == "group" and isinstance(answer.value, list):
                    fields = {f.id: f for f in q.fields}
                    for row in answer.value:
                        for key, value in row.items():
                            if isinstance(value, str) and fields[key].type == "text":
                                row[key] = t()
        return render(doc, a.specs, "md").decode("utf-8")

    hostile = filled(lambda n: HOSTILE[n % len(HOSTILE)])
    # the same texts with every word replaced by a plain one: the same lines, blank lines and spaces
    plain = filled(lambda n: re.sub(r"\S+", "plain", HOSTILE[n % len(HOSTILE)]))
    assert _structure(hostile) == _structure(plain)
    assert "\r" not in hostile
