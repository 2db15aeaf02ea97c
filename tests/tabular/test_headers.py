"""Headers as people write them come apart into a name and a unit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.tabular.columns import IGNORED, LABELS, LIST_LABELS, columns, header_lookup, helper_columns
from govcloud.tabular.headers import factor, fold, parse


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
