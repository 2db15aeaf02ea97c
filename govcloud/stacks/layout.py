"""The provider-neutral shape of a cloud node's stacks: address space, subnets, security
groups and the rules the dependency graph needs.  The provider modules turn it into resources.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

from govcloud.ledger import model
from govcloud.ledger.networks import Allocator
from govcloud.plan import MOVING, Plan
from govcloud.plan.placement import Placement
from govcloud.plan.recovery import paired_zone, standby_mode
from govcloud.stacks.ports import admin_ports

#: ports an internet-facing service may open to everyone
PUBLIC_PORTS = frozenset({80, 443})
_PROTOCOL = {"https": "tcp", "http": "tcp", "tcp": "tcp", "udp": "udp"}


@dataclass(frozen=True)
class Rule:
    """Ingress to a department's security group."""

    department: str
    protocol: str
    port: int
    source: str  # a CIDR: where ingress comes from, or where egress goes to
    why: str
    #: the MLPS level of the department's group the rule belongs to (a group per level)
    level: int = 0
    direction: str = "ingress"  # ingress | egress

    def __init__(
        self,
        department: str,
        protocol: str,
        port: int,
        source: str,
        why: str,
        level: int = 0,
        direction: str = "ingress",
    ) -> None:
        # written into the instance's dict, as Resource's (a region has a rule per flow)
        fields = self.__dict__
        fields["department"] = department
        fields["protocol"] = protocol
        fields["port"] = port
        fields["source"] = source
        fields["why"] = why
        fields["level"] = level
        fields["direction"] = direction


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
    #: the security groups: (department, MLPS level) of the systems placed here
    groups: list[tuple[str, int]] = field(default_factory=list)
    #: fixed addresses by server, for providers that pin them (computed once per layout)
    addresses: dict[str, str] = field(default_factory=dict)

    def department_cidrs(self, department: str) -> list[str]:
        return [cidr for (dept, _), cidr in sorted(self.subnets.items()) if dept == department]


def _every_node(node: model.CloudNode) -> bool:
    return True


def layouts(
    plan: Plan,
    rooms_kept: dict[str, list[str]] | None = None,
    egress: Callable[[model.CloudNode], bool] = _every_node,
) -> list[NodeLayout]:
    """One layout per cloud node that receives servers, in node id order.  ``rooms_kept`` (room
    → address ranges) lets rules admit callers that stay in those rooms.  ``egress`` says which
    nodes need egress rules (their provider's groups deny traffic out); by default all do, and
    a node it turns down gets ingress rules only."""
    ledger = plan.ledger
    used = [ipaddress.ip_network(c, strict=False) for n in ledger.networks.values() for c in n.cidrs]
    allocator = Allocator(ledger.region.address_plan or ("10.0.0.0/8",), used)
    out = []
    for node_id in sorted({p.node for p in plan.placements}):
        placements = [p for p in plan.placements if p.node == node_id]
        vpc = allocator.take("10.0.0.0/16") or "10.255.0.0/16"
        out.append(_layout(plan, ledger.cloud_nodes[node_id], placements, vpc))
    where = _locations(plan, out, rooms_kept or {})
    flows = _flows(plan, where)
    for layout in out:
        _rules(plan, layout, where, flows, egress(layout.node))
    return out


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"  # 0–255, as ipaddress writes it
_DOTTED_QUAD = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")


def _host_network(ip: str) -> str | None:
    """``str(ipaddress.ip_network(ip))`` for an address, None for text that is not one; a
    dotted quad already in the form ipaddress writes is its own network with ``/32``, without
    parsing it (a region records an address for most of its servers)."""
    if _DOTTED_QUAD.fullmatch(ip):
        return f"{ip}/32"
    if not _is_ip(ip):
        return None
    return str(ipaddress.ip_network(ip))


