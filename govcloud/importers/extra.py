"""Columns a mapping file adds to the importers with fixed columns (NetBox CSV, RVTools,
Azure Migrate, AWS intake): ``columns: {servers: {'Asset tag': serial, 'Storage in use (In GB)':
storage_gb}}`` reads those columns of the source rows into the servers imported from them.

Rows are matched through the place each importer records (``file:row`` or ``file#tab:row``);
values are read like any spreadsheet cell (units in the header or the cell convert them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from govcloud.importers import header_key
from govcloud.problems import Problem, make
from govcloud.tabular.columns import Column, columns, helper_columns
from govcloud.tabular.headers import factor
from govcloud.tabular.headers import parse as parse_header
from govcloud.tabular.sheets import SheetError, read
from govcloud.tabular.values import CellError, from_cell, is_blank


def _target(value: Any) -> tuple[str, str | None]:
    if isinstance(value, dict):
        unit = value.get("unit")
        return str(value.get("field", "")), str(unit).casefold() if unit else None
    text = str(value).strip()
    unit = parse_header(text).unit
    return (text.split("(")[0].split("（")[0].strip(), unit) if unit else (text, None)


def _family(field: str) -> str:
    for suffix, family in (("_mbps", "mbps"), ("_gb", "gb"), ("_cny", "cny"), ("_pct", "pct")):
        if field.endswith(suffix):
            return family
    return "count"


def apply(document: dict[str, Any], sources: list[Path], mapping: dict[str, Any] | None) -> list[Problem]:
    """Fill the mapped columns into ``document``'s servers; the cells that could not be used."""
    wanted = ((mapping or {}).get("columns") or {}).get("servers") or {}
    if not wanted or not document.get("servers"):
        return []
    by_field = {c.field: c for c in (*columns("servers"), *helper_columns("servers"))}
    targets: dict[str, tuple[Column, str | None]] = {}
    for header, value in wanted.items():
        field, unit = _target(value)
        if field in by_field:
            targets[header_key(str(header))] = (by_field[field], unit)
    by_place = {str(s.get("_at")): s for s in document["servers"]}
    problems: list[Problem] = []
    for path in sources:
        try:
            sheets = read(path)
        except (SheetError, OSError):
            continue  # the importer reported it
        for sheet in sheets:
            if not sheet.rows:
                continue
            place = f"{path.name}#{sheet.name}" if sheet.name else path.name
            header_row, header = sheet.rows[0]
            found = {
                i: targets[header_key(str(h))] for i, h in enumerate(header) if header_key(str(h)) in targets
            }
            for number, cells in sheet.rows[1:]:
                item = by_place.get(f"{place}:{number}")
                if item is None:
                    continue
                for i, (column, unit) in found.items():
                    raw = cells[i] if i < len(cells) else None
                    if is_blank(raw):
                        continue
                    scale = factor(unit or parse_header(str(header[i])).unit, _family(column.field)) or 1.0
                    try:
                        item[column.field] = from_cell(column, raw, scale)
                    except CellError as exc:
                        problems.append(
                            make(
                                "import-bad-cell",
                                file=f"{path}#{sheet.name}" if sheet.name else str(path),
                                line=number,
                                column=i + 1,
                                path=f"servers.{column.field}",
                                severity="warning",
                                cell=f"{get_column_letter(i + 1)}{number}",
                                value=str(raw)[:80],
                                detail=exc,
                            )
                        )
            del header_row
    return problems
