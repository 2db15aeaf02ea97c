"""Ledger ⇄ spreadsheet: ``govcloud export xlsx`` and ``govcloud import xlsx|csv``.

Export writes the single-file form of a ledger as one sheet per list. Import reads workbooks
and CSV files as people keep them, maps their headers through the alias table, reads each
cell tolerantly, and reports every cell it could not use — with its file, sheet, row and
column — without losing the rest of the row.  Rows without an id get one derived from their
content, so importing the same source twice gives the same ids.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from govcloud.ledger import choices, dump, model
from govcloud.problems import Problem, make
from govcloud.registry import Registry
from govcloud.tabular import sheets as sheet_io
from govcloud.tabular.columns import (
    IGNORED,
    SHEETS,
    Column,
    choice_set,
    columns,
    header_lookup,
    helper_columns,
    sheet_key,
)
from govcloud.tabular.headers import factor as unit_factor
from govcloud.tabular.headers import fold
from govcloud.tabular.headers import parse as parse_header
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
    #: every header used: (sheet, header cell, header text, field)
    used: list[tuple[str, str, str, str]] = field(default_factory=list)


#: (column, the factor the header's unit gives its values)
Mapped = tuple[Column, float]


def import_files(
    paths: Iterable[Path], mapping: dict[str, Any] | None = None, helpers: bool = False
) -> ImportResult:
    """Read workbooks and CSV files into one ledger document.

    With ``helpers`` the rows keep what the importer knows beyond the ledger's fields —
    ``_role``, ``_system``, ``_dept1``…, and ``_at`` (file:line) — for
    :mod:`govcloud.importers.plannable` to build departments, rooms and systems from."""
    result = ImportResult({"version": 1})
    lists: dict[str, list[dict[str, Any]]] = {}
    for path in paths:
        try:
            found = sheet_io.read(path)
        except (sheet_io.SheetError, OSError) as exc:
            result.problems.append(make("import-unreadable", file=str(path), detail=exc))
            continue
        for sheet in found:
            if not any(not is_blank(c) for _, cells in sheet.rows for c in cells):
                continue  # an empty sheet (Sheet2, Sheet3 of a new workbook)
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
    _merge_repeats(lists)
    for key, items in lists.items():
        if key not in _IDENTITY or not helpers:
            for item in items:
                for name in [k for k in item if k.startswith("_")]:
                    del item[name]
    _finish(result, lists)
    return result


def _sheet_mapping(sheet: sheet_io.Sheet, path: Path, mapping: dict[str, Any] | None) -> Any:
    overrides = (mapping or {}).get("sheets", {}) or {}
    for name in (sheet.name, path.stem, path.name):
        if name and name in overrides:
            return overrides[name]
    return None


def _kind_of(sheet: sheet_io.Sheet, path: Path, mapping: dict[str, Any] | None) -> str | None:
    override = _sheet_mapping(sheet, path, mapping)
    if isinstance(override, str):
        return override
    if isinstance(override, dict) and override.get("list"):
        return str(override["list"])
    for name in (sheet.name, path.stem):
        if name and (key := sheet_key(name.split(" ")[-1]) or sheet_key(name)):
            return key
    return None


def _kind_from_headers(sheet: sheet_io.Sheet, mapping: dict[str, Any] | None) -> str | None:
    """The list whose headers a sheet's header row matches best (at least two, no tie)."""
    scores = []
    for key in _IDENTITY:
        lookup = _lookup(key, mapping, None)
        best = max((len(_header_columns(cells, lookup, key)) for _, cells in sheet.rows[:10]), default=0)
        scores.append((best, key))
    scores.sort(reverse=True)
    if scores[0][0] >= 2 and scores[1][0] < scores[0][0]:
        return scores[0][1]
    return None


def _mapped_field(value: Any) -> tuple[str, str | None]:
    """A mapping's target: ``field``, ``field (MiB)`` or ``{field: …, unit: …}``."""
    if isinstance(value, dict):
        unit = value.get("unit")
        return str(value.get("field", "")), str(unit).casefold() if unit else None
    header = parse_header(str(value))
    text = str(value).strip()
    return (text.split("(")[0].split("（")[0].strip(), header.unit) if header.unit else (text, None)


