"""The JSON Schema (draft 2020-12) of a ledger file.

The schema is built from the enumerations in :mod:`govcloud.ledger.choices`, so an alias added
there is accepted by editors too.  ``govcloud schema`` prints it; the copy shipped as
``ledger.schema.json`` is checked against this builder by the tests.
"""

from __future__ import annotations

import json
from typing import Any

from govcloud.ledger import choices
from govcloud.ledger.model import ENTITY_KINDS

SCHEMA_ID = "https://govcloud.invalid/schemas/ledger-1.json"
SCHEMA_VERSION = 1

JSON = dict[str, Any]

ID_PATTERN = r"^(?!\.)[^\s/\\:*?\"<>|]+$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
REGION_CODE_PATTERN = r"^\d{6}$"


def _id() -> JSON:
    return {"type": "string", "minLength": 1, "maxLength": 128, "pattern": ID_PATTERN}


def _ref(kind: str) -> JSON:
    return {**_id(), "description": f"id of a {kind}"}


def _ids(kind: str) -> JSON:
    return {"type": "array", "items": _ref(kind), "uniqueItems": True}


def _text(max_length: int = 500) -> JSON:
    return {"type": "string", "minLength": 1, "maxLength": max_length}


def _enum(name: str) -> JSON:
    cs = choices.ALL[name]
    return {
        "type": "string",
        "enum": cs.spellings(),
        "description": f"one of {', '.join(cs.values)}",
        "x-choices": name,
    }


def _int(minimum: int = 0, maximum: int | None = None) -> JSON:
    out: JSON = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        out["maximum"] = maximum
    return out


def _num(minimum: float = 0, maximum: float | None = None) -> JSON:
    out: JSON = {"type": "number", "minimum": minimum}
    if maximum is not None:
        out["maximum"] = maximum
    return out


def _pct() -> JSON:
    return _num(0, 100)


def _date() -> JSON:
    return {"type": "string", "pattern": DATE_PATTERN, "description": "a date, YYYY-MM-DD"}


def _region_code() -> JSON:
    return {"type": "string", "pattern": REGION_CODE_PATTERN, "description": "行政区划代码, 6 digits"}


def _object(required: list[str], properties: JSON) -> JSON:
    return {"type": "object", "additionalProperties": False, "required": required, "properties": properties}


def _list_of(item: JSON) -> JSON:
    return {"type": "array", "items": item}


def _names() -> JSON:
    return {"name": _text(200), "name_en": _text(200), "notes": _text(2000)}


REGION = _object(
    ["id", "name", "region_code", "as_of"],
    {
        "id": _id(),
        **_names(),
        "region_code": _region_code(),
        "as_of": {**_date(), "description": "the date the ledger describes; plans count from it"},
        "depreciation_years": _int(1, 30),
        "address_plan": {
            "type": "array",
            "items": {"type": "string", "description": "a CIDR block the region may allocate from"},
        },
    },
)

DEPARTMENT = _object(
    ["id", "name", "level", "region_code"],
    {
        "id": _id(),
        **_names(),
        "level": _enum("admin_level"),
        "region_code": _region_code(),
        "parent": _ref("department"),
    },
)

EQUIPMENT = _object(
    ["kind"],
    {
        "kind": _enum("equipment_kind"),
        "count": _int(1),
        "networks": _ids("network"),
        "notes": _text(2000),
    },
)

SITE = _object(
    ["id", "name", "kind"],
    {
        "id": _id(),
        **_names(),
        "owner": _ref("department"),
        "kind": _enum("site_kind"),
        "address": _text(300),
        "region_code": _region_code(),
        "district": _text(100),
        "racks": _int(),
        "racks_used": _int(),
        "power_kw": _num(),
        "pue": _num(1, 5),
        "yearly_cost_cny": _num(),
        "contract_end": _date(),
        "utilisation_pct": _pct(),
        "power_redundancy": _enum("power_redundancy"),
        "log_retention_days": _int(),
        "bastion": {"type": "boolean"},
        "closed_on": {**_date(), "description": "progress: the day the room was closed"},
        "equipment": {
            **_list_of(EQUIPMENT),
            "description": "room equipment that is not a server: it must go before the room closes",
        },
    },
)

