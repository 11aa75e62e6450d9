"""Questionnaires rebuilt from checked cache entries without validation (start-up, #14 item 7): the
same objects as validation gives, only for data this code checked, never from an entry someone else
could have written, and the checks run again whenever the file (or the code) changed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from riskwizard import loader, yamlcache
from riskwizard.loader import bundled_dir, bundled_paths, load_questionnaire
from riskwizard.models import ConsistencyRules, FactCatalogue, Questionnaire
from riskwizard.trusted import NotTrusted, construct
from riskwizard.yamlsafe import SourcedYaml, load_yaml_file


def same(a: Any, b: Any, path: str = "$") -> None:
    """Equal, of the same types all the way down, with the same fields set (``==`` takes 1 for 1.0)."""
    assert type(a) is type(b), path
    if isinstance(a, BaseModel):
        assert a.model_fields_set == b.model_fields_set, path
        assert list(a.__dict__) == list(b.__dict__), path
        for key in a.__dict__:
            same(a.__dict__[key], b.__dict__[key], f"{path}.{key}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    else:
        assert a == b, path


FILES = [*((Questionnaire, p) for p in bundled_paths().values()),
         (FactCatalogue, bundled_dir() / "shared" / "facts.yaml"),
         (ConsistencyRules, bundled_dir() / "shared" / "consistency.yaml")]


@pytest.mark.parametrize(("model", "path"), FILES, ids=[p.name for _, p in FILES])
def test_construct_gives_what_validation_gives(model: type[BaseModel], path: Path) -> None:
    data = load_yaml_file(path).data
    same(construct(model, data), model.model_validate(data))


@pytest.mark.parametrize("damage", [
    {"unknown_key": 1},  # a key no field has
    {"title": 5},  # a number where text is expected
    {"sections": [{"id": "s", "title": "S", "questions": [{"id": "q", "prompt": "Q?", "type": "nope"}]}]},
    {"sections": [{"id": "s", "title": "S", "questions": [{"id": "q", "prompt": "Q?", "type": "number",
                                                           "min": True}]}]},  # a bool is no number
])
def test_data_of_another_shape_is_not_trusted(mini_path: Path, damage: dict[str, Any]) -> None:
    data = {**load_yaml_file(mini_path).data, **damage}
    with pytest.raises(NotTrusted):
        construct(Questionnaire, data)


def test_a_missing_required_field_is_not_trusted(mini_path: Path) -> None:
    data = dict(load_yaml_file(mini_path).data)
    del data["title"]
    with pytest.raises(NotTrusted):
        construct(Questionnaire, data)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("RISKWIZARD_NO_CACHE", raising=False)
    return tmp_path / "cache" / "riskwizard" / "parsed"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the never-true check and pydantic validation of a questionnaire run."""
    calls = {"lint": 0, "validate": 0}
    lint, validated = loader._check_satisfiable, loader.validated

    def counting_lint(*args: Any) -> None:
        calls["lint"] += 1
        lint(*args)

    def counting_validated(model_cls: Any, *args: Any) -> Any:
        if model_cls is Questionnaire:
            calls["validate"] += 1
        return validated(model_cls, *args)

    monkeypatch.setattr(loader, "_check_satisfiable", counting_lint)
    monkeypatch.setattr(loader, "validated", counting_validated)
    return calls


def entry_of(cache: Path, path: Path) -> Path:
    """The cache entry of the file at ``path`` (others may be there: the facts catalogue is cached too when
    this process had not loaded it before)."""
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (entry,) = (e for e in cache.glob("*.json") if e.name.split("-")[0] == digest)
    return entry


def copy_of(source: Path, folder: Path) -> Path:
    target = folder / source.name
    target.write_bytes(source.read_bytes())
    return target


def test_a_checked_entry_skips_validation_and_lint_until_the_file_changes(
        cache: Path, tmp_path: Path, counted: dict[str, int]) -> None:
    path = copy_of(bundled_paths()["eu-ai-act"], tmp_path)
    parsed = load_questionnaire(path)
    assert counted == {"lint": 1, "validate": 1}
    again = load_questionnaire(path)
    assert counted == {"lint": 1, "validate": 1}  # neither ran again
    same(again.model, parsed.model)
    assert again.question_when.keys() == parsed.question_when.keys() and again.rule_when == parsed.rule_when
    assert again.section_of == parsed.section_of and again.fact_of == parsed.fact_of
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: Edited", 1), encoding="utf-8")
    load_questionnaire(path)
    assert counted == {"lint": 2, "validate": 2}  # an edited file is checked again
    load_questionnaire(path)
    assert counted == {"lint": 2, "validate": 2}


