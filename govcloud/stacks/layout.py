"""The provider-neutral shape of a cloud node's stacks: address space, subnets, security
groups and the rules the dependency graph needs.  The provider modules turn it into resources.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field

from govcloud.analysis.addresses import Allocator
from govcloud.ledger import model
from govcloud.plan import MOVING, Plan
from govcloud.plan.placement import Placement

#: ports administrators use: reachable only from the bastion's subnet, never from the internet
MANAGEMENT_PORTS = (22, 3389)
#: ports an internet-facing service may open to everyone
PUBLIC_PORTS = frozenset({80, 443})
_PROTOCOL = {"https": "tcp", "http": "tcp", "tcp": "tcp", "udp": "udp"}


@dataclass(frozen=True)
class Rule:
    """Ingress to a department's security group."""

    department: str
    protocol: str
    port: int
    source: str  # a CIDR
    why: str


@dataclass
class NodeLayout:
    node: model.CloudNode
    vpc_cidr: str
    departments: list[str]
    zones: list[str]
    subnets: dict[tuple[str, str], str]  # (department, zone) → CIDR
    mgmt_subnet: str
    placements_by_wave: dict[int, list[Placement]] = field(default_factory=dict)
    rules_by_wave: dict[int, list[Rule]] = field(default_factory=dict)
    max_level: int = 0

    def department_cidrs(self, department: str) -> list[str]:
        return [cidr for (dept, _), cidr in sorted(self.subnets.items()) if dept == department]


def layouts(plan: Plan) -> list[NodeLayout]:
    """One layout per cloud node that receives servers, in node id order."""
    ledger = plan.ledger
    used = [ipaddress.ip_network(c, strict=False) for n in ledger.networks.values() for c in n.cidrs]
    allocator = Allocator(ledger.region.address_plan or ("10.0.0.0/8",), used)
    out = []
    for node_id in sorted({p.node for p in plan.placements}):
        placements = [p for p in plan.placements if p.node == node_id]
        vpc = allocator.take("10.0.0.0/16") or "10.255.0.0/16"
        out.append(_layout(plan, ledger.cloud_nodes[node_id], placements, vpc))
    _cross_rules(plan, out)
    return out


def _cross_rules(plan: Plan, layouts_: list[NodeLayout]) -> None:
    """Rules for calls that cross a node: from a system on another cloud node (its
    department's subnets there), and from a system that stays in a room (its servers'
    recorded addresses, never a whole range).  Each goes into the called system's wave, or the
    caller's when that is later."""
    ledger = plan.ledger
    where = {p.system: lay for lay in layouts_ for ps in lay.placements_by_wave.values() for p in ps}
    added: dict[str, dict[int, set[Rule]]] = defaultdict(lambda: defaultdict(set))
    for system_id in sorted(ledger.systems):
        decision = plan.decisions[system_id]
        if decision.action == "retire":
            continue
        caller = ledger.systems[system_id]
        home = where.get(system_id)
        for dep in plan.dependencies_of(system_id):
            target = where.get(dep.system)
            if target is None or dep.port is None or target is home:
                continue
            wave = plan.wave_of[dep.system]
            if home is not None:
                sources = home.department_cidrs(caller.owner)
                wave = max(wave, plan.wave_of[system_id])
            else:  # the caller stays in its room: its servers' recorded addresses, one by one
                sources = sorted(
                    {
                        str(ipaddress.ip_network(ip))
                        for s in caller.servers
                        if s in ledger.servers
                        for ip in ledger.servers[s].ips
                    }
                )
            owner = ledger.systems[dep.system].owner
            for cidr in sources:
                why = f"{system_id} calls {dep.system}"
                added[target.node.id][wave].add(
                    Rule(owner, _PROTOCOL.get(dep.protocol, "tcp"), dep.port, cidr, why)
                )
    for lay in layouts_:
        for wave, rules in added.get(lay.node.id, {}).items():
            lay.rules_by_wave[wave] = _merged(set(lay.rules_by_wave.get(wave, [])) | rules)
        lay.rules_by_wave = dict(sorted(lay.rules_by_wave.items()))


def _layout(plan: Plan, node: model.CloudNode, placements: list[Placement], vpc: str) -> NodeLayout:
    ledger = plan.ledger
    departments = sorted({ledger.systems[p.system].owner for p in placements})
    zones = sorted({p.zone for p in placements}) or [node.zones[0].id]
    blocks = ipaddress.ip_network(vpc).subnets(new_prefix=24)
    mgmt = str(next(blocks))
    subnets = {(d, z): str(next(blocks)) for d in departments for z in zones}
    layout = NodeLayout(node, vpc, departments, zones, subnets, mgmt)
    for p in sorted(placements, key=lambda p: p.server):
        layout.placements_by_wave.setdefault(plan.wave_of[p.system], []).append(p)
    layout.max_level = max((ledger.systems[p.system].mlps_level for p in placements), default=0)
    _rules(plan, layout)
    return layout


def _rules(plan: Plan, layout: NodeLayout) -> None:
    """Ingress rules from the dependency graph: a caller's subnets may reach the called
    system's department on the port it uses; internet-facing systems open their public ports;
    management ports are open to the bastion's subnet only.  Each rule goes into the wave of
    the later of the two systems."""
    ledger = plan.ledger
    on_node = {p.system for ps in layout.placements_by_wave.values() for p in ps}
    rules: dict[int, set[Rule]] = defaultdict(set)
    for system_id in sorted(on_node):
        system = ledger.systems[system_id]
        wave = plan.wave_of[system_id]
        for port in MANAGEMENT_PORTS:
            rules[wave].add(Rule(system.owner, "tcp", port, layout.mgmt_subnet, "administration through the bastion"))
        if system.internet_facing:
            for port in sorted(set(system.exposed_ports) & PUBLIC_PORTS or {443}):
                rules[wave].add(Rule(system.owner, "tcp", port, "0.0.0.0/0", f"public service of {system_id}"))
        for dep in plan.dependencies_of(system_id):  # calls to retired duplicates go to their platform
            if dep.system not in on_node or dep.port is None:
                continue
            target = ledger.systems[dep.system]
            later = max(wave, plan.wave_of[dep.system])
            for cidr in layout.department_cidrs(system.owner):
                why = f"{system_id} calls {dep.system}"
                rules[later].add(Rule(target.owner, _PROTOCOL.get(dep.protocol, "tcp"), dep.port, cidr, why))
    layout.rules_by_wave = {w: _merged(r) for w, r in sorted(rules.items())}


def _merged(rules: set[Rule]) -> list[Rule]:
    """One rule per department, protocol, port and source; the reasons joined."""
    by_key: dict[tuple[str, str, int, str], set[str]] = defaultdict(set)
    for rule in rules:
        by_key[(rule.department, rule.protocol, rule.port, rule.source)].add(rule.why)
    return [Rule(d, proto, port, src, "; ".join(sorted(whys))) for (d, proto, port, src), whys in sorted(by_key.items())]


def moving_on(plan: Plan, node: str) -> list[str]:
    """Systems moving onto ``node``."""
    return sorted(s for s, d in plan.decisions.items() if d.action in MOVING and d.target == node)
