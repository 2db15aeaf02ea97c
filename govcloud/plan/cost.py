"""Cost-benefit: as-is yearly cost against to-be, the one-off migration cost, payback and a
five-year comparison, per department and in total.

As-is is the ledger's yearly cost (rooms with their power, lines, depreciation and
maintenance contracts of servers, operations of systems), so the plan
reconciles with ``govcloud ledger``, plus what :mod:`govcloud.plan.basis` estimated for rooms
and servers that record no cost (``as_is_estimated_cny``; the same estimates count in to-be
for the rooms and servers still in use).  To-be is what is still paid after the last wave: cloud
resources at the price table (relocated servers are not paid again as instances, see
:mod:`govcloud.plan.pricing`), rooms and lines that stay open, extranet bandwidth for private
networks moved onto the extranet, and depreciation and maintenance of hardware still in use.  The one-off cost counts
migration per server, TB and system, and retiring and porting per system.  The month-by-month
view (savings from each cut-over, double running, contract exits) is :mod:`govcloud.plan.cashflow`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from govcloud.ledger import model
from govcloud.plan.basis import Basis, basis

YEARS = 5


@dataclass
class Cost:
    as_is_cny: float = 0.0
    #: the part of ``as_is_cny`` estimated from the price table's unit costs (not recorded)
    as_is_estimated_cny: float = 0.0
    cloud_cny: float = 0.0
    rooms_cny: float = 0.0
    lines_cny: float = 0.0
    extranet_cny: float = 0.0
    depreciation_cny: float = 0.0
    maintenance_cny: float = 0.0
    #: operations of systems still run (staff, outsourcing, licences), see plan/operators.py
    operations_cny: float = 0.0
    one_off_cny: float = 0.0
    moving_servers: int = 0
    moving_systems: int = 0
    data_tb: float = 0.0

    @property
    def to_be_cny(self) -> float:
        return (
            self.cloud_cny
            + self.rooms_cny
            + self.lines_cny
            + self.extranet_cny
            + self.depreciation_cny
            + self.maintenance_cny
            + self.operations_cny
        )

    @property
    def yearly_saving_cny(self) -> float:
        return self.as_is_cny - self.to_be_cny

    @property
    def payback_years(self) -> float | None:
        """Years until the one-off cost is paid back; None when the plan does not save.

        >>> cost = Cost(as_is_cny=100.0, cloud_cny=40.0, rooms_cny=10.0, one_off_cny=100.0)
        >>> cost.to_be_cny, cost.yearly_saving_cny, cost.payback_years
        (50.0, 50.0, 2.0)
        >>> Cost(as_is_cny=10.0, cloud_cny=40.0).payback_years is None
        True
        """
        if self.yearly_saving_cny <= 0:
            return None
        return self.one_off_cny / self.yearly_saving_cny

    def five_years(self) -> list[dict[str, float]]:
        """Cumulative cost year by year, as-is against to-be (the one-off paid in year 1).

        >>> Cost(as_is_cny=100.0, cloud_cny=50.0, one_off_cny=80.0).five_years()[:2]
        [{'year': 1, 'as_is_cny': 100.0, 'to_be_cny': 130.0}, {'year': 2, 'as_is_cny': 200.0, 'to_be_cny': 180.0}]
        """
        return [
            {"year": y, "as_is_cny": self.as_is_cny * y, "to_be_cny": self.to_be_cny * y + self.one_off_cny}
            for y in range(1, YEARS + 1)
        ]


@dataclass
class CostInputs:
    """What the planner decided, as the cost model needs it."""

    cloud_monthly_by_department: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    open_rooms: set[str] = field(default_factory=set)
    kept_lines: set[str] = field(default_factory=set)
    extranet_mbps_by_department: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    running_servers: set[str] = field(default_factory=set)
    moving_servers: set[str] = field(default_factory=set)
    moving_systems: set[str] = field(default_factory=set)
    #: systems retired (data export, archiving, switching users) and ported (replatform)
    retiring_systems: set[str] = field(default_factory=set)
    porting_systems: set[str] = field(default_factory=set)
    #: yearly operations cost after the move, per department
    operations_by_department: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def costs(ledger: model.Ledger, inputs: CostInputs, estimated: Basis | None = None) -> dict[str, Cost]:
    """Cost per department (every department of the ledger, in id order); ``estimated``:
    the as-is estimated where the ledger records none (worked out here when not given).
    The sets are summed in id order: a float sum in a set's order, which changes with the
    process's string hashing, could differ in its last digit from one run to the next."""
    region = ledger.region
    prices = ledger.prices
    estimated = basis(ledger) if estimated is None else estimated
    by_department = ledger.totals_by_department()
    guessed = estimated.by_department(ledger)
    out = {
        d: Cost(
            as_is_cny=by_department.get(d, model.Totals()).yearly_cost_cny + guessed.get(d, 0.0),
            as_is_estimated_cny=guessed.get(d, 0.0),
        )
        for d in ledger.departments
    }
    for d, yearly in inputs.operations_by_department.items():
        out[d].operations_cny += yearly
    for d, monthly in inputs.cloud_monthly_by_department.items():
        out[d].cloud_cny += monthly * 12
    for site_id in sorted(inputs.open_rooms):
        site = ledger.sites[site_id]
        out[site.owner].rooms_cny += estimated.room_cny(site)
    for line_id in sorted(inputs.kept_lines):
        line = ledger.lines[line_id]
        out[line.owner].lines_cny += line.yearly_fee_cny
    for d, mbps in inputs.extranet_mbps_by_department.items():
        out[d].extranet_cny += mbps * prices.extranet_mbps_month_cny * 12
    for server_id in sorted(inputs.running_servers):
        server = ledger.servers[server_id]
        out[server.owner].depreciation_cny += model.yearly_depreciation(
            server, region.as_of, region.depreciation_years
        )
        out[server.owner].maintenance_cny += server.maintenance_cny
        guess = estimated.server(server_id)
        if guess is not None:
            out[server.owner].depreciation_cny += guess.depreciation_cny
            out[server.owner].maintenance_cny += guess.upkeep_cny
    for server_id in sorted(inputs.moving_servers):
        server = ledger.servers[server_id]
        cost = out[server.owner]
        cost.moving_servers += 1
        cost.data_tb += server.storage_gb / 1024
        cost.one_off_cny += (
            prices.migration.per_server_cny + server.storage_gb / 1024 * prices.migration.per_tb_cny
        )
    for system_id in sorted(inputs.moving_systems):
        cost = out[ledger.systems[system_id].owner]
        cost.moving_systems += 1
        cost.one_off_cny += prices.migration.per_system_cny
    for system_id in sorted(inputs.retiring_systems):
        out[ledger.systems[system_id].owner].one_off_cny += prices.migration.per_retired_system_cny
    for system_id in sorted(inputs.porting_systems):
        out[ledger.systems[system_id].owner].one_off_cny += prices.migration.per_ported_system_cny
    return out


def total(costs_by_department: Iterable[Cost]) -> Cost:
    """The sum of departments' costs, field by field.

    >>> both = total([Cost(as_is_cny=1.0, moving_servers=2), Cost(as_is_cny=2.5, moving_servers=1)])
    >>> both.as_is_cny, both.moving_servers
    (3.5, 3)
    """
    out = Cost()
    for c in costs_by_department:
        for name in (
            "as_is_cny",
            "as_is_estimated_cny",
            "cloud_cny",
            "rooms_cny",
            "lines_cny",
            "extranet_cny",
            "depreciation_cny",
            "maintenance_cny",
            "operations_cny",
            "one_off_cny",
            "moving_servers",
            "moving_systems",
            "data_tb",
        ):
            setattr(out, name, getattr(out, name) + getattr(c, name))
    return out
