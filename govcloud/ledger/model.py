"""The typed model of a region's IT ledger (一本账).

Entities refer to each other by id.  Every entity remembers where it was read from
(:class:`Source`), which error messages and baseline findings quote; the source takes no part
in equality, so a ledger written out and read back compares equal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar


@dataclass(frozen=True, order=True, slots=True)
class Source:
    """Where an entity was read: a file and the path of its node inside that file."""

    file: str
    path: tuple[str | int, ...] = ()
    #: the line the node starts on, when the loader saw it (not part of a source's identity)
    line: int | None = field(default=None, compare=False)
    #: ``file`` relative to the ledger's root (POSIX; a one-file ledger: its name), made once
    #: when the ledger is loaded so that outputs do not depend on where it sits on disk
    relative: str = field(default="", compare=False)

    @property
    def shown(self) -> str:
        """The file as outputs name it: relative to the ledger's root when loaded from one."""
        return self.relative or self.file

    def pointer(self) -> str:
        """The path as a readable dotted pointer, e.g. ``servers[3].site``."""
        return format_path(self.path)


def format_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_NOWHERE = Source("")


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    name: str
    region_code: str
    as_of: dt.date
    name_en: str | None = None
    depreciation_years: int = 6
    address_plan: tuple[str, ...] = ()
    notes: str | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    level: str
    region_code: str
    name_en: str | None = None
    parent: str | None = None
    notes: str | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Equipment:
    """Network, security, storage or other equipment in a room that is not a server: it must go
    before the room closes, and it holds the room while a network it serves is still needed."""

    kind: str
    count: int = 1
    #: the networks it serves (their switches, firewalls, encryptors)
    networks: tuple[str, ...] = ()
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    name: str
    owner: str
    kind: str
    name_en: str | None = None
    address: str | None = None
    region_code: str | None = None
    district: str | None = None
    racks: int | None = None
    racks_used: int | None = None
    power_kw: float | None = None
    pue: float | None = None
    #: what the room costs a year (power, upkeep, lease); None: not recorded (the plan then
    #: estimates it from ``prices.as_is``, see govcloud/plan/basis.py)
    yearly_cost_cny: float | None = None
    contract_end: dt.date | None = None
    utilisation_pct: float | None = None
    power_redundancy: str | None = None
    log_retention_days: int | None = None
    bastion: bool | None = None
    #: progress: the day the room was closed (the plan no longer schedules it)
    closed_on: dt.date | None = None
    notes: str | None = None
    #: room equipment that is not a server (issue 25): switches, firewalls, storage arrays …
    equipment: tuple[Equipment, ...] = ()
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Server:
    id: str
    owner: str
    site: str
    hostname: str
    serial: str | None = None
    ips: tuple[str, ...] = ()
    mgmt_ip: str | None = None
    kind: str = "physical"
    cpu_cores: int = 0
    memory_gb: float = 0.0
    storage_gb: float = 0.0
    os: str | None = None
    arch: str = "x86_64"
    cpu_p95_pct: float | None = None
    mem_p95_pct: float | None = None
    purchase_date: dt.date | None = None
    purchase_value_cny: float | None = None
    warranty_end: dt.date | None = None
    maintenance_cny: float = 0.0
    notes: str | None = None
    mac: str | None = None
    asset_tag: str | None = None
    status: str = "running"
    role: str | None = None
    net_p95_mbps: float | None = None
    metrics_days: int | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Network:
    id: str
    name: str
    owner: str
    kind: str
    name_en: str | None = None
    cidrs: tuple[str, ...] = ()
    vlans: tuple[int, ...] = ()
    sites: tuple[str, ...] = ()
    ministry: str | None = None
    #: progress: the day the network was cut over to the e-government extranet
    cut_over_on: dt.date | None = None
    notes: str | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class LineEnd:
    """One end of a line: a site, an extranet access point, a cloud node or a bare address."""

    site: str | None = None
    access_point: str | None = None
    cloud_node: str | None = None
    address: str | None = None
    region_code: str | None = None

    @property
    def empty(self) -> bool:
        """True only for an end whose fields were all rejected (a valid ledger has none)."""
        return not any((self.site, self.access_point, self.cloud_node, self.address))

    def ref(self) -> tuple[str, str]:
        """``(kind, id-or-address)`` of what this end names."""
        for kind in ("site", "access_point", "cloud_node", "address"):
            value = getattr(self, kind)
            if value is not None:
                return kind, value
        raise ValueError("a line end names nothing")


