"""The cost case month by month, from the wave calendar (docs/plan.md, "Cash flow").

Month 0 is the calendar month of the day after the ledger's as-of date.  Each month compares
what the region would pay if nothing moved (as-is: rooms, lines, depreciation and maintenance,
the ledger's own figures) with what it pays under the plan:

- a moving system's cloud resources are paid from its wave's first month (the transfer and
  the parallel run need them) — **double running** until the old side goes;
- the old side (servers' depreciation and maintenance, rooms, lines) is paid until its
  **cut-over**: the month after the end of the wave that frees it, plus
  ``parallel_run_months`` as the fallback; savings start there;
- a relocated server keeps its depreciation and maintenance and is never paid as a cloud
  instance as well (:mod:`govcloud.plan.pricing`);
- extranet bandwidth replacing a private network is paid from its cut-over wave's start;
- one-off costs: migration per server, TB and system in the wave's first month; porting
  (replatform) in the same month; retirement (data export, user switch) at its cut-over.
- contracts: the calendar decides each room's lease and line contract that runs past the day
  it is freed (:mod:`govcloud.plan.contracts`, ``early_exit_penalty_months``): when leaving
  early saves more than the penalty, the fees stop at the cut-over and the penalty is a one-off
  ``lease-exit`` / ``line-exit`` cost; otherwise the fees run until the contract ends, no penalty.

Waves are found by their number (``plan.schedule`` keeps done waves with their numbers and runs
waves side by side), each with its own window.

Operations of systems (staff, outsourcing, licences) are paid as they are until the cut-over
that hands a system over, then at its to-be cost (:mod:`govcloud.plan.operators`).
Depreciation follows each server's write-off date, in both columns alike.  Costs are split
into ``opex`` (rooms, lines, extranet, cloud, maintenance, operations), ``depreciation`` (owned hardware)
and ``one_off`` (project spending, the capital side), per funding level (省/市/县, the owner's
level) and fiscal year (the calendar year).  The net present value discounts each month's
saving at ``discount_rate_pct`` a year; payback is the first month from which the cumulative
saving stays at or above zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from govcloud.ledger import model
from govcloud.plan import calendar
from govcloud.plan.contracts import exits
from govcloud.plan.decide import MOVING
from govcloud.plan.operators import operations
from govcloud.plan.planner import Plan
from govcloud.plan.pricing import price, standby_monthly
from govcloud.plan.recovery import standby_mode

#: cost categories of the cash flow
CATEGORIES = ("opex", "depreciation", "one_off")
#: kinds of one-off cost
ONE_OFF_KINDS = ("migration", "porting", "retirement", "line-exit", "lease-exit")


@dataclass(frozen=True)
class OneOff:
    kind: str
    id: str
    owner: str
    month: int
    cny: float


@dataclass(frozen=True)
class Month:
    """One month of the cash flow (all amounts in CNY)."""

    index: int
    start: dt.date
    as_is: float
    opex: float
    depreciation: float
    one_off: float

    @property
    def to_be(self) -> float:
        return self.opex + self.depreciation + self.one_off

    @property
    def saving(self) -> float:
        return self.as_is - self.to_be


@dataclass(frozen=True)
class SunkCostRoom:
    """A room kept open only by young hardware: its cost until then against the book value."""

    room: str
    servers: tuple[str, ...]
    until: dt.date
    book_value_cny: float
    room_cost_cny: float

    @property
    def close_early(self) -> bool:
        """Closing the room now (writing the hardware off or moving it) costs less."""
        return self.room_cost_cny > self.book_value_cny


@dataclass
class CashFlow:
    months: list[Month]
    #: per funding level, the months (same indexes as ``months``)
    by_level: dict[str, list[Month]]
    one_offs: list[OneOff]
    discount_rate_pct: float
    #: placements priced by a stated rule rather than the catalogue: (server, rule, monthly)
    priced_by_rule: list[tuple[str, str, float]] = field(default_factory=list)
    sunk_cost_rooms: list[SunkCostRoom] = field(default_factory=list)

    @property
    def npv_cny(self) -> float:
        return npv((m.saving for m in self.months), self.discount_rate_pct)

    @property
    def payback_month(self) -> int | None:
        return payback(m.saving for m in self.months)

    def fiscal_years(self, months: list[Month] | None = None) -> list[dict[str, float]]:
        """Sums per calendar year (China's fiscal year)."""
        years: dict[int, dict[str, float]] = {}
        for m in self.months if months is None else months:
            y = years.setdefault(
                m.start.year,
                {
                    "as_is_cny": 0.0,
                    "to_be_cny": 0.0,
                    "opex_cny": 0.0,
                    "depreciation_cny": 0.0,
                    "capex_cny": 0.0,
                },
            )
            y["as_is_cny"] += m.as_is
            y["to_be_cny"] += m.to_be
            y["opex_cny"] += m.opex
            y["depreciation_cny"] += m.depreciation
            y["capex_cny"] += m.one_off
        return [{"year": float(year), **values} for year, values in sorted(years.items())]


def npv(savings: Iterable[float], rate_pct: float) -> float:
    """Net present value of monthly savings, each discounted from its month's end.

    >>> npv([100.0] * 12, 0.0)
    1200.0
    >>> round(npv([100.0] * 12, 5.0), 2)  # the last month is discounted a whole year
    1168.82
    """
    rate = rate_pct / 100
    return float(sum(s / (1 + rate) ** ((i + 1) / 12) for i, s in enumerate(savings)))


def payback(savings: Iterable[float]) -> int | None:
    """The first month from which the cumulative saving stays at or above zero (None: never
    within the horizon, or the plan spends nothing and saves nothing).

    >>> payback([-300.0, 100.0, 100.0, 100.0, 100.0])
    3
    >>> payback([-100.0, 50.0]), payback([0.0, 0.0])
    (None, None)
    """
    cumulative = 0.0
    since: int | None = None
    spent = False
    for i, s in enumerate(savings):
        cumulative += s
        spent = spent or cumulative < 0 or s != 0
        if cumulative < -1e-6:
            since = None
        elif since is None:
            since = i
    return since if spent else None


def month_start(first: dt.date, index: int) -> dt.date:
    """The first day of the month ``index`` months after ``first``'s.

    >>> month_start(dt.date(2026, 11, 1), 3)
    datetime.date(2027, 2, 1)
    """
    y, m = divmod(first.month - 1 + index, 12)
    return dt.date(first.year + y, m + 1, 1)


def month_index(first: dt.date, day: dt.date) -> int:
    """How many months ``day``'s month is after ``first``'s (the inverse of :func:`month_start`).

    >>> month_index(dt.date(2026, 11, 1), dt.date(2027, 2, 14))
    3
    """
    return (day.year - first.year) * 12 + day.month - first.month


class _Ledger:
    """Difference arrays: amounts per month and category, per funding level."""

    def __init__(self, horizon: int) -> None:
        self.horizon = horizon
        self.diff: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * (horizon + 1))

    def add(self, level: str, category: str, monthly: float, start: int, end: int | None) -> None:
        start = max(0, start)
        stop = self.horizon if end is None else min(max(end, 0), self.horizon)
        if monthly == 0 or start >= stop:
            return
        d = self.diff[(level, category)]
        d[start] += monthly
        d[stop] -= monthly

    def series(self, level: str, category: str) -> list[float]:
        out, running = [], 0.0
        for v in self.diff.get((level, category), [0.0] * (self.horizon + 1))[: self.horizon]:
            running += v
            out.append(running)
        return out


