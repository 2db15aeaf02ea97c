"""Ledger ⇄ spreadsheet: ``govcloud export xlsx`` and ``govcloud import xlsx|csv``.

Export writes the single-file form of a ledger as one sheet per list. Import reads workbooks
and CSV files as people keep them, maps their headers through the alias table, reads each
cell tolerantly, and reports every cell it could not use — with its file, sheet, row and
column — without losing the rest of the row.  Rows without an id get one derived from their
content, so importing the same source twice gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from govcloud.ledger import dump, model
from govcloud.problems import Problem, make
from govcloud.tabular import sheets as sheet_io
from govcloud.tabular.columns import SHEETS, Column, columns, fold, header_lookup, sheet_key
from govcloud.tabular.values import CellError, from_cell, is_blank, resolve_end, to_cell

#: a row whose first filled cell is one of these is a total, not an entity
_TOTAL_WORDS = {fold(w) for w in ("合计", "总计", "小计", "total", "sum", "汇总")}
#: singletons among the sheets: one row each
_SINGLE = ("region", "prices")
#: what identifies an entity when its row has no id, per list
_IDENTITY: dict[str, tuple[str, ...]] = {
    "departments": ("name",),
    "sites": ("owner", "name", "address"),
    "servers": ("owner", "serial", "hostname", "site"),
    "networks": ("owner", "name"),
    "lines": ("owner", "carrier", "a_end", "z_end", "name"),
    "systems": ("owner", "name"),
    "cloud_nodes": ("name",),
    "access_points": ("name",),
}
_ID_PREFIX = {
    "departments": "dept",
    "sites": "site",
    "servers": "srv",
    "networks": "net",
    "lines": "line",
    "systems": "sys",
    "cloud_nodes": "cloud",
    "access_points": "ap",
}


# --- export -------------------------------------------------------------------------------


def workbook(ledger: model.Ledger) -> bytes:
    """The ledger as an xlsx workbook (headers in Chinese and English)."""
    doc = dump.single_document(ledger)
    prices = doc.get("prices", {})
    items: dict[str, list[dict[str, Any]]] = {
        "region": [doc["region"]],
        "prices": [{k: v for k, v in prices.items() if k not in ("instance_types", "storage", "images")}]
        if prices
        else [],
        "instance_types": prices.get("instance_types", []),
        "storage": prices.get("storage", []),
        "images": prices.get("images", []),
    }
    for key, _ in SHEETS:
        items.setdefault(key, doc.get(key, []))
    return sheet_io.write_xlsx(_sheet(key, zh, items[key]) for key, zh in SHEETS)


def template() -> bytes:
    """An empty workbook with every sheet and its bilingual header row."""
    return sheet_io.write_xlsx(_sheet(key, zh, []) for key, zh in SHEETS)


def _sheet(key: str, zh: str, items: list[dict[str, Any]]) -> tuple[str, list[str], list[list[Any]]]:
    cols = columns(key)
    rows = [[_export_cell(c, item) for c in cols] for item in items]
    return f"{zh} {key}", [c.header for c in cols], rows


def _export_cell(column: Column, item: dict[str, Any]) -> Any:
    value = _get(item, column.field)
    return None if value is None else to_cell(column, value)


def _get(item: dict[str, Any], dotted: str) -> Any:
    node: Any = item
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# --- import -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """The ledger document read from the sources, and every cell or sheet it could not use."""

    document: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def import_files(paths: Iterable[Path], mapping: dict[str, Any] | None = None) -> ImportResult:
    """Read workbooks and CSV files into one ledger document."""
    result = ImportResult({"version": 1})
    lists: dict[str, list[dict[str, Any]]] = {}
    for path in paths:
        try:
            found = sheet_io.read(path)
        except (sheet_io.SheetError, OSError) as exc:
            result.problems.append(make("import-unreadable", file=str(path), detail=str(exc)))
            continue
        for sheet in found:
            key = _kind_of(sheet, path, mapping) or _kind_from_headers(sheet, mapping)
            if key is None:
                # an unknown sheet beside others is a note; a CSV file that is nothing known is an error
                result.problems.append(
                    make(
                        "import-unknown-sheet",
                        file=sheet.place,
                        severity="warning" if sheet.name else "error",
                        sheet=sheet.name or path.name,
                    )
                )
                continue
            lists.setdefault(key, []).extend(_read_sheet(sheet, key, mapping, result))
    _finish(result, lists)
    return result


def _kind_of(sheet: sheet_io.Sheet, path: Path, mapping: dict[str, Any] | None) -> str | None:
    overrides = (mapping or {}).get("sheets", {})
    for name in (sheet.name, path.stem, path.name):
        if name and name in overrides:
            return str(overrides[name])
    for name in (sheet.name, path.stem):
        if name and (key := sheet_key(name.split(" ")[-1]) or sheet_key(name)):
            return key
    return None


def _kind_from_headers(sheet: sheet_io.Sheet, mapping: dict[str, Any] | None) -> str | None:
    """The list whose headers a sheet's header row matches best (at least two, no tie)."""
    scores = []
    for key in _IDENTITY:
        lookup = _lookup(key, mapping)
        best = max((len(_header_columns(cells, lookup)) for _, cells in sheet.rows[:10]), default=0)
        scores.append((best, key))
    scores.sort(reverse=True)
    if scores[0][0] >= 2 and scores[1][0] < scores[0][0]:
        return scores[0][1]
    return None


