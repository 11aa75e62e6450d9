"""Reports: render an assessment as PDF, HTML, Markdown, LaTeX or JSON.

    render(doc, specs, fmt, template_dir=None) -> bytes
    export_file(answers_path, fmt, out_path, template_dir=None, search=None) -> ExportReport  (out_path "-": stdout)
    batch_export(folder, fmt, out_dir, processes=2, progress=None) -> list[BatchItem]

All formats are rendered from one report model (:mod:`.model`); the same input always gives the
same bytes.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..answers import AnswersDoc, file_sha256
from ..errors import Location, RiskwizardError, display_path
from ..loader import Spec
from ..safefile import check_input, make_folder, same_file, writable_target, write_file, write_stdout
from ..termtext import clean

FORMATS = ("pdf", "html", "md", "tex", "json")
EXTENSIONS = {"pdf": ".pdf", "html": ".html", "md": ".md", "tex": ".tex", "json": ".json"}


class ExportError(RiskwizardError):
    """A report could not be written."""


@dataclass
class ExportReport:
    path: Path
    warnings: list[str] = field(default_factory=list)


def render(doc: AnswersDoc, specs: list[Spec], fmt: str, template_dir: str | Path | None = None,
           answers_sha256: str | None = None) -> bytes:
    """Render an assessment; returns the document's bytes."""
    return render_with_warnings(doc, specs, fmt, template_dir, answers_sha256)[0]


def render_with_warnings(doc: AnswersDoc, specs: list[Spec], fmt: str, template_dir: str | Path | None = None,
                         answers_sha256: str | None = None) -> tuple[bytes, list[str]]:
    from .model import build_model

    if fmt not in FORMATS:
        raise ExportError(f"unknown report format `{fmt}`", None, f"use one of: {', '.join(FORMATS)}")
    model = build_model(doc, specs, answers_sha256)
    if fmt == "json":
        text = json.dumps(model, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        return text.encode("utf-8"), []
    if fmt == "md":
        from .markdown import render_md

        return render_md(model).encode("utf-8"), []
    if fmt == "tex":
        from .latex import render_tex

        return render_tex(model).encode("utf-8"), []
    from .htmldoc import render_html

    html = render_html(model, template_dir, for_pdf=fmt == "pdf")
    if fmt == "html":
        return html.encode("utf-8"), []
    from .pdf import html_to_pdf

    return html_to_pdf(html, template_dir)


STDOUT = "-"  # `-o -`: print the report on standard output
TEXT_FORMATS = ("md", "tex", "json", "html")


def export_file(answers_path: str | Path, fmt: str, out_path: str | Path, template_dir: str | Path | None = None,
                search: list[Path] | None = None, protect: list[Path] | None = None) -> ExportReport:
    """Load an answers file with its questionnaires and write one report.

    ``out_path`` ``"-"`` prints the report on standard output (a PDF only when that is not a
    terminal). The output is checked before anything is rendered: it must be a regular file or a
    new name in a folder that can be written to, never a symlink, device, FIFO or folder, and never
    one of the inputs (the answers file, a questionnaire it loads, a template of ``template_dir``,
    or any of ``protect``), whatever path, link or ``..`` names it.
    """
    from ..assessment import open_assessment

    if fmt not in FORMATS:
        raise ExportError(f"unknown report format `{fmt}`", None, f"use one of: {', '.join(FORMATS)}")
    path = Path(answers_path)
    check_input(path)
    to_stdout = str(out_path) == STDOUT
    target = Path(STDOUT)
    if to_stdout:
        if fmt == "pdf" and sys.stdout.isatty():
            raise ExportError("a PDF is binary data and would garble the terminal", Location("<stdout>"),
                              "redirect standard output (`-o - > report.pdf`, `-o - | lp`) or give `-o FILE.pdf`")
    else:
        out = Path(out_path)
        make_folder(out.parent if str(out.parent) else Path("."))
        target = writable_target(out)  # before the (slow) rendering: a bad target is reported at once
    assessment = open_assessment(path, search, strict=True)  # like `score`: a bad answer is an error, never dropped
    if not to_stdout:
        _refuse_inputs(target, path, [Path(s.path) for s in assessment.specs], template_dir, protect or [])
    data, warnings = render_with_warnings(assessment.doc, assessment.specs, fmt, template_dir, file_sha256(path))
    if to_stdout:
        write_stdout(clean(data.decode("utf-8"), newlines=True).encode("utf-8")
                     if fmt != "pdf" and sys.stdout.isatty() else data)
        return ExportReport(target, [*assessment.notices, *warnings])
    write_file(target, data)
    return ExportReport(target, [*assessment.notices, *warnings])


def _refuse_inputs(target: Path, answers: Path, questionnaires: list[Path], template_dir: str | Path | None,
                   protect: list[Path]) -> None:
    """An export never replaces a file it reads (compared by device and inode, not by name)."""
    if not os.path.lexists(target):
        return
    candidates: list[tuple[str, Path]] = [("the answers file being exported", answers)]
    candidates += [("a questionnaire this export loads", q) for q in questionnaires]
    candidates += [("an input of this export", p) for p in protect]
    if template_dir is not None:
        candidates += [("a template of --template-dir", p) for p in _files_below(Path(template_dir))]
    for what, candidate in candidates:
        if same_file(target, candidate):
            raise ExportError(f"refusing to write the report over {what} ({display_path(candidate)})",
                              Location(display_path(target)), "choose another output name with -o")


def _files_below(folder: Path, limit: int = 2000) -> list[Path]:
    found: list[Path] = []
    for root, _dirs, files in os.walk(folder):
        found += [Path(root) / f for f in files]
        if len(found) > limit:
            break
    return found


from .batch import BatchItem, batch_export  # noqa: E402  (uses export_file)

__all__ = ["EXTENSIONS", "FORMATS", "STDOUT", "TEXT_FORMATS", "BatchItem", "ExportError", "ExportReport",
           "batch_export", "export_file", "render", "render_with_warnings"]
