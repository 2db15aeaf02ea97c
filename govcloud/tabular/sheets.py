"""Reading and writing spreadsheets: xlsx workbooks and CSV files, as rows of cells.

Reading copes with what real ledgers contain: title rows above the header, merged cells
(their value is spread over the range), blank rows, and CSV in UTF-8 (with or without BOM)
or GBK/GB18030.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlrd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from govcloud import safeio
from govcloud.errors import GovcloudError


@dataclass
class Sheet:
    """One sheet (or CSV file): its name as shown to people and its rows, 1-based."""

    source: str
    name: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)

    @property
    def place(self) -> str:
        return f"{self.source}#{self.name}" if self.name else self.source


class SheetError(GovcloudError, ValueError):
    """A file that cannot be read as a spreadsheet."""

    kind = "import"


def read(path: Path) -> list[Sheet]:
    """The sheets of an xlsx workbook or a CSV file."""
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return [_read_csv(path)]
    if suffix == ".xls":
        return _read_xls(path)
    raise SheetError(f"{path}: not an .xlsx, .xls or .csv file")


def _unreadable(path: Path, kind: str, exc: Exception) -> SheetError:
    """A workbook its reader could not open (``kind`` is ``xlsx`` or ``.xls``); the reader's
    own error is named by its class only."""
    error = type(exc).__name__
    return SheetError(
        f"{path}: not a readable {kind} workbook ({error})",
        code="sheet.unreadable",
        path=path,
        format=kind,
        error=error,
    )


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        safeio.check_xlsx(path)  # zip bombs, huge declared grids: refused before parsing
    except safeio.UnsafeInput as exc:
        raise SheetError(str(exc)) from None
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise _unreadable(path, "xlsx", exc) from exc
    sheets = []
    for ws in book.worksheets:
        try:
            sheets.append(Sheet(str(path), ws.title, _rows_with_merges(ws, f"{path}#{ws.title}")))
        except safeio.UnsafeInput as exc:
            raise SheetError(str(exc)) from None
    return sheets


def _read_xls(path: Path) -> list[Sheet]:
    """An old-format (BIFF, Excel 97–2003) workbook: date cells become dates, merged cells
    spread their value like in xlsx."""
    try:
        safeio.check_file(path, "xlsx")  # a regular file within the size limit
    except safeio.UnsafeInput as exc:
        raise SheetError(str(exc)) from exc
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:  # xlrd raises many kinds for a broken or foreign file
        raise _unreadable(path, ".xls", exc) from exc
    sheets = []
    for ws in book.sheets():
        try:  # the grid and its merges, bounded like an xlsx sheet's
            safeio.check_grid(max(ws.nrows, 1), max(ws.ncols, 1), f"{path}#{ws.name}")
            area = sum((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in ws.merged_cells)
            if area > safeio.XLSX_LIMITS["merged_cells"]:
                raise safeio.UnsafeInput(
                    "xlsx-limit",
                    path=f"{path}#{ws.name}",
                    what="merged_cells",
                    value=area,
                    limit=safeio.XLSX_LIMITS["merged_cells"],
                )
        except safeio.UnsafeInput as exc:
            raise SheetError(str(exc)) from exc
        grid: list[list[Any]] = []
        for r in range(ws.nrows):
            row: list[Any] = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate_as_datetime(float(cell.value), book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                else:
                    row.append(cell.value)
            grid.append(row)
        for r0, r1, c0, c1 in ws.merged_cells:
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if (r, c) != (r0, c0) and r < len(grid) and c < len(grid[r]):
                        grid[r][c] = grid[r0][c0]
        sheets.append(Sheet(str(path), ws.name, [(i + 1, row) for i, row in enumerate(grid)]))
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


def decode(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one
    when every other byte is zero), else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SheetError(f"{name}: broken UTF-16 text", code="sheet.broken-utf16", path=name) from exc
    sample = data[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16-le")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(
        f"{name}: neither UTF-8, UTF-16 nor GB18030", code="sheet.encoding", path=name
    )  # pragma: no cover


def _delimiter(text: str) -> str:
    """``,`` ``;`` or tab: whichever splits the header line into the most cells."""
    first = next(csv.reader(io.StringIO(text)), [""])
    header = text.split("\n", 1)[0] if len(first) <= 1 else ",".join(first)
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(path: Path) -> Sheet:
    try:
        data = safeio.read_bytes(path, "csv")  # a regular file within the size limit
    except safeio.UnsafeInput as exc:
        raise SheetError(str(exc)) from exc
    text = decode(data, str(path))
    if "\x00" in text:
        raise SheetError(f"{path}: binary data, not a CSV file", code="sheet.binary", path=path)
    # the Excel dialect: quoted cells may hold delimiters, quotes ("") and line breaks
    try:
        delimiter = _delimiter(text)
    except csv.Error:  # a first line that is one huge cell: _csv_rows says where
        delimiter = ","
    return Sheet(str(path), "", _csv_rows(path, text, delimiter))


def _csv_rows(path: Path, text: str, delimiter: str) -> list[tuple[int, list[Any]]]:
    """Rows of a CSV text with any line ends (``\\r\\n``, ``\\n``, a lone ``\\r``); a cell over
    :data:`CSV_MAX_CELL` characters (often an unclosed quote swallowing the rest of the
    file) or a row over :data:`CSV_MAX_COLUMNS` cells is refused with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(CSV_MAX_CELL)
    try:
        for row in reader:
            if len(row) > CSV_MAX_COLUMNS:
                refusal = safeio.UnsafeInput(
                    "csv-limit", path=path, line=reader.line_num, what="columns", limit=CSV_MAX_COLUMNS
                )
                raise SheetError(refusal.render("en")) from refusal
            rows.append((len(rows) + 1, list(row)))
    except csv.Error:
        # csv says "field larger than field limit (…)": a cell over the limit
        refusal = safeio.UnsafeInput(
            "csv-limit", path=path, line=reader.line_num, what="cell", limit=CSV_MAX_CELL
        )
        raise SheetError(refusal.render("en")) from refusal
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
