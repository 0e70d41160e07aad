"""Template helpers of the data check: the report in words (what is wrong, where, how to
fix it), the dataset's badge and the recommended structure of its annex row."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk import config
from ckanext.lutsk.datacheck import jobs
from ckanext.lutsk.domain import datacheck
from ckanext.lutsk.model import data_check

_ = tk._


def _messages() -> dict[str, tuple[str, str]]:
    """Issue code → (what is wrong, how to fix it)."""
    return {
        datacheck.EMPTY_FILE: (
            _("The file is empty."),
            _("Upload the file with the data again: this one has no rows at all."),
        ),
        datacheck.BINARY_FILE: (
            _(
                "The file is not a text CSV file: it is binary "
                "(for example an Excel workbook renamed to .csv)."
            ),
            _(
                "In the spreadsheet program choose «Save as» → «CSV UTF-8 (comma delimited)», "
                "or set the resource format to XLSX if it is a workbook."
            ),
        ),
        datacheck.ENCODING_CP1251: (
            _(
                "The file is in the Windows-1251 (cp1251) encoding, not UTF-8. This is the most common "
                "fault in Ukrainian open data: programs that expect UTF-8 show the Cyrillic as gibberish."
            ),
            _(
                "Save the file again as «CSV UTF-8»: in Excel «Save as» → «CSV UTF-8 (comma delimited)»; "
                "in LibreOffice choose the character set «Unicode (UTF-8)»."
            ),
        ),
        datacheck.ENCODING_UNKNOWN: (
            _("The file's encoding could not be recognised (neither UTF-8 nor Windows-1251)."),
            _("Save the file again as «CSV UTF-8»."),
        ),
        datacheck.DELIMITER_UNCLEAR: (
            _("The column delimiter could not be recognised: rows split into different numbers of columns."),
            _("Use one delimiter (a comma) throughout and put values that contain it in double quotes."),
        ),
        datacheck.MERGED_HEADER: (
            _("The header row has merged cells."),
            _(
                "Unmerge the cells and give every column its own name in the first row; "
                "put titles and notes outside the data sheet."
            ),
        ),
        datacheck.NOT_A_WORKBOOK: (
            _("The file is not an XLSX workbook."),
            _("Save it as «Excel workbook (.xlsx)», or correct the resource format."),
        ),
        datacheck.NO_HEADER: (
            _("The file has no header row."),
            _("Put the column names in the first row."),
        ),
        datacheck.MISSING_COLUMN: (
            _("A column of the structure is missing from the header."),
            _("Add the column with exactly this name (the template CSV of the structure has every column)."),
        ),
        datacheck.TOO_LARGE: (
            _("The file is larger than the portal checks (the limit is in the note, in bytes)."),
            _(
                "Split the data into several files (for example by year), "
                "or ask the ICT department to raise the limit."
            ),
        ),
        datacheck.FETCH_FAILED: (
            _("The file could not be downloaded from its link."),
            _(
                "Check that the link opens the file itself (not a page about it) "
                "and works without logging in."
            ),
        ),
        datacheck.REFUSED_ADDRESS: (
            _(
                "The link points to an address the portal does not download from "
                "(an internal network or not http/https)."
            ),
            _("Publish the file at a public address, or upload it to the portal."),
        ),
        datacheck.CHANGED_DURING_CHECK: (
            _("The file changed while it was being checked."),
            _("Nothing to do: the new version is being checked now."),
        ),
        datacheck.CHECK_FAILED: (
            _("The file could not be checked."),
            _("Check that the file opens in a spreadsheet program; if it does, tell the ICT department."),
        ),
        "structure-unreadable": (
            _(
                "The structure resource of the dataset is not a Table Schema (JSON with «fields»), "
                "so the data were not checked against it."
            ),
            _("Publish the structure as a Table Schema JSON, or rely on the recommended structure."),
        ),
        "blank-label": (
            _("A column has no name in the header."),
            _("Give every column a name in the first row, or delete the empty column."),
        ),
        "duplicate-label": (
            _("Two columns have the same name."),
            _("Give every column its own name."),
        ),
        "incorrect-label": (
            _("The column's name differs from the structure."),
            _("Rename the column exactly as the structure names it."),
        ),
        "missing-label": (
            _("A column has no header."),
            _("Put a name for every column in the first row."),
        ),
        "extra-label": (
            _("The header has more columns than the structure."),
            _("Remove the extra column or describe it in the structure."),
        ),
        "blank-row": (
            _("An empty row."),
            _("Delete empty rows: every row is one record."),
        ),
        "extra-cell": (
            _("The row has more cells than the header has columns."),
            _("Check the delimiters in this row: a value with a comma must be in double quotes."),
        ),
        "missing-cell": (
            _("The row has fewer cells than the header has columns."),
            _("Add the missing values (leave the cell empty, but keep the delimiter)."),
        ),
        "type-error": (
            _("The value does not fit the column's type."),
            _("Use one type per column: numbers without spaces or units, dates as YYYY-MM-DD."),
        ),
        "constraint-error": (
            _("The value breaks a rule of the column."),
            _("Correct the value as the structure requires."),
        ),
        "unique-error": (
            _("A value repeats in a column that must be unique."),
            _("Every record needs its own identifier."),
        ),
        "primary-key": (
            _("A value repeats in a column that must be unique."),
            _("Every record needs its own identifier."),
        ),
    }


def issue_text(code: str) -> tuple[str, str]:
    return _messages().get(
        code,
        (_("A problem in the data ({code}).").format(code=code), _("Correct the value in the cell named.")),
    )


def lutsk_data_check(res: dict[str, Any] | str | None) -> dict[str, Any] | None:
    """The last data check of a resource (a dict or its id), ready for the template; a tabular
    resource not checked yet shows as being checked; None for others."""
    resource_id = res.get("id") if isinstance(res, dict) else res
    if not resource_id:
        return None
    row = data_check.get(resource_id)
    if row is None:
        if (
            isinstance(res, dict)
            and datacheck.is_tabular(res.get("format"))
            and not jobs._is_true(res.get("structure"))
        ):
            return {
                "status": data_check.RUNNING,
                "status_label": lutsk_data_status_label(data_check.RUNNING),
                "checked_at": None,
                "issue_count": 0,
                "shown": 0,
                "issues": [],
                "rows": None,
                "encoding": None,
                "delimiter": None,
                "schema_source": None,
                "matches_recommended": False,
            }
        return None
    report = row.as_report()
    issues = []
    for issue in report.issues:
        what, fix = issue_text(issue.code)
        issues.append(
            {
                "code": issue.code,
                "what": what,
                "fix": fix,
                "row": issue.row,
                "column": issue.column,
                "label": issue.label,
                "note": issue.note,
            }
        )
    return {
        "status": row.status,
        "status_label": lutsk_data_status_label(row.status),
        "checked_at": row.checked_at,
        "issue_count": row.issue_count,
        "shown": len(issues),
        "issues": issues,
        "rows": report.rows,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "schema_source": report.schema_source,
        "matches_recommended": report.matches_recommended,
    }


def lutsk_data_status_label(status: str) -> str:
    return {
        datacheck.VALID: _("No errors in the data"),
        datacheck.INVALID: _("Errors in the data"),
        datacheck.ERROR: _("Could not be checked"),
        data_check.RUNNING: _("Being checked"),
    }.get(status, status)


def lutsk_data_state_label(state: str) -> str:
    return {
        jobs.RECOMMENDED: _("Structure matches the recommended one"),
        jobs.VALID: _("Data without errors"),
        jobs.ERRORS: _("Errors in the data"),
        jobs.PENDING: _("Data being checked"),
    }.get(state, state)


def lutsk_data_state(pkg: dict[str, Any] | None) -> dict[str, Any] | None:
    """The dataset's data-check badge: state, label and colour, or None (no tabular data)."""
    if not pkg or not pkg.get("id"):
        return None
    state = jobs.dataset_state(pkg)
    if state is None:
        return None
    css = {
        jobs.RECOMMENDED: "bg-success",
        jobs.VALID: "bg-info",
        jobs.ERRORS: "bg-danger",
        jobs.PENDING: "bg-secondary",
    }[state]
    return {"state": state, "label": lutsk_data_state_label(state), "css": css}


def lutsk_recommended_structure(row_id: str | None) -> dict[str, Any] | None:
    """Mintsyfra's recommended structure of an annex row: columns, source, template link."""
    structure = config.structures().get(row_id or "")
    if structure is None:
        return None
    return {
        "row": structure.row,
        "source": structure.source,
        "complete": structure.complete,
        "fields": structure.schema["fields"],
        "template_url": tk.h.url_for("lutsk_datacheck.template", row=structure.row),
    }
