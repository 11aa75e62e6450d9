"""Question search ranking (the function behind ctrl+f)."""

from __future__ import annotations

import re
from pathlib import Path

from riskwizard.loader import find_questionnaire
from riskwizard.tui.session import Place, search_places


def _places(tmp_path: Path, qid: str) -> list[Place]:
    spec = find_questionnaire(qid, [])
    return [Place(spec, q) for q in spec.questions()]


def test_whole_words_in_the_prompt_rank_first(tmp_path: Path) -> None:
    places = _places(tmp_path, "error-costs")
    found = search_places(places, "rate")
    assert found, "error-costs asks about rates"
    whole = ["rate" in re.findall(r"[\w'-]+", p.question.prompt.lower()) for p in found]
    # every whole-word hit comes before every question that only contains the letters somewhere
    assert whole == sorted(whole, reverse=True)
    assert whole[0]


def test_every_word_must_match_and_empty_query_lists_all(tmp_path: Path) -> None:
    places = _places(tmp_path, "error-costs")
    assert search_places(places, "") == places
    assert search_places(places, "rate zzzznotaword") == []
    both = search_places(places, "false positive")
    text = [f"{p.question.prompt} {p.question.help} {p.question.why} {p.spec.model.title}".lower() for p in both]
    assert both and all("false" in t and "positive" in t for t in text)
    # questions naming false positives in their prompt come before those that match only via the title
    in_prompt = ["false positive" in p.question.prompt.lower() for p in both]
    assert in_prompt[0] and in_prompt == sorted(in_prompt, reverse=True)
