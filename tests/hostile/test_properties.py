"""Property tests: exact Unicode round trips, random valid questionnaires, and a state machine that
answers, edits, saves, reloads and changes the questionnaire under the answers without ever losing one.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from riskwizard.answers import (
    Answer,
    AnswerStore,
    Comment,
    leftover_temps,
    load_answers,
    new_doc,
    reconcile,
    record_answer,
    to_plain,
)
from riskwizard.engine import evaluate_assessment
from riskwizard.loader import load_questionnaire_text

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"
MINI_TEXT = MINI.read_text()
SPECIAL = ["\x85", "\u2028", "\u2029", "\ufeff", "\t", " ", "\r\n", "\r", "\n", "\x00", "\x1b", "\x7f",
           "\u200b", "\u202e", "\U0001f600", "é", "'", '"', "#", ": ", "- ", "|", ">", "&a", "*a", "!!",
           "%", "@", "`", "{", "[", "yes", "no", "~", "null", "010", "1:30", "2024-08-02", ".nan", "---",
           "..."]
TEXT = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(st.characters(exclude_categories=("Cs",)), max_size=8)),
                max_size=12).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


def _mini():
    return load_questionnaire_text(MINI_TEXT, "mini.yaml")


SPEC = _mini()


@SETTINGS
@given(value=TEXT, note=TEXT, note2=TEXT, name=TEXT, row=TEXT, comment=TEXT)
def test_unicode_round_trip_is_exact(value: str, note: str, note2: str, name: str, row: str, comment: str) -> None:
    """Leading/trailing spaces and newlines, CRLF, U+0085, U+2028, U+FEFF, tabs: saved and read back unchanged."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "rt.yaml"
        doc = new_doc([SPEC], name, assessor=note2)
        doc.answers_for("mini").update({
            "notes": Answer(value=value, note=note),
            "kind": Answer(value="scorer", note=note2),
            "fpr": Answer(unknown=True, note=value),
            "groups": Answer(value=[{"name": row, "severity": 3}, {"name": value, "severity": None}]),
        })
        doc.review.comments.append(Comment(by=name, text=comment, date="2026-01-01"))
        with AnswerStore(path) as store:
            store.save(doc)
        back, _ = load_answers(path)
        assert back.answers == doc.answers
        assert back.answers["mini"]["notes"].value == value
        assert back.answers["mini"]["notes"].note == note
        assert back.system.name == name and back.assessor == note2
        assert back.review.comments[0].text == comment
        assert to_plain(back) == to_plain(doc)
        assert not leftover_temps(path)


# --------------------------------------------------------------------------- random questionnaires

SLUG = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
PLAIN = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)


