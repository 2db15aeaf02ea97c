"""Synthetic but realistic regions: the bundled sample province and benchmark inputs.

``generate(servers, seed)`` builds a ledger shaped like a real province: provincial and city
departments, their machine rooms, servers, private and national vertical networks, dedicated
lines to extranet access points and ministries, business systems with dependencies on shared
platforms (a heavy-tailed degree distribution), and targets with a price table.  Every kind of
duplication a real region has is planted explicitly (see :func:`planted`), so the analysers'
answers on it are known.  The same seed gives the same ledger.

How dense the region is comes from a :class:`Density`.  The default, :data:`REALISTIC`, is
shaped like a province's estate: about one business system per 9 servers, 6 dependencies per
system on average (at least one each), a third of them on another department's systems and a
tenth across levels (a city system calling a provincial platform, or the other way), mostly
toward the shared platforms of the data administrations.  A tenth of the systems are tightly
coupled to one neighbour of their own department (an application and its database in two
systems).  The bundled sample keeps its own thinner spec, :data:`SAMPLE` (the bytes of
``inventories/haiyue`` do not change): a few systems per department and 0–3 dependencies each.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud.errors import GovcloudError
from govcloud.ledger import dump, model

AS_OF = dt.date(2026, 6, 30)
PROVINCE_CODE = "990000"
CITY_CODE = "990100"
CITY = "海州市"
DISTRICTS = {"海东区": "990102", "海西区": "990103", "滨江区": "990105", "高新区": "990171"}


@dataclass(frozen=True)
class DeptSpec:
    id: str
    name: str
    name_en: str
    level: str
    region_code: str
    weight: float  # share of the region's servers
    parent: str | None = None


DEPARTMENTS: tuple[DeptSpec, ...] = (
    DeptSpec(
        "hy-gat", "海岳省公安厅", "Provincial Public Security Department", "province", PROVINCE_CODE, 0.16
    ),
    DeptSpec("hy-jyt", "海岳省教育厅", "Provincial Education Department", "province", PROVINCE_CODE, 0.08),
    DeptSpec(
        "hy-wjw", "海岳省卫生健康委员会", "Provincial Health Commission", "province", PROVINCE_CODE, 0.10
    ),
    DeptSpec(
        "hy-rst",
        "海岳省人力资源和社会保障厅",
        "Provincial Human Resources and Social Security Department",
        "province",
        PROVINCE_CODE,
        0.10,
    ),
    DeptSpec(
        "hy-zrzyt",
        "海岳省自然资源厅",
        "Provincial Natural Resources Department",
        "province",
        PROVINCE_CODE,
        0.07,
    ),
    DeptSpec(
        "hy-jtt", "海岳省交通运输厅", "Provincial Transport Department", "province", PROVINCE_CODE, 0.07
    ),
    DeptSpec(
        "hy-scjgj",
        "海岳省市场监督管理局",
        "Provincial Market Regulation Administration",
        "province",
        PROVINCE_CODE,
        0.06,
    ),
    DeptSpec("hy-czt", "海岳省财政厅", "Provincial Finance Department", "province", PROVINCE_CODE, 0.06),
    DeptSpec(
        "hy-zsj",
        "海岳省政务服务和数据管理局",
        "Provincial Government Services and Data Administration",
        "province",
        PROVINCE_CODE,
        0.10,
    ),
    DeptSpec("hz-jyj", "海州市教育局", "Haizhou Education Bureau", "city", CITY_CODE, 0.05),
    DeptSpec("hz-wjw", "海州市卫生健康委员会", "Haizhou Health Commission", "city", CITY_CODE, 0.05),
    DeptSpec(
        "hz-zsj",
        "海州市政务服务数据管理局",
        "Haizhou Government Services and Data Bureau",
        "city",
        CITY_CODE,
        0.05,
    ),
    DeptSpec("hz-jtj", "海州市交通运输局", "Haizhou Transport Bureau", "city", CITY_CODE, 0.03),
    DeptSpec(
        "hd-wjj",
        "海东区卫生健康局",
        "Haidong District Health Bureau",
        "county",
        "990102",
        0.02,
        parent="hz-wjw",
    ),
)

#: business systems each department runs besides the common ones (OA, portal, …)
BUSINESS: dict[str, tuple[str, ...]] = {
    "hy-gat": (
        "人口信息管理系统",
        "出入境证件办理系统",
        "交通违法处理系统",
        "警务综合平台",
        "视频图像共享平台",
    ),
    "hy-jyt": ("学籍管理系统", "教育考试报名系统", "教师资格认定系统"),
    "hy-wjw": ("全民健康信息平台", "医保结算前置系统", "传染病监测预警系统"),
    "hy-rst": ("社会保险经办系统", "就业服务平台", "社保卡管理系统"),
    "hy-zrzyt": ("不动产登记系统", "国土空间规划一张图", "地理信息公共服务平台"),
    "hy-jtt": ("交通信号控制系统", "道路运输管理系统", "公路路网监测系统"),
    "hy-scjgj": ("企业登记注册系统", "食品安全追溯平台", "信用信息公示系统"),
    "hy-czt": ("预算管理一体化系统", "国库集中支付系统", "非税收入收缴系统"),
    "hy-zsj": ("统一身份认证平台", "数据共享交换平台", "一网通办政务服务平台", "电子证照库"),
    "hz-jyj": ("中小学招生入学系统", "校园安全监控平台"),
    "hz-wjw": ("区域卫生信息平台", "家庭医生签约系统"),
    "hz-zsj": ("市民服务热线系统", "城市运行管理平台"),
    "hz-jtj": ("公交调度系统", "出租车监管平台"),
    "hd-wjj": ("社区卫生服务系统",),
}
_COMMON = {
    "oa": "办公自动化系统",
    "portal": "门户网站",
    "video_conference": "视频会议系统",
    "email": "电子邮件系统",
    "archive": "档案管理系统",
}
_OS = (
    ("Kylin V10 SP2", 5),
    ("UOS 20", 3),
    ("CentOS 7.9", 8),
    ("Windows Server 2012 R2", 2),
    ("RHEL 6.10", 1),
    ("Ubuntu 20.04", 2),
)


@dataclass(frozen=True)
class Density:
    """How much structure a generated region has (see the module's docstring)."""

    #: servers per business system (about; shares vary from half to twice the mean)
    servers_per_system: float = 9.0
    #: dependencies per system on average (each system has at least one)
    deps_per_system: float = 6.0
    #: share of dependencies on another department's systems
    cross_department_share: float = 0.35
    #: share of dependencies across levels (city ↔ province), part of the cross-department ones
    cross_level_share: float = 0.1
    #: share of systems tightly coupled to one other system of their department
    tight_share: float = 0.1
    #: the sample's own thin spec (a few systems per department, 0–3 dependencies each)
    sample: bool = False

    def __post_init__(self) -> None:
        if self.servers_per_system < 1:
            raise ValueError("servers_per_system must be at least 1")
        if self.deps_per_system < 0:
            raise ValueError("deps_per_system must not be negative")
        for name in ("cross_department_share", "cross_level_share", "tight_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.cross_level_share > self.cross_department_share:
            raise ValueError("cross_level_share is part of cross_department_share: it cannot exceed it")


#: a province's estate (the default of ``govcloud generate`` and of the benchmarks)
REALISTIC = Density()
#: the bundled sample province's own spec (``scripts/make_sample.py``)
SAMPLE = Density(sample=True)


@dataclass
class _Builder:
    """Accumulates entities while the generator runs."""

    rnd: random.Random
    density: Density = SAMPLE
    entities: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    ip_next: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, kind: str, entity: Any) -> Any:
        self.entities[kind][entity.id] = entity
        return entity

    def ip(self, dept_index: int) -> str:
        n = self.ip_next[str(dept_index)]
        self.ip_next[str(dept_index)] += 1
        return f"10.{64 + dept_index}.{n // 250}.{n % 250 + 2}"


def generate(servers: int = 420, seed: int = 20261124, density: Density = REALISTIC) -> model.Ledger:
    """A region of about ``servers`` servers at ``density``; with :data:`SAMPLE` and the
    default size and seed, the bundled sample province."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible sample data, not security
    b = _Builder(rnd, density)
    for spec in DEPARTMENTS:
        b.add(
            "departments",
            model.Department(
                spec.id, spec.name, spec.level, spec.region_code, name_en=spec.name_en, parent=spec.parent
            ),
        )
    _targets(b, max(1.0, servers / 420))
    rooms = _rooms(b)
    _servers(b, rooms, servers)
    _networks(b, rooms)
    _lines(b, rooms)
    _systems(b)
    _plant(b)
    _lifecycle(b)
    region = model.Region(
        "haiyue",
        "海岳省",
        PROVINCE_CODE,
        AS_OF,
        name_en="Haiyue Province (fictional)",
        depreciation_years=6,
        address_plan=("10.64.0.0/10", "172.20.0.0/14"),
        notes="虚构的示例省份，由 govcloud.generate 生成 / a fictional sample province generated by govcloud.generate",
    )
    return model.Ledger(
        region=region,
        prices=_prices(full_catalogue=not density.sample),
        **{k: b.entities.get(k, {}) for k in model.ENTITY_KINDS},
    )


#: vendors that run systems for departments in the sample (fictional)
_VENDORS = ("海岳数智科技有限公司", "东湖信息技术服务有限公司", "海州软件工程有限公司")


def _operations(system_id: str, servers: int) -> dict[str, Any]:
    """Who runs a system and what its operations cost a year.  Drawn from a generator of its
    own, seeded by the system's id, so the rest of the sample stays as it was."""
    rnd = random.Random(f"operations:{system_id}")  # noqa: S311 - sample data, not security
    operator = rnd.choice(("department", "department", "vendor", "vendor", "ops_centre"))
    return {
        "operator": operator,
        "operator_name": rnd.choice(_VENDORS) if operator == "vendor" else None,
        "ops_staff_fte": round(rnd.choice((0.2, 0.3, 0.5, 1.0)) * (1 + servers / 10), 1)
        if operator == "department"
        else 0.0,
        "ops_outsourcing_cny": float(rnd.randrange(40_000, 240_000, 10_000)) if operator == "vendor" else 0.0,
        "licence_cny": float(rnd.choice((0, 0, 20_000, 60_000, 150_000))),
    }


def _backup(b: _Builder, department: str, offsite: bool) -> model.Backup:
    """A system's backup: an off-site copy sits in its department's 灾备机房 when it has one."""
    idc = f"{department}-idc"
    return model.Backup(
        local=True, offsite=offsite, site=idc if offsite and idc in b.entities["sites"] else None
    )


def _targets(b: _Builder, scale: float) -> None:
    """The two cloud nodes (capacity grows with the region) and the extranet access points."""
    b.add(
        "cloud_nodes",
        model.CloudNode(
            "hy-cloud-prov",
            "海岳省政务云",
            "alicloud",
            "cn-hangzhou",
            (
                model.Zone("cn-hangzhou-h", "可用区 H", recovery_zone="cn-hangzhou-i"),
                model.Zone("cn-hangzhou-i", "可用区 I", recovery_zone="cn-hangzhou-h"),
            ),
            3,
            name_en="Haiyue provincial government cloud",
            kind="provincial",
            region_code=PROVINCE_CODE,
            capacity=_capacity(40_000, scale),
            xinchuang=True,
            archs=("x86_64", "arm64"),
            recovery_region="cn-shanghai",  # the provider's off-site recovery region
        ),
    )
    b.add(
        "cloud_nodes",
        model.CloudNode(
            "hz-cloud-city",
            "海州市政务云",
            "openstack",
            "RegionOne",
            (model.Zone("nova", "nova"),),
            2,
            name_en="Haizhou city government cloud",
            kind="city",
            region_code=CITY_CODE,
            capacity=_capacity(6_000, scale),
            archs=("x86_64",),
            recovery_node="hy-cloud-prov",  # the city's off-site copies go to the provincial cloud
        ),
    )
    for ident, name, level, code, mbps, address in (
        (
            "ap-prov",
            "省级电子政务外网接入点",
            "province",
            PROVINCE_CODE,
            10_000,
            "海州市海东区政务大道 1 号省政务服务中心",
        ),
        ("ap-hz", "海州市电子政务外网接入点", "city", CITY_CODE, 2_000, "海州市海西区人民路 88 号市民中心"),
        ("ap-hd", "海东区电子政务外网接入点", "county", "990102", 500, "海州市海东区东湖路 6 号"),
        ("ap-bj", "滨江区电子政务外网接入点", "county", "990105", 500, "海州市滨江区江滨大道 20 号"),
    ):
        b.add(
            "access_points",
            model.AccessPoint(ident, name, mbps, level=level, region_code=code, address=address),
        )


def _capacity(vcpus: int, scale: float) -> model.Capacity:
    cores = round(vcpus * scale)
    return model.Capacity(vcpus=cores, memory_gb=cores * 4.0, storage_gb=cores * 200.0)


def _prices(full_catalogue: bool = False) -> model.Prices:
    """The price list; ``full_catalogue`` adds the largest hosts (128 vCPU, 512 GB) of every
    node and architecture, which the sample's few servers never need."""
    types = []
    for node, factor, archs in (
        ("hy-cloud-prov", 1.0, ("x86_64", "arm64")),
        ("hz-cloud-city", 0.85, ("x86_64",)),
    ):
        for arch in archs:
            discount = 0.85 if arch == "arm64" else 1.0
            for size, vcpus, mem in (
                ("large", 2, 8),
                ("xlarge", 4, 16),
                ("2xlarge", 8, 32),
                ("4xlarge", 16, 64),
                ("8xlarge", 32, 128),
                ("16xlarge", 64, 256),
            ):
                family = "ecs.g8y" if arch == "arm64" else ("ecs.g7" if node == "hy-cloud-prov" else "m1")
                price = round(vcpus * 55 * factor * discount + mem * 7 * factor * discount)
                types.append(model.InstanceType(node, f"{family}.{size}", vcpus, mem, price, arch=arch))
    # memory-optimised: the few large databases no general-purpose type fits
    types.append(model.InstanceType("hy-cloud-prov", "ecs.r7.16xlarge", 64, 512, 64 * 55 + 512 * 7))
    if full_catalogue:  # a province's estate has large hosts of every kind: the catalogue covers them
        for node, family, arch, factor in (
            ("hy-cloud-prov", "ecs.r8y", "arm64", 0.85),
            ("hz-cloud-city", "m1.r", "x86_64", 0.85),
            ("hy-cloud-prov", "ecs.g7", "x86_64", 1.0),
            ("hy-cloud-prov", "ecs.g8y", "arm64", 0.85),
            ("hz-cloud-city", "m1", "x86_64", 0.85),
        ):
            vcpus, mem = (64, 512) if ".r" in family else (128, 512)
            size = "16xlarge" if vcpus == 64 else "32xlarge"
            price = round(vcpus * 55 * factor + mem * 7 * factor)
            types.append(model.InstanceType(node, f"{family}.{size}", vcpus, mem, price, arch=arch))
    storage = tuple(
        model.StoragePrice(node, tier, price)
        for node, tiers in (
            ("hy-cloud-prov", (("ssd", 0.35), ("hdd", 0.15), ("object", 0.08))),
            ("hz-cloud-city", (("ssd", 0.3), ("hdd", 0.12))),
        )
        for tier, price in tiers
    )
    return model.Prices(
        example=True,
        instance_types=tuple(types),
        storage=storage,
        extranet_mbps_month_cny=45.0,
        migration=model.MigrationPrices(
            per_server_cny=5_000,
            per_tb_cny=1_000,
            per_system_cny=80_000,
            per_retired_system_cny=30_000,
            per_ported_system_cny=150_000,
        ),
        ops_staff_fte_year_cny=200_000,
        images=_images(),
    )


def _images() -> tuple[model.Image, ...]:
    """The provincial cloud's image catalogue (fictional ids); the city cloud has none recorded,
    so its stacks ask ops for the images."""
    out = []
    for family, arch, name in (
        ("centos", "x86_64", "CentOS 7.9 64位"),
        ("kylin", "arm64", "银河麒麟 V10 SP2 ARM"),
        ("kylin", "x86_64", "银河麒麟 V10 SP2"),
        ("uos", "arm64", "统信 UOS 20 ARM"),
        ("uos", "x86_64", "统信 UOS 20"),
        ("ubuntu", "x86_64", "Ubuntu 20.04 64位"),
        ("windows", "x86_64", "Windows Server 2012 R2 数据中心版"),
    ):
        out.append(
            model.Image("hy-cloud-prov", family, arch, f"m-govcloud-{family}-{arch.replace('_', '')}", name)
        )
    return tuple(out)


_DISTRICT_OF = {
    "hy-gat": "海西区",
    "hy-jyt": "海东区",
    "hy-wjw": "海东区",
    "hy-rst": "滨江区",
    "hy-zrzyt": "海西区",
    "hy-jtt": "高新区",
    "hy-scjgj": "海东区",
    "hy-czt": "海西区",
    "hy-zsj": "海东区",
    "hz-jyj": "海西区",
    "hz-wjw": "滨江区",
    "hz-zsj": "海西区",
    "hz-jtj": "滨江区",
    "hd-wjj": "海东区",
}


def _rooms(b: _Builder) -> dict[str, list[str]]:
    """One main room per department, a second for the large ones (co-located at a carrier IDC)."""
    rnd = b.rnd
    rooms: dict[str, list[str]] = defaultdict(list)
    for i, spec in enumerate(DEPARTMENTS):
        district = _DISTRICT_OF[spec.id]
        short = spec.name.removeprefix("海岳省").removeprefix("海州市")
        racks = rnd.choice((4, 6, 8, 12, 20, 30)) if spec.weight < 0.1 else rnd.choice((20, 30, 40))
        used = max(1, round(racks * rnd.uniform(0.2, 0.8)))
        pue = round(rnd.uniform(1.5, 2.2), 2)
        site = model.Site(
            f"{spec.id}-room1",
            f"{short}中心机房",
            spec.id,
            "self_built",
            address=f"{CITY}{district}{_street(rnd)}",
            region_code=DISTRICTS[district],
            district=district,
            racks=racks,
            racks_used=used,
            power_kw=racks * 4.0,
            pue=pue,
            yearly_cost_cny=_room_cost(used * 4.0, pue, racks),
            utilisation_pct=round(100 * used / racks, 1),
            power_redundancy=rnd.choice(("ups", "ups_dual_feed", "dual_feed")),
            log_retention_days=rnd.choice((90, 180, 365)),
            bastion=rnd.random() < 0.6,
        )
        rooms[spec.id].append(b.add("sites", site).id)
        if spec.weight >= 0.1 or i % 4 == 0:
            colo = model.Site(
                f"{spec.id}-idc",
                f"{short}灾备机房（运营商 IDC）",
                spec.id,
                "co_located",
                address=f"{CITY}高新区科技路 9 号电信 IDC {i % 3 + 2} 楼",
                region_code=DISTRICTS["高新区"],
                district="高新区",
                racks=rnd.choice((2, 4, 6)),
                racks_used=rnd.choice((1, 2)),
                yearly_cost_cny=float(rnd.randrange(120_000, 360_000, 10_000)),
                contract_end=dt.date(rnd.choice((2026, 2027, 2028)), rnd.randint(1, 12), 28),
                utilisation_pct=round(rnd.uniform(20, 70), 1),
                power_redundancy="ups_dual_feed",
                log_retention_days=180,
                bastion=True,
            )
            rooms[spec.id].append(b.add("sites", colo).id)
    return rooms


def _room_cost(load_kw: float, pue: float, racks: int) -> float:
    """A self-built room's yearly cost: electricity for its load at its PUE, plus upkeep
    (air conditioning, UPS batteries, fire protection, duty staff) per rack."""
    return float(round(load_kw * pue * 8760 * 0.85 + racks * 15_000, -3))


def _street(rnd: random.Random) -> str:
    return (
        f"{rnd.choice(('人民路', '解放路', '建设路', '文化路', '中山路', '长江路'))} {rnd.randint(1, 300)} 号"
    )


def _servers(b: _Builder, rooms: dict[str, list[str]], total: int) -> None:
    rnd = b.rnd
    for i, spec in enumerate(DEPARTMENTS):
        count = max(4, round(total * spec.weight))
        for n in range(count):
            site = rooms[spec.id][0 if n % 5 else -1]
            physical = rnd.random() < 0.45
            year = rnd.randint(2012, 2022) if rnd.random() < 0.9 else rnd.randint(2023, 2024)
            bought = dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
            arch = "x86_64" if rnd.random() < 0.85 else rnd.choice(("arm64", "arm64", "loongarch64"))
            os_name = rnd.choices([o for o, _ in _OS], weights=[w for _, w in _OS])[0]
            cores = rnd.choice((8, 16, 32, 48, 64)) if physical else rnd.choice((2, 4, 8, 16))
            b.add(
                "servers",
                model.Server(
                    f"{spec.id}-srv{n + 1:03d}",
                    spec.id,
                    site,
                    f"{spec.id}-{('db' if n % 4 == 0 else 'app')}{n + 1:03d}",
                    serial=f"{'HW' if physical else 'VM'}{i:02d}{n:04d}{rnd.randrange(16**4):04X}",
                    ips=(b.ip(i),),
                    kind="physical" if physical else "vm",
                    cpu_cores=cores,
                    memory_gb=float(cores * rnd.choice((2, 4, 8))),
                    storage_gb=float(rnd.choice((200, 500, 1000, 2000, 4000))),
                    os=os_name if arch == "x86_64" else "Kylin V10 SP2",
                    arch=arch,
                    cpu_p95_pct=round(min(95.0, rnd.lognormvariate(2.7, 0.6)), 1),
                    mem_p95_pct=round(min(95.0, rnd.uniform(15, 70)), 1),
                    purchase_date=bought,
                    purchase_value_cny=float(cores * 1_500 if physical else 0) or None,
                    warranty_end=bought.replace(year=bought.year + 5) if physical else None,
                    # out of warranty, a maintenance contract (维保) of about 8 % of the price a year
                    maintenance_cny=float(cores * 120) if physical and bought.year + 5 < AS_OF.year else 0.0,
                ),
            )


def _networks(b: _Builder, rooms: dict[str, list[str]]) -> None:
    for i, spec in enumerate(DEPARTMENTS):
        b.add(
            "networks",
            model.Network(
                f"{spec.id}-extranet",
                f"{spec.name}政务外网",
                spec.id,
                "extranet",
                cidrs=(f"10.{64 + i}.0.0/16",),
                sites=tuple(rooms[spec.id]),
                vlans=(100 + i,),
            ),
        )
    privates = (
        ("hy-jyt", "教育专网", "192.168.10.0/24"),
        ("hy-wjw", "卫生健康专网", "192.168.10.0/23"),
        ("hy-jtt", "交通专网", "172.20.8.0/22"),
        ("hy-scjgj", "市场监管专网", "172.21.0.0/22"),
        ("hz-wjw", "海州卫生专网", "172.22.4.0/24"),
    )
    for owner, name, cidr in privates:
        b.add(
            "networks",
            model.Network(
                f"{owner}-private", name, owner, "private", cidrs=(cidr,), sites=tuple(rooms[owner])
            ),
        )
    b.add(
        "networks",
        model.Network(
            "hy-gat-gaw",
            "公安信息网",
            "hy-gat",
            "national_vertical",
            ministry="公安部",
            sites=tuple(rooms["hy-gat"]),
            cidrs=("172.24.0.0/16",),
        ),
    )
    b.add(
        "networks",
        model.Network(
            "hy-rst-jinbao",
            "金保工程专网",
            "hy-rst",
            "national_vertical",
            ministry="人力资源和社会保障部",
            sites=tuple(rooms["hy-rst"]),
        ),
    )
    b.add(
        "networks",
        model.Network("hy-gat-sm", "公安涉密网", "hy-gat", "classified", sites=(rooms["hy-gat"][0],)),
    )
    b.add(
        "networks",
        model.Network("hy-czt-sm", "财政涉密网", "hy-czt", "classified", sites=(rooms["hy-czt"][0],)),
    )


def _lines(b: _Builder, rooms: dict[str, list[str]]) -> None:
    """Every room reaches the extranet; vertical networks reach their ministries; two-room
    departments join their rooms; private networks have their own lines."""
    rnd = b.rnd
    n = 0

    def add(owner: str, a: model.LineEnd, z: model.LineEnd, **kw: Any) -> None:
        nonlocal n
        n += 1
        kw.setdefault("carrier", rnd.choice(("telecom", "unicom", "mobile")))
        kw.setdefault("technology", rnd.choice(("mstp", "mpls_vpn", "sdh")))
        kw.setdefault("bandwidth_mbps", float(rnd.choice((20, 50, 100, 200))))
        kw.setdefault("monthly_fee_cny", float(kw["bandwidth_mbps"] * rnd.randrange(60, 120)))
        kw.setdefault("encryption", rnd.choice(("sm", "other", "none")))
        kw.setdefault("contract_end", dt.date(rnd.choice((2026, 2027, 2028)), rnd.randint(1, 12), 28))
        b.add(
            "lines",
            model.Line(
                f"{owner}-line{n:02d}", owner, kw.pop("carrier"), kw.pop("bandwidth_mbps"), a, z, **kw
            ),
        )

    for spec in DEPARTMENTS:
        main = rooms[spec.id][0]
        ap = "ap-prov" if spec.level == "province" else ("ap-hd" if spec.level == "county" else "ap-hz")
        add(
            spec.id,
            model.LineEnd(site=main),
            model.LineEnd(access_point=ap),
            network=f"{spec.id}-extranet",
            name=f"{spec.name}外网接入",
        )
        if len(rooms[spec.id]) > 1:
            idc = rooms[spec.id][1]
            add(
                spec.id,
                model.LineEnd(site=main),
                model.LineEnd(site=idc),
                name=f"{spec.name}主备机房互联",
                technology="dark_fibre",
            )
            # each department in the carrier IDC leases its own line to the same access point
            add(
                spec.id,
                model.LineEnd(site=idc),
                model.LineEnd(access_point=ap),
                network=f"{spec.id}-extranet",
                name=f"{spec.name}灾备机房外网接入",
            )
        if spec.level == "city":
            add(
                spec.id,
                model.LineEnd(site=main),
                model.LineEnd(cloud_node="hz-cloud-city"),
                name=f"{spec.name}至市政务云专线",
                bandwidth_mbps=200.0,
            )
    for owner, _name, _cidr in (
        ("hy-jyt", 0, 0),
        ("hy-wjw", 0, 0),
        ("hy-jtt", 0, 0),
        ("hy-scjgj", 0, 0),
        ("hz-wjw", 0, 0),
    ):
        add(
            owner,
            model.LineEnd(site=rooms[owner][0]),
            model.LineEnd(address=f"{CITY}各区县{'分支机构'}汇聚点"),
            network=f"{owner}-private",
            bandwidth_mbps=100.0,
        )
    add(
        "hy-gat",
        model.LineEnd(site=rooms["hy-gat"][0]),
        model.LineEnd(address="公安部信息中心（北京）"),
        network="hy-gat-gaw",
        carrier="telecom",
        technology="sdh",
        encryption="sm",
        bandwidth_mbps=155.0,
    )
    add(
        "hy-rst",
        model.LineEnd(site=rooms["hy-rst"][0]),
        model.LineEnd(address="人力资源和社会保障部信息中心（北京）"),
        network="hy-rst-jinbao",
        carrier="unicom",
        encryption="sm",
    )


def _systems(b: _Builder) -> None:
    rnd = b.rnd
    servers_of: dict[str, list[str]] = defaultdict(list)
    for server in b.entities["servers"].values():
        servers_of[server.owner].append(server.id)
    platform_ids: list[str] = []
    for spec in DEPARTMENTS:
        pool = sorted(servers_of[spec.id])
        rnd.shuffle(pool)
        names = [
            (c, f"{spec.name.removeprefix('海岳省')}{n}")
            for c, n in _COMMON.items()
            if c in ("oa", "portal") or rnd.random() < 0.4
        ]
        names += [("business", n) for n in BUSINESS[spec.id]]
        if not b.density.sample:  # one business system per servers_per_system servers
            wanted = round(len(pool) / b.density.servers_per_system)
            names += [
                ("business", f"{spec.name.removeprefix('海岳省')}业务系统{k:03d}")
                for k in range(max(0, wanted - len(names)))
            ]
        # the sample: large estates are split into more systems, about one per six beyond 120
        elif len(pool) > 120:
            names += [
                ("business", f"{spec.name.removeprefix('海岳省')}业务系统{k:03d}")
                for k in range(len(pool) // 6 - len(names))
            ]
        # almost every server belongs to a system; a few are unaccounted for, as in real ledgers
        spare = max(1, len(pool) // 25)
        shares = _split(len(pool) - spare, len(names), rnd)
        for k, (category, name) in enumerate(names):
            mine, pool = pool[: shares[k]], pool[shares[k] :]
            ident = f"{spec.id}-sys{k + 1:02d}"
            level = 3 if category == "business" and rnd.random() < 0.6 else 2
            b.add(
                "systems",
                model.System(
                    ident,
                    name,
                    spec.id,
                    level,
                    category=category,
                    data_class=rnd.choice(("general", "general", "important")),
                    servers=tuple(sorted(mine)),
                    networks=(f"{spec.id}-extranet",),
                    rto_hours=float(rnd.choice((4, 8, 24))),
                    rpo_hours=float(rnd.choice((1, 4, 24))),
                    internet_facing=category == "portal",
                    exposed_ports=(443,) if category == "portal" else (),
                    users=rnd.choice((80, 150, 600, 2_000, 20_000, 300_000)),
                    admin_auth=rnd.choice(("mfa", "mfa_crypto", "password")),
                    bastion=rnd.random() < 0.7,
                    log_retention_days=rnd.choice((180, 365)),
                    backup=_backup(b, spec.id, offsite=rnd.random() < 0.7),
                    ha=rnd.choice(("none", "cold", "hot")),
                    **_operations(ident, len(mine)),
                ),
            )
            if spec.id == "hy-zsj" and category == "business":
                platform_ids.append(ident)
            elif spec.id == "hz-zsj" and category == "business" and not b.density.sample:
                platform_ids.append(ident)  # the city's own platforms (hotline, city operations)
    if b.density.sample:
        _dependencies(b, platform_ids)
    else:
        _dense_dependencies(b, platform_ids)


def _split(total: int, parts: int, rnd: random.Random) -> list[int]:
    """``total`` split into ``parts`` positive-ish shares, business systems larger."""
    weights = [rnd.uniform(0.5, 2.0) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def _dependencies(b: _Builder, platforms: list[str]) -> None:
    """Preferential attachment: shared platforms and popular systems gather most callers."""
    rnd = b.rnd
    systems = sorted(b.entities["systems"])
    indegree = defaultdict(int, dict.fromkeys(platforms, 5))
    for ident in systems:
        system = b.entities["systems"][ident]
        others = [s for s in systems if s != ident]
        weights = [indegree[s] + 1 for s in others]
        targets = sorted({rnd.choices(others, weights)[0] for _ in range(rnd.choice((0, 1, 1, 2, 3)))})
        deps = []
        for target in targets:
            indegree[target] += 1
            same_owner = b.entities["systems"][target].owner == system.owner
            deps.append(model.Dependency(target, "https", 443, tight=same_owner and rnd.random() < 0.5))
        b.entities["systems"][ident] = _replace(system, dependencies=tuple(deps))


def _dense_dependencies(b: _Builder, platforms: list[str]) -> None:
    """Dependencies at :class:`Density`: each system calls about ``deps_per_system`` others,
    picked by preferential attachment (shared platforms and popular systems gather most
    callers) among its own department's systems, another department's of its level, or one
    of the other level (city ↔ province).  Tight couplings join a system to one neighbour of
    its department that is not a platform, so tight groups stay small (pairs)."""
    rnd, density = b.rnd, b.density
    systems = b.entities["systems"]
    level = {d.id: ("city" if d.level in ("city", "county") else "province") for d in DEPARTMENTS}
    # preferential attachment with an urn per department: a system is in it once, and once
    # more per caller; a platform starts as popular as twenty callers
    urn: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(systems):
        urn[systems[ident].owner].append(ident)
    shared = set(platforms)
    plain = {owner: [s for s in members if s not in shared] for owner, members in urn.items()}
    for ident in platforms:
        urn[systems[ident].owner].extend([ident] * 20)
    same_level = {
        d.id: [o.id for o in DEPARTMENTS if o.id != d.id and level[o.id] == level[d.id] and urn[o.id]]
        for d in DEPARTMENTS
    }
    other_level = {
        d.id: [o.id for o in DEPARTMENTS if level[o.id] != level[d.id] and urn[o.id]] for d in DEPARTMENTS
    }
    tight_partner: dict[str, str] = {}
    for owner in sorted(plain):
        members = plain[owner]
        for ident in members:
            if ident in tight_partner or len(members) < 2 or rnd.random() >= density.tight_share / 2:
                continue
            mate = rnd.choice(members)
            if mate != ident and mate not in tight_partner:
                tight_partner[ident] = mate
                tight_partner[mate] = ident
    cross_same = density.cross_department_share - density.cross_level_share
    mean = density.deps_per_system
    for ident in sorted(systems):
        system = systems[ident]
        if mean >= 1:  # 1 + a geometric draw: mean ``mean``, a long tail of heavy callers
            count = 1 + int(rnd.expovariate(1 / (mean - 0.5))) if mean > 1 else 1
        else:
            count = 1 if rnd.random() < mean else 0
        chosen: dict[str, bool] = {}
        partner = tight_partner.get(ident)
        if partner is not None and partner < ident:  # one of the pair calls the other, tightly
            chosen[partner] = True
        for _ in range(count * 3):  # a draw that repeats a target is not retried forever
            if len(chosen) >= count:
                break
            roll = rnd.random()
            if roll < density.cross_level_share:
                owners = other_level[system.owner]
            elif roll < density.cross_level_share + cross_same:
                owners = same_level[system.owner]
            else:
                owners = [system.owner]
            if not owners:
                continue
            owner = owners[0] if len(owners) == 1 else rnd.choices(owners, [len(urn[o]) for o in owners])[0]
            target = rnd.choice(urn[owner])
            if target == ident or target in chosen:
                continue
            chosen[target] = False
            urn[owner].append(target)
        deps = tuple(model.Dependency(t, "https", 443, tight=chosen[t]) for t in sorted(chosen))
        systems[ident] = _replace(system, dependencies=deps)


def _replace(entity: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(entity, **changes)


def _plant(b: _Builder) -> None:
    """The duplication every real region has, written out so the answers are known."""
    for step in _PLANTS:
        step(b)


def _plant_rooms(b: _Builder) -> None:
    """Three small, half-empty rooms of different departments in one district (海东区)."""
    for owner, name, street in (
        ("hy-jyt", "教育厅考试院机房", "文化路 12 号"),
        ("hy-scjgj", "市场监管局稽查总队机房", "建设路 45 号"),
        ("hd-wjj", "海东区卫健局信息机房", "东湖路 31 号"),
    ):
        b.add(
            "sites",
            model.Site(
                f"{owner}-room-small",
                name,
                owner,
                "self_built",
                address=f"{CITY}海东区{street}",
                region_code="990102",
                district="海东区",
                racks=4,
                racks_used=1,
                power_kw=12.0,
                pue=2.1,
                yearly_cost_cny=_room_cost(4.0, 2.1, 4),
                utilisation_pct=22.0,
                power_redundancy="none",
                log_retention_days=90,
                bastion=False,
            ),
        )
        for n in range(3):
            b.add(
                "servers",
                model.Server(
                    f"{owner}-small{n + 1}",
                    owner,
                    f"{owner}-room-small",
                    f"{owner.split('-')[1]}-small-{n + 1}",
                    serial=f"SM-{owner}-{n}",
                    kind="physical",
                    cpu_cores=16,
                    memory_gb=64.0,
                    storage_gb=1000.0,
                    os="CentOS 6.10" if n == 0 else "Kylin V10 SP2",
                    cpu_p95_pct=6.0 + n,
                    mem_p95_pct=25.0,
                    purchase_date=dt.date(2016, 3, 1),
                    purchase_value_cny=40_000.0,
                    warranty_end=dt.date(2021, 3, 1),
                ),
            )


def _plant_lines(b: _Builder) -> None:
    """Parallel lines: three departments each lease a line from their 海东区 room to the
    provincial access point; one department keeps an intended redundant pair."""
    for owner, carrier, fee in (
        ("hy-jyt", "telecom", 6_000.0),
        ("hy-scjgj", "unicom", 5_500.0),
        ("hd-wjj", "mobile", 4_000.0),
    ):
        b.add(
            "lines",
            model.Line(
                f"{owner}-line-ap",
                owner,
                carrier,
                100.0,
                model.LineEnd(site=f"{owner}-room-small"),
                model.LineEnd(access_point="ap-prov"),
                name="机房至省级外网接入点专线",
                technology="mstp",
                monthly_fee_cny=fee,
                encryption="none",
                contract_end=dt.date(2027, 6, 30),
            ),
        )
    for k, carrier in enumerate(("telecom", "unicom")):
        b.add(
            "lines",
            model.Line(
                f"hy-zsj-dual{k + 1}",
                "hy-zsj",
                carrier,
                1000.0,
                model.LineEnd(site="hy-zsj-room1"),
                model.LineEnd(cloud_node="hy-cloud-prov"),
                name=f"政务数据局至省政务云双路由（{'主' if k == 0 else '备'}）",
                technology="otn",
                monthly_fee_cny=30_000.0,
                redundancy_group="zsj-cloud-dual",
                encryption="sm",
            ),
        )


def _plant_records(b: _Builder) -> None:
    """A server in two ledgers, a server twice in one file, and a room recorded twice."""
    common: dict[str, Any] = {
        "kind": "physical",
        "cpu_cores": 32,
        "memory_gb": 128.0,
        "storage_gb": 4000.0,
        "os": "Kylin V10 SP2",
        "purchase_date": dt.date(2021, 4, 1),
    }
    b.add(
        "servers",
        model.Server(
            "hy-zsj-shared-db",
            "hy-zsj",
            "hy-zsj-room1",
            "HY-ZSJ-DB01",
            serial="2102311VKF10M4000123",
            mgmt_ip="10.72.250.11",
            **common,
        ),
    )
    b.add(
        "servers",
        model.Server(
            "hy-scjgj-hosted-db",
            "hy-scjgj",
            "hy-zsj-room1",
            "hy-zsj-db01.hy.gov",
            serial="2102311vkf10m4000123",
            **common,
        ),
    )
    b.add(
        "servers",
        model.Server(
            "hy-rst-srv-dup-a", "hy-rst", "hy-rst-room1", "rst-ins-app07", serial="J3K9-22X7", **common
        ),
    )
    b.add(
        "servers",
        model.Server(
            "hy-rst-srv-dup-b", "hy-rst", "hy-rst-room1", "RST-INS-APP07", serial="J3K922X7", **common
        ),
    )
    room = b.entities["sites"]["hy-wjw-room1"]
    b.add(
        "sites",
        model.Site(
            "hy-wjw-room1-old",
            "卫健委 数据中心 一楼",
            "hy-wjw",
            "self_built",
            address=f"{room.address} 1楼",
            region_code=room.region_code,
            district=room.district,
            racks=room.racks,
        ),
    )
    b.entities["sites"]["hy-wjw-room1"] = _replace(room, name="省卫健委机房")


def _plant_systems(b: _Builder) -> None:
    """Classified systems, a level-4 system, latency- and hardware-bound systems, idle ones,
    new hardware (sunk cost), and baseline weaknesses an auditor must see."""
    S = b.entities["systems"]
    add = b.add
    add(
        "systems",
        model.System(
            "hy-gat-secret",
            "公安涉密办公系统",
            "hy-gat",
            3,
            classification="secret",
            category="oa",
            networks=("hy-gat-sm",),
            data_class="core",
            admin_auth="mfa_crypto",
            bastion=True,
            log_retention_days=365,
        ),
    )
    add(
        "systems",
        model.System(
            "hy-czt-secret",
            "财政涉密文件传输系统",
            "hy-czt",
            3,
            classification="confidential",
            networks=("hy-czt-sm",),
            data_class="important",
            admin_auth="mfa_crypto",
        ),
    )
    add(
        "systems",
        model.System(
            "hy-gat-jingwu",
            "公安部警务信息综合应用（省级节点）",
            "hy-gat",
            3,
            classification="confidential",
            networks=("hy-gat-gaw",),
            data_class="core",
        ),
    )
    add(
        "systems",
        model.System(
            "hy-czt-hsm",
            "财政电子票据签章系统",
            "hy-czt",
            3,
            hardware_bound=True,
            notes="依赖国密签名服务器（加密机）",
            data_class="important",
        ),
    )
    add(
        "systems",
        model.System(
            "hy-rst-l4",
            "社会保障卡核心业务系统",
            "hy-rst",
            4,
            data_class="core",
            networks=("hy-rst-extranet",),
            users=3_000_000,
        ),
    )
    add(
        "systems",
        model.System(
            "hz-jtj-signal", "海州市交通信号实时控制系统", "hz-jtj", 2, latency_bound=True, users=60
        ),
    )
    add(
        "systems",
        model.System("hy-jtt-tunnel", "隧道机电实时监控系统", "hy-jtt", 2, latency_bound=True, users=40),
    )
    add(
        "systems",
        model.System(
            "hy-jyt-old-exam",
            "旧版考试报名系统（已停用）",
            "hy-jyt",
            2,
            status="idle",
            servers=("hy-jyt-small1",),
            users=0,
        ),
    )
    # new hardware: bought in 2025–2026, still sunk cost
    for n, owner in enumerate(("hy-zrzyt", "hy-scjgj")):
        room = f"{owner}-room1" if owner != "hy-scjgj" else "hy-scjgj-room-small"
        add(
            "servers",
            model.Server(
                f"{owner}-new{n + 1}",
                owner,
                room,
                f"{owner.split('-')[1]}-gpu-{n + 1}",
                serial=f"NEW-2025-{n:03d}",
                kind="physical",
                cpu_cores=64,
                memory_gb=512.0,
                storage_gb=8000.0,
                os="Kylin V10 SP3",
                cpu_p95_pct=35.0,
                mem_p95_pct=40.0,
                purchase_date=dt.date(2025, 11 - n, 15),
                purchase_value_cny=380_000.0,
                warranty_end=dt.date(2030, 11, 15),
            ),
        )
        add(
            "systems",
            model.System(
                f"{owner}-ai",
                "遥感影像智能解译平台" if n == 0 else "市场主体智能监管平台",
                owner,
                2,
                servers=(f"{owner}-new{n + 1}",),
                users=300,
            ),
        )
    # idle servers with no real work
    for n in range(4):
        add(
            "servers",
            model.Server(
                f"hy-zrzyt-idle{n + 1}",
                "hy-zrzyt",
                "hy-zrzyt-room1",
                f"zrzyt-old-{n + 1}",
                serial=f"IDLE-{n:03d}",
                kind="physical",
                cpu_cores=16,
                memory_gb=32.0,
                storage_gb=600.0,
                os="Windows Server 2008 R2",
                cpu_p95_pct=1.5,
                mem_p95_pct=8.0,
                purchase_date=dt.date(2014, 6, 1),
                purchase_value_cny=35_000.0,
                warranty_end=dt.date(2019, 6, 1),
            ),
        )
    # baseline weaknesses on real systems
    first_oa = sorted(s for s in S if S[s].category == "oa")[0]
    S[first_oa] = _replace(
        S[first_oa],
        mlps_level=3,
        admin_auth="password",
        backup=model.Backup(local=True, offsite=False),
        log_retention_days=90,
    )
    portal = sorted(s for s in S if S[s].category == "portal")[0]
    S[portal] = _replace(S[portal], exposed_ports=(22, 443, 3389), internet_facing=True)
    # duplicate-function systems beyond chance: make sure of ≥3 video conference and ≥2 email
    for owner, category, name in (
        ("hy-wjw", "video_conference", "卫健委视频会议系统"),
        ("hy-rst", "video_conference", "人社厅视频会议系统"),
        ("hz-zsj", "video_conference", "海州市视频会议系统"),
        ("hy-jyt", "email", "教育厅电子邮件系统"),
        ("hy-zrzyt", "email", "自然资源厅电子邮件系统"),
    ):
        ident = f"{owner}-{category.replace('_', '-')}"
        if ident not in S:
            add("systems", model.System(ident, name, owner, 2, category=category, users=500))


def _plant_equipment(b: _Builder) -> None:
    """Room equipment that is not a server (issue 25): a switch of the 教育厅 private network in
    its small room (the room closes once that network is cut over), switches and a firewall of
    the 交通厅 room's extranet access (the room stays while a system that stays uses it), and switches, storage
    and PDUs without a network in two rooms that close (the runbook lists them)."""
    sites = b.entities["sites"]
    for site_id, gear in (
        ("hy-jyt-room-small", (model.Equipment("network", 1, ("hy-jyt-private",), "接入交换机"),)),
        (
            "hy-jtt-room1",
            (
                model.Equipment(
                    "network", 4, ("hy-jtt-extranet", "hy-jtt-private"), "核心交换机 2，接入交换机 2"
                ),
                model.Equipment("security", 1, ("hy-jtt-extranet",), "防火墙"),
            ),
        ),
        (
            "hz-jtj-room1",
            (model.Equipment("network", 2, notes="交换机"), model.Equipment("other", 3, notes="PDU")),
        ),
        ("hy-zsj-room1", (model.Equipment("storage", 1, notes="存储阵列"),)),
    ):
        sites[site_id] = _replace(sites[site_id], equipment=gear)


_PLANTS = (_plant_rooms, _plant_lines, _plant_records, _plant_systems, _plant_equipment)


def _fraction(ident: str, salt: str) -> float:
    """A number in [0, 1) fixed by ``ident`` (the other draws of the region stay as they were)."""
    digest = hashlib.sha256(f"{salt}:{ident}".encode()).digest()
    return int.from_bytes(digest[:6], "big") / 2**48


def _lifecycle(b: _Builder) -> None:
    """The MLPS lifecycle of every ordinary system (classified ones are graded under 分级保护):
    定级 and 备案 for most (some never filed), the last 测评 (some level-3 ones overdue), and
    密评 for level 3 and above (some overdue, some never done)."""
    systems = b.entities["systems"]
    for ident, system in sorted(systems.items()):
        if system.classified:
            continue
        graded = AS_OF - dt.timedelta(days=400 + int(_fraction(ident, "graded") * 1500))
        filed = _fraction(ident, "filed") >= 0.08
        late = _fraction(ident, "late") < 0.15
        months = (
            (13 + 17 * _fraction(ident, "age"))
            if late or system.mlps_level < 3
            else 11 * _fraction(ident, "age")
        )
        assessed = max(graded, AS_OF - dt.timedelta(days=int(months * 30.4)))
        result = (
            "nonconform"
            if _fraction(ident, "result") < 0.05
            else ("basic" if _fraction(ident, "result") < 0.5 else "conform")
        )
        changes: dict[str, Any] = {
            "graded_on": graded,
            "filing_no": f"{system.owner.upper()}-{graded.year}{int(_fraction(ident, 'no') * 10**5):05d}"
            if filed
            else None,
            "assessed_on": assessed if filed else None,
            "assessment_result": result if filed else None,
        }
        if system.mlps_level >= 3 and filed:
            crypto = _fraction(ident, "crypto")
            if crypto >= 0.2:  # a fifth of them have never had a 密评
                age = 2 + (crypto - 0.2) * 20  # months: overdue beyond twelve
                changes["crypto_assessed_on"] = max(graded, AS_OF - dt.timedelta(days=int(age * 30.4)))
                changes["crypto_assessment_result"] = "conform" if crypto < 0.9 else "basic"
        systems[ident] = dataclasses.replace(system, **changes)


def _age_days(day: dt.date | None, as_of: dt.date) -> int:
    return (as_of - day).days if day else -1


def planted(ledger: model.Ledger) -> dict[str, Any]:
    """The planted features with their ids (what ``tests/fixtures/sample_planted.yaml`` records)."""
    S = ledger.systems
    return {
        "duplicate_rooms": ["hd-wjj-room-small", "hy-jyt-room-small", "hy-scjgj-room-small"],
        # departments with a room in the same carrier IDC each lease a line to the same access point
        "parallel_lines": sorted(
            ln.id
            for ln in ledger.lines.values()
            if ln.a_end.site
            and ledger.sites[ln.a_end.site].kind == "co_located"
            and ln.z_end.access_point == "ap-prov"
        ),
        "redundancy_group": ["hy-zsj-dual1", "hy-zsj-dual2"],
        "overlapping_networks": ["hy-jyt-private", "hy-wjw-private"],
        "server_in_two_ledgers": ["hy-scjgj-hosted-db", "hy-zsj-shared-db"],
        "server_twice_in_one_file": ["hy-rst-srv-dup-a", "hy-rst-srv-dup-b"],
        "site_recorded_twice": ["hy-wjw-room1", "hy-wjw-room1-old"],
        "oa_systems": sorted(s for s in S if S[s].category == "oa" and not S[s].classified),
        "video_conference_systems": sorted(s for s in S if S[s].category == "video_conference"),
        "email_systems": sorted(s for s in S if S[s].category == "email"),
        "idle_servers": [f"hy-zrzyt-idle{n}" for n in range(1, 5)],
        "idle_systems": ["hy-jyt-old-exam"],
        "new_hardware": ["hy-scjgj-new2", "hy-zrzyt-new1"],
        "classified_systems": ["hy-czt-secret", "hy-gat-jingwu", "hy-gat-secret"],
        "classified_networks": ["hy-czt-sm", "hy-gat-sm"],
        "national_vertical_networks": ["hy-gat-gaw", "hy-rst-jinbao"],
        "latency_bound_systems": ["hy-jtt-tunnel", "hz-jtj-signal"],
        "hardware_bound_systems": ["hy-czt-hsm"],
        "level4_systems": ["hy-rst-l4"],
        "room_equipment": sorted(s.id for s in ledger.sites.values() if s.equipment),
        # the MLPS lifecycle: never filed (备案), level-3 测评 older than a year
        "unfiled_systems": sorted(s for s in S if not S[s].classified and S[s].filing_no is None),
        "overdue_assessments": sorted(
            s for s in S if S[s].mlps_level == 3 and _age_days(S[s].assessed_on, ledger.region.as_of) > 365
        ),
    }


def measured_density(ledger: model.Ledger) -> dict[str, float | int]:
    """What a ledger's density came out as: servers per system, dependencies per system, the
    share (%) of dependencies across departments and across levels, and tight ones."""
    systems = ledger.systems
    level = {
        d.id: ("city" if d.level in ("city", "county") else "province") for d in ledger.departments.values()
    }
    deps = [(s, d) for s in systems.values() for d in s.dependencies if d.system in systems]
    cross = sum(1 for s, d in deps if systems[d.system].owner != s.owner)
    levels = sum(1 for s, d in deps if level.get(systems[d.system].owner) != level.get(s.owner))
    return {
        "servers_per_system": round(len(ledger.servers) / max(1, len(systems)), 1),
        "deps_per_system": round(len(deps) / max(1, len(systems)), 2),
        "cross_department_pct": round(100 * cross / max(1, len(deps)), 1),
        "cross_level_pct": round(100 * levels / max(1, len(deps)), 1),
        "tight": sum(1 for _, d in deps if d.tight),
    }


def department_file(department: model.Department) -> str:
    """Where a department's file goes in the sample layout: Chinese names, a city's
    departments in a folder of the city."""
    if department.level == "province":
        return f"departments/{department.name}.yaml"
    return f"departments/{CITY}/{department.name}.yaml"


def iter_counts(ledger: model.Ledger) -> Iterator[tuple[str, int]]:
    for kind in model.ENTITY_KINDS:
        yield kind, len(getattr(ledger, kind))


HEADER = (
    "# 虚构示例数据，由 `govcloud generate` 生成；请勿当作真实台账。\n"
    "# Fictional sample data generated by `govcloud generate`; not a real ledger.\n"
)


class OutputNotEmpty(GovcloudError):
    """The output folder already holds ledger files and overwriting was not asked for."""

    kind = "output"


def write_region(ledger: model.Ledger, out: Path, overwrite: bool = False) -> list[Path]:
    """Write ``ledger`` in the sample layout under ``out``.

    An existing ledger there is replaced only with ``overwrite``: then its YAML files that this
    run does not write are removed too (they would be loaded with the new ones); nothing else
    in the folder is touched.
    """
    existing = sorted(out.rglob("*.yaml")) if out.exists() else []
    if existing and not overwrite:
        raise OutputNotEmpty(str(out))
    written = dump.write_layout(ledger, out, department_file, HEADER)
    for stale in set(existing) - set(written):
        stale.unlink()
    return written


def edit_servers(path: Path, servers: int) -> int:
    """Edit a written department file as an architect would between two runs: new measured
    utilisation for its first ``servers`` servers and twice the memory for those at 16 GB.
    Returns how many servers got a new utilisation (the benchmarks' and tests' edit loop)."""
    text = path.read_text(encoding="utf-8")
    count = 0

    def cpu(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"cpu_p95_pct: {61.5 + count}" if count <= servers else match.group(0)

    text = re.sub(r"cpu_p95_pct: [0-9.]+", cpu, text)
    text = re.sub(r"memory_gb: 16\.0", "memory_gb: 32.0", text, count=servers)
    path.write_text(text, encoding="utf-8")
    return min(count, servers)
