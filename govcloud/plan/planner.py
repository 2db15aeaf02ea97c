"""The planner: decisions → placement → move groups → waves → schedule → paths → costs."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import cast

import networkx as nx

from govcloud.analysis import Analysis
from govcloud.ledger import model
from govcloud.ledger.index import Index
from govcloud.plan import calendar, choose, pricing
from govcloud.plan import cost as cost_model
from govcloud.plan import paths as net
from govcloud.plan import rules as plan_rules
from govcloud.plan.basis import Basis
from govcloud.plan.basis import basis as as_is_basis
from govcloud.plan.decide import MOVING, Action, Context, Decision, Reason, decide, target_for
from govcloud.plan.findings import Acted
from govcloud.plan.groups import hold_coupled, tight_groups
from govcloud.plan.operators import operations
from govcloud.plan.placement import Placement, Placer, platform_growth
from govcloud.plan.progress import Progress
from govcloud.plan.recovery import standby_mode
from govcloud.plan.recovery_rooms import hold_recovery_rooms, recovery_room_holds
from govcloud.plan.rewire import Rewire, dependencies, rewiring
from govcloud.plan.rules import PlanRules
from govcloud.plan.scenario import Scenario, freezes_of, team_limits_of
from govcloud.plan.verify import Violation, verify
from govcloud.plan.waves import MoveGroup, Wave, move_group, plan_waves


@dataclass
class WaveSchedule:
    """What a wave moves, and what can be closed or cancelled once it is done."""

    wave: Wave
    retired_systems: list[str] = field(default_factory=list)
    closed_rooms: list[str] = field(default_factory=list)
    cancelled_lines: list[str] = field(default_factory=list)
    cutover_networks: list[str] = field(default_factory=list)
    #: private networks re-addressed in this wave, so that a later wave can cut them over
    readdressed_networks: list[str] = field(default_factory=list)
    #: (retired system, platform): the retired system's users are switched to the platform in
    #: this wave, during the parallel run, before the system retires at the wave's end
    switched_users: list[tuple[str, str]] = field(default_factory=list)
    #: servers of no recorded system in the rooms closed: reclaimed once their owners confirm
    confirm_servers: list[str] = field(default_factory=list)
    paths: list[net.Path] = field(default_factory=list)
    #: when the wave runs; rooms and lines of the wave close after its end
    window: calendar.Window | None = None
    #: the ledger records this wave as done (its window is when it happened)
    done: bool = False
    #: idle servers switched off in this wave instead of moving
    reclaimed_servers: list[str] = field(default_factory=list)
    #: lines upgraded in this wave to carry the parallel lines cancelled in a later one
    upgraded_lines: list[str] = field(default_factory=list)


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
    #: rooms that cannot close, with why (``servers``, ``classified``, ``national-network``,
    #: ``line-in-use``, ``recovery-copy``, ``equipment-in-use``)
    room_holds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the analysis' findings the plan acts on (idle servers, records of one asset, shared lines)
    acted: Acted = field(default_factory=Acted)
    #: a parallel line cancelled → the shared line that carries it
    shared_by: dict[str, str] = field(default_factory=dict)
    #: calls to systems retired onto a platform, redirected to the platform
    rewired: list[Rewire] = field(default_factory=list)
    #: days no cut-over may happen, per department
    freezes: tuple[calendar.Freeze, ...] = ()
    #: at most this many waves at once per cloud node or department (scenario ``calendar.teams``)
    team_limits: dict[str, int] = field(default_factory=dict)
    _rewired_index: tuple[tuple[Rewire, ...], dict[str, list[Rewire]]] | None = field(
        default=None, repr=False, compare=False
    )
    #: what :func:`govcloud.plan.verify.verify` found when :func:`build` made the plan (None
    #: for a plan put together by hand until :meth:`violations` is asked)
    verification: tuple[Violation, ...] | None = field(default=None, repr=False, compare=False)
    #: the as-is cost estimated where the ledger records none (:mod:`govcloud.plan.basis`),
    #: worked out once
    _basis: Basis | None = field(default=None, repr=False, compare=False)
    #: the ledger's indexes (:class:`govcloud.ledger.index.Index`), made once for the planner
    #: and its verifier
    _index: Index | None = field(default=None, repr=False, compare=False)

    def basis(self) -> Basis:
        """What of today's cost the plan estimated, from the price table's unit costs."""
        if self._basis is None:
            self._basis = as_is_basis(self.ledger)
        return self._basis

    def index(self) -> Index:
        """The ledger's indexes, made once (the ledger does not change)."""
        if self._index is None or self._index.ledger is not self.ledger:
            self._index = Index.of(self.ledger)
        return self._index

    def violations(self) -> tuple[Violation, ...]:
        """The constraints the plan breaks (empty when it is sound): verified once, when it
        was built, and read by every writer from here."""
        if self.verification is None:
            self.verification = tuple(verify(self))
        return self.verification

    def dependencies_of(self, system_id: str) -> tuple[model.Dependency, ...]:
        """The system's dependencies once the plan is carried out (see :mod:`govcloud.plan.rewire`)."""
        return dependencies(
            self.ledger.systems[system_id], self.decisions, self.rewired_by_caller().get(system_id, [])
        )

    def rewired_by_caller(self) -> dict[str, list[Rewire]]:
        """The rewired calls by caller (indexed once: at 100k servers there are many)."""
        key = tuple(self.rewired)
        if self._rewired_index is None or self._rewired_index[0] != key:
            index: dict[str, list[Rewire]] = defaultdict(list)
            for r in self.rewired:
                index[r.caller].append(r)
            self._rewired_index = (key, dict(index))
        return self._rewired_index[1]

    @property
    def total(self) -> cost_model.Cost:
        return cost_model.total(self.costs.values())


