"""The spreadsheet form of a ledger: sheets, columns, and the headers people write.

Every entity kind is one sheet (or one CSV file); every field is one column, nested objects
flattened with dots (``backup.offsite``, ``capacity.vcpus``).  Headers are recognised in
Chinese or English, with or without units, through the alias table below.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from govcloud.ledger import schema
from govcloud.tabular.headers import fold as fold  # re-exported: headers fold the same way everywhere

#: sheet of each ledger list, in workbook order: (key, 中文名)
SHEETS: tuple[tuple[str, str], ...] = (
    ("region", "地区"),
    ("departments", "部门"),
    ("sites", "机房"),
    ("servers", "服务器"),
    ("networks", "网络"),
    ("lines", "专线"),
    ("systems", "业务系统"),
    ("cloud_nodes", "云节点"),
    ("access_points", "外网接入点"),
    ("prices", "价格参数"),
    ("instance_types", "实例规格"),
    ("storage", "存储价格"),
    ("images", "镜像目录"),
)
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "departments": ("单位", "委办局", "部门清单"),
    "sites": ("机房清单", "数据中心", "idc"),
    "servers": ("服务器清单", "主机", "设备", "资产", "服务器台账", "资产台账"),
    "networks": ("网络清单", "专网"),
    "lines": ("专线清单", "线路", "电路", "circuits"),
    "systems": ("系统", "系统清单", "应用系统", "信息系统"),
    "cloud_nodes": ("政务云", "云平台"),
    "access_points": ("接入点",),
}


def _synonyms() -> dict[str, Any]:
    text = resources.files("govcloud.tabular").joinpath("synonyms.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):  # a shipped data file; tests/tabular/test_columns.py checks it
        raise TypeError("govcloud/tabular/synonyms.yaml is not a mapping")
    return data


_SYNONYMS = _synonyms()
#: Chinese header of each field (the first), and other spellings seen in real ledgers
LABELS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _SYNONYMS["fields"].items()}
#: headers that mean a field (or an importer's helper field, ``_role``…) only in one list
LIST_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    key: {f: tuple(v) for f, v in fields.items()} for key, fields in _SYNONYMS.get("lists", {}).items()
}
#: headers known to carry nothing a ledger keeps, per list
IGNORED: dict[str, frozenset[str]] = {
    key: frozenset(fold(h) for h in headers) for key, headers in _SYNONYMS.get("ignore", {}).items()
}
#: types of the helper fields that are not ledger fields
_HELPER_TYPES = {"_mlps_level": "integer", "_ips": "list", "_is_vm": "boolean"}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it fills and the JSON type it carries."""

    field: str  # dotted for nested objects
    type: str  # string, integer, number, boolean, date, list, list-int, end, dependencies, zones, equipment
    zh: str

    @property
    def header(self) -> str:
        """The header a template or export writes: Chinese and English."""
        return f"{self.zh} / {self.field}" if self.zh else self.field


def _item_schema(key: str) -> dict[str, Any]:
    built = schema.build_schema()["properties"]
    if key in ("region", "prices"):
        return built[key]  # type: ignore[no-any-return]
    if key in ("instance_types", "storage", "images"):
        return built["prices"]["properties"][key]["items"]  # type: ignore[no-any-return]
    return built[key]["items"]  # type: ignore[no-any-return]


@functools.cache
def choice_set(key: str, field: str) -> str | None:
    """The enumeration (``choices.ALL`` name) a sheet's field takes, if it takes one."""
    if "." in field:
        return None
    spec = _item_schema(key).get("properties", {}).get(field, {})
    name = spec.get("x-choices")
    return name if isinstance(name, str) else None


def _type_of(field: str, spec: dict[str, Any]) -> str:
    if field in ("a_end", "z_end"):
        return "end"
    if field in ("dependencies", "zones", "equipment"):
        return field
    if spec.get("pattern") == schema.DATE_PATTERN:
        return "date"
    kind = spec.get("type")
    if kind == "array":
        return "list-int" if spec.get("items", {}).get("type") == "integer" else "list"
    if "const" in spec:
        return "string"
    return str(kind or "string")


def columns(key: str) -> list[Column]:
    """The columns of a sheet, in the schema's field order."""
    out: list[Column] = []
    for field, spec in _item_schema(key)["properties"].items():
        if key == "prices" and field in ("instance_types", "storage", "images"):
            continue
        nested = spec.get("type") == "object" and field not in ("a_end", "z_end")
        if nested:
            for sub, sub_spec in spec["properties"].items():
                dotted = f"{field}.{sub}"
                out.append(Column(dotted, _type_of(sub, sub_spec), _zh(dotted)))
            continue
        out.append(Column(field, _type_of(field, spec), _zh(field)))
        if field in ("a_end", "z_end"):
            out.append(Column(f"{field}.region_code", "string", _zh(f"{field}.region_code")))
    return out


def _zh(field: str) -> str:
    labels = LABELS.get(field)
    return labels[0] if labels else ""


def helper_columns(key: str) -> list[Column]:
    """The importer's helper columns of a list (``_role``, ``_system``…): read, not written."""
    return [
        Column(f, _HELPER_TYPES.get(f, "string"), labels[0])
        for f, labels in LIST_LABELS.get(key, {}).items()
        if f.startswith("_")
    ]


def header_lookup(key: str) -> dict[str, Column]:
    """Every folded spelling of every header of a sheet → its column; the list's own
    spellings first (``Name`` is a server's hostname), then the shared ones."""
    lookup: dict[str, Column] = {}
    by_field = {c.field: c for c in (*columns(key), *helper_columns(key))}
    for field, labels in LIST_LABELS.get(key, {}).items():
        if field in by_field:
            for spelling in labels:
                lookup.setdefault(fold(spelling), by_field[field])
    for column in columns(key):
        for spelling in (column.field, column.field.replace(".", "_"), *LABELS.get(column.field, ())):
            lookup.setdefault(fold(spelling), column)
    return lookup


def sheet_key(name: str) -> str | None:
    """The ledger list a sheet or CSV file name stands for."""
    folded = fold(name)
    for key, zh in SHEETS:
        if folded in (fold(key), fold(zh), *(fold(a) for a in SHEET_ALIASES.get(key, ()))):
            return key
    if any(word in folded for word in _DEVICE_WORDS):
        return "servers"  # 网络设备, 存储设备, 设备台账: rows of devices, classified one by one
    for key, zh in SHEETS:  # "海州市教育局服务器台账" and the like
        if fold(zh) and fold(zh) in folded:
            return key
    return None


#: a sheet named for devices lists devices of every kind (only its servers become servers)
_DEVICE_WORDS = ("设备", "资产", "device", "equipment", "asset", "hardware", "硬件")
