"""What rules look at: a flat view of each inventory entity (as-is) or cloud resource (to-be),
with the facts a rule needs derived once here (a system's sites, lines and target; a room's
highest MLPS level; a rule's port), so rule conditions stay simple data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from functools import partial
from itertools import repeat
from typing import Any, NamedTuple

from govcloud.ledger import model
from govcloud.ledger.index import Index, lines_at_sites
from govcloud.ledger.lifecycle import eol_os
from govcloud.ledger.networks import ISOLATED_NETWORKS, JOINED_KINDS, overlap_counts, ranges
from govcloud.plan import MOVING, Plan, needs_offsite, standby_mode
from govcloud.stacks.ports import admin_ports
from govcloud.stacks.providers import types_of
from govcloud.stacks.spec import Resource, Stack

#: where the government cloud may be: regions inside mainland China
CHINA_REGION = re.compile(r"^(cn-|RegionOne$|region-?one$|nova$)", re.IGNORECASE)


class Subject(NamedTuple):
    """One thing a rule is checked against: its kind, id, view, MLPS level and source (a
    named tuple: hundreds of thousands are made, at a quarter of a frozen dataclass's cost)."""

    kind: str
    id: str
    view: dict[str, Any]
    level: int
    file: str = ""
    path: str = ""
    #: the line the subject starts on in ``file``, when the loader saw it
    line: int | None = None


#: ``_subject((kind, id, view, level, file, path, line))``: a subject made in C (``Subject(...)``
#: passes through the named tuple's ``__new__`` in Python, for each of hundreds of thousands
#: of to-be resources)
_subject = partial(tuple.__new__, Subject)


_FIELDS: dict[tuple[type, frozenset[str] | None], tuple[tuple[str, ...], Callable[[Any], Any]]] = {}


def _field_names(
    cls: type, only: frozenset[str] | None = None
) -> tuple[tuple[str, ...], Callable[[Any], Any]]:
    """A class's field names (without its source; with ``only``, those of them) and a
    function reading them all at once (a tuple of their values)."""
    known = _FIELDS.get((cls, only))
    if known is None:
        names = tuple(
            f.name for f in dataclasses.fields(cls) if f.name != "source" and (only is None or f.name in only)
        )
        read = operator.attrgetter(*names) if names else lambda entity: ()
        known = _FIELDS[(cls, only)] = (names, read if len(names) != 1 else lambda entity: (read(entity),))
    return known


def _is_entity(value: Any) -> bool:
    return hasattr(type(value), "__dataclass_fields__")


#: field values a view holds as they are (exact types: an enumeration or a subclass is
#: looked at as before)
_AS_THEY_ARE = frozenset((str, int, float, bool, type(None)))


def _plain(entity: Any, only: frozenset[str] | None = None) -> dict[str, Any]:
    """An entity's fields (with ``only``, those of them) as plain values (nested entities
    too), without its source; field names are looked up once per class (views are built for
    every entity of the ledger)."""
    names, read = _field_names(type(entity), only)
    values = read(entity)
    out = dict(zip(names, values, strict=True))
    for name, value in zip(names, values, strict=True):
        if type(value) in _AS_THEY_ARE:  # most fields: nothing to look up
            continue
        if isinstance(value, tuple):  # (no entity is a tuple)
            out[name] = [v if type(v) in _AS_THEY_ARE or not _is_entity(v) else _plain(v) for v in value]
        elif _is_entity(value):
            out[name] = _plain(value)
        elif isinstance(value, dt.date):
            out[name] = value.isoformat()
    return out


#: the kinds of as-is subjects, in the order :func:`as_is` yields them
AS_IS_KINDS = ("systems", "sites", "servers", "lines", "networks", "cloud_nodes")


#: the fields of a system's view that depend on the plan (:func:`_system`): the others, and
#: every other as-is view, depend on the ledger alone
PLAN_FIELDS = frozenset({"moves", "target_certified_level", "target_covers", "target_multi_tenant"})


def as_is(
    ledger: model.Ledger,
    plan: Plan | None = None,
    kinds: Collection[str] = AS_IS_KINDS,
    *,
    fields: Collection[str] | None = None,
) -> Iterator[Subject]:
    """Views of the inventory: systems, rooms, servers, lines, networks and cloud nodes
    (with ``kinds``, of those kinds only: the others are not made).  With ``fields``, a
    system's view holds those of its fields only (those its rules read: its servers' and
    rooms' views and its own fields made plain are most of the views' cost)."""
    as_of = ledger.region.as_of
    # what only some kinds need is made only for them
    index = Index.of(ledger) if "servers" in kinds else None
    level_of_site: dict[str, int] = defaultdict(int)
    for system in ledger.systems.values() if {"sites", "lines", "networks"} & set(kinds) else ():
        for server_id in system.servers:
            server = ledger.servers.get(server_id)
            if server:
                level_of_site[server.site] = max(level_of_site[server.site], system.mlps_level)
    lines_at = index.lines_at_site if index is not None else lines_at_sites(ledger)
    # a server's and a room's fields are looked at on their own and inside each system's view:
    # made plain once (views are read, never changed)
    servers = _Plain(lambda server: _plain(server) | {"eol_os": eol_os(server.os)})
    sites = _Plain(_plain)
    only = frozenset(fields) if fields is not None else None
    for system in ledger.systems.values() if "systems" in kinds else ():
        yield _system(ledger, system, as_of, lines_at, plan, servers, sites, only)
    for site in ledger.sites.values() if "sites" in kinds else ():
        view = sites.of(site) | {"level": level_of_site.get(site.id, 0)}
        yield Subject(
            "sites", site.id, view, view["level"], site.source.shown, site.source.pointer(), site.source.line
        )
    systems_on_server = index.systems_on_server if index is not None else {}
    for server in ledger.servers.values() if "servers" in kinds else ():
        on_server = systems_on_server.get(server.id, [])
        level = max((ledger.systems[s].mlps_level for s in on_server), default=0)
        # unknown eol_os (None) when the ledger does not record the OS or the warranty's end
        view = servers.of(server) | {
            "level": level,
            "warranty_expired": server.warranty_end < as_of if server.warranty_end else None,
        }
        yield Subject(
            "servers",
            server.id,
            view,
            level,
            server.source.shown,
            server.source.pointer(),
            server.source.line,
        )
    important = _important_networks(ledger) if "lines" in kinds else set()
    for line in ledger.lines.values() if "lines" in kinds else ():
        level = max((level_of_site.get(e.site or "", 0) for e in (line.a_end, line.z_end)), default=0)
        isolated = bool(
            line.network
            and line.network in ledger.networks
            and ledger.networks[line.network].kind in ISOLATED_NETWORKS
        )
        view = _plain(line) | {
            "level": level,
            "carries_important_data": line.network in important,
            "on_isolated_network": isolated,
        }
        yield Subject(
            "lines", line.id, view, level, line.source.shown, line.source.pointer(), line.source.line
        )
    joined = [n for n in ledger.networks.values() if n.kind in JOINED_KINDS] if "networks" in kinds else []
    overlapping = overlap_counts(ranges(joined))  # not pairwise: everything may overlap
    for network in ledger.networks.values() if "networks" in kinds else ():
        view = _plain(network) | {"level": max((level_of_site.get(s, 0) for s in network.sites), default=0)}
        if network.kind in JOINED_KINDS:
            view["overlaps"] = overlapping.get(network.id, 0)
        yield Subject(
            "networks",
            network.id,
            view,
            view["level"],
            network.source.shown,
            network.source.pointer(),
            network.source.line,
        )
    for node in ledger.cloud_nodes.values() if "cloud_nodes" in kinds else ():
        view = _plain(node) | {"in_china": bool(CHINA_REGION.match(node.region))}
        yield Subject(
            "cloud_nodes",
            node.id,
            view,
            node.certified_mlps_level,
            node.source.shown,
            node.source.pointer(),
            node.source.line,
        )


class _Plain:
    """Entities made plain (:func:`_plain`, or another maker) once each, by id."""

    def __init__(self, make: Callable[[Any], dict[str, Any]]) -> None:
        self.make = make
        self.made: dict[str, dict[str, Any]] = {}

    def of(self, entity: Any) -> dict[str, Any]:
        view = self.made.get(entity.id)
        if view is None:
            view = self.made[entity.id] = self.make(entity)
        return view


def _important_networks(ledger: model.Ledger) -> set[str]:
    return {n for s in ledger.systems.values() if s.data_class in ("important", "core") for n in s.networks}


def _system(
    ledger: model.Ledger,
    system: model.System,
    as_of: dt.date,
    lines_at: dict[str, list[model.Line]],
    plan: Plan | None,
    plain_servers: _Plain,
    plain_sites: _Plain,
    fields: frozenset[str] | None = None,
) -> Subject:
    """A system's view (with ``fields``, of those fields only)."""

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    nested = wanted("servers") or wanted("sites") or wanted("carriers")
    servers = [ledger.servers[s] for s in system.servers if s in ledger.servers] if nested else []
    sites = sorted({s.site for s in servers})
    # what the ledger says of the system beyond its own fields, each made only when wanted
    facts: dict[str, Callable[[], Any]] = {
        "level": lambda: system.mlps_level,
        "classified": lambda: system.classified,
        "on_isolated_network": lambda: any(
            ledger.networks[n].kind in ISOLATED_NETWORKS for n in system.networks if n in ledger.networks
        ),
        "admin_ports_exposed": lambda: sorted(
            set(system.exposed_ports) & set(admin_ports().all)  # policies/admin-ports.yaml
        ),
        "carriers": lambda: len({ln.carrier for site in sites for ln in lines_at.get(site, [])}),
        "sites": lambda: [plain_sites.of(ledger.sites[s]) for s in sites if s in ledger.sites],
        "servers": lambda: [plain_servers.of(s) for s in servers],
        # the MLPS lifecycle: how old the last 测评 and 密评 are on the ledger's date (None: not recorded)
        "assessment_age_days": lambda: (as_of - system.assessed_on).days if system.assessed_on else None,
        "crypto_assessment_age_days": lambda: (
            (as_of - system.crypto_assessed_on).days if system.crypto_assessed_on else None
        ),
    }
    view = _plain(system, fields)
    view.update((name, fact()) for name, fact in facts.items() if wanted(name))
    if wanted("moves"):
        view["moves"] = False
    if plan is not None:
        decision = plan.decisions.get(system.id)
        target = ledger.cloud_nodes.get(decision.target or "") if decision else None
        planned = {
            "moves": bool(decision and decision.action in MOVING),
            "target_certified_level": target.certified_mlps_level if target else None,
            "target_covers": bool(target and target.certified_mlps_level >= system.mlps_level),
            "target_multi_tenant": target.multi_tenant if target else None,
        }
        view.update((name, value) for name, value in planned.items() if wanted(name))
    return Subject(
        "systems",
        system.id,
        view,
        system.mlps_level,
        system.source.shown,
        system.source.pointer(),
        system.source.line,
    )


def to_be(stacks: list[Stack], plan: Plan, kinds: Collection[str] | None = None) -> Iterator[Subject]:
    """Views of the cloud resources the stacks will create (props as written, plus derived);
    with ``kinds``, of the resources of those types only (those rules are checked on).  What
    a resource's facts need of other resources is gathered in one pass over the stacks
    first (:class:`_Facts`); its own facts are added as its view is made, and the view is
    yielded at once (the engine reads it while it is at hand)."""
    ledger = plan.ledger
    # a shared resource serves every level that moves; the highest applies
    top_level = max((s.mlps_level for s in ledger.systems.values()), default=0)
    facts = _Facts(stacks, plan)
    adds = facts.adds
    for stack, here in facts.each_stack():
        project, shown = stack.project, f"{stack.project}/resources.json"
        for resource in stack.resources:
            kind = resource.type
            if kinds is not None and kind not in kinds:
                continue
            props = resource.props
            view = props.copy()  # (a copy, then its keys set: quicker than a merge)
            view["type"], view["stack"], view["protected"] = kind, project, resource.protect
            add = adds[kind]
            if add is not None:
                add(here, resource, view)
            level = 0
            tags = props.get("tags")
            if isinstance(tags, dict) and tags.get("mlps-level"):
                level = int(tags["mlps-level"])
            elif kind.endswith(("ecurityGroupRule", "ecGroupRule")):
                port = props.get("port_range_min") or str(props.get("port_range", "0/0")).split("/")[0]
                view["port"] = int(port)
                view["source"] = props.get("cidr_ip") or props.get("remote_ip_prefix")
                level = top_level
            else:
                level = top_level
            view["level"] = level
            yield _subject((kind, f"{project}/{resource.name}", view, level, shown, resource.name, None))


def _labels(props: dict[str, Any]) -> dict[str, Any]:
    """An instance's tags as a map (alicloud tags, OpenStack metadata)."""
    tags = props.get("tags")
    if isinstance(tags, dict):
        return tags
    metadata = props.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


# ---- issue 20: facts of the to-be stacks a rule cannot see in one resource's props

_LICENCE_ASSETS = re.compile(r"_(\d+)_asset")


def _text(value: Any) -> str:
    """A property as text, references shown as ``${config:KEY}``, ``${ref:NAME.attr}``, …"""
    if isinstance(value, dict):
        if "$concat" in value:
            return "".join(_text(v) for v in value["$concat"])
        if "$config" in value:
            return f"${{config:{value['$config']}}}"
        if "$ref" in value:
            return f"${{ref:{value['$ref']}.{value.get('attr', 'id')}}}"
        if "$foundation" in value:
            return f"${{foundation:{value['$foundation']}.{value.get('key', '')}}}"
    return str(value)


def _group_of(value: Any, stack: Stack, foundations: dict[str, Stack]) -> tuple[str, str] | None:
    """The (foundation project, resource name) of the security group a reference points at."""
    if isinstance(value, dict) and "$ref" in value:
        return stack.project, value["$ref"]
    if isinstance(value, dict) and "$foundation" in value and stack.node in foundations:
        base = foundations[stack.node]
        target = base.outputs.get(value["$foundation"], {})
        target = (
            target.get(value.get("key", "")) if isinstance(target, dict) and "$ref" not in target else target
        )
        if isinstance(target, dict) and "$ref" in target:
            return base.project, target["$ref"]
    return None


def _level_tag(tags: Any) -> int | None:
    """The ``mlps-level`` tag, from a tag map (alicloud) or ``key=value`` strings (OpenStack)."""
    if isinstance(tags, dict):
        value = tags.get("mlps-level")
    else:
        value = next((t.split("=", 1)[1] for t in tags or [] if str(t).startswith("mlps-level=")), None)
    return int(value) if value is not None and str(value).isdigit() else None


class _Facts:
    """Per resource, what its props do not say (whether it is ``protect``ed, the view reads
    from the resource itself): the rules that reach a security group; for a bastion whether
    its licence covers the node's instances and it can be reached; for an audit trail the
    retention of the store it writes into and whether its addresses name the account; for
    an instance whether its image is its OS family's, and whether an internet-facing
    system's server is behind a load balancer; for a foundation's network the foundation
    resources left unprotected.  And for each instance the stacks create for a system
    (issue 23), the recovery its system needs (from the ledger: off-site copies for level 3
    or a copy today, a standby as :func:`govcloud.plan.recovery.standby_mode` asks) and what
    the stacks give it: disks whose snapshot policy copies to another region, or a recovery
    bucket for an OpenStack node; a standby instance of the same server in another zone (or
    on another host of a one-zone node), hot unless created stopped.

    What looks across resources and stacks (a group's rules, a node's instances, a
    server's standbys, the foundations' off-site copies, a stack's load balancers) is
    gathered in one pass over every stack's resources when made; the facts of each resource
    as its view is made (:meth:`each_stack`), by a function chosen once per resource type."""

    def __init__(self, stacks: list[Stack], plan: Plan) -> None:
        ledger = self.ledger = plan.ledger
        self.stacks = stacks
        self.instances = types_of("instance")
        self.group_types, self.networks = types_of("security_group"), types_of("network")
        self.group_rules = types_of("security_group_rule")
        self.foundations = {s.node: s for s in stacks if s.kind == "foundation"}
        self.images = {(i.cloud_node, i.image_id): i.os_family for i in ledger.prices.images}
        self.rules_of: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.instances_on: dict[str, int] = defaultdict(int)
        self.cross_region: set[tuple[str, str]] = set()  # (node, policy key) that copy off site
        self.buckets: set[str] = set()  # nodes whose copies have a bucket on their recovery node
        self.standbys: dict[str, list[tuple[str, str]]] = defaultdict(list)  # server -> (zone, mode)
        # per stack, the addresses its load balancers and firewall send to
        self.balanced: list[tuple[set[str], set[str], set[str]]] = []
        #: by resource type, what it tells of others and the function adding its facts
        self.roles: dict[str, _Role] = {}
        self._systems: dict[str, _System | None] = {}  # by an instance's system label
        self.adds: dict[str, _Add | None] = {}
        roles, rules_of, standbys = self.roles, self.rules_of, self.standbys  # (read per resource)
        for stack in stacks:
            if stack.kind == "foundation":
                self._copies(stack)
            balanced: tuple[set[str], set[str], set[str]] = (set(), set(), set())
            self.balanced.append(balanced)
            for r in stack.resources:
                role = roles.get(r.type) or self._learn(r.type)
                if role is _NOTHING:
                    continue
                props = r.props
                if role.rule:  # a security group's rule
                    group = _group_of(props.get("security_group_id"), stack, self.foundations)
                    direction = props.get("direction") or props.get("type") or "ingress"
                    if group:
                        rules_of[group].append(
                            f"{direction} {props.get('protocol') or props.get('ip_protocol')} {props.get('port_range_min')}"
                        )
                elif role.instance and stack.kind == "wave":
                    self.instances_on[stack.node] += 1
                if role.instance:  # a server's standby?
                    tags = props.get("tags")
                    labels = tags if isinstance(tags, dict) else _labels(props)
                    server = labels.get("source-server")
                    if server and labels.get("recovery-role") == "standby":
                        stopped = props.get("status") == "Stopped" or props.get("power_state") == "shutoff"
                        zone = str(props.get("availability_zone"))
                        standbys[server].append((zone, "cold" if stopped else "hot"))
                if role.balancing is not None:
                    self._balancing(role.balancing, props, balanced)

    def _learn(self, kind: str) -> _Role:
        """What a resource of type ``kind`` tells of others, and the function adding its facts."""
        balancing = next((i for i, end in enumerate(_BALANCING) if kind.endswith(end)), None)
        role = _Role(kind in self.group_rules, kind in self.instances, balancing)
        self.roles[kind] = _NOTHING if role == _NOTHING else role
        self.adds[kind] = self._add_of(kind)
        return self.roles[kind]

    @staticmethod
    def _balancing(which: int, props: dict[str, Any], balanced: tuple[set[str], set[str], set[str]]) -> None:
        """The addresses a load balancer's backend (0), member (1) or firewall domain (2) sends to."""
        if which == 0:
            balanced[0].update(_text(b.get("server_id")) for b in props.get("backend_servers", []))
        elif which == 1:
            balanced[1].add(_text(props.get("address")))
        else:
            balanced[2].update(_text(b) for b in (props.get("redirect") or {}).get("backends", []))

    def _copies(self, stack: Stack) -> None:
        """The snapshot policies of a foundation that copy to another region, its buckets."""
        policies = stack.outputs.get("recoverySnapshotPolicyIds", {})
        copying = {
            r.name
            for r in stack.resources
            if r.props.get("enable_cross_region_copy") is True and r.props.get("target_copy_regions")
        }
        for key, value in policies.items():
            if isinstance(value, dict) and value.get("$ref") in copying:
                self.cross_region.add((stack.node, key))
        self.buckets.update(stack.outputs.get("recoveryBuckets", {}))

    def system(self, name: Any) -> _System | None:
        """The system of the ledger an instance's ``system`` label names, with what its
        instances' facts read of it (worked out once per system)."""
        key = str(name)
        known = self._systems.get(key, _UNKNOWN)
        if known is _UNKNOWN:
            system = self.ledger.systems.get(key)
            known = self._systems[key] = (
                None
                if system is None
                else _System(
                    system.internet_facing,
                    needs_offsite(system.mlps_level, bool(system.backup and system.backup.offsite)),
                    standby_mode(system.mlps_level, system.data_class, system.ha, system.rto_hours),
                )
            )
        return known

    def each_stack(self) -> Iterator[tuple[Stack, _InStack]]:
        """Each stack, and the facts of its resources (:attr:`adds` says by which method)."""
        for stack, (backends, members, waf_backends) in zip(self.stacks, self.balanced, strict=True):
            yield stack, _InStack(self, stack, backends, members, waf_backends)

    def _add_of(self, kind: str) -> Callable[[_InStack, Resource, dict[str, Any]], None] | None:
        """The function adding the facts of a resource of type ``kind``, if any."""
        if kind in self.group_types:
            return _InStack.group
        if kind == "alicloud:bastionhost/instance:Instance":
            return _InStack.bastion
        if kind == "alicloud:actiontrail/trail:Trail":
            return _InStack.trail
        if kind == "alicloud:log/project:Project":
            return _InStack.log_project
        if kind in self.instances:
            return _InStack.instance
        if kind == "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer":
            return _InStack.load_balancer
        if kind in self.networks:
            return _InStack.network
        return None


#: ``add(facts, resource, view)``: the facts of a resource added to its view
_Add = Callable[["_InStack", Resource, dict[str, Any]], None]
#: the ends of the types of the resources a stack's load balancers and firewall send to
#: (backend servers, members, firewall domains), by their place in :attr:`_Role.balancing`
_BALANCING = ("slb/backendServer:BackendServer", "loadbalancer/member:Member", "wafv3/domain:Domain")


class _Role(NamedTuple):
    """What a resource of a type tells of others (gathered by :class:`_Facts`)."""

    rule: bool  # a security group's rule
    instance: bool
    balancing: int | None  # sends to addresses (its place in _BALANCING)


#: the role of the types of resources that tell nothing of others
_NOTHING = _Role(False, False, None)


class _System(NamedTuple):
    """What the facts of a system's instances read of it."""

    internet_facing: bool
    #: the recovery it needs: off-site copies, a standby (hot, cold or none)
    offsite: bool
    standby: str | None


_UNKNOWN = _System(False, False, "unknown")


class _InStack:
    """The facts of the resources of one stack (:meth:`_Facts.each_stack`), one method per
    kind of resource, each adding them to the resource's view."""

    def __init__(
        self, facts: _Facts, stack: Stack, backends: set[str], members: set[str], waf_backends: set[str]
    ) -> None:
        self.facts, self.stack = facts, stack
        self.backends, self.members, self.waf_backends = backends, members, waf_backends
        node = facts.ledger.cloud_nodes.get(stack.node)
        self.one_zone = node is not None and len(node.zones) == 1
        self._by_name: dict[str, Resource] | None = None

    def by_name(self) -> dict[str, Resource]:
        if self._by_name is None:
            self._by_name = {r.name: r for r in self.stack.resources}
        return self._by_name

    def group(self, r: Resource, view: dict[str, Any]) -> None:
        directions = self.facts.rules_of.get((self.stack.project, r.name), [])
        view["ingress_rules"] = sum(map(str.startswith, directions, repeat("ingress")))
        view["egress_rules"] = sum(map(str.startswith, directions, repeat("egress")))
        view["egress_dns"] = "egress udp 53" in directions
        view["group_level"] = _level_tag(r.props.get("tags"))
        view["bastion_group"] = (r.props.get("security_group_name") or r.props.get("name")) == "mgmt"

    def bastion(self, r: Resource, view: dict[str, Any]) -> None:
        stack, facts = self.stack, self.facts
        match = _LICENCE_ASSETS.search(str(r.props.get("license_code", "")))
        view["licence_covers_assets"] = bool(match and int(match.group(1)) >= facts.instances_on[stack.node])
        groups = [_group_of(g, stack, facts.foundations) for g in r.props.get("security_group_ids", [])]
        view["reachable"] = any(
            d.startswith("ingress") for g in groups if g for d in facts.rules_of.get(g, [])
        )

    def trail(self, r: Resource, view: dict[str, Any]) -> None:
        store = f"actiontrail_{r.props.get('trail_name')}"
        retained = [
            s.props.get("retention_period")
            for s in self.stack.resources
            if s.type == "alicloud:log/store:Store" and s.props.get("logstore_name") == store
        ]
        view["store_retention_days"] = retained[0] if retained else None
        arn = _text(r.props.get("sls_project_arn")).split(":")
        view["arn_names_account"] = len(arn) >= 5 and bool(arn[3])

    def log_project(self, r: Resource, view: dict[str, Any]) -> None:
        view["name_unique"] = "${config:accountId}" in _text(r.props.get("project_name"))

    def load_balancer(self, r: Resource, view: dict[str, Any]) -> None:
        view["behind_waf"] = f"${{ref:{r.name}.address}}" in self.waf_backends

    def network(self, r: Resource, view: dict[str, Any]) -> None:
        if self.stack.kind == "foundation":
            view["unprotected"] = sorted(x.name for x in self.stack.resources if not x.protect)

    def instance(self, r: Resource, view: dict[str, Any]) -> None:
        stack, props = self.stack, r.props
        labels = props.get("metadata") or props.get("tags") or {}
        mapped = isinstance(labels, dict)
        family = labels.get("os-family") if mapped else None
        image = props.get("image_id") or next(
            (d.get("uuid") for d in props.get("block_devices", []) if d.get("boot_index") == 0),
            None,
        )
        view["windows"] = family == "windows"
        # a foundation's own host (the bastion) boots the image ops name for it
        view["image_fits_os"] = bool(
            image is not None
            if stack.kind == "foundation"
            else family
            and (
                self.facts.images.get((stack.node, image)) == family
                if isinstance(image, str)
                else _text(image).startswith(f"${{config:imageId-{family}-")
            )
        )
        system = self.facts.system(labels.get("system")) if mapped else None
        view["internet_facing"] = bool(system and system.internet_facing)
        networks = props.get("networks", [])
        addresses: set[str] = set()
        if networks != []:  # (alicloud instances name no ports)
            by_name = self.by_name()
            ports = [
                by_name[str(n["port"]["$ref"])]
                for n in networks
                if isinstance(n.get("port"), dict) and str(n["port"].get("$ref")) in by_name
            ]
            addresses = {
                str(ip.get("ip_address")) for port in ports for ip in port.props.get("fixed_ips", [])
            }
        members = self.members
        # the names of its addresses made only when the stack balances some
        view["behind_load_balancer"] = (
            (bool(self.backends) and f"${{ref:{r.name}.id}}" in self.backends)
            or bool(addresses & members)
            or (bool(members) and f"${{ref:{r.name}.access_ip_v4}}" in members)
        )
        recovery = _labels(props)
        if recovery is not labels:  # (the same labels name the same system)
            system = self.facts.system(recovery.get("system"))
        if (
            system is not None
            and recovery.get("source-server")
            and recovery.get("recovery-role") != "standby"
        ):
            self._recovery(r, view, recovery, system)

    def _recovery(self, r: Resource, view: dict[str, Any], labels: dict[str, Any], system: _System) -> None:
        """The recovery facts (issue 23) of an instance serving ``system``, the one its
        ``labels`` (:func:`_labels`) name, not itself a standby."""
        stack, props = self.stack, r.props
        if stack.provider == "alicloud":
            keys = [props.get("system_disk_auto_snapshot_policy_id")]
            keys += [d.get("auto_snapshot_policy_id") for d in props.get("data_disks", [])]
            cross_region, copied = self.facts.cross_region, True
            for k in keys:  # (all() would make a generator per instance)
                if not (isinstance(k, dict) and (stack.node, k.get("key")) in cross_region):
                    copied = False
                    break
        else:
            target = str(labels.get("recovery-offsite", ""))
            copied = target.startswith("oss://") and stack.node in self.facts.buckets
        zone = str(props.get("availability_zone"))
        found = [
            mode
            for z, mode in self.facts.standbys.get(str(labels["source-server"]), ())
            if z != zone or self.one_zone
        ]
        mode = "hot" if "hot" in found else ("cold" if found else None)
        wanted = system.standby
        view["recovery_offsite_required"] = system.offsite
        view["recovery_offsite_copy"] = copied
        view["recovery_standby_required"] = wanted
        view["recovery_standby"] = mode
        view["recovery_standby_ok"] = wanted is None or mode == "hot" or (mode == "cold" and wanted == "cold")
