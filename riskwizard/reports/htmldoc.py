"""HTML rendering with Jinja2: autoescaped, strict, sandboxed; templates can be overridden by name.

Answers are only ever passed as data. Templates come from the package and, first, from the
user's ``--template-dir`` (institution branding); both are autoescaped in every file, whatever
its extension (``select_autoescape`` would miss ``.html.j2``).

A template folder is untrusted input, so:

- a template is read only from inside the folder: a name with ``..`` is not found, and a file that
  resolves outside the folder (a symlink) is refused; FIFOs and devices are never opened
  (:func:`riskwizard.safefile.read_input`), and a template is at most 1 MiB;
- every error names ``template:line`` (syntax errors, undefined names, errors while rendering);
- expressions that would take unbounded time or memory end with a clear error: ``range`` is capped
  (Jinja's sandbox), ``*``, ``**``, ``+``, ``%`` and ``~`` refuse results over 10 million items,
  padding and format widths are capped, recursion depth is Python's, the HTML output is capped,
  and a user template may execute at most 3 million template lines (a large report needs about
  30,000).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from .. import __version__
from ..errors import Location, RiskwizardError, display_path
from ..views import UNANSWERED
from . import charts

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAIN = "report.html.j2"

MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_VALUE_LENGTH = 10_000_000  # characters (or items) an operator, filter or method may produce
MAX_WIDTH = 100_000  # padding, indent, wrapping and format widths
MAX_POWER_BITS = 100_000
MAX_OUTPUT_CHARS = 64 * 1024 * 1024
MAX_TEMPLATE_LINES = 3_000_000  # template lines executed while rendering with a user template folder
MAX_SECONDS = 60.0


class TemplateProblem(RiskwizardError):
    """A (custom) report template could not be loaded or rendered."""


class TemplateLimit(TemplateProblem):
    """A template expression would take too much time or memory."""


def paragraphs(text: Any) -> Markup:
    """Plain text -> escaped <p> paragraphs (blank lines) with <br> for single line breaks."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", str(text or "")) if b.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
                           for b in blocks)


def lines(text: Any) -> Markup:
    """Plain text with line breaks kept (for table cells)."""
    return Markup("<br>").join(escape(line) for line in str(text or "").strip().split("\n"))


# --------------------------------------------------------------------------- loading


class FolderLoader(BaseLoader):
    """Templates from the user's folder: only files inside it, read without following them out."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        from ..safefile import DiskError, read_input

        pieces = split_template_path(template)  # refuses `..` (TemplateNotFound)
        path = self.folder.joinpath(*pieces)
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.folder):
            raise TemplateProblem(f"template `{template}` resolves outside the template folder (to {real})",
                                  Location(display_path(path)),
                                  "copy the file into the template folder instead of linking to it")
        try:
            raw = read_input(real, MAX_TEMPLATE_BYTES)
        except DiskError as exc:
            raise TemplateProblem(f"template `{template}`: {exc.message}", exc.location, exc.fix) from None
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise TemplateProblem(f"template `{template}` is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                  Location(display_path(path), line), "save the template as UTF-8") from None
        mtime = os.stat(real).st_mtime_ns
        return source, str(path), lambda: _mtime(real) == mtime

    def list_templates(self) -> list[str]:
        return sorted(str(p.relative_to(self.folder)) for p in self.folder.rglob("*") if p.is_file())


def _mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


# --------------------------------------------------------------------------- limits


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict | set) else 0


def _limit(what: str) -> TemplateLimit:
    return TemplateLimit(f"{what}; the report templates allow at most {MAX_VALUE_LENGTH:,} characters or items "
                         f"in one value", None, "simplify the template (see the bundled templates)")


def _check_result(value: Any) -> Any:
    if _size(value) > MAX_VALUE_LENGTH:
        raise _limit(f"an expression made a value of {_size(value):,} characters or items")
    return value


_BIG_WIDTH = re.compile(r"(?:[%:][^%:{}]*?)(\d{6,})")


def _check_format(fmt: Any) -> None:
    if isinstance(fmt, str):
        for match in _BIG_WIDTH.finditer(fmt):
            if int(match.group(1)) > MAX_WIDTH:
                raise TemplateLimit(f"a format width of {int(match.group(1)):,}; at most {MAX_WIDTH:,} is allowed",
                                    None, "use a smaller width")


def _check_width(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
        raise TemplateLimit(f"{what} of {value:,}; at most {MAX_WIDTH:,} is allowed", None, "use a smaller value")


_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"}
_WIDTH_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "tojson", "pprint"}


def _growth(text: Any, old: Any, new: Any) -> int:
    """The most characters ``text.replace(old, new)`` can make."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    return (len(text) // max(len(old), 1) + 1) * max(len(new), 1)


