"""Headers as people write them come apart into a name and a unit."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.tabular.columns import IGNORED, LABELS, LIST_LABELS, columns, header_lookup, helper_columns
from govcloud.tabular.headers import Header, factor, fold, parse


@pytest.mark.parametrize(
    ("text", "name", "unit", "required"),
    [
        ("内存（GB）", "内存", "gb", False),
        ("*Memory (In MB)", "memory", "mb", True),
        ("业务系统[必填]", "业务系统", None, True),
        ("主机名（必填）", "主机名", None, True),
        ("Provisioned MiB", "provisioned", "mib", False),
        ("虚拟核数vCPU（个）", "虚拟核数vcpu", "个", False),
        ("归属部门（一级）", "归属部门一级", None, False),
        ("Ｎａｍｅ", "name", None, False),
        ("总内存（G）", "总内存", "g", False),
        ("带宽(Mbps)", "带宽", "mbps", False),
    ],
)
def test_parse(text: str, name: str, unit: str | None, required: bool) -> None:
    header = parse(text)
    assert (header.name, header.unit, header.required) == (name, unit, required)


# every unit a header may state in brackets, as written → (the unit, its family, the multiplier
# to the ledger field's unit); written in mixed case and full width where people do
UNIT_TABLE = [
    ("KB", "kb", "gb", 1 / 1024**2),
    ("KiB", "kib", "gb", 1 / 1024**2),
    ("MB", "mb", "gb", 1 / 1024),
    ("MiB", "mib", "gb", 1 / 1024),
    ("M", "m", "gb", 1 / 1024),
    ("兆", "兆", "gb", 1 / 1024),
    ("GB", "gb", "gb", 1),
    ("ＧＢ", "gb", "gb", 1),
    ("GiB", "gib", "gb", 1),
    ("G", "g", "gb", 1),
    ("TB", "tb", "gb", 1024),
    ("TiB", "tib", "gb", 1024),
    ("T", "t", "gb", 1024),
    ("Kbps", "kbps", "mbps", 0.001),
    ("K", "k", "mbps", 0.001),
    ("Mbps", "mbps", "mbps", 1),
    ("M", "m", "mbps", 1),
    ("Mb", "mb", "mbps", 1),
    ("兆", "兆", "mbps", 1),
    ("Gbps", "gbps", "mbps", 1000),
    ("G", "g", "mbps", 1000),
    ("元", "元", "cny", 1),
    ("万元", "万元", "cny", 10_000),
    ("万", "万", "cny", 10_000),
    ("千元", "千元", "cny", 1000),
    ("元/月", "元月", "cny", 1),
    ("元／年", "元年", "cny", 1),
    ("CNY", "cny", "cny", 1),
    ("RMB", "rmb", "cny", 1),
    ("%", "%", "pct", 1),
    ("％", "%", "pct", 1),
    ("百分比", "百分比", "pct", 1),
    ("Percent", "percent", "pct", 1),
    ("percentage", "percentage", "pct", 1),
    ("个", "个", "count", 1),
    ("台", "台", "count", 1),
    ("核", "核", "count", 1),
    ("颗", "颗", "count", 1),
    ("天", "天", "count", 1),
    ("小时", "小时", "count", 1),
    ("H", "h", "count", 1),
    ("年", "年", "count", 1),
    ("人", "人", "count", 1),
    ("U", "u", "count", 1),
]


@pytest.mark.parametrize(("written", "unit", "family", "multiplier"), UNIT_TABLE)
def test_every_unit_in_brackets_is_recognised_and_converts_exactly(
    written: str, unit: str, family: str, multiplier: float
) -> None:
    for text in (
        f"数量（{written}）",
        f"数量 ( {written} )",
        f"数量[In {written}]",
        f"数量【单位：{written}】",
    ):
        assert parse(text) == Header(text, "数量", unit, False), text
    assert factor(unit, family) == multiplier
    # a unit of one family means nothing for the others (the value is then taken as written)
    others = {f for _, u, f, _ in UNIT_TABLE if u == unit}
    for other in {"gb", "mbps", "cny", "pct", "count"} - others:
        assert factor(unit, other) is None, (unit, other)


def test_a_unit_stated_only_in_a_mapping_file_is_only_casefolded() -> None:
    # a mapping file's ``unit:`` reaches factor() without parse()'s width folding
    assert factor("％", "pct") == 1
    assert factor("mib", "no-such-family") is None


@pytest.mark.parametrize(
    ("text", "name", "unit"),
    [
        ("Provisioned KiB", "provisioned", "kib"),
        ("Provisioned MiB", "provisioned", "mib"),
        ("Provisioned GiB", "provisioned", "gib"),
        ("Provisioned TiB", "provisioned", "tib"),
        ("Disk KB", "disk", "kb"),
        ("Disk mb", "disk", "mb"),
        ("Disk GB", "disk", "gb"),
        ("Disk TB", "disk", "tb"),
        ("In Use MiB", "inuse", "mib"),
        ("Total Disk Size GiB", "totaldisksize", "gib"),
        # only size units count as a last word: "Site G" is a site named G, "Rack U" a rack
        ("Site G", "siteg", None),
        ("Rack U", "racku", None),
        ("Bandwidth Mbps", "bandwidthmbps", None),
        # a header that is nothing but a unit word is a name, not an empty header with a unit
        ("MiB", "mib", None),
        ("GB", "gb", None),
        # a unit in brackets wins over a last word, which then stays in the name
        ("Memory GB (MB)", "memorygb", "mb"),
        # the first unit in brackets wins; a second is dropped
        ("内存（MB）（GB）", "内存", "mb"),
        ("内存（GB）（一级）", "内存一级", "gb"),
    ],
)
def test_a_unit_as_the_last_word(text: str, name: str, unit: str | None) -> None:
    assert parse(text) == Header(text, name, unit, False)


@pytest.mark.parametrize(
    ("text", "name", "required"),
    [
        ("主机名[必填]", "主机名", True),
        ("主机名【必填】", "主机名", True),
        ("主机名（必选）", "主机名", True),
        ("主机名<必须>", "主机名", True),
        ("主机名《必填》", "主机名", True),
        ("主机名 ( Required )", "主机名", True),
        ("[REQUIRED] Hostname", "hostname", True),
        ("**主机名", "主机名", True),
        ("主机名 *", "主机名", True),
        ("主机名必填项", "主机名", True),
        ("必填 主机名", "主机名", True),
        ("主机名", "主机名", False),
        # the opposite markers are dropped too, and do not make the column required
        ("负责人（非必填）", "负责人", False),
        ("负责人[选填]", "负责人", False),
        ("负责人(可选)", "负责人", False),
        ("Contact [Optional]", "contact", False),
        ("负责人 非必填项", "负责人", False),
        ("负责人非必填", "负责人", False),
        # a star inside a name is not a marker, only at either end
        ("2*8核", "28核", False),
        ("*主机名*", "主机名", True),
    ],
)
def test_required_and_optional_markers(text: str, name: str, required: bool) -> None:
    assert parse(text) == Header(text, name, None, required)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("  主机名  ", "主机名"),
        ("Host_Name", "hostname"),
        ("Host-Name.", "hostname"),
        ("IP 地址：", "ip地址"),
        ("A/Z端", "az端"),
        ("序号#", "序号"),
        ("编号№", "编号"),
        ("所属·单位", "所属单位"),
        ("ＩＰ　地址", "ip地址"),  # full-width letters and an ideographic space
        ("HOSTNAME", "hostname"),
        ("归属部门（一级）", "归属部门一级"),
        ("机房 (主) 名称", "机房主名称"),
        (16, "16"),
        (None, "none"),
    ],
)
def test_names_fold_width_case_spacing_and_punctuation(text: object, name: str) -> None:
    header = parse(text)
    assert (header.name, header.unit, header.text) == (name, None, str(text))


_ASCII_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(_ASCII_WORD, st.sampled_from(["", " ", "_", "-", ".", "  ", "：", "/"]))
def test_folding_ignores_width_case_and_separators(word: str, separator: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in word)
    halves = separator.join([word[: len(word) // 2], word[len(word) // 2 :]])
    assert fold(full_width) == fold(word.upper()) == fold(halves) == word.casefold()


def test_a_parsed_header_is_an_immutable_hashable_value() -> None:
    header = parse("内存（GB）")
    with pytest.raises(dataclasses.FrozenInstanceError):
        header.name = "x"  # type: ignore[misc]
    assert {header, parse("内存（GB）")} == {header}


def test_per_month_units_and_optional_markers_leave_the_synonym_intact() -> None:
    # "（元/月）" is a unit, not part of the name; "（非必填）" is a marker, not "非" in the name
    lines = header_lookup("lines")
    monthly = parse("月租（元/月）")
    assert (lines[monthly.name].field, monthly.unit, factor(monthly.unit, "cny")) == (
        "monthly_fee_cny",
        "元月",
        1,
    )
    servers = header_lookup("servers")
    assert servers[fold("负责人（非必填）")].field == "_contact"
    assert servers[fold("内存（GB）（选填）")].field == "memory_gb"


def test_units_convert_to_the_fields_unit() -> None:
    assert factor("mib", "gb") == pytest.approx(1 / 1024)
    assert factor("t", "gb") == 1024
    assert factor("gbps", "mbps") == 1000
    assert factor(None, "gb") == 1
    assert factor("个", "gb") is None  # not a size: the unit is not applied


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20))
def test_folding_is_idempotent_on_names(text: str) -> None:
    once = fold(text)
    assert fold(once) == fold(fold(once))


# the headers issue 18 names, per list: each must be recognised as the field it means
ISSUE_HEADERS = {
    "servers": {
        "hostname": ["主机名", "主机名称", "计算机名", "Name", "VM", "Host"],
        "ips": ["内网IP", "业务IP", "应用IP", "IP地址", "IP Address", "Primary IP Address"],
        "mgmt_ip": ["管理IP", "带内管理IP", "带外管理IP"],
        "_public_ip": ["外网IP", "公网IP"],
        "cpu_cores": ["CPU", "CPU核数", "虚拟核数vCPU", "CPUs"],
        "memory_gb": ["内存", "总内存", "Memory"],
        "storage_gb": ["硬盘", "存储", "Provisioned MiB", "In Use MiB"],
        "site": ["机房", "机房名称", "机房编号", "Datacenter", "Site"],
        "_rack": ["机柜", "Rack"],
        "_role": ["设备类型", "Role"],
        "owner": ["单位", "部门", "归属部门", "Tenant"],
        "_dept1": ["一级部门"],
        "_dept2": ["二级部门"],
        "_system": ["业务系统", "所属业务", "应用", "Application", "Folder"],
        "_contact": ["负责人", "维护人"],
        "warranty_end": ["维保到期"],
        "purchase_date": ["上架日期", "购置日期"],
        "_mlps_level": ["等保级别"],
    },
    "lines": {
        "carrier": ["运营商"],
        "bandwidth_mbps": ["带宽"],
        "a_end": ["A端"],
        "z_end": ["Z端"],
        "monthly_fee_cny": ["月租"],
        "contract_end": ["合同到期"],
    },
}


@pytest.mark.parametrize("key", sorted(ISSUE_HEADERS))
def test_the_headers_people_write_are_recognised(key: str) -> None:
    lookup = header_lookup(key)
    for field, spellings in ISSUE_HEADERS[key].items():
        for spelling in spellings:
            assert lookup[fold(spelling)].field == field, spelling


def test_the_synonyms_file_names_only_real_fields() -> None:
    for key, fields in LIST_LABELS.items():
        known = {c.field for c in columns(key)} | {c.field for c in helper_columns(key)}
        assert set(fields) <= known, key
    assert "hostname" in LABELS
    assert fold("开始U位") in IGNORED["servers"]