def _lookup(key: str, mapping: dict[str, Any] | None, sheet_map: Any) -> dict[str, tuple[Column, str | None]]:
    lookup: dict[str, tuple[Column, str | None]] = {k: (c, None) for k, c in header_lookup(key).items()}
    by_field = {c.field: c for c in (*columns(key), *helper_columns(key))}
    scoped = sheet_map.get("columns", {}) if isinstance(sheet_map, dict) else {}
    for table in (((mapping or {}).get("columns", {}) or {}).get(key, {}) or {}, scoped or {}):
        for header, target in table.items():
            field_name, unit = _mapped_field(target)
            if field_name in by_field:
                lookup[fold(header)] = (by_field[field_name], unit)
            elif field_name in ("", "-", "ignore", "忽略"):
                lookup[fold(header)] = (_IGNORE, None)
    return lookup


#: the column a mapping file names as ignored
_IGNORE = Column("-", "string", "")


def _header_columns(
    cells: list[Any], lookup: dict[str, tuple[Column, str | None]], key: str
) -> dict[int, Mapped]:
    found: dict[int, Mapped] = {}
    for i, cell in enumerate(cells):
        if is_blank(cell) or isinstance(cell, int | float):
            continue
        text = str(cell)
        for part in (text, *text.replace("／", "/").split("/")):
            header = parse_header(part)
            hit = lookup.get(header.name)
            if hit is None or hit[0] is _IGNORE:
                continue
            column, stated = hit
            taken = [c for c, _ in found.values()]
            if column in taken and column.type != "list":
                continue
            scale = unit_factor(stated or header.unit, _family(column.field)) or 1.0
            found[i] = (column, scale)
            break
    return found


def _family(field_name: str) -> str:
    last = field_name.rsplit(".", 1)[-1]
    for suffix, family in (("_mbps", "mbps"), ("_gb", "gb"), ("_cny", "cny"), ("_pct", "pct")):
        if last.endswith(suffix):
            return family
    return "count"


def _read_sheet(
    sheet: sheet_io.Sheet, key: str, mapping: dict[str, Any] | None, result: ImportResult
) -> list[dict[str, Any]]:
    lookup = _lookup(key, mapping, _sheet_mapping(sheet, Path(sheet.source), mapping))
    candidates = [
        (len(_header_columns(cells, lookup, key)), i) for i, (_, cells) in enumerate(sheet.rows[:10])
    ]
    best, header_index = max(candidates, default=(0, 0), key=lambda c: (c[0], -c[1]))
    if best < 2:
        result.problems.append(
            make(
                "import-no-header",
                file=sheet.place,
                sheet=sheet.name or Path(sheet.source).name,
                # a workbook's side sheet (a list of device types) is skipped; a CSV file is all there is
                severity="warning" if sheet.name else "error",
            )
        )
        return []
    header_row, header_cells = sheet.rows[header_index]
    mapped = _header_columns(header_cells, lookup, key)
    ignored = IGNORED.get(key, frozenset())
    for i, cell in enumerate(header_cells):
        if is_blank(cell):
            continue
        where = f"{get_column_letter(i + 1)}{header_row}"
        if i in mapped:
            result.used.append((sheet.place, where, str(cell), mapped[i][0].field))
            continue
        name = parse_header(cell).name
        twin = lookup.get(name, (None, None))[0]
        if twin is not None and twin is not _IGNORE:
            result.problems.append(
                make(
                    "import-duplicate-column",
                    file=sheet.place,
                    line=header_row,
                    column=i + 1,
                    severity="warning",
                    header=str(cell),
                    cell=where,
                    field=twin.field,
                )
            )
            continue
        known = name in ignored or twin is _IGNORE
        result.problems.append(
            make(
                "import-ignored-column" if known else "import-unmapped-column",
                file=sheet.place,
                line=header_row,
                column=i + 1,
                severity="warning",
                header=str(cell),
                cell=where,
                mapping=_suggest(str(cell), key),
            )
        )
    items = []
    for number, cells in sheet.rows[header_index + 1 :]:
        filled = [c for c in cells if not is_blank(c)]
        if not filled or fold(str(filled[0])) in _TOTAL_WORDS:
            continue
        item = _read_row(sheet, key, number, cells, mapped, result)
        item["_at"] = f"{Path(sheet.place).name}:{number}"
        items.append(item)
        result.rows += 1
    return items


