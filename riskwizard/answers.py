"""The answers file: a human-readable, git-friendly YAML record of an assessment.

Saving is atomic (temp file, fsync, ``os.replace``, directory fsync) and keeps the previous
version as ``.bak``. A lock file keeps a second riskwizard from writing the same file. Answers
that no longer match their questionnaire are moved to ``orphaned``, never dropped.

Format 2 stores each shared fact once under ``facts:``; old answers that disagreed when a file of
format 1 was upgraded are kept, every value, under ``conflicts:`` until the user picks one (see
:mod:`.migrate`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, Field, PlainSerializer, PrivateAttr

from .answermap import QuestionnaireAnswers
from .answervalues import Answer, ConflictValue, Orphan, _Model, check_value, free_key
from .errors import AnswersError, ErrorGroup, Location, RiskwizardError, display_path
from .models import Name, OptionalText, PathText, Stamp
from .safefile import (
    DiskError,
    FileLock,
    folder_writable,
    leftover_temps,
    read_input,
    remove_file,
    restore_from,
    save_problem,
    write_file,
)
from .yamlsafe import SourcedYaml, load_yaml_file, load_yaml_text

if TYPE_CHECKING:
    from .loader import Spec

FORMAT = "riskwizard-answers/2"
FORMAT_V1 = "riskwizard-answers/1"
FORMATS = (FORMAT, FORMAT_V1)
STAGE_FACT = "lifecycle_stage"  # format 1 kept the stage at the top of the file
FACTS_ORPHANS = "_facts"  # key of `orphaned` for shared facts whose value no longer fits
MAX_ANSWERS_BYTES = 8 * 1024 * 1024
STAGES = ("design", "development", "deployment")
HEADER = (
    "# riskwizard answers file (edit with care; `riskwizard validate` checks it).\n"
    "# `unknown: true` means \"don't know\". In group rows, a field set to null means \"don't know\".\n"
)


class QuestionnaireRef(_Model):
    id: Name
    version: Name
    sha256: Stamp = ""
    path: PathText = ""  # for questionnaires that are not bundled: relative to the answers file


class SystemInfo(_Model):
    name: Name = ""
    description: OptionalText = ""
    version: Name = ""
    organisation: Name = ""


class Comment(_Model):
    by: Name = ""
    date: Stamp = ""
    text: OptionalText


def _date_or_empty(value: str) -> str:
    """An optional date: "" or YYYY-MM-DD of the calendar."""
    if value == "":
        return value
    try:
        if len(value) != 10:
            raise ValueError(value)
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"`{value}` is not a date like 2027-06-30 (YYYY-MM-DD)") from None
    return value


OptionalDate = Annotated[Stamp, AfterValidator(_date_or_empty)]


REVIEW_OPTIONAL = ("reviewed", "reviewer", "review_by")


class Review(_Model):
    comments: list[Comment] = Field(default_factory=list)
    decision: Literal["", "approved", "approved_with_conditions", "revise", "rejected"] = ""
    conditions: OptionalText = ""
    decided: Stamp = ""  # date of the decision
    # staleness (see riskwizard.staleness): when the answers were last confirmed still true, by whom, and the
    # date by which they must be looked at again; all optional, set by `riskwizard review`
    reviewed: OptionalDate = Field("", description="Date (YYYY-MM-DD) the answers were last reviewed.")
    reviewer: Name = Field("", description="Who reviewed them last.")
    review_by: OptionalDate = Field("", description="Date (YYYY-MM-DD) by which the answers must be reviewed again.")
    # answers_fingerprint(doc) when the decision was taken: reports say when answers changed since
    answers_fingerprint: Stamp = ""
    # questionnaires_fingerprint(specs) then: the questionnaire versions that scored those answers (empty in
    # decisions recorded before riskwizard kept it); reports say when the answers are now scored by others
    questionnaires_fingerprint: Stamp = ""


class Position(_Model):
    questionnaire: Name = ""
    question: Name = ""


def _local_answers(value: Any) -> dict[str, Answer]:
    return value.local if isinstance(value, QuestionnaireAnswers) else dict(value)


# One questionnaire's answers: read as a plain mapping, kept as QuestionnaireAnswers (which routes the
# questions that ask a shared fact to `facts`), written back as its own answers only.
QuestionnaireAnswersField = Annotated[
    dict[str, Answer], AfterValidator(QuestionnaireAnswers),
    PlainSerializer(_local_answers, return_type=dict[str, Answer]),
]


class AnswersDoc(_Model):
    format: Literal["riskwizard-answers/2"] = FORMAT
    system: SystemInfo = Field(default_factory=SystemInfo)
    assessor: Name = ""
    created: Stamp = ""
    updated: Stamp = ""
    questionnaires: list[QuestionnaireRef] = Field(default_factory=list)
    facts: dict[str, Answer] = Field(default_factory=dict)
    answers: dict[str, QuestionnaireAnswersField] = Field(default_factory=dict)
    conflicts: dict[str, list[ConflictValue]] = Field(default_factory=dict)
    orphaned: dict[str, dict[str, Orphan]] = Field(default_factory=dict)
    review: Review = Field(default_factory=Review)
    position: Position = Field(default_factory=Position)
    # set when the file was read in format 1 (so an upgrade can keep a backup), with the answers'
    # fingerprint in the old layout and whether a recorded decision covered it
    _upgraded_from: str = PrivateAttr("")
    _decision_was_current: bool = PrivateAttr(False)
    _bindings: dict[str, tuple[dict[str, str], frozenset[str]]] = PrivateAttr(default_factory=dict)
    _backup_done: bool = PrivateAttr(False)
    # fact id -> codecarbon.Measurement of the file the fact names; read by assessment.open_assessment
    # (the domain layer), never saved, so the engine and the reports never read that file themselves
    _measured: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def measured(self) -> dict[str, Any]:
        return self._measured

    def set_measured(self, measured: dict[str, Any]) -> None:
        self._measured = dict(measured)

    @property
    def stage(self) -> str:
        """The lifecycle stage (a shared fact since format 2; "" when not answered)."""
        answer = self.facts.get(STAGE_FACT)
        return answer.value if answer is not None and isinstance(answer.value, str) else ""

    @property
    def upgraded_from(self) -> str:
        return self._upgraded_from

    def answers_for(self, questionnaire_id: str) -> QuestionnaireAnswers:
        answers = self.answers.get(questionnaire_id)
        if not isinstance(answers, QuestionnaireAnswers):
            answers = self.answers[questionnaire_id] = QuestionnaireAnswers(answers)
        binding = self._bindings.get(questionnaire_id)
        if binding is not None and answers.facts is not self.facts:
            answers.bind(self.facts, *binding)
        return answers

    def bind(self, specs: list[Any]) -> None:
        """Route each questionnaire's fact questions to the shared ``facts`` store."""
        for spec in specs:
            self._bindings[spec.id] = (spec.fact_of, spec.reads)
            self.answers_for(spec.id)

    def ref(self, questionnaire_id: str) -> QuestionnaireRef | None:
        return next((r for r in self.questionnaires if r.id == questionnaire_id), None)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- values


