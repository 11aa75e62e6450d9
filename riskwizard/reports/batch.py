"""Export every answers file in a folder, in parallel worker processes."""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RiskwizardError
from ..safefile import make_folder

_FORMAT_LINE = re.compile(rb"^format:\s*[\"']?riskwizard-answers/1", re.MULTILINE)


@dataclass
class BatchItem:
    source: Path
    output: Path | None
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


Progress = Callable[[int, int, BatchItem], None]


def answers_files(folder: Path) -> list[Path]:
    """The answers files in a folder (questionnaires and other YAML are skipped)."""
    found = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            head = path.read_bytes()[:4096]
        except OSError:
            continue
        if _FORMAT_LINE.search(head):
            found.append(path)
    return found


def _one(args: tuple[str, str, str, str | None, str]) -> BatchItem:
    from . import export_file

    source, fmt, out, template_dir, appendix = args
    try:
        report = export_file(source, fmt, out, template_dir, appendix=appendix)
        return BatchItem(Path(source), report.path, report.warnings)
    except RiskwizardError as exc:
        return BatchItem(Path(source), None, [], str(exc))
    except RecursionError:
        return BatchItem(Path(source), None, [], "error: input is nested too deeply to process")


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def batch_export(folder: str | Path, fmt: str, out_dir: str | Path, processes: int = 2,
                 progress: Progress | None = None, template_dir: str | Path | None = None,
                 appendix: str = "compact") -> list[BatchItem]:
    """Export each answers file of ``folder`` to ``out_dir/<stem>.<ext>``; one failure never stops the rest.

    ``progress(done, total, item)`` is called in this process as each file finishes. Results are
    returned in file-name order.
    """
    from . import EXTENSIONS, FORMATS, ExportError

    if fmt not in FORMATS:
        raise ExportError(f"unknown report format `{fmt}`", None, f"use one of: {', '.join(FORMATS)}")
    src = Path(folder)
    if not src.is_dir():
        raise ExportError(f"{src} is not a folder", None, "give a folder of answers files")
    files = answers_files(src)
    if not files:
        raise ExportError(f"no answers files in {src}", None,
                          "answers files start with `format: riskwizard-answers/1`")
    dest = Path(out_dir)
    make_folder(dest)
    jobs = [(str(p), fmt, str(dest / (p.stem + EXTENSIONS[fmt])), str(template_dir) if template_dir else None,
             appendix) for p in files]
    results: dict[str, BatchItem] = {}
    total = len(jobs)
    if processes <= 1 or total == 1:
        for job in jobs:
            item = _one(job)
            results[job[0]] = item
            if progress:
                progress(len(results), total, item)
    else:
        fork = "fork" in multiprocessing.get_all_start_methods()
        if fork and fmt == "pdf":
            import weasyprint  # noqa: F401  (imported once here: the forked workers inherit it)
        context = multiprocessing.get_context("fork" if fork else "spawn")
        largest_first = sorted(jobs, key=lambda job: -_size(job[0]))  # long exports first: workers finish together
        with ProcessPoolExecutor(max_workers=min(processes, total), mp_context=context) as pool:
            futures = {pool.submit(_one, job): job[0] for job in largest_first}
            for future in as_completed(futures):
                item = future.result()
                results[futures[future]] = item
                if progress:
                    progress(len(results), total, item)
    return [results[job[0]] for job in jobs]