SERVER = _object(
    ["id", "site", "hostname"],
    {
        "id": _id(),
        "owner": _ref("department"),
        "site": _ref("site"),
        "hostname": _text(253),
        "serial": _text(100),
        "ips": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "mgmt_ip": {"type": "string"},
        "kind": _enum("server_kind"),
        "cpu_cores": _int(1, 4096),
        "memory_gb": _num(0, 65536),
        "storage_gb": _num(0, 10_000_000),
        "os": _text(100),
        "arch": _enum("cpu_arch"),
        "cpu_p95_pct": _pct(),
        "mem_p95_pct": _pct(),
        "purchase_date": _date(),
        "purchase_value_cny": _num(),
        "warranty_end": _date(),
        "maintenance_cny": {
            **_num(),
            "description": "yearly maintenance contract (维保) of this server, CNY",
        },
        "notes": _text(2000),
        "mac": {**_text(64), "description": "MAC address of the main network card"},
        "asset_tag": {**_text(100), "description": "fixed-asset number (资产编号)"},
        "status": _enum("server_status"),
        "role": _enum("server_role"),
        "net_p95_mbps": {**_num(), "description": "p95 network throughput over the measured period, Mbps"},
        "metrics_days": {
            **_int(1, 3660),
            "description": "days over which cpu_p95_pct, mem_p95_pct and net_p95_mbps were measured",
        },
    },
)

NETWORK = _object(
    ["id", "name", "kind"],
    {
        "id": _id(),
        **_names(),
        "owner": _ref("department"),
        "kind": _enum("network_kind"),
        "cidrs": {"type": "array", "items": {"type": "string"}},
        "vlans": {"type": "array", "items": _int(1, 4094), "uniqueItems": True},
        "sites": _ids("site"),
        "ministry": _text(100),
        "cut_over_on": {**_date(), "description": "progress: the day it was cut over to the extranet"},
    },
)

LINE_END = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "site": _ref("site"),
        "access_point": _ref("extranet access point"),
        "cloud_node": _ref("cloud node"),
        "address": _text(300),
        "region_code": _region_code(),
    },
    "oneOf": [
        {"required": ["site"]},
        {"required": ["access_point"]},
        {"required": ["cloud_node"]},
        {"required": ["address"]},
    ],
    "description": "where a line ends: exactly one of site, access_point, cloud_node, address",
}

LINE = _object(
    ["id", "carrier", "bandwidth_mbps", "a_end", "z_end"],
    {
        "id": _id(),
        **_names(),
        "owner": _ref("department"),
        "carrier": _enum("carrier"),
        "technology": _enum("line_technology"),
        "bandwidth_mbps": _num(0.064, 400_000),
        "a_end": LINE_END,
        "z_end": LINE_END,
        "monthly_fee_cny": _num(),
        "contract_end": _date(),
        "network": _ref("network"),
        "redundancy_group": _text(100),
        "encryption": _enum("encryption"),
        "cancelled_on": {**_date(), "description": "progress: the day the line was cancelled"},
    },
)

DEPENDENCY = _object(
    ["system"],
    {
        "system": _ref("system"),
        "protocol": _enum("protocol"),
        "port": _int(1, 65535),
        "tight": {"type": "boolean", "description": "true when the two must move together"},
    },
)

BACKUP = _object(
    [],
    {
        "local": {"type": "boolean"},
        "offsite": {"type": "boolean"},
        "realtime": {"type": "boolean"},
        "site": _ref("site holding the off-site copy"),
    },
)

