"""An independent check of any plan against the constraints; the planner's output must pass.

It re-derives every constraint from the ledger rather than trusting the planner's reasons:
classified systems never on a shared cloud, MLPS level within the node's certification,
capacity, CPU architecture, tight groups in one wave, loose dependencies ordered, wave limits,
rooms holding a recovery copy open until its replacement is live, and 先立后破
(:mod:`govcloud.plan.principles`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govcloud.ledger.networks import ISOLATED_NETWORKS
from govcloud.plan import principles
from govcloud.plan.decide import MOVING
from govcloud.plan.groups import tight_groups

if TYPE_CHECKING:  # the planner runs this check on the plan it builds
    from govcloud.plan.planner import Plan


@dataclass(frozen=True, order=True)
class Violation:
    code: str
    subject: str
    detail: str


def verify(plan: Plan) -> list[Violation]:
    """Every constraint the plan breaks (empty when it is sound), sorted."""
    out: list[Violation] = []
    out += _isolation(plan)
    out += _placements(plan)
    out += _capacity(plan)
    out += _groups(plan)
    out += _limits(plan)
    out += _recovery_rooms(plan)  # issue 23
    out += [Violation(f.code, f.subject, f.detail) for f in principles.check(plan)]
    return sorted(out)


def _recovery_rooms(plan: Plan) -> list[Violation]:
    """A room holding a system's recovery copy today (``backup.site``) closes no earlier than
    the wave that makes the system's replacement live, and never while the system stays."""
    ledger = plan.ledger
    closes = {room: e.wave.number for e in plan.schedule for room in e.closed_rooms}
    out = []
    for system in ledger.systems.values():
        room = system.backup.site if system.backup else None
        if not room or room not in closes:
            continue
        decision = plan.decisions[system.id]
        if decision.action == "retire":
            continue
        live = plan.wave_of.get(system.id) if decision.action in MOVING else None
        if live is None or live > closes[room]:
            out.append(Violation("recovery-room-closed", system.id, f"{room} after wave {closes[room]}"))
    return out


def _isolation(plan: Plan) -> list[Violation]:
    ledger = plan.ledger
    isolated = {n.id for n in ledger.networks.values() if n.kind in ISOLATED_NETWORKS}
    out = []
    for system_id, decision in plan.decisions.items():
        system = ledger.systems[system_id]
        if decision.action in MOVING and (system.classified or set(system.networks) & isolated):
            out.append(Violation("classified-moved", system_id, f"{decision.action} → {decision.target}"))
    return out


def _placements(plan: Plan) -> list[Violation]:
    ledger = plan.ledger
    out = []
    placed_servers = {p.server for p in plan.placements}
    for system_id, decision in plan.decisions.items():
        system = ledger.systems[system_id]
        if decision.action in MOVING and system_id not in plan.wave_of:
            out.append(Violation("no-wave", system_id, decision.action))
        if decision.action in MOVING:
            if decision.target is None or decision.target not in ledger.cloud_nodes:
                out.append(Violation("no-target", system_id, str(decision.target)))
                continue
            node = ledger.cloud_nodes[decision.target]
            if node.certified_mlps_level < system.mlps_level:
                out.append(
                    Violation(
                        "mlps-exceeds",
                        system_id,
                        f"level {system.mlps_level} > {node.id} {node.certified_mlps_level}",
                    )
                )
            # every server placed is the usual case, checked in one step; else the servers
            # neither placed nor switched off, of those the ledger records
            if not placed_servers.issuperset(system.servers):
                left = set(system.servers).difference(placed_servers, plan.acted.reclaimed(system, ledger))
                if any(s in ledger.servers for s in left):
                    out.append(Violation("not-placed", system_id, decision.action))
    zones = {n.id: {z.id for z in n.zones} for n in ledger.cloud_nodes.values()}
    for p in plan.placements:
        if p.node not in ledger.cloud_nodes:
            out.append(Violation("unknown-node", p.server, p.node))
            continue
        node = ledger.cloud_nodes[p.node]
        if p.arch not in node.archs:
            out.append(Violation("arch-unsupported", p.server, f"{p.arch} on {p.node}"))
        if p.zone not in zones[p.node]:
            out.append(Violation("unknown-zone", p.server, p.zone))
        if plan.decisions[p.system].action not in MOVING:
            out.append(Violation("placed-but-staying", p.server, p.system))
    out += _no_instance_type(plan)
    return out


def _no_instance_type(plan: Plan) -> list[Violation]:
    """A placed server that no instance type of its node's price list fits: its stack could
    not create it (add a larger type for the architecture to the price list, or resize)."""
    return [
        Violation(
            "no-instance-type",
            p.server,
            f"needs {p.vcpus} vCPU and {p.memory_gb:g} GB ({p.arch}); no instance type of {p.node} in the price list fits",
        )
        for p in plan.placements
        if not p.instance_type
    ]


def _capacity(plan: Plan) -> list[Violation]:
    used: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for p in plan.placements:
        used[p.node][0] += p.vcpus
        used[p.node][1] += p.memory_gb
        used[p.node][2] += p.storage_gb
    out = []
    for node_id, (vcpus, memory, storage) in sorted(used.items()):
        if node_id not in plan.ledger.cloud_nodes:
            continue  # reported as unknown-node by _placements
        cap = plan.ledger.cloud_nodes[node_id].capacity
        for name, value, limit in (
            ("vcpus", vcpus, cap.vcpus),
            ("memory_gb", memory, cap.memory_gb),
            ("storage_gb", storage, cap.storage_gb),
        ):
            if limit is not None and value > limit:
                out.append(Violation("capacity", node_id, f"{name} {value:g} > {limit:g}"))
    return out


def _groups(plan: Plan) -> list[Violation]:
    out = []
    for group in tight_groups(plan.ledger):
        actions = {plan.decisions[s].action in MOVING for s in group if plan.decisions[s].action != "retire"}
        if len(actions) > 1:
            out.append(Violation("tight-group-split", ", ".join(group), "some move, some stay"))
        waves = {plan.wave_of.get(s) for s in group if plan.decisions[s].action in MOVING}
        if len(waves) > 1:
            out.append(Violation("tight-group-waves", ", ".join(group), f"waves {sorted(map(str, waves))}"))
    return out


def _limits(plan: Plan) -> list[Violation]:
    """Wave limits, counted again from the ledger (not from the planner's running totals)."""
    rules = plan.rules
    ledger = plan.ledger
    index, systems = plan.index(), ledger.systems
    out = []
    for entry in plan.schedule:
        wave = entry.wave
        if len(wave.groups) <= 1:
            continue  # a single move group is never split, whatever its size
        storage = [s.storage_gb for sys in wave.systems for s in index.known_servers(systems[sys])]
        data_tb = sum(storage) / 1024
        if len(storage) > rules.wave_max_servers:
            out.append(
                Violation("wave-servers", f"wave {wave.number}", f"{len(storage)} > {rules.wave_max_servers}")
            )
        if data_tb > rules.wave_max_data_tb:
            out.append(Violation("wave-data", f"wave {wave.number}", f"{data_tb:.1f} TB"))
        per_dept = Counter(plan.ledger.systems[s].owner for s in wave.systems)
        for dept, count in sorted(per_dept.items()):
            if count > rules.wave_max_systems_per_department:
                out.append(Violation("wave-department", f"wave {wave.number}", f"{dept}: {count}"))
    return out
