"""Reports: render an assessment as PDF, HTML, Markdown, LaTeX or JSON.

    render(doc, specs, fmt, template_dir=None) -> bytes
    export_file(answers_path, fmt, out_path, template_dir=None) -> ExportReport
    batch_export(folder, fmt, out_dir, processes=2, progress=None) -> list[BatchItem]

All formats are rendered from one report model (:mod:`.model`); the same input always gives the
same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..answers import AnswersDoc, file_sha256
from ..errors import AnswersError, RiskwizardError
from ..loader import Spec
from ..safefile import make_folder, write_file

FORMATS = ("pdf", "html", "md", "tex", "json")
EXTENSIONS = {"pdf": ".pdf", "html": ".html", "md": ".md", "tex": ".tex", "json": ".json"}


class ExportError(RiskwizardError):
    """A report could not be written."""


@dataclass
class ExportReport:
    path: Path
    warnings: list[str] = field(default_factory=list)


def render(doc: AnswersDoc, specs: list[Spec], fmt: str, template_dir: str | Path | None = None,
           answers_sha256: str | None = None, appendix: str = "compact") -> bytes:
    """Render an assessment; returns the document's bytes. ``appendix``: "compact" or "full"."""
    return render_with_warnings(doc, specs, fmt, template_dir, answers_sha256, appendix)[0]


def render_with_warnings(doc: AnswersDoc, specs: list[Spec], fmt: str, template_dir: str | Path | None = None,
                         answers_sha256: str | None = None, appendix: str = "compact") -> tuple[bytes, list[str]]:
    from .model import APPENDIX_MODES, build_model

    if fmt not in FORMATS:
        raise ExportError(f"unknown report format `{fmt}`", None, f"use one of: {', '.join(FORMATS)}")
    if appendix not in APPENDIX_MODES:
        raise ExportError(f"unknown appendix mode `{appendix}`", None, f"use one of: {', '.join(APPENDIX_MODES)}")
    model = build_model(doc, specs, answers_sha256, appendix=appendix)
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


def export_file(answers_path: str | Path, fmt: str, out_path: str | Path, template_dir: str | Path | None = None,
                search: list[Path] | None = None, appendix: str = "compact") -> ExportReport:
    """Load an answers file with its questionnaires and write one report."""
    from ..assessment import open_assessment

    path = Path(answers_path)
    if not path.is_file():
        raise AnswersError(f"{path}: no such answers file", None, "give the path of an answers .yaml file")
    assessment = open_assessment(path, search, strict=True)  # like `score`: a bad answer is an error, never dropped
    data, warnings = render_with_warnings(assessment.doc, assessment.specs, fmt, template_dir, file_sha256(path),
                                          appendix)
    out = Path(out_path)
    make_folder(out.parent)
    write_file(out, data)
    return ExportReport(out, [*assessment.notices, *warnings])


from .batch import BatchItem, batch_export  # noqa: E402  (uses export_file)

__all__ = ["EXTENSIONS", "FORMATS", "BatchItem", "ExportError", "ExportReport", "batch_export", "export_file",
           "render", "render_with_warnings"]