def cash_flow(plan: Plan) -> CashFlow:
    """The plan's cash flow, month by month."""
    ledger, rules = plan.ledger, plan.rules
    as_of = ledger.region.as_of
    first = (as_of + dt.timedelta(days=1)).replace(day=1)
    # waves by their number: they run side by side, and done waves keep their numbers
    windows = {e.wave.number: e.window for e in plan.schedule}
    last_end = max((w.end for w in windows.values() if w), default=as_of)
    horizon = max(rules.horizon_months, month_index(first, last_end) + 1 + rules.parallel_run_months + 12)
    parallel = rules.parallel_run_months
    # the first wave still to run (empty rooms close with it); the last wave for a missing number
    open_waves = [e for e in plan.schedule if not e.done] or plan.schedule
    first_wave = min(open_waves, key=lambda e: (e.window.start if e.window else as_of, e.wave.number))
    last_wave = plan.schedule[-1].wave.number if plan.schedule else 1

    def window(wave: int) -> calendar.Window | None:
        return windows.get(wave, windows.get(last_wave))

    def wave_start(wave: int) -> int:
        w = window(wave)
        return 0 if w is None else month_index(first, w.start)

    def cut_over(wave: int) -> int:
        w = window(wave)
        return (0 if w is None else month_index(first, w.end) + 1) + parallel

    def level(owner: str) -> str:
        dept = ledger.departments.get(owner)
        return dept.level if dept else "province"

    as_is, to_be = _Ledger(horizon), _Ledger(horizon)
    one_offs: list[OneOff] = []
    years = ledger.region.depreciation_years

    def write_off(server: model.Server) -> int:
        if server.purchase_value_cny is None or server.purchase_date is None or server.purchase_date > as_of:
            return 0
        off = model.add_years(server.purchase_date, years)
        if off <= as_of:
            return 0
        return month_index(first, off) + (0 if off.day == 1 else 1)

    # rooms and lines leave at the cut-over, or when their contract ends if the calendar waits
    # for it; leaving early costs the penalty the calendar weighed (one notion of it)
    room_close: dict[str, int] = {}
    line_cancel: dict[str, int] = {}
    penalty: dict[tuple[str, str], tuple[int, float]] = {}
    for x in exits(plan):
        month = cut_over(x.wave)
        if x.contract_end is not None and not x.early and x.contract_end >= x.free_on:
            month = max(month, month_index(first, x.closes_on) + 1)
        elif x.early and x.penalty_cny > 0:
            penalty[(x.kind, x.id)] = (month, x.penalty_cny)
        (room_close if x.kind == "room" else line_cancel)[x.id] = month
    for e in plan.schedule:  # a wave without a window (none in a scheduled plan): its cut-over
        for site_id in e.closed_rooms:
            room_close.setdefault(site_id, cut_over(e.wave.number))
        for line_id in e.cancelled_lines:
            line_cancel.setdefault(line_id, cut_over(e.wave.number))
    cutover_start = {n: wave_start(e.wave.number) for e in plan.schedule for n in e.cutover_networks}
    systems_of_server: dict[str, list[str]] = defaultdict(list)
    for system in ledger.systems.values():
        for s in system.servers:
            systems_of_server[s].append(system.id)
    servers_at: dict[str, int] = defaultdict(int)
    for server in ledger.servers.values():
        servers_at[server.site] += 1

    # rooms: empty rooms close with the first wave (nothing holds them); a room or server
    # that records no cost is counted at its estimate (plan/basis.py), in both columns alike
    estimated = plan.basis()
    for site in ledger.sites.values():
        lvl, monthly = level(site.owner), estimated.room_cny(site) / 12
        as_is.add(lvl, "opex", monthly, 0, None)
        close = room_close.get(
            site.id, cut_over(first_wave.wave.number) if not servers_at.get(site.id) else None
        )
        to_be.add(lvl, "opex", monthly, 0, close)
        if ("room", site.id) in penalty:
            month, owed = penalty[("room", site.id)]
            one_offs.append(OneOff("lease-exit", site.id, site.owner, month, owed))
    for line in ledger.lines.values():
        lvl = level(line.owner)
        as_is.add(lvl, "opex", line.monthly_fee_cny, 0, None)
        cancel = line_cancel.get(line.id)
        to_be.add(lvl, "opex", line.monthly_fee_cny, 0, cancel)
        if ("line", line.id) in penalty:
            month, owed = penalty[("line", line.id)]
            one_offs.append(OneOff("line-exit", line.id, line.owner, month, owed))
    mbps_of: dict[str, float] = defaultdict(float)
    for line in ledger.lines.values():
        if line.network in cutover_start:
            mbps_of[line.network] += line.bandwidth_mbps
    for network_id, start in cutover_start.items():
        network = ledger.networks[network_id]
        monthly = mbps_of[network_id] * ledger.prices.extranet_mbps_month_cny
        to_be.add(level(network.owner), "opex", monthly, start, None)

    # servers: depreciation and maintenance until they leave (relocated ones never stop)
    for server in ledger.servers.values():
        lvl = level(server.owner)
        dep = model.yearly_depreciation(server, as_of, years) / 12
        off: int | None = write_off(server)
        upkeep = server.maintenance_cny / 12
        guess = estimated.server(server.id)
        if guess is not None:  # no purchase value: renewed, never written off
            dep, off, upkeep = guess.depreciation_cny / 12, None, upkeep + guess.upkeep_cny / 12
        as_is.add(lvl, "depreciation", dep, 0, off)
        as_is.add(lvl, "opex", upkeep, 0, None)
        system_ids = systems_of_server.get(server.id, [])
        actions = {plan.decisions[s].action for s in system_ids}
        leaves: int | None = None
        if not system_ids:
            leaves = room_close.get(server.site)
        elif "relocate" not in actions and all(a in MOVING | {"retire"} for a in actions):
            leaves = cut_over(max(plan.wave_of.get(s, 1) for s in system_ids))
        ends = [m for m in (leaves, off) if m is not None]
        to_be.add(lvl, "depreciation", dep, 0, min(ends) if ends else None)
        to_be.add(lvl, "opex", upkeep, 0, leaves)

    # operations of systems: as they are until the cut-over that hands them over
    for op in operations(ledger, plan.decisions, plan.wave_of, rules):
        lvl = level(op.owner)
        as_is.add(lvl, "opex", op.as_is_cny / 12, 0, None)
        handover = None if op.wave is None else cut_over(op.wave)
        to_be.add(lvl, "opex", op.as_is_cny / 12, 0, handover)
        if handover is not None:
            to_be.add(lvl, "opex", op.to_be_cny / 12, handover, None)

    # cloud resources from their wave's start; one-off costs
    priced_by_rule: list[tuple[str, str, float]] = []
    prices = ledger.prices
    for p in plan.placements:
        system = ledger.systems[p.system]
        priced = price(p, plan.decisions[p.system].action, prices)
        if priced.rule not in ("catalogue", "relocated"):
            priced_by_rule.append((p.server, priced.rule, priced.monthly_cny))
        start = wave_start(plan.wave_of.get(p.system, 1))
        mode = standby_mode(system.mlps_level, system.data_class, system.ha, system.rto_hours)
        standby = standby_monthly(p, priced, mode, prices)  # its standby, from the same month
        to_be.add(level(system.owner), "opex", priced.monthly_cny + standby, start, None)
        cost = prices.migration.per_server_cny + p.storage_gb / 1024 * prices.migration.per_tb_cny
        one_offs.append(OneOff("migration", p.server, system.owner, start, cost))
    for system_id, decision in plan.decisions.items():
        owner = ledger.systems[system_id].owner
        wave = plan.wave_of.get(system_id, 1)
        if decision.action in MOVING:
            one_offs.append(
                OneOff("migration", system_id, owner, wave_start(wave), prices.migration.per_system_cny)
            )
        if decision.action == "replatform":
            cny = prices.migration.per_ported_system_cny
            one_offs.append(OneOff("porting", system_id, owner, wave_start(wave), cny))
        if decision.action == "retire":
            cny = prices.migration.per_retired_system_cny
            one_offs.append(OneOff("retirement", system_id, owner, cut_over(wave), cny))
    # spending of done waves is past (before month 0)
    one_offs = sorted(
        (o for o in one_offs if o.cny > 0 and o.month >= 0), key=lambda o: (o.month, o.kind, o.id)
    )
    for o in one_offs:
        to_be.add(level(o.owner), "one_off", o.cny, o.month, o.month + 1)

    levels = sorted({lvl for lvl, _ in as_is.diff} | {lvl for lvl, _ in to_be.diff})
    by_level = {lvl: _months(first, horizon, as_is, to_be, lvl) for lvl in levels}
    total = [
        Month(
            i,
            month_start(first, i),
            *(
                sum(getattr(by_level[lvl][i], f) for lvl in levels)
                for f in ("as_is", "opex", "depreciation", "one_off")
            ),
        )
        for i in range(horizon)
    ]
    return CashFlow(
        total,
        by_level,
        one_offs,
        rules.discount_rate_pct,
        sorted(priced_by_rule),
        sunk_cost_rooms(plan),
    )