def build(
    ledger: model.Ledger, analysis: Analysis, rules: PlanRules | None = None, scenario: Scenario | None = None
) -> Plan:
    """The migration plan of ``ledger``; it always passes :func:`govcloud.plan.verify.verify`."""
    rules = rules or PlanRules()
    scenario = scenario or Scenario()
    index = Index.of(ledger)
    forced = {system: cast(Action, action) for system, action in scenario.force}  # checked on load
    ctx = Context(
        index,
        analysis,
        rules,
        forced,
        frozenset(scenario.keep_departments),
        chosen_platforms=frozenset(scenario.platforms),
        shared_categories=None if scenario.common_functions is None else frozenset(scenario.common_functions),
    )
    groups = tight_groups(ledger)
    progress = Progress.of(ledger)
    acted = Acted.of(analysis, ledger)
    decisions = _live_platforms({s.id: decide(s, ctx) for s in ledger.systems.values()}, ctx)
    decisions = progress.apply(hold_coupled(decisions, groups))
    decisions, placements = _place(ledger, ctx, decisions, groups, progress, acted)
    decisions = progress.apply(decisions)
    moving = {s for s, d in decisions.items() if d.action in MOVING and s not in progress.migrated}
    moving_groups = [
        move_group(ledger, [s for s in g if s in moving], index) for g in groups if moving & set(g)
    ]
    graph = net.network(ledger)
    linked = _linked_sites(ledger, graph)
    platforms = frozenset(d.platform for d in decisions.values() if d.platform)
    waves = _done_waves(ledger, groups, progress, index)
    waves += plan_waves(
        ledger,
        moving_groups,
        rules,
        _must_follow(ledger, decisions, moving_groups, linked, index),
        platforms,
        first=progress.next_wave,
    )
    wave_of = {s: w.number for w in waves for s in w.systems}
    shared_by: dict[str, str] = {}
    freezes = freezes_of(scenario)
    limits = team_limits_of(scenario)
    schedule, inputs, holds = _schedule(
        ledger,
        analysis,
        decisions,
        placements,
        waves,
        wave_of,
        graph,
        rules,
        progress,
        acted,
        shared_by,
        freezes,
        limits,
        index,
    )
    on_server = index.systems_on_server
    unassigned = sorted(s for s in ledger.servers if s not in on_server)
    estimated = as_is_basis(ledger)
    plan = Plan(
        ledger,
        rules,
        decisions,
        placements,
        schedule,
        cost_model.costs(ledger, inputs, estimated),
        unassigned,
        wave_of,
        holds,
        acted,
        shared_by,
        rewiring(ledger, decisions),
        freezes,
        limits,
        _basis=estimated,
        _index=index,
    )
    plan.violations()  # the plan carries its verification: the writers read it, never re-run it
    return plan