SYSTEM = _object(
    ["id", "name", "mlps_level"],
    {
        "id": _id(),
        **_names(),
        "owner": _ref("department"),
        "category": _enum("system_category"),
        "mlps_level": _int(1, 5),
        "classification": _enum("classification"),
        "data_class": _enum("data_class"),
        "status": _enum("system_status"),
        "servers": _ids("server"),
        "networks": _ids("network"),
        "dependencies": _list_of(DEPENDENCY),
        "rto_hours": _num(),
        "rpo_hours": _num(),
        "internet_facing": {"type": "boolean"},
        "exposed_ports": {"type": "array", "items": _int(1, 65535), "uniqueItems": True},
        "latency_bound": {"type": "boolean"},
        "hardware_bound": {"type": "boolean"},
        "users": _int(),
        "admin_auth": _enum("admin_auth"),
        "bastion": {"type": "boolean"},
        "log_retention_days": _int(),
        "backup": BACKUP,
        "ha": _enum("ha_mode"),
        "storage_encryption": _enum("encryption"),
        "operator": _enum("operator_kind"),
        "operator_name": _text(200),
        "ops_staff_fte": _num(),
        "ops_outsourcing_cny": _num(),
        "licence_cny": _num(),
        "graded_on": {**_date(), "description": "定级: when the MLPS level was set"},
        "filing_no": {
            "type": "string",
            "minLength": 1,
            "description": "备案: the filing number from the public security bureau",
        },
        "assessed_on": {**_date(), "description": "测评: the date of the last MLPS assessment"},
        "assessment_result": _enum("assessment_result"),
        "crypto_assessed_on": {
            **_date(),
            "description": "密评: the date of the last commercial-crypto assessment",
        },
        "crypto_assessment_result": _enum("assessment_result"),
        "xinchuang": {"type": "boolean", "description": "信创: must run on a domestic IT stack"},
        "migrated_on": {**_date(), "description": "progress: the day it went live on a cloud node"},
        "migrated_to": _ref("cloud node"),
        "retired_on": {**_date(), "description": "progress: the day it was switched off for good"},
        "wave": {
            **_int(1),
            "description": "progress: the number of the plan's wave it migrated or retired in",
        },
    },
)

ZONE = _object(
    ["id"],
    {"id": _id(), **_names(), "recovery_zone": {**_id(), "description": "the paired zone of the same node"}},
)

CAPACITY = _object(
    [],
    {"vcpus": _int(), "memory_gb": _num(), "storage_gb": _num()},
)

CLOUD_NODE = _object(
    ["id", "name", "provider", "region", "zones", "certified_mlps_level"],
    {
        "id": _id(),
        **_names(),
        "provider": _enum("cloud_provider"),
        "kind": _enum("cloud_node_kind"),
        "region": {"type": "string", "pattern": r"^[A-Za-z0-9._-]+$", "description": "provider region"},
        "region_code": _region_code(),
        "site": _ref("site"),
        "zones": {"type": "array", "items": ZONE, "minItems": 1},
        "capacity": CAPACITY,
        "certified_mlps_level": _int(1, 5),
        "xinchuang": {"type": "boolean", "description": "信创: offers a domestic IT stack"},
        "archs": {"type": "array", "items": _enum("cpu_arch"), "uniqueItems": True},
        "multi_tenant": {"type": "boolean"},
        "recovery_node": _ref("cloud node"),
        "recovery_region": {
            "type": "string",
            "pattern": r"^[A-Za-z0-9._-]+$",
            "description": "provider region for off-site copies",
        },
    },
)

ACCESS_POINT = _object(
    ["id", "name", "bandwidth_mbps"],
    {
        "id": _id(),
        **_names(),
        "level": _enum("admin_level"),
        "region_code": _region_code(),
        "site": _ref("site"),
        "address": _text(300),
        "bandwidth_mbps": _num(0),
    },
)

