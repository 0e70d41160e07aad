"""Deadline mails through CKAN's mailer: reminders to the responsible persons and the ICT
department's weekly digest. ``mail_log`` remembers what was sent, so a dataset in a state
(with a given deadline) is never mailed twice to the same address.

Each recipient is one transaction: the log rows are written (the unique key stops a
concurrent run), the mail is sent, then the rows are committed; a failed send rolls them
back, so the news goes out on the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from ckanext.lutsk import config, lang
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines.status import LATE_STATES
from ckanext.lutsk.domain import restrictions, workdays
from ckanext.lutsk.domain.deadlines import DUE_SOON
from ckanext.lutsk.model import catalogue, data_check, mail_log

log = logging.getLogger(__name__)
_ = tk._


@dataclass
class Outcome:
    recipient: str
    datasets: int = 0  # datasets in the mail (0: nothing new, no mail)
    already_sent: int = 0
    error: str | None = None


def _site_url() -> str:
    return tk.config.get("ckan.site_url", "").rstrip("/")


def _key(row: Mapping[str, Any]) -> mail_log.Key:
    return (row["id"], row["state"], row["next_due"] or "")


def _send(
    recipient: str, name: str, subject: str, body: str, records: Iterable[tuple[str, Iterable[mail_log.Key]]]
) -> None:
    for kind, keys in records:
        mail_log.add(kind, recipient, keys)
    try:
        mailer.mail_recipient(name, recipient, subject, body)
    except Exception:
        model.Session.rollback()
        raise
    model.Session.commit()


# -- the log --------------------------------------------------------------------------


def prune_log(keep_days: int | None = None) -> int:
    """Drop mail-log rows older than ``keep_days`` (ckanext.lutsk.mail_log_keep_days) that
    no longer stop a repeat: only datasets late now for the same deadline keep theirs."""
    if keep_days is None:
        keep_days = config.mail_log_keep_days()
    if keep_days < 1:
        raise ValueError("keep_days must be at least 1")
    late = deadline_report.build_report({"ignore_auth": True}, states=["overdue"])["datasets"]
    cutoff = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=keep_days)  # noqa: UP017
    removed = mail_log.prune(cutoff, {_key(r) for r in late})
    model.Session.commit()
    return removed


# -- reminders ------------------------------------------------------------------------


def reminder_rows(today: date, days: int) -> dict[str, list[dict[str, Any]]]:
    """Datasets due within ``days`` working days or overdue, per responsible address.

    The dataset's ``maintainer_email``; the body's e-mail from the registry when empty.
    """
    report = deadline_report.build_report(
        {"ignore_auth": True}, states=[DUE_SOON, *LATE_STATES], as_of=today, due_soon_days=days
    )
    registry = config.registry()
    per_address: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in report["datasets"]:
        address = (row["maintainer_email"] or "").strip()
        if not address:
            body = registry.get(row["body"]) if row["body"] else None
            address = (body.email or "").strip() if body else ""
        if not address:
            log.warning("Dataset %s has no responsible e-mail and its body none: no reminder", row["name"])
            continue
        per_address[address.lower()].append(row)
    return dict(per_address)


def data_error_rows() -> dict[str, list[dict[str, Any]]]:
    """Resources whose data fail the check (issue 19), per responsible address (the same
    rule as the deadlines: the dataset's maintainer, else the body's e-mail)."""
    registry = config.registry()
    per_address: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in data_check.failing_resources():
        address = row["maintainer_email"].strip()
        if not address:
            body = registry.get(row["body"]) if row["body"] else None
            address = (body.email or "").strip() if body else ""
        if address:
            per_address[address.lower()].append(row)
    return dict(per_address)


def reminder_text(
    rows: list[dict[str, Any]], name: str, data_errors: list[dict[str, Any]] | None = None
) -> tuple[str, str]:
    """Subject and body of one reminder (in the portal's language, Ukrainian); ``data_errors``:
    the address's resources whose data fail the check, reminded in the same mail."""
    overdue = [r for r in rows if r["state"] in LATE_STATES]
    soon = [r for r in rows if r["state"] == DUE_SOON]
    n = len(rows)
    subject = tk.ungettext(
        "Open data portal: {n} dataset needs updating", "Open data portal: {n} datasets need updating", n
    ).format(n=n)
    lines = [
        _("Dear {name},").format(name=name) if name else _("Hello,"),
        "",
        _(
            "Under the mayor's order on open data (item 3), a dataset is updated on the portals no later "
            "than three working days after its data changed, and as often as its passport declares."
        ),
    ]
    if overdue:
        lines += ["", _("Overdue:"), *_overdue_lines(overdue)]
    if soon:
        lines += ["", _("Due soon:")]
        for r in soon:
            lines.append(
                "- "
                + _("{title} ({body}): update by {date}, {days}").format(
                    title=r["title"], body=r["body_title"], date=_day(r["next_due"]), days=r["days_text"]
                )
            )
            lines.append(f"  {r['url']}")
    if data_errors:
        lines += ["", _("Errors in the data (the portal's check of the published files):")]
        for r in data_errors:
            lines.append(
                "- "
                + _("{title}: {resource}, problems: {count}").format(
                    title=r["title"], resource=r["resource"], count=r["issue_count"]
                )
            )
            lines.append(f"  {_site_url()}/dataset/{r['dataset']}/resource/{r['resource_id']}#data-check")
    bodies = sorted({r["body"] for r in rows if r["body"]})
    if bodies:
        lines += ["", _("Deadlines of your body:")]
        lines += [f"  {_site_url()}/organization/{b}/deadlines" for b in bodies]
    lines += ["", _("This message was sent automatically by the Lutsk City Council open data portal.")]
    return subject, "\n".join(lines) + "\n"


def _overdue_lines(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """An overdue dataset as two lines of a mail: what, whose, how late; its link."""
    lines = []
    for r in rows:
        lines.append(
            "- "
            + _("{title} ({body}): {state}, due {date}, {days}").format(
                title=r["title"],
                body=r["body_title"],
                state=r["state_label"],
                date=_day(r["next_due"]),
                days=r["days_text"],
            )
        )
        lines.append(f"  {r['url']}")
    return lines


def _day(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "—"


def send_reminders(
    today: date | None = None, days: int | None = None, dry_run: bool = False
) -> list[Outcome]:
    today = today or workdays.kyiv_today()
    days = config.remind_days() if days is None else days
    outcomes = []
    data_errors = data_error_rows()
    for address, rows in sorted(reminder_rows(today, days).items()):
        sent = mail_log.sent_keys(mail_log.REMINDER, address)
        new = [r for r in rows if _key(r) not in sent]
        outcome = Outcome(address, datasets=len(new), already_sent=len(rows) - len(new))
        outcomes.append(outcome)
        if not new or dry_run:
            continue
        name = next((r["maintainer"] for r in new if r["maintainer"]), "")
        subject, body = reminder_text(new, name, data_errors.get(address))
        try:
            _send(address, name, subject, body, [(mail_log.REMINDER, map(_key, new))])
        except Exception as exc:  # one bad address must not stop the others
            log.exception("Reminder to %s failed", address)
            outcome.error = str(exc)
    return outcomes


# -- weekly digest --------------------------------------------------------------------


def ict_recipients() -> list[tuple[str, str]]:
    """(name, address) of the digest: the configured address(es), else the ICT members'."""
    configured = config.ict_email()
    if configured:
        return [("", a) for a in configured]
    org = model.Group.get(config.ict_organization())
    if org is None:
        return []
    users = (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(
            model.Member.group_id == org.id,
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.User.state == "active",
        )
        .all()
    )
    return sorted({(u.fullname or u.name, u.email) for u in users if u.email}, key=lambda p: p[1])


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def restriction_reviews(today: date) -> list[str]:
    """One line per restriction under martial law whose review date has come: the datasets
    whose passport names a basis (drafts too) and the annex rows restricted for a body."""
    reg = config.registry()

    def body_title(slug: str | None) -> str:
        body = reg.get(slug or "")
        return body.title("uk") if body else (slug or "")

    lines = []
    for rec in sorted(catalogue.load_records(), key=lambda r: (r.get("body") or "", r["name"])):
        found = restrictions.of_dataset(rec)
        if found is not None and found.review_due(today):
            lines.append(
                f"- {rec['title']} ({body_title(rec.get('body'))}): {_review_day(found.review)}; "
                f"{_site_url()}/dataset/{rec['name']}"
            )
    for row in config.annex():
        for slug in row.restricted_bodies:
            if row.restriction is not None and row.restriction.review_due(today):
                lines.append(f"- {row.id} ({body_title(slug)}): {_review_day(row.restriction.review)}")
    return lines


def _review_day(day: date | None) -> str:
    if day is None:
        return _("no review date")
    return _("review due {date}").format(date=f"{day:%d.%m.%Y}")


def digest_text(
    report: Mapping[str, Any], new: list[dict[str, Any]], old: int, reviews: Iterable[str] = ()
) -> tuple[str, str]:
    totals = report["totals"]
    percent = lang.percent(totals["on_time_percent"])
    subject = _("Open data portal: update deadlines on {date}").format(date=_day(report["as_of"]))
    lines = [
        _("Update deadlines on {date}.").format(date=_day(report["as_of"])),
        _("On time: {percent}; datasets: {total}; overdue: {overdue}.").format(
            percent=percent, total=totals["total"], overdue=totals["overdue"]
        ),
        "",
        _("Bodies (on time, overdue):"),
    ]
    for s in deadline_report.sort_summary(report["summary"], "on_time"):
        share = lang.percent(s["on_time_percent"])
        lines.append(f"- {s['body_title']}: {share}, {s['overdue']}")
    if new:
        lines += ["", _("Overdue since the last digest:"), *_overdue_lines(new)]
    if old:
        lines += [
            "",
            tk.ungettext(
                "{n} more overdue dataset was in an earlier digest.",
                "{n} more overdue datasets were in earlier digests.",
                old,
            ).format(n=old),
        ]
    reviews = list(reviews)
    if reviews:
        lines += ["", _("Restrictions under martial law to review:"), *reviews]
    lines += ["", _("The full report: {url}").format(url=f"{_site_url()}/lutsk/deadlines")]
    return subject, "\n".join(lines) + "\n"


def send_digest(today: date | None = None, dry_run: bool = False) -> list[Outcome]:
    """The weekly digest, at most once per ISO week per address."""
    today = today or workdays.kyiv_today()
    week = iso_week(today)
    report = deadline_report.build_report({"ignore_auth": True}, as_of=today, sort="body")
    overdue = [r for r in report["datasets"] if r["state"] in LATE_STATES]
    reviews = restriction_reviews(today)
    outcomes = []
    for name, address in ict_recipients():
        if ("", "", week) in mail_log.sent_keys(mail_log.DIGEST_WEEK, address):
            outcomes.append(Outcome(address, already_sent=len(overdue)))
            continue
        sent = mail_log.sent_keys(mail_log.DIGEST, address)
        new = [r for r in overdue if _key(r) not in sent]
        outcome = Outcome(address, datasets=len(new), already_sent=len(overdue) - len(new))
        outcomes.append(outcome)
        if dry_run:
            continue
        subject, body = digest_text(report, new, outcome.already_sent, reviews)
        try:
            records = [(mail_log.DIGEST, map(_key, new)), (mail_log.DIGEST_WEEK, [("", "", week)])]
            _send(address, name, subject, body, records)
        except Exception as exc:
            log.exception("Digest to %s failed", address)
            outcome.error = str(exc)
    return outcomes