def wave_keys(ledger: model.Ledger, decisions: dict[str, Decision], wave: Wave) -> tuple[str, ...]:
    """What a team limit can name for a wave: the nodes it moves systems to and its departments."""
    nodes = {decisions[s].target or "" for s in wave.systems} - {""}
    return tuple(sorted(nodes | {ledger.systems[s].owner for s in wave.systems}))


def _department_key(ledger: model.Ledger, system_id: str) -> str:
    """What a freeze window matches a system's department on: its id and its name."""
    owner = ledger.systems[system_id].owner
    dept = ledger.departments.get(owner)
    return f"{owner} {dept.name}" if dept else owner


def _live_platforms(decisions: dict[str, Decision], ctx: Context) -> dict[str, Decision]:
    """A duplicate retires only onto a platform that runs on: when the chosen platform is
    itself retired, the duplicate is decided again as if it had no platform."""
    out = dict(decisions)
    for system_id, decision in sorted(decisions.items()):
        platform = decision.platform
        if decision.action == "retire" and platform and decisions[platform].action == "retire":
            ctx.replaced_by.pop(system_id, None)
            out[system_id] = decide(ctx.ledger.systems[system_id], ctx)
    return out


def _done_waves(
    ledger: model.Ledger, groups: list[list[str]], progress: Progress, index: Index
) -> list[Wave]:
    """The waves the ledger records as done, each with exactly the systems migrated in it."""
    out = []
    for number in progress.done_waves:
        wave = Wave(number, pilot=number == 1)
        for group in groups:
            members = [s for s in group if s in progress.migrated and progress.migrated[s].wave == number]
            if members:
                wave.add(move_group(ledger, members, index), ledger)
        out.append(wave)
    return out


def _place(
    ledger: model.Ledger,
    ctx: Context,
    decisions: dict[str, Decision],
    groups: list[list[str]],
    progress: Progress,
    acted: Acted,
) -> tuple[dict[str, Decision], list[Placement]]:
    """Place moving systems, trying other certified nodes when one is full; a system that fits
    nowhere stays (and takes its tightly coupled group with it).  A system recorded as migrated
    is where it went, whatever room is left."""
    placer = Placer(ledger, ctx.rules)
    for platform, (absorbed, _) in ctx.platform_of.items():
        placer.growth[platform] = platform_growth(ledger, platform, absorbed, ctx.rules)
    systems = ledger.systems
    for system_id, decision in decisions.items():
        if decision.action in MOVING:
            placer.reclaim |= acted.reclaimed(systems[system_id], ledger)
    placements: list[Placement] = []
    for system_id in sorted(decisions):
        decision = decisions[system_id]
        if decision.action not in MOVING:
            continue
        system = systems[system_id]
        done = progress.migrated.get(system_id)
        if done is not None:
            sized = placer.size(system, done.node)
            placer.take(sized)
            placements.extend(sized)
            continue
        # the decided node first, then the others by the ranking's reasons (choose.py), ranked
        # only when the decided node is full (nothing is taken before: the same ranking)
        for node_id in _candidates(system, decision.target, ledger, placer):
            sized = placer.size(system, node_id)
            if placer.fits(sized, node_id):
                placer.take(sized)
                placements.extend(sized)
                if node_id != decision.target:
                    reasons = decision.reasons
                    if decision.target:
                        home = (("home", decision.target), ("node", node_id))
                        reasons = (*reasons, Reason("node-full", home))
                    decisions[system_id] = replace(decision, target=node_id, reasons=reasons)
                break
        else:
            candidates = [decision.target] if decision.target else []
            candidates += [n.id for n in _ranked(system, ledger, placer) if n.id not in candidates]
            reason = Reason("capacity", (("nodes", ", ".join(candidates) or "-"),))
            decisions[system_id] = replace(
                decision, action="retain", reasons=(*decision.reasons, reason), target=None
            )
    held = progress.apply(hold_coupled(decisions, groups))
    kept = {s for s, d in held.items() if d.action not in MOVING}
    return held, [p for p in placements if p.system not in kept]


def _ranked(system: model.System, ledger: model.Ledger, placer: Placer) -> list[model.CloudNode]:
    """The nodes for ``system`` by the ranking's reasons, with the vCPUs placed so far."""
    used = {node: vcpus for node, (vcpus, _, _) in placer.used.items()}
    return choose.rank(system, ledger, used)


