"""`riskwizard upgrade`: answers given to an older questionnaire version, re-scored against the bundled one.

(Not to be confused with :mod:`.upgrade`, which shows the change of the answers-file FORMAT made by
``riskwizard migrate``.) The answers are reconciled with the newer version by the same code that
opens any file (:func:`riskwizard.answers.reconcile`, :mod:`.migrate`): answers to questions that are
gone or whose value no longer fits move to ``orphaned`` with the reason and the old version, answers
of replaced questions move to their new place. Both versions are scored and the plan lists what
moved: questions to answer, answers orphaned, tier, findings, obligations and their dates.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AnswersError, Location, display_path


@dataclass
class QuestionnaireMove:
    """What upgrading one questionnaire changes."""

    id: str
    old_version: str
    new_version: str
    old_available: bool  # the old version could be loaded and scored (else "before" is not known)
    to_answer: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    tier: tuple[str, str] | None = None  # (before, after) titles when it changed
    findings_added: list[str] = field(default_factory=list)
    findings_removed: list[str] = field(default_factory=list)
    obligations: list[str] = field(default_factory=list)  # added, dropped, date changed

    def lines(self) -> list[str]:
        out = [f"{self.id}: {self.old_version} -> {self.new_version}"]
        if not self.old_available:
            out.append(f"  version {self.old_version} is not available here (pass its folder with -Q to compare "
                       "results); the answers are shown against the new version only")
        out += [f"  to answer: {q}" for q in self.to_answer]
        out += [f"  orphaned (kept in `orphaned`): {q}" for q in self.orphaned]
        if self.tier is not None:
            out.append(f"  tier: {self.tier[0]} -> {self.tier[1]}")
        out += [f"  new finding: {f}" for f in self.findings_added]
        out += [f"  finding gone: {f}" for f in self.findings_removed]
        out += [f"  {o}" for o in self.obligations]
        if len(out) == 1 + (not self.old_available):
            out.append("  no answer, tier, finding or obligation moves")
        return out


@dataclass
class VersionUpgrade:
    """The plan: the upgraded document (in memory), its questionnaires and what moved."""

    doc: Any
    specs: list[Any]
    moves: list[QuestionnaireMove]
    notices: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.moves)

    def lines(self) -> list[str]:
        return [line for move in self.moves for line in move.lines()]


def upgrade_assessment(old: Any, before_orphans: dict[str, dict[str, Any]] | None = None) -> VersionUpgrade:
    """Upgrade an opened :class:`~riskwizard.assessment.Assessment` to the newer bundled versions.

    ``old`` is not changed. ``before_orphans`` are the orphans the file held before it was opened
    (opening may already orphan answers when the old version is not available); default those of
    ``old.doc``.
    """
    from .answers import MAX_ANSWERS_BYTES, dump_answers, parse_answers, reconcile
    from .engine import evaluate_assessment
    from .staleness import bundled_newer
    from .yamlsafe import load_yaml_text

    targets: dict[str, Any] = {}
    for spec in old.specs:
        recorded = old.recorded.get(spec.id) or spec.version
        newer = bundled_newer(spec.id, recorded)
        if newer is not None:
            targets[spec.id] = newer
    if not targets:
        return VersionUpgrade(old.doc, old.specs, [], [])
    doc = parse_answers(load_yaml_text(dump_answers(old.doc), "<upgrade>", MAX_ANSWERS_BYTES))
    doc._upgraded_from, doc._backup_done = old.doc.upgraded_from, old.doc._backup_done
    for ref in doc.questionnaires:  # the versions the answers were given to, so orphans record them
        if ref.id in targets and ref.id in old.recorded:
            ref.version = old.recorded[ref.id]
    specs = [targets.get(s.id, s) for s in old.specs]
    notices = reconcile(doc, specs, None, strict=False)
    for ref in doc.questionnaires:
        if ref.id in targets:
            ref.path = ""  # now the bundled questionnaire
    doc.review.answers_fingerprint = old.doc.review.answers_fingerprint  # a decision covers the old answers
    before, after = evaluate_assessment(old.doc, old.specs), evaluate_assessment(doc, specs)
    known_orphans = before_orphans if before_orphans is not None else old.doc.orphaned
    moves = [_move(old, doc, targets[s.id], s, before, after, known_orphans) for s in old.specs if s.id in targets]
    return VersionUpgrade(doc, specs, moves, notices)


def _move(old: Any, doc: Any, new_spec: Any, old_spec: Any, before: Any, after: Any,
          known_orphans: dict[str, dict[str, Any]]) -> QuestionnaireMove:
    recorded = old.recorded.get(old_spec.id) or old_spec.version
    available = old_spec.version == recorded and old_spec.sha256 != new_spec.sha256
    move = QuestionnaireMove(old_spec.id, recorded, new_spec.version, available)
    r_old, r_new = before.result(old_spec.id), after.result(new_spec.id)
    old_ids = {q.id for q in old_spec.questions()} if available else set()
    was_open = {q.id for q in r_old.open_questions} if r_old is not None and available else set()
    kept = known_orphans.get(old_spec.id, {})
    orphans = {k: o for k, o in doc.orphaned.get(old_spec.id, {}).items() if k not in kept}
    move.orphaned = [f"{k.split('__')[0]} ({o.reason})" for k, o in orphans.items()]
    orphaned_ids = {k.split("__")[0] for k in orphans}
    for q in r_new.open_questions if r_new is not None else []:
        if q.status != "unanswered" or q.id in was_open:
            continue
        fact = new_spec.fact_of.get(q.id)
        why = ("its answer was orphaned" if q.id in orphaned_ids else
               "the old answers to this shared fact disagree: pick one (all kept under `conflicts`)"
               if fact is not None and fact in doc.conflicts else
               "new question" if available and q.id not in old_ids else
               "now shown" if available else "open")
        move.to_answer.append(f"{q.id}: {q.prompt} ({why})")
    if r_old is None or r_new is None or not available:
        return move
    t_old = r_old.tier.title if r_old.tier else "none"
    t_new = r_new.tier.title if r_new.tier else "none"
    if t_old != t_new:
        move.tier = (t_old, t_new)
    f_old = {f.rule_id: f for f in r_old.findings}
    f_new = {f.rule_id: f for f in r_new.findings}
    move.findings_added = [f"[{f.severity}] {f.title}" for rid, f in f_new.items() if rid not in f_old]
    move.findings_removed = [f"[{f.severity}] {f.title}" for rid, f in f_old.items() if rid not in f_new]
    move.obligations = _obligation_moves(r_old, r_new)
    return move


def _obligation_moves(r_old: Any, r_new: Any) -> list[str]:
    def table(r: Any) -> dict[str, tuple[str, str]]:
        rows = {o.id: (o.title, o.applies_from or "") for o in r.obligations}
        rows.update({o.id: (o.title + " (not law yet)", o.applies_from or "") for o in r.pending_obligations})
        return rows

    a, b = table(r_old), table(r_new)
    out = [f"new obligation: {t}" + (f" from {d}" if d else "") for oid, (t, d) in b.items() if oid not in a]
    out += [f"obligation gone: {t}" for oid, (t, _d) in a.items() if oid not in b]
    out += [f"date of {b[oid][0]}: {a[oid][1] or 'none'} -> {b[oid][1] or 'none'}"
            for oid in a if oid in b and a[oid][1] != b[oid][1]]
    return out


def refuse_shadowing(path: Path, plan: VersionUpgrade, old_specs: list[Any]) -> None:
    """An old copy in ``questionnaires/`` beside the answers file would be found before the bundled
    version next time, and refused as a different questionnaire with the same id: say so first."""
    beside = (path.parent / "questionnaires").resolve()
    for spec in old_specs:
        if spec.id not in {m.id for m in plan.moves}:
            continue
        spec_file = Path(spec.file or spec.path)
        if spec_file.resolve().parent == beside:
            raise AnswersError(
                f"{spec.id} {spec.version} is the copy {display_path(spec_file)} beside the answers file; after "
                "the upgrade it would still be found first, and refused as a different questionnaire",
                Location(display_path(spec_file)),
                f"move it to another folder and run `riskwizard -Q THAT_FOLDER upgrade {display_path(path)}`")


def upgrade_backup(path: Path) -> Path:
    """Copy the file as it is to NAME.before-upgrade.bak (or -2, -3...; never over a file)."""
    from .answers import MAX_ANSWERS_BYTES
    from .safefile import DiskError, read_input, write_file

    data = read_input(path, MAX_ANSWERS_BYTES)
    n = 1
    while True:
        target = path.with_name(f"{path.name}.before-upgrade{'' if n == 1 else f'-{n}'}.bak")
        if not os.path.lexists(target):
            try:
                write_file(target, data, new=True)
                return target
            except DiskError:
                if not os.path.lexists(target):
                    raise
        n += 1
