"""The indicators of consolidation (docs/plan.md, "KPIs"): a baseline from the ledger as it is,
a target after every wave from the plan, and the value achieved once progress is recorded.

Each indicator is a numerator over a denominator (a rate), or a plain amount.  The formulas:

- ``cloud_rate`` 上云率: systems running on a cloud node / systems that can move (running
  systems, not classified, not retired).  As-is: systems whose servers are all in cloud-node
  rooms.
- ``room_closure_rate`` 机房关停率: rooms closed / rooms (cloud-node rooms not counted).
- ``line_consolidation_rate`` 专线整合率: leased lines cancelled / leased lines.
- ``network_consolidation_rate`` 专网整合率: department private networks cut over onto the
  extranet / department private networks.
- ``extranet_department_coverage`` 电子政务外网覆盖率 (departments): departments on the
  extranet (a line to an access point or on an extranet network; then every department whose
  private network is cut over or whose systems run in the cloud) / departments.
- ``extranet_site_coverage`` 电子政务外网覆盖率 (sites): rooms open with an extranet link, plus
  rooms closed (their users reach the cloud over the extranet) / rooms.
- ``extranet_mbps`` 外网带宽: Mbps of lines to extranet access points, plus the extranet
  bandwidth bought to replace private networks.
- ``shared_platform_rate`` 共享平台接入率: duplicate systems retired onto a live shared
  platform, with the platforms themselves once live / duplicate systems and their platforms.
- ``duplicates_retired`` 重复系统退役: duplicate systems retired onto a shared platform.
- ``yearly_cost_cny`` 年度费用: the yearly run rate (opex and depreciation, no one-off costs)
  once the wave's cut-over is over, from the cash flow.

Achieved values need recorded progress, which the plan does not read yet: they are ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from govcloud.plan.cashflow import CashFlow, month_index
from govcloud.plan.decide import MOVING
from govcloud.plan.planner import Plan

#: indicator codes, in the order outputs list them
CODES = (
    "cloud_rate",
    "room_closure_rate",
    "line_consolidation_rate",
    "network_consolidation_rate",
    "extranet_department_coverage",
    "extranet_site_coverage",
    "extranet_mbps",
    "shared_platform_rate",
    "duplicates_retired",
    "yearly_cost_cny",
)


@dataclass(frozen=True)
class Value:
    """A value of an indicator: a rate when ``denominator`` is set, else an amount."""

    amount: float
    denominator: float | None = None

    @property
    def value(self) -> float | None:
        """The rate (0..1) or the amount; None for a rate over nothing."""
        if self.denominator is None:
            return self.amount
        return None if self.denominator == 0 else self.amount / self.denominator


@dataclass(frozen=True)
class Indicator:
    code: str
    unit: str  # "rate", "count", "mbps" or "cny"
    baseline: Value
    #: after each wave, in wave order
    targets: tuple[Value, ...]
    achieved: Value | None = None


def indicators(plan: Plan, cash: CashFlow) -> list[Indicator]:
    """Every indicator of :data:`CODES` for ``plan``."""
    ledger = plan.ledger
    waves = [e.wave.number for e in plan.schedule]
    done_by = {w: i for i, w in enumerate(waves)}  # wave number -> index of the wave it is done in

    def after(wave_of: dict[str, int]) -> Callable[[int], set[str]]:
        return lambda k: {x for x, w in wave_of.items() if done_by.get(w, len(waves) - 1) <= k}

    cloud_rooms = {s.id for s in ledger.sites.values() if s.kind == "cloud_node"}
    rooms = [s for s in ledger.sites if s not in cloud_rooms]

    def in_cloud_today(system_id: str) -> bool:
        servers = [ledger.servers[s] for s in ledger.systems[system_id].servers if s in ledger.servers]
        return bool(servers) and all(s.site in cloud_rooms for s in servers)

    retired = {s for s, d in plan.decisions.items() if d.action == "retire"}
    scope = [
        s.id
        for s in ledger.systems.values()
        if s.status == "running" and not s.classified and s.id not in retired
    ]
    moved = {s: plan.wave_of.get(s, 1) for s in scope if plan.decisions[s].action in MOVING}
    moved_by = after(moved)
    today = {s for s in scope if in_cloud_today(s)}

    closed = after({r: e.wave.number for e in plan.schedule for r in e.closed_rooms if r not in cloud_rooms})
    cancelled = after({ln: e.wave.number for e in plan.schedule for ln in e.cancelled_lines})
    private = [n.id for n in ledger.networks.values() if n.kind == "private"]
    cut = after({n: e.wave.number for e in plan.schedule for n in e.cutover_networks if n in set(private)})

    extranet_nets = {n.id for n in ledger.networks.values() if n.kind == "extranet"}
    linked_depts: set[str] = set()
    linked_sites: set[str] = set()
    mbps_today = 0.0
    for line in ledger.lines.values():
        to_extranet = line.network in extranet_nets or any(
            end.access_point for end in (line.a_end, line.z_end)
        )
        if to_extranet:
            linked_depts.add(line.owner)
            linked_sites.update(end.site for end in (line.a_end, line.z_end) if end.site)
            if any(end.access_point for end in (line.a_end, line.z_end)):
                mbps_today += line.bandwidth_mbps
    cut_mbps = {n: sum(ln.bandwidth_mbps for ln in ledger.lines.values() if ln.network == n) for n in private}
    moved_owner = {s: ledger.systems[s].owner for s in moved}

    duplicates = {
        s: plan.wave_of.get(s, 1) for s, d in plan.decisions.items() if d.action == "retire" and d.platform
    }
    platforms = {d.platform: plan.wave_of.get(d.platform, 1) for d in plan.decisions.values() if d.platform}
    dup_by, platform_by = after(duplicates), after(platforms)
    dup_total = len(duplicates) + len(platforms)

    first = cash.months[0].start if cash.months else ledger.region.as_of

    def run_rate(k: int) -> float:
        window = plan.schedule[k].window
        if window is None or not cash.months:
            return 0.0
        i = month_index(first, window.end) + 1 + plan.rules.parallel_run_months
        m = cash.months[min(i, len(cash.months) - 1)]
        return (m.opex + m.depreciation) * 12

    def departments_reached(k: int) -> set[str]:
        out = set(linked_depts)
        out.update(ledger.networks[n].owner for n in cut(k))
        out.update(moved_owner[s] for s in moved_by(k))
        return out

    def sites_reached(k: int) -> set[str]:
        gone = closed(k)
        return {s for s in rooms if s in gone or s in linked_sites}

    def per_wave(f: Callable[[int], Value]) -> tuple[Value, ...]:
        return tuple(f(k) for k in range(len(waves)))

    n_scope, n_rooms, n_lines = len(scope), len(rooms), len(ledger.lines)
    n_depts = len(ledger.departments)
    as_is_cost = cash.months[0].as_is * 12 if cash.months else 0.0
    return [
        Indicator(
            "cloud_rate",
            "rate",
            Value(len(today), n_scope),
            per_wave(lambda k: Value(len(today | moved_by(k)), n_scope)),
        ),
        Indicator(
            "room_closure_rate", "rate", Value(0, n_rooms), per_wave(lambda k: Value(len(closed(k)), n_rooms))
        ),
        Indicator(
            "line_consolidation_rate",
            "rate",
            Value(0, n_lines),
            per_wave(lambda k: Value(len(cancelled(k)), n_lines)),
        ),
        Indicator(
            "network_consolidation_rate",
            "rate",
            Value(0, len(private)),
            per_wave(lambda k: Value(len(cut(k)), len(private))),
        ),
        Indicator(
            "extranet_department_coverage",
            "rate",
            Value(len(linked_depts), n_depts),
            per_wave(lambda k: Value(len(departments_reached(k)), n_depts)),
        ),
        Indicator(
            "extranet_site_coverage",
            "rate",
            Value(len([s for s in rooms if s in linked_sites]), n_rooms),
            per_wave(lambda k: Value(len(sites_reached(k)), n_rooms)),
        ),
        Indicator(
            "extranet_mbps",
            "mbps",
            Value(mbps_today),
            per_wave(lambda k: Value(mbps_today + sum(cut_mbps[n] for n in cut(k)))),
        ),
        Indicator(
            "shared_platform_rate",
            "rate",
            Value(0, dup_total),
            per_wave(lambda k: Value(len(dup_by(k)) + len(platform_by(k)), dup_total)),
        ),
        Indicator("duplicates_retired", "count", Value(0), per_wave(lambda k: Value(len(dup_by(k))))),
        Indicator("yearly_cost_cny", "cny", Value(as_is_cost), per_wave(lambda k: Value(run_rate(k)))),
    ]
