"""Reading and writing spreadsheets: xlsx workbooks and CSV files, as rows of cells.

Reading copes with what real ledgers contain: title rows above the header, merged cells
(their value is spread over the range), blank rows, and CSV in UTF-8 (with or without BOM)
or GBK/GB18030.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from govcloud import safeio


@dataclass
class Sheet:
    """One sheet (or CSV file): its name as shown to people and its rows, 1-based."""

    source: str
    name: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)

    @property
    def place(self) -> str:
        return f"{self.source}#{self.name}" if self.name else self.source


class SheetError(ValueError):
    """A file that cannot be read as a spreadsheet."""


def read(path: Path) -> list[Sheet]:
    """The sheets of an xlsx workbook or a CSV file."""
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return [_read_csv(path)]
    raise SheetError(f"{path}: not an .xlsx or .csv file")


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        safeio.check_xlsx(path)  # zip bombs, huge declared grids: refused before parsing
    except safeio.UnsafeInput as exc:
        raise SheetError(str(exc)) from None
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise SheetError(f"{path}: not a readable xlsx workbook ({type(exc).__name__})") from exc
    sheets = []
    for ws in book.worksheets:
        try:
            sheets.append(Sheet(str(path), ws.title, _rows_with_merges(ws, f"{path}#{ws.title}")))
        except safeio.UnsafeInput as exc:
            raise SheetError(str(exc)) from None
    return sheets


def _rows_with_merges(ws: Worksheet, where: str = "") -> list[tuple[int, list[Any]]]:
    safeio.check_grid(ws.max_row, ws.max_column, where)  # the cells actually written
    ranges = list(ws.merged_cells.ranges)
    if len(ranges) > safeio.XLSX_LIMITS["merged"]:
        raise safeio.UnsafeInput(
            "xlsx-limit", path=where, what="merged", value=len(ranges), limit=safeio.XLSX_LIMITS["merged"]
        )
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    spread = 0
    for merged in ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        # only the part of a range inside the written grid is filled: a merge over a whole
        # sheet costs what the sheet holds, not 17 billion cells
        last_row = min(merged.max_row, len(grid))
        for r in range(merged.min_row, last_row + 1):
            row = grid[r - 1]
            last_col = min(merged.max_col, len(row))
            spread += max(0, last_col - merged.min_col + 1)
            if spread > safeio.XLSX_LIMITS["cells"]:
                safeio.check_grid(spread, 1, where)
            for c in range(merged.min_col, last_col + 1):
                row[c - 1] = value
    return [(i + 1, row) for i, row in enumerate(grid)]


#: the longest CSV cell (characters) and the most cells of a row
CSV_MAX_CELL = 1_000_000
CSV_MAX_COLUMNS = 16_384


def _read_csv(path: Path) -> Sheet:
    try:
        data = safeio.read_bytes(path, "csv")  # a regular file within the size limit
    except safeio.UnsafeInput as exc:
        raise SheetError(str(exc)) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise SheetError(f"{path}: neither UTF-8 nor GB18030")
    if "\x00" in text:
        raise SheetError(f"{path}: binary data, not a CSV file")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return Sheet(str(path), "", _csv_rows(path, text, dialect))


def _csv_rows(path: Path, text: str, dialect: Any) -> list[tuple[int, list[Any]]]:
    """Rows of a CSV text with any line ends (``\\r\\n``, ``\\n``, a lone ``\\r``); a cell over
    :data:`CSV_MAX_CELL` characters (often an unclosed quote swallowing the rest of the
    file) or a row over :data:`CSV_MAX_COLUMNS` cells is refused with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[Any]]] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(CSV_MAX_CELL)
    try:
        for row in reader:
            if len(row) > CSV_MAX_COLUMNS:
                raise SheetError(
                    safeio.UnsafeInput(
                        "csv-limit", path=path, line=reader.line_num, what="columns", limit=CSV_MAX_COLUMNS
                    ).render("en")
                )
            rows.append((len(rows) + 1, list(row)))
    except csv.Error as exc:
        raise SheetError(
            safeio.UnsafeInput(
                "csv-limit", path=path, line=reader.line_num, what=str(exc), limit=CSV_MAX_CELL
            ).render("en")
        ) from None
    finally:
        csv.field_size_limit(limit)
    return rows


def write_xlsx(sheets: Iterable[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """A workbook of (sheet name, header, rows); headers bold and frozen."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, header, rows in sheets:
        ws = book.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append([safeio.cell(value) for value in row])  # no control characters
            for cell in ws[ws.max_row]:  # inventory text that looks like a formula stays text
                if safeio.is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        ws.freeze_panes = "A2"
        for cell in ws[1]:
            cell.font = Font(bold=True)
    book.properties.created = book.properties.modified = _EPOCH
    out = io.BytesIO()
    book.save(out)
    return _stable_zip(out.getvalue())


_EPOCH = dt.datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(?P<open><dcterms:modified[^>]*>)[^<]*(?P<close></dcterms:modified>)")


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated alike, so the same ledger gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                payload = _MODIFIED.sub(b"\\g<open>2000-01-01T00:00:00Z\\g<close>", payload)
            target.writestr(entry, payload)
    return out.getvalue()
