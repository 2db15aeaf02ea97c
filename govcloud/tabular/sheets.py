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
    if suffix == ".xls":
        return _read_xls(path)
    raise SheetError(f"{path}: not an .xlsx, .xls or .csv file")


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise SheetError(f"{path}: not a readable xlsx workbook ({type(exc).__name__})") from exc
    sheets = []
    for ws in book.worksheets:
        sheets.append(Sheet(str(path), ws.title, _rows_with_merges(ws)))
    return sheets


def _read_xls(path: Path) -> list[Sheet]:
    """An old-format (BIFF, Excel 97–2003) workbook: date cells become dates, merged cells
    spread their value like in xlsx."""
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:  # xlrd raises many kinds for a broken or foreign file
        raise SheetError(f"{path}: not a readable .xls workbook ({type(exc).__name__})") from exc
    sheets = []
    for ws in book.sheets():
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


def _rows_with_merges(ws: Worksheet) -> list[tuple[int, list[Any]]]:
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
    return [(i + 1, row) for i, row in enumerate(grid)]


def decode(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one
    when every other byte is zero), else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SheetError(f"{name}: broken UTF-16 text") from exc
    sample = data[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16-le")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(f"{name}: neither UTF-8, UTF-16 nor GB18030")  # pragma: no cover


def _delimiter(text: str) -> str:
    """``,`` ``;`` or tab: whichever splits the header line into the most cells."""
    first = next(csv.reader(io.StringIO(text)), [""])
    header = text.split("\n", 1)[0] if len(first) <= 1 else ",".join(first)
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(path: Path) -> Sheet:
    text = decode(path.read_bytes(), str(path))
    if "\x00" in text:
        raise SheetError(f"{path}: binary data, not a CSV file")
    # the Excel dialect: quoted cells may hold delimiters, quotes ("") and line breaks
    rows = list(csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(text)))
    return Sheet(str(path), "", [(i + 1, list(row)) for i, row in enumerate(rows)])


def write_xlsx(sheets: Iterable[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """A workbook of (sheet name, header, rows); headers bold and frozen."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, header, rows in sheets:
        ws = book.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append(row)
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