def test_an_edit_that_breaks_the_lint_is_reported(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    text = ("id: q\nversion: '1.0'\ntitle: Q\ndescription: D\nsources: [{id: s, citation: C}]\nsections:\n"
            "  - id: s\n    title: S\n    questions:\n      - {id: a, type: yesno, prompt: A?}\n"
            "      - {id: b, type: yesno, prompt: B?, when: {q: a, op: eq, value: 'yes'}}\n")
    path.write_text(text, encoding="utf-8")
    load_questionnaire(path)
    load_questionnaire(path)  # trusted now
    never = "when: {all: [{q: a, op: eq, value: 'yes'}, {q: a, op: eq, value: 'no'}]}"
    path.write_text(text.replace("when: {q: a, op: eq, value: 'yes'}", never), encoding="utf-8")
    with pytest.raises(Exception, match="can never be true"):
        load_questionnaire(path)


def test_a_mark_of_other_code_is_checked_again(cache: Path, tmp_path: Path, counted: dict[str, int]) -> None:
    path = copy_of(bundled_paths()["harms"], tmp_path)
    load_questionnaire(path)
    entry = entry_of(cache, path)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**stored, "checked": "written by an older riskwizard"}), encoding="utf-8")
    load_questionnaire(path)
    assert counted == {"lint": 2, "validate": 2}
    assert json.loads(entry.read_text(encoding="utf-8"))["checked"] == stored["checked"]  # marked again
    load_questionnaire(path)
    assert counted == {"lint": 2, "validate": 2}


def test_a_tampered_checked_entry_falls_back_to_the_file(cache: Path, tmp_path: Path) -> None:
    path = copy_of(bundled_paths()["harms"], tmp_path)
    good = load_questionnaire(path)
    entry = entry_of(cache, path)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    for data in ({"id": "tampered"}, {**stored["data"], "title": 12}, [1, 2], "text"):
        entry.write_text(json.dumps({**stored, "data": data}), encoding="utf-8")
        same(load_questionnaire(path).model, good.model)


@pytest.mark.parametrize("loosen", ["file", "folder"])
def test_an_entry_others_could_write_is_validated(cache: Path, tmp_path: Path, counted: dict[str, int],
                                                  loosen: str) -> None:
    path = copy_of(bundled_paths()["harms"], tmp_path)
    load_questionnaire(path)
    entry = entry_of(cache, path)
    assert entry.stat().st_mode & 0o777 == 0o600 and cache.stat().st_mode & 0o777 == 0o700
    (entry if loosen == "file" else cache).chmod(0o666 if loosen == "file" else 0o777)
    assert yamlcache.get_checked(entry.name.split("-")[0])[1:] == (None, None)
    load_questionnaire(path)
    assert counted == {"lint": 2, "validate": 2}


def test_start_up_builds_no_questionnaire_validator(cache: Path, tmp_path: Path) -> None:
    """In a fresh process, a second load of every bundled questionnaire (the catalogue and the
    consistency rules too) builds none of the questionnaire models' validators."""
    import subprocess
    import sys

    code = ("import sys; from riskwizard import models, loader, consistency\n"
            "for p in loader.bundled_paths().values(): loader.load_questionnaire(p)\n"
            "consistency.load_rules()\n"
            "built = [n for n, c in vars(models).items() if isinstance(c, type) and issubclass(c, models.BaseModel)"
            " and c.__pydantic_complete__]\n"
            "print(built)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.strip() != "[]"  # the first load validates (and builds)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert second.stdout.strip() == "[]"


def test_the_catalogue_from_a_checked_entry_keeps_the_lines_of_its_facts(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy_of(bundled_dir() / "shared" / "facts.yaml", tmp_path)
    st = path.stat()
    load = loader._load_catalogue.__wrapped__  # type: ignore[attr-defined]  # past the in-process cache
    parsed = load(str(path), st.st_mtime_ns, st.st_size)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although checked")

    monkeypatch.setattr(loader, "load_yaml_text", no_parsing)
    again = load(str(path), st.st_mtime_ns, st.st_size)
    assert again.sha256 == parsed.sha256 and list(again.facts) == list(parsed.facts)
    for fid, fdef in parsed.facts.items():
        same(again.facts[fid].question, fdef.question)
        assert again.facts[fid].where == fdef.where and fdef.where is not None and fdef.where.line
    monkeypatch.undo()
    entry = entry_of(cache, path)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**stored, "extra": [[1, 1]]}), encoding="utf-8")  # lines of another file
    assert load(str(path), st.st_mtime_ns, st.st_size).facts.keys() == parsed.facts.keys()  # parsed again