def record_answer(doc: AnswersDoc, questionnaire_id: str, question: Any, value: Any = None,
                  unknown: bool = False, note: str | None = None) -> Answer:
    """Set (or clear, with value None and unknown False) one answer, validated and time-stamped.

    The note is kept when only the value changes, so clearing an answer never loses its note.
    """
    answers = doc.answers_for(questionnaire_id)
    previous = answers.get(question.id)
    fact = answers.fact_id(question.id)
    if unknown and not question.unknown_allowed:
        raise AnswersError(f"\"don't know\" is not offered for `{question.id}`", None, "give an answer")
    if value is not None and not unknown:
        value, problem = check_value(question, value)
        if problem:
            raise AnswersError(f"answer to `{question.id}`: {problem}", None, "correct the value")
    kept_note = previous.note if previous is not None and note is None else (note or "")
    if value is None and not unknown and not kept_note:
        answers.pop(question.id, None)
        return Answer()
    answer = Answer(value=None if unknown else value, unknown=unknown, note=kept_note, updated=now_iso(),
                    answered_in=questionnaire_id if fact is not None else "")
    answers[question.id] = answer
    if fact is not None and (value is not None or unknown):
        doc.conflicts.pop(fact, None)  # the user has picked: the conflict is settled
    return answer


def reconcile(doc: AnswersDoc, specs: list[Any], src: SourcedYaml | None = None,
              strict: bool = False) -> list[str]:
    """Match answers to questionnaires.

    Answers to unknown questions, and (unless ``strict``) invalid values, move to ``orphaned``
    with a reason. In strict mode invalid values of an unchanged questionnaire raise an error
    naming the line. Answers of questions that now ask a shared fact move to ``facts`` first
    (duplicates that disagree become ``conflicts``; see :mod:`.migrate`). Returns human-readable
    notices of everything moved.
    """
    from .migrate import lift_facts

    notices: list[str] = []
    if doc.upgraded_from and not doc._backup_done:
        notices.append(f"this file is in the format of riskwizard 1 ({doc.upgraded_from}); it is read in the new "
                       "layout (shared facts, answered once); the wizard or `riskwizard migrate` writes it, keeping "
                       "a backup of the old file")
    notices += lift_facts(doc, specs)
    errors: list[RiskwizardError] = []
    any_changed = False
    for spec in specs:
        ref = doc.ref(spec.id)
        changed = ref is not None and ref.sha256 not in ("", spec.sha256)
        any_changed = any_changed or changed
        stored = doc.answers.get(spec.id, {})
        answers = stored.local if isinstance(stored, QuestionnaireAnswers) else stored
        known = {q.id: q for q in spec.questions() if q.id not in spec.fact_of}
        for qid in list(answers):
            answer = answers[qid]
            question = known.get(qid)
            reason = ""
            if question is None:
                reason = f"no question `{qid}` in {spec.id} {spec.version}"
            elif answer.unknown:
                if not question.unknown_allowed:
                    reason = "\"don't know\" is not offered for this question any more"
                answer.value = None if not reason else answer.value
            elif answer.value is not None:
                norm, problem = check_value(question, answer.value)
                if problem:
                    if strict and not changed and src is not None:
                        loc = ("answers", spec.id, qid, "value")
                        info = src.info_at(loc)
                        if isinstance(answer.value, bool) and info is not None and info.plain:
                            # the Norway problem: an unquoted no/yes/on/off that YAML read as true or false
                            errors.append(AnswersError(
                                f"answer to `{qid}`: {src.describe_scalar(loc)}, not as the text `{info.text}` "
                                f"({problem})",
                                src.where(loc), f"put it in quotes: '{info.text}'"))
                            continue
                        errors.append(AnswersError(
                            f"answer to `{qid}`: {problem}", src.where(loc),
                            "fix the value, or delete the line to answer it again in the wizard"))
                        continue
                    reason = problem
                else:
                    answer.value = norm
            if reason:
                orphans = doc.orphaned.setdefault(spec.id, {})
                orphans[free_key(orphans, qid)] = Orphan(
                    **answer.model_dump(), reason=reason,
                    questionnaire_version=ref.version if ref else "")
                del answers[qid]
                notices.append(f"{spec.id}/{qid}: kept in `orphaned` ({reason})")
        if ref is None:
            doc.questionnaires.append(QuestionnaireRef(id=spec.id, version=spec.version, sha256=spec.sha256))
        else:
            if changed:
                same = "the same version number but different content" if ref.version == spec.version else (
                    f"version {ref.version} then")
                notices.append(f"{spec.id}: the questionnaire is now {spec.version} (sha256 {spec.sha256[:12]}); "
                               f"these answers were given to {same} (sha256 {ref.sha256[:12]}); answers that "
                               "no longer fit were kept in `orphaned`, and the results may differ")
            ref.version, ref.sha256 = spec.version, spec.sha256
    notices += _check_facts(doc, specs, src, strict and not any_changed, errors)
    if errors:
        raise ErrorGroup(errors)
    doc.bind(specs)
    if doc.upgraded_from and doc._decision_was_current:
        # the committee decided on these answers; the upgrade changed their layout, not the answers
        doc.review.answers_fingerprint = answers_fingerprint(doc)
        doc._decision_was_current = False
    return notices


