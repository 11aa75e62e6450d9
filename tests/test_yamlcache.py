"""The parsed-questionnaire cache: same result as parsing, keyed by content, never trusted blindly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskwizard import yamlcache
from riskwizard.errors import RiskwizardError
from riskwizard.loader import bundled_paths, load_questionnaire


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("RISKWIZARD_NO_CACHE", raising=False)
    return tmp_path / "cache" / "riskwizard" / "parsed"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


@pytest.mark.parametrize("qid", sorted(bundled_paths()))
def test_cached_load_equals_parsed_load(cache: Path, qid: str) -> None:
    path = bundled_paths()[qid]
    parsed = load_questionnaire(path)  # parses, then stores
    assert len(entries(cache)) == 1
    cached = load_questionnaire(path)  # from the cache
    assert cached.model.model_dump() == parsed.model.model_dump()
    assert cached.sha256 == parsed.sha256 and cached.path == parsed.path
    assert cached.question_when.keys() == parsed.question_when.keys()
    assert cached.rule_when.keys() == parsed.rule_when.keys()


def test_second_load_does_not_parse(cache: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_questionnaire(mini_path)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr("riskwizard.loader.load_yaml_text", no_parsing)
    assert load_questionnaire(mini_path).id


def test_edited_file_is_parsed_again(cache: Path, mini_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "mini.yaml"
    copy.write_text(mini_path.read_text(encoding="utf-8"), encoding="utf-8")
    before = load_questionnaire(copy)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace(f"title: {before.model.title}", "title: Edited title", 1), encoding="utf-8")
    assert load_questionnaire(copy).model.title == "Edited title"
    assert len(entries(cache)) == 2


def test_damaged_or_foreign_entries_fall_back_to_the_file(cache: Path, mini_path: Path) -> None:
    good = load_questionnaire(mini_path)
    (entry,) = entries(cache)
    for damage in ("{not json", json.dumps({"format": 99, "data": {}}), json.dumps([1, 2])):
        entry.write_text(damage, encoding="utf-8")
        assert load_questionnaire(mini_path).model.model_dump() == good.model.model_dump()


def test_an_entry_that_does_not_validate_gives_the_files_answer(cache: Path, mini_path: Path) -> None:
    good = load_questionnaire(mini_path)
    (entry,) = entries(cache)
    entry.write_text(json.dumps({"format": yamlcache.FORMAT, "data": {"id": "tampered"}}), encoding="utf-8")
    assert load_questionnaire(mini_path).model.model_dump() == good.model.model_dump()


def test_invalid_files_are_not_cached_and_keep_their_line_numbers(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1.0.0'\ntitle: Bad\nsections: []\nunknown_key: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RiskwizardError) as info:
            load_questionnaire(bad)
        assert ":5" in str(info.value) or "line 5" in str(info.value)
    assert entries(cache) == []


def test_unwritable_cache_still_loads(tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_questionnaire(mini_path).id
    assert load_questionnaire(mini_path).id


def test_cache_can_be_turned_off(cache: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKWIZARD_NO_CACHE", "1")
    load_questionnaire(mini_path)
    assert entries(cache) == []


def test_values_json_would_change_are_not_stored(cache: Path) -> None:
    yamlcache.put("0" * 64, {1: "number key"})
    yamlcache.put("1" * 64, {"fine": [1, 2.5, None, True, "text"]})
    assert [p.name.split("-")[0] for p in entries(cache)] == ["1" * 64]
    assert yamlcache.get("1" * 64) == {"fine": [1, 2.5, None, True, "text"]}
