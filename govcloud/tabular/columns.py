"""The spreadsheet form of a ledger: sheets, columns, and the headers people write.

Every entity kind is one sheet (or one CSV file); every field is one column, nested objects
flattened with dots (``backup.offsite``, ``capacity.vcpus``).  Headers are recognised in
Chinese or English, with or without units, through the alias table below.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from govcloud.ledger import schema

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

#: Chinese header of each field, and other spellings seen in real ledgers
LABELS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "资产编号", "标识", "ID"),
    "name": ("名称", "系统名称", "机房名称", "单位名称", "部门名称", "线路名称", "网络名称"),
    "name_en": ("英文名称",),
    "notes": ("备注", "说明"),
    "owner": ("所属部门", "所属单位", "使用单位", "部门", "单位", "责任单位", "归属部门"),
    "level": ("行政级别", "层级", "级别"),
    "region_code": ("行政区划代码", "区划代码", "区划"),
    "parent": ("上级部门", "上级单位"),
    "kind": ("类型", "种类", "类别"),
    "address": ("地址", "所在地址", "位置"),
    "district": ("区县", "所在区县", "区"),
    "racks": ("机柜数", "机柜总数", "机柜"),
    "racks_used": ("已用机柜", "在用机柜"),
    "power_kw": ("功率", "供电容量", "电力容量"),
    "pue": ("PUE",),
    "yearly_cost_cny": ("年运维费", "年费用", "年成本", "年运行费用"),
    "contract_end": ("合同到期", "合同截止", "到期日期", "租约到期"),
    "utilisation_pct": ("利用率", "使用率"),
    "power_redundancy": ("供电冗余", "UPS"),
    "log_retention_days": ("日志保存天数", "日志留存"),
    "bastion": ("堡垒机",),
    "site": ("机房", "所在机房", "部署机房", "所属机房"),
    "hostname": ("主机名", "服务器名称", "设备名称", "计算机名", "机器名"),
    "serial": ("序列号", "SN", "设备序列号", "S/N"),
    "ips": ("IP", "IP地址", "业务IP", "ip地址"),
    "mgmt_ip": ("管理IP", "带外IP", "iLO", "BMC"),
    "cpu_cores": ("CPU核数", "核数", "CPU", "vCPU"),
    "memory_gb": ("内存", "内存容量"),
    "storage_gb": ("存储", "硬盘", "磁盘", "存储容量"),
    "os": ("操作系统", "OS", "系统版本"),
    "arch": ("架构", "CPU架构", "芯片架构"),
    "cpu_p95_pct": ("CPU利用率", "CPU使用率", "CPU峰值"),
    "mem_p95_pct": ("内存利用率", "内存使用率"),
    "purchase_date": ("购置日期", "采购日期", "购买日期", "启用日期"),
    "purchase_value_cny": ("购置金额", "原值", "采购金额", "资产原值"),
    "warranty_end": ("保修截止", "维保到期", "保修到期"),
    "maintenance_cny": ("年维保费", "维保费用"),
    "cidrs": ("网段", "地址段", "CIDR"),
    "vlans": ("VLAN",),
    "sites": ("连接机房", "覆盖机房"),
    "ministry": ("主管部委", "部委"),
    "carrier": ("运营商", "服务商"),
    "technology": ("线路类型", "技术", "接入方式"),
    "bandwidth_mbps": ("带宽", "速率"),
    "a_end": ("A端", "本端", "起点"),
    "a_end.region_code": ("A端区划代码",),
    "z_end": ("Z端", "对端", "终点"),
    "z_end.region_code": ("Z端区划代码",),
    "monthly_fee_cny": ("月租费", "月租", "月费用"),
    "network": ("承载网络", "所属网络"),
    "redundancy_group": ("冗余组", "主备组"),
    "encryption": ("加密", "加密方式"),
    "category": ("功能类别", "系统类别", "业务类别"),
    "mlps_level": ("等保级别", "等保等级", "等级保护级别", "定级"),
    "classification": ("是否涉密", "密级", "涉密等级"),
    "data_class": ("数据级别", "数据分级", "数据等级"),
    "status": ("状态", "运行状态"),
    "servers": ("服务器", "部署服务器", "所用服务器"),
    "networks": ("网络", "所用网络"),
    "dependencies": ("依赖系统", "依赖", "上游系统"),
    "rto_hours": ("RTO",),
    "rpo_hours": ("RPO",),
    "internet_facing": ("是否互联网访问", "互联网访问", "对外服务"),
    "exposed_ports": ("开放端口", "对外端口"),
    "latency_bound": ("时延敏感",),
    "hardware_bound": ("依赖专用硬件", "专用硬件"),
    "users": ("用户数", "用户量"),
    "admin_auth": ("管理员认证", "运维认证方式"),
    "backup.local": ("本地备份",),
    "backup.offsite": ("异地备份",),
    "backup.realtime": ("实时备份",),
    "ha": ("高可用", "双活"),
    "storage_encryption": ("存储加密",),
    "provider": ("云服务商", "平台"),
    "region": ("地域", "云地域"),
    "zones": ("可用区",),
    "capacity.vcpus": ("可用vCPU", "vCPU容量"),
    "capacity.memory_gb": ("可用内存",),
    "capacity.storage_gb": ("可用存储",),
    "certified_mlps_level": ("认证等保级别", "平台等保级别"),
    "xinchuang": ("信创",),
    "archs": ("支持架构",),
    "multi_tenant": ("多租户",),
    "as_of": ("台账日期", "截至日期"),
    "depreciation_years": ("折旧年限",),
    "address_plan": ("地址规划",),
    "currency": ("币种",),
    "example": ("示例价格",),
    "extranet_mbps_month_cny": ("外网带宽单价",),
    "migration.per_server_cny": ("每台迁移费",),
    "migration.per_tb_cny": ("每TB迁移费",),
    "migration.per_system_cny": ("每系统迁移费",),
    "cloud_node": ("云节点",),
    "vcpus": ("vCPU数",),
    "monthly_cny": ("月单价",),
    "tier": ("存储类型",),
    "gb_month_cny": ("每GB月单价",),
    "os_family": ("操作系统系列", "系统系列"),
    "image_id": ("镜像ID", "镜像编号"),
}

_FOLD_DROP = re.compile(r"[\s_\-.·:：()（）\[\]【】/\\]+")
_UNIT_SUFFIX = re.compile(r"[(（][^)）]*[)）]\s*$")


def fold(header: str) -> str:
    """Headers compare without width, case, spacing, punctuation or a trailing unit."""
    text = unicodedata.normalize("NFKC", str(header)).strip()
    text = _UNIT_SUFFIX.sub("", text)
    return _FOLD_DROP.sub("", text.casefold())


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it fills and the JSON type it carries."""

    field: str  # dotted for nested objects
    type: str  # string, integer, number, boolean, date, list, list-int, end, dependencies, zones
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


def _type_of(field: str, spec: dict[str, Any]) -> str:
    if field in ("a_end", "z_end"):
        return "end"
    if field in ("dependencies", "zones"):
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


def header_lookup(key: str) -> dict[str, Column]:
    """Every folded spelling of every header of a sheet → its column."""
    lookup: dict[str, Column] = {}
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
    for key, zh in SHEETS:  # "海州市教育局服务器台账" and the like
        if fold(zh) and fold(zh) in folded:
            return key
    return None