@st.composite
def questionnaires(draw: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    ids = draw(st.lists(SLUG, min_size=1, max_size=12, unique=True))
    questions: list[dict[str, Any]] = []
    for i, qid in enumerate(ids):
        qtype = draw(st.sampled_from(["single", "multi", "yesno", "text", "number", "percent", "group"]))
        q: dict[str, Any] = {"id": qid, "type": qtype, "prompt": draw(PLAIN)}
        if draw(st.booleans()):
            q["help"] = draw(PLAIN)
        if qtype in ("single", "multi"):
            opts = draw(st.lists(SLUG, min_size=1, max_size=5, unique=True))
            q["options"] = [{"value": o, "label": draw(PLAIN)} for o in opts]
        if qtype == "number" and draw(st.booleans()):
            q["min"], q["max"] = 0, draw(st.integers(1, 10**6))
        if qtype == "group":
            q["fields"] = [{"id": "f1", "type": "text", "prompt": draw(PLAIN)},
                           {"id": "f2", "type": "number", "prompt": draw(PLAIN)}]
        earlier = questions[:i]
        if earlier and draw(st.booleans()):
            q["when"] = draw(_condition(earlier))
        questions.append(q)
    rules = []
    for j in range(draw(st.integers(0, 6))):
        rules.append({"id": f"r{j}", "when": draw(_condition(questions)), "score": {"d": draw(st.integers(-3, 5))}})
    rules.append({"id": "tiered", "when": {"score": "d", "op": "ge", "value": draw(st.integers(0, 10))},
                  "tier": "high", "reason": draw(PLAIN)})
    data = {
        "id": "random", "version": "1.0.0", "title": draw(PLAIN), "description": draw(PLAIN),
        "sources": [{"id": "s", "citation": draw(PLAIN)}],
        "sections": [{"id": "main", "title": draw(PLAIN), "questions": questions}],
        "dimensions": [{"id": "d", "title": "D"}],
        "outcome": {"levels": [{"id": "high", "title": "High"}, {"id": "low", "title": "Low"}], "default": "low"},
        "rules": rules,
    }
    return data, questions


def _condition(questions: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    def leaf(q: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        base = {"q": q["id"]}
        t = q["type"]
        if t == "single":
            return st.sampled_from([o["value"] for o in q["options"]]).map(lambda v: {**base, "op": "eq", "value": v})
        if t == "multi":
            return st.sampled_from([o["value"] for o in q["options"]]).map(
                lambda v: {**base, "op": "contains", "value": v})
        if t == "yesno":
            return st.sampled_from(["yes", "no"]).map(lambda v: {**base, "op": "eq", "value": v})
        if t == "text":
            return st.just({**base, "op": "answered"})
        if t == "group":
            return st.just({"any_row": q["id"], "where": {"q": "f2", "op": "ge", "value": 1}})
        return st.integers(0, 100).map(lambda v: {**base, "op": "ge", "value": v})

    leaves = st.sampled_from(questions).flatmap(leaf)
    return st.one_of(leaves, st.lists(leaves, min_size=1, max_size=3).map(lambda items: {"any": items}),
                     leaves.map(lambda c: {"not": c}))


def _value(q: dict[str, Any]) -> st.SearchStrategy[Any]:
    t = q["type"]
    if t == "single":
        return st.sampled_from([o["value"] for o in q["options"]])
    if t == "multi":
        return st.lists(st.sampled_from([o["value"] for o in q["options"]]), unique=True)
    if t == "yesno":
        return st.sampled_from(["yes", "no"])
    if t == "text":
        return TEXT
    if t == "percent":
        return st.floats(0, 100)
    if t == "group":
        return st.lists(st.fixed_dictionaries({"f1": TEXT, "f2": st.integers(-5, 5)}), max_size=4)
    hi = q.get("max", 10**9)
    return st.integers(0, hi)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_valid_questionnaires_load_and_score(data: st.DataObject) -> None:
    qdata, questions = data.draw(questionnaires())
    text = yaml.safe_dump(qdata, allow_unicode=False, sort_keys=False)
    try:
        spec = load_questionnaire_text(text, "random.yaml")
    except Exception as exc:  # contradictory generated conditions are the only acceptable refusal
        assume("can never" not in str(exc))
        raise
    doc = new_doc([spec])
    for q in questions:
        choice = data.draw(st.sampled_from(["skip", "unknown", "answer"]))
        question = spec.question(q["id"])
        if choice == "unknown" and question.unknown_allowed:
            record_answer(doc, "random", question, unknown=True)
        elif choice == "answer":
            record_answer(doc, "random", question, data.draw(_value(q)), note=data.draw(TEXT))
    result = evaluate_assessment(doc, [spec])
    assert result.results[0].tier is not None
    import json

    json.dumps(result.to_dict(), allow_nan=False)


# --------------------------------------------------------------------------- answers are never lost

V2_TEXT = MINI_TEXT.replace("          - {value: other, label: Something else}\n", "") \
                   .replace("          - {value: none, label: None of these}\n", "")
V3_TEXT = MINI_TEXT.replace("""      - id: notes
        type: text
        prompt: Anything else?
        multiline: true
""", "")
assert V2_TEXT != MINI_TEXT and V3_TEXT != MINI_TEXT
VERSIONS = {"v1": SPEC, "v2": load_questionnaire_text(V2_TEXT, "mini.yaml"),
            "v3": load_questionnaire_text(V3_TEXT, "mini.yaml")}
QIDS = ["kind", "people", "domains", "users", "fpr", "notes", "groups"]
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from(["scorer", "other"]),
    "people": st.sampled_from(["yes", "no"]),
    "domains": st.lists(st.sampled_from(["credit", "hiring", "none"]), unique=True, min_size=1).map(
        lambda v: [o for o in ["credit", "hiring", "none"] if o in v]),
    "users": st.integers(0, 10**9),
    "fpr": st.floats(0, 100),
    "notes": TEXT,
    "groups": st.lists(st.fixed_dictionaries({"name": TEXT, "severity": st.integers(1, 5)}), max_size=3),
}


class NeverLoseAnAnswer(RuleBasedStateMachine):
    """The model: ``saved`` holds every answer as last saved; after any reload, each is in
    ``answers`` or ``orphaned`` with the same value and note."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp())
        self.path = self.dir / "a.yaml"
        self.version = "v1"
        self.store = AnswerStore(self.path)
        self.store.acquire()
        self.doc = new_doc([SPEC], "machine")
        self.store.save(self.doc)
        self.store.load()
        self.pending: dict[str, tuple[Any, bool, str]] = {}
        self.saved: dict[str, tuple[Any, bool, str]] = {}

    def teardown(self) -> None:
        self.store.release()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _spec(self):
        return VERSIONS[self.version]

    @rule(qid=st.sampled_from(QIDS), data=st.data(), note=TEXT)
    def answer(self, qid: str, data: st.DataObject, note: str) -> None:
        try:
            question = self._spec().question(qid)
        except KeyError:
            return
        value = data.draw(VALUES[qid])
        try:
            a = record_answer(self.doc, "mini", question, value, note=note)
        except Exception:  # a value the current version refuses (a removed option): the UI refuses it too
            return
        self.pending[qid] = (a.value, False, a.note)

    @rule(qid=st.sampled_from(QIDS))
    def dont_know(self, qid: str) -> None:
        try:
            question = self._spec().question(qid)
        except KeyError:
            return
        if question.unknown_allowed:
            a = record_answer(self.doc, "mini", question, unknown=True)
            self.pending[qid] = (None, True, a.note)

    @rule(qid=st.sampled_from(QIDS))
    def delete_note(self, qid: str) -> None:
        current = self.doc.answers_for("mini").get(qid)
        if current is None:
            return
        try:
            question = self._spec().question(qid)
        except KeyError:
            return
        a = record_answer(self.doc, "mini", question, current.value, current.unknown, note="")
        if current.value is None and not current.unknown:
            self.pending.pop(qid, None)  # a note-only answer whose note is deleted: the user cleared it
        else:
            self.pending[qid] = (a.value, a.unknown, "")

    @rule()
    def save(self) -> None:
        written = self.store.save(self.doc)
        assert written == self.path
        self.saved = dict(self.pending)

    @rule()
    def reload(self) -> None:
        self.doc, _ = self.store.load()
        reconcile(self.doc, [self._spec()])
        self._check_nothing_lost()
        self.pending = {qid: self._current(qid) for qid in self.saved if self._current(qid) is not None}

    @rule(version=st.sampled_from(sorted(VERSIONS)))
    def questionnaire_changes(self, version: str) -> None:
        """A new questionnaire version (a question or options removed); the file is reopened."""
        self.save()
        self.version = version
        self.reload()

    def _current(self, qid: str) -> tuple[Any, bool, str] | None:
        a = self.doc.answers.get("mini", {}).get(qid)
        return None if a is None else (a.value, a.unknown, a.note)

    def _check_nothing_lost(self) -> None:
        orphans = self.doc.orphaned.get("mini", {})
        for qid, (value, _unknown, note) in self.saved.items():
            here = self._current(qid)
            if here is not None and here[0] == value and here[2] == note:
                continue
            kept = [o for k, o in orphans.items() if (k == qid or k.startswith(qid + "__"))
                    and o.value == value and o.note == note]
            assert kept, f"answer to {qid} lost: saved {value!r} / note {note!r}; now {here!r}, orphans {orphans}"

    @invariant()
    def file_always_readable(self) -> None:
        load_answers(self.path)
        assert not leftover_temps(self.path)


NeverLoseAnAnswer.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None,
                                               suppress_health_check=[HealthCheck.too_slow])
TestNeverLoseAnAnswer = NeverLoseAnAnswer.TestCase
