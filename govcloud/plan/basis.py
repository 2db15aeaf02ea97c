"""The as-is cost where the ledger records none (docs/plan.md, "As-is cost where the ledger
records none").

Real ledgers (an equipment list, a CMDB export) rarely say what a room or a server costs a
year.  Counted as nothing, today's estate would look free and every consolidation would look
like a loss.  So, as TCO calculators do, what is not recorded is estimated from the unit costs
of the price table's ``as_is:`` section, and each estimate says it is one:

- a **room** (not a cloud node) whose ``yearly_cost_cny`` is not recorded: ``room_year_cny``
  plus ``rack_year_cny`` per rack in use (``racks_used``, else ``racks``);
- a **physical server** (not in a cloud node) with neither a purchase value nor maintenance
  recorded — the same test as the confidence's ``cost`` factor: ``server_depreciation_year_cny``
  (hardware renewal) and ``server_maintenance_year_cny``, plus its power
  (``server_power_kw`` × the room's PUE, else ``default_pue``, × 8,760 h ×
  ``electricity_cny_per_kwh``) where its room's cost is estimated too (a recorded room's cost
  includes its power);
- a **virtual server** (not in a cloud node) of a department that records no server's cost:
  ``vcpu_year_cny`` per vCPU (at least one), its share of a host, hypervisor licences and power
  (elsewhere its host's cost is in the ledger).

A room or department that records its cost keeps it.  What is not recorded and has no unit
cost to estimate it by stays out of the as-is and is counted as *unrecorded*; when nothing of
today's cost is known at all, the saving is unknown, not negative (:attr:`Basis.saving_known`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from govcloud.i18n import Lang, join_list, number, t, tn
from govcloud.ledger import model

HOURS_PER_YEAR = 8760
#: the price-table entries an estimate can use, in the order outputs list them
ENTRIES = (
    "room_year_cny",
    "rack_year_cny",
    "server_maintenance_year_cny",
    "server_depreciation_year_cny",
    "server_power_kw",
    "electricity_cny_per_kwh",
    "vcpu_year_cny",
)


@dataclass(frozen=True)
class ServerEstimate:
    """A server's estimated yearly cost: hardware renewal, and maintenance with power."""

    depreciation_cny: float
    upkeep_cny: float

    @property
    def yearly_cny(self) -> float:
        return self.depreciation_cny + self.upkeep_cny


@dataclass(frozen=True)
class Basis:
    """What of the as-is is estimated, by room and server id (only estimated ones)."""

    rooms: dict[str, float] = field(default_factory=dict)
    servers: dict[str, ServerEstimate] = field(default_factory=dict)
    #: the ``prices.as_is`` entries the estimates used
    entries: tuple[str, ...] = ()
    #: rooms and servers that record no cost and that no unit cost estimates
    unrecorded_rooms: tuple[str, ...] = ()
    unrecorded_servers: tuple[str, ...] = ()
    #: the ledger records some of today's cost, or estimates give some
    saving_known: bool = True

    def room_cny(self, site: model.Site) -> float:
        """A room's yearly cost: as recorded, else as estimated (0 when neither)."""
        if site.yearly_cost_cny is not None:
            return site.yearly_cost_cny
        return self.rooms.get(site.id, 0.0)

    def server(self, server_id: str) -> ServerEstimate | None:
        return self.servers.get(server_id)

    @property
    def estimated(self) -> bool:
        return bool(self.rooms or self.servers)

    def by_department(self, ledger: model.Ledger) -> dict[str, float]:
        """The estimated yearly cost per department."""
        out: dict[str, float] = defaultdict(float)
        for site_id, cny in self.rooms.items():
            out[ledger.sites[site_id].owner] += cny
        for server_id, estimate in self.servers.items():
            out[ledger.servers[server_id].owner] += estimate.yearly_cny
        return dict(out)

    def total_cny(self) -> float:
        return float(sum(self.rooms.values()) + sum(e.yearly_cny for e in self.servers.values()))


