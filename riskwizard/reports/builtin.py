"""Renderers of the report formats whose layout lives in other modules (rows of ``FORMAT_TABLE``).

Each function takes a :class:`~riskwizard.reports.RenderJob` and returns ``(bytes, warnings)``.
The heavy imports (Jinja2, WeasyPrint) happen only when their format is asked for.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Rendered, RenderJob


def json_model(job: RenderJob) -> Rendered:
    text = json.dumps(job.model, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return text.encode("utf-8"), []


def markdown(job: RenderJob) -> Rendered:
    from .markdown import render_md

    return render_md(job.model).encode("utf-8"), []


def html(job: RenderJob) -> Rendered:
    from .htmldoc import render_html

    return render_html(job.model, job.template_dir, for_pdf=False).encode("utf-8"), []


def pdf(job: RenderJob) -> Rendered:
    from .htmldoc import render_html
    from .pdf import html_to_pdf

    return html_to_pdf(render_html(job.model, job.template_dir, for_pdf=True), job.template_dir)
