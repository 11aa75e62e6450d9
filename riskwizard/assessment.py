"""Open an answers file together with the questionnaires it names."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .answers import AnswersDoc, load_answers, reconcile
from .engine import AssessmentResult, evaluate_assessment
from .errors import AnswersError, ErrorGroup, RiskwizardError
from .facts import check_definitions
from .loader import Spec, find_questionnaire, load_catalogue
from .yamlsafe import SourcedYaml


@dataclass
class Assessment:
    path: Path
    doc: AnswersDoc
    specs: list[Spec]
    src: SourcedYaml | None = None
    notices: list[str] = field(default_factory=list)
    # questionnaire id -> the version the file recorded before it was reconciled (reconcile updates the refs)
    recorded: dict[str, str] = field(default_factory=dict)

    def evaluate(self) -> AssessmentResult:
        return evaluate_assessment(self.doc, self.specs)


def questionnaire_ids(doc: AnswersDoc) -> list[str]:
    ids = [ref.id for ref in doc.questionnaires]
    ids += [qid for qid in doc.answers if qid not in ids]
    return ids


def _refuse_duplicates(doc: AnswersDoc, src: SourcedYaml | None) -> None:
    """Answers are keyed by questionnaire id, so one id may be listed only once."""
    first: dict[str, int] = {}
    for i, ref in enumerate(doc.questionnaires):
        if ref.id in first:
            line = src.where(("questionnaires", first[ref.id], "id")).line if src is not None else None
            first_on = f" (first on line {line})" if line else ""
            raise AnswersError(f"questionnaire `{ref.id}` is listed twice{first_on}",
                               src.where(("questionnaires", i, "id")) if src is not None else None,
                               "remove one of the two entries (answers are kept per questionnaire id)")
        first[ref.id] = i


def resolve_specs(doc: AnswersDoc, src: SourcedYaml | None, search: list[Path],
                  bases: list[Path] | None = None) -> list[Spec]:
    _refuse_duplicates(doc, src)
    specs = []
    for i, qid in enumerate(questionnaire_ids(doc)):
        ref = doc.ref(qid)
        try:
            if ref is not None and ref.path:
                tried = [folder / ref.path for folder in (bases or [Path.cwd()])]
                found = next((path for path in tried if os.path.lexists(path)), tried[0])
                specs.append(find_questionnaire(str(found), search))
            else:
                specs.append(find_questionnaire(qid, search, expect=(ref.version, ref.sha256) if ref else None))
        except AnswersError:
            raise
        except RiskwizardError as exc:  # a SchemaError without location: say which line named it
            where = None
            if src is not None:
                named = i < len(doc.questionnaires) and doc.questionnaires[i].id == qid
                where = src.where(("questionnaires", i, "id")) if named else src.where_key(("answers", qid))
            if exc.location is not None and exc.location.line:  # a problem inside the questionnaire file
                named_at = f"; the answers file names this questionnaire at {where}" if where else ""
                raise AnswersError(exc.message, exc.location, exc.fix + named_at) from None
            message = exc.message
            if (exc.location is not None and where is not None and exc.location.path != where.path
                    and exc.location.path not in message):
                message = f"{exc.location.path}: {message}"  # a questionnaire file that cannot be read
            raise AnswersError(message, where or exc.location, exc.fix) from None
    clashes = check_definitions(specs, load_catalogue().facts)
    if clashes:
        raise ErrorGroup(clashes)
    if not specs:
        raise AnswersError("the answers file names no questionnaire",
                           src.where(("questionnaires",)) if src else None,
                           "add `questionnaires: [{id: eu-ai-act, version: '1.0.0'}]`")
    return specs


def questionnaire_folders(answers: Path, search: list[Path] | None) -> list[Path]:
    """Where the questionnaires of the answers file ``answers`` are looked for, before the bundled ones:
    the ``-Q`` folders, then the ``questionnaires/`` folder beside the file."""
    return [*(search or []), answers.parent / "questionnaires"]


def paths_bases(answers: Path) -> list[Path]:
    """The folders a questionnaire path recorded in an answers file may be relative to, in the order
    tried: the file's own folder (a path written by hand beside a symlinked file), then the real file's
    folder (where riskwizard records paths, and where the lock and backups of a symlinked file live)."""
    real = Path(os.path.realpath(answers)).parent
    return [answers.parent] if real == Path(os.path.realpath(answers.parent)) else [answers.parent, real]


def open_assessment(path: str | Path, search: list[Path] | None = None, strict: bool = True,
                    loaded: tuple[AnswersDoc, SourcedYaml] | None = None) -> Assessment:
    """Load answers, find their questionnaires (next to the file, in ``search``, then bundled), reconcile.

    With ``strict`` an invalid value for an unchanged questionnaire is an error naming its line;
    otherwise such answers move to ``orphaned`` (nothing is ever dropped). ``loaded`` is the file as
    the caller has just read it (``load_answers(path)``), so it is not read twice.
    """
    p = Path(path)
    doc, src = loaded if loaded is not None else load_answers(p)
    folders = questionnaire_folders(p, search)
    specs = resolve_specs(doc, src, folders, paths_bases(p))
    recorded = {ref.id: ref.version for ref in doc.questionnaires}
    notices = reconcile(doc, specs, src, strict=strict)
    notices += _read_measurements(doc, specs, p.parent, strict)
    return Assessment(p, doc, specs, src, notices, recorded)


def _read_measurements(doc: AnswersDoc, specs: list[Spec], base: Path, strict: bool) -> list[str]:
    """Read the CodeCarbon files the answers name (relative to the answers file) into ``doc.measured``.

    Strict callers (score, check, export) stop at a bad file with its file:line and fix; the wizard
    opens anyway, keeps the estimate and says why in a notice.
    """
    from .codecarbon import load_measurements, measured_facts

    wanted = measured_facts(specs)
    if not wanted:
        return []
    try:
        doc.set_measured(load_measurements(doc.facts, wanted, base))
    except RiskwizardError as exc:
        if strict:
            raise
        doc.set_measured({})
        return [f"the measured emissions are not used, the estimate is: {exc}"]
    return []
