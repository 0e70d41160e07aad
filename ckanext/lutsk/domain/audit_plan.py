"""The annual plan of the information audit (mayor's order «Про відкриті дані Луцької
міської ради», item 4.1: the ICT department draws it up every year by 1 February).

Plain Python, no CKAN. Per body: what it holds, passport completeness, timeliness now
and over the past year (from the stored daily history), the mandatory datasets of
resolution 835 it lacks; then a schedule of audit dates on working days before the
deadline the department sets, the bodies at most risk first.

Parameters are checked as a whole first (``audit_params``): every problem is named
with its field, and nothing is computed or written until they are all valid.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ckanext.lutsk.domain import annex835, completeness, timeliness
from ckanext.lutsk.domain.registry import Body, Registry
from ckanext.lutsk.domain.workdays import WorkCalendar

__all__ = [
    "MAX_PER_DAY",
    "REASONS",
    "AuditParamError",
    "AuditParams",
    "AuditPlan",
    "BodyPlan",
    "ParamProblem",
    "audit_params",
    "build_plan",
    "history_window",
]

MIN_YEAR = 2016  # resolution 835 applies from its 2015 adoption; the order is later still
MAX_YEAR = 2100
MAX_PER_DAY = 10
_MONTH_DAY_RE = re.compile(r"(\d{2})-(\d{2})")

# Why a body is audited early; stable codes the exports and the page translate.
REASON_MISSING = "missing_mandatory"
REASON_LATE = "late_datasets"
REASON_LATE_YEAR = "late_over_year"
REASON_INCOMPLETE = "incomplete_passports"
REASON_DRAFTS = "unpublished_drafts"
REASON_NO_DATA = "no_datasets"
REASON_ABOLISHED = "abolished_holds_datasets"
REASONS = (
    REASON_MISSING,
    REASON_LATE,
    REASON_LATE_YEAR,
    REASON_INCOMPLETE,
    REASON_DRAFTS,
    REASON_NO_DATA,
    REASON_ABOLISHED,
)


#: English message of each problem code; the pages translate the same texts.
MESSAGES = {
    "not_year": "“{value}” is not a year between {min} and {max}.",
    "not_per_day": "“{value}” is not a whole number from 1 to {max}.",
    "not_date": "“{value}” is not a date in the form YYYY-MM-DD.",
    "bad_default": "The configured default deadline “{value}” is not MM-DD.",
    "not_in_year": "{date} is not in {year}.",
    "before_start": "{date} is before the first audit day, {start}.",
    "no_working_day": "There is no working day from {start} to {date}.",
    "too_few_days": "{bodies} bodies at {per_day} a day need {needed} working days, "
    "but {start} to {date} has only {available}.",
}


@dataclass(frozen=True)
class ParamProblem:
    """One bad parameter: the field, a stable code (``MESSAGES``) and its values."""

    field: str
    code: str
    params: Mapping[str, Any]

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)


class AuditParamError(ValueError):
    """The audit parameters are invalid; ``problems`` names each bad field."""

    def __init__(self, problems: Sequence[ParamProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(f"{p.field}: {p.message}" for p in self.problems))


@dataclass(frozen=True)
class AuditParams:
    year: int
    start: dt.date
    deadline: dt.date
    per_day: int = 1


def _as_date(value: Any, name: str, problems: list[ParamProblem]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(ParamProblem(name, "not_date", {"value": value}))
        return None


def audit_params(
    year: Any,
    deadline: Any = None,
    start: Any = None,
    per_day: Any = 1,
    *,
    default_deadline: str = "12-01",
    today: dt.date,
    calendar: WorkCalendar,
) -> AuditParams:
    """Check the plan's parameters together; raise ``AuditParamError`` naming each bad field.

    ``deadline`` defaults to ``default_deadline`` (MM-DD) of the year; ``start`` to
    1 February of the year (the plan's own due date), or tomorrow when planning later
    in that year.
    """
    problems: list[ParamProblem] = []
    try:
        year_n = int(str(year).strip())
    except (TypeError, ValueError):
        year_n = None
    if year_n is None or not MIN_YEAR <= year_n <= MAX_YEAR:
        problems.append(ParamProblem("year", "not_year", {"value": year, "min": MIN_YEAR, "max": MAX_YEAR}))
        year_n = None
    try:
        per_day_n = int(str(per_day).strip())
    except (TypeError, ValueError):
        per_day_n = 0
    if not 1 <= per_day_n <= MAX_PER_DAY:
        problems.append(ParamProblem("per_day", "not_per_day", {"value": per_day, "max": MAX_PER_DAY}))
    deadline_d = _as_date(deadline, "deadline", problems)
    start_d = _as_date(start, "start", problems)
    if year_n is not None:
        if deadline_d is None and not any(p.field == "deadline" for p in problems):
            match = _MONTH_DAY_RE.fullmatch(default_deadline or "")
            try:
                deadline_d = dt.date(year_n, int(match.group(1)), int(match.group(2))) if match else None
            except ValueError:
                deadline_d = None
            if deadline_d is None:
                problems.append(ParamProblem("deadline", "bad_default", {"value": default_deadline}))
        if start_d is None and not any(p.field == "start" for p in problems):
            start_d = dt.date(year_n, 2, 1)
            if today.year == year_n and today >= start_d:
                start_d = today + dt.timedelta(days=1)
        if deadline_d is not None and deadline_d.year != year_n:
            problems.append(
                ParamProblem("deadline", "not_in_year", {"date": deadline_d.isoformat(), "year": year_n})
            )
        if start_d is not None and start_d.year != year_n:
            problems.append(
                ParamProblem("start", "not_in_year", {"date": start_d.isoformat(), "year": year_n})
            )
    if start_d is not None and deadline_d is not None and not problems:
        if deadline_d < start_d:
            problems.append(
                ParamProblem(
                    "deadline", "before_start", {"date": deadline_d.isoformat(), "start": start_d.isoformat()}
                )
            )
        elif calendar.working_days_between(start_d - dt.timedelta(days=1), deadline_d) == 0:
            problems.append(
                ParamProblem(
                    "deadline",
                    "no_working_day",
                    {"date": deadline_d.isoformat(), "start": start_d.isoformat()},
                )
            )
    if problems:
        raise AuditParamError(problems)
    assert year_n is not None and start_d is not None and deadline_d is not None  # noqa: S101
    return AuditParams(year_n, start_d, deadline_d, per_day_n)


def history_window(params: AuditParams, today: dt.date) -> tuple[dt.date, dt.date]:
    """The past year the plan looks back on: the 365 days up to the plan's date
    (1 February of its year, or today if that is earlier), both included."""
    as_of = min(today, dt.date(params.year, 2, 1))
    return as_of - dt.timedelta(days=364), as_of


@dataclass(frozen=True)
class BodyPlan:
    """One body's line of the plan."""

    slug: str
    body: Body
    datasets: int
    public: int
    drafts: int
    completeness: float | None
    weakest: tuple[str, ...]
    on_time_now: float | None
    on_time_year: float | None
    history_days: int
    #: Currently late public datasets: (name, title, state).
    late_now: tuple[tuple[str, str, str], ...]
    #: Public datasets late on most days of the past year: (name, title, days).
    late_year: tuple[tuple[str, str, int], ...]
    mandatory: int
    coverage: Mapping[str, int]
    #: Mandatory rows the body has no dataset for, and those it keeps as drafts only.
    missing: tuple[annex835.AnnexRow, ...]
    not_public: tuple[annex835.AnnexRow, ...]
    priority: float
    reasons: tuple[str, ...]
    audit_date: dt.date | None = None


@dataclass(frozen=True)
class AuditPlan:
    params: AuditParams
    generated: dt.date
    window: tuple[dt.date, dt.date]
    bodies: tuple[BodyPlan, ...]
    totals: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BodyFacts:
    """What the plan needs of one body's datasets, so that the plan can be drawn from
    stored facts without reading every dataset again (see ``body_facts``)."""

    datasets: int
    public: int
    #: Completeness of the body's datasets, and the sum of their percentages (for totals).
    score: completeness.BodyScore
    percent_sum: float
    #: Deadline states of the public datasets: how many in each.
    states: Mapping[str, int]
    #: Currently late public datasets: (name, title, state), by name.
    late_now: tuple[tuple[str, str, str], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "datasets": self.datasets,
            "public": self.public,
            "score": {
                "datasets": self.score.datasets,
                "percent": self.score.percent,
                "pass_rates": dict(self.score.pass_rates),
            },
            "percent_sum": self.percent_sum,
            "states": dict(self.states),
            "late_now": [list(t) for t in self.late_now],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BodyFacts:
        score = data["score"]
        return cls(
            datasets=int(data["datasets"]),
            public=int(data["public"]),
            score=completeness.BodyScore(int(score["datasets"]), score["percent"], dict(score["pass_rates"])),
            percent_sum=float(data["percent_sum"]),
            states={str(k): int(v) for k, v in data["states"].items()},
            late_now=tuple((str(a), str(b), str(c)) for a, b, c in data["late_now"]),
        )


def body_facts(records: Iterable[Mapping[str, Any]]) -> dict[str, BodyFacts]:
    """Per body: the facts the plan needs of its datasets. ``records`` as for
    ``build_plan`` (one body's or all; records without a body are skipped)."""
    by_body: dict[str, list[Mapping[str, Any]]] = {}
    for rec in records:
        if rec.get("body"):
            by_body.setdefault(rec["body"], []).append(rec)
    out = {}
    for slug, held in by_body.items():
        public = [r for r in held if not r.get("private")]
        scores = [r["score"] for r in held if r.get("score") is not None]
        states: dict[str, int] = {}
        for r in public:
            state = r.get("state") or ""
            states[state] = states.get(state, 0) + 1
        out[slug] = BodyFacts(
            datasets=len(held),
            public=len(public),
            score=completeness.body_score(scores),
            percent_sum=sum(s.percent for s in scores),
            states=states,
            late_now=tuple(
                (r["name"], r.get("title") or "", r["state"])
                for r in sorted(public, key=lambda r: r["name"])
                if r.get("state") in annex835.LATE_STATES
            ),
        )
    return out


def _states(counts: Mapping[str, int]) -> Iterable[str]:
    for state, n in counts.items():
        for _ in range(n):
            yield state


@dataclass(frozen=True)
class HistoryFacts:
    """What the plan needs of the past year's history (``history_facts``): per body the
    on-time share over the year, the days recorded and its ten datasets late longest."""

    on_time_year: Mapping[str, float | None]
    history_days: Mapping[str, int]
    late_year: Mapping[str, tuple[tuple[str, str, int], ...]]
    city_year: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "on_time_year": dict(self.on_time_year),
            "history_days": dict(self.history_days),
            "late_year": {k: [list(t) for t in v] for k, v in self.late_year.items()},
            "city_year": self.city_year,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HistoryFacts:
        return cls(
            on_time_year=dict(data["on_time_year"]),
            history_days={k: int(v) for k, v in data["history_days"].items()},
            late_year={
                k: tuple((str(a), str(b), int(c)) for a, b, c in v) for k, v in data["late_year"].items()
            },
            city_year=data["city_year"],
        )


def history_facts(
    history: Mapping[str, Sequence[timeliness.DayCounts]],
    late_days: Mapping[str, tuple[str, int]],
    names: Callable[[Iterable[str]], Mapping[str, tuple[str, str, str]]],
) -> HistoryFacts:
    """``history``: per body, the daily counts of the window; ``late_days``: per package id,
    (body, days late); ``names``: package ids → (name, title, body) of those still present
    (asked only for the ten worst of each body, and any tied with the tenth)."""
    days_by_body: dict[str, list[tuple[int, str]]] = {}
    for package_id, (body, days) in late_days.items():
        days_by_body.setdefault(body, []).append((days, package_id))
    wanted: list[str] = []
    for entries in days_by_body.values():
        entries.sort(reverse=True)
        floor = entries[min(len(entries), 10) - 1][0]
        wanted.extend(pid for days, pid in entries if days >= floor)
    named = names(wanted)
    late_by_body: dict[str, list[tuple[str, str, int]]] = {}
    for package_id in wanted:
        body, days = late_days[package_id]
        name, title, now_body = named.get(package_id, (package_id, "", body))
        late_by_body.setdefault(now_body or body, []).append((name, title, days))
    return HistoryFacts(
        on_time_year={slug: timeliness.period_share(series) for slug, series in history.items()},
        history_days={slug: len(series) for slug, series in history.items()},
        late_year={
            slug: tuple(sorted(rows, key=lambda t: (-t[2], t[0]))[:10]) for slug, rows in late_by_body.items()
        },
        city_year=timeliness.period_share(timeliness.city_series(history)),
    )


def build_plan(
    params: AuditParams,
    *,
    registry: Registry,
    annex: annex835.Annex,
    records: Iterable[Mapping[str, Any]],
    history: Mapping[str, Sequence[timeliness.DayCounts]],
    late_days: Mapping[str, tuple[str, int]],
    calendar: WorkCalendar,
    today: dt.date,
) -> AuditPlan:
    """The plan. ``records``: every active dataset as a plain dict with ``body``,
    ``private``, ``name``, ``title``, ``state`` (deadline state now), ``score``
    (``completeness.Score``) and ``annex835_row``. ``history``: per body, the daily
    counts of the past year; ``late_days``: per package id, (body, days late).
    Raises ``AuditParamError`` when the deadline leaves too few working days."""
    records = list(records)
    names = {r["id"]: (r["name"], r.get("title") or "", r["body"]) for r in records if r.get("id")}
    return plan_from_facts(
        params,
        registry=registry,
        facts=body_facts(records),
        cells=annex835.coverage_matrix(annex, records),
        past=history_facts(history, late_days, lambda ids: {i: names[i] for i in ids if i in names}),
        calendar=calendar,
        today=today,
    )


def plan_from_facts(
    params: AuditParams,
    *,
    registry: Registry,
    facts: Mapping[str, BodyFacts],
    cells: Iterable[annex835.Cell],
    past: HistoryFacts,
    calendar: WorkCalendar,
    today: dt.date,
) -> AuditPlan:
    """The plan from per-body ``facts`` (``body_facts``), the coverage ``cells`` and the
    facts of the past year (``history_facts``)."""
    cells_by_body: dict[str, list[annex835.Cell]] = {}
    for cell in cells:
        if not cell.extra:
            cells_by_body.setdefault(cell.body, []).append(cell)
    empty = BodyFacts(0, 0, completeness.body_score(()), 0.0, {}, ())
    bodies = [b for b in registry if b.active or (b.slug in facts and facts[b.slug].datasets)]
    plans = []
    for body in bodies:
        held = facts.get(body.slug, empty)
        body_score = held.score
        body_cells = cells_by_body.get(body.slug, [])
        counts = dict.fromkeys(annex835.STATUSES, 0)
        for cell in body_cells:
            counts[cell.status] += 1
        plan = BodyPlan(
            slug=body.slug,
            body=body,
            datasets=held.datasets,
            public=held.public,
            drafts=held.datasets - held.public,
            completeness=body_score.percent,
            weakest=tuple(body_score.weakest()),
            on_time_now=timeliness.on_time_share(_states(held.states)),
            on_time_year=past.on_time_year.get(body.slug),
            history_days=past.history_days.get(body.slug, 0),
            late_now=held.late_now,
            late_year=past.late_year.get(body.slug, ()),
            mandatory=len(body_cells),
            coverage=counts,
            missing=tuple(c.row for c in body_cells if c.status == annex835.MISSING),
            not_public=tuple(c.row for c in body_cells if c.status == annex835.NOT_PUBLIC),
            priority=0.0,
            reasons=(),
        )
        priority, reasons = _priority(plan)
        plans.append(replace(plan, priority=priority, reasons=reasons))

    plans.sort(key=lambda p: (-p.priority, p.slug))
    days = _working_days(params.start, params.deadline, calendar)
    needed = math.ceil(len(plans) / params.per_day) if plans else 0
    if needed > len(days):
        raise AuditParamError(
            [
                ParamProblem(
                    "deadline",
                    "too_few_days",
                    {
                        "bodies": len(plans),
                        "per_day": params.per_day,
                        "needed": needed,
                        "start": params.start.isoformat(),
                        "date": params.deadline.isoformat(),
                        "available": len(days),
                    },
                )
            ]
        )
    scheduled = []
    for i, plan in enumerate(plans):
        slot = i // params.per_day
        # Spread the audits evenly over the working days, earliest for the highest risk.
        scheduled.append(replace(plan, audit_date=days[(slot * len(days)) // needed]))
    all_states: dict[str, int] = {}
    for f in facts.values():
        for state, n in f.states.items():
            all_states[state] = all_states.get(state, 0) + n
    scored = sum(f.score.datasets for f in facts.values())
    totals = {
        "bodies": len(scheduled),
        "datasets": sum(f.datasets for f in facts.values()),
        "public": sum(p.public for p in scheduled),
        "mandatory": sum(p.mandatory for p in scheduled),
        "missing": sum(len(p.missing) for p in scheduled),
        "late_now": sum(len(p.late_now) for p in scheduled),
        "completeness": round(sum(f.percent_sum for f in facts.values()) / scored, 1) if scored else None,
        "on_time_now": timeliness.on_time_share(_states(all_states)),
        "on_time_year": past.city_year,
    }
    return AuditPlan(params, today, history_window(params, today), tuple(scheduled), totals)


def _priority(plan: BodyPlan) -> tuple[float, tuple[str, ...]]:
    """Risk score 0..100 and the reasons behind it."""
    reasons = []
    score = 0.0
    if plan.mandatory:
        share = (len(plan.missing) + len(plan.not_public)) / plan.mandatory
        score += 30 * share
        if plan.missing:
            reasons.append(REASON_MISSING)
    share_year = plan.on_time_year if plan.on_time_year is not None else plan.on_time_now
    if share_year is not None:
        score += 30 * (1 - share_year)
        if plan.on_time_year is not None and plan.on_time_year < 0.8:
            reasons.append(REASON_LATE_YEAR)
    if plan.late_now:
        score += 10 * (len(plan.late_now) / max(plan.public, 1))
        reasons.append(REASON_LATE)
    if plan.completeness is not None:
        score += 20 * (1 - plan.completeness / 100)
        if plan.completeness < completeness.RATINGS[1][1]:
            reasons.append(REASON_INCOMPLETE)
    if plan.drafts:
        score += 5 * plan.drafts / plan.datasets
        reasons.append(REASON_DRAFTS)
    if not plan.datasets:
        score += 25
        reasons.append(REASON_NO_DATA)
    if not plan.body.active:
        score += 30
        reasons.append(REASON_ABOLISHED)
    return round(min(score, 100.0), 1), tuple(reasons)


def _working_days(start: dt.date, end: dt.date, calendar: WorkCalendar) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days
