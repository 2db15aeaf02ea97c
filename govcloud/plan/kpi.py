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
  once the wave's cut-over is over, from the cash flow; its baseline counts the estimates of
  :mod:`govcloud.plan.basis`, and is unknown (None) when nothing of today's cost is known.

Achieved values come from the ledger's progress records (:mod:`govcloud.plan.progress`:
``migrated_on``, ``retired_on``, ``closed_on``, ``cancelled_on``, ``cut_over_on``), counted by
the same formulas as the targets: what is recorded done, not what was planned.  A shared
platform counts as live once it is recorded migrated, or, when it stays where it is, once a
duplicate is recorded retired onto it; the yearly cost achieved is the run rate of the cash
flow's first month.  They are ``None`` while the ledger records no progress at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from govcloud.plan.cashflow import CashFlow, month_index
from govcloud.plan.decide import MOVING
from govcloud.plan.planner import Plan
from govcloud.plan.progress import Progress

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
    #: False: the amount is not known (today's yearly cost when the ledger records none)
    known: bool = True

    @property
    def value(self) -> float | None:
        """The rate (0..1) or the amount; None for a rate over nothing or an unknown amount."""
        if not self.known:
            return None
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


def _cumulative(first_wave: dict[str, int], index_of: dict[int, int], waves: int) -> list[int]:
    """How many keys are done after each wave (by wave index), from the wave each is done in
    (a wave the plan does not list counts as the last)."""
    counts = [0] * waves
    for wave in first_wave.values():
        counts[index_of.get(wave, waves - 1)] += 1
    out, running = [], 0
    for n in counts:
        running += n
        out.append(running)
    return out


