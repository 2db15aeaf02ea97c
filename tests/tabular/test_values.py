"""Cells as people fill them: units, levels, dates, yes/no, lists, dependencies, line ends."""

from __future__ import annotations

import datetime as dt

import pytest

from govcloud.tabular.columns import Column, fold, header_lookup, sheet_key
from govcloud.tabular.values import CellError, from_cell, ips, resolve_end, to_cell


def col(field: str, kind: str) -> Column:
    return Column(field, kind, "")


@pytest.mark.parametrize(
    ("field", "kind", "raw", "value"),
    [
        ("bandwidth_mbps", "number", "100M", 100),
        ("bandwidth_mbps", "number", "1G", 1000),
        ("bandwidth_mbps", "number", "1.5 Gbps", 1500),
        ("storage_gb", "number", "2T", 2048),
        ("memory_gb", "number", "64G", 64),
        ("cpu_cores", "integer", "16核", 16),
        ("monthly_fee_cny", "number", "1.2万", 12_000),
        ("monthly_fee_cny", "number", "3,500元", 3500),
        ("cpu_p95_pct", "number", "35%", 35),
        ("cpu_cores", "integer", 8.0, 8),
        ("mlps_level", "integer", "三级", 3),
        ("mlps_level", "integer", "第二级", 2),
        ("mlps_level", "integer", "等保3级", 3),
        ("internet_facing", "boolean", "是", True),
        ("internet_facing", "boolean", "否", False),
        ("purchase_date", "date", "2020/1/5", "2020-01-05"),
        ("purchase_date", "date", "2020年1月5日", "2020-01-05"),
        ("purchase_date", "date", "2020.01.05", "2020-01-05"),
        ("purchase_date", "date", dt.datetime(2020, 1, 5, 0, 0), "2020-01-05"),
        (
            "ips",
            "list",
            "10.0.0.1；10.0.0.2、10.0.0.3\n10.0.0.4",
            ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"],
        ),
        ("vlans", "list-int", "10, 20", [10, 20]),
        ("region_code", "string", 990000.0, "990000"),
    ],
)
def test_cells(field: str, kind: str, raw: object, value: object) -> None:
    assert from_cell(col(field, kind), raw) == value


