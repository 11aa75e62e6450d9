"""Reports: render an assessment in one of the formats of :data:`FORMAT_TABLE`.

    render(doc, specs, fmt, template_dir=None) -> bytes
    export_file(answers_path, fmt, out_path, template_dir=None, search=None) -> ExportReport  (out_path "-": stdout)
    batch_export(folder, fmt, out_dir, processes=2, progress=None) -> list[BatchItem]

Every format is rendered from one report model (:mod:`.model`); the same input always gives the
same bytes. Adding a format is one module with a ``render(job) -> (bytes, warnings)`` function and
one row in :data:`FORMAT_TABLE`; nothing else dispatches on format names.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers import AnswersDoc, file_sha256
from ..errors import Location, RiskwizardError, display_path
from ..loader import Spec
from ..safefile import check_input, make_folder, same_file, writable_target, write_file, write_stdout
from ..termtext import clean


@dataclass(frozen=True)
class RenderJob:
    """Everything a renderer may use: the report model first, the answers and questionnaires behind it."""

    model: dict[str, Any]
    doc: AnswersDoc
    specs: list[Spec]
    template_dir: Path | None = None


Rendered = tuple[bytes, list[str]]  # the document's bytes and warnings for the user


@dataclass(frozen=True)
class Format:
    """One row of the renderer table."""

    name: str  # the value of `export -f`
    extension: str  # suffix of the default output file (ANSWERS stem + extension)
    summary: str  # one line for help texts and the README
    renderer: str  # "module:function" inside riskwizard.reports, imported only when this format is used
    file_name: str = ""  # the output's name when -o names a folder (e.g. README.md); default stem + extension
    backup: bool = False  # keep the replaced file as <name>.bak (for outputs people edit by hand)
    binary: bool = False  # not text: `-o -` prints it only when standard output is not a terminal

    def load(self) -> Callable[[RenderJob], Rendered]:
        module, _, function = self.renderer.partition(":")
        renderer: Callable[[RenderJob], Rendered] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return renderer

    def output_name(self, stem: str) -> str:
        return self.file_name or stem + self.extension


FORMAT_TABLE: tuple[Format, ...] = (
    Format("pdf", ".pdf", "PDF impact statement for an ethics committee", "builtin:pdf", binary=True),
    Format("html", ".html", "the same report as a self-contained web page", "builtin:html"),
    Format("md", ".md", "the same report in Markdown", "builtin:markdown"),
    Format("tex", ".tex", "LaTeX broader impact statement and the NeurIPS paper checklist", "latex:render"),
    Format("acl-checklist", ".acl-checklist.tex", "ACL Rolling Review Responsible NLP Research checklist in LaTeX",
           "acl_checklist:render"),
    Format("json", ".json", "the report model as JSON", "builtin:json_model"),
    Format("hf-card", ".README.md", "Hugging Face model card (README.md with YAML metadata)", "hf_card:render",
           file_name="README.md", backup=True),
)
FORMATS: tuple[str, ...] = tuple(f.name for f in FORMAT_TABLE)
EXTENSIONS: dict[str, str] = {f.name: f.extension for f in FORMAT_TABLE}
_BY_NAME = {f.name: f for f in FORMAT_TABLE}


class ExportError(RiskwizardError):
    """A report could not be written."""


@dataclass
class ExportReport:
    path: Path
    warnings: list[str] = field(default_factory=list)


def get_format(fmt: str) -> Format:
    """The table row of ``fmt``; an unknown name is a user error."""
    try:
        return _BY_NAME[fmt]
    except (KeyError, TypeError):
        raise ExportError(f"unknown report format `{fmt}`", None, f"use one of: {', '.join(FORMATS)}") from None


def render(doc: AnswersDoc, specs: list[Spec], fmt: str, template_dir: str | Path | None = None,
           answers_sha256: str | None = None, appendix: str = "compact") -> bytes:
    """Render an assessment; returns the document's bytes. ``appendix``: "compact" or "full"."""
    return render_with_warnings(doc, specs, fmt, template_dir, answers_sha256, appendix)[0]