@dataclass(frozen=True, slots=True)
class Line:
    id: str
    owner: str
    carrier: str
    bandwidth_mbps: float
    a_end: LineEnd
    z_end: LineEnd
    name: str | None = None
    name_en: str | None = None
    technology: str | None = None
    monthly_fee_cny: float = 0.0
    contract_end: dt.date | None = None
    network: str | None = None
    redundancy_group: str | None = None
    encryption: str | None = None
    #: progress: the day the line was cancelled
    cancelled_on: dt.date | None = None
    notes: str | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)

    @property
    def yearly_fee_cny(self) -> float:
        return self.monthly_fee_cny * 12


@dataclass(frozen=True, slots=True)
class Dependency:
    system: str
    protocol: str = "tcp"
    port: int | None = None
    tight: bool = False


@dataclass(frozen=True, slots=True)
class Backup:
    local: bool = False
    offsite: bool = False
    realtime: bool = False
    #: the room holding the off-site copy today (灾备机房), when it is one of the ledger's rooms
    site: str | None = None


@dataclass(frozen=True, slots=True)
class System:
    id: str
    name: str
    owner: str
    mlps_level: int
    name_en: str | None = None
    category: str = "business"
    classification: str = "none"
    data_class: str = "general"
    status: str = "running"
    servers: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    rto_hours: float | None = None
    rpo_hours: float | None = None
    internet_facing: bool = False
    exposed_ports: tuple[int, ...] = ()
    latency_bound: bool = False
    hardware_bound: bool = False
    users: int | None = None
    admin_auth: str | None = None
    bastion: bool | None = None
    log_retention_days: int | None = None
    backup: Backup | None = None
    ha: str | None = None
    storage_encryption: str | None = None
    #: 信创: the system must run on a domestic IT stack (only a node with ``xinchuang`` takes it)
    xinchuang: bool = False
    #: progress: the day the system went live on a cloud node, and which node
    migrated_on: dt.date | None = None
    migrated_to: str | None = None
    #: progress: the day the system was switched off for good
    retired_on: dt.date | None = None
    #: progress: the number of the plan's wave it migrated or retired in (a stable id: a
    #: re-plan keeps done waves with their numbers and numbers the rest after them)
    wave: int | None = None
    notes: str | None = None
    #: who runs it today: the department, the operations centre or a vendor (and its name)
    operator: str | None = None
    operator_name: str | None = None
    #: yearly operations: staff (full-time equivalents), outsourcing and licences
    ops_staff_fte: float = 0.0
    ops_outsourcing_cny: float = 0.0
    licence_cny: float = 0.0
    # the MLPS lifecycle (等保 定级、备案、测评 and 密评): when the level was set, the filing
    # number, the last assessment and the last commercial-crypto assessment
    graded_on: dt.date | None = None
    filing_no: str | None = None
    assessed_on: dt.date | None = None
    assessment_result: str | None = None
    crypto_assessed_on: dt.date | None = None
    crypto_assessment_result: str | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)

    @property
    def classified(self) -> bool:
        return self.classification != "none"


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    name: str | None = None
    name_en: str | None = None
    notes: str | None = None
    #: the zone of the same node that takes this zone's standbys (paired zones)
    recovery_zone: str | None = None


@dataclass(frozen=True, slots=True)
class Capacity:
    vcpus: int | None = None
    memory_gb: float | None = None
    storage_gb: float | None = None


@dataclass(frozen=True, slots=True)
class CloudNode:
    id: str
    name: str
    provider: str
    region: str
    zones: tuple[Zone, ...]
    certified_mlps_level: int
    name_en: str | None = None
    kind: str = "provincial"
    region_code: str | None = None
    site: str | None = None
    capacity: Capacity = Capacity()
    xinchuang: bool = False
    archs: tuple[str, ...] = ("x86_64",)
    multi_tenant: bool = True
    notes: str | None = None
    #: the node that holds this node's off-site recovery copies and cross-node standbys
    recovery_node: str | None = None
    #: the provider region for off-site copies when no node of the ledger is paired
    recovery_region: str | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AccessPoint:
    id: str
    name: str
    bandwidth_mbps: float
    name_en: str | None = None
    level: str | None = None
    region_code: str | None = None
    site: str | None = None
    address: str | None = None
    notes: str | None = None
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class InstanceType:
    cloud_node: str
    name: str
    vcpus: int
    memory_gb: float
    monthly_cny: float
    arch: str = "x86_64"


@dataclass(frozen=True, slots=True)
class Image:
    """A cloud node's image for one OS family and CPU architecture (the image catalogue)."""

    cloud_node: str
    os_family: str
    arch: str
    image_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class StoragePrice:
    cloud_node: str
    tier: str
    gb_month_cny: float


