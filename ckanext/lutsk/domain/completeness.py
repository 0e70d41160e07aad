"""Passport completeness: which elements of a dataset's passport (CMU resolution
No. 835) are present and valid, scored in the manner of the EU Metadata Quality
Assessment (five dimensions, weighted checks, a rating) but for the Ukrainian passport.
English title and description count, as they make the dataset findable in European
catalogues.

Plain Python, no CKAN: the dataset is a dict in package_show shape, the vocabularies
and the licence list are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.lutsk.domain.passport_law import ELEMENT3_MAX, PURPOSE_MAX, element3_length
from ckanext.lutsk.domain.vocabularies import Vocabulary

__all__ = [
    "CHECKS",
    "DIMENSIONS",
    "RATINGS",
    "BodyScore",
    "Check",
    "Score",
    "Scorer",
    "body_score",
    "rating",
]

FINDABILITY = "findability"
ACCESSIBILITY = "accessibility"
INTEROPERABILITY = "interoperability"
REUSABILITY = "reusability"
CONTEXTUALITY = "contextuality"
DIMENSIONS = (FINDABILITY, ACCESSIBILITY, INTEROPERABILITY, REUSABILITY, CONTEXTUALITY)

#: Ratings with the MQA's thresholds (351, 221, 121 of 405 points) scaled to 100.
RATINGS = (("excellent", 86.7), ("good", 54.6), ("sufficient", 29.9), ("bad", 0.0))

_TAG_RE = re.compile(r"[\w \-.]+", re.UNICODE)  # what data.gov.ua's harvester keeps
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Check:
    """One scored check: ``key`` is a stable code the UI translates."""

    key: str
    dimension: str
    points: int
    #: The passport element (resolution 835) it checks; None for English texts, licence.
    element: int | None


CHECKS: tuple[Check, ...] = (
    Check("title", FINDABILITY, 5, 2),
    Check("description", FINDABILITY, 5, 3),
    Check("keywords", FINDABILITY, 5, 12),
    Check("title_en", FINDABILITY, 5, None),
    Check("description_en", FINDABILITY, 5, None),
    Check("data_links", ACCESSIBILITY, 20, 13),
    Check("formats", INTEROPERABILITY, 10, 6),
    Check("machine_readable", INTEROPERABILITY, 10, 6),
    Check("structure", INTEROPERABILITY, 5, 15),
    Check("licence", REUSABILITY, 5, None),
    Check("purpose", REUSABILITY, 5, 4),
    Check("language", REUSABILITY, 5, 5),
    Check("contact", REUSABILITY, 5, 16),
    Check("frequency", CONTEXTUALITY, 4, 11),
    Check("date_published", CONTEXTUALITY, 2, 8),
    Check("data_updated", CONTEXTUALITY, 2, 9),
    Check("data_current_as_of", CONTEXTUALITY, 2, 10),
)
MAX_POINTS = sum(c.points for c in CHECKS)
_BY_KEY = {c.key: c for c in CHECKS}


def rating(percent: float) -> str:
    for name, floor in RATINGS:
        if percent >= floor:
            return name
    return RATINGS[-1][0]


@dataclass(frozen=True)
class Score:
    """A dataset's score: the checks it passed and failed."""

    passed: tuple[str, ...]
    failed: tuple[str, ...]

    @property
    def points(self) -> int:
        return sum(_BY_KEY[k].points for k in self.passed)

    @property
    def percent(self) -> float:
        return round(100 * self.points / MAX_POINTS, 1)

    @property
    def rating(self) -> str:
        return rating(self.percent)

    def dimensions(self) -> dict[str, tuple[int, int]]:
        """Per dimension: (points, maximum)."""
        out = {d: [0, 0] for d in DIMENSIONS}
        for check in CHECKS:
            out[check.dimension][1] += check.points
            if check.key in self.passed:
                out[check.dimension][0] += check.points
        return {d: (p, m) for d, (p, m) in out.items()}


def _text(pkg: Mapping[str, Any], key: str, limit: int) -> bool:
    value = pkg.get(key)
    return isinstance(value, str) and bool(value.strip()) and len(value) <= limit


def _tags(pkg: Mapping[str, Any]) -> list[str]:
    tags = pkg.get("tags")
    if isinstance(tags, list) and tags:
        return [t["name"] if isinstance(t, Mapping) else str(t) for t in tags]
    text = pkg.get("tag_string") or ""
    return [t.strip() for t in str(text).split(",") if t.strip()]


def _is_true(value: Any) -> bool:
    return value is True or str(value).strip().lower() == "true"


