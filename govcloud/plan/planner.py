"""The planner: decisions → placement → move groups → waves → schedule → paths → costs."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import cast

import networkx as nx

from govcloud.analysis import Analysis
from govcloud.analysis.common import Facts
from govcloud.ledger import model
from govcloud.plan import calendar, pricing
from govcloud.plan import cost as cost_model
from govcloud.plan import paths as net
from govcloud.plan.decide import MOVING, Action, Context, Decision, Reason, decide, target_for
from govcloud.plan.groups import hold_coupled, tight_groups
from govcloud.plan.operators import operations
from govcloud.plan.placement import Placement, Placer
from govcloud.plan.recovery import standby_mode
from govcloud.plan.recovery_rooms import hold_recovery_rooms
from govcloud.plan.rules import PlanRules
from govcloud.plan.scenario import Scenario
from govcloud.plan.waves import MoveGroup, Wave, move_group, plan_waves


@dataclass
class WaveSchedule:
    """What a wave moves, and what can be closed or cancelled once it is done."""

    wave: Wave
    retired_systems: list[str] = field(default_factory=list)
    closed_rooms: list[str] = field(default_factory=list)
    cancelled_lines: list[str] = field(default_factory=list)
    cutover_networks: list[str] = field(default_factory=list)
    #: servers of no recorded system in the rooms closed: reclaimed once their owners confirm
    confirm_servers: list[str] = field(default_factory=list)
    paths: list[net.Path] = field(default_factory=list)
    #: when the wave runs; rooms and lines of the wave close after its end
    window: calendar.Window | None = None


@dataclass
class Plan:
    ledger: model.Ledger
    rules: PlanRules
    decisions: dict[str, Decision]
    placements: list[Placement]
    schedule: list[WaveSchedule]
    costs: dict[str, cost_model.Cost]
    unassigned_servers: list[str]
    wave_of: dict[str, int]

    @property
    def total(self) -> cost_model.Cost:
        return cost_model.total(self.costs.values())


def build(
    ledger: model.Ledger, analysis: Analysis, rules: PlanRules | None = None, scenario: Scenario | None = None
) -> Plan:
    """The migration plan of ``ledger``; it always passes :func:`govcloud.plan.verify.verify`."""
    rules = rules or PlanRules()
    scenario = scenario or Scenario()
    facts = Facts.of(ledger)
    forced = {system: cast(Action, action) for system, action in scenario.force}  # checked on load
    ctx = Context(facts, analysis, rules, forced, frozenset(scenario.keep_departments))
    groups = tight_groups(ledger)
    decisions = hold_coupled({s.id: decide(s, ctx) for s in ledger.systems.values()}, groups)
    decisions, placements = _place(ledger, ctx, decisions, groups)
    moving_groups = [
        move_group(ledger, [s for s in g if decisions[s].action in MOVING])
        for g in groups
        if any(decisions[s].action in MOVING for s in g)
    ]
    graph = net.network(ledger)
    linked = _linked_sites(ledger, graph)
    platforms = frozenset(d.platform for d in decisions.values() if d.platform)
    waves = plan_waves(
        ledger, moving_groups, rules, _must_follow(ledger, decisions, moving_groups, linked), platforms
    )
    wave_of = {s: w.number for w in waves for s in w.systems}
    for system_id, decision in decisions.items():
        if decision.action == "retire":
            wave_of[system_id] = wave_of.get(decision.platform or "", 1)
    schedule, inputs = _schedule(ledger, analysis, decisions, placements, waves, wave_of, graph, rules)
    unassigned = sorted(set(ledger.servers) - {s for sys in ledger.systems.values() for s in sys.servers})
    return Plan(
        ledger, rules, decisions, placements, schedule, cost_model.costs(ledger, inputs), unassigned, wave_of
    )


def _place(
    ledger: model.Ledger, ctx: Context, decisions: dict[str, Decision], groups: list[list[str]]
) -> tuple[dict[str, Decision], list[Placement]]:
    """Place moving systems, trying other certified nodes when one is full; a system that fits
    nowhere stays (and takes its tightly coupled group with it)."""
    placer = Placer(ledger, ctx.rules)
    placements: list[Placement] = []
    for system_id in sorted(decisions):
        decision = decisions[system_id]
        if decision.action not in MOVING:
            continue
        system = ledger.systems[system_id]
        candidates = [decision.target] if decision.target else []
        candidates += sorted(
            n.id
            for n in ledger.cloud_nodes.values()
            if n.certified_mlps_level >= system.mlps_level and n.id not in candidates
        )
        for node_id in candidates:
            sized = placer.size(system, node_id)
            if placer.fits(sized, node_id):
                placer.take(sized)
                placements.extend(sized)
                decisions[system_id] = replace(decision, target=node_id)
                break
        else:
            reason = Reason("capacity", (("nodes", ", ".join(candidates) or "-"),))
            decisions[system_id] = replace(
                decision, action="retain", reasons=(*decision.reasons, reason), target=None
            )
    held = hold_coupled(decisions, groups)
    kept = {s for s, d in held.items() if d.action not in MOVING}
    return held, [p for p in placements if p.system not in kept]


def _linked_sites(ledger: model.Ledger, graph: net.PlaceGraph) -> set[str]:
    """Rooms with a path to some cloud node: a hybrid link can bridge waves there."""
    out = set()
    clouds = {f"cloud_node:{n}" for n in ledger.cloud_nodes}
    for site_id in ledger.sites:
        key = f"site:{site_id}"
        if key in graph and any(nx.has_path(graph, key, c) for c in clouds if c in graph):
            out.add(site_id)
    return out


def _must_follow(
    ledger: model.Ledger, decisions: dict[str, Decision], groups: list[MoveGroup], linked: set[str]
) -> Callable[[MoveGroup], set[str]]:
    group_of = {s: g.id for g in groups for s in g.systems}

    @functools.cache
    def sites(system_id: str) -> frozenset[str]:
        return frozenset(
            ledger.servers[s].site for s in ledger.systems[system_id].servers if s in ledger.servers
        )

    def must_follow(group: MoveGroup) -> set[str]:
        out = set()
        for system_id in group.systems:
            for dep in ledger.systems[system_id].dependencies:
                other = group_of.get(dep.system)
                if other is None or other == group.id:
                    continue
                bridged = sites(system_id) <= linked and sites(dep.system) <= linked
                if not bridged:
                    out.add(other)
        return out

    return must_follow


def _schedule(
    ledger: model.Ledger,
    analysis: Analysis,
    decisions: dict[str, Decision],
    placements: list[Placement],
    waves: list[Wave],
    wave_of: dict[str, int],
    graph: net.PlaceGraph,
    rules: PlanRules,
) -> tuple[list[WaveSchedule], cost_model.CostInputs]:
    schedule = [WaveSchedule(w) for w in waves] or [WaveSchedule(Wave(1, pilot=False))]
    last = len(schedule)
    inputs = cost_model.CostInputs()
    for p in placements:
        priced = pricing.price(p, decisions[p.system].action, ledger.prices)  # relocated: not twice
        system = ledger.systems[p.system]
        mode = standby_mode(system.mlps_level, system.data_class, system.ha, system.rto_hours)
        standby = pricing.standby_monthly(p, priced, mode, ledger.prices)  # issue 23: recovery
        inputs.cloud_monthly_by_department[system.owner] += priced.monthly_cny + standby
    # when each server leaves its room (None: it stays)
    leaves: dict[str, int | None] = {}
    for server in ledger.servers.values():
        leaves[server.id] = None
    systems_of_server: dict[str, list[str]] = defaultdict(list)
    for system in ledger.systems.values():
        for s in system.servers:
            systems_of_server[s].append(system.id)
    for server_id, system_ids in systems_of_server.items():
        if server_id not in leaves:
            continue
        if all(decisions[s].action in MOVING | {"retire"} for s in system_ids):
            leaves[server_id] = max(wave_of.get(s, 1) for s in system_ids)
    for system_id, decision in sorted(decisions.items()):
        if decision.action == "retire":
            schedule[min(wave_of[system_id], last) - 1].retired_systems.append(system_id)
            inputs.retiring_systems.add(system_id)
        if decision.action == "replatform":
            inputs.porting_systems.add(system_id)
        if decision.action in MOVING:
            inputs.moving_systems.add(system_id)
            inputs.moving_servers.update(s for s in ledger.systems[system_id].servers if s in ledger.servers)
    for op in operations(ledger, decisions, wave_of, rules):  # issue 23: who runs what
        inputs.operations_by_department[op.owner] += op.to_be_cny
    room_closes = _room_closes(ledger, leaves, set(systems_of_server))
    room_closes = hold_recovery_rooms(
        ledger, {s: d.action for s, d in decisions.items()}, wave_of, room_closes
    )
    for server_id, wave in leaves.items():
        decision_actions = {decisions[s].action for s in systems_of_server.get(server_id, [])}
        unassigned = server_id not in systems_of_server
        if unassigned and ledger.servers[server_id].site in room_closes:
            continue  # reclaimed with its room
        if wave is None or "relocate" in decision_actions:
            inputs.running_servers.add(server_id)  # still depreciating where it stands, or relocated
    servers_at: dict[str, list[str]] = defaultdict(list)
    for server in ledger.servers.values():
        servers_at[server.site].append(server.id)
    for site_id in ledger.sites:
        wave = room_closes.get(site_id)
        if wave is None:
            if servers_at.get(site_id):
                inputs.open_rooms.add(site_id)
            continue
        entry = schedule[min(wave, last) - 1]
        entry.closed_rooms.append(site_id)
        entry.confirm_servers.extend(s for s in servers_at.get(site_id, []) if s not in systems_of_server)
    cutover = _cutovers(ledger, analysis, wave_of)
    for network_id, wave in sorted(cutover.items()):
        schedule[min(wave, last) - 1].cutover_networks.append(network_id)
    for line in ledger.lines.values():
        wave = _line_cancelled(ledger, line, room_closes, cutover)
        if wave is None:
            inputs.kept_lines.add(line.id)
        else:
            schedule[min(wave, last) - 1].cancelled_lines.append(line.id)
    for network_id in cutover:
        network = ledger.networks[network_id]
        mbps = sum(ln.bandwidth_mbps for ln in ledger.lines.values() if ln.network == network_id)
        inputs.extranet_mbps_by_department[network.owner] += mbps
    by_system = defaultdict(list)
    for p in placements:
        by_system[p.system].append(p)
    for entry in schedule:
        for group in entry.wave.groups:
            entry.paths.extend(_group_paths(ledger, group, by_system, graph, rules))
    weeks = [calendar.wave_weeks(e.wave.pilot, (p.hours for p in e.paths), rules) for e in schedule]
    for entry, window in zip(schedule, calendar.windows(ledger.region.as_of, weeks), strict=True):
        entry.window = window
    return schedule, inputs


def _room_closes(ledger: model.Ledger, leaves: dict[str, int | None], assigned: set[str]) -> dict[str, int]:
    """The wave after which each room can close: every server of a system has left it.

    Servers of no recorded system do not hold a room open (their owners are asked to confirm
    before the room closes); a room holding only such servers closes after the first wave.
    """
    waves_by_site: dict[str, list[int | None]] = defaultdict(list)
    for server in ledger.servers.values():
        waves_by_site[server.site].append(leaves[server.id] if server.id in assigned else 1)
    return {
        site: max(w for w in waves if w is not None)
        for site, waves in waves_by_site.items()
        if waves and all(w is not None for w in waves)
    }


def _cutovers(ledger: model.Ledger, analysis: Analysis, wave_of: dict[str, int]) -> dict[str, int]:
    """Private networks moving onto the extranet, and the wave after which they are cut over."""
    out = {}
    for finding in analysis.of_kind("private-network"):
        if finding.status != "candidate":
            continue
        network_id = finding.members[0].split(":", 1)[1]
        users = [
            wave_of[s.id] for s in ledger.systems.values() if network_id in s.networks and s.id in wave_of
        ]
        out[network_id] = max(users, default=1)
    return out


def _line_cancelled(
    ledger: model.Ledger, line: model.Line, room_closes: dict[str, int], cutover: dict[str, int]
) -> int | None:
    if line.network and line.network in cutover:
        return cutover[line.network]
    if line.network and ledger.networks[line.network].kind in ("classified", "national_vertical", "intranet"):
        return None
    sites = [end.site for end in (line.a_end, line.z_end) if end.site]
    if not sites or any(s not in room_closes for s in sites):
        return None
    return max(room_closes[s] for s in sites)


def _group_paths(
    ledger: model.Ledger,
    group: MoveGroup,
    by_system: dict[str, list[Placement]],
    graph: net.PlaceGraph,
    rules: PlanRules,
) -> list[net.Path]:
    data: dict[tuple[str, str], float] = defaultdict(float)
    for system_id in group.systems:
        for p in by_system.get(system_id, []):
            data[(ledger.servers[p.server].site, p.node)] += p.storage_gb
    return [net.find_path(graph, site, node, gb, rules) for (site, node), gb in sorted(data.items())]


__all__ = ["Plan", "WaveSchedule", "build", "target_for"]
