"""The verifier's checks of 先立后破 (build the new before breaking the old), re-derived from
the ledger and the schedule rather than from the planner's bookkeeping:

- a system retired onto a platform retires only once the platform is live (it moved in an
  earlier or the same wave, or it stays where it runs) and the parallel run is over, and its
  users are switched to the platform in the wave it retires;
- a private network whose addresses clash with another network joining the extranet is
  re-addressed in an earlier wave than the one it is cut over in;
- a room closes only when nothing in it still runs or is still needed: servers of systems
  that stay or leave later, a classified system or network, the termination of a national
  vertical, classified or 政务内网 network, a line still in use, equipment (switches,
  firewalls …) serving a network not cut over by then;
- findings acted on: idle servers reclaimed rather than placed, a second record of one asset
  never placed, a parallel line cancelled only after the shared line is upgraded.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from networkx.utils import UnionFind

from govcloud.ledger import model
from govcloud.ledger.networks import ISOLATED_NETWORKS, JOINED_KINDS, overlaps, ranges
from govcloud.plan.decide import MOVING
from govcloud.plan.rewire import dependencies
from govcloud.plan.rules import teams

if TYPE_CHECKING:  # the planner runs the verifier, which runs these checks
    from govcloud.plan.planner import Plan, WaveSchedule


@dataclass(frozen=True)
class Found:
    """A broken principle: the verifier turns it into a ``Violation``."""

    code: str
    subject: str
    detail: str


@dataclass
class _Timeline:
    """What the schedule says, by wave: when each wave ends and what happens in it."""

    ends: dict[int, dt.date]
    moves: dict[str, int]
    retires: dict[str, int]
    switched: set[tuple[str, str, int]]
    cutover: dict[str, int]
    readdressed: dict[str, int]

    @classmethod
    def of(cls, plan: Plan) -> _Timeline:
        line = cls({}, {}, {}, set(), {}, {})
        for entry in plan.schedule:
            number = entry.wave.number
            if entry.window is not None:
                line.ends[number] = entry.window.end
            for system_id in entry.wave.systems:
                line.moves[system_id] = number
            for system_id in entry.retired_systems:
                line.retires[system_id] = number
            for retired, platform in entry.switched_users:
                line.switched.add((retired, platform, number))
            for network_id in entry.cutover_networks:
                line.cutover[network_id] = number
            for network_id in entry.readdressed_networks:
                line.readdressed.setdefault(network_id, number)
        return line


def check(plan: Plan) -> list[Found]:
    line = _Timeline.of(plan)
    return [
        *_parallel_run(plan, line),
        *_readdressing(plan, line),
        *_rooms(plan, line),
        *_findings(plan),
        *_callers(plan),
        *_nodes(plan),
        *_calendar(plan),
    ]


def _calendar(plan: Plan) -> list[Found]:
    """No cut-over (a wave's last day) in a freeze of one of its departments; at most
    ``migration_teams`` waves at once; nothing starts before the pilot has ended."""
    out = []
    ledger = plan.ledger
    planned = [(e, e.window) for e in plan.schedule if e.window is not None and not e.done and e.wave.groups]
    for entry, window in planned:
        for owner in sorted({ledger.systems[s].owner for s in entry.wave.systems}):
            dept = ledger.departments.get(owner)
            key = f"{owner} {dept.name}" if dept else owner
            for freeze in plan.freezes:
                if freeze.applies(key) and freeze.covers(window.end):
                    detail = f"{window.end.isoformat()} {freeze.name}: {owner}"
                    out.append(Found("cutover-in-freeze", f"wave {entry.wave.number}", detail))
    # waves running on each wave's first day: started by then (sorted starts) and not yet ended
    allowed = teams(plan.rules, sum(e.wave.servers for e, _ in planned))
    starts = sorted(w.start for _, w in planned)
    ends = sorted(w.end for _, w in planned)
    for _entry, window in planned:
        count = bisect.bisect_right(starts, window.start) - bisect.bisect_left(ends, window.start)
        if count > allowed:
            running = [e.wave.number for e, w in planned if w.start <= window.start <= w.end]
            out.append(Found("too-many-waves-at-once", window.start.isoformat(), f"waves {running}"))
    # per cloud node or department (scenario calendar.teams): waves of that key at once
    for key, cap in sorted(plan.team_limits.items()):
        mine = [(e, w) for e, w in planned if key in _keys(plan, e)]
        key_ends = sorted(w.end for _, w in mine)
        key_starts = sorted(w.start for _, w in mine)
        for entry, window in mine:
            count = bisect.bisect_right(key_starts, window.start) - bisect.bisect_left(key_ends, window.start)
            if count > cap:
                out.append(
                    Found(
                        "too-many-waves-at-once",
                        key,
                        f"{count} > {cap} on {window.start.isoformat()} (wave {entry.wave.number})",
                    )
                )
    for pilot, pilot_window in planned:
        if not pilot.wave.pilot:
            continue
        for entry, window in planned:
            if entry is not pilot and window.start <= pilot_window.end:
                out.append(
                    Found("wave-before-pilot-ends", f"wave {entry.wave.number}", window.start.isoformat())
                )
    return out


def _keys(plan: Plan, entry: WaveSchedule) -> set[str]:
    """The cloud nodes a wave moves systems to, and its departments."""
    systems = entry.wave.systems
    nodes = {plan.decisions[s].target or "" for s in systems} - {""}
    return nodes | {plan.ledger.systems[s].owner for s in systems}


def _nodes(plan: Plan) -> list[Found]:
    """A system that needs 信创 runs on a node that offers it; a latency-bound system only on
    a city node of its own prefecture."""
    out = []
    ledger = plan.ledger
    for system_id, decision in sorted(plan.decisions.items()):
        node = ledger.cloud_nodes.get(decision.target or "")
        if decision.action not in MOVING or node is None:
            continue
        system = ledger.systems[system_id]
        if system.xinchuang and not node.xinchuang:
            out.append(Found("xinchuang-unmet", system_id, f"on {node.id}"))
        if system.latency_bound:
            dept = ledger.departments.get(system.owner)
            prefecture = dept.region_code[:4] if dept else "-"
            if node.kind != "city" or (node.region_code or "")[:4] != prefecture:
                out.append(Found("latency-far", system_id, f"on {node.id}, prefecture {prefecture}"))
    return out


def _callers(plan: Plan) -> list[Found]:
    """A system that stays or moves and called a system retired onto a platform calls the
    platform now, and no longer the retired system."""
    out = []
    by_caller = plan.rewired_by_caller()
    decisions = plan.decisions
    for system in plan.ledger.systems.values():
        if decisions[system.id].action == "retire":
            continue
        onto = [
            (dep, called)
            for dep in system.dependencies
            if (called := decisions.get(dep.system)) is not None
            and called.action == "retire"
            and called.platform
        ]
        if not onto:
            continue  # it called no system retired onto a platform
        after = {d.system for d in dependencies(system, decisions, by_caller.get(system.id, []))}
        for dep, called in onto:
            if dep.system in after or (called.platform != system.id and called.platform not in after):
                out.append(
                    Found(
                        "caller-not-rewired", system.id, f"calls {dep.system}, retired onto {called.platform}"
                    )
                )
    return out


def _findings(plan: Plan) -> list[Found]:
    """Idle servers are reclaimed, not placed (a system keeps one server); a second record of
    one asset is never placed; a parallel line is cancelled only after its shared line is
    upgraded."""
    out = []
    alias, idle = plan.acted.alias_of, plan.acted.idle_servers
    placed_of = Counter(p.system for p in plan.placements)
    # only the placements of idle servers and second records can break these: sorted alone
    flagged = [p for p in plan.placements if p.server in alias or p.server in idle]
    for p in sorted(flagged, key=lambda p: p.server):
        if p.server in alias:
            out.append(Found("record-placed-twice", p.server, f"the same asset as {alias[p.server]}"))
        elif placed_of[p.system] > 1:
            out.append(Found("idle-placed", p.server, f"{p.system} on {p.node}"))
    upgraded = {ln: e.wave.number for e in plan.schedule for ln in e.upgraded_lines}
    cancelled = {ln: e.wave.number for e in plan.schedule for ln in e.cancelled_lines}
    for line_id, keep in sorted(plan.shared_by.items()):
        if keep in upgraded and line_id in cancelled and cancelled[line_id] <= upgraded[keep]:
            detail = f"cancelled in wave {cancelled[line_id]}, {keep} upgraded in wave {upgraded[keep]}"
            out.append(Found("line-cancelled-before-upgrade", line_id, detail))
    return out


def _parallel_run(plan: Plan, line: _Timeline) -> list[Found]:
    out = []
    weeks = plan.rules.parallel_run_weeks
    for system_id, decision in sorted(plan.decisions.items()):
        platform = decision.platform
        if decision.action != "retire" or not platform:
            continue
        chosen = plan.decisions.get(platform)
        if chosen is None or chosen.action == "retire":
            action = chosen.action if chosen else "-"
            out.append(Found("platform-not-live", system_id, f"{platform}: {action}"))
            continue
        retires = line.retires.get(system_id)
        if retires is None or retires not in line.ends:
            out.append(Found("retired-before-parallel-run", system_id, f"{platform}: no retirement wave"))
            continue
        if chosen.action in MOVING:
            wave = line.moves.get(platform)
            live = line.ends.get(wave) if wave is not None else None
        else:
            live = plan.ledger.region.as_of
        retired_on = line.ends[retires]
        if live is None or retired_on < live + dt.timedelta(weeks=weeks):
            out.append(
                Found(
                    "retired-before-parallel-run",
                    system_id,
                    f"{retired_on.isoformat()} < {platform} live {live.isoformat() if live else '-'} + {weeks} weeks",
                )
            )
        if (system_id, platform, retires) not in line.switched:
            out.append(Found("users-not-switched", system_id, f"{platform} in wave {retires}"))
    return out


def needs_readdressing(ledger: model.Ledger) -> set[str]:
    """Networks joining the extranet whose ranges overlap another's and that do not keep
    their addresses (in each overlapping group the network with most rooms, then the first
    id, keeps them)."""
    joined = [
        n for n in ledger.networks.values() if n.kind in JOINED_KINDS and n.kind not in ISOLATED_NETWORKS
    ]
    union: UnionFind[str] = UnionFind()
    for a, b in overlaps(ranges(joined)):
        union.union(a.network, b.network)
    out: set[str] = set()
    for group in union.to_sets():
        if len(group) < 2:
            continue
        keeper = min((ledger.networks[n] for n in group), key=lambda n: (-len(n.sites), n.id))
        out.update(n for n in group if n != keeper.id)
    return out


def _readdressing(plan: Plan, line: _Timeline) -> list[Found]:
    out = []
    needed = needs_readdressing(plan.ledger)
    for network_id, wave in sorted(line.cutover.items()):
        if network_id not in needed:
            continue
        done = line.readdressed.get(network_id)
        if done is None or done >= wave:
            when = "-" if done is None else f"wave {done}"
            out.append(
                Found("cutover-before-readdress", network_id, f"cut over in wave {wave}, re-addressed {when}")
            )
    return out


def _rooms(plan: Plan, line: _Timeline) -> list[Found]:
    ledger = plan.ledger
    closes = {site: entry.wave.number for entry in plan.schedule for site in entry.closed_rooms}
    if not closes:
        return []
    index = plan.index()
    systems_of_server, classified_sites = index.systems_on_server, index.classified_sites
    held = index.isolated_networks  # networks that never move: a room terminating one stays
    terminations: dict[str, set[str]] = defaultdict(set)
    for network in ledger.networks.values():
        if network.id in held:
            for site_id in network.sites:
                terminations[site_id].add(network.id)
    for site in ledger.sites.values():  # equipment serving such a network terminates it too
        terminations[site.id].update(n for gear in site.equipment for n in gear.networks if n in held)
    lines_at = index.lines_at_site
    for site_id, lines in lines_at.items():
        terminations[site_id].update(ln.network or "" for ln in lines if ln.network in held)
    staying_networks: dict[str, list[str]] = defaultdict(list)
    for system in ledger.systems.values():
        if plan.decisions[system.id].action not in MOVING | {"retire"}:
            for network_id in system.networks:
                staying_networks[network_id].append(system.id)
    out = []
    for server in ledger.servers.values():
        wave = closes.get(server.site)
        if wave is None:
            continue
        for system_id in systems_of_server.get(server.id, []):
            action = plan.decisions[system_id].action
            leaves = line.retires.get(system_id) if action == "retire" else line.moves.get(system_id)
            if action not in MOVING | {"retire"} or leaves is None or leaves > wave:
                detail = f"{server.id} of {system_id} ({action}, leaves {leaves or '-'}), room closes in wave {wave}"
                out.append(Found("room-closed-running", server.site, detail))
    for site_id, wave in sorted(closes.items()):
        if site_id in classified_sites:
            out.append(Found("room-closed-classified", site_id, f"wave {wave}"))
        if terminations.get(site_id):
            out.append(
                Found("room-closed-national-network", site_id, ", ".join(sorted(terminations[site_id])))
            )
        for ln in sorted(lines_at.get(site_id, []), key=lambda x: x.id):
            carried = ln.network
            if not carried or carried in held or not staying_networks.get(carried):
                continue
            cut = line.cutover.get(carried)
            if cut is None or cut > wave:
                users = ", ".join(sorted(staying_networks[carried]))
                out.append(Found("room-closed-line-in-use", site_id, f"{ln.id} ({carried}: {users})"))
        out.extend(_equipment(plan, line, site_id, wave, held, staying_networks))
    return out


def _equipment(
    plan: Plan, line: _Timeline, site_id: str, wave: int, held: set[str], staying: dict[str, list[str]]
) -> list[Found]:
    """A room's equipment serving a network goes only once that network is cut over (by the
    room's closing wave), or when nothing that stays uses a network that is never cut over."""
    site = plan.ledger.sites.get(site_id)
    out = []
    for gear in site.equipment if site else ():
        for network_id in gear.networks:
            if network_id in held:
                continue  # room-closed-national-network
            cut = line.cutover.get(network_id)
            if cut is None and not staying.get(network_id):
                continue  # nothing that stays needs it
            if cut is None or cut > wave:
                when = (
                    f"cut over in wave {cut}"
                    if cut
                    else "not cut over: " + ", ".join(sorted(staying[network_id]))
                )
                detail = f"{gear.count} {gear.kind} serving {network_id} ({when}), room closes in wave {wave}"
                out.append(Found("room-closed-equipment-in-use", site_id, detail))
    return out
