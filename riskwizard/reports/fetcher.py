"""A WeasyPrint URL fetcher that serves only files inside allowed folders.

Answers are escaped before they reach HTML, so they cannot add ``<img>``, ``<link>`` or CSS
``url()``; this fetcher is the second line of defence, for custom templates. It refuses every
scheme except ``file:`` and every file outside the bundled assets and the user's template folder,
so nothing on the network or elsewhere on the machine is ever read into a PDF.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .weasyload import import_weasyprint

import_weasyprint("weasyprint.urls")  # WeasyPrint imported without its library search (see weasyload), then:
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402  (already loaded, so nothing is searched)

ASSETS = Path(__file__).resolve().parent / "assets"
MAX_ASSET_BYTES = 20 * 1024 * 1024


class FetchRefused(ValueError):
    """A resource outside the allowed folders was requested."""


class RestrictedFetcher(URLFetcher):
    """Serve ``file:`` URLs below ``roots``; refuse everything else (network, data, other files)."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.resolve(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"refused to fetch {url[:200]!r}: only bundled report assets may be loaded")
        mime, _ = mimetypes.guess_type(path.name)
        if path.suffix == ".ttf":
            mime = "font/ttf"
        headers_out = {"Content-Type": mime or "application/octet-stream"}
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers_out)

    def resolve(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_file() or path.stat().st_size > MAX_ASSET_BYTES:
            return None
        if not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path
