"""HTML rendering with Jinja2: autoescaped, strict, sandboxed; templates can be overridden by name.

Answers are only ever passed as data. Templates come from the package and, first, from the
user's ``--template-dir`` (institution branding); both are autoescaped in every file, whatever
its extension (``select_autoescape`` would miss ``.html.j2``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from .. import __version__
from ..errors import RiskwizardError
from . import charts

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAIN = "report.html.j2"


class TemplateProblem(RiskwizardError):
    """A (custom) report template could not be loaded or rendered."""


def paragraphs(text: Any) -> Markup:
    """Plain text -> escaped <p> paragraphs (blank lines) with <br> for single line breaks."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", str(text or "")) if b.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
                           for b in blocks)


def lines(text: Any) -> Markup:
    """Plain text with line breaks kept (for table cells)."""
    return Markup("<br>").join(escape(line) for line in str(text or "").strip().split("\n"))


def make_env(template_dir: str | Path | None = None) -> ImmutableSandboxedEnvironment:
    """The Jinja environment (cached per folder; Jinja reloads templates whose files changed)."""
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise TemplateProblem(f"template folder {folder} does not exist", None,
                                  "give a folder containing templates such as report.html.j2 or report.css")
        return _env(str(folder.resolve()))
    return _env(None)


@lru_cache(maxsize=16)
def _env(folder: str | None) -> ImmutableSandboxedEnvironment:
    loaders = []
    if folder is not None:
        loaders.append(FileSystemLoader(folder))
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["paragraphs"] = paragraphs
    env.filters["lines"] = lines
    return env


def user_asset(template_dir: str | Path | None) -> Any:
    """Template function: a file: URL for an image or stylesheet in the user's template folder."""

    def asset(name: str) -> str:
        if template_dir is None:
            return ""
        folder = Path(template_dir).resolve()
        path = (folder / str(name)).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            return ""
        return path.as_uri()

    return asset


def _band_caption(q: dict[str, Any]) -> str:
    """The result and the scale of bands in words: "Result: Severe (bands, most serious first: ...)"."""
    if not q.get("tier"):
        return ""
    levels = ", ".join(lvl["title"] for lvl in q.get("levels", []))
    tier = q["tier"]
    return f"{tier['label']}: {tier['title']}. {tier['because_text']} Bands, most serious first: {levels}."


def render_html(model: dict[str, Any], template_dir: str | Path | None = None, for_pdf: bool = False) -> str:
    env = make_env(template_dir)
    context = {
        "r": model,
        "for_pdf": for_pdf,
        "generator": f"riskwizard {__version__}",
        "user_asset": user_asset(template_dir),
        "risk_charts": [
            {"id": q["id"], "title": q["title"], "svg": charts.risk_profile(q["scores"], q["title"]),
             "caption": _band_caption(q)}
            for q in model["questionnaires"] if q["scores"]
        ],
        "error_chart": charts.error_chart(model["error_costs"]) if model.get("error_costs") else None,
    }
    try:
        return env.get_template(MAIN).render(context)
    except TemplateError as exc:
        where = f" ({exc.name}:{exc.lineno})" if getattr(exc, "lineno", None) and getattr(exc, "name", None) else ""
        raise TemplateProblem(f"report template error{where}: {exc.message or exc}", None,
                              "check the templates in --template-dir against the bundled ones") from None