def _candidates(
    system: model.System, target: str | None, ledger: model.Ledger, placer: Placer
) -> Iterator[str]:
    """The decided node, then the others by the ranking (worked out only when asked for)."""
    if target:
        yield target
    yield from (n.id for n in _ranked(system, ledger, placer) if n.id != target)


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
    ledger: model.Ledger,
    decisions: dict[str, Decision],
    groups: list[MoveGroup],
    linked: set[str],
    index: Index,
) -> Callable[[MoveGroup], set[str]]:
    group_of = {s: g.id for g in groups for s in g.systems}
    systems = ledger.systems

    @functools.cache
    def linked_only(system_id: str) -> bool:
        """Every room of the system's servers has a path to a cloud node."""
        return {server.site for server in index.known_servers(systems[system_id])} <= linked

    def must_follow(group: MoveGroup) -> set[str]:
        out = set()
        group_id = group.id
        for system_id in group.systems:
            for dep in systems[system_id].dependencies:
                other = group_of.get(dep.system)
                if other is None or other == group_id:
                    continue
                if not (linked_only(system_id) and linked_only(dep.system)):
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
    progress: Progress,
    acted: Acted,
    shared_by: dict[str, str],
    freezes: tuple[calendar.Freeze, ...],
    limits: dict[str, int],
    index: Index,
) -> tuple[list[WaveSchedule], cost_model.CostInputs, dict[str, tuple[str, ...]]]:
    schedule = [WaveSchedule(w) for w in waves] or [WaveSchedule(Wave(1, pilot=False))]
    # when the waves run comes first: retirements wait for their platform's parallel run
    by_system: dict[str, list[tuple[str, Placement]]] = defaultdict(list)
    servers = ledger.servers
    for p in placements:  # with the room each server leaves (looked up in the placements' order)
        by_system[p.system].append((servers[p.server].site, p))
    planned = [e for e in schedule if e.wave.number not in progress.windows]
    routes: dict[tuple[str, str], net.Route] = {}
    for entry in planned:
        for group in entry.wave.groups:
            entry.paths.extend(_group_paths(group, by_system, graph, rules, routes))
    start = progress.starts_after(ledger.region.as_of)
    spans = [
        (
            calendar.wave_weeks(e.wave.pilot, (p.hours for p in e.paths), rules),
            e.wave.pilot,
            tuple(sorted({_department_key(ledger, s) for g in e.wave.groups for s in g.systems})),
        )
        for e in planned
    ]
    for entry, window in zip(
        planned,
        calendar.team_windows(
            start,
            spans,
            plan_rules.teams(rules, sum(e.wave.servers for e in planned)),
            freezes,
            limits,
            [wave_keys(ledger, decisions, e.wave) for e in planned],
        ),
        strict=True,
    ):
        entry.window = window
    for entry in schedule:
        entry.window = progress.windows.get(entry.wave.number, entry.window)
        entry.done = entry.wave.number in progress.windows
    plan = _Calendar(schedule, rules)
    first_open = progress.next_wave
    inputs = cost_model.CostInputs()
    systems = ledger.systems
    modes: dict[str, str | None] = {}  # a system's standby, the same for each of its servers
    for p in placements:
        priced = pricing.price(p, decisions[p.system].action, ledger.prices)  # relocated: not twice
        system = systems[p.system]
        if p.system in modes:
            mode = modes[p.system]
        else:
            mode = modes[p.system] = standby_mode(
                system.mlps_level, system.data_class, system.ha, system.rto_hours
            )
        # issue 23: recovery (a system without a standby pays nothing more)
        standby = pricing.standby_monthly(p, priced, mode, ledger.prices) if mode else 0.0
        inputs.cloud_monthly_by_department[system.owner] += priced.monthly_cny + standby
    for system_id, retires in _retirements(ledger, decisions, wave_of, plan, rules, progress).items():
        wave_of[system_id] = retires
        entry = plan.at(retires)
        entry.retired_systems.append(system_id)
        platform = decisions[system_id].platform
        if platform:
            entry.switched_users.append((system_id, platform))
    # when each server leaves its room (None: it stays)
    leaves: dict[str, int | None] = dict.fromkeys(servers)
    systems_of_server = index.systems_on_server  # read with .get only: no key is added
    leaving = MOVING | {"retire"}
    # a server of one system (most) leaves with it: worked out once per system
    leaves_with = {s: wave_of.get(s, 1) if d.action in leaving else None for s, d in decisions.items()}
    for server_id, system_ids in systems_of_server.items():
        if server_id not in leaves:
            continue
        if len(system_ids) == 1:
            leaves[server_id] = leaves_with[system_ids[0]]
        elif all(decisions[s].action in leaving for s in system_ids):
            leaves[server_id] = max(wave_of.get(s, 1) for s in system_ids)
    for system_id, decision in sorted(decisions.items()):
        if decision.action == "retire":
            inputs.retiring_systems.add(system_id)
        if decision.action == "replatform":
            inputs.porting_systems.add(system_id)
        if decision.action in MOVING:
            inputs.moving_systems.add(system_id)
            inputs.moving_servers.update(s for s in systems[system_id].servers if s in servers)
    for op in operations(ledger, decisions, wave_of, rules):  # issue 23: who runs what
        inputs.operations_by_department[op.owner] += op.to_be_cny
    cutover = {
        n: plan.ensure(max(w, first_open))
        for n, w in _cutovers(ledger, analysis, wave_of).items()
        if n not in progress.cutover_networks
    }
    readdress = _readdressing(analysis)
    for network_id in sorted(cutover):
        if network_id in readdress:
            first = plan.ensure(first_open)
            plan.at(first).readdressed_networks.append(network_id)
            cutover[network_id] = plan.ensure(max(cutover[network_id], first + 1))
    for network_id, day in progress.cutover_networks.items():
        cutover[network_id] = progress.wave_on(day) or plan.ensure(first_open)
    holds = room_holds(ledger, decisions, set(cutover), index)
    # a room holding the recovery copy of a system that moves waits for its wave (issue 23)
    actions: dict[str, str] = {s: d.action for s, d in decisions.items()}
    closes = hold_recovery_rooms(
        ledger, actions, wave_of, _room_closes(ledger, leaves, set(systems_of_server))
    )
    cut = set(cutover)
    for site_id in closes:  # its equipment goes once the networks it serves are cut over
        served = {n for gear in ledger.sites[site_id].equipment for n in gear.networks} & cut
        closes[site_id] = max([closes[site_id], *(cutover[n] for n in served)])
    room_closes = {
        site: plan.ensure(max(wave, first_open))
        for site, wave in closes.items()
        if site not in holds and site not in progress.closed_rooms
    }
    for site_id, day in progress.closed_rooms.items():
        room_closes[site_id] = progress.wave_on(day) or plan.ensure(first_open)
    placed = {p.server for p in placements}
    for server_id in sorted(acted.idle_servers):
        system_ids = systems_of_server.get(server_id, [])
        if server_id in placed or server_id in acted.alias_of:
            continue
        if not system_ids:
            plan.at(plan.ensure(first_open)).reclaimed_servers.append(server_id)
        elif all(decisions[s].action in MOVING for s in system_ids):
            plan.at(max(wave_of.get(s, first_open) for s in system_ids)).reclaimed_servers.append(server_id)
    reclaimed = {s for e in plan.schedule for s in e.reclaimed_servers}
    relocated = {s for s, d in decisions.items() if d.action == "relocate"}
    for server_id, wave in leaves.items():
        running_on = systems_of_server.get(server_id)
        if running_on is None and servers[server_id].site in room_closes:
            continue  # of no system: reclaimed with its room
        if server_id in reclaimed or server_id in acted.alias_of:
            continue  # switched off, or a second record of a server counted once
        if wave is None or not relocated.isdisjoint(running_on or ()):
            inputs.running_servers.add(server_id)  # still depreciating where it stands, or relocated
    servers_at = index.servers_on_site
    for site_id in ledger.sites:
        wave = room_closes.get(site_id)
        if wave is None:
            if servers_at.get(site_id):
                inputs.open_rooms.add(site_id)
            continue
        entry = plan.at(wave)
        entry.closed_rooms.append(site_id)
        entry.confirm_servers.extend(
            s for s in servers_at.get(site_id, []) if s not in systems_of_server and s not in reclaimed
        )
    for network_id, wave in sorted(cutover.items()):
        plan.at(wave).cutover_networks.append(network_id)
    shared_cancel = _shared_lines(ledger, acted, room_closes, cutover, progress, plan, first_open, shared_by)
    for line in ledger.lines.values():
        if line.id in progress.cancelled_lines:
            wave = progress.wave_on(progress.cancelled_lines[line.id]) or plan.ensure(first_open)
        else:
            wave = _line_cancelled(ledger, line, room_closes, cutover)
            wave = None if wave is None else plan.ensure(max(wave, first_open))
            if wave is None and line.id in shared_cancel:
                wave = shared_cancel[line.id]
        if wave is None:
            inputs.kept_lines.add(line.id)
        else:
            plan.at(wave).cancelled_lines.append(line.id)
    lines_of: dict[str | None, list[model.Line]] = defaultdict(list)
    for line in ledger.lines.values() if cutover else ():
        lines_of[line.network].append(line)
    for network_id in cutover:
        network = ledger.networks[network_id]
        mbps = sum(ln.bandwidth_mbps for ln in lines_of.get(network_id, ()))
        inputs.extranet_mbps_by_department[network.owner] += mbps
    return plan.schedule, inputs, holds


