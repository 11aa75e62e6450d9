"""One open assessment: the lock, the document, navigation order, progress and saving.

Textual-free on purpose, so the wizard's screens stay thin and this logic is easy to test.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answers import Answer, AnswersDoc, AnswerStore, check_value, load_answers, record_answer
from ..assessment import open_assessment
from ..engine import AnswerView, QuestionnaireResult, evaluate
from ..errors import AnswersError
from ..loader import Spec
from ..safefile import folder_writable

READ_ONLY_PROBLEM = "this assessment is open read-only (its folder cannot be written); nothing is changed"


def can_save(path: Path) -> bool:
    """Whether answers at ``path`` can be saved (new files in its folder, and the file itself).

    The one place the wizard decides this: :meth:`AnswerStore.save_problem` (the real target of a
    symlinked file, its folder probed with a temp file that is removed, the lock file creatable).
    """
    if not folder_writable(Path(os.path.realpath(path)).parent):
        return False
    return AnswerStore(path).save_problem() is None


@dataclass(frozen=True)
class Place:
    """A question in the wizard's order."""

    spec: Spec
    question: Any

    @property
    def key(self) -> tuple[str, str]:
        return (self.spec.id, self.question.id)


class Session:
    """Owns an answers file for the life of the wizard: locked, loaded, saved on every change."""

    def __init__(self, path: Path, store: AnswerStore, doc: AnswersDoc, specs: list[Spec],
                 notices: list[str]) -> None:
        self.path = path
        self.store = store
        self.doc = doc
        self.specs = specs
        self.notices = notices
        self.dirty = False
        self._notices_shown = 0
        self.closed = False
        self.read_only = False  # the folder or file cannot be written: browse, review, export elsewhere
        self.position_only = False  # the only unsaved change is the position (see set_position)
        self._views: dict[str, AnswerView] = {}  # per questionnaire, until the next change
        self.recorded: dict[str, str] = {}  # questionnaire versions the file recorded (see Assessment.recorded)
        self.today: Any = None  # the day staleness is judged on (None: today); a parameter for tests

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, path: str | Path, search_dirs: list[Path] | None = None) -> Session:
        """Lock and load ``path``. Raises LockedError if another riskwizard holds it. In a folder where
        the answers cannot be saved the session is read-only: nothing is locked or written."""
        p = Path(path)
        if not can_save(p):
            return cls._open_read_only(p, search_dirs)
        store = AnswerStore(p)
        store.acquire()
        try:
            loaded = store.load()  # recovers an interrupted save and remembers the file's hash
            assessment = open_assessment(p, search_dirs, strict=False, loaded=loaded)
        except BaseException:
            store.release()
            raise
        session = cls(p, store, assessment.doc, assessment.specs, [*store.notices, *assessment.notices])
        session.recorded = assessment.recorded
        session._notices_shown = len(store.notices)
        if assessment.notices:
            session.dirty = True  # answers moved to `orphaned` are written back at the first save
        return session

    @classmethod
    def _open_read_only(cls, p: Path, search_dirs: list[Path] | None) -> Session:
        loaded = load_answers(p)
        assessment = open_assessment(p, search_dirs, strict=False, loaded=loaded)
        session = cls(p, AnswerStore(p), assessment.doc, assessment.specs, list(assessment.notices))
        session.read_only = True
        session.recorded = assessment.recorded
        session._notices_shown = len(session.notices)
        return session

    def close(self) -> None:
        """Save what is unsaved and release the lock. Safe to call twice."""
        if self.closed:
            return
        try:
            if self.dirty:
                self.save()
        finally:
            self.store.release()
            self.closed = True

    # ------------------------------------------------------------------ saving

    def save(self) -> list[str]:
        """Save atomically through the store; returns notices that are new since the last call."""
        if self.closed or self.read_only:
            self.dirty = False
            return []
        self.store.save(self.doc)
        self.dirty = self.position_only = False
        new = self.store.notices[self._notices_shown:]
        self._notices_shown = len(self.store.notices)
        return list(new)

    # ------------------------------------------------------------------ staleness and version upgrades

    def stale(self) -> list[Any]:
        """Old legal content or review (a year), a passed review-by date, newer bundled questionnaires."""
        from ..staleness import DEFAULT_MAX_AGE, check_staleness

        return check_staleness(self.doc, self.specs, self.recorded, self.today, DEFAULT_MAX_AGE)

    def plan_version_upgrade(self) -> Any:
        """What `riskwizard upgrade` would change in these answers (nothing is changed yet)."""
        from ..assessment import Assessment
        from ..version_upgrade import upgrade_assessment

        return upgrade_assessment(Assessment(self.path, self.doc, self.specs, None, [], dict(self.recorded)))

    def apply_version_upgrade(self, plan: Any) -> Path | None:
        """Adopt the upgraded answers and save them; the file as it was is kept as NAME.before-upgrade.bak
        (a file of format 1 keeps NAME.v1.bak instead). Returns the backup made, if any."""
        from ..version_upgrade import refuse_shadowing, upgrade_backup

        if self.read_only:
            raise AnswersError(READ_ONLY_PROBLEM, None, "copy the file to a folder you can write to")
        refuse_shadowing(self.path, plan, self.specs)
        self.flush_state()
        backup = None if plan.doc.upgraded_from and not plan.doc._backup_done else upgrade_backup(self.path)
        self.doc, self.specs = plan.doc, plan.specs
        self.recorded = {s.id: s.version for s in self.specs}
        self._views.clear()
        self.dirty = True
        self.save()
        return backup

    def flush_state(self) -> None:
        """Write what is unsaved before the file is copied."""
        if self.dirty:
            self.save()

    # ------------------------------------------------------------------ reading

    @property
    def title(self) -> str:
        return self.doc.system.name or self.path.stem

    def spec(self, spec_id: str) -> Spec | None:
        return next((s for s in self.specs if s.id == spec_id), None)

    def answers(self, spec: Spec) -> dict[str, Answer]:
        return self.doc.answers_for(spec.id)

    def answer(self, place: Place) -> Answer | None:
        return self.doc.answers.get(place.spec.id, {}).get(place.question.id)

    def view(self, spec: Spec) -> AnswerView:
        """What is visible with the current answers. Kept until an answer changes through this
        session (the side panel, the order and progress all ask for it after every change)."""
        view = self._views.get(spec.id)
        if view is None:
            view = self._views[spec.id] = AnswerView(spec, self.answers(spec))
        return view

    def _changed(self) -> None:
        self.dirty = True
        self.position_only = False
        self._views.clear()

    def order(self) -> list[Place]:
        """Every visible question, questionnaire by questionnaire, in file order."""
        out = []
        for spec in self.specs:
            view = self.view(spec)
            out += [Place(spec, q) for q in view.visible_questions()]
        return out

    def visible_keys(self) -> set[tuple[str, str]]:
        return {p.key for p in self.order()}

    def progress(self, spec: Spec, view: AnswerView | None = None) -> dict[str, tuple[int, int]]:
        """(answered, visible) per section id, and for the whole questionnaire under key ``""``."""
        view = view or self.view(spec)
        out: dict[str, tuple[int, int]] = {}
        total_a = total_v = 0
        for section in spec.model.sections:
            a = v = 0
            for q in section.questions:
                if view.is_visible(q.id):
                    v += 1
                    ans = view.answers.get(q.id)
                    if ans is not None and ans.is_answered:
                        a += 1
            out[section.id] = (a, v)
            total_a += a
            total_v += v
        out[""] = (total_a, total_v)
        return out

    def evaluate(self, spec: Spec) -> QuestionnaireResult:
        return evaluate(spec, self.answers(spec))

    def first_open(self, order: list[Place] | None = None) -> Place | None:
        """The first visible question with no answer ("don't know" counts as an answer here)."""
        order = self.order() if order is None else order
        return next((p for p in order if (a := self.answer(p)) is None or not (a.is_answered or a.unknown)), None)

    def start_place(self, order: list[Place] | None = None) -> Place | None:
        """Where the wizard opens: the first open question (in questionnaire order), so a reopened
        assessment does not land deep in a later questionnaire; when every question is answered, the saved
        position (see :meth:`saved_place`). ``order`` is ``self.order()`` when the caller has it already."""
        order = self.order() if order is None else order
        if not order:
            return None
        return self.first_open(order) or self.saved_place(order) or order[0]

    def saved_place(self, order: list[Place] | None = None) -> Place | None:
        """The saved position if it is still visible, else the next visible question after it."""
        order = self.order() if order is None else order
        if not order:
            return None
        pos = self.doc.position
        for place in order:
            if place.key == (pos.questionnaire, pos.question):
                return place
        if pos.questionnaire and pos.question:  # hidden now: the next visible one after it
            flat = [(s.id, q.id) for s in self.specs for q in s.questions()]
            if (pos.questionnaire, pos.question) in flat:
                after = flat[flat.index((pos.questionnaire, pos.question)):]
                visible = {p.key: p for p in order}
                for key in after:
                    if key in visible:
                        return visible[key]
        return None

    # ------------------------------------------------------------------ writing

    def set_position(self, place: Place) -> bool:
        pos = self.doc.position
        if self.read_only:
            return False
        if (pos.questionnaire, pos.question) == place.key:
            return False
        pos.questionnaire, pos.question = place.key
        if not self.dirty:
            self.position_only = True  # nothing but where the user is: may wait for the next pause
        self.dirty = True
        return True

    def set_answer(self, place: Place, value: Any = None, unknown: bool = False) -> str:
        """Record an answer (the note is kept); returns a problem message or "" when recorded."""
        q = place.question
        if self.read_only:
            return READ_ONLY_PROBLEM
        if value is not None and not unknown:
            value, problem = check_value(q, value)
            if problem:
                return problem
        before = self.answer(place)
        if before is not None and before.unknown == unknown and before.value == value:
            return ""
        if before is None and value is None and not unknown:
            return ""
        record_answer(self.doc, place.spec.id, q, value=value, unknown=unknown)
        self._changed()
        return ""

    def settle_conflict(self, place: Place, value: Any, unknown: bool) -> str:
        """Answer a shared fact with one of its conflicting old values; the conflict is settled even when
        the fact held that value already. Returns a problem message or ""."""
        if self.read_only:
            return READ_ONLY_PROBLEM
        fact = place.spec.fact_of.get(place.question.id)
        problem = self.set_answer(place, value, unknown)
        if problem:
            return problem
        if fact is not None and fact in self.doc.conflicts:
            self.doc.conflicts.pop(fact)
            self._changed()
        return ""

    def restore_answer(self, place: Place, answer: Answer | None) -> None:
        """Put back an earlier answer object exactly (value, "don't know", note and time stamp)."""
        if self.read_only:
            return
        answers = self.doc.answers_for(place.spec.id)
        if answers.get(place.question.id) is answer:
            return
        if answer is None:
            answers.pop(place.question.id, None)
        else:
            answers[place.question.id] = answer
        self._changed()

    def set_note(self, place: Place, note: str) -> None:
        if self.read_only:
            return
        before = self.answer(place)
        if (before.note if before else "") == note:
            return
        record_answer(self.doc, place.spec.id, place.question,
                      value=before.value if before else None,
                      unknown=before.unknown if before else False, note=note)
        self._changed()


def search_places(places: list[Place], query: str) -> list[Place]:
    """Questions matching every word of ``query``, best first.

    A word that stands as a whole word in the prompt counts most, then a word inside the prompt or
    the id, then one found only in the help, "why it matters" or the questionnaire title; ties keep
    the questionnaire order. ("rate" ranks "False positive rate" above "generate".)
    """
    words = query.lower().split()
    if not words:
        return list(places)
    scored: list[tuple[int, int, Place]] = []
    for index, place in enumerate(places):
        q = place.question
        prompt = q.prompt.lower()
        prompt_words = set(re.findall(r"[\w'-]+", prompt))
        other = f"{q.help or ''} {q.why or ''} {place.spec.model.title}".lower()
        total = 0
        for w in words:
            if w in prompt_words:
                total += 4
            elif w in prompt or w in q.id.lower():
                total += 2
            elif w in other:
                total += 1
            else:
                break
        else:
            scored.append((-total, index, place))
    return [place for _score, _index, place in sorted(scored, key=lambda t: (t[0], t[1]))]
