"""Import WeasyPrint without its slow library search on Linux (every import of WeasyPrint in riskwizard goes here).

WeasyPrint's ``text/ffi.py`` opens each C library (GObject, Pango, HarfBuzz, fontconfig...) by trying
several names, Windows- and macOS-style ones first (``libgobject-2.0-0``, ``gobject-2.0-0``, ...), and
cffi answers each name that does not load by calling ``ctypes.util.find_library``, which on Linux
runs ``ldconfig -p``, ``gcc`` and ``ld`` in child processes: about 16 of them, a quarter of a second
of CPU for every process that imports WeasyPrint. On Linux ``find_library`` only ever returns a
soname, and WeasyPrint's lists also hold each library's exact soname (``libgobject-2.0.so.0``...),
which ``dlopen`` loads directly without asking ``find_library``; so while WeasyPrint is imported
:func:`no_library_search` makes ``find_library`` answer "not found" at once, and nothing is lost.

If the import fails anyway (a system whose libraries have other sonames, found only by the search),
:func:`import_weasyprint` imports it again the normal way, so such setups still work (only slower).
One limit: an *optional* library (HarfBuzz-Subset) with an unusual soname is not found under the
shortcut, and WeasyPrint then subsets fonts with fontTools and says so in a warning.

This module uses the standard library only, so the PDF benchmark can load it by its path for its
like-for-like floor without importing riskwizard.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
import threading
from collections.abc import Iterator
from types import ModuleType

_LOCK = threading.RLock()  # one patch at a time, so the real function is always the one restored


@contextlib.contextmanager
def no_library_search() -> Iterator[None]:
    """While inside, ``ctypes.util.find_library`` answers None at once on Linux (for this thread;
    other threads still get the real search). The real function is put back on exit, also on error.
    Elsewhere (macOS, Windows, where the search finds real paths) this does nothing."""
    if not sys.platform.startswith("linux"):
        yield
        return
    with _LOCK:
        real = ctypes.util.find_library
        me = threading.get_ident()

        def find_library(name: str) -> str | None:
            if threading.get_ident() != me:
                return real(name)
            return None

        ctypes.util.find_library = find_library
        try:
            yield
        finally:
            ctypes.util.find_library = real


def import_weasyprint(module: str = "weasyprint") -> ModuleType:
    """``importlib.import_module(module)`` (``weasyprint`` or one of its submodules) under
    :func:`no_library_search`; if that import fails, the import is tried again normally.

    What the failed attempt prints (WeasyPrint prints installation hints on standard output when a
    library cannot be opened) is dropped, so that a PDF written to standard output stays intact; the
    normal attempt prints and raises as WeasyPrint always does.
    """
    loaded = sys.modules.get(module)
    if loaded is not None:
        return loaded
    try:
        with no_library_search(), contextlib.redirect_stdout(io.StringIO()):
            return importlib.import_module(module)
    except Exception:  # e.g. OSError from cffi: a library WeasyPrint needs was not opened under the shortcut
        return importlib.import_module(module)