class _Calendar:
    """The schedule by wave number; a closing wave (no moves, as long as the parallel run) is
    added when a retirement or a cut-over must wait past the last wave."""

    def __init__(self, schedule: list[WaveSchedule], rules: PlanRules) -> None:
        self.schedule = schedule
        self.rules = rules
        self.by_number = {e.wave.number: e for e in schedule}
        self.closing_entry: WaveSchedule | None = None

    def at(self, number: int) -> WaveSchedule:
        return self.by_number.get(number) or self.schedule[-1]

    @property
    def last(self) -> WaveSchedule:
        return self.schedule[-1]

    def ensure(self, number: int) -> int:
        """``number`` if that wave exists, else the closing wave's number (added if needed)."""
        if number in self.by_number:
            return number
        return self.closing().wave.number

    def closing(self) -> WaveSchedule:
        if self.closing_entry is None:
            last = self.last
            entry = WaveSchedule(Wave(last.wave.number + 1, pilot=False))
            start = last.window.end if last.window else dt.date.min
            entry.window = calendar.windows(start, [max(1, self.rules.parallel_run_weeks)])[0]
            self.schedule.append(entry)
            self.by_number[entry.wave.number] = entry
            self.closing_entry = entry
        return self.closing_entry


def platform_live(
    platform: str,
    decisions: dict[str, Decision],
    wave_of: dict[str, int],
    windows: dict[int, dt.date],
    as_of: dt.date,
) -> dt.date | None:
    """When a platform runs for its new users: at the end of the wave it moves in, now when it
    stays where it is, never when it is retired itself."""
    decision = decisions.get(platform)
    if decision is None or decision.action == "retire":
        return None
    if decision.action in MOVING:
        wave = wave_of.get(platform)
        return windows.get(wave) if wave is not None else None
    return as_of


