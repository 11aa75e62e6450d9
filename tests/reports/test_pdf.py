"""The PDF read back with pypdf: sections, length, no embedded files, reproducible bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskwizard.assessment import open_assessment
from riskwizard.reports import export_file, render

from .conftest import FIXTURES, ROOT, answers_files, case_id
from .pdfcheck import embedded_problems, reader, text

SECTIONS = ["Contents", "1 Executive summary", "Risk profile", "False positives and false negatives",
            "Broader impact statement", "NeurIPS paper checklist", "Model card summary", "Ethics committee review",
            "Appendix A Every answer", "Appendix B Rule trace", "Appendix C Sources",
            "Appendix D Versions and checksums"]


def _flat(s: str) -> str:
    return " ".join(s.split())


def test_full_fixture_sections_and_content(full_pdf: tuple[bytes, list[str]]) -> None:
    data, _ = full_pdf
    body = _flat(text(data))
    for heading in SECTIONS:
        assert heading in body, heading
    assert "Moderate error costs" in body  # overall tier in plain words
    assert "TriageNet: chest X-ray triage (fixture)" in body
    assert "Dr. Ada Example" in body and "2026-02-03" in body and "Development" in body
    assert "4,680" in body and "240" in body  # FP and FN counts
    assert "Missed cases cause serious harm" in body and "Fixture guideline §4" in body
    assert "Please report recall for portable X-rays" in body
    assert "Approved with conditions" in body
    assert "Left unanswered, so this statement says nothing about: privacy considerations" in body
    assert "Page 3 of" in body  # page numbers
    assert len(reader(data).pages) >= 8


def test_table_of_contents_has_page_numbers(full_pdf: tuple[bytes, list[str]]) -> None:
    toc = reader(full_pdf[0]).pages[1].extract_text()
    lines = [ln for ln in toc.splitlines() if "Executive summary" in ln]
    assert lines and lines[0].rstrip()[-1].isdigit()


def test_no_embedded_files(full_pdf: tuple[bytes, list[str]]) -> None:
    assert embedded_problems(full_pdf[0]) == []


def test_fonts_are_the_bundled_ones(full_pdf: tuple[bytes, list[str]]) -> None:
    r = reader(full_pdf[0])
    fonts = set()
    for page in r.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert fonts and all(f.startswith("RW-") for f in fonts), fonts


def test_metadata_has_no_dates(full_pdf: tuple[bytes, list[str]]) -> None:
    info = reader(full_pdf[0]).metadata or {}
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert info.get("/Title", "").startswith("Impact statement:")


def test_deterministic_bytes(full_pdf: tuple[bytes, list[str]], tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    export_file(FIXTURES / "full.yaml", "pdf", again)
    assert again.read_bytes() == full_pdf[0]


def test_render_api_returns_same_bytes_twice() -> None:
    a = open_assessment(FIXTURES / "sparse.yaml", strict=False)
    first = render(a.doc, a.specs, "pdf")
    assert first.startswith(b"%PDF-") and first == render(a.doc, a.specs, "pdf")
    body = _flat(text(first))
    assert "No foreseeable societal consequence" in body
    assert "says nothing about" in body


SAMPLES = [p for p in answers_files() if p.parent != FIXTURES]


@pytest.mark.parametrize("answers", SAMPLES, ids=[case_id(p) for p in SAMPLES])
def test_sample_pdfs(answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    export_file(answers, "pdf", out)
    data = out.read_bytes()
    body = _flat(text(data))
    for heading in ("1 Executive summary", "Ethics committee review", "Appendix A Every answer"):
        assert heading in body
    result = open_assessment(answers, strict=False).evaluate()
    if result.overall_tier:
        assert _flat(result.overall_tier.title) in body
    assert embedded_problems(data) == []
    assert len(reader(data).pages) > 5
    chapters = _chapter_pages(data)
    starts = sorted(chapters.values())
    summary = chapters["1 Executive summary"]
    after_summary = min(p for p in starts if p > summary)
    assert after_summary - summary <= 2, f"executive summary runs {after_summary - summary} pages"
    body = chapters["Appendix A Every answer"] - summary
    assert body <= 20, f"body runs {body} pages"


def _chapter_pages(data: bytes) -> dict[str, int]:
    """Top-level bookmarks (chapters and appendices) and the page each starts on."""
    r = reader(data)
    return {item.title: r.get_destination_page_number(item) + 1 for item in r.outline if not isinstance(item, list)}


def _structure(data: bytes) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The structure tree read back: (tag, alt text) of figures, and how often each tag occurs."""
    from collections import Counter

    from pypdf.generic import ArrayObject, DictionaryObject

    counts: Counter[str] = Counter()
    figures: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, DictionaryObject):
            return
        tag = node.get("/S")
        if tag is not None:
            counts[str(tag)] += 1
            if tag == "/Figure":
                figures.append((str(tag), str(node.get("/Alt", ""))))
        if "/K" in node:
            walk(node["/K"])

    root = reader(data).trailer["/Root"]
    walk(root["/StructTreeRoot"].get_object()["/K"])
    return figures, dict(counts)


@pytest.mark.parametrize("answers", [ROOT / "samples" / "cv-screening.yaml", FIXTURES / "full.yaml"],
                         ids=["cv-screening", "fixture-full"])  # both have charts (risk profiles, error costs)
def test_pdf_ua_structure_tree_language_and_title(answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "ua.pdf"
    export_file(answers, "pdf", out)
    data = out.read_bytes()
    r = reader(data)
    root = r.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) is True  # a pypdf BooleanObject
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert (r.metadata or {}).get("/Title", "").startswith("Impact statement:")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp and "<dc:title>" in xmp
    figures, counts = _structure(data)
    assert counts.get("/H1", 0) >= 6 and counts.get("/H2", 0) >= 6  # chapters and their sections are headings
    for tag in ("/Table", "/THead", "/TR", "/TH", "/TD", "/P", "/L", "/LI"):
        assert counts.get(tag, 0) > 0, tag
    assert all(alt.strip() for _, alt in figures), figures  # any figure has a text alternative
    assert counts.get("/Caption", 0) >= 3  # charts are data tables with captions (read as data, not as images)
    assert counts.get("/TFoot", 0) >= 3  # ... whose axis is the table foot


def test_garbage_collector_settings_restored_after_a_pdf() -> None:
    """The render runs the collector less often (frozen objects, a larger young generation), then restores it."""
    import gc

    from riskwizard.reports.pdf import GC_THRESHOLD, html_to_pdf

    before = gc.get_threshold()
    assert before != GC_THRESHOLD
    frozen = gc.get_freeze_count()
    data, _ = html_to_pdf("<!DOCTYPE html><html lang=en><head><title>t</title></head><body><p>x</p></body></html>")
    assert data.startswith(b"%PDF")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