def _check_facts(doc: AnswersDoc, specs: list[Any], src: SourcedYaml | None, strict: bool,
                 errors: list[RiskwizardError]) -> list[str]:
    """Fact values that no longer fit their definition: an error (strict) or kept in ``orphaned``."""
    notices: list[str] = []
    for fid in list(doc.facts):
        question = next((s.fact_question(fid) for s in specs if fid in s.fact_defs), None)
        if question is None:
            continue  # a fact none of these questionnaires knows: kept as it is
        answer = doc.facts[fid]
        problem = ""
        if answer.unknown:
            problem = "" if question.unknown_allowed else "\"don't know\" is not offered for this fact"
            if not problem:
                answer.value = None
        elif answer.value is not None:
            norm, problem = check_value(question, answer.value)
            if not problem:
                answer.value = norm
        if not problem:
            continue
        if strict and src is not None:
            loc = ("facts", fid, "value")
            info = src.info_at(loc)
            if isinstance(answer.value, bool) and info is not None and info.plain:
                errors.append(AnswersError(f"fact `{fid}`: {src.describe_scalar(loc)}, not as the text "
                                           f"`{info.text}` ({problem})", src.where(loc),
                                           f"put it in quotes: '{info.text}'"))
            else:
                errors.append(AnswersError(f"fact `{fid}`: {problem}", src.where(loc),
                                           "fix the value, or delete the line to answer it again in the wizard"))
            continue
        orphans = doc.orphaned.setdefault(FACTS_ORPHANS, {})
        orphans[free_key(orphans, fid)] = Orphan(**answer.model_dump(), reason=problem)
        del doc.facts[fid]
        notices.append(f"fact `{fid}`: kept in `orphaned` ({problem})")
    return notices