def _retirements(
    ledger: model.Ledger,
    decisions: dict[str, Decision],
    wave_of: dict[str, int],
    plan: _Calendar,
    rules: PlanRules,
    progress: Progress,
) -> dict[str, int]:
    """The wave at whose end each retired system retires.  A system retired onto a platform (先立后破)
    runs beside it until the platform is live and the parallel run is over; others retire
    after the first wave."""
    out = {s: r.wave for s, r in progress.retired.items()}
    first = progress.next_wave
    parallel = dt.timedelta(weeks=rules.parallel_run_weeks)
    timed = [e for e in plan.schedule if e.window]
    numbers = [e.wave.number for e in timed]
    ends = [e.window.end for e in timed if e.window]
    end_of = dict(zip(numbers, ends, strict=True))
    emptied = _hosts_emptied(ledger, decisions, wave_of)
    for system_id, decision in sorted(decisions.items()):
        if decision.action != "retire" or system_id in out:
            continue
        if system_id in emptied:  # a virtualisation platform: after the last VM leaves its rooms
            out[system_id] = plan.ensure(max(first, emptied[system_id]))
            continue
        platform = decision.platform
        live = platform_live(platform, decisions, wave_of, end_of, ledger.region.as_of) if platform else None
        if platform is None or live is None:
            out[system_id] = plan.ensure(first)
            continue
        after = max(wave_of.get(platform, first), first)
        # waves are in order and their ends rise: the first wave at or after the platform's
        # that ends once the parallel run is over
        i = max(bisect.bisect_left(numbers, after), bisect.bisect_left(ends, live + parallel))
        out[system_id] = numbers[i] if i < len(numbers) else plan.closing().wave.number
    return out