def _locations(
    plan: Plan, all_layouts: list[NodeLayout], rooms_kept: dict[str, list[str]]
) -> dict[str, tuple[str, list[str]]]:
    """Where each system's addresses are after the plan: (node or room, CIDRs) — its
    department's subnets on the node it moves to, or the ranges of the rooms it stays in."""
    ledger = plan.ledger
    out: dict[str, tuple[str, list[str]]] = {}
    for layout in all_layouts:
        cidrs: dict[str, list[str]] = {}  # by department, the same for each of its servers
        for placements in layout.placements_by_wave.values():
            for p in placements:
                owner = ledger.systems[p.system].owner
                if owner not in cidrs:
                    cidrs[owner] = layout.department_cidrs(owner)
                out[p.system] = (layout.node.id, cidrs[owner])
    for system in ledger.systems.values():
        if system.id in out:
            continue
        servers = [ledger.servers[s] for s in system.servers if s in ledger.servers]
        sites = sorted({s.site for s in servers} & set(rooms_kept))
        if sites:
            # its servers' own addresses when recorded, else the ranges behind its rooms
            hosts = sorted(
                {
                    host
                    for s in servers
                    if s.site in sites
                    for ip in s.ips
                    if (host := _host_network(ip)) is not None
                }
            )
            out[system.id] = (sites[0], hosts or sorted({c for site in sites for c in rooms_kept[site]}))
    return out


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def callee(plan: Plan, system_id: str) -> str:
    """The system a call to ``system_id`` reaches after the plan: the shared platform that
    replaces a retired duplicate, else the system itself."""
    decision = plan.decisions.get(system_id)
    if decision is not None and decision.action == "retire" and decision.platform:
        return decision.platform
    return system_id


def _layout(plan: Plan, node: model.CloudNode, placements: list[Placement], vpc: str) -> NodeLayout:
    ledger = plan.ledger
    systems = [ledger.systems[s] for s in {p.system: None for p in placements}]  # each once
    departments = sorted({system.owner for system in systems})
    zones = sorted({p.zone for p in placements} | _standby_zones(plan, node, placements)) or [
        node.zones[0].id
    ]
    blocks = ipaddress.ip_network(vpc).subnets(new_prefix=24)
    mgmt = str(next(blocks))
    subnets = {(d, z): str(next(blocks)) for d in departments for z in zones}
    layout = NodeLayout(node, vpc, departments, zones, subnets, mgmt)
    wave_of = plan.wave_of
    by_wave = layout.placements_by_wave
    for p in sorted(placements, key=attrgetter("server")):
        wave = wave_of[p.system]
        if wave in by_wave:
            by_wave[wave].append(p)
        else:
            by_wave[wave] = [p]
    layout.max_level = max((system.mlps_level for system in systems), default=0)
    layout.groups = sorted({(system.owner, system.mlps_level) for system in systems})
    return layout


#: a flow between two systems after the plan: (caller, called system, protocol, port, why)
Flow = tuple[str, str, str, int, str]
#: a rule's key: (department, MLPS level, direction, protocol, port, address)
_RuleKey = tuple[str, int, str, str, int, str]


def _flows(plan: Plan, where: dict[str, tuple[str, list[str]]]) -> list[Flow]:
    """Every call between two systems that have addresses after the plan, on a known port, a
    call to a retired duplicate going to the shared platform that replaces it; worked out
    once for all nodes (each node's rules need the calls to and from its systems)."""
    ledger = plan.ledger
    out: list[Flow] = []
    for system in sorted(ledger.systems.values(), key=lambda s: s.id):
        decision = plan.decisions.get(system.id)
        if system.id not in where or (decision is not None and decision.action == "retire"):
            continue
        for dep in plan.dependencies_of(system.id):  # calls to retired duplicates go to their platform
            target_id = callee(plan, dep.system)
            if dep.port is None or target_id not in where or target_id == system.id:
                continue
            protocol = _PROTOCOL.get(dep.protocol, "tcp")
            out.append((system.id, target_id, protocol, dep.port, f"{system.id} calls {target_id}"))
    return out