@dataclass(frozen=True, slots=True)
class MigrationPrices:
    per_server_cny: float = 0.0
    per_tb_cny: float = 0.0
    per_system_cny: float = 0.0
    #: one-off cost of retiring a system: data export, archiving and switching its users
    per_retired_system_cny: float = 0.0
    #: one-off cost of porting a system to another OS or architecture (replatform)
    per_ported_system_cny: float = 0.0


@dataclass(frozen=True, slots=True)
class AsIsPrices:
    """Unit costs of today's estate, used only for what the ledger records no cost of (each
    estimate is marked assumed; docs/plan.md, "As-is cost where the ledger records none")."""

    #: a room's fixed yearly cost: air conditioning, UPS, fire protection, duty staff
    room_year_cny: float = 0.0
    #: yearly space and cooling of one rack in use (``racks_used``, else ``racks``)
    rack_year_cny: float = 0.0
    #: yearly maintenance of one physical server
    server_maintenance_year_cny: float = 0.0
    #: yearly hardware renewal (depreciation) of one physical server without a purchase value
    server_depreciation_year_cny: float = 0.0
    #: power one physical server draws (kW), paid at ``electricity_cny_per_kwh`` times its
    #: room's PUE (``default_pue`` when not recorded) where the room's own cost is estimated
    server_power_kw: float = 0.0
    electricity_cny_per_kwh: float = 0.0
    default_pue: float = 1.8
    #: a virtual server's yearly share of its host, hypervisor licences and power per vCPU, in
    #: a department that records no server's cost (elsewhere its host's cost is recorded)
    vcpu_year_cny: float = 0.0


@dataclass(frozen=True, slots=True)
class Prices:
    currency: str = "CNY"
    example: bool = True
    instance_types: tuple[InstanceType, ...] = ()
    storage: tuple[StoragePrice, ...] = ()
    extranet_mbps_month_cny: float = 0.0
    migration: MigrationPrices = MigrationPrices()
    #: yearly cost of one operations staff member (full-time equivalent)
    ops_staff_fte_year_cny: float = 0.0
    images: tuple[Image, ...] = ()
    #: unit costs of today's estate for what the ledger records no cost of
    as_is: AsIsPrices = AsIsPrices()
    source: Source = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Totals:
    """What a department (or the region) has and what it costs per year, as recorded."""

    sites: int = 0
    servers: int = 0
    physical_servers: int = 0
    cores: int = 0
    memory_gb: float = 0.0
    storage_gb: float = 0.0
    networks: int = 0
    lines: int = 0
    bandwidth_mbps: float = 0.0
    systems: int = 0
    room_cost_cny: float = 0.0
    line_cost_cny: float = 0.0
    depreciation_cny: float = 0.0
    maintenance_cny: float = 0.0
    #: operations of systems: staff, outsourcing and licences
    operations_cny: float = 0.0

    @property
    def yearly_cost_cny(self) -> float:
        return (
            self.room_cost_cny
            + self.line_cost_cny
            + self.depreciation_cny
            + self.maintenance_cny
            + self.operations_cny
        )

    def __add__(self, other: Totals) -> Totals:
        return Totals(**{f: getattr(self, f) + getattr(other, f) for f in _TOTAL_FIELDS})


def yearly_depreciation(server: Server, as_of: dt.date, years: int) -> float:
    """Straight-line depreciation of a server in the year after ``as_of`` (0 once written off)."""
    if server.purchase_value_cny is None or server.purchase_date is None:
        return 0.0
    if server.purchase_date > as_of:
        return 0.0
    written_off = add_years(server.purchase_date, years)
    return server.purchase_value_cny / years if as_of < written_off else 0.0


def operations_cny(system: System, prices: Prices) -> float:
    """A system's yearly operations cost: its staff at the price of a staff year, its
    outsourcing and its licences."""
    return (
        system.ops_staff_fte * prices.ops_staff_fte_year_cny + system.ops_outsourcing_cny + system.licence_cny
    )


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


E = TypeVar("E")


def _frozen(items: Mapping[str, E]) -> Mapping[str, E]:
    return MappingProxyType(dict(sorted(items.items())))