def _hosts_emptied(
    ledger: model.Ledger, decisions: dict[str, Decision], wave_of: dict[str, int]
) -> dict[str, int]:
    """For each virtualisation platform that retires (``decide.virtualisation``), the last wave
    in which a system with a server in its rooms moves: its hosts are empty after it."""
    platforms = {
        s: d
        for s, d in decisions.items()
        if d.action == "retire" and d.reasons and d.reasons[0].code == "virtualisation"
    }
    if not platforms:
        return {}
    last_by_room: dict[str, int] = {}
    for system in ledger.systems.values():
        if decisions[system.id].action not in MOVING or system.id not in wave_of:
            continue
        for server_id in system.servers:
            server = ledger.servers.get(server_id)
            if server is not None:
                last_by_room[server.site] = max(last_by_room.get(server.site, 0), wave_of[system.id])
    out: dict[str, int] = {}
    for system_id in platforms:
        rooms = {ledger.servers[s].site for s in ledger.systems[system_id].servers if s in ledger.servers}
        out[system_id] = max((last_by_room.get(room, 0) for room in rooms), default=0)
    return out


def _shared_lines(
    ledger: model.Ledger,
    acted: Acted,
    room_closes: dict[str, int],
    cutover: dict[str, int],
    progress: Progress,
    plan: _Calendar,
    first_open: int,
    shared_by: dict[str, str],
) -> dict[str, int]:
    """Parallel lines the analysis proposes to carry on one shared line: the shared line is
    upgraded in the first open wave, the others are cancelled in the next one (先立后破).
    Lines of networks that never move, and groups whose shared line goes anyway, are left."""
    out: dict[str, int] = {}

    def stays(line_id: str) -> bool:
        line = ledger.lines[line_id]
        return (
            line_id not in progress.cancelled_lines
            and _line_cancelled(ledger, line, room_closes, cutover) is None
        )

    def held(line_id: str) -> bool:
        network = ledger.lines[line_id].network
        return bool(network) and ledger.networks[network or ""].kind in HELD_NETWORK_KINDS

    for shared in acted.shared_lines:
        # the proposed shared line, or when it goes anyway (its rooms close), the next that stays
        keep = next((ln for ln in (shared.keep, *shared.cancel) if stays(ln) and not held(ln)), None)
        if keep is None:
            continue
        cancel = [ln for ln in (shared.keep, *shared.cancel) if ln != keep and stays(ln) and not held(ln)]
        if not cancel:
            continue
        upgrade = plan.ensure(first_open)
        plan.at(upgrade).upgraded_lines.append(keep)
        later = plan.ensure(upgrade + 1)
        out.update(dict.fromkeys(cancel, later))
        shared_by.update(dict.fromkeys(cancel, keep))
    return out


def _readdressing(analysis: Analysis) -> set[str]:
    """Networks whose addresses clash with another joined network's and that are to be re-addressed."""
    out: set[str] = set()
    for finding in analysis.of_kind("address-conflict"):
        proposal = finding.evidence.get("proposal")
        if isinstance(proposal, dict):
            out.update(str(n) for n in proposal)
    return out


#: network kinds whose terminations keep a room open: they do not move
HELD_NETWORK_KINDS = frozenset({"classified", "national_vertical", "intranet"})