# --------------------------------------------------------------------------- reading


def parse_answers(src: SourcedYaml) -> AnswersDoc:
    from .loader import validated  # local: loader imports nothing from here

    data = src.data
    if not isinstance(data, dict) or data.get("format") not in FORMATS:
        raise AnswersError(f"not a riskwizard answers file (missing `format: {FORMAT}`)",
                           src.where(("format",)) if isinstance(data, dict) else src.where(()),
                           "start from `riskwizard new` or a file in samples/")
    upgraded = data.get("format") == FORMAT_V1
    if upgraded:
        data = _from_v1(data, src)
    doc = validated(AnswersDoc, data, src, "answers file")
    if upgraded:
        doc._upgraded_from = FORMAT_V1
        doc._decision_was_current = bool(doc.review.answers_fingerprint) and (
            doc.review.answers_fingerprint == _v1_fingerprint(doc))
    return doc


def _from_v1(data: dict[str, Any], src: SourcedYaml) -> dict[str, Any]:
    """Format 1 in the layout of format 2: the stage becomes the shared fact ``lifecycle_stage``.

    Duplicate answers are merged into shared facts later, by :func:`reconcile`, which knows the
    questionnaires.
    """
    for key in ("facts", "conflicts"):
        if key in data:
            raise AnswersError(f"`{key}:` is part of format 2, but this file says `format: {FORMAT_V1}`",
                               src.where((key,)), f"change the first line to `format: {FORMAT}`")
    out = {k: v for k, v in data.items() if k != "stage"}
    out["format"] = FORMAT
    stage = data.get("stage", "")
    if stage not in ("", *STAGES):
        raise AnswersError(f"stage: `{stage}` is not one of {', '.join(STAGES)}", src.where(("stage",)),
                           "use design, development or deployment (or leave it empty)")
    if stage:
        out["facts"] = {STAGE_FACT: {"value": stage}}
    return out