def indicators(plan: Plan, cash: CashFlow) -> list[Indicator]:
    """Every indicator of :data:`CODES` for ``plan`` (linear in the plan's size: each thing
    counts once, in the wave it is done)."""
    ledger = plan.ledger
    n_waves = len(plan.schedule)
    index_of = {e.wave.number: i for i, e in enumerate(plan.schedule)}

    def done(first_wave: dict[str, int]) -> list[int]:
        return _cumulative(first_wave, index_of, n_waves)

    def earliest(pairs: list[tuple[str, int]]) -> dict[str, int]:
        """The first wave each key is reached in (by wave index order)."""
        out: dict[str, int] = {}
        for key, wave in pairs:
            if key not in out or index_of.get(wave, n_waves) < index_of.get(out[key], n_waves):
                out[key] = wave
        return out

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
    today = {s for s in scope if in_cloud_today(s)}
    moved = {
        s: plan.wave_of.get(s, 1) for s in scope if plan.decisions[s].action in MOVING and s not in today
    }
    closed_wave = {r: e.wave.number for e in plan.schedule for r in e.closed_rooms if r not in cloud_rooms}
    cancelled_wave = {ln: e.wave.number for e in plan.schedule for ln in e.cancelled_lines}
    private = {n.id for n in ledger.networks.values() if n.kind == "private"}
    cut_wave = {n: e.wave.number for e in plan.schedule for n in e.cutover_networks if n in private}

    extranet_nets = {n.id for n in ledger.networks.values() if n.kind == "extranet"}
    linked_depts: set[str] = set()
    linked_sites: set[str] = set()
    mbps_today = 0.0
    mbps_of: dict[str, float] = {}
    for line in ledger.lines.values():
        to_ap = any(end.access_point for end in (line.a_end, line.z_end))
        if line.network in extranet_nets or to_ap:
            linked_depts.add(line.owner)
            linked_sites.update(end.site for end in (line.a_end, line.z_end) if end.site)
            if to_ap:
                mbps_today += line.bandwidth_mbps
        if line.network in private:
            mbps_of[line.network] = mbps_of.get(line.network, 0.0) + line.bandwidth_mbps
    cut_mbps = [0.0] * n_waves
    for network, wave in cut_wave.items():
        cut_mbps[index_of.get(wave, n_waves - 1)] += mbps_of.get(network, 0.0)
    mbps = [mbps_today + sum(cut_mbps[: k + 1]) for k in range(n_waves)]

    reached = earliest(
        [(ledger.networks[n].owner, w) for n, w in cut_wave.items()]
        + [(ledger.systems[s].owner, w) for s, w in moved.items()]
    )
    reached = {d: w for d, w in reached.items() if d not in linked_depts}
    sites_later = {r: w for r, w in closed_wave.items() if r not in linked_sites}

    duplicates = {
        s: plan.wave_of.get(s, 1) for s, d in plan.decisions.items() if d.action == "retire" and d.platform
    }
    platforms = {d.platform: plan.wave_of.get(d.platform, 1) for d in plan.decisions.values() if d.platform}
    dup_total = len(duplicates) + len(platforms)

    first = cash.months[0].start if cash.months else ledger.region.as_of

    def run_rate(k: int) -> float:
        window = plan.schedule[k].window
        if window is None or not cash.months:
            return 0.0
        i = month_index(first, window.end) + 1 + plan.rules.parallel_run_months
        m = cash.months[min(i, len(cash.months) - 1)]
        return (m.opex + m.depreciation) * 12

    n_scope, n_rooms, n_lines = len(scope), len(rooms), len(ledger.lines)
    n_depts = len(ledger.departments)
    linked_rooms = len([s for s in rooms if s in linked_sites])
    moved_n, closed_n, cancelled_n = done(moved), done(closed_wave), done(cancelled_wave)
    cut_n, reached_n, sites_n = done(cut_wave), done(reached), done(sites_later)
    dup_n, platform_n = done(duplicates), done(platforms)
    as_is_cost = cash.months[0].as_is * 12 if cash.months else 0.0

    def rate(counts: list[int], base: float, denominator: float) -> tuple[Value, ...]:
        return tuple(Value(base + c, denominator) for c in counts)

    # achieved: what the ledger records as done, by the targets' formulas
    progress = Progress.of(ledger)
    recorded = bool(
        progress.migrated
        or progress.retired
        or progress.closed_rooms
        or progress.cancelled_lines
        or progress.cutover_networks
    )
    got_moved = {s for s in moved if s in progress.migrated}
    got_closed = {r for r in rooms if r in progress.closed_rooms}
    got_cut = {n for n in private if n in progress.cutover_networks}
    got_depts = (
        {ledger.networks[n].owner for n in got_cut} | {ledger.systems[s].owner for s in got_moved}
    ) - linked_depts
    got_dups = {s for s in duplicates if s in progress.retired}
    got_platforms = {
        p
        for p in platforms
        if p in progress.migrated
        or (
            plan.decisions[p].action not in MOVING | {"retire"}
            and any(plan.decisions[s].platform == p for s in got_dups)
        )
    }
    run_now = (cash.months[0].opex + cash.months[0].depreciation) * 12 if cash.months else 0.0
    achieved: dict[str, Value] = {
        "cloud_rate": Value(len(today) + len(got_moved), n_scope),
        "room_closure_rate": Value(len(got_closed), n_rooms),
        "line_consolidation_rate": Value(
            len([ln for ln in ledger.lines if ln in progress.cancelled_lines]), n_lines
        ),
        "network_consolidation_rate": Value(len(got_cut), len(private)),
        "extranet_department_coverage": Value(len(linked_depts) + len(got_depts), n_depts),
        "extranet_site_coverage": Value(linked_rooms + len(got_closed - linked_sites), n_rooms),
        "extranet_mbps": Value(mbps_today + sum(mbps_of.get(n, 0.0) for n in got_cut)),
        "shared_platform_rate": Value(len(got_dups) + len(got_platforms), dup_total),
        "duplicates_retired": Value(len(got_dups)),
        "yearly_cost_cny": Value(run_now),
    }

    def _achieved(code: str) -> Value | None:
        return achieved[code] if recorded else None

    out = [
        Indicator("cloud_rate", "rate", Value(len(today), n_scope), rate(moved_n, len(today), n_scope)),
        Indicator("room_closure_rate", "rate", Value(0, n_rooms), rate(closed_n, 0, n_rooms)),
        Indicator("line_consolidation_rate", "rate", Value(0, n_lines), rate(cancelled_n, 0, n_lines)),
        Indicator("network_consolidation_rate", "rate", Value(0, len(private)), rate(cut_n, 0, len(private))),
        Indicator(
            "extranet_department_coverage",
            "rate",
            Value(len(linked_depts), n_depts),
            rate(reached_n, len(linked_depts), n_depts),
        ),
        Indicator(
            "extranet_site_coverage",
            "rate",
            Value(linked_rooms, n_rooms),
            rate(sites_n, linked_rooms, n_rooms),
        ),
        Indicator("extranet_mbps", "mbps", Value(mbps_today), tuple(Value(m) for m in mbps)),
        Indicator(
            "shared_platform_rate",
            "rate",
            Value(0, dup_total),
            tuple(Value(d + p, dup_total) for d, p in zip(dup_n, platform_n, strict=True)),
        ),
        Indicator("duplicates_retired", "count", Value(0), tuple(Value(d) for d in dup_n)),
        Indicator(
            "yearly_cost_cny",
            "cny",
            Value(as_is_cost, known=plan.basis().saving_known),
            tuple(Value(run_rate(k)) for k in range(n_waves)),
        ),
    ]
    return [replace(k, achieved=_achieved(k.code)) for k in out]
