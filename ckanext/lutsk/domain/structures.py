"""Mintsyfra's recommended structures: a Table Schema per annex row (data/structures/<row>.yaml),
and the template CSV an editor downloads to start a file in that structure.

Plain Python, no CKAN.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DEFAULT_DIR", "Structure", "StructureError", "load_structures", "template_csv"]

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data" / "structures"
_TYPES = frozenset(
    {
        "string",
        "number",
        "integer",
        "boolean",
        "date",
        "datetime",
        "time",
        "year",
        "yearmonth",
        "geopoint",
        "any",
    }
)


class StructureError(ValueError):
    pass


@dataclass(frozen=True)
class Structure:
    row: str
    source: str
    complete: bool
    schema: dict[str, Any]

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.schema["fields"]]

    def table_schema(self) -> dict[str, Any]:
        """The schema without our ``example`` keys (a plain Table Schema)."""
        fields = [{k: v for k, v in f.items() if k != "example"} for f in self.schema["fields"]]
        return {"fields": fields}


def _parse(path: Path) -> Structure:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise StructureError(f"{path.name}: not a mapping")
    row, source = data.get("row"), data.get("source")
    if not isinstance(row, str) or row != path.stem:
        raise StructureError(f"{path.name}: row {row!r} differs from the file name")
    if not isinstance(source, str) or not source.startswith("https://"):
        raise StructureError(f"{path.name}: source must name the page (https://...)")
    fields = (data.get("schema") or {}).get("fields")
    if not isinstance(fields, list) or not fields:
        raise StructureError(f"{path.name}: schema.fields is empty")
    seen: set[str] = set()
    for f in fields:
        name = f.get("name") if isinstance(f, dict) else None
        if not isinstance(name, str) or not name or name in seen:
            raise StructureError(f"{path.name}: a field has no name or repeats one ({name!r})")
        if f.get("type", "string") not in _TYPES:
            raise StructureError(f"{path.name}: field {name}: unknown type {f.get('type')!r}")
        if f.get("example") in (None, ""):
            raise StructureError(f"{path.name}: field {name}: no example (the template CSV shows one row)")
        seen.add(name)
    return Structure(row=row, source=source, complete=bool(data.get("complete")), schema={"fields": fields})


def load_structures(directory: Path = DEFAULT_DIR) -> dict[str, Structure]:
    """Every structure by annex row id; a broken file raises StructureError naming it."""
    return {s.row: s for s in (_parse(p) for p in sorted(directory.glob("*.yaml")))}


def template_csv(structure: Structure) -> bytes:
    """The header and one example row, UTF-8 with a BOM (so that Excel reads the Cyrillic)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(structure.field_names)
    writer.writerow([_safe(str(f.get("example", ""))) for f in structure.schema["fields"]])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _safe(cell: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula.
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