def _v1_fingerprint(doc: AnswersDoc) -> str:
    """The fingerprint a format-1 file's decision was stamped with (answers only, no facts)."""
    content = {
        qid: {k: {"value": a.value, "unknown": a.unknown, "note": a.note} for k, a in sorted(_local(per_q).items())}
        for qid, per_q in sorted(doc.answers.items())
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _local(answers: Any) -> dict[str, Answer]:
    return answers.local if isinstance(answers, QuestionnaireAnswers) else answers


def load_answers(path: str | Path) -> tuple[AnswersDoc, SourcedYaml]:
    src = load_yaml_file(Path(path), MAX_ANSWERS_BYTES)
    return parse_answers(src), src


# --------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Readable output: block text for multi-line strings, escapes where YAML would mangle text."""

    def process_scalar(self) -> None:
        text = self.event.value if self.event is not None else ""
        risky = any(ch in text for ch in _RISKY)
        if risky:
            saved, self.allow_unicode = self.allow_unicode, False
            try:
                super().process_scalar()
            finally:
                self.allow_unicode = saved
        else:
            super().process_scalar()


_RISKY = "\x85\u2028\u2029\ufeff"


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """Multi-line text as a literal block; text YAML could mangle double-quoted with escapes."""
    style = None
    if any(ch in data for ch in _RISKY) or any(not ch.isprintable() and ch not in "\n" for ch in data):
        style = '"'
    elif "\n" in data and not any(line != line.rstrip() for line in data.split("\n")):
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(str, _represent_str)  # str subclasses such as unquoted YAML dates


def dump_answers(doc: AnswersDoc) -> str:
    data = to_plain(doc)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    return HEADER + body


def to_plain(doc: AnswersDoc) -> dict[str, Any]:
    """The document as plain data, with empty defaults left out to keep files short."""
    data = doc.model_dump(mode="python")
    for per_q in [*data["answers"].values(), data["facts"]]:
        for qid, ans in per_q.items():
            per_q[qid] = _short_answer(ans)
    for entries in data["conflicts"].values():
        for i, entry in enumerate(entries):
            entries[i] = {k: v for k, v in entry.items() if v not in ("", None, False) or k == "value"}
    for per_q in data["orphaned"].values():
        for entry in per_q.values():
            if not entry.get("answered_in"):
                entry.pop("answered_in", None)
    for key in ("conflicts", "orphaned"):
        if not data[key]:
            del data[key]
    for key in REVIEW_OPTIONAL:  # added later: files without them stay as they were
        if not data["review"][key]:
            del data["review"][key]
    return data


def _short_answer(ans: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ans.items() if not (k in ("unknown", "note", "answered_in") and not v)
            and not (k == "value" and v is None and ans["unknown"])}


def answers_fingerprint(doc: AnswersDoc) -> str:
    """sha256 of the answers themselves (values, "don't know", notes; not time stamps or the review).

    A committee decision records it, so a report can tell whether the answers it shows are the ones
    the committee decided on.
    """
    def plain(per_q: dict[str, Answer]) -> dict[str, Any]:
        return {k: {"value": a.value, "unknown": a.unknown, "note": a.note} for k, a in sorted(per_q.items())}

    content: dict[str, Any] = {qid: plain(_local(per_q)) for qid, per_q in sorted(doc.answers.items())}
    if doc.facts or doc.conflicts:  # shared facts (format 2) are part of the answers
        conflicts = {fid: [e.model_dump() for e in entries] for fid, entries in sorted(doc.conflicts.items())}
        content = {"answers": content, "facts": plain(doc.facts), "conflicts": conflicts}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def questionnaires_fingerprint(specs: list[Any]) -> str:
    """sha256 of the questionnaires (id, version and content sha256) that score the answers.

    Recorded with a decision beside :func:`answers_fingerprint`: the same answers scored by another
    version of a questionnaire can give other results than the ones the committee saw.
    """
    items = sorted([s.id, s.version, s.sha256] for s in specs)
    return hashlib.sha256(json.dumps(items, separators=(",", ":")).encode("utf-8")).hexdigest()


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes (read like any input: a FIFO or device is refused, never blocks)."""
    return hashlib.sha256(read_input(path, MAX_ANSWERS_BYTES)).hexdigest()


def atomic_write(path: Path, text: str) -> Path:
    """Write text so that a crash at any moment leaves either the old or the new file; keeps ``.bak``.

    An answers file that is a symlink is written through (the link is kept). See :mod:`.safefile`.
    """
    return write_file(path, text, backup=True, follow_symlink=True)


def real_path(path: str | Path) -> Path:
    """The file an answers path stands for: a symlinked answers file is written through, so its temp
    files, ``.bak`` and lock live beside the file the link points to."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def recover(path: Path) -> list[str]:
    """Clean up after a save that was killed; restore from a complete temp file if needed.

    A temp file can only be newer than the target if the process died between fsync and
    replace; it is used only when the target itself is missing or unreadable.
    """
    notices: list[str] = []
    real = real_path(path)
    temps = leftover_temps(real)
    if not temps:
        return notices
    target_ok = True
    try:
        parse_answers(load_yaml_file(real, MAX_ANSWERS_BYTES))
    except RiskwizardError:
        target_ok = False
    for tmp in temps:
        usable = False
        if not target_ok and tmp.suffix == ".tmp":
            try:
                parse_answers(load_yaml_file(tmp, MAX_ANSWERS_BYTES))
                usable = True
            except RiskwizardError:
                usable = False
        if usable:
            restore_from(tmp, real)
            target_ok = True
            notices.append(f"restored {display_path(path)} from an interrupted save")
        else:
            remove_file(tmp)
            notices.append(f"removed leftover temp file {display_path(tmp)}")
    return notices


class AnswerStore:
    """Owns one answers file for one process: lock, load, save, change detection.

    ``read_only=True`` opens without a lock and refuses to save (a :class:`DiskError` saying so):
    for an assessment on a read-only disk or in a folder the user may not write to, which can still
    be browsed, reviewed and exported elsewhere. :meth:`save_problem` tells beforehand whether
    saving is possible::

        store = AnswerStore(path)
        if store.save_problem() is not None:
            store = AnswerStore(path, read_only=True)
    """

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock: FileLock | None = None
        self._known_sha: str | None = None
        self._conflict: Path | None = None  # where saves go once someone else changed the file
        self.notices: list[str] = []

    @property
    def lock_path(self) -> Path:
        real = real_path(self.path)
        return real.parent / f".{real.name}.lock"

    def save_problem(self) -> DiskError | None:
        """Why this file cannot be saved (read-only disk, permission denied, not a regular file...),
        or None. Creates nothing that stays behind."""
        if self.read_only:
            return DiskError("the assessment is open read-only", Location(display_path(self.path)),
                             "export a report elsewhere, or copy the file to a folder you can write to")
        problem = save_problem(self.path, follow_symlink=True)
        if problem is None and not self.lock_path.exists() and not folder_writable(self.lock_path.parent):
            problem = DiskError("cannot create its lock file: permission denied", Location(display_path(self.path)),
                                "copy the file to a folder you can write to", errno.EACCES)
        return problem

    def acquire(self) -> None:
        if self.read_only:
            return
        lock = FileLock(self.lock_path, display_path(self.path))
        lock.acquire()
        self._lock = lock

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> AnswerStore:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def load(self) -> tuple[AnswersDoc, SourcedYaml]:
        if not self.read_only:
            self.notices.extend(recover(self.path))
        doc, src = load_answers(self.path)
        self._known_sha = file_sha256(self.path)
        return doc, src

    def _refuse_read_only(self) -> None:
        if self.read_only:
            raise DiskError("cannot save: the assessment is open read-only", Location(display_path(self.path)),
                            "export a report elsewhere, or copy the file to a folder you can write to",
                            errno.EROFS)

    def create(self, doc: AnswersDoc) -> Path:
        """Write a new answers file; refuses if anything (even a dangling symlink) has its name."""
        self._refuse_read_only()
        text = self._text(doc)
        write_file(self.path, text, new=True)
        self._known_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self.path

    def save(self, doc: AnswersDoc) -> Path:
        """Save atomically. If someone else changed the file since we read it, save beside it.

        The copy beside it (``NAME.conflict.yaml``, or ``NAME.conflict-2.yaml``... if taken) is
        created new, so a planted file or symlink of that name is never written; later saves of
        this session go to the same copy.
        """
        self._refuse_read_only()
        text = self._text(doc)
        if self._conflict is not None:
            write_file(self._conflict, text)  # our own copy: a symlink planted there since is refused
            return self._conflict
        if self._changed_on_disk():
            target = self._create_conflict_copy(text)
            self.notices.append(
                f"{display_path(self.path)} was changed by another program; your answers were saved to "
                f"{display_path(target)} instead")
            return target
        self._keep_old_format(doc)  # a file read in format 1: its old bytes are kept before the first save
        atomic_write(self.path, text)
        self._known_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self.path

    def _changed_on_disk(self) -> bool:
        if self._known_sha is None or not os.path.lexists(self.path):
            return False
        try:
            return file_sha256(self.path) != self._known_sha
        except DiskError:
            return True  # replaced by something that cannot be read (a FIFO, a dangling link): never write it

    def _text(self, doc: AnswersDoc) -> str:
        doc.updated = now_iso()
        if not doc.created:
            doc.created = doc.updated
        text = dump_answers(doc)
        verify_round_trip(doc, text)
        return text

    def _create_conflict_copy(self, text: str) -> Path:
        n = 1
        while True:
            suffix = ".conflict" if n == 1 else f".conflict-{n}"
            target = self.path.with_name(self.path.stem + suffix + self.path.suffix)
            if not os.path.lexists(target):
                try:
                    write_file(target, text, new=True)
                except DiskError as exc:
                    if exc.errno != errno.EEXIST:
                        raise
                else:
                    self._conflict = target
                    return target
            n += 1

    def _keep_old_format(self, doc: AnswersDoc) -> None:
        """A file read in format 1 keeps a backup of its old content before its first save."""
        notice = keep_backup(doc, self.path)
        if notice:
            self.notices.append(notice)


def backup_path(path: Path) -> Path:
    """A free name for the backup of a format-1 file: NAME.v1.bak, NAME.v1-2.bak, ..."""
    candidate = path.with_name(f"{path.name}.v1.bak")
    n = 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.name}.v1-{n}.bak")
        n += 1
    return candidate


