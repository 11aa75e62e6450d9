"""PDF output: the report HTML laid out by WeasyPrint, fetch-restricted and byte-for-byte reproducible."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import threading
import types
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..collector import COMMAND_THRESHOLD
from .fetcher import ASSETS, RestrictedFetcher
from .weasyload import import_weasyprint

_LOG_LOCK = threading.Lock()
# fontTools (WeasyPrint's font subsetter when HarfBuzz-Subset is missing) stamps the current time
# into each embedded font's `head` table unless SOURCE_DATE_EPOCH is set; a fixed value keeps
# PDFs reproducible (a value the user sets is respected).
FIXED_EPOCH = "946684800"  # 2000-01-01T00:00:00Z
_FONTTOOLS_NOTE = "Using fontTools instead of HarfBuzz-Subset"
ZLIB_LEVEL = 3
GC_THRESHOLD = COMMAND_THRESHOLD  # while a PDF is laid out: see _fewer_collections


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not break the export
            message = str(record.msg)
        if message.startswith(_FONTTOOLS_NOTE):
            message = ("HarfBuzz-Subset is not installed, so fonts are subset with the slower fontTools; "
                       "install libharfbuzz-subset0 (or your system's HarfBuzz-Subset package) for faster PDFs")
        if message not in self.messages:
            self.messages.append(message)


def html_to_pdf(html: str, template_dir: str | Path | None = None) -> tuple[bytes, list[str]]:
    """Lay out ``html``; returns the PDF bytes and WeasyPrint's warnings.

    Only files in the bundled assets (and ``template_dir``) can be loaded. Attachments are
    removed whatever the template says, and the PDF identifier is derived from the content so
    that the same HTML always gives the same bytes (WeasyPrint writes no dates unless the HTML
    has dcterms.created/modified metadata, which the bundled templates do not).
    """
    HTML = import_weasyprint().HTML  # imported late: it is slow to import and only PDFs need it

    roots = [ASSETS] + ([Path(template_dir)] if template_dir is not None else [])
    fetcher = RestrictedFetcher(roots)
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    with _LOG_LOCK:
        logger.addHandler(handler)
        saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if saved_epoch is None:
            os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
        try:
            with _fewer_collections():
                document = HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=fetcher).render()
                _strip_attachments(document)
                identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
                with _zlib_level(ZLIB_LEVEL):
                    pdf = document.write_pdf(pdf_identifier=identifier, pdf_variant="pdf/ua-1")
                del document
        finally:
            logger.removeHandler(handler)
            if saved_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
    warnings = list(handler.messages)
    for url in fetcher.refused:
        note = f"refused to load {url[:120]} (only bundled report assets may be loaded)"
        if note not in warnings:
            warnings.append(note)
    assert isinstance(pdf, bytes)
    return pdf, warnings


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while WeasyPrint lays out and writes a PDF.

    Layout allocates hundreds of thousands of small objects (boxes, styles, Pango wrappers), and
    with the default thresholds the collector keeps rescanning all of them, and every object the
    imports left behind, for little garbage: about a tenth of the export's time. The objects alive
    before the render are frozen (never scanned meanwhile) and the young generation is collected
    every 50,000 allocations instead of 700; on exit the thresholds and the frozen objects are
    restored (a caller's own frozen objects stay frozen), so a long-lived process (the wizard, a
    batch worker) collects as before.
    """
    saved = gc.get_threshold()
    ours = gc.get_freeze_count() == 0  # a caller's own frozen objects are left frozen
    if ours:
        gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        if ours:
            gc.unfreeze()


@contextlib.contextmanager
def _zlib_level(level: int) -> Iterator[None]:
    """Compress the PDF's streams at ``level`` instead of pydyf's fixed 9.

    pydyf (WeasyPrint's PDF writer) calls ``zlib.compressobj(level=9)`` for every stream. Level 3 is
    as deterministic; on llm-paper's 24 pages it compresses in about 30 ms instead of 75-95 ms at
    level 6 (zlib's default; itself a quarter faster than 9), for a file of 337 KB instead of 295 KB
    (level 1: about 20 ms, 365 KB).
    If pydyf stops using a module-level ``zlib``, this does nothing.
    """
    import pydyf

    real = getattr(pydyf, "zlib", None)
    if real is not zlib:
        yield
        return

    def compressobj(*args: Any, **kwargs: Any) -> Any:
        kwargs["level"] = level
        return zlib.compressobj(*args, **kwargs)

    pydyf.zlib = types.SimpleNamespace(compressobj=compressobj, compress=zlib.compress)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        pydyf.zlib = real  # type: ignore[attr-defined]


def _strip_attachments(document: Any) -> None:
    """No embedded files, ever: drop <link rel=attachment> and <a rel=attachment> targets."""
    document.metadata.attachments = []
    document.metadata.created = None
    document.metadata.modified = None
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
