"""Validators of the passport schema (registered as ``lutsk_*``).

Thin CKAN glue: the rules come from the registry, the vocabularies and the calendar.
Every message goes through gettext, so the form and the API get it in the user's
language (Ukrainian by default).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl.dictization_functions import Invalid, StopOnError, missing

from ckanext.lutsk import config
from ckanext.lutsk.domain import formats, identifiers, passport_law, web_safety, workdays
from ckanext.lutsk.model import ckan_compat

_ = tk._

# Apostrophe look-alikes people type in Ukrainian words («об'єкти», «об’єкти», «об`єкти»).
# data.gov.ua's harvester (and CKAN's tag rule) keep only [\w \-.], so they are all
# mapped to U+02BC MODIFIER LETTER APOSTROPHE, a letter for \w, rather than lost.
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʹ′＇"), "ʼ")
_TAG_RE = re.compile(r"[\w \-.]+", re.UNICODE)
# Strict enough that every accepted address is a valid mailto: IRI (RDF) and a usable
# address: ASCII local part of the usual characters, a domain of letters (any script),
# digits and hyphens, a top-level domain of letters.
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
)
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# Characters an IRI may not hold (RFC 3987): a link with one of them breaks the RDF.
_NOT_IRI = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f]')
# NUL and lone surrogates cannot be stored (PostgreSQL, UTF-8): refused, not guessed at.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Other characters XML (so RDF/XML, Atom, XLSX) cannot hold: removed; a vertical tab or
# form feed (Word's line and page break) becomes a line break.
_BREAKS = re.compile("[\x0b\x0c]")
_NOT_XML = re.compile("[\x01-\x08\x0e-\x1f\ufffe\uffff]")
#: How much of a refused value an error message shows.
SHOWN_MAX = 80


def _shown(value: Any) -> str:
    """A refused value as an error message echoes it: at most ``SHOWN_MAX`` characters."""
    text = value if isinstance(value, str) else repr(value)
    text = _UNSTORABLE.sub("\ufffd", text)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def _empty(value: Any) -> bool:
    return value is missing or value is None or value == ""


def lutsk_strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def lutsk_max_length(length: int):
    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > length:
            raise Invalid(
                _("Must be at most {max} characters long (now {length}).").format(
                    max=length, length=len(value)
                )
            )
        return value

    return validator


def lutsk_default(default: str):
    def validator(key, data, errors, context):
        if _empty(data.get(key)):
            data[key] = default

    return validator


def lutsk_vocabulary(name: str, term_filter: str | None = None):
    """The value must be a term of vocabulary ``name`` (aliases are normalised)."""

    def validator(value: Any) -> Any:
        if _empty(value):
            return value
        vocab = config.vocabulary(name)
        normal = vocab.normalize(value)
        term = vocab.get(normal) if normal is not None else None
        if term is not None and term_filter and not term.extra.get(term_filter):
            normal = None
        if normal is None:
            allowed = [t.value for t in vocab if not term_filter or t.extra.get(term_filter)]
            raise Invalid(
                _("Unknown value “{value}”. Choose one of: {allowed}.").format(
                    value=_shown(value), allowed=", ".join(allowed)
                )
            )
        return normal

    return validator


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return workdays.to_kyiv_date(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return workdays.to_kyiv_date(parsed) if parsed.tzinfo or "T" in value else parsed.date()
    return None


def lutsk_not_future(value: Any) -> Any:
    day = _as_date(value)
    if day is not None and day > workdays.kyiv_today():
        raise Invalid(_("The date {date} is in the future.").format(date=day.isoformat()))
    return value


def lutsk_name_from_title(key, data, errors, context):
    """Passport element 1 left empty: a new dataset's name from its title, by the official
    Ukrainian transliteration (``-2``, ``-3``... when taken); an update keeps its name."""
    if not _empty(data.get(key)):
        return
    pkg = _stored_package(data)
    if pkg is not None:
        data[key] = pkg.name
        return
    title = data.get(("title",))
    base = identifiers.slug(title) if isinstance(title, str) else ""
    if len(base) >= 2:
        data[key] = identifiers.unique(base, lambda name: model.Package.get(name) is not None)


def normalize_tag(tag: str) -> str:
    """A keyword as data.gov.ua keeps it: apostrophes as U+02BC, single spaces."""
    return " ".join(tag.translate(_APOSTROPHES).split())


def _check_tag(tag: str) -> None:
    if not _TAG_RE.fullmatch(tag):
        bad = "".join(sorted({c for c in tag if not _TAG_RE.fullmatch(c)}))
        raise Invalid(
            _("Keyword “{tag}” contains characters the national portal drops: {chars}").format(
                tag=_shown(tag), chars=_shown(bad)
            )
        )


def lutsk_tag_string(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    tags = [normalize_tag(t) for t in value.split(",")]
    tags = [t for t in tags if t]
    for tag in tags:
        _check_tag(tag)
    return ",".join(dict.fromkeys(tags))


def lutsk_normalize_tags(key, data, errors, context):
    """Before validation: the same apostrophe rule for ``tags`` sent as a list (API)."""
    for k in list(data):
        if len(k) == 3 and k[0] == "tags" and k[2] == "name" and isinstance(data[k], str):
            data[k] = normalize_tag(data[k])


def lutsk_email(value: Any) -> Any:
    if isinstance(value, str) and value and not (len(value) <= 254 and _EMAIL_RE.match(value)):
        raise Invalid(_("“{value}” is not a valid e-mail address.").format(value=_shown(value)))
    return value


def _url_problem(value: str) -> str | None:
    """Why ``value`` is not a link the portal can publish (None: it is)."""
    if not _URL_RE.match(value):
        return _("Enter a link that starts with http:// or https://.")
    bad = _NOT_IRI.search(value)
    if bad:
        char = bad.group()
        shown = f"«{char}»" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
        return _(
            "The link contains a character that links may not hold: {char}. Encode it (e.g. %7C for |)."
        ).format(char=shown)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return _("The link is not a valid address.")
    if not parts.hostname:
        return _("The link is not a valid address.")
    return None


def lutsk_http_url(value: Any) -> Any:
    if isinstance(value, str) and value:
        problem = _url_problem(value)
        if problem:
            raise Invalid(problem)
    return value


def lutsk_resource_url_required(key, data, errors, context):
    """A resource needs a link or an upload: without one it has no dcat:accessURL (invalid
    DCAT-AP 3)."""
    if _empty(data.get(key)) and data.get((*key[:-1], "url_type")) != "upload":
        errors[key].append(_("Enter a link to the data or upload a file."))
        raise StopOnError


def lutsk_resource_url(key, data, errors, context):
    """A link to the data is an http(s) URL, or the name of a file uploaded to the portal."""
    value = data.get(key)
    url_type = data.get((*key[:-1], "url_type"))
    if url_type == "upload":
        if not config.upload_markup_allowed():
            problem = web_safety.upload_problem(
                value if isinstance(value, str) else "", data.get((*key[:-1], "mimetype"))
            )
            if problem:
                errors[key].append(
                    _(
                        "Files that a browser would run as a page or script (HTML, SVG, "
                        "JavaScript, XHTML) cannot be uploaded: {what}. Upload the data as "
                        "CSV, JSON, XML, XLSX or PDF, or link to the page instead."
                    ).format(what=_shown(problem))
                )
        return
    if _empty(value):
        return
    problem = _url_problem(value)
    if problem:
        errors[key].append(problem)


def lutsk_guess_format(key, data, errors, context):
    """An empty format (passport element 6) guessed from the uploaded file's name or the
    link, else the media type the uploader found, as stock CKAN does, in the portal's own
    vocabulary; the compression (element 7) too for «data.csv.zip» when left empty."""
    if not _empty(data.get(key)):
        return
    prefix = key[:-1]
    url, media_type = data.get((*prefix, "url")), data.get((*prefix, "mimetype"))
    guess = formats.guess(
        url if isinstance(url, str) else "",
        config.vocabulary("formats"),
        media_type=media_type if isinstance(media_type, str) else None,
    )
    if guess.format:
        data[key] = guess.format
        if guess.compression and _empty(data.get((*prefix, "compression"))):
            data[(*prefix, "compression")] = guess.compression


def lutsk_license(value: Any) -> Any:
    """Only CC BY 4.0: art. 10-1 of the access-to-public-information law allows one
    condition of reuse, a reference to the source (``domain.passport_law``)."""
    if _empty(value):
        return value
    if value != passport_law.LICENCE:
        raise Invalid(
            _(
                "Licence “{value}” is not allowed: art. 10-1 of the Law on Access to Public "
                "Information permits one condition of reuse only, a reference to the source. "
                "Choose Creative Commons Attribution 4.0 ({allowed})."
            ).format(value=value, allowed=passport_law.LICENCE)
        )
    return value


def lutsk_element3_length(key, data, errors, context):
    """Passport element 3: the description and the restricted-information note together
    are at most 4000 characters (``domain.passport_law``). On ``notes``."""
    notes = data.get(key)
    restricted = data.get((*key[:-1], "restricted_info"))
    total = passport_law.element3_length(notes, restricted)
    if total > passport_law.ELEMENT3_MAX:
        errors[key].append(
            _(
                "The description and the restricted information not published are at most "
                "{max} characters together (passport element 3); now {total}: description "
                "{notes}, restricted information {restricted}."
            ).format(
                max=passport_law.ELEMENT3_MAX,
                total=total,
                notes=len(notes) if isinstance(notes, str) else 0,
                restricted=len(restricted) if isinstance(restricted, str) else 0,
            )
        )


def lutsk_martial_law(key, data, errors, context):
    """A restriction under martial law (``domain.restrictions``) names its legal basis,
    the date restricted and a review date not before it; dates without a basis are
    refused. On ``martial_law_basis``."""
    prefix = key[:-1]
    basis = data.get(key)
    since_raw = data.get((*prefix, "martial_law_since"))
    review_raw = data.get((*prefix, "martial_law_review"))
    has_basis = isinstance(basis, str) and bool(basis.strip())
    if not has_basis:
        if not _empty(since_raw) or not _empty(review_raw):
            errors[key].append(_("Name the act under which the dataset is restricted, or clear the dates."))
        return
    since, review = _as_date(since_raw), _as_date(review_raw)
    if since is None:
        errors[key].append(_("Give the date the dataset was restricted."))
    if review is None:
        errors[key].append(_("Give the date the restriction is to be reviewed."))
    if since is not None and review is not None and review < since:
        errors[key].append(
            _("The review date {review} is before the date restricted {since}.").format(
                review=review.isoformat(), since=since.isoformat()
            )
        )


def lutsk_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in (
        "true",
        "false",
        "1",
        "0",
        "yes",
        "no",
        "on",
        "off",
    ):
        return "true" if value.strip().lower() in ("true", "1", "yes", "on") else "false"
    raise Invalid(_("Choose yes or no."))


def lutsk_active_body(key, data, errors, context):
    """``owner_org`` (already an id) must be an active body of the registry."""
    org_id = data.get(key)
    if _empty(org_id) or errors.get(key):
        return
    group = model.Group.get(org_id)
    reg = config.registry()
    body = reg.get(group.name) if group is not None else None
    if body is None:
        errors[key].append(
            _("“{org}” is not in the registry of executive bodies of Lutsk City Council.").format(
                org=group.title if group is not None else org_id
            )
        )
    elif not body.active:
        successor = reg.current(body.slug) if body.successor else None
        message = _("“{body}” was abolished on {date}.").format(
            body=body.title("uk"), date=body.abolished.isoformat() if body.abolished else "?"
        )
        if successor is not None and successor.slug != body.slug:
            message += " " + _("Its datasets are now held by “{successor}”.").format(
                successor=successor.title("uk")
            )
        errors[key].append(message)


def _stored_package(data) -> model.Package | None:
    ref = data.get(("id",)) or data.get(("name",))
    return model.Package.get(ref) if isinstance(ref, str) and ref else None


def _normal_iso(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value).isoformat()
        except ValueError:
            return value
    return ""


def _resource_url(url: Any, url_type: Any) -> str:
    """The link, or for an uploaded file its name: the database keeps the name, package_show
    gives the full download URL (…/dataset/<id>/resource/<rid>/download/<name>), and a patch
    with package_show's dict sends that back."""
    url = url if isinstance(url, str) else ""
    return url.rsplit("/", 1)[-1] if url_type == "upload" else url.strip()


