"""An imported document made plannable: departments, rooms, systems and a region skeleton.

Every importer ends here.  Rows name their department and room by name (a 部门 column, a
NetBox tenant, ``--owner``); this module turns each name into an entry with a stable id taken
from the name, classifies every row so that only servers become servers, groups servers into
business systems by what grouped them in the source (a 业务系统 column, an RVTools folder, a
NetBox cluster, an AWS application), and fills what no source can know — a room's kind, a
department's level, a system's MLPS level, a region, a cloud node and prices to plan against —
with a stated default.  Each default is listed under ``assumptions:`` (file:line, field, value,
why), which ``govcloud validate`` reports as a warning until a person confirms it.

Importer helper fields on rows (all removed here): ``_at`` (file:line), ``_role`` (device
type or role), ``_system``, ``_dept1``/``_dept2``,
``_rack``, ``_contact``, ``_public_ip``, ``_mlps_level``, ``_brand``, ``_model``, ``_repeats``
(the rows merged into this one).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from govcloud.importers.classify import GROUP, SERVER_CLASSES, SERVER_KIND, classify
from govcloud.ledger.choices import EQUIPMENT_KIND
from govcloud.problems import Problem, make

#: what a server without sizes is assumed to have (the smallest common VM)
DEFAULT_SIZES: dict[str, float] = {"cpu_cores": 4, "memory_gb": 8, "storage_gb": 100}
DEFAULT_MLPS = 2
DEFAULT_AS_OF = "2026-01-01"
DEFAULT_LINE_MBPS = 100
DEFAULT_REGION_CODE = "000000"
#: a generic government cloud node to plan against until the real one is entered
CLOUD_NODE_ID = "gov-cloud"
_INSTANCE_SIZES = (
    (2, 4),
    (2, 8),
    (4, 8),
    (4, 16),
    (8, 16),
    (8, 32),
    (16, 32),
    (16, 64),
    (32, 128),
    (64, 256),
)


@dataclass
class Options:
    """What the command line says about the source: its name, and defaults for what it lacks."""

    source: str
    region: str | None = None
    owner: str | None = None
    site: str | None = None
    roles: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Known:
    """What the ledger an import merges into already has (``--into``)."""

    region: bool = False
    region_code: str | None = None
    cloud_nodes: bool = False
    prices: bool = False
    departments: dict[str, str] = field(default_factory=dict)  # id or name → id
    sites: dict[str, str] = field(default_factory=dict)  # id or name → id
    site_owner: dict[str, str] = field(default_factory=dict)


@dataclass
class Completed:
    document: dict[str, Any]
    problems: list[Problem]
    #: rows per class group: servers, network, storage, other
    counts: Counter[str]


def ident(name: str, prefix: str = "") -> str:
    """A stable id from a name: ``Main Building`` becomes ``main-building``, ``5`` becomes
    ``room-5`` with prefix ``room``; a Chinese name becomes the prefix and a digest of the
    name (``dept-1c0a9e2f``), because stack resource names downstream must be ASCII and
    distinct — the name itself stays in ``name``."""
    text = re.sub(r"[\s/\\:*?\"<>|,，;；]+", "-", str(name).strip()).strip("-.")
    digest = hashlib.sha256(str(name).encode("utf-8")).hexdigest()[:8]
    if not re.fullmatch(r"[A-Za-z0-9._-]+", text):
        return f"{prefix or 'id'}-{digest}"
    text = text.casefold()
    if prefix and (text.isdigit() or len(text) < 2):
        text = f"{prefix}-{text}"
    return text[:120]


class _Completer:
    def __init__(self, doc: dict[str, Any], options: Options, known: Known) -> None:
        self.doc = doc
        self.o = options
        self.k = known
        self.assumed: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.values: dict[tuple[str, str, str], Any] = {}
        self.ids: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.problems: list[Problem] = []
        self.counts: Counter[str] = Counter()
        self.departments: dict[str, dict[str, Any]] = {}
        self.dept_names: dict[str, str] = dict(known.departments)
        self.sites: dict[str, dict[str, Any]] = {}
        self.site_names: dict[str, str] = dict(known.sites)
        #: room equipment by room, then (equipment kind, the row's device type)
        self.equipment: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        for d in doc.get("departments", []):
            self.departments[str(d["id"])] = d
            self.dept_names.setdefault(str(d["id"]), str(d["id"]))
            if d.get("name"):
                self.dept_names.setdefault(str(d["name"]), str(d["id"]))
        for s in doc.get("sites", []):
            self.sites[str(s["id"])] = s
            self.site_names.setdefault(str(s["id"]), str(s["id"]))
            if s.get("name"):
                self.site_names.setdefault(str(s["name"]), str(s["id"]))

    def assume(self, at: str | None, path: str, value: Any, why: str, ident: str | None = None) -> None:
        key = (path, str(value), why)
        self.assumed[key].append(at or self.o.source)
        self.values[key] = value
        if ident:
            self.ids[key].append(f"{path.split('.')[0]}:{ident}")

    # --- departments and rooms ------------------------------------------------------------

    def department(self, name: str, at: str | None, parent: str | None = None) -> str:
        if name in self.dept_names:
            return self.dept_names[name]
        dept_id = ident(name, "dept")
        while dept_id in self.departments and self.departments[dept_id].get("name") != name:
            dept_id += "-2"
        self.dept_names[name] = dept_id
        item: dict[str, Any] = {"id": dept_id, "name": name}
        if parent:
            item["parent"] = parent
        self.departments[dept_id] = item
        return dept_id

    def site(self, name: str, owner: str, at: str | None) -> str:
        if name in self.site_names:
            return self.site_names[name]
        site_id = ident(name, "room")
        while site_id in self.sites and self.sites[site_id].get("name") != name:
            site_id += "-2"
        self.site_names[name] = site_id
        shown = f"机房 {name}" if str(name).isdigit() else str(name)
        self.sites[site_id] = {"id": site_id, "name": shown, "owner": owner, "_at": at}
        return site_id

    def owner_of(self, item: dict[str, Any], at: str | None, what: str) -> str:
        dept1, dept2 = item.get("_dept1"), item.get("_dept2")
        value = item.get("owner") or dept2 or dept1
        if value:
            parent = self.department(str(dept1), at) if dept1 and dept2 and dept1 != dept2 else None
            return self.department(str(value), at, parent)
        if self.o.owner:
            return self.department(self.o.owner, at)
        name = "待确认部门"
        self.assume(
            at,
            f"{what}.owner",
            name,
            "来源没有部门，也没有 --owner / no department in the source and no --owner",
            item.get("id"),
        )
        return self.department(name, at)

    def site_of(self, item: dict[str, Any], owner: str, at: str | None) -> str:
        value = item.get("site") or self.o.site
        if value:
            return self.site(str(value), owner, at)
        name = f"{self.departments.get(owner, {}).get('name', owner)}机房（待确认）"
        self.assume(
            at,
            "servers.site",
            name,
            "来源没有机房，也没有 --site / no room in the source and no --site",
            item.get("id"),
        )
        return self.site(name, owner, at)

    # --- servers --------------------------------------------------------------------------

    def servers(self) -> list[dict[str, Any]]:
        kept: list[dict[str, Any]] = []
        skipped: dict[str, list[str]] = defaultdict(list)
        for item in self.doc.get("servers", []):
            at = item.get("_at")
            makers = tuple(str(m) for m in (item.get("_brand"), item.get("_model")) if m)
            role = item.get("_role")
            cls = classify(role, self.o.roles, makers) if role else "server"
            if cls is None:
                cls = "other"
            if cls not in SERVER_CLASSES:
                group = GROUP.get(cls, "other")
                self.counts[group] += 1
                site = item.get("site") or self.o.site
                if site:  # room equipment: its room must exist to note it
                    owner = self.owner_of(item, at, "sites")
                    kind = cls if cls in EQUIPMENT_KIND.values else "other"
                    self.equipment[self.site(str(site), owner, at)][(kind, str(role))] += 1
                skipped[group].append(str(item.get("hostname") or item.get("id")))
                continue
            self.counts["servers"] += 1
            owner = self.owner_of(item, at, "servers")
            item["owner"] = owner
            item["site"] = self.site_of(item, owner, at)
            item.setdefault("hostname", str(item["id"]))
            if "kind" not in item and isinstance(item.get("_is_vm"), bool):
                item["kind"] = "vm" if item["_is_vm"] else "physical"  # a 是否虚拟机 column
            if "kind" not in item:
                item["kind"] = SERVER_KIND[cls]
            self._sizes(item, at)
            self._notes(item)
            kept.append(item)
        for group, names in sorted(skipped.items()):
            self.problems.append(
                make(
                    "import-not-servers",
                    file=self.o.source,
                    severity="warning",
                    count=len(names),
                    kind=f"kind.import-group-{group}",
                    examples=[*names[:3], *(["…"] if len(names) > 3 else [])],
                )
            )
        return kept

    def _sizes(self, item: dict[str, Any], at: str | None) -> None:
        for name, default in DEFAULT_SIZES.items():
            if name not in item:
                item[name] = int(default) if name == "cpu_cores" else default
                self.assume(
                    at, f"servers.{name}", default, "来源没有规格 / the source has no size", str(item["id"])
                )

    def _notes(self, item: dict[str, Any]) -> None:
        parts = [str(item["notes"])] if item.get("notes") else []
        for key, label in (
            ("_brand", "品牌"),
            ("_model", "型号"),
            ("_rack", "机柜"),
            ("_contact", "负责人"),
            ("_public_ip", "外网IP"),
        ):
            if item.get(key):
                parts.append(f"{label}: {item[key]}")
        if parts:
            item["notes"] = "; ".join(parts)

    def line(self, line: dict[str, Any]) -> None:
        """What a line must have to be planned: a bandwidth and two ends."""
        at = line.get("_at")
        if not line.get("bandwidth_mbps"):
            line["bandwidth_mbps"] = DEFAULT_LINE_MBPS
            self.assume(
                at, "lines.bandwidth_mbps", DEFAULT_LINE_MBPS, "来源没有带宽 / the source has no bandwidth"
            )
        if not line.get("carrier"):
            line["carrier"] = "other"
            self.assume(at, "lines.carrier", "other", "来源没有运营商 / the source has no carrier")
        for end in ("a_end", "z_end"):
            if not line.get(end):
                line[end] = {"address": "待确认 / unknown"}
                self.assume(
                    at, f"lines.{end}", "待确认 / unknown", "来源没有线路端点 / the source has no end"
                )

    def site_owners(self, servers: list[dict[str, Any]]) -> None:
        """A room the source gave no owner belongs to the department with most servers in it."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for server in servers:
            counts[server["site"]][server["owner"]] += 1
        for site_id, site in self.sites.items():
            if site.get("owner"):
                continue
            if counts.get(site_id):
                site["owner"] = counts[site_id].most_common(1)[0][0]
                continue
            site["owner"] = self.owner_of({}, site.get("_at"), "sites")

    # --- systems --------------------------------------------------------------------------

    def systems(self, servers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        systems: dict[str, dict[str, Any]] = {}
        by_name: dict[tuple[str, str], str] = {}
        for item in self.doc.get("systems", []):
            at = item.get("_at")
            item["owner"] = self.owner_of(item, at, "systems")
            item.setdefault("id", ident(str(item.get("name")), "sys"))
            systems[str(item["id"])] = item
            by_name[(item["owner"], str(item.get("name")))] = str(item["id"])
        # a systems sheet names its servers as people do: by hostname or IP as often as by id
        known_ids = {str(s["id"]) for s in servers}
        by_host = {str(s.get("hostname")): str(s["id"]) for s in servers}
        by_host.update({ip: str(s["id"]) for s in servers for ip in s.get("ips", [])})
        for item in systems.values():
            if isinstance(item.get("servers"), list):
                item["servers"] = [
                    ref if str(ref) in known_ids else by_host.get(str(ref), ref) for ref in item["servers"]
                ]
        by_ip = {ip: s for s in systems.values() for ip in s.pop("_ips", [])}
        #: a ledger that already says which servers each system uses is not second-guessed
        listed = {str(sid) for s in systems.values() for sid in s.get("servers", [])}
        for server in servers:
            group = server.get("_system")
            for ip in server.get("ips", []):
                if not group and ip in by_ip:
                    group = by_ip[ip].get("name")
            at = server.get("_at")
            if not group and (listed or str(server["id"]) in listed):
                continue
            if group:
                key = (server["owner"], str(group))
                if key not in by_name:
                    sys_id = ident(str(group), "sys")
                    if sys_id in systems:
                        sys_id = ident(f"{server['owner']}-{group}", "sys")
                    by_name[key] = sys_id
                    systems[sys_id] = {"id": sys_id, "name": str(group), "owner": server["owner"], "_at": at}
                    if server.get("_system_category"):
                        systems[sys_id]["category"] = server["_system_category"]
                system = systems[by_name[key]]
            else:
                sys_id = ident(f"sys-{server['id']}")
                systems[sys_id] = system = {
                    "id": sys_id,
                    "name": str(server["hostname"]),
                    "owner": server["owner"],
                    "_at": at,
                }
                self.assume(
                    at,
                    "systems.servers",
                    "一台服务器一个系统 / one system per server",
                    "来源没有能把服务器分组的列 / nothing in the source groups servers into systems",
                    sys_id,
                )
            system.setdefault("servers", []).append(server["id"])
            if server.get("_mlps_level") and "mlps_level" not in system:
                system["mlps_level"] = server["_mlps_level"]
        for system in systems.values():
            if "mlps_level" not in system and system.get("_mlps_level"):
                system["mlps_level"] = system["_mlps_level"]
            elif "mlps_level" not in system:
                system["mlps_level"] = DEFAULT_MLPS
                self.assume(
                    system.get("_at"),
                    "systems.mlps_level",
                    DEFAULT_MLPS,
                    "来源没有等保级别 / no MLPS level",
                    str(system["id"]),
                )
        return [s for _, s in sorted(systems.items()) if s.get("servers") or s.get("name")]

    # --- the region skeleton ----------------------------------------------------------------

    def skeleton(self) -> None:
        doc = self.doc
        code = self.k.region_code or DEFAULT_REGION_CODE
        if not self.k.region and "region" not in doc:
            name = self.o.region or "导入地区"
            doc["region"] = {
                "id": ident(name, "region"),
                "name": name,
                "region_code": code,
                "as_of": DEFAULT_AS_OF,
            }
            self.assume(None, "region.region_code", code, "行政区划代码未知 / the region code is not known")
            self.assume(None, "region.as_of", DEFAULT_AS_OF, "台账日期未知 / the ledger's date is not known")
        elif isinstance(doc.get("region"), dict):
            code = str(doc["region"].get("region_code", code))
        for dept in self.departments.values():
            if "level" not in dept:
                dept["level"] = "province"
                self.assume(
                    None, "departments.level", "province", "来源没有行政级别 / no administrative level"
                )
            dept.setdefault("region_code", code)
        for site_id, site in self.sites.items():
            if "kind" not in site:
                site["kind"] = "self_built"
                self.assume(site.get("_at"), "sites.kind", "self_built", "来源没有机房类型 / no room kind")
            if site_id in self.equipment:
                site["equipment"] = [*site.get("equipment", []), *_equipment(self.equipment[site_id])]
        if not self.k.cloud_nodes and not doc.get("cloud_nodes"):
            doc["cloud_nodes"] = [
                {
                    "id": CLOUD_NODE_ID,
                    "name": "政务云（待确认）",
                    "provider": "openstack",
                    "region": "RegionOne",
                    "zones": [{"id": "nova"}],
                    "certified_mlps_level": 3,
                }
            ]
            self.assume(None, "cloud_nodes", CLOUD_NODE_ID, "没有目标云节点 / no target cloud node")
        if not self.k.prices and not doc.get("prices"):
            node = str(doc.get("cloud_nodes", [{"id": CLOUD_NODE_ID}])[0]["id"])
            doc["prices"] = {
                "example": True,
                "instance_types": [
                    {
                        "cloud_node": node,
                        "name": f"general.{cpu}c{mem}g",
                        "vcpus": cpu,
                        "memory_gb": mem,
                        "monthly_cny": 40 * cpu + 10 * mem,
                    }
                    for cpu, mem in _INSTANCE_SIZES
                ],
                "storage": [{"cloud_node": node, "tier": "ssd", "gb_month_cny": 1}],
                # what today's estate costs where the source records no cost (plan/basis.py)
                "as_is": dict(EXAMPLE_AS_IS),
            }
            self.assume(None, "prices", "示例价格 / example prices", "没有价格表 / no price table")


#: example unit costs of today's estate, for the plan to estimate the rooms and servers an
#: import records no cost of (docs/plan.md, "As-is cost where the ledger records none"); the
#: power and maintenance are the analysis' defaults (analysis/config.py)
EXAMPLE_AS_IS: dict[str, float] = {
    "room_year_cny": 30_000,
    "rack_year_cny": 12_000,
    "server_maintenance_year_cny": 3_000,
    "server_depreciation_year_cny": 8_000,
    "server_power_kw": 0.35,
    "electricity_cny_per_kwh": 0.85,
    "vcpu_year_cny": 600,
}


def _equipment(counted: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
    """A room's counted equipment, one entry per kind with its device types in the notes."""
    by_kind: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (kind, role), n in sorted(counted.items()):
        by_kind[kind].append((role, n))
    return [
        {"kind": kind, "count": sum(n for _, n in roles), "notes": "，".join(f"{r} {n}" for r, n in roles)}
        for kind, roles in sorted(by_kind.items())
    ]


def complete(doc: dict[str, Any], options: Options, known: Known | None = None) -> Completed:
    """``doc`` with departments, rooms, systems and (when missing) a region skeleton, every
    row classified, every default listed under ``assumptions:``."""
    completer = _Completer(doc, options, known or Known())
    servers = completer.servers()
    for kind in ("lines", "networks"):
        for item in doc.get(kind, []):
            item["owner"] = completer.owner_of(item, item.get("_at"), kind)
    for network in doc.get("networks", []):
        if "kind" not in network:
            network["kind"] = "private"
            completer.assume(
                network.get("_at"),
                "networks.kind",
                "private",
                "来源没有网络类型 / the source has no network kind",
            )
    for line in doc.get("lines", []):
        completer.line(line)
    completer.site_owners(servers)
    systems = completer.systems(servers)
    completer.skeleton()
    for key, items in (
        ("departments", list(completer.departments.values())),
        ("sites", list(completer.sites.values())),
        ("servers", servers),
        ("systems", systems),
    ):
        if items:
            doc[key] = sorted(items, key=lambda i: str(i["id"]))
        else:
            doc.pop(key, None)
    for items in doc.values():
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                _strip(item)
    doc.pop("assumptions", None)
    if completer.assumed:
        doc["assumptions"] = [
            {
                "field": key[0],
                "value": completer.values[key],
                "why": key[2],
                "at": _first(ats),
                "count": len(ats),
                **({"ids": sorted(set(completer.ids[key]))} if completer.ids.get(key) else {}),
            }
            for key, ats in sorted(completer.assumed.items())
        ]
    return Completed(doc, completer.problems, completer.counts)


def _first(ats: Iterable[str]) -> list[str]:
    """The places an assumption applies to, each once, at most 20 (the count says how many)."""
    return list(dict.fromkeys(ats))[:20]


def _strip(item: dict[str, Any]) -> None:
    for name in [k for k in item if k.startswith("_")]:
        del item[name]