@dataclass(frozen=True)
class Ledger:
    """A whole region: every entity kind keyed by id, in id order."""

    region: Region
    departments: Mapping[str, Department]
    sites: Mapping[str, Site]
    servers: Mapping[str, Server]
    networks: Mapping[str, Network]
    lines: Mapping[str, Line]
    systems: Mapping[str, System]
    cloud_nodes: Mapping[str, CloudNode]
    access_points: Mapping[str, AccessPoint]
    prices: Prices = Prices()
    #: what an import assumed (the files' ``assumptions:``): field → ``kind:id`` of each entry
    assumed: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    def __post_init__(self) -> None:
        for name in ENTITY_KINDS:
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "assumed", _frozen(self.assumed))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        same_maps = all(dict(getattr(self, k)) == dict(getattr(other, k)) for k in ENTITY_KINDS)
        return same_maps and self.region == other.region and self.prices == other.prices

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Callable[[dict[str, Any]], Ledger], tuple[dict[str, Any]]]:
        """Pickle as the constructor's arguments: the read-only maps are views that pickle
        cannot store (the warm cache, :mod:`govcloud.cache`, keeps loaded ledgers)."""
        fields = {name: dict(getattr(self, name)) for name in ENTITY_KINDS}
        state = {"region": self.region, "prices": self.prices, "assumed": dict(self.assumed), **fields}
        return (_ledger_from, (state,))

    def totals(self, department: str | None = None) -> Totals:
        """Totals of one department, or of the whole region when ``department`` is None."""
        if department is None:
            return sum(self.totals_by_department().values(), Totals())
        return self.totals_by_department().get(department, Totals())

    def totals_by_department(self) -> dict[str, Totals]:
        """Totals of every department that owns something, in one pass over the ledger, made
        once (the ledger does not change: the summary and the plan's costs both ask)."""
        found: dict[str, Totals] | None = self.__dict__.get("_totals_by_department")
        if found is None:
            found = self._totals_by_department()
            object.__setattr__(self, "_totals_by_department", found)  # not a field: never compared
        return dict(found)

    def _totals_by_department(self) -> dict[str, Totals]:
        region = self.region
        # running sums per department and field, in the order ``Totals.__add__`` would add
        # them (a field an entity does not give would add 0, which changes no sum), made
        # into one Totals per department at the end rather than two per entity
        # (every field starts at its default, so a department without servers, say, has the
        # same Totals as when its server fields were left out)
        sums: dict[str, dict[str, Any]] = {}

        def of(owner: str) -> dict[str, Any]:
            current = sums.get(owner)
            if current is None:
                current = sums[owner] = dict(_TOTAL_ZERO)
            return current

        for site in self.sites.values():
            c = of(site.owner)
            c["sites"] += 1
            c["room_cost_cny"] += site.yearly_cost_cny or 0.0
        as_of, years = region.as_of, region.depreciation_years
        for s in self.servers.values():
            c = of(s.owner)
            c["servers"] += 1
            c["physical_servers"] += int(s.kind == "physical")
            c["cores"] += s.cpu_cores
            c["memory_gb"] += s.memory_gb
            c["storage_gb"] += s.storage_gb
            c["depreciation_cny"] += yearly_depreciation(s, as_of, years)
            c["maintenance_cny"] += s.maintenance_cny
        for network in self.networks.values():
            of(network.owner)["networks"] += 1
        for line in self.lines.values():
            c = of(line.owner)
            c["lines"] += 1
            c["bandwidth_mbps"] += line.bandwidth_mbps
            c["line_cost_cny"] += line.yearly_fee_cny
        for system in self.systems.values():
            c = of(system.owner)
            c["systems"] += 1
            c["operations_cny"] += operations_cny(system, self.prices)
        return {owner: Totals(**fields) for owner, fields in sorted(sums.items())}

    def entities(self) -> Iterator[tuple[str, object]]:
        """Every entity as ``(kind, entity)``, kinds in model order, ids sorted."""
        for kind in ENTITY_KINDS:
            for entity in getattr(self, kind).values():
                yield kind, entity

    def owned_by(self, department: str) -> dict[str, list[object]]:
        """The entities a department owns, by kind."""
        return {
            kind: [e for e in getattr(self, kind).values() if getattr(e, "owner", None) == department]
            for kind in OWNED_KINDS
        }


#: entity collections of a ledger, in the order files and outputs list them
ENTITY_KINDS: tuple[str, ...] = (
    "departments",
    "sites",
    "servers",
    "networks",
    "lines",
    "systems",
    "cloud_nodes",
    "access_points",
)


def _ledger_from(fields: dict[str, Any]) -> Ledger:
    return Ledger(**fields)


_TOTAL_FIELDS = tuple(f.name for f in dataclasses.fields(Totals))
#: each field's zero, as ``Totals()`` holds it (an int's 0, a float's 0.0)
_TOTAL_ZERO: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Totals)}

#: kinds that belong to a department through their ``owner`` field
OWNED_KINDS: tuple[str, ...] = ("sites", "servers", "networks", "lines", "systems")
