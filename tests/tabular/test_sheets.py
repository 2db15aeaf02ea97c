"""CSV as Excel and other tools write it: dialect, delimiters, encodings; workbooks written
cannot carry an attack and read back what was written; readers refuse what would hang or
exhaust them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from govcloud.tabular import sheets
from govcloud.tabular.sheets import read

ROWS = [["主机名", "备注", "IP"], ["a", '多行\n"备注", 有逗号; 分号', "10.0.0.1"]]


def _csv(delimiter: str) -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '",;\n\t') else text

    return "\r\n".join(delimiter.join(cell(c) for c in row) for row in ROWS) + "\r\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"])
def test_delimiters_and_encodings(tmp_path: Path, delimiter: str, encoding: str) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(_csv(delimiter).encode(encoding))
    [sheet] = read(path)
    assert [row for _, row in sheet.rows] == ROWS


def test_an_old_format_xls_ledger_with_a_merged_title_and_date_cells() -> None:
    path = Path(__file__).parents[1] / "fixtures" / "real" / "xls" / "服务器台账.xls"
    [sheet] = read(path)
    rows = dict(sheet.rows)
    assert rows[1][0] == rows[1][7] == "海州市教育局服务器台账（2026年6月）"  # the merged title spread
    assert rows[2][1] == "服务器名称"
    assert str(rows[3][7])[:10] == "2019-03-01"  # a date cell is a date


FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0"]


def test_formula_like_text_is_written_as_text_and_reads_back(tmp_path: Path) -> None:
    data = sheets.write_xlsx(
        [("机房", ["id", "name"], [[f"r{i}", text] for i, text in enumerate(FORMULA_LIKE)])]
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml
    path = tmp_path / "导出.xlsx"
    path.write_bytes(data)
    ws = load_workbook(path).active
    assert ws is not None
    cells = [ws.cell(row=i + 2, column=2) for i in range(len(FORMULA_LIKE))]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    [sheet] = sheets.read(path)
    assert [row[1] for _, row in sheet.rows[1:]] == FORMULA_LIKE


def test_control_characters_are_stripped_from_exported_cells() -> None:
    data = sheets.write_xlsx([("机房", ["id", "name"], [["r1", "a\x00b\x1b[31mc\x07"]])])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    assert ws["B2"].value == "ab[31mc"


def test_same_rows_same_bytes() -> None:
    rows = [["r1", "=1+1"], ["r2", "机房"]]
    assert sheets.write_xlsx([("机房", ["id", "name"], rows)]) == sheets.write_xlsx(
        [("机房", ["id", "name"], rows)]
    )


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("a,b\r1,2\r", [["a", "b"], ["1", "2"]]),  # old Mac line ends
        ("a,b\r\n1,2\n3,4\r", [["a", "b"], ["1", "2"], ["3", "4"]]),
    ],
)
def test_csv_with_any_line_ends(tmp_path: Path, text: str, rows: list[list[str]]) -> None:
    path = tmp_path / "机房.csv"
    path.write_text(text, encoding="utf-8", newline="")
    [sheet] = sheets.read(path)
    assert [row for _, row in sheet.rows] == rows


def test_a_huge_csv_cell_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "机房.csv"
    path.write_text('id,name\nr1,ok\nr2,"' + "x" * (sheets.CSV_MAX_CELL + 10) + '"\n', encoding="utf-8")
    with pytest.raises(sheets.SheetError, match=r"机房.csv: line \d"):
        sheets.read(path)