def _months(first: dt.date, horizon: int, as_is: _Ledger, to_be: _Ledger, lvl: str) -> list[Month]:
    a = [x + y for x, y in zip(as_is.series(lvl, "opex"), as_is.series(lvl, "depreciation"), strict=True)]
    opex, dep, one = (to_be.series(lvl, c) for c in CATEGORIES)
    return [Month(i, month_start(first, i), a[i], opex[i], dep[i], one[i]) for i in range(horizon)]


def sunk_cost_rooms(plan: Plan) -> list[SunkCostRoom]:
    """Rooms that stay open only because young hardware is kept (the sunk-cost rule): what the
    room costs until that hardware's stated date, against its remaining book value."""
    ledger = plan.ledger
    as_of, years = ledger.region.as_of, ledger.region.depreciation_years
    closing = {r for e in plan.schedule for r in e.closed_rooms}
    sunk = {
        s
        for s, d in plan.decisions.items()
        if d.action == "retain" and any(r.code == "sunk-cost" for r in d.reasons)
    }
    held: dict[str, set[str]] = defaultdict(set)
    until: dict[str, dt.date] = {}
    other: set[str] = set()  # rooms something else keeps open anyway
    for system in ledger.systems.values():
        decision = plan.decisions[system.id]
        servers = [ledger.servers[s] for s in system.servers if s in ledger.servers]
        if system.id in sunk:
            for server in servers:
                held[server.site].add(server.id)
                if decision.until is not None:
                    until[server.site] = max(until.get(server.site, decision.until), decision.until)
        elif decision.action not in MOVING | {"retire"}:
            other.update(server.site for server in servers)
        if system.backup and system.backup.site and decision.action != "retire":
            other.add(system.backup.site)  # it holds a recovery copy
    out = []
    for site_id, server_ids in sorted(held.items()):
        if site_id in closing or site_id in other:
            continue
        end = until.get(site_id, as_of)
        book = 0.0
        for server_id in sorted(server_ids):
            young = ledger.servers[server_id]
            if young.purchase_value_cny and young.purchase_date:
                used = (as_of - young.purchase_date).days / 365.25
                book += young.purchase_value_cny * max(0.0, 1 - used / years)
        room_cost = plan.basis().room_cny(ledger.sites[site_id]) * max(0, (end - as_of).days) / 365.25
        out.append(SunkCostRoom(site_id, tuple(sorted(server_ids)), end, book, room_cost))
    return out