def _suggest(header: str, key: str) -> str:
    """The field whose known header is closest to an unknown one, as a mapping line."""
    spellings = {name: column.field for name, column in header_lookup(key).items()}
    close = difflib.get_close_matches(parse_header(header).name, list(spellings), n=1, cutoff=0.6)
    return (
        f"columns: {{{key}: {{'{header}': {spellings[close[0]]}}}}}"
        if close
        else f"columns: {{{key}: {{'{header}': FIELD}}}}"
    )


def _read_row(
    sheet: sheet_io.Sheet,
    key: str,
    number: int,
    cells: list[Any],
    mapped: dict[int, Mapped],
    result: ImportResult,
) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for i, (column, scale) in sorted(mapped.items()):
        raw = cells[i] if i < len(cells) else None
        if is_blank(raw):
            continue
        try:
            value = from_cell(column, raw, scale)
        except CellError as exc:
            soft = column.field.startswith("_") or column.field in _SOFT
            result.problems.append(_bad_cell(sheet, key, number, i, column, raw, exc, soft))
            continue
        if column.field in _SOFT and not _known_choice(key, column.field, value):
            # a soft enumeration written in a code of the ledger's own (状态 = 1): kept out, said
            name = choice_set(key, column.field)
            detail = CellError(f"not a known {name}", code="cell.not-a-choice", choices=name)
            result.problems.append(_bad_cell(sheet, key, number, i, column, raw, detail, True))
            continue
        if column.type == "list" and isinstance(item.get(column.field), list):
            value = list(dict.fromkeys([*item[column.field], *value]))
        _put(item, column.field, value)
    return item


def _bad_cell(
    sheet: sheet_io.Sheet,
    key: str,
    number: int,
    i: int,
    column: Column,
    raw: Any,
    detail: str | Exception,
    soft: bool,
) -> Problem:
    """A cell that could not be read: a warning for the fields ledgers fill with notes."""
    return make(
        "import-bad-cell",
        file=sheet.place,
        line=number,
        column=i + 1,
        path=f"{key}.{column.field}",
        cell=f"{get_column_letter(i + 1)}{number}",
        value=str(raw)[:80],
        detail=detail,
        severity="warning" if soft else "error",
    )


def _known_choice(key: str, field_name: str, value: Any) -> bool:
    """Whether ``value`` is a spelling of the field's enumeration (true for other fields)."""
    name = choice_set(key, field_name)
    return name is None or choices.ALL[name].normalise(value) is not None


#: fields a real ledger often fills with notes rather than values: a bad cell is a warning
_SOFT = frozenset({"ips", "mgmt_ip", "purchase_date", "warranty_end", "contract_end", "status", "kind"})


def _merge_repeats(lists: dict[str, list[dict[str, Any]]]) -> None:
    """The same asset listed on several rows (once per rack or per address) is one entry:
    rows with the same serial (or, without one, the same name and room) merge, the first
    row's values winning and lists joined."""
    for key in ("servers",):
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        out: list[dict[str, Any]] = []
        for item in lists.get(key, []):
            identity = (
                ("id", item["id"])
                if "id" in item
                else ("serial", item["serial"])
                if item.get("serial")
                else ("name", item.get("hostname"), item.get("site"), item.get("owner"))
            )
            if identity[1] is None or identity not in merged:
                if identity[1] is not None:
                    merged[identity] = item
                out.append(item)
                continue
            first = merged[identity]
            for name, value in item.items():
                if name not in first:
                    first[name] = value
                elif isinstance(first[name], list) and isinstance(value, list):
                    first[name] = list(dict.fromkeys([*first[name], *value]))
            first.setdefault("_repeats", []).append(item.get("_at"))
        lists[key] = out


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


@dataclass(frozen=True)
class WorkbookFormat:
    """A spreadsheet form the ledger is written in: ``govcloud export NAME`` writes the ledger
    with ``write``, ``govcloud import --template NAME`` an empty one with ``template``."""

    name: str
    write: Callable[[model.Ledger], bytes]
    template: Callable[[], bytes]


#: the spreadsheet forms of ``govcloud export`` and ``govcloud import --template``
WORKBOOK_FORMATS: Registry[WorkbookFormat] = Registry("workbook format")
WORKBOOK_FORMATS.add("xlsx", WorkbookFormat("xlsx", workbook, template))