def keep_backup(doc: AnswersDoc, path: Path) -> str:
    """Before the first save of a file read in format 1: copy the old file beside it (never over a file)."""
    from .safefile import DiskError, read_input

    if not doc.upgraded_from or getattr(doc, "_backup_done", False) or not path.exists():
        return ""
    data = read_input(path, MAX_ANSWERS_BYTES)
    while True:
        target = backup_path(path)
        try:
            write_file(target, data, new=True)
            break
        except DiskError:
            if not target.exists():
                raise
    doc._backup_done = True
    return (f"{display_path(path)} was in the format of riskwizard 1 and is now upgraded (shared facts); "
            f"the old file is kept as {display_path(target)}")


def _relative_spec_path(spec_path: str, answers_path: Path | None, bundled: Path) -> str:
    """The path recorded for a questionnaire that is not bundled: relative to the real answers file's
    folder (the folder ``assessment.paths_bases`` tries after the file's own, for a symlinked file)."""
    p = Path(spec_path).resolve()
    if p.parent == bundled.resolve():
        return ""
    base = Path(os.path.realpath(answers_path)).parent if answers_path else Path.cwd()
    return os.path.relpath(p, base)


def verify_round_trip(doc: AnswersDoc, text: str) -> None:
    """Refuse to write a file that would not read back to the same answers."""
    back = parse_answers(load_yaml_text(text, "<about to save>", MAX_ANSWERS_BYTES))
    if to_plain(back) != to_plain(doc):
        raise AnswersError("internal error: the answers would not read back identically; nothing was written",
                           None, "please report this with the answers you entered")