PRICES = _object(
    [],
    {
        "currency": {"const": "CNY"},
        "example": {"type": "boolean", "description": "true while the prices are illustrative"},
        "instance_types": _list_of(
            _object(
                ["cloud_node", "name", "vcpus", "memory_gb", "monthly_cny"],
                {
                    "cloud_node": _ref("cloud node"),
                    "name": _text(100),
                    "vcpus": _int(1),
                    "memory_gb": _num(0),
                    "arch": _enum("cpu_arch"),
                    "monthly_cny": _num(),
                },
            )
        ),
        "storage": _list_of(
            _object(
                ["cloud_node", "tier", "gb_month_cny"],
                {"cloud_node": _ref("cloud node"), "tier": _enum("storage_tier"), "gb_month_cny": _num()},
            )
        ),
        "extranet_mbps_month_cny": _num(),
        "migration": _object(
            [],
            {
                "per_server_cny": _num(),
                "per_tb_cny": _num(),
                "per_system_cny": _num(),
                "per_retired_system_cny": _num(),
                "per_ported_system_cny": _num(),
            },
        ),
        "ops_staff_fte_year_cny": _num(),
        "as_is": _object(
            [],
            {
                "room_year_cny": _num(),
                "rack_year_cny": _num(),
                "server_maintenance_year_cny": _num(),
                "server_depreciation_year_cny": _num(),
                "server_power_kw": _num(),
                "electricity_cny_per_kwh": _num(),
                "default_pue": _num(1, 5),
                "vcpu_year_cny": _num(),
            },
        ),
        "images": _list_of(
            _object(
                ["cloud_node", "os_family", "arch", "image_id"],
                {
                    "cloud_node": _ref("cloud node"),
                    "os_family": _enum("os_family"),
                    "arch": _enum("cpu_arch"),
                    "image_id": _text(200),
                    "name": _text(200),
                },
            )
        ),
    },
)

#: top-level list keys of a ledger file: the model's entity kinds
ENTITY_KEYS: tuple[str, ...] = ENTITY_KINDS

_ITEM_SCHEMAS: dict[str, JSON] = {
    "departments": DEPARTMENT,
    "sites": SITE,
    "servers": SERVER,
    "networks": NETWORK,
    "lines": LINE,
    "systems": SYSTEM,
    "cloud_nodes": CLOUD_NODE,
    "access_points": ACCESS_POINT,
}


#: what an import had to assume (``govcloud import``): validate reports each as a warning until
#: a person confirms it and deletes the entry
ASSUMPTIONS: JSON = {
    "type": "array",
    "description": "values an import assumed, to confirm (each is a warning until removed)",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["field", "value", "why"],
        "properties": {
            "field": {"type": "string", "description": "the field assumed, e.g. servers[].site"},
            "value": {"type": ["string", "number", "boolean"], "description": "the value assumed"},
            "why": {"type": "string", "description": "why it had to be assumed"},
            "at": {"type": "array", "items": {"type": "string"}, "description": "file:line of the rows"},
            "count": {"type": "integer", "minimum": 1, "description": "how many entries it applies to"},
            "ids": {
                "type": "array",
                "items": {"type": "string"},
                "description": "kind:id of every entry it applies to (how sure the plan is depends on them)",
            },
        },
    },
}


def build_schema() -> JSON:
    """The schema of one ledger file (every key optional; the ledger as a whole is checked later)."""
    properties: JSON = {
        "version": {"const": SCHEMA_VERSION},
        "region": REGION,
        "department": {**DEPARTMENT, "description": "the department this file belongs to"},
        "prices": PRICES,
    }
    for key in ENTITY_KEYS:
        properties[key] = _list_of(_ITEM_SCHEMAS[key])
    properties["assumptions"] = ASSUMPTIONS
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "govcloud ledger file (一本账)",
        "description": (
            "One file of a region's IT ledger. A department's file has `department:` and its "
            "assets (owner defaults to that department); region-level files hold `region:`, "
            "targets and prices; a single file may hold everything."
        ),
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def schema_text() -> str:
    """The schema as stable, pretty JSON text (what ``govcloud schema`` prints)."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