def _resource_signature(resource) -> tuple:
    """What counts as a data update: a new or changed link, a new uploaded file or new
    content (CKAN stamps ``last_modified`` on each upload), not the metadata."""
    return (
        _resource_url(resource.get("url"), resource.get("url_type")),
        resource.get("url_type") or "",
        _normal_iso(resource.get("last_modified")),
    )


def _flat_resources(data) -> list[dict]:
    rows: dict[int, dict] = {}
    for k, v in data.items():
        if len(k) == 3 and k[0] == "resources" and k[2] in ("id", "url", "url_type", "last_modified"):
            rows.setdefault(k[1], {})[k[2]] = v
    return list(rows.values())


def _new_data(sent: list[dict], stored: list[dict]) -> bool:
    """Whether a resource of the save brings new data: one that is not stored yet, or whose
    link or file differs from the stored one of the same id (without an id: from every
    stored one). Only the resources in the save count: CKAN 2.12 validates just the
    resources that changed and copies the others, and removing one brings no new data."""
    by_id = {r.get("id"): _resource_signature(r) for r in stored}
    known = set(by_id.values())
    for resource in sent:
        signature = _resource_signature(resource)
        rid = resource.get("id")
        if isinstance(rid, str) and rid in by_id:
            if by_id[rid] != signature:
                return True
        elif signature not in known:
            return True
    return False


