"""Reading PDFs back for tests: text, embedded files, attachments, every decompressed stream."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in reader(data).pages)


def embedded_problems(data: bytes) -> list[str]:
    """Embedded files or file-attachment annotations anywhere in the PDF."""
    r = reader(data)
    problems = []
    names = r.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        problems.append("/EmbeddedFiles in the name tree")
    for i, page in enumerate(r.pages):
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/Subtype") == "/FileAttachment":
                problems.append(f"/FileAttachment annotation on page {i + 1}")
    if b"/EmbeddedFile" in all_bytes(data):
        problems.append("/EmbeddedFile object")
    return problems


def all_bytes(data: bytes) -> bytes:
    """The raw file plus every object, streams decompressed, to search for leaked content."""
    r = reader(data)
    chunks = [data]
    size = int(r.trailer.get("/Size", 0))
    for num in range(1, size):
        try:
            obj: Any = r.get_object(num)
        except Exception:
            continue
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
        elif obj is not None:
            chunks.append(repr(obj).encode("utf-8", "replace"))
    return b"\n".join(chunks)
