"""CSV as Excel and other tools write it: dialect, delimiters, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

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
