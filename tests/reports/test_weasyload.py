"""WeasyPrint is imported without its library search (riskwizard/reports/weasyload.py), in fresh processes.

Each child counts, itself, the processes it starts (``subprocess.Popen`` wrapped) and the calls that
reach the real ``ctypes.util.find_library``: nothing is mocked in riskwizard or WeasyPrint.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the shortcut applies on Linux only")

COUNTING = """
import ctypes.util
import json
import subprocess
import sys

spawned = []
searched = []
_Popen = subprocess.Popen


class CountingPopen(_Popen):
    def __init__(self, args, *rest, **kwargs):
        spawned.append(str(args))
        super().__init__(args, *rest, **kwargs)


subprocess.Popen = CountingPopen
_find_library = ctypes.util.find_library


def find_library(name):
    searched.append(name)
    return _find_library(name)


ctypes.util.find_library = find_library
"""


def _child(code: str, tmp_path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    script = tmp_path / "child.py"
    script.write_text(COUNTING + textwrap.dedent(code), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_plain_weasyprint_import_searches_for_libraries(tmp_path: Path) -> None:
    """The control: the counters see WeasyPrint's search when nothing avoids it."""
    got = _child("""
        import weasyprint
        print(json.dumps({"spawned": spawned, "searched": searched}))
    """, tmp_path)
    assert got["searched"], "WeasyPrint no longer asks find_library: the shortcut may be dropped"
    assert got["spawned"]


def test_riskwizard_pdf_imports_weasyprint_without_the_search_and_still_writes_a_pdf(tmp_path: Path) -> None:
    got = _child("""
        from riskwizard.reports.pdf import html_to_pdf
        imported = "weasyprint" in sys.modules
        pdf, warnings = html_to_pdf("<!DOCTYPE html><html lang=en><head><title>t</title></head>"
                                    "<body><h1>Heading</h1><p>Text.</p></body></html>")
        counts = {"spawned": list(spawned), "searched": list(searched)}  # before the real search below
        print(json.dumps({**counts, "imported": imported, "pdf": pdf[:5].decode(),
                          "size": len(pdf), "restored": ctypes.util.find_library is find_library,
                          "harfbuzz_subset": sys.modules["weasyprint.text.ffi"].harfbuzz_subset is not None,
                          "harfbuzz_subset_here": _find_library("harfbuzz-subset") is not None}))
    """, tmp_path)
    assert got["imported"]  # riskwizard.reports.fetcher brought WeasyPrint in at import
    assert got["spawned"] == []  # no ldconfig, gcc or ld
    assert got["searched"] == []  # the real find_library was never reached
    assert got["restored"]  # the function this process had before is back
    assert got["pdf"] == "%PDF-" and got["size"] > 1000
    assert got["harfbuzz_subset"] == got["harfbuzz_subset_here"]  # the optional library is still found


def test_batch_import_before_forking_uses_the_shortcut(tmp_path: Path) -> None:
    got = _child("""
        from riskwizard.reports.weasyload import import_weasyprint
        weasyprint = import_weasyprint()
        again = import_weasyprint()
        print(json.dumps({"spawned": spawned, "searched": searched, "same": weasyprint is again,
                          "html": hasattr(weasyprint, "HTML"), "restored": ctypes.util.find_library is find_library}))
    """, tmp_path)
    assert got == {"spawned": [], "searched": [], "same": True, "html": True, "restored": True}


def test_a_module_that_needs_the_search_is_imported_again_normally(tmp_path: Path) -> None:
    """A real module that fails without find_library (as WeasyPrint would on a system whose sonames
    differ): the failed attempt's output is dropped, the normal import succeeds, the function is restored."""
    (tmp_path / "needs_search.py").write_text(textwrap.dedent("""
        import ctypes.util
        print("installation hints that must not reach standard output")
        found = ctypes.util.find_library("c")
        if found is None:
            raise OSError("library not found")
    """), encoding="utf-8")
    got = _child("""
        sys.path.insert(0, ".")
        from riskwizard.reports.weasyload import import_weasyprint, no_library_search
        module = import_weasyprint("needs_search")
        try:
            with no_library_search():
                inside = ctypes.util.find_library("c")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        print(json.dumps({"found": module.found, "inside": inside,
                          "restored": ctypes.util.find_library is find_library}))
    """, tmp_path)
    assert got["found"]  # the normal import found libc through the real search
    assert got["inside"] is None
    assert got["restored"]  # put back after an error inside too


def test_other_threads_keep_the_real_search(tmp_path: Path) -> None:
    got = _child("""
        import threading
        from riskwizard.reports.weasyload import no_library_search
        seen = []
        with no_library_search():
            worker = threading.Thread(target=lambda: seen.append(ctypes.util.find_library("c")))
            worker.start()
            worker.join()
            mine = ctypes.util.find_library("c")
        print(json.dumps({"other": seen[0], "mine": mine}))
    """, tmp_path)
    assert got["other"] and got["mine"] is None