def _lookup(key: str, mapping: dict[str, Any] | None) -> dict[str, Column]:
    lookup = header_lookup(key)
    by_field = {c.field: c for c in columns(key)}
    for header, field_name in ((mapping or {}).get("columns", {}).get(key, {}) or {}).items():
        if field_name in by_field:
            lookup[fold(header)] = by_field[field_name]
    return lookup


def _header_columns(cells: list[Any], lookup: dict[str, Column]) -> dict[int, Column]:
    found: dict[int, Column] = {}
    for i, cell in enumerate(cells):
        if is_blank(cell):
            continue
        text = str(cell)
        for part in (text, *text.replace("／", "/").split("/")):
            column = lookup.get(fold(part))
            if column is not None and column not in found.values():
                found[i] = column
                break
    return found


def _read_sheet(
    sheet: sheet_io.Sheet, key: str, mapping: dict[str, Any] | None, result: ImportResult
) -> list[dict[str, Any]]:
    lookup = _lookup(key, mapping)
    candidates = [(len(_header_columns(cells, lookup)), i) for i, (_, cells) in enumerate(sheet.rows[:10])]
    best, header_index = max(candidates, default=(0, 0), key=lambda c: (c[0], -c[1]))
    if best < 2:
        result.problems.append(
            make("import-no-header", file=sheet.place, sheet=sheet.name or Path(sheet.source).name)
        )
        return []
    header_row, header_cells = sheet.rows[header_index]
    mapped = _header_columns(header_cells, lookup)
    for i, cell in enumerate(header_cells):
        if i not in mapped and not is_blank(cell):
            result.problems.append(
                make(
                    "import-unmapped-column",
                    file=sheet.place,
                    line=header_row,
                    column=i + 1,
                    severity="warning",
                    header=str(cell),
                )
            )
    items = []
    for number, cells in sheet.rows[header_index + 1 :]:
        filled = [c for c in cells if not is_blank(c)]
        if not filled or fold(str(filled[0])) in _TOTAL_WORDS:
            continue
        items.append(_read_row(sheet, key, number, cells, mapped, result))
        result.rows += 1
    return items


def _read_row(
    sheet: sheet_io.Sheet,
    key: str,
    number: int,
    cells: list[Any],
    mapped: dict[int, Column],
    result: ImportResult,
) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for i, column in sorted(mapped.items()):
        raw = cells[i] if i < len(cells) else None
        if is_blank(raw):
            continue
        try:
            value = from_cell(column, raw)
        except CellError as exc:
            result.problems.append(
                make(
                    "import-bad-cell",
                    file=sheet.place,
                    line=number,
                    column=i + 1,
                    path=f"{key}.{column.field}",
                    cell=f"{get_column_letter(i + 1)}{number}",
                    value=str(raw)[:80],
                    detail=str(exc),
                )
            )
            continue
        _put(item, column.field, value)
    return item


def _put(item: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = item
    for part in parents:
        node = node.setdefault(part, {})
    if isinstance(node.get(last), dict) and isinstance(value, dict):
        node[last].update(value)  # a line end's region code may come first
    else:
        node[last] = value


def _finish(result: ImportResult, lists: dict[str, list[dict[str, Any]]]) -> None:
    """Ids for rows without one, line ends resolved, singletons and price tables in place."""
    doc = result.document
    for key in _IDENTITY:
        for item in lists.get(key, []):
            if "id" not in item:
                item["id"] = _derived_id(key, item)
    ids = {key: {str(i["id"]) for i in lists.get(key, [])} for key in _IDENTITY}
    for line in lists.get("lines", []):
        for end in ("a_end", "z_end"):
            if isinstance(line.get(end), dict):
                line[end] = resolve_end(line[end], ids)
    for key in _SINGLE:
        rows = lists.get(key, [])
        if rows:
            doc[key] = rows[0]
            if len(rows) > 1:
                result.problems.append(
                    make("import-extra-rows", file=key, severity="warning", sheet=key, count=len(rows))
                )
    for key in ("instance_types", "storage", "images"):
        if lists.get(key):
            doc.setdefault("prices", {})[key] = lists[key]
    for key, _ in SHEETS:
        if key in _IDENTITY and lists.get(key):
            doc[key] = lists[key]


def _derived_id(key: str, item: dict[str, Any]) -> str:
    content = "\x1f".join(repr(item.get(f)) for f in _IDENTITY[key])
    return f"{_ID_PREFIX[key]}-{hashlib.sha256(content.encode('utf-8')).hexdigest()[:10]}"