def all_conditions(spec: loader.Spec) -> list[tuple[str, Any]]:
    return [*((f"question {k}", c) for k, c in spec.question_when.items()),
            *((f"section {k}", c) for k, c in spec.section_when.items()),
            *((f"rule {k}", c) for k, c in spec.rule_when.items()),
            *((f"obligation {k}", c) for k, c in spec.obligation_when.items()),
            *((f"key date {i}", c) for i, c in enumerate(spec.key_date_when)), ("applies_when", spec.applies_when)]


@pytest.mark.parametrize("path", list(bundled_paths().values()), ids=list(bundled_paths()))
def test_conditions_rebuilt_from_checked_data_are_the_compiled_ones(path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    src = load_yaml_file(path)
    checked = loader.build_spec(src, "d")
    compiled = 0
    real = loader.compile_condition

    def counting(*args: Any) -> Any:
        nonlocal compiled
        compiled += 1
        return real(*args)

    monkeypatch.setattr(loader, "compile_condition", counting)
    cached = SourcedYaml(data=json.loads(json.dumps(src.data)), path=src.path)  # as the cache keeps it
    rebuilt = loader.build_spec(cached, "d", trusted=True)
    assert compiled == 0  # every condition of a bundled questionnaire is rebuilt, none compiled again
    pairs = list(zip(all_conditions(checked), all_conditions(rebuilt), strict=True))
    assert len(pairs) > 10
    for (name, a), (other, b) in pairs:
        assert name == other
        assert a == b, name  # the same tree, node for node (frozen dataclasses compare by value)
        assert type(a) is type(b), name


@pytest.mark.parametrize("damaged", [
    {"q": "nope", "op": "eq", "value": "x"},  # a question that does not exist
    {"all": []},  # an empty combinator
    {"q": "q", "op": "gt", "value": 1},  # an operator of another question type
    {"q": "q", "op": "answered", "value": "yes"},  # a value where none is taken
    {"q": "q", "op": "eq", "value": "maybe"},  # not yes or no
    {"q": "q", "op": "eq", "value": True},  # a value of another type
    {"q": ["q"], "op": "eq", "value": "yes"},  # a name that is not text
    {"op": "eq", "value": "yes"},  # nothing compared
    {"score": ["s"], "op": "gt", "value": 1},
])
def test_a_condition_the_rebuild_cannot_place_is_refused_for_compiling(damaged: dict[str, Any]) -> None:
    from riskwizard.conditions import NotRebuilt, Scope, rebuild_condition
    from riskwizard.models import YesNo

    scope = Scope({"q": YesNo(id="q", prompt="Q?", type="yesno")}, set(), {"s"}, True, "test")
    with pytest.raises(NotRebuilt):
        rebuild_condition(damaged, scope)


def test_a_damaged_condition_in_a_checked_entry_falls_back_to_the_file(cache: Path, tmp_path: Path) -> None:
    """A checked entry is trusted, but a damaged condition in it (a changed cache file) is compiled with
    its checks, which fail, and the questionnaire is read from its file: never a traceback, never a
    condition that quietly never holds."""
    path = copy_of(bundled_paths()["eu-ai-act"], tmp_path)
    good = load_questionnaire(path)
    by_type = {q.type: q for q in good.questions()}
    number, multi = by_type["number"], by_type["multi"]
    entry = entry_of(cache, path)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    damages = [
        {"op": "gt", "value": 1},
        {"q": [number.id], "op": "ge", "value": 1},
        {"q": number.id, "op": "ge", "value": "100000"},
        {"q": multi.id, "op": "contains", "value": [multi.options[0].value]},
        {"q": multi.id, "op": "contains_any", "value": [1]},
        {"any_row": ["rows"], "where": {"q": "x", "op": "answered"}},
        {"score": 3, "op": "gt", "value": 1},
        {"q": multi.id, "op": "contains", "value": "not-an-option"},  # would quietly never hold
        "deep",  # nested far deeper than any YAML file may be (40 levels)
    ]
    for damage in damages:
        data = json.loads(json.dumps(stored["data"]))
        data["rules"][0]["when"] = "DAMAGE" if damage == "deep" else damage
        text = json.dumps({**stored, "data": data})
        if damage == "deep":
            text = text.replace('"DAMAGE"', '{"not": ' * 3000 + '{"q": "x", "op": "answered"}' + "}" * 3000)
        entry.write_text(text, encoding="utf-8")
        entry.chmod(0o600)
        again = load_questionnaire(path)
        assert again.rule_when == good.rule_when, damage
        assert list(again.question_when) == list(good.question_when)
