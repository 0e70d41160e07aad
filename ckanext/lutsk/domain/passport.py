"""The dataset passport of CMU resolution No. 835 as rows in the resolution's order: for the
dataset page, the passport download (CSV, JSON) and reports. Plain Python: the caller
passes the schema, the vocabularies and the registry body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")

#: Element numbers and titles where no schema field carries the element itself.
DERIVED = {
    6: {"uk": "Формат (формати), в якому доступний набір даних", "en": "Formats"},
    7: {"uk": "Формат стиснення набору даних", "en": "Compression format"},
    13: {"uk": "Гіперпосилання на набір даних", "en": "Links to the data"},
    15: {"uk": "Гіперпосилання на структуру набору даних", "en": "Dataset structure"},
}
HOLDER = {"uk": "Розпорядник інформації", "en": "Data holder"}
EDRPOU = {"uk": "Код ЄДРПОУ", "en": "EDRPOU code"}


@dataclass(frozen=True)
class Row:
    """One passport line; ``links`` are (title, url) pairs shown after the text."""

    number: int | None
    key: str
    label: str
    text: str = ""
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def plain(self) -> str:
        """The value as one line of text (exports)."""
        parts = [self.text] if self.text else []
        # An address as people write it (not «mailto:…»).
        parts += [url.removeprefix("mailto:") for _title, url in self.links]
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["links"] = [{"title": t, "url": u} for t, u in self.links]
        data["value"] = self.plain()
        return data


def _pick(text: Any, lang: str) -> str:
    if isinstance(text, Mapping):
        return text.get(lang) or text.get("uk") or next(iter(text.values()), "")
    return text or ""


def format_datetime(value: Any, with_time: bool = True) -> str:
    """ISO date/datetime (UTC when naive, as CKAN stores it) → Kyiv local ``DD.MM.YYYY HH:MM``."""
    if not value:
        return ""
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if len(str(value)) == 10 or not with_time:
        return parsed.strftime("%d.%m.%Y")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)  # noqa: UP017
    return parsed.astimezone(KYIV).strftime("%d.%m.%Y %H:%M")


def passport_rows(
    pkg: Mapping[str, Any],
    schema: Mapping[str, Any],
    lang: str,
    label_of: Callable[[str, str], str],
    body: Mapping[str, Any] | None = None,
    activity_url: str = "",
    license_title: Callable[[str], str] | None = None,
) -> list[Row]:
    """The passport rows of ``pkg`` in the order of resolution 835.

    ``schema`` is the scheming dataset schema (fields carry ``passport: N``);
    ``label_of(vocabulary, value)`` gives a vocabulary label in ``lang``;
    ``body`` is the registry entry of the holder (``helpers.body_dict``).
    """
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    resources = [r for r in pkg.get("resources") or [] if r.get("state", "active") == "active"]
    data_res = [r for r in resources if str(r.get("structure")).lower() != "true"]
    structure = [r for r in resources if str(r.get("structure")).lower() == "true"]

    def label(name: str) -> str:
        return _pick(fields[name]["label"], lang)

    def row(name: str, text: str = "", links=()) -> Row:
        return Row(fields[name].get("passport"), name, label(name), text, tuple(links))

    def derived(number: int, key: str, text: str = "", links=()) -> Row:
        return Row(number, key, _pick(DERIVED[number], lang), text, tuple(links))

    title = pkg.get("title") or ""
    if lang == "en" and pkg.get("title_en"):
        title = f"{pkg['title_en']} ({title})"
    notes = pkg.get("notes") or ""
    rows = [
        row("name", pkg.get("name", "")),
        row("title", title),
        row("notes", notes),
    ]
    if pkg.get("restricted_info"):
        rows.append(row("restricted_info", pkg["restricted_info"]))
    rows += [
        row("purpose_of_collecting_information", pkg.get("purpose_of_collecting_information", "")),
        row("language", label_of("languages", pkg.get("language", "")) if pkg.get("language") else ""),
        derived(6, "formats", ", ".join(dict.fromkeys(r["format"] for r in data_res if r.get("format")))),
        derived(
            7,
            "compression",
            ", ".join(dict.fromkeys(r["compression"] for r in resources if r.get("compression"))),
        ),
        row("date_published", format_datetime(pkg.get("date_published"))),
        row("data_updated", format_datetime(pkg.get("data_updated"))),
        row("data_current_as_of", format_datetime(pkg.get("data_current_as_of"), with_time=False)),
        row(
            "update_frequency",
            label_of("frequencies", pkg["update_frequency"]) if pkg.get("update_frequency") else "",
        ),
        row("tag_string", ", ".join(t["name"] for t in pkg.get("tags") or [])),
        derived(13, "links", links=[(r.get("name") or r.get("url", ""), r.get("url", "")) for r in data_res]),
    ]
    previous = (
        [(pkg["previous_versions_url"], pkg["previous_versions_url"])]
        if pkg.get("previous_versions_url")
        else []
    )
    if activity_url:
        previous.append(("", activity_url))
    rows.append(row("previous_versions_url", links=previous))
    rows.append(
        derived(
            15, "structure", links=[(r.get("name") or r.get("url", ""), r.get("url", "")) for r in structure]
        )
    )
    person = pkg.get("maintainer") or ""
    rows.append(row("maintainer", person))
    rows.append(
        row(
            "maintainer_email",
            links=[(pkg["maintainer_email"], "mailto:" + pkg["maintainer_email"])]
            if pkg.get("maintainer_email")
            else [],
        )
    )
    holder = _pick(body["title"], lang) if body else (pkg.get("organization") or {}).get("title", "")
    rows.append(Row(None, "holder", _pick(HOLDER, lang), holder))
    rows.append(Row(None, "edrpou", _pick(EDRPOU, lang), (body or {}).get("edrpou") or "—"))
    if pkg.get("data_changed"):
        rows.append(row("data_changed", format_datetime(pkg["data_changed"], with_time=False)))
    if pkg.get("license_id"):
        title = license_title(pkg["license_id"]) if license_title else pkg.get("license_title")
        rows.append(row("license_id", title or pkg["license_id"]))
    return rows
