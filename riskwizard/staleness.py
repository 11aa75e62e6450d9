"""Is an assessment still current? Old legal content, an old review, a passed review-by date, a newer
questionnaire.

Four checks, each giving a :class:`Stale` warning with what to do:

- ``content``: a questionnaire's ``as_of`` (the date its legal content was checked) is older than
  ``max_age`` days;
- ``review``: the answers were last reviewed (``review.reviewed``, or the committee's ``review.decided``,
  whichever is later; without either, the date the file was last saved) more than ``max_age`` days ago;
- ``review_by``: the review-by date (``review.review_by``) has passed;
- ``version``: a newer version of a questionnaire is bundled than the one the answers were given to.

The age checks need ``max_age`` (``None`` skips them); the other two always apply. ``today`` is a
parameter (default: the local date), so tests and reports can fix it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

SAVED = "last saved"
DEFAULT_MAX_AGE = 365  # days: the wizard and reports warn after a year (an annual review)


@dataclass(frozen=True)
class Stale:
    kind: str  # content | review | review_by | version
    message: str
    fix: str
    questionnaire: str = ""

    @property
    def line(self) -> str:
        return f"{self.message} ({self.fix})"


def version_key(version: str) -> tuple[int, ...]:
    """"2.0.1" -> (2, 0, 1); "2.1" == "2.1.0". Versions are checked by the model (digits and dots)."""
    parts = [int(p) for p in version.split(".") if p.isdigit()]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def bundled_newer(questionnaire_id: str, version: str) -> Any:
    """The bundled questionnaire with this id when its version is newer than ``version``, else None."""
    from .errors import RiskwizardError
    from .loader import bundled_dir, find_questionnaire

    path = bundled_dir() / f"{questionnaire_id}.yaml"
    if not path.is_file():
        return None
    try:
        spec = find_questionnaire(str(path))
    except RiskwizardError:
        return None
    if spec.id != questionnaire_id or version_key(spec.version) <= version_key(version):
        return None
    return spec


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def last_review(doc: Any) -> tuple[dt.date | None, str]:
    """The date the answers were last looked at, and what it is (reviewed, decided or last saved)."""
    candidates = [(d, what) for d, what in ((_day(doc.review.reviewed), "reviewed"),
                                            (_day(doc.review.decided), "decided on by the committee")) if d]
    if candidates:
        return max(candidates, key=lambda c: c[0])
    saved = _day(doc.updated) or _day(doc.created)
    return saved, SAVED


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def check_staleness(doc: Any, specs: list[Any], recorded: dict[str, str] | None = None,
                    today: dt.date | None = None, max_age: int | None = None) -> list[Stale]:
    """Warnings for an assessment (``doc`` with its questionnaires ``specs``).

    ``recorded`` maps questionnaire id to the version the answers file recorded before it was
    reconciled (:attr:`Assessment.recorded`); without it, the versions of ``specs`` are used.
    """
    today = today or dt.date.today()
    out: list[Stale] = []
    for spec in specs:
        version = (recorded or {}).get(spec.id) or spec.version
        newer = bundled_newer(spec.id, version)
        if newer is not None:
            out.append(Stale("version", f"{spec.id}: the answers were given to version {version}; version "
                             f"{newer.version} is bundled", "see what changes with `riskwizard upgrade FILE "
                             "--dry-run`, then upgrade", spec.id))
        as_of = _day(spec.model.as_of or "")
        if max_age is not None and as_of is not None and (today - as_of).days > max_age:
            age = (today - as_of).days
            out.append(Stale("content", f"{spec.id} {spec.version}: its content was checked on {as_of} "
                             f"({_days(age)} ago, more than {_days(max_age)})",
                             "check for a newer riskwizard or questionnaire, and review the answers", spec.id))
    review_by = _day(doc.review.review_by)
    if review_by is not None and review_by < today:
        out.append(Stale("review_by", f"the review was due by {review_by} ({_days((today - review_by).days)} ago)",
                         "review the answers, then record it with `riskwizard review FILE --review-by DATE`"))
    if max_age is not None:
        when, what = last_review(doc)
        if when is not None and (today - when).days > max_age:
            said = (f"the answers were {what} on {when}" if what != SAVED
                    else f"the answers were never reviewed; the file was last saved on {when}")
            out.append(Stale("review", f"{said} ({_days((today - when).days)} ago, more than {_days(max_age)})",
                             "review them and record it with `riskwizard review FILE`"))
    return out
