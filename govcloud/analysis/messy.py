"""Messy ledgers with known truth, to measure the findings on data they were not written for.

:func:`messy_ledger` draws a region the way departments really record one: several ledgers of
the same servers and rooms, written by different hands.  It knows the truth because it
draws the world first (machines, buildings, networks) and the records second:

- **servers** get specific names (``lc-jyj-db03``) or generic ones (``web01``, ``db-server``,
  ``localhost.localdomain``, ``jump01`` …) that several departments use; some rooms are shared
  carrier rooms where many departments' ``web01`` VMs of one size sit side by side;
- **twins**: some machines are recorded by two departments (the owner and the user) or twice
  in one ledger, with the serial re-typed (case, spaces, dashes), missing in one record or
  mistyped by one character, the hostname with or without domain, in other case or width,
  the room recorded as each department's own room record in the same building;
- **buildings** are spelled several ways: Chinese numerals or digits, full- or half-width,
  with or without province / city / district, abbreviated (省府/省政府), with floors and rooms;
- **lines**: departments in one building each lease a line to the same place (parallel), the
  ends written as room records or as free-text addresses; others are unique;
- **idle**: servers that do nothing (low CPU, moderate memory, often a short or missing
  network figure), servers recorded as 停用/关机, the cold standbys of HA pairs (by role or
  only by the system's HA mode), and busy servers with low CPU but high network or memory;
- **private networks** whose sites lie in districts with or without an access point, with
  access points too narrow for the network's peak;
- **systems** of common jobs named as departments name them, the category column often empty,
  with look-alikes that do another job; ``held_out=True`` names them from a second vocabulary
  the analysis was not written against (:data:`HELD_OUT_JOBS`);
- **rooms** small or underused, their use recorded as racks in use, a utilisation figure, both
  or neither, the rack count sometimes missing, a room's second record sometimes counting
  what the first leaves out.

Some values are typed full width (``１０．２５０．８．２２０``, ``３２``) as Chinese input methods do:
measure through :func:`through_files`, which writes the ledger and loads it back, folding them.

The truth is what the world is, not what a rule would say: two records are one asset when
they were drawn from one machine; two lines are parallel when their ends are the same two
buildings and their owners differ.  Where the world holds a figure the records hide, the
truth does not claim what no reading could know: a room is weak in truth only by the figures
its records carry (its use, or its size), with the world's values for them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import random
import string
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from govcloud.ledger import dump, loader, model

_PROVINCE = ("云岭省", "770000")
_CITIES = [("澜州市", "7701"), ("石屏市", "7702"), ("玉溪市", "7703")]
_DISTRICT_NAMES = ["城关区", "东城区", "西山区", "南湖区", "北川县", "新安县", "高新区", "江口区"]
_ROADS = [
    "府前路",
    "人民路",
    "建设路",
    "解放大道",
    "文化街",
    "光明路",
    "滨江大道",
    "长安街",
    "青年路",
    "新华路",
]
_BUILDINGS = [
    ("省政府大楼", "省府大楼"),
    ("市政府大楼", "市府大楼"),
    ("政务服务中心", "政务中心"),
    ("综合办公楼", "办公楼"),
    ("电信IDC", "电信 IDC机房"),
    ("", ""),
]
#: building names many buildings have: nobody writes them as an address on their own
_COMMON_BUILDINGS = (_BUILDINGS[3], _BUILDINGS[4], _BUILDINGS[5])
_DEPTS = [
    ("jyj", "教育局"),
    ("wjw", "卫健委"),
    ("gaj", "公安局"),
    ("rsj", "人社局"),
    ("czj", "财政局"),
    ("jtj", "交通局"),
    ("zrzyj", "自然资源局"),
    ("scjgj", "市场监管局"),
    ("mzj", "民政局"),
    ("sfj", "司法局"),
    ("tjj", "统计局"),
    ("swj", "水务局"),
]
#: names people give servers without thinking about other departments
_GENERIC = [
    "web01",
    "web02",
    "db-server",
    "app01",
    "localhost.localdomain",
    "localhost",
    "server01",
    "oa-server",
    "file01",
    "jump01",
    "kvm-host1",
    "mysql-01",
    "nginx01",
    "win-srv",
]
_ROLES = ["db", "app", "web", "gis", "mq", "es", "oa", "cms", "api", "bak"]
_OS = [
    ("Kylin V10 SP2", "kylin v10 sp2"),
    ("CentOS 7.9", "centos7.9"),
    ("UOS 20", "UOS 20"),
    ("Windows Server 2016", "windows server 2016"),
]
_SIZES = [(4, 8.0), (8, 16.0), (8, 32.0), (16, 64.0), (32, 128.0)]
_CN_DIGITS = "〇一二三四五六七八九"


@dataclass
class Truth:
    """What the messy ledger really holds, as the analysis should find it."""

    #: pairs of records (graph node keys) drawn from one machine or one room
    same_asset: set[frozenset[str]] = field(default_factory=set)
    #: pairs of lines of different departments between the same two buildings
    parallel_lines: set[frozenset[str]] = field(default_factory=set)
    #: servers that do no work (idle or switched off), not standbys
    idle_servers: set[str] = field(default_factory=set)
    #: private networks every site of which an access point reaches with headroom
    coverable_networks: set[str] = field(default_factory=set)
    #: private networks with a site out of reach
    uncoverable_networks: set[str] = field(default_factory=set)
    #: private networks whose addresses overlap another's
    conflicting_networks: set[str] = field(default_factory=set)
    #: pairs of running, unclassified systems of two departments that do one common job
    duplicate_systems: set[frozenset[str]] = field(default_factory=set)
    #: small or underused self-built rooms by a figure their records carry, not classified, with
    #: another such room in their city (every record of them: a room recorded twice is named by both)
    weak_rooms: set[str] = field(default_factory=set)
    #: a room's second record → its first: scores count rooms, not records
    room_of: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Building:
    id: str
    city: tuple[str, str]
    district: tuple[str, str]
    road: str
    number: int
    name: tuple[str, str]


def messy_ledger(
    seed: int, departments: int = 10, servers_per_department: int = 30, held_out: bool = False
) -> tuple[model.Ledger, Truth]:
    """A messy ledger drawn from ``seed``, and its truth.  With ``held_out`` the systems are
    named from a second vocabulary (:data:`HELD_OUT_JOBS`, :data:`HELD_OUT_LOOKALIKES`) that the
    analysis was not written against, so duplicate systems are measured on names it never saw."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    # systems and room usage draw from a stream of their own: the other kinds' ledgers stay as they were
    more = random.Random(f"systems-{seed}")  # noqa: S311
    draw = _Draw(rnd, departments, servers_per_department, more)
    if held_out:
        draw.jobs, draw.lookalikes = HELD_OUT_JOBS, HELD_OUT_LOOKALIKES
    return draw.run()


