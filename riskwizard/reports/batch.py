"""Export every answers file in a folder, in parallel worker processes.

One bad file never stops the others: a file that cannot be read (a FIFO, a folder, a dangling link,
no permission), that is invalid, or whose questionnaires cannot be loaded becomes a failed item
naming the file and the reason, and the rest are exported. Two inputs that would give one output
name (``a.yaml`` and ``a.yml``, or ``A.yaml`` and ``a.yaml`` on a case-insensitive disk) are
written under their full names (``a.yaml.pdf``, ``a.yml.pdf``) and a warning says so. Each output
is written by one worker only, through a temp file with a random name.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RiskwizardError
from ..safefile import DiskError, check_folder, make_folder, read_input_head
from ..termtext import error_text

_FORMAT_LINE = re.compile(rb"^format:\s*[\"']?riskwizard-answers/[12]\b", re.MULTILINE)


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


def scan_folder(folder: Path) -> tuple[list[Path], list[BatchItem]]:
    """The answers files of a folder, and failed items for ``*.yaml``/``*.yml`` entries that cannot be
    read (questionnaires and other YAML are skipped). Nothing is opened that is not a regular file."""
    found: list[Path] = []
    problems: list[BatchItem] = []
    for path in sorted({*folder.glob("*.yaml"), *folder.glob("*.yml")}):
        try:
            head = read_input_head(path, 4096)
        except DiskError as exc:
            problems.append(BatchItem(path, None, [], error_text(exc)))
            continue
        if _FORMAT_LINE.search(head):
            found.append(path)
    return found, problems


def answers_files(folder: Path) -> list[Path]:
    """The answers files in a folder (questionnaires and other YAML are skipped)."""
    return scan_folder(folder)[0]


def output_names(files: list[Path], ext: str) -> dict[Path, str]:
    """One distinct output name per input: ``<stem><ext>``, or ``<name><ext>`` where stems collide
    (compared without case, for case-insensitive disks), with ``-2``, ``-3``... if still taken."""
    counts: dict[str, int] = {}
    for f in files:
        key = (f.stem + ext).casefold()
        counts[key] = counts.get(key, 0) + 1
    names: dict[Path, str] = {}
    taken: set[str] = set()
    for f in files:
        base = f.stem if counts[(f.stem + ext).casefold()] == 1 else f.name
        name, n = base + ext, 2
        while name.casefold() in taken:
            name, n = f"{base}-{n}{ext}", n + 1
        taken.add(name.casefold())
        names[f] = name
    return names


Job = tuple[str, str, str, str | None, tuple[str, ...], tuple[str, ...], str, int | None]  # ..., appendix, max_age


def _one(job: Job) -> BatchItem:
    from . import export_file

    source, fmt, out, template_dir, search, protect, appendix, max_age = job
    try:
        report = export_file(source, fmt, out, template_dir, [Path(s) for s in search], [Path(p) for p in protect],
                             appendix=appendix, max_age=max_age)
        return BatchItem(Path(source), report.path, report.warnings)
    except RiskwizardError as exc:
        return BatchItem(Path(source), None, [], error_text(exc))
    except RecursionError:
        return BatchItem(Path(source), None, [], "error: input is nested too deeply to process")
    except MemoryError:
        return BatchItem(Path(source), None, [], "error: not enough memory to export this file")
    except Exception as exc:  # a bug must not stop the other files; it is reported with this file
        return BatchItem(Path(source), None, [], f"internal error: {type(exc).__name__}: {exc} (please report this)")


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def batch_export(folder: str | Path, fmt: str, out_dir: str | Path, processes: int = 2,
                 progress: Progress | None = None, template_dir: str | Path | None = None,
                 search: list[Path] | None = None, appendix: str = "compact",
                 max_age: int | None = None) -> list[BatchItem]:
    """Export each answers file of ``folder`` into ``out_dir``; one failure never stops the rest.

    ``progress(done, total, item)`` is called in this process as each file finishes. Results
    (failed items included) are returned in file-name order. ``search`` are the `-Q` folders;
    ``appendix`` and ``max_age`` are passed to each export as `export --appendix/--max-age` give them.
    """
    from . import EXTENSIONS, FORMATS, ExportError, get_format

    if fmt not in FORMATS:
        raise ExportError(f"unknown report format `{fmt}`", None, f"use one of: {', '.join(FORMATS)}")
    src = Path(folder)
    check_folder(src, "folder of answers files")
    files, problems = scan_folder(src)
    if not files and not problems:
        raise ExportError(f"no answers files in {src}", None,
                          "answers files start with `format: riskwizard-answers/2` (or /1, upgraded when opened)")
    dest = Path(out_dir)
    make_folder(dest)
    names = output_names(files, EXTENSIONS[fmt])
    protect = tuple(str(p) for p in files)
    search_dirs = tuple(str(s) for s in (search or []))
    jobs: list[Job] = [(str(p), fmt, str(dest / names[p]), str(template_dir) if template_dir else None,
                        search_dirs, protect, appendix, max_age) for p in files]
    renamed = {str(p): names[p] for p in files if names[p] != p.stem + EXTENSIONS[fmt]}
    results: dict[str, BatchItem] = {}
    total = len(jobs) + len(problems)
    for item in problems:
        results[str(item.source)] = item
        if progress:
            progress(len(results), total, item)

    def finished(source: str, item: BatchItem) -> None:
        if source in renamed and item.ok:
            item.warnings.insert(0, f"written as {renamed[source]}: another input has the same name without "
                                    "its extension")
        results[source] = item
        if progress:
            progress(len(results), total, item)

    if processes <= 1 or len(jobs) <= 1:
        for job in jobs:
            finished(job[0], _one(job))
    else:
        fork = "fork" in multiprocessing.get_all_start_methods()
        if fork and get_format(fmt).binary:  # the PDF renderer
            from .weasyload import import_weasyprint

            import_weasyprint()  # imported once here: the forked workers inherit it
        context = multiprocessing.get_context("fork" if fork else "spawn")
        largest_first = sorted(jobs, key=lambda job: -_size(job[0]))  # long exports first: workers finish together
        with ProcessPoolExecutor(max_workers=min(processes, len(jobs)), mp_context=context) as pool:
            futures = {pool.submit(_one, job): job[0] for job in largest_first}
            for future in as_completed(futures):
                source = futures[future]
                try:
                    item = future.result()
                except Exception as exc:  # a worker that died (killed, out of memory): that file failed
                    item = BatchItem(Path(source), None, [], f"error: the export worker failed ({exc})")
                finished(source, item)
    return [results[key] for key in sorted(results, key=lambda k: Path(k).name)]