class Scorer:
    """Scores datasets against the vocabularies of the portal.

    ``licences``: the ids of the portal's licences (an unknown id fails the check).
    """

    def __init__(
        self,
        *,
        formats: Vocabulary,
        frequencies: Vocabulary,
        languages: Vocabulary,
        licences: Collection[str],
    ) -> None:
        self.formats = formats
        self.frequencies = frequencies
        self.languages = languages
        self.licences = licences
        self._rules: dict[str, Callable[[Mapping[str, Any], list, list], bool]] = {
            "title": lambda p, _d, _s: _text(p, "title", 254),
            "description": lambda p, _d, _s: (
                _text(p, "notes", ELEMENT3_MAX)
                and element3_length(p.get("notes"), p.get("restricted_info")) <= ELEMENT3_MAX
            ),
            "keywords": lambda p, _d, _s: bool(_tags(p)) and all(_TAG_RE.fullmatch(t) for t in _tags(p)),
            "title_en": lambda p, _d, _s: _text(p, "title_en", 254),
            "description_en": lambda p, _d, _s: _text(p, "notes_en", 4000),
            "data_links": lambda _p, d, _s: bool(d) and all(self._link_ok(r) for r in d),
            "formats": lambda _p, d, _s: bool(d) and all(self._format_ok(r) for r in d),
            "machine_readable": lambda _p, d, _s: any(self._machine_readable(r) for r in d),
            "structure": lambda _p, _d, s: any(self._link_ok(r) for r in s),
            "licence": lambda p, _d, _s: bool(p.get("license_id")) and p["license_id"] in self.licences,
            "purpose": lambda p, _d, _s: _text(p, "purpose_of_collecting_information", PURPOSE_MAX),
            "language": lambda p, _d, _s: p.get("language") in self.languages,
            "contact": lambda p, _d, _s: (
                _text(p, "maintainer", 200) and bool(_EMAIL_RE.match(str(p.get("maintainer_email") or "")))
            ),
            "frequency": lambda p, _d, _s: self.frequencies.normalize(p.get("update_frequency")) is not None,
            "date_published": lambda p, _d, _s: bool(p.get("date_published")),
            "data_updated": lambda p, _d, _s: bool(p.get("data_updated")),
            "data_current_as_of": lambda p, _d, _s: bool(p.get("data_current_as_of")),
        }

    def _link_ok(self, res: Mapping[str, Any]) -> bool:
        url = res.get("url") or ""
        return bool(url) and (res.get("url_type") == "upload" or bool(_URL_RE.match(url)))

    def _format_ok(self, res: Mapping[str, Any]) -> bool:
        value = self.formats.normalize(res.get("format"))
        if value is None:
            return False
        compression = res.get("compression")
        return not compression or self.formats.normalize(compression) is not None

    def _machine_readable(self, res: Mapping[str, Any]) -> bool:
        value = self.formats.normalize(res.get("format"))
        return value is not None and self.formats.is_machine_readable(value)

    def score(self, pkg: Mapping[str, Any], data_valid: bool | None = None) -> Score:
        """``data_valid``: the outcome of the data check of the dataset's tabular files
        (issue 19), None when unknown or there are none. False fails ``machine_readable``:
        a file whose data do not validate is not usable by a machine."""
        resources = [r for r in pkg.get("resources") or () if r.get("state", "active") == "active"]
        data = [r for r in resources if not _is_true(r.get("structure"))]
        structure = [r for r in resources if _is_true(r.get("structure"))]
        passed, failed = [], []
        for check in CHECKS:
            ok = self._rules[check.key](pkg, data, structure)
            if check.key == "machine_readable" and data_valid is False:
                ok = False
            (passed if ok else failed).append(check.key)
        return Score(tuple(passed), tuple(failed))


@dataclass(frozen=True)
class BodyScore:
    """A body's datasets taken together."""

    datasets: int
    percent: float | None
    #: Per check: the share of the body's datasets that pass it (0..1).
    pass_rates: Mapping[str, float]

    @property
    def rating(self) -> str | None:
        return rating(self.percent) if self.percent is not None else None

    def weakest(self, n: int = 3) -> list[str]:
        """The checks the body's datasets fail most often (those failed by any)."""
        failing = [(rate, k) for k, rate in self.pass_rates.items() if rate < 1]
        return [k for _rate, k in sorted(failing)[:n]]


def body_score(scores: Iterable[Score]) -> BodyScore:
    scores = list(scores)
    if not scores:
        return BodyScore(0, None, {})
    passes = dict.fromkeys(_BY_KEY, 0)
    for score in scores:
        for key in score.passed:
            passes[key] += 1
    percent = round(sum(s.percent for s in scores) / len(scores), 1)
    return BodyScore(len(scores), percent, {k: n / len(scores) for k, n in passes.items()})