def basis(ledger: model.Ledger) -> Basis:
    """Estimate what the ledger records no cost of, from ``ledger.prices.as_is``.

    >>> import datetime as dt
    >>> prices = model.Prices(as_is=model.AsIsPrices(room_year_cny=30000.0, rack_year_cny=10000.0,
    ...     server_maintenance_year_cny=3000.0, server_power_kw=0.5, electricity_cny_per_kwh=1.0))
    >>> room = model.Site("r1", "Room", "d1", "self_built", racks=2, pue=2.0)
    >>> server = model.Server("s1", "d1", "r1", "h1")
    >>> ledger = model.Ledger(model.Region("x", "X", "000000", dt.date(2026, 1, 1)), {}, {"r1": room},
    ...     {"s1": server}, {}, {}, {}, {}, {}, prices)
    >>> found = basis(ledger)
    >>> found.rooms, found.servers["s1"].yearly_cny, found.entries
    ({'r1': 50000.0}, 11760.0, ('room_year_cny', 'rack_year_cny', 'server_maintenance_year_cny', 'server_power_kw', 'electricity_cny_per_kwh'))
    >>> without_units = model.Ledger(ledger.region, {}, {"r1": room}, {"s1": server}, {}, {}, {}, {}, {})
    >>> basis(without_units).saving_known, basis(without_units).unrecorded_servers
    (False, ('s1',))
    """
    unit = ledger.prices.as_is
    cloud_rooms = {s.id for s in ledger.sites.values() if s.kind == "cloud_node"}
    used: set[str] = set()
    rooms: dict[str, float] = {}
    unrecorded_rooms: list[str] = []
    for site in ledger.sites.values():
        if site.yearly_cost_cny is not None or site.id in cloud_rooms:
            continue
        racks = site.racks_used if site.racks_used is not None else site.racks or 0
        cny = unit.room_year_cny + unit.rack_year_cny * racks
        if cny > 0:
            rooms[site.id] = float(cny)
            used.update(
                name
                for name, value in (
                    ("room_year_cny", unit.room_year_cny),
                    ("rack_year_cny", unit.rack_year_cny * racks),
                )
                if value
            )
        else:
            unrecorded_rooms.append(site.id)
    # one pass: the departments that record a server's cost, and the servers that record none
    costed: set[str] = set()
    bare: list[model.Server] = []
    for server in ledger.servers.values():
        if server.purchase_value_cny is not None or server.maintenance_cny > 0:
            costed.add(server.owner)
        elif server.site not in cloud_rooms:
            bare.append(server)
    power_cny = unit.server_power_kw * HOURS_PER_YEAR * unit.electricity_cny_per_kwh
    servers: dict[str, ServerEstimate] = {}
    parts: tuple[tuple[str, float], ...]
    unrecorded_servers: list[str] = []
    for server in bare:
        if server.kind == "physical":
            room = ledger.sites.get(server.site)
            powered = room is not None and room.id in rooms
            power = power_cny * ((room.pue if room and room.pue else unit.default_pue) if powered else 0.0)
            upkeep = unit.server_maintenance_year_cny + power
            estimate = ServerEstimate(unit.server_depreciation_year_cny, upkeep)
            parts = (
                ("server_maintenance_year_cny", unit.server_maintenance_year_cny),
                ("server_depreciation_year_cny", unit.server_depreciation_year_cny),
                ("server_power_kw", power),
                ("electricity_cny_per_kwh", power),
            )
        elif server.owner not in costed:
            estimate = ServerEstimate(0.0, unit.vcpu_year_cny * max(1, server.cpu_cores))
            parts = (("vcpu_year_cny", unit.vcpu_year_cny),)
        else:
            continue  # its host's cost is recorded
        if estimate.yearly_cny > 0:
            servers[server.id] = estimate
            used.update(name for name, value in parts if value)
        else:
            unrecorded_servers.append(server.id)
    # the saving is unknown only when nothing at all of today's cost is known: no estimate,
    # and no room, server, line or system that records one
    known = (
        bool(rooms or servers or costed)
        or not (unrecorded_rooms or unrecorded_servers)
        or any(site.yearly_cost_cny is not None for site in ledger.sites.values())
        or any(line.monthly_fee_cny > 0 for line in ledger.lines.values())
        or any(model.operations_cny(system, ledger.prices) > 0 for system in ledger.systems.values())
    )
    return Basis(
        rooms,
        servers,
        tuple(e for e in ENTRIES if e in used),
        tuple(unrecorded_rooms),
        tuple(unrecorded_servers),
        known,
    )


def notes(
    estimated_cny: float,
    entries: list[str],
    rooms: int,
    servers: int,
    unrecorded_rooms: int,
    unrecorded_servers: int,
    lang: Lang,
) -> list[str]:
    """What of the as-is is estimated (and from which ``prices.as_is`` entries) and what is not
    counted, for people: the terminal, plan.md and the report (none when every cost is recorded)."""
    out: list[str] = []

    def counted(n_rooms: int, n_servers: int) -> dict[str, str]:
        """``what``: "2 rooms and 3 servers", without a part that counts none."""
        parts = [tn("plan.basis.rooms", n_rooms, lang)] if n_rooms else []
        parts += [tn("plan.basis.servers", n_servers, lang)] if n_servers else []
        return {"what": join_list(parts, lang, conjunction=True)}

    if rooms or servers:
        out.append(
            t(
                "plan.basis.estimated",
                lang,
                cny=number(estimated_cny, lang),
                entries=join_list(entries, lang),
                **counted(rooms, servers),
            )
        )
    if unrecorded_rooms or unrecorded_servers:
        out.append(t("plan.basis.unrecorded", lang, **counted(unrecorded_rooms, unrecorded_servers)))
    return out