@pytest.mark.parametrize(
    ("field", "kind", "raw", "reason"),
    [
        ("cpu_cores", "integer", "八核", "not a number"),
        ("cpu_cores", "integer", "2.5", "not a whole number"),
        ("bandwidth_mbps", "number", "100furlongs", "unknown unit"),
        ("mlps_level", "integer", "高", "MLPS level"),
        ("internet_facing", "boolean", "也许", "yes/no"),
        ("purchase_date", "date", "去年", "not a date"),
        ("cpu_cores", "integer", True, "yes/no value"),
    ],
)
def test_bad_cells_say_why(field: str, kind: str, raw: object, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        from_cell(col(field, kind), raw)


def test_dependencies_round_trip() -> None:
    column = col("dependencies", "dependencies")
    deps = [
        {"system": "a", "protocol": "https", "port": 443, "tight": True},
        {"system": "b"},
        {"system": "c", "port": 1521},
    ]
    assert from_cell(column, to_cell(column, deps)) == deps
    assert from_cell(column, "x 紧耦合") == [{"system": "x", "tight": True}]


def test_room_equipment_round_trip() -> None:
    column = col("equipment", "equipment")
    gear = [
        {"kind": "network", "count": 4, "networks": ["a", "b"], "notes": "核心交换机 2，接入交换机 2"},
        {"kind": "other", "count": 1},
    ]
    assert to_cell(column, gear) == "network 4 @a @b: 核心交换机 2，接入交换机 2; other 1"
    assert from_cell(column, to_cell(column, gear)) == gear
    # a kind in Chinese (normalised when loaded), no count, a full-width colon
    assert from_cell(column, "防火墙 @net：出口") == [
        {"kind": "防火墙", "networks": ["net"], "notes": "出口"}
    ]
    with pytest.raises(CellError, match="kind"):
        from_cell(column, "交换机 两台")


@pytest.mark.parametrize("count", ["²", "٣", "9" * 5000, "99999999"])
def test_room_equipment_counts_are_plain_bounded_digits(count: str) -> None:
    """a superscript, other scripts' digits or a 5,000-digit count is a cell error, not a crash"""
    with pytest.raises(CellError, match="kind"):
        from_cell(col("equipment", "equipment"), f"交换机 {count}")


def test_line_ends_resolve_against_known_ids() -> None:
    column = col("a_end", "end")
    assert from_cell(column, "机房:room1") == {"site": "room1"}
    ids = {"sites": {"room1"}, "access_points": {"ap"}}
    assert resolve_end(from_cell(column, "ap"), ids) == {"access_point": "ap"}
    assert resolve_end(from_cell(column, "海州市人民路 1 号"), ids) == {"address": "海州市人民路 1 号"}


def test_headers_in_chinese_english_with_units() -> None:
    lookup = header_lookup("lines")
    assert lookup[fold("带宽(M)")].field == "bandwidth_mbps"
    assert lookup[fold("月租费（元）")].field == "monthly_fee_cny"
    assert lookup[fold("运营商")].field == "carrier"
    assert lookup[fold("Monthly_Fee_CNY")].field == "monthly_fee_cny"
    assert header_lookup("servers")[fold("SN")].field == "serial"
    assert sheet_key("服务器清单") == "servers"
    assert sheet_key("海州市教育局专线台账") == "lines"
    assert sheet_key("天气") is None


# ---- issue 18: cell hygiene


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("10.1.1.61/62", ["10.1.1.61", "10.1.1.62"]),
        ("10.1.1.5（内部地址）", ["10.1.1.5"]),
        ("6.104.4.49/65/68/69", ["6.104.4.49", "6.104.4.65", "6.104.4.68", "6.104.4.69"]),
        ("192.168.110.62/10.62", ["192.168.110.62", "192.168.10.62"]),
        ("10.0.0.0/24", ["10.0.0.0"]),
        ("10.0.0.1; 10.0.0.2\n10.0.0.3", ["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
    ],
)
def test_ip_cells(cell: str, expected: list[str]) -> None:
    assert ips(cell) == expected


def test_an_ip_cell_without_an_address_is_a_bad_cell() -> None:
    with pytest.raises(CellError):
        ips("2.2.2.23.3.3.3")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (43525, "2019-03-01"),
        ("43525", "2019-03-01"),
        ("2019年3月", "2019-03-01"),
        ("2019.3.1", "2019-03-01"),
        ("2019-12-19 00:00", "2019-12-19"),
        ("2025-08-14T17:15:22.273115+00:00", "2025-08-14"),
    ],
)
def test_dates_as_people_and_tools_write_them(cell: object, expected: str) -> None:
    assert from_cell(Column("purchase_date", "date", ""), cell) == expected


@pytest.mark.parametrize(
    ("field", "kind", "raw", "value"),
    [
        ("cpu_cores", "integer", "2*8核", 16),
        ("cpu_cores", "integer", "2颗*8核", 16),
        ("cpu_cores", "integer", "16核（2路）", 16),
        ("memory_gb", "number", "16G×4", 64),
        ("memory_gb", "number", "4*16G", 64),
        ("storage_gb", "number", "500G SSD", 500),
        ("storage_gb", "number", "3*600G", 1800),
    ],
)
def test_products_and_notes_after_an_amount(field: str, kind: str, raw: str, value: float) -> None:
    assert from_cell(col(field, kind), raw) == value


def test_a_product_in_a_column_whose_header_states_the_unit() -> None:
    assert from_cell(col("memory_gb", "number"), "4*16384", 1 / 1024) == 64