def _joined(items: Any, sep: Any) -> int:
    """The most characters joining ``items`` with ``sep`` can make (items of unknown size count as 1)."""
    if not isinstance(sep, str) or not hasattr(items, "__len__"):
        return 0
    count = len(items)
    known = sum(len(i) for i in items if isinstance(i, str)) if isinstance(items, list | tuple) else count
    return count * len(sep) + known


def _is_iterator(value: Any) -> bool:
    return hasattr(value, "__next__") or (hasattr(value, "__iter__") and not hasattr(value, "__len__"))


def _materialise(items: Any) -> Any:
    """A generator as a list of at most MAX_VALUE_LENGTH items (so its joined size can be checked)."""
    if not _is_iterator(items):
        return items
    out = list(itertools.islice(iter(items), MAX_VALUE_LENGTH + 1))
    if len(out) > MAX_VALUE_LENGTH:
        raise _limit(f"a sequence of more than {MAX_VALUE_LENGTH:,} items")
    return out


def _check_growth(size: int, what: str) -> None:
    if size > MAX_VALUE_LENGTH:
        raise _limit(f"`{what}` would make up to {size:,} characters")


def _bounded_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = [*args, *kwargs.values()]
        if name in _WIDTH_FILTERS:
            for value in values[1:]:
                _check_width(value, f"`{name}` width")
        texts = [v for v in args if isinstance(v, str)]
        if name == "format" and values:
            _check_format(values[0])
        elif name == "replace" and len(texts) >= 3:
            _check_growth(_growth(*texts[-3:]), "replace")
        elif name == "indent" and texts:
            width = next((v for v in values[1:] if isinstance(v, int) and not isinstance(v, bool)), 4)
            _check_growth(texts[0].count("\n") * max(width, 1) + len(texts[0]), "indent")
        elif name == "wordwrap" and texts:
            wrap = kwargs.get("wrapstring") or (texts[1] if len(texts) > 1 else "\n")
            width = next((v for v in values if isinstance(v, int) and not isinstance(v, bool)), 79)
            _check_growth(len(texts[0]) + len(texts[0]) // max(width, 1) * len(str(wrap)), "wordwrap")
        elif name == "join":
            args = tuple(_materialise(v) if _is_iterator(v) else v for v in args)
            items = next((v for v in args if hasattr(v, "__len__") and not isinstance(v, str)), None)
            sep = kwargs.get("d", texts[0] if texts else "")
            _check_growth(_joined(items, sep), "join")
        return _check_result(fn(*args, **kwargs))

    wrapper.__dict__.update(getattr(fn, "__dict__", {}))  # keeps Jinja's pass_context / pass_eval_context markers
    wrapper.__name__ = getattr(fn, "__name__", name)
    return wrapper


class _LimitedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so that the result is checked like the other operators'."""

    def visit_Concat(self, node: Any, frame: Any) -> None:  # noqa: N802 (Jinja's visitor naming)
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with limits on what one expression may allocate."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if _size(seq) and isinstance(n, int) and _size(seq) * n > MAX_VALUE_LENGTH:
                    raise _limit(f"`*` would make {_size(seq) * n:,} characters or items")
        elif operator == "**":
            if (isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
                    and abs(left).bit_length() * right > MAX_POWER_BITS):
                raise TemplateLimit(f"`**` would make a number of about {abs(left).bit_length() * right:,} bits",
                                    None, "use smaller numbers")
        elif operator == "%":
            _check_format(left)
        return _check_result(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str):
            if name in _WIDTH_METHODS:
                for value in (*args, *kwargs.values()):
                    _check_width(value, f"`{name}` width")
            if name in ("format", "format_map"):
                _check_format(owner)
            elif name == "replace" and len(args) >= 2:
                _check_growth(_growth(owner, args[0], args[1]), "replace")
            elif name == "join" and args:
                args = (_materialise(args[0]), *args[1:])
                _check_growth(_joined(args[0], owner), "join")
        return _check_result(super().call(__context, __obj, *args, **kwargs))

    def checked_concat(self, value: Any) -> Any:
        return _check_result(value)


def make_env(template_dir: str | Path | None = None) -> LimitedEnvironment:
    """The Jinja environment (cached per folder; Jinja reloads templates whose files changed)."""
    if template_dir is not None:
        from ..safefile import DiskError, check_folder

        try:
            folder = check_folder(template_dir, "template folder")
        except DiskError as exc:
            raise TemplateProblem(exc.message, exc.location,
                                  "give a folder containing templates such as report.html.j2 or report.css") from None
        return _env(str(folder.resolve()))
    return _env(None)


@lru_cache(maxsize=16)
def _env(folder: str | None) -> LimitedEnvironment:
    loaders: list[BaseLoader] = []
    if folder is not None:
        loaders.append(FolderLoader(Path(folder)))
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    env = LimitedEnvironment(
        loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        # Jinja's optimizer folds constant expressions while compiling; the bundled templates have
        # almost none, and without it each export compiles them about a sixth faster (the output is
        # the same: the golden reports are unchanged)
        optimized=False)
    env.filters = {name: _bounded_filter(name, fn) for name, fn in env.filters.items()}
    env.filters["paragraphs"] = paragraphs
    env.filters["lines"] = lines
    env.globals["UNANSWERED"] = UNANSWERED
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


# --------------------------------------------------------------------------- rendering


class _Budget:
    """Counts template lines executed (``sys.settrace`` in this thread only, template frames only)."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        self.prefixes = prefixes
        self.lines = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def _global(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code.co_filename.startswith(self.prefixes):
            return self._local
        return None

    def _local(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            self.lines += 1
            if self.lines > MAX_TEMPLATE_LINES or (self.lines & 0xFFF == 0 and time.monotonic() > self.deadline):
                raise TemplateLimit(f"the templates ran more than {MAX_TEMPLATE_LINES:,} template lines "
                                    f"(or {MAX_SECONDS:.0f} s)", None,
                                    "look for loops over large ranges or nested loops in the template")
        return self._local

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        previous = sys.gettrace()
        sys.settrace(self._global)
        try:
            yield
        finally:
            sys.settrace(previous)


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
    folders = [str(TEMPLATES)] + ([str(Path(template_dir).resolve())] if template_dir is not None else [])
    budget = _Budget(tuple(folders)) if template_dir is not None else None
    try:
        template = env.get_template(MAIN)
        with budget.active() if budget is not None else contextlib.nullcontext():
            html = _collect(template.generate(context))
        return break_long_words(html) if for_pdf else html
    except TemplateProblem as exc:
        if exc.location is None:
            exc.location = _template_location(exc, folders) or (
                Location(display_path(template_dir)) if template_dir is not None else None)
        raise
    except TemplateError as exc:
        where = _template_location(exc, folders) or _syntax_location(exc)
        raise TemplateProblem(f"report template error: {exc.message or exc}", where,
                              "check the templates in --template-dir against the bundled ones") from None
    except RecursionError as exc:
        raise TemplateLimit("the templates recurse too deeply (a macro calling itself?)",
                            _template_location(exc, folders), "remove the recursion from the template") from None
    except MemoryError:
        raise TemplateLimit("the templates need more memory than is available", None,
                            "look for very large values made in the template") from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        if template_dir is None:
            raise  # a bug in the bundled templates: not the user's problem to fix
        raise TemplateProblem(f"report template error: {type(exc).__name__}: {exc}",
                              _template_location(exc, folders),
                              "check the templates in --template-dir against the bundled ones") from None


# Text outside tags (and outside <style>/<script>): WeasyPrint's line breaking takes time that grows
# with the square of a word's length (a 20,000-character word: 30 s), so runs of 100 or more
# characters without a space get an invisible break opportunity (U+200B) every 50 characters.
_TAG = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<[^>]*>)", re.S | re.I)
_LONG_RUN = re.compile(r"(?:&[#\w]+;|[^\s<&]){100,}")
_CHUNK = re.compile(r"(?:&[#\w]+;|[^\s<&]){50}")
BREAK = "\u200b"


def break_long_words(html: str) -> str:
    """``html`` with a zero-width space every 50 characters of text runs that have no space (for PDF)."""
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):
        if len(parts[i]) >= 100:
            parts[i] = _LONG_RUN.sub(lambda m: _CHUNK.sub(lambda c: c.group() + BREAK, m.group()), parts[i])
    return "".join(parts)


def _collect(chunks: Iterator[str]) -> str:
    out: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT_CHARS:
            raise TemplateLimit(f"the report would be larger than {MAX_OUTPUT_CHARS:,} characters of HTML", None,
                                "look for loops that repeat output in the template")
        out.append(chunk)
    return "".join(out)


def _template_location(exc: BaseException, folders: list[str]) -> Location | None:
    """The innermost template line in the exception's traceback (Jinja rewrites it to template lines)."""
    found: Location | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(tuple(folders)) and not filename.endswith(".py"):
            found = Location(display_path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _syntax_location(exc: TemplateError) -> Location | None:
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    lineno = getattr(exc, "lineno", None)
    if filename:
        return Location(display_path(filename), lineno)
    return None