class AlreadyThere(Exception):
    """A questionnaire to add is already in the answers file (nothing was changed)."""

    def __init__(self, questionnaire_id: str) -> None:
        super().__init__(questionnaire_id)
        self.questionnaire_id = questionnaire_id


def add_questionnaires(doc: AnswersDoc, specs: list[Spec], answers_path: Path) -> None:
    """Add ``specs`` to the questionnaires of ``doc``, after those it has. Shared facts the file answers
    count for them at once; answers the file already keeps under one of these ids (a hand-edited file)
    are kept as they are. Raises :class:`AlreadyThere`, before changing anything, for a questionnaire
    the file already has."""
    from .loader import bundled_dir

    present = {r.id for r in doc.questionnaires}
    for spec in specs:
        if spec.id in present:
            raise AlreadyThere(spec.id)
        present.add(spec.id)
    for spec in specs:
        doc.questionnaires.append(QuestionnaireRef(
            id=spec.id, version=spec.version, sha256=spec.sha256,
            path=_relative_spec_path(spec.file or spec.path, answers_path, bundled_dir())))
        if spec.id not in doc.answers:
            doc.answers[spec.id] = QuestionnaireAnswers()
    doc.bind(specs)


def new_doc(specs: list[Any], system_name: str = "", assessor: str = "", stage: str = "",
            answers_path: Path | None = None, facts: dict[str, Any] | None = None) -> AnswersDoc:
    """A fresh document; questionnaires outside the bundled set are recorded by relative path.

    ``stage`` and ``facts`` (fact id -> value) are stored as shared facts.
    """
    from .loader import bundled_dir

    doc = AnswersDoc(system=SystemInfo(name=system_name), assessor=assessor)
    stamp = now_iso()
    for fid, value in {**({STAGE_FACT: stage} if stage else {}), **(facts or {})}.items():
        if value is not None and value != "":
            doc.facts[fid] = Answer(value=value, updated=stamp)
    doc.questionnaires = [QuestionnaireRef(id=s.id, version=s.version, sha256=s.sha256,
                                           path=_relative_spec_path(s.file or s.path, answers_path, bundled_dir()))
                          for s in specs]
    for s in specs:
        doc.answers[s.id] = QuestionnaireAnswers()
    doc.bind(specs)
    doc.created = now_iso()
    return doc