def _stored_extras(data) -> dict[str, str]:
    pkg = _stored_package(data)
    return ckan_compat.package_extras(pkg) if pkg else {}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")  # noqa: UP017


def lutsk_date_published(key, data, errors, context):
    """Passport element 8: set on the first public save, then kept.

    A value sent that differs from the stored one is the body's own (e.g. a dataset
    published long before the portal existed) and is kept as given.
    """
    if not _empty(data.get(key)):
        return
    stored = _stored_extras(data).get("date_published")
    if stored:
        data[key] = stored
    elif not _private(data.get(("private",))) and not _is_draft(data):
        data[key] = _now()


def _is_draft(data) -> bool:
    """A draft (the first step of the two-step form) is not published, public or not."""
    state = data.get(("state",))
    if _empty(state):
        pkg = _stored_package(data)
        state = pkg.state if pkg is not None else ""
    return isinstance(state, str) and state.startswith("draft")


def _private(value: Any) -> bool:
    """Whether ``private`` as sent means private (anything unclear counts as private)."""
    if value is missing or value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    return not (isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off"))


def lutsk_data_updated(key, data, errors, context):
    """Passport element 9: moves only with a data update (a resource link or upload
    changed), not with metadata edits; a body's own system may send it explicitly."""
    pkg = _stored_package(data)
    stored = _stored_extras(data).get("data_updated") if pkg else None
    sent = data.get(key)
    if not _empty(sent) and _normal_iso(sent) != _normal_iso(stored):
        return
    stored_resources = [
        {"id": r.id, "url": r.url, "url_type": r.url_type, "last_modified": r.last_modified}
        for r in (pkg.resources if pkg else [])
    ]
    if _new_data(_flat_resources(data), stored_resources):
        data[key] = _now()
    elif stored:
        data[key] = stored
    # The first publication brings the data to the public: element 9 never precedes
    # element 8 (a dataset filled in while private and published later).
    # (navl runs the fields sorted by key: data_updated before date_published.)
    if _stored_extras(data).get("date_published"):
        return
    if _empty(data.get(("date_published",))):
        if tk.asbool(data.get(("private",)) or False) or _is_draft(data):
            return
        data[("date_published",)] = _now()  # what lutsk_date_published would set
    published, updated = _as_datetime(data.get(("date_published",))), _as_datetime(data.get(key))
    if published is not None and (updated is None or updated < published):
        data[key] = data[("date_published",)]


def _as_datetime(value: Any) -> dt.datetime | None:
    """A stored timestamp as naive UTC (CKAN's way), or None."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)  # noqa: UP017
    return parsed


def lutsk_tag_string_required(key, data, errors, context):
    """Keywords are required (passport element 12), as ``tag_string`` or as a ``tags`` list."""
    if _empty(data.get(key)):
        if any(len(k) == 3 and k[0] == "tags" and k[2] == "name" and data[k] for k in data):
            data.pop(key, None)
            raise StopOnError
        errors[key].append(_("Missing value"))
        raise StopOnError


def lutsk_annex835_row(value: Any) -> Any:
    """``annex835_row`` must name a row of the annex that applies to the council."""
    if value is missing or value is None or value == "":
        return value
    annex = config.annex()
    row = annex.get(str(value).strip().upper())
    if row is None or not row.applies:
        raise Invalid(
            _("“{value}” is not a row of the resolution 835 annex that applies to the council.").format(
                value=value
            )
        )
    return row.id


# ----------------------------------------------------------------- hostile and messy input

#: Fields that hold one text (a list, number or boolean there is refused, not guessed at).
_TEXT_FIELDS = frozenset(
    {
        "name", "title", "title_en", "notes", "notes_en", "restricted_info", "owner_org",
        "purpose_of_collecting_information", "language", "tag_string", "license_id",
        "update_frequency", "data_changed", "data_current_as_of", "date_published", "data_updated",
        "previous_versions_url", "maintainer", "maintainer_email", "annex835_row",
    }
)  # fmt: skip
_RESOURCE_TEXT_FIELDS = frozenset({"url", "name", "description", "format", "compression", "mimetype"})
_DATE_FIELDS = frozenset({"data_changed", "data_current_as_of", "date_published", "data_updated"})
#: The years a passport date may fall in: the conversion to Kyiv time and the deadline
#: arithmetic stay in range, and every date is a valid xsd:date(Time) in DCAT-AP.
DATE_YEARS = (1900, 2100)
#: xsd:dateTime allows time-zone offsets up to ±14:00.
_MAX_OFFSET = dt.timedelta(hours=14)
_BOOLEAN_WORDS = ("true", "false", "1", "0", "yes", "no", "on", "off", "")


def _date_problem(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None  # isodate names a malformed date itself
    lo, hi = DATE_YEARS
    if not lo <= parsed.year <= hi:
        return _("Enter a date between {start} and {end}.").format(start=f"{lo}-01-01", end=f"{hi}-12-31")
    offset = parsed.utcoffset()
    if offset is not None and (abs(offset) > _MAX_OFFSET or offset.seconds % 60 or offset.microseconds):
        return _("The time zone offset {offset} is not valid: it must lie between -14:00 and +14:00.").format(
            offset=_shown(text[19:] or text)
        )
    try:
        parsed.astimezone(dt.timezone.utc)  # noqa: UP017
        workdays.to_kyiv_date(parsed)
    except (OverflowError, ValueError):
        return _("Enter a date between {start} and {end}.").format(start=f"{lo}-01-01", end=f"{hi}-12-31")
    return None


def _clean_text(value: str) -> tuple[str, bool]:
    """(cleaned text, whether it can be stored at all)."""
    if _UNSTORABLE.search(value):
        return value, False
    return _NOT_XML.sub("", _BREAKS.sub("\n", value)), True


def lutsk_clean_input(key, data, errors, context):
    """Before validation, over the whole dataset: text that cannot be stored (NUL, lone
    surrogates) and values of the wrong JSON type are refused with a clear message;
    characters XML cannot hold are removed (Word's vertical tab becomes a line break);
    dates outside the years a passport can mean, or with an offset xsd:dateTime cannot
    hold, are refused. A refused value is taken out, so no later validator sees it."""
    for k in list(data):
        if not isinstance(k, tuple) or not k or not isinstance(k[-1], str) or k[-1].startswith("__"):
            continue
        value = data[k]
        if value is missing or value is None:
            continue
        field = k[-1]
        top = len(k) == 1
        in_resource = len(k) == 3 and k[0] == "resources"
        problem = None
        if isinstance(value, str):
            cleaned, storable = _clean_text(value)
            if not storable:
                problem = _(
                    "The text contains a character that cannot be stored (a NUL or a broken "
                    "Unicode character). Retype it or paste it as plain text."
                )
            else:
                data[k] = value = cleaned
                if top and field in _DATE_FIELDS:
                    problem = _date_problem(value)
                elif top and field == "private" and value.strip().lower() not in _BOOLEAN_WORDS:
                    problem = _("Choose yes or no.")
        elif (top and field in _TEXT_FIELDS) or (in_resource and field in _RESOURCE_TEXT_FIELDS):
            if not (top and field in _DATE_FIELDS and isinstance(value, dt.date)):
                problem = _("Must be text, not {kind}.").format(kind=type(value).__name__)
        elif top and field == "private" and not isinstance(value, bool):
            problem = _("Choose yes or no.")
        if problem:
            errors.setdefault(k, []).append(problem)
            data[k] = True if top and field == "private" else missing
