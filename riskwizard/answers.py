"""The answers file: a human-readable, git-friendly YAML record of an assessment.

Saving is atomic (temp file, fsync, ``os.replace``, directory fsync) and keeps the previous
version as ``.bak``. A lock file keeps a second riskwizard from writing the same file. Answers
that no longer match their questionnaire are moved to ``orphaned``, never dropped.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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

FORMAT = "riskwizard-answers/1"
MAX_ANSWERS_BYTES = 8 * 1024 * 1024
STAGES = ("design", "development", "deployment")
HEADER = (
    "# riskwizard answers file (edit with care; `riskwizard validate` checks it).\n"
    "# `unknown: true` means \"don't know\". In group rows, a field set to null means \"don't know\".\n"
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Answer(_Model):
    value: Any = None
    unknown: bool = False
    note: OptionalText = ""
    updated: Stamp = ""

    @property
    def is_answered(self) -> bool:
        """A real answer: not "don't know", not empty, and not blank text."""
        if self.unknown or self.value is None:
            return False
        return not (isinstance(self.value, str) and not self.value.strip())


class Orphan(_Model):
    value: Any = None
    unknown: bool = False
    note: OptionalText = ""
    updated: Stamp = ""
    reason: OptionalText = ""
    questionnaire_version: Name = ""


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


class Review(_Model):
    comments: list[Comment] = Field(default_factory=list)
    decision: Literal["", "approved", "approved_with_conditions", "revise", "rejected"] = ""
    conditions: OptionalText = ""
    decided: Stamp = ""  # date of the decision
    # answers_fingerprint(doc) when the decision was taken: reports say when answers changed since
    answers_fingerprint: Stamp = ""


class Position(_Model):
    questionnaire: Name = ""
    question: Name = ""


class AnswersDoc(_Model):
    format: Literal["riskwizard-answers/1"] = FORMAT
    system: SystemInfo = Field(default_factory=SystemInfo)
    assessor: Name = ""
    stage: Literal["", "design", "development", "deployment"] = ""
    created: Stamp = ""
    updated: Stamp = ""
    questionnaires: list[QuestionnaireRef] = Field(default_factory=list)
    answers: dict[str, dict[str, Answer]] = Field(default_factory=dict)
    orphaned: dict[str, dict[str, Orphan]] = Field(default_factory=dict)
    review: Review = Field(default_factory=Review)
    position: Position = Field(default_factory=Position)

    def answers_for(self, questionnaire_id: str) -> dict[str, Answer]:
        return self.answers.setdefault(questionnaire_id, {})

    def ref(self, questionnaire_id: str) -> QuestionnaireRef | None:
        return next((r for r in self.questionnaires if r.id == questionnaire_id), None)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- values


def check_value(question: Any, value: Any) -> tuple[Any, str]:
    """Validate and normalise an answer value for a question; returns (value, problem)."""
    qtype = question.type
    if qtype == "group":
        return _check_rows(question, value)
    if qtype in ("single", "yesno"):
        allowed = [o.value for o in question.options] if qtype == "single" else ["yes", "no"]
        if type(value) is not str or value not in allowed:
            return value, f"`{_short(value)}` is not one of: {', '.join(allowed)}"
        return value, ""
    if qtype == "multi":
        allowed = [o.value for o in question.options]
        if not isinstance(value, list) or any(type(v) is not str for v in value):
            return value, "expected a list of options"
        bad = [v for v in value if v not in allowed]
        if bad:
            return value, f"{bad} not among the options: {', '.join(allowed)}"
        if len(set(value)) != len(value):
            return value, "an option is listed twice"
        return [v for v in allowed if v in value], ""
    if qtype == "text":
        if type(value) is not str:
            return value, "expected text (quote it)"
        if len(value) > question.max_length:
            return value, f"text is {len(value)} characters; the limit is {question.max_length}"
        return value, ""
    # number / percent
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value, f"expected a number, got `{_short(value)}`"
    if isinstance(value, float) and not math.isfinite(value):
        return value, "expected a finite number"
    if question.integer and value != int(value):
        return value, "expected a whole number"
    if question.min is not None and value < question.min:
        return value, f"{value} is below the minimum {question.min:g}"
    if question.max is not None and value > question.max:
        return value, f"{value} is above the maximum {question.max:g}"
    return (int(value) if question.integer else value), ""


def record_answer(doc: AnswersDoc, questionnaire_id: str, question: Any, value: Any = None,
                  unknown: bool = False, note: str | None = None) -> Answer:
    """Set (or clear, with value None and unknown False) one answer, validated and time-stamped.

    The note is kept when only the value changes, so clearing an answer never loses its note.
    """
    answers = doc.answers_for(questionnaire_id)
    previous = answers.get(question.id)
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
    answer = Answer(value=None if unknown else value, unknown=unknown, note=kept_note, updated=now_iso())
    answers[question.id] = answer
    return answer


def _check_rows(question: Any, value: Any) -> tuple[Any, str]:
    if not isinstance(value, list) or any(not isinstance(r, dict) for r in value):
        return value, "expected a list of rows (each a mapping of field: value)"
    if len(value) > question.max_rows:
        return value, f"{len(value)} rows; at most {question.max_rows} are allowed"
    fields = {f.id: f for f in question.fields}
    rows = []
    for i, row in enumerate(value, 1):
        clean: dict[str, Any] = {}
        for key, v in row.items():
            field = fields.get(key)
            if field is None:
                return value, f"row {i}: unknown field `{key}` (fields: {', '.join(fields)})"
            if v is None:
                clean[key] = None
                continue
            norm, problem = check_value(field, v)
            if problem:
                return value, f"row {i}, `{key}`: {problem}"
            clean[key] = norm
        rows.append(clean)
    return rows, ""


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def reconcile(doc: AnswersDoc, specs: list[Any], src: SourcedYaml | None = None,
              strict: bool = False) -> list[str]:
    """Match answers to questionnaires.

    Answers to unknown questions, and (unless ``strict``) invalid values, move to ``orphaned``
    with a reason. In strict mode invalid values of an unchanged questionnaire raise an error
    naming the line. Returns human-readable notices of everything moved.
    """
    notices: list[str] = []
    errors: list[RiskwizardError] = []
    for spec in specs:
        ref = doc.ref(spec.id)
        changed = ref is not None and ref.sha256 not in ("", spec.sha256)
        answers = doc.answers.get(spec.id, {})
        known = {q.id: q for q in spec.questions()}
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
                orphans[_free_key(orphans, qid)] = Orphan(
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
    if errors:
        raise ErrorGroup(errors)
    return notices


def _free_key(existing: dict[str, Any], key: str) -> str:
    if key not in existing:
        return key
    n = 2
    while f"{key}__{n}" in existing:
        n += 1
    return f"{key}__{n}"


# --------------------------------------------------------------------------- reading


def parse_answers(src: SourcedYaml) -> AnswersDoc:
    from .loader import pydantic_errors  # local: loader imports nothing from here

    data = src.data
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AnswersError("not a riskwizard answers file (missing `format: riskwizard-answers/1`)",
                           src.where(("format",)) if isinstance(data, dict) else src.where(()),
                           "start from `riskwizard new` or a file in samples/")
    try:
        return AnswersDoc.model_validate(data)
    except ValidationError as exc:
        raise ErrorGroup(pydantic_errors(exc, src, "answers file")) from None


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
    for per_q in data["answers"].values():
        for qid, ans in per_q.items():
            per_q[qid] = {k: v for k, v in ans.items() if not (k == "unknown" and not v) and not (
                k == "note" and not v) and not (k == "value" and v is None and ans["unknown"])}
    if not data["orphaned"]:
        del data["orphaned"]
    return data


def answers_fingerprint(doc: AnswersDoc) -> str:
    """sha256 of the answers themselves (values, "don't know", notes; not time stamps or the review).

    A committee decision records it, so a report can tell whether the answers it shows are the ones
    the committee decided on.
    """
    content = {
        qid: {k: {"value": a.value, "unknown": a.unknown, "note": a.note} for k, a in sorted(per_q.items())}
        for qid, per_q in sorted(doc.answers.items())
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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


def _relative_spec_path(spec_path: str, answers_path: Path | None, bundled: Path) -> str:
    p = Path(spec_path).resolve()
    if p.parent == bundled.resolve():
        return ""
    base = (answers_path.resolve().parent if answers_path else Path.cwd())
    return os.path.relpath(p, base)


def verify_round_trip(doc: AnswersDoc, text: str) -> None:
    """Refuse to write a file that would not read back to the same answers."""
    back = parse_answers(load_yaml_text(text, "<about to save>", MAX_ANSWERS_BYTES))
    if to_plain(back) != to_plain(doc):
        raise AnswersError("internal error: the answers would not read back identically; nothing was written",
                           None, "please report this with the answers you entered")


def new_doc(specs: list[Any], system_name: str = "", assessor: str = "", stage: str = "",
            answers_path: Path | None = None) -> AnswersDoc:
    """A fresh document; questionnaires outside the bundled set are recorded by relative path."""
    from .loader import bundled_dir

    doc = AnswersDoc(system=SystemInfo(name=system_name), assessor=assessor, stage=stage)  # type: ignore[arg-type]
    doc.questionnaires = [QuestionnaireRef(id=s.id, version=s.version, sha256=s.sha256,
                                           path=_relative_spec_path(s.path, answers_path, bundled_dir()))
                          for s in specs]
    for s in specs:
        doc.answers[s.id] = {}
    doc.created = now_iso()
    return doc