class _Draw:
    def __init__(
        self, rnd: random.Random, departments: int, per_department: int, more: random.Random | None = None
    ) -> None:
        self.rnd = rnd
        self.more = more or random.Random(0)  # noqa: S311
        self.n_depts = min(departments, len(_DEPTS))
        self.per_department = per_department
        self.truth = Truth()
        self.entities: dict[str, dict[str, Any]] = {k: {} for k in model.ENTITY_KINDS}
        self.districts: list[tuple[tuple[str, str], tuple[str, str]]] = []
        self.buildings: list[Building] = []
        self.site_building: dict[str, str] = {}
        #: line id → (building, building, owner, redundancy group) of the world
        self.line_places: dict[str, tuple[str, str, str, str | None]] = {}
        #: access point id → the building it is in; district code → its access point's Mbps
        self.ap_building: dict[str, str] = {}
        self.ap_mbps: dict[str, float] = {}
        self.serials: set[str] = set()
        self.floor: dict[str, int] = {}
        #: room → its second record (rooms_twice)
        self.room_twin: dict[str, str] = {}
        #: how departments name the common jobs, and the look-alikes that do another job
        self.jobs, self.lookalikes = _COMMON_JOBS, _LOOKALIKES

    # ---- world ---------------------------------------------------------------------------

    def run(self) -> tuple[model.Ledger, Truth]:
        rnd = self.rnd
        names = rnd.sample(_DISTRICT_NAMES, len(_DISTRICT_NAMES))
        for i, (city_name, city_code) in enumerate(_CITIES):
            for j in range(2):
                name = names[(2 * i + j) % len(names)]
                self.districts.append(((city_name, city_code), (name, f"{city_code}{j + 2:02d}")))
        used: set[tuple[str, str, int]] = set()
        for b in range(14):
            city, district = rnd.choice(self.districts)
            while (key := (city[1], road := rnd.choice(_ROADS), number := rnd.randint(1, 320))) in used:
                pass
            used.add(key)
            # a city has one 市政府 and one 政务服务中心, the province one 省政府
            taken = {x.name for x in self.buildings if x.city == city} | {
                x.name for x in self.buildings if x.name == _BUILDINGS[0]
            }
            called = rnd.choice([n for n in _BUILDINGS if n not in taken or n in _COMMON_BUILDINGS])
            self.buildings.append(Building(f"b{b}", city, district, road, number, called))
        depts = _DEPTS[: self.n_depts]
        city_of: dict[str, tuple[str, str]] = {}
        for code, name in depts:
            city, _ = rnd.choice(self.districts)
            city_of[code] = city
            self.add("departments", model.Department(code, f"{city[0]}{name}", "city", f"{city[1]}00"))
        shared_idc = self.buildings[0]
        rooms: dict[str, list[str]] = {}
        for code, name in depts:
            # a city department's main room is in its city, when the city has a building
            home = rnd.choice(
                [b for b in self.buildings[1:] if b.city == city_of[code]] or self.buildings[1:]
            )
            rooms[code] = [self.room(code, name, home, "主机房")]
            if rnd.random() < 0.15:  # a second room in the same building, on another floor
                floor = self.floor[rooms[code][0]] % 12 + 1
                rooms[code].append(self.room(code, name, home, "备份机房", floor=floor))
            if rnd.random() < 0.6:
                rooms[code].append(self.room(code, name, shared_idc, "托管机房", kind="co_located"))
        self.access_points()
        for code, _ in depts:
            self.servers(code, rooms[code])
        self.twins(rooms)
        self.rooms_twice(depts)
        self.lines(rooms)
        self.networks(rooms)
        self.conflicts()
        self.systems(depts)
        self.room_usage()
        ledger = model.Ledger(
            region=model.Region("messy", _PROVINCE[0], _PROVINCE[1], dt.date(2026, 6, 30)),
            prices=model.Prices(extranet_mbps_month_cny=20.0),
            **self.entities,
        )
        return ledger, self.truth

    def add(self, kind: str, entity: Any) -> Any:
        self.entities[kind][entity.id] = entity
        return entity

    # ---- addresses -----------------------------------------------------------------------

    def address(self, b: Building, floor: int | None = None) -> str:
        """One of the many ways people write a building's address (and the room's floor)."""
        rnd = self.rnd
        parts = []
        if rnd.random() < 0.2:
            parts.append(_PROVINCE[0])
        if rnd.random() < 0.6:
            parts.append(b.city[0])
        if rnd.random() < 0.5:
            parts.append(b.district[0])
        number = str(b.number)
        style = rnd.random()
        if style < 0.2:
            number = _chinese_number(b.number)
        elif style < 0.3:
            number = number.translate(_FULL_WIDTH)
        elif style < 0.4:
            number = f" {number} "
        building = b.name[rnd.random() < 0.4]
        distinctive = b.name not in _COMMON_BUILDINGS
        if not (distinctive and rnd.random() < 0.08):  # sometimes only the building's name
            parts.append(f"{b.road}{number}号")
        if building and (rnd.random() < 0.6 or f"{b.road}" not in "".join(parts)):
            parts.append(building)
        if floor is not None and rnd.random() < 0.4:
            parts.append(
                rnd.choice(
                    [
                        f"{floor}楼",
                        f"{_chinese_number(floor)}层",
                        f"{floor}F",
                        f"{floor}0{rnd.randint(1, 9)}室",
                    ]
                )
            )
        sep = rnd.choice(["", "", " "])
        return sep.join(parts)

    def room(
        self, owner: str, dept_name: str, b: Building, label: str, kind: str = "self_built", floor: int = 0
    ) -> str:
        ident = f"{owner}-room{len([s for s in self.entities['sites'] if s.startswith(owner + '-room')]) + 1}"
        floor = floor or self.rnd.randint(1, 12)
        self.floor[ident] = floor
        name = self.rnd.choice(
            [f"{dept_name}{label}", f"{b.city[0][:2]}{dept_name}{label}", f"{dept_name} {label}"]
        )
        self.add(
            "sites",
            model.Site(
                ident,
                name,
                owner,
                kind,
                address=self.address(b, floor),
                region_code=b.district[1] if self.rnd.random() < 0.8 else None,
                district=b.district[0] if self.rnd.random() < 0.7 else None,
                racks=self.rnd.choice([4, 6, 10, 20]),
            ),
        )
        self.site_building[ident] = b.id
        return ident

    def rooms_twice(self, depts: list[tuple[str, str]]) -> None:
        """Some rooms recorded a second time, in other words."""
        for code, name in depts:
            if self.rnd.random() < 0.3:
                first = f"{code}-room1"
                site = self.entities["sites"][first]
                b = self._building(first)
                twin = f"{code}-room-old"
                label = self.rnd.choice(["数据中心", "机房", "中心机房"])
                self.add(
                    "sites",
                    model.Site(
                        twin,
                        f"{name}{label}",
                        code,
                        site.kind,
                        address=self.address(b, self.floor[first]),
                        region_code=site.region_code,
                    ),
                )
                self.site_building[twin] = b.id
                self.room_twin[first] = twin
                self.truth.room_of[twin] = first
                self.truth.same_asset.add(frozenset({f"site:{first}", f"site:{twin}"}))

    def _building(self, site: str) -> Building:
        return next(b for b in self.buildings if b.id == self.site_building[site])

    # ---- servers -------------------------------------------------------------------------

    def serial(self) -> str:
        while (
            s := "".join(self.rnd.choices(string.ascii_uppercase + string.digits, k=self.rnd.randint(10, 16)))
        ) in self.serials:
            pass
        self.serials.add(s)
        return s

    def servers(self, owner: str, rooms: list[str]) -> None:
        rnd = self.rnd
        for n in range(self.per_department):
            room = rnd.choice(rooms)
            shared = self.entities["sites"][room].kind == "co_located"
            vm = rnd.random() < (0.7 if shared else 0.4)
            generic = rnd.random() < (0.5 if shared else 0.2)
            host = rnd.choice(_GENERIC) if generic else f"{owner}-{rnd.choice(_ROLES)}{n:02d}"
            if not generic and rnd.random() < 0.3:
                host += f".{owner}.gov.cn"
            cores, memory = rnd.choice(_SIZES[:2] if generic else _SIZES)
            ident = f"{owner}-srv{n:03d}"
            serial = None if vm else self.serial()
            if serial and rnd.random() < 0.05:
                serial = rnd.choice(["N/A", "无", "-", "待补充", "000000"])
            ip = f"10.{rnd.randint(1, 250)}.{rnd.randint(0, 255)}.{rnd.randint(2, 250)}"
            server = model.Server(
                ident,
                owner,
                room,
                host,
                serial=serial,
                ips=(ip,),
                mgmt_ip=ip if rnd.random() < 0.5 else None,
                kind="vm" if vm else "physical",
                cpu_cores=cores,
                memory_gb=memory,
                os=rnd.choice(_OS)[0],
                mac=_mac(rnd) if not vm and rnd.random() < 0.3 else None,
                asset_tag=f"ZC-{owner.upper()}-{n:04d}" if not vm and rnd.random() < 0.3 else None,
                **self.load(ident),
            )
            self.add("servers", server)

    def load(self, ident: str) -> dict[str, Any]:
        """Measured load, status and role of one server, and whether it is idle in truth."""
        rnd = self.rnd
        roll = rnd.random()
        if roll < 0.08:  # does nothing; memory held by idle processes
            self.truth.idle_servers.add(ident)
            out: dict[str, Any] = {
                "cpu_p95_pct": round(rnd.uniform(0.2, 4.5), 1),
                "mem_p95_pct": round(rnd.uniform(5, 65), 1),
            }
            if rnd.random() < 0.5:
                out["net_p95_mbps"] = round(rnd.uniform(0.0, 0.8), 2)
            if rnd.random() < 0.5:
                out["metrics_days"] = rnd.choice([30, 60, 90])
            return out
        if roll < 0.12:  # switched off, with whatever figures were last measured
            self.truth.idle_servers.add(ident)
            status = rnd.choice(["stopped", "powered_off", "停用", "关机", "已关机", "poweredOff"])
            figures = {"cpu_p95_pct": round(rnd.uniform(0, 30), 1)} if rnd.random() < 0.3 else {}
            return {"status": status, **figures}
        if roll < 0.15:  # cold standby of an HA pair, recorded as such
            return {
                "role": rnd.choice(["standby", "dr", "备机", "灾备", "冷备机"]),
                "cpu_p95_pct": round(rnd.uniform(0.2, 3), 1),
                "mem_p95_pct": 20.0,
            }
        if roll < 0.19:  # busy, but not on CPU: it moves data, or holds a cache
            if rnd.random() < 0.5:
                return {
                    "cpu_p95_pct": round(rnd.uniform(1, 4.5), 1),
                    "mem_p95_pct": 40.0,
                    "net_p95_mbps": round(rnd.uniform(20, 400), 1),
                }
            return {
                "cpu_p95_pct": round(rnd.uniform(1, 4.5), 1),
                "mem_p95_pct": round(rnd.uniform(85, 98), 1),
            }
        if roll < 0.21:  # newly set up: a few quiet days measured
            return {
                "cpu_p95_pct": round(rnd.uniform(0.5, 4), 1),
                "mem_p95_pct": 30.0,
                "metrics_days": rnd.randint(1, 5),
            }
        if roll < 0.26:  # nothing measured
            return {}
        return {
            "cpu_p95_pct": round(min(95.0, rnd.uniform(8, 90)), 1),
            "mem_p95_pct": round(rnd.uniform(20, 90), 1),
        }

    def twins(self, rooms: dict[str, list[str]]) -> None:
        """Machines recorded a second time: by the department that uses them, or twice by one."""
        rnd = self.rnd
        servers = sorted(self.entities["servers"].values(), key=lambda s: s.id)
        owners = sorted(rooms)
        for n, original in enumerate(rnd.sample(servers, k=len(servers) // 12)):
            other = rnd.choice(owners) if rnd.random() < 0.75 else original.owner
            ident = f"{other}-rec{n:03d}"
            changes: dict[str, Any] = {"id": ident, "owner": other}
            # the room: the original's record, or the user's own record of a room in that building
            same_building = [
                r for r in rooms[other] if self.site_building[r] == self.site_building[original.site]
            ]
            if same_building and rnd.random() < 0.7:
                changes["site"] = same_building[0]
            serial = original.serial
            roll = rnd.random()
            if serial and roll < 0.45:
                changes["serial"] = _retype(rnd, serial)
            elif roll < 0.75:
                changes["serial"] = None
            elif serial and roll < 0.8 and len(serial) >= 10:
                i = rnd.randrange(len(serial))
                changes["serial"] = serial[:i] + rnd.choice("0O1I8B") + serial[i + 1 :]
            host, _, _domain = original.hostname.partition(".")
            changes["hostname"] = rnd.choice(
                [
                    original.hostname,
                    host,
                    host.upper(),
                    f"{host}.{other}.local",
                    host.translate(_FULL_WIDTH_ALNUM),
                ]
            )
            if rnd.random() < 0.3:
                changes["mgmt_ip"] = None
            if rnd.random() < 0.3:
                changes["ips"] = ()
            elif rnd.random() < 0.3:  # typed with a Chinese input method: 10．250．8．220
                changes["ips"] = tuple(ip.translate(_FULL_WIDTH) for ip in original.ips)
            if rnd.random() < 0.1:
                changes["cpu_cores"] = str(original.cpu_cores).translate(_FULL_WIDTH)  # read back as a number
            if rnd.random() < 0.5 and original.os:
                changes["os"] = next(b for a, b in _OS if a == original.os)
            changes["mac"] = original.mac if rnd.random() < 0.5 else None
            changes["asset_tag"] = original.asset_tag if other == original.owner else None
            twin = model.Server(**{**_fields(original), **changes})
            self.add("servers", twin)
            self.truth.same_asset.add(frozenset({f"server:{original.id}", f"server:{ident}"}))
            if original.id in self.truth.idle_servers:
                self.truth.idle_servers.add(ident)

    # ---- lines ---------------------------------------------------------------------------

    def lines(self, rooms: dict[str, list[str]]) -> None:
        rnd = self.rnd
        aps = sorted(self.entities["access_points"].values(), key=lambda a: a.id)
        count = 0

        def add(owner: str, a: tuple[str, model.LineEnd], z: tuple[str, model.LineEnd], **kw: Any) -> str:
            nonlocal count
            count += 1
            ident = f"{owner}-line{count:03d}"
            mbps = kw.pop("bandwidth_mbps", rnd.choice([20, 50, 100]))
            self.add(
                "lines",
                model.Line(
                    ident,
                    owner,
                    rnd.choice(["telecom", "unicom", "mobile"]),
                    mbps,
                    a[1],
                    z[1],
                    monthly_fee_cny=mbps * 80.0,
                    **kw,
                ),
            )
            self.line_places[ident] = (min(a[0], z[0]), max(a[0], z[0]), owner, kw.get("redundancy_group"))
            return ident

        for owner, owned in sorted(rooms.items()):
            home = owned[0]
            hb = self.site_building[home]
            # to a branch: a building of its own, written as free text
            branch = rnd.choice(self.buildings[1:])
            if branch.id != hb:
                add(owner, (hb, self.site_end(home)), (branch.id, self.text_end(branch)))
            # to the extranet access point of the district (or the city's)
            ap = rnd.choice(aps)
            ap_building = self.ap_building[ap.id]
            if ap_building != hb:
                add(owner, (hb, self.site_end(home)), (ap_building, model.LineEnd(access_point=ap.id)))
            if rnd.random() < 0.25 and ap_building != hb:  # intended redundancy
                add(
                    owner,
                    (hb, self.site_end(home)),
                    (ap_building, model.LineEnd(access_point=ap.id)),
                    redundancy_group="dual",
                )
                add(
                    owner,
                    (hb, self.site_end(home)),
                    (ap_building, model.LineEnd(access_point=ap.id)),
                    redundancy_group="dual",
                )
        # departments with rooms in one building each lease a line to one place
        for _ in range(4):
            b = rnd.choice(self.buildings)
            target = rnd.choice([x for x in self.buildings if x.id != b.id])
            for owner in rnd.sample(sorted(rooms), k=rnd.randint(2, 4)):
                add(
                    owner,
                    (b.id, self.text_end(b) if rnd.random() < 0.5 else self.site_end_in(owner, b)),
                    (target.id, self.text_end(target)),
                )
        by_pair: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for ident, (a, z, owner, group) in self.line_places.items():
            if group is None:
                by_pair[(a, z)].append((ident, owner))
        for members in by_pair.values():
            if len({o for _, o in members}) >= 2:
                for (x, _), (y, _) in combinations(members, 2):
                    self.truth.parallel_lines.add(frozenset({f"line:{x}", f"line:{y}"}))

    def site_end(self, site: str) -> model.LineEnd:
        return model.LineEnd(site=site)

    def site_end_in(self, owner: str, b: Building) -> model.LineEnd:
        """The owner's room record in building ``b`` (made when it has none)."""
        for ident, building in self.site_building.items():
            if building == b.id and self.entities["sites"][ident].owner == owner:
                return model.LineEnd(site=ident)
        name = next(n for c, n in _DEPTS if c == owner)
        return model.LineEnd(site=self.room(owner, name, b, "接入间"))

    def text_end(self, b: Building) -> model.LineEnd:
        return model.LineEnd(
            address=self.address(b), region_code=b.city[1] + "00" if self.rnd.random() < 0.5 else None
        )

    # ---- extranet ------------------------------------------------------------------------

    def access_points(self) -> None:
        """County access points in some districts, one city access point per city."""
        for i, (_city, district) in enumerate(self.districts):
            if self.rnd.random() < 0.6:
                b = next((x for x in self.buildings if x.district == district), None)
                ident = f"ap-{i}"
                mbps = self.rnd.choice([100.0, 300.0, 1000.0])
                self.add(
                    "access_points",
                    model.AccessPoint(
                        ident,
                        f"{district[0]}电子政务外网接入点",
                        mbps,
                        level="county",
                        region_code=district[1],
                        address=self.address(b) if b else None,
                    ),
                )
                self.ap_building[ident] = b.id if b else f"ap:{ident}"
                self.ap_mbps[district[1]] = mbps
        for city, code in _CITIES:
            ident = f"ap-{code}"
            self.add(
                "access_points",
                model.AccessPoint(
                    ident, f"{city}电子政务外网接入点", 2000.0, level="city", region_code=f"{code}00"
                ),
            )
            self.ap_building[ident] = f"ap:{ident}"

    def networks(self, rooms: dict[str, list[str]]) -> None:
        rnd = self.rnd
        for owner, owned in sorted(rooms.items()):
            if rnd.random() < 0.5:
                continue
            sites = owned[:1] + (list(owned[1:]) if rnd.random() < 0.5 else [])
            ident = f"{owner}-private"
            mbps = rnd.choice([20.0, 50.0, 100.0, 400.0])
            cidr = self.cidr()
            self.add(
                "networks",
                model.Network(ident, f"{owner}专网", owner, "private", cidrs=(cidr,), sites=tuple(sites)),
            )
            self.add(
                "lines",
                model.Line(
                    f"{ident}-line",
                    owner,
                    "telecom",
                    mbps,
                    model.LineEnd(site=sites[0]),
                    model.LineEnd(address=f"{owner}部委数据中心（北京）"),
                    network=ident,
                ),
            )
            reached = all(self.ap_mbps.get(self._building(s).district[1], 0.0) >= mbps * 1.5 for s in sites)
            (self.truth.coverable_networks if reached else self.truth.uncoverable_networks).add(ident)

    def cidr(self) -> str:
        """A private network's block: often one every department picks (10.10.0.0/16), or a
        /24 of one, sometimes typed full width."""
        rnd = self.rnd
        if rnd.random() < 0.35:
            block = rnd.choice(
                ["10.10.0.0/16", "10.1.0.0/16", "192.168.1.0/24", "10.10.8.0/24", "172.16.0.0/16"]
            )
        else:
            block = f"10.{rnd.randint(120, 250)}.{rnd.randrange(0, 256, 16)}.0/20"
        return block.translate(_FULL_WIDTH) if rnd.random() < 0.1 else block

    def conflicts(self) -> None:
        """The truth of address conflicts: networks whose blocks overlap another's."""
        nets = [
            (n.id, ipaddress.ip_network(n.cidrs[0].translate(_HALF_WIDTH)))
            for n in self.entities["networks"].values()
            if n.cidrs
        ]
        for (a, x), (b, y) in combinations(nets, 2):
            if x.overlaps(y):
                self.truth.conflicting_networks |= {a, b}

    # ---- systems and rooms ---------------------------------------------------------------

    def systems(self, depts: list[tuple[str, str]]) -> None:
        """Each department's systems: common jobs (OA, video conference …) named as each
        department calls them, the category column filled in, in words, or left empty; its own
        business systems; a few look-alikes that do another job; some classified or retired."""
        rnd = self.more
        doing: dict[str, list[str]] = defaultdict(list)  # common job → shareable systems doing it
        lookalikes = rnd.sample(self.lookalikes, k=min(len(self.lookalikes), len(depts)))
        for d, (code, dept_name) in enumerate(depts):
            # a server that does nothing in truth runs no system (else it would not be idle)
            own = sorted(
                s
                for s in self.entities["servers"]
                if s.startswith(f"{code}-srv") and s not in self.truth.idle_servers
            )
            plan: list[tuple[str, str, str]] = []  # (job, category as recorded, name)
            for job, (chance, names) in self.jobs.items():
                if rnd.random() < chance:
                    plan.append((job, job, rnd.choice(names)))
            for name in rnd.sample(_BUSINESS.get(code, _BUSINESS_ANY), k=2):
                plan.append((f"{code}:{name}", "business", name))
            if d < len(lookalikes):
                name, category = lookalikes[d]
                plan.append((f"{code}:{name}", category, name))
            for n, (job, category, name) in enumerate(plan):
                ident = f"{code}-sys{n:02d}"
                classified = code == "gaj" and job in self.jobs and rnd.random() < 0.5
                classified = classified or rnd.random() < 0.04
                status = "decommissioning" if rnd.random() < 0.05 else "running"
                written = rnd.random()
                recorded = (
                    None
                    if written < 0.3
                    else _CATEGORY_WORDS.get(category, category)
                    if written < 0.45
                    else category
                )
                shown = rnd.choice([f"{dept_name}{name}", name, f"{dept_name[:2]}{name}"])
                self.add(
                    "systems",
                    model.System(
                        ident,
                        ("涉密" + shown) if classified and rnd.random() < 0.5 else shown,
                        code,
                        3 if classified or rnd.random() < 0.3 else 2,
                        category=recorded or "business",
                        classification="secret" if classified else "none",
                        status=status,
                        servers=tuple(rnd.sample(own, k=min(len(own), rnd.randint(1, 2)))),
                        users=rnd.choice([30, 80, 150, 400, 1200]),
                    ),
                )
                if job in self.jobs and not classified and status == "running":
                    doing[job].append(ident)
        for members in doing.values():
            owners = {m.split("-sys")[0] for m in members}
            if len(owners) >= 2:
                for a, b in combinations(sorted(members), 2):
                    self.truth.duplicate_systems.add(frozenset({f"system:{a}", f"system:{b}"}))

    def room_usage(self) -> None:
        """How full each self-built room really is, recorded as ledgers record it: racks in use,
        a utilisation figure, both or neither; and which rooms should consolidate in truth."""
        rnd = self.more
        classified_servers = {
            srv for s in self.entities["systems"].values() if s.classification != "none" for srv in s.servers
        }
        classified_rooms = {self.entities["servers"][s].site for s in classified_servers}
        weak_by_city: dict[str, list[str]] = defaultdict(list)
        for ident, site in sorted(self.entities["sites"].items()):
            if site.kind != "self_built" or site.racks is None:
                continue  # a room recorded a second time is not a second room
            racks = site.racks
            used = rnd.randint(1, racks) if rnd.random() < 0.6 else rnd.randint(max(1, racks // 2), racks)
            changes: dict[str, Any] = {"yearly_cost_cny": float(racks * rnd.choice([12_000, 18_000, 25_000]))}
            roll = rnd.random()
            if roll < 0.45:
                changes["racks_used"] = used
            elif roll < 0.7:
                changes["utilisation_pct"] = round(
                    min(100.0, max(1.0, 100 * used / racks + rnd.uniform(-5, 5))), 1
                )
            elif roll < 0.8:
                changes["racks_used"] = used
                changes["utilisation_pct"] = round(100 * used / racks, 1)
            if rnd.random() < 0.1:  # the racks were never counted
                changes["racks"] = None
            twin = self.room_twin.get(ident)
            if twin and rnd.random() < 0.5:  # the second record counts what the first leaves out
                other: dict[str, Any] = {"racks": racks}
                for figure in ("racks_used", "utilisation_pct"):
                    if figure in changes and rnd.random() < 0.5:
                        other[figure] = changes.pop(figure)
                twin_site = self.entities["sites"][twin]
                self.entities["sites"][twin] = model.Site(**{**_site_fields(twin_site), **other})
            self.entities["sites"][ident] = model.Site(**{**_site_fields(site), **changes})
            records = [self.entities["sites"][i] for i in (ident, twin) if i]
            if _weak_as_recorded(records, racks, used) and ident not in classified_rooms:
                weak_by_city[self._building(ident).city[1]].append(ident)
        for rooms in weak_by_city.values():
            if len(rooms) >= 2:  # a room recorded twice is one room, named by both its records
                self.truth.weak_rooms.update(rooms)
                self.truth.weak_rooms.update(self.room_twin[r] for r in rooms if r in self.room_twin)


#: common jobs: how likely a department runs one, and the names departments give it
_COMMON_JOBS: dict[str, tuple[float, tuple[str, ...]]] = {
    "oa": (0.8, ("OA系统", "协同办公平台", "办公自动化系统", "协同办公系统", "移动OA", "OA办公系统")),
    "video_conference": (
        0.5,
        ("视频会议系统", "视频会议", "会议电视系统", "高清视频会议系统", "视频会商系统", "会议电视"),
    ),
    "email": (0.3, ("电子邮件系统", "邮件系统", "政务邮箱", "电子邮箱")),
    "portal": (0.6, ("门户网站", "政府网站", "门户网站群", "官方网站")),
    "archive": (0.3, ("档案管理系统", "电子档案系统", "数字档案馆")),
}
#: the held-out vocabulary: the same jobs as departments elsewhere name them — other synonyms,
#: abbreviations, product names and word orders — written without looking at the analysis's
#: words; never copy these into the analysis's data (that would make the measure meaningless)
HELD_OUT_JOBS: dict[str, tuple[float, tuple[str, ...]]] = {
    "oa": (
        0.8,
        (
            "无纸化办公系统",
            "网上办公平台",
            "OA协同平台",
            "智慧办公平台",
            "移动办公APP",
            "政务协同办公云",
            "内部办公网",
        ),
    ),
    "video_conference": (
        0.5,
        ("视讯会议系统", "云视讯平台", "远程会商系统", "高清视讯系统", "视频会议MCU", "网络会议平台"),
    ),
    "email": (0.3, ("政务邮件平台", "企业邮箱", "Coremail邮件", "Exchange邮件服务", "邮件服务器")),
    "portal": (0.6, ("政务网站", "网站群", "政府信息公开网", "部门官网", "互联网门户", "外网网站")),
    "archive": (
        0.3,
        ("数字档案室", "电子文件归档系统", "档案信息化平台", "文档一体化系统", "档案室管理软件"),
    ),
}
#: held-out look-alikes: named like a common job, doing another
HELD_OUT_LOOKALIKES: list[tuple[str, str]] = [
    ("视频图像联网共享平台", "monitoring"),
    ("会议室管理系统", "business"),
    ("办公用房管理系统", "business"),
    ("网站内容安全巡查系统", "business"),
    ("邮件收发登记系统", "business"),
    ("档案库房环境监控系统", "business"),
    ("远程视频监控平台", "monitoring"),
    ("网上办事大厅", "business"),
]
#: the category column written in words instead of the code
_CATEGORY_WORDS = {
    "oa": "协同办公",
    "video_conference": "视频会议系统",
    "email": "邮件",
    "portal": "网站",
    "archive": "电子档案",
    "business": "业务系统",
    "monitoring": "监控",
}
#: systems whose names look like a common job's but do another (each in one department)
_LOOKALIKES: list[tuple[str, str]] = [
    ("视频监控平台", "monitoring"),
    ("会议室预约系统", "business"),
    ("办公用品管理系统", "business"),
    ("网站安全监测平台", "business"),
    ("视频会商指挥调度系统", "business"),
    ("公文交换系统", "business"),
    ("邮政快递监管系统", "business"),
    ("档案数字化加工系统", "business"),
]
#: business systems of one department's own
_BUSINESS: dict[str, list[str]] = {
    "jyj": ["学籍管理系统", "招生考试系统", "教育资源公共服务平台"],
    "wjw": ["全民健康信息平台", "疫苗管理系统", "医保结算系统"],
    "gaj": ["人口信息系统", "出入境管理系统", "交通违法处理系统"],
    "rsj": ["社保经办系统", "就业服务平台", "职业技能鉴定系统"],
    "czj": ["预算管理一体化系统", "国库集中支付系统", "非税收入系统"],
    "jtj": ["路政管理系统", "运输许可系统", "公交调度平台"],
    "zrzyj": ["不动产登记系统", "国土空间规划平台", "地籍调查系统"],
    "scjgj": ["企业登记系统", "食品安全追溯平台", "12315投诉系统"],
    "mzj": ["低保救助系统", "婚姻登记系统", "养老服务平台"],
    "sfj": ["社区矫正系统", "法律援助系统", "公证管理系统"],
    "tjj": ["统计联网直报平台", "普查数据处理系统", "统计数据库"],
    "swj": ["水资源监测系统", "防汛抗旱指挥系统", "河长制平台"],
}
_BUSINESS_ANY = ["业务审批系统", "数据报送系统", "综合业务平台"]


_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_FULL_WIDTH_ALNUM = str.maketrans(
    string.ascii_letters + string.digits + "-",
    "".join(chr(ord(c) + 0xFEE0) for c in string.ascii_letters + string.digits + "-"),
)


def _chinese_number(n: int) -> str:
    """How people write a number in Chinese: 十二, 二十三, 一百零五, or digit by digit (三〇五)."""
    if n >= 100 and n % 7 == 0:
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = (
        ""
        if rest == 0
        else (
            "零" + _CN_DIGITS[rest]
            if rest < 10
            else _chinese_number(rest)
            if rest >= 20
            else "一" + _chinese_number(rest)
        )
    )
    return _CN_DIGITS[n // 100] + "百" + tail


def _retype(rnd: random.Random, serial: str) -> str:
    """A serial typed again: other case, spaces or dashes every few characters."""
    out = serial.lower() if rnd.random() < 0.5 else serial
    if rnd.random() < 0.5:
        step = rnd.choice([3, 4, 5])
        out = rnd.choice([" ", "-"]).join(out[i : i + step] for i in range(0, len(out), step))
    return out


def _mac(rnd: random.Random) -> str:
    return ":".join(f"{rnd.randrange(256):02X}" for _ in range(6))


def through_files(ledger: model.Ledger, folder: Path) -> model.Ledger:
    """``ledger`` written as YAML into ``folder`` and loaded back, as a user's would be: the
    full-width values are folded there, with warnings. Raises when the loader finds errors."""
    path = dump.write_single(ledger, folder / "ledger.yaml")
    result = loader.load(path)
    if result.ledger is None:
        raise ValueError("; ".join(p.render("en") for p in result.errors[:5]))
    return result.ledger


def _fields(server: model.Server) -> dict[str, Any]:
    return {f: getattr(server, f) for f in server.__dataclass_fields__ if f != "source"}


def _weak_as_recorded(records: list[model.Site], racks: int, used: int) -> bool:
    """The rule of docs/analysis.md on the figures a room's records carry, with the world's
    values: small when it has at most 6 racks (or, its racks not counted, at most 6 in use),
    underused when under 40 % of its racks are in use (shown by a utilisation figure, or by
    racks in use beside the rack count).  A room whose records give neither its size nor its
    use may be weak in the world, but no reading of the ledger could know it: the truth does
    not call it weak, nor count it as a neighbour another weak room could move with.  The
    world's values, not the typed ones, are compared: a utilisation typed 5 points off is mess
    the measure keeps."""
    said = {
        f for r in records for f in ("racks", "racks_used", "utilisation_pct") if getattr(r, f) is not None
    }
    underused = 100 * used / racks < 40 and ("utilisation_pct" in said or {"racks", "racks_used"} <= said)
    small = racks <= 6 if "racks" in said else "racks_used" in said and used <= 6
    return small or underused


def _site_fields(site: model.Site) -> dict[str, Any]:
    return {f: getattr(site, f) for f in site.__dataclass_fields__ if f != "source"}


# ---- measuring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """Counts of one finding kind against the truth."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


def score(findings: Any, truth: Truth) -> dict[str, Score]:
    """Precision and recall of ``findings`` (an iterable of :class:`Finding`) by kind: pairs of
    records for same-asset and parallel lines, servers for idle, networks for private networks
    and address conflicts."""
    same: set[frozenset[str]] = set()
    parallel: set[frozenset[str]] = set()
    idle: set[str] = set()
    coverable: set[str] = set()
    conflicting: set[str] = set()
    duplicates: set[frozenset[str]] = set()
    rooms: set[str] = set()
    for f in findings:
        if f.status != "candidate":
            continue
        if f.kind == "same-asset":
            same |= {frozenset(p) for p in combinations(f.members, 2)}
        elif f.kind == "parallel-lines":
            parallel |= {frozenset(p) for p in combinations(f.members, 2)}
        elif f.kind == "idle-capacity" and f.reason in ("idle-servers", "stopped-servers"):
            idle |= {m.split(":", 1)[1] for m in f.members}
        elif f.kind == "private-network":
            coverable |= {m.split(":", 1)[1] for m in f.members if m.startswith("network:")}
        elif f.kind == "address-conflict":
            conflicting |= {m.split(":", 1)[1] for m in f.members}
        elif f.kind == "duplicate-systems":
            duplicates |= {frozenset(p) for p in combinations(f.members, 2)}
        elif f.kind == "room-consolidation":
            rooms |= {m.split(":", 1)[1] for m in f.members}
    return {
        "same-asset": _count(same, truth.same_asset),
        "parallel-lines": _count(parallel, truth.parallel_lines),
        "idle-capacity": _count(idle, truth.idle_servers),
        "private-network": _count(coverable, truth.coverable_networks),
        "address-conflict": _count(conflicting, truth.conflicting_networks),
        "duplicate-systems": _count(duplicates, truth.duplicate_systems),
        "room-consolidation": _count(
            {truth.room_of.get(r, r) for r in rooms}, {truth.room_of.get(r, r) for r in truth.weak_rooms}
        ),
    }


def _count(found: set[Any], wanted: set[Any]) -> Score:
    return Score(len(found & wanted), len(found - wanted), len(wanted - found))