def _rules(
    plan: Plan,
    layout: NodeLayout,
    where: dict[str, tuple[str, list[str]]],
    flows: list[Flow],
    egress: bool = True,
) -> None:
    """Rules from the dependency graph, one per needed flow: a caller's addresses (its
    department's subnets here or on another node, or the ranges of the room it stays in) may
    reach the called system's group on the port it uses, and the caller's group may send there
    (egress, for providers whose groups deny it); a call to a retired duplicate reaches the
    shared platform that replaces it.  Internet-facing systems open their public ports;
    management ports are open to the bastion's subnet only.  Each rule goes into the wave of
    the later of the two systems placed here.  Rules that differ only by their reason are one
    rule with the reasons joined (collected by key here, made into :class:`Rule` once).
    Without ``egress``, only the ingress rules."""
    ledger = plan.ledger
    wave_of = plan.wave_of
    on_node = {p.system for ps in layout.placements_by_wave.values() for p in ps}
    rules: dict[int, dict[_RuleKey, set[str]]] = defaultdict(lambda: defaultdict(set))
    # the ports administrators log in on (policies/admin-ports.yaml): from the bastion only
    login = admin_ports().login
    for system_id in sorted(on_node):
        system = ledger.systems[system_id]
        found = rules[wave_of[system_id]]
        level = system.mlps_level
        for port in login:
            found[(system.owner, level, "ingress", "tcp", port, layout.mgmt_subnet)].add(
                "administration through the bastion"
            )
        if system.internet_facing:
            for port in public_ports(system):
                found[(system.owner, level, "ingress", "tcp", port, "0.0.0.0/0")].add(
                    f"public service of {system_id}"
                )
    for system_id, target_id, protocol, port, why in flows:
        here = system_id in on_node
        there = target_id in on_node
        if not (here or there):
            continue
        if there:
            target = ledger.systems[target_id]
            later = max(wave_of[target_id], wave_of[system_id] if here else 0)
            found = rules[later]
            for cidr in where[system_id][1]:
                found[(target.owner, target.mlps_level, "ingress", protocol, port, cidr)].add(why)
        if here and egress:
            system = ledger.systems[system_id]
            wave = max(wave_of[system_id], wave_of[target_id] if there else 0)
            found = rules[wave]
            for cidr in where[target_id][1]:
                found[(system.owner, system.mlps_level, "egress", protocol, port, cidr)].add(why)
    layout.rules_by_wave = {w: _merged(r) for w, r in sorted(rules.items())}


def public_ports(system: model.System) -> list[int]:
    """The ports an internet-facing system serves to the public: its exposed web ports, or 443."""
    return sorted(set(system.exposed_ports) & PUBLIC_PORTS or {443})


def _merged(rules: dict[_RuleKey, set[str]]) -> list[Rule]:
    """One rule per group, direction, protocol, port and address; the reasons joined (most
    rules have one)."""
    out = []
    for key in sorted(rules):
        whys = rules[key]
        why = "; ".join(sorted(whys)) if len(whys) > 1 else next(iter(whys))
        department, level, direction, protocol, port, source = key
        out.append(Rule(department, protocol, port, source, why, level, direction))
    return out


def moving_on(plan: Plan, node: str) -> list[str]:
    """Systems moving onto ``node``."""
    return sorted(s for s, d in plan.decisions.items() if d.action in MOVING and d.target == node)


def _standby_zones(plan: Plan, node: model.CloudNode, placements: list[Placement]) -> set[str]:
    """issue 23: the paired zones the standbys of these placements go to (they need subnets)."""
    ledger = plan.ledger
    wants: dict[str, bool] = {}  # by system: it has a standby
    zones = set()  # of the placements with a standby
    for p in placements:
        standby = wants.get(p.system)
        if standby is None:
            system = ledger.systems[p.system]
            standby = wants[p.system] = bool(
                standby_mode(system.mlps_level, system.data_class, system.ha, system.rto_hours)
            )
        if standby:
            zones.add(p.zone)
    return {paired_zone(node, zone) for zone in zones}