def room_holds(
    ledger: model.Ledger, decisions: dict[str, Decision], cutover: set[str], index: Index | None = None
) -> dict[str, tuple[str, ...]]:
    """Rooms that must stay open whatever moves, and why: a classified system or network is in
    them, they terminate a national vertical, classified or 政务内网 network, or a line still
    in use (its private network is not cut over and a system that stays uses it) ends there,
    or equipment in them serves such a network (``equipment-in-use``)."""
    holds: dict[str, set[str]] = defaultdict(set)
    for site_id in (index or Index.of(ledger)).classified_sites:
        holds[site_id].add("classified")
    held_networks = {n.id for n in ledger.networks.values() if n.kind in HELD_NETWORK_KINDS}
    for network_id in held_networks:
        for site_id in ledger.networks[network_id].sites:
            holds[site_id].add("national-network")
    in_use = {
        n
        for s in ledger.systems.values()
        if decisions[s.id].action not in MOVING | {"retire"}
        for n in s.networks
        if n not in cutover
    }
    for site_id in recovery_room_holds(ledger, {s: d.action for s, d in decisions.items()}):
        holds[site_id].add("recovery-copy")  # the only recovery copy of a system that stays
    for site in ledger.sites.values():  # switches, firewalls … of a network still needed (issue 25)
        for network_id in (n for gear in site.equipment for n in gear.networks):
            if network_id in held_networks:
                holds[site.id].add("national-network")
            elif network_id in in_use:
                holds[site.id].add("equipment-in-use")
    for line in ledger.lines.values():
        for end in (line.a_end, line.z_end):
            if not end.site:
                continue
            if line.network in held_networks:
                holds[end.site].add("national-network")
            elif line.network and line.network in in_use:
                holds[end.site].add("line-in-use")
    return {site: tuple(sorted(why)) for site, why in sorted(holds.items()) if site in ledger.sites}


def _room_closes(ledger: model.Ledger, leaves: dict[str, int | None], assigned: set[str]) -> dict[str, int]:
    """The wave after which each room can close: every server of a system has left it.

    Servers of no recorded system do not hold a room open (their owners are asked to confirm
    before the room closes); a room holding only such servers closes after the first wave.
    """
    waves_by_site: dict[str, list[int | None]] = defaultdict(list)
    for server_id, server in ledger.servers.items():
        waves_by_site[server.site].append(leaves[server_id] if server_id in assigned else 1)
    return {
        site: max(w for w in waves if w is not None)
        for site, waves in waves_by_site.items()
        if waves and all(w is not None for w in waves)
    }


def _cutovers(ledger: model.Ledger, analysis: Analysis, wave_of: dict[str, int]) -> dict[str, int]:
    """Private networks moving onto the extranet, and the wave after which they are cut over."""
    out = {}
    users: dict[str, list[int]] = defaultdict(list)  # network → the waves of its systems
    for system in ledger.systems.values():
        if system.id in wave_of:
            for network_id in set(system.networks):
                users[network_id].append(wave_of[system.id])
    for finding in analysis.of_kind("private-network"):
        if finding.status != "candidate":
            continue
        network_id = finding.members[0].split(":", 1)[1]
        out[network_id] = max(users.get(network_id, ()), default=1)
    return out


def _line_cancelled(
    ledger: model.Ledger, line: model.Line, room_closes: dict[str, int], cutover: dict[str, int]
) -> int | None:
    if line.network and line.network in cutover:
        return cutover[line.network]
    if line.network and ledger.networks[line.network].kind in HELD_NETWORK_KINDS:
        return None
    sites = [end.site for end in (line.a_end, line.z_end) if end.site]
    if not sites or any(s not in room_closes for s in sites):
        return None
    return max(room_closes[s] for s in sites)


def _group_paths(
    group: MoveGroup,
    by_system: dict[str, list[tuple[str, Placement]]],
    graph: net.PlaceGraph,
    rules: PlanRules,
    routes: dict[tuple[str, str], net.Route],
) -> list[net.Path]:
    """The paths a group's data takes, from each room to each node, with how much goes."""
    data: dict[tuple[str, str], float] = {}
    # summed in the placements' order; a run of one room and node is summed before it is stored
    last: tuple[str, str] | None = None
    gb = 0.0
    for system_id in group.systems:
        for site, p in by_system.get(system_id, ()):
            key = (site, p.node)
            if key != last:
                if last is not None:
                    data[last] = gb
                last, gb = key, data.get(key, 0.0)
            gb += p.storage_gb
    if last is not None:
        data[last] = gb
    return [net.find_path(graph, site, node, gb, rules, routes) for (site, node), gb in sorted(data.items())]


__all__ = ["Plan", "WaveSchedule", "build", "target_for"]