def render_with_warnings(doc: AnswersDoc, specs: list[Spec], fmt: str, template_dir: str | Path | None = None,
                         answers_sha256: str | None = None, appendix: str = "compact",
                         max_age: int | None = None) -> Rendered:
    from .model import APPENDIX_MODES, build_model

    renderer = get_format(fmt).load()
    if appendix not in APPENDIX_MODES:
        raise ExportError(f"unknown appendix mode `{appendix}`", None, f"use one of: {', '.join(APPENDIX_MODES)}")
    model = build_model(doc, specs, answers_sha256, appendix=appendix, max_age=max_age)
    return renderer(RenderJob(model, doc, specs, Path(template_dir) if template_dir is not None else None))


STDOUT = "-"  # `-o -`: print the report on standard output
TEXT_FORMATS = tuple(f.name for f in FORMAT_TABLE if not f.binary)  # what `-o -` prints on a terminal too


def export_file(answers_path: str | Path, fmt: str, out_path: str | Path, template_dir: str | Path | None = None,
                search: list[Path] | None = None, protect: list[Path] | None = None,
                appendix: str = "compact", max_age: int | None = None) -> ExportReport:
    """Load an answers file with its questionnaires and write one report.

    ``out_path`` ``"-"`` prints the report on standard output (a binary format such as PDF only
    when that is not a terminal; text formats shown on a terminal have their controls escaped).
    The output is checked before anything is rendered: it must be a regular file or a new name in
    a folder that can be written to, never a symlink, device, FIFO or folder, and never
    one of the inputs (the answers file, a questionnaire it loads, a template of ``template_dir``,
    or any of ``protect``), whatever path, link or ``..`` names it. ``appendix`` is ``"compact"`` or
    ``"full"`` (``--appendix``).
    """
    from ..assessment import open_assessment

    row = get_format(fmt)
    path = Path(answers_path)
    check_input(path)
    to_stdout = str(out_path) == STDOUT
    target = Path(STDOUT)
    if to_stdout:
        if row.binary and sys.stdout.isatty():
            raise ExportError("a PDF is binary data and would garble the terminal", Location("<stdout>"),
                              "redirect standard output (`-o - > report.pdf`, `-o - | lp`) or give `-o FILE.pdf`")
    else:
        out = Path(out_path)
        make_folder(out.parent if str(out.parent) else Path("."))
        target = writable_target(out)  # before the (slow) rendering: a bad target is reported at once
    assessment = open_assessment(path, search, strict=True)  # like `score`: a bad answer is an error, never dropped
    if not to_stdout:
        measured = [Path(m.read_from) for m in assessment.doc.measured.values() if m.read_from]  # CodeCarbon files
        _refuse_inputs(target, path, [Path(s.path) for s in assessment.specs], template_dir,
                       [*(protect or []), *measured])
    data, warnings = render_with_warnings(assessment.doc, assessment.specs, fmt, template_dir, file_sha256(path),
                                          appendix, max_age)
    if to_stdout:
        write_stdout(clean(data.decode("utf-8"), newlines=True).encode("utf-8")
                     if not row.binary and sys.stdout.isatty() else data)
        return ExportReport(target, [*assessment.notices, *warnings])
    write_file(target, data, backup=row.backup)
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


def __getattr__(name: str) -> Any:
    """``BatchItem`` and ``batch_export`` load the batch exporter (multiprocessing) only when asked for:
    exporting one file never needs it."""
    if name in ("BatchItem", "batch_export"):
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["EXTENSIONS", "FORMATS", "FORMAT_TABLE", "STDOUT", "TEXT_FORMATS", "BatchItem", "ExportError",
           "ExportReport", "Format", "RenderJob", "Rendered", "batch_export", "export_file", "get_format", "render",
           "render_with_warnings"]
