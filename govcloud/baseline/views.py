"""What rules look at: a flat view of each inventory entity (as-is) or cloud resource (to-be),
with the facts a rule needs derived once here (a system's sites, lines and target; a room's
highest MLPS level; a rule's port), so rule conditions stay simple data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from govcloud.analysis.addresses import JOINED_KINDS, overlaps, ranges
from govcloud.analysis.common import ISOLATED_NETWORKS
from govcloud.ledger import model
from govcloud.plan import MOVING, Plan
from govcloud.plan.decide import EOL_OS_PREFIXES
from govcloud.plan.recovery import needs_offsite, standby_mode
from govcloud.stacks.spec import Stack

#: where the government cloud may be: regions inside mainland China
CHINA_REGION = re.compile(r"^(cn-|RegionOne$|region-?one$|nova$)", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Subject:
    """One thing a rule is checked against: its kind, id, view, MLPS level and source."""

    kind: str
    id: str
    view: dict[str, Any]
    level: int
    file: str = ""
    path: str = ""
    #: the line the subject starts on in ``file``, when the loader saw it
    line: int | None = None


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name != "source")
    return names


def _is_entity(value: Any) -> bool:
    return hasattr(type(value), "__dataclass_fields__")


def _plain(entity: Any) -> dict[str, Any]:
    """An entity's fields as plain values (nested entities too), without its source; field
    names are looked up once per class (views are built for every entity of the ledger)."""
    out: dict[str, Any] = {}
    for name in _field_names(type(entity)):
        value = getattr(entity, name)
        if _is_entity(value):
            value = _plain(value)
        elif isinstance(value, tuple):
            value = [(_plain(v) if _is_entity(v) else v) for v in value]
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = value
    return out


def as_is(ledger: model.Ledger, plan: Plan | None = None) -> Iterator[Subject]:
    """Views of the inventory: systems, rooms, servers, lines and networks."""
    as_of = ledger.region.as_of
    level_of_site: dict[str, int] = defaultdict(int)
    systems_of_server: dict[str, list[model.System]] = defaultdict(list)
    for system in ledger.systems.values():
        for server_id in system.servers:
            systems_of_server[server_id].append(system)
            server = ledger.servers.get(server_id)
            if server:
                level_of_site[server.site] = max(level_of_site[server.site], system.mlps_level)
    lines_at: dict[str, list[model.Line]] = defaultdict(list)
    for line in ledger.lines.values():
        for end in (line.a_end, line.z_end):
            if end.site:
                lines_at[end.site].append(line)
    for system in ledger.systems.values():
        yield _system(ledger, system, as_of, lines_at, plan)
    for site in ledger.sites.values():
        view = _plain(site) | {"level": level_of_site.get(site.id, 0)}
        yield Subject(
            "sites", site.id, view, view["level"], site.source.file, site.source.pointer(), site.source.line
        )
    for server in ledger.servers.values():
        level = max((s.mlps_level for s in systems_of_server.get(server.id, [])), default=0)
        view = _plain(server) | {
            "level": level,
            "eol_os": bool(server.os and server.os.casefold().startswith(EOL_OS_PREFIXES)),
            "warranty_expired": bool(
                server.kind == "physical" and server.warranty_end and server.warranty_end < as_of
            ),
        }
        yield Subject(
            "servers", server.id, view, level, server.source.file, server.source.pointer(), server.source.line
        )
    important = _important_networks(ledger)
    for line in ledger.lines.values():
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
            "lines", line.id, view, level, line.source.file, line.source.pointer(), line.source.line
        )
    overlapping: dict[str, int] = defaultdict(int)
    joined = [n for n in ledger.networks.values() if n.kind in JOINED_KINDS]
    for a, b in overlaps(ranges(joined)):
        overlapping[a.network] += 1
        overlapping[b.network] += 1
    for network in ledger.networks.values():
        view = _plain(network) | {"level": max((level_of_site.get(s, 0) for s in network.sites), default=0)}
        if network.kind in JOINED_KINDS:
            view["overlaps"] = overlapping.get(network.id, 0)
        yield Subject(
            "networks",
            network.id,
            view,
            view["level"],
            network.source.file,
            network.source.pointer(),
            network.source.line,
        )
    for node in ledger.cloud_nodes.values():
        view = _plain(node) | {"in_china": bool(CHINA_REGION.match(node.region))}
        yield Subject(
            "cloud_nodes",
            node.id,
            view,
            node.certified_mlps_level,
            node.source.file,
            node.source.pointer(),
            node.source.line,
        )


def _important_networks(ledger: model.Ledger) -> set[str]:
    return {n for s in ledger.systems.values() if s.data_class in ("important", "core") for n in s.networks}


def _system(
    ledger: model.Ledger,
    system: model.System,
    as_of: dt.date,
    lines_at: dict[str, list[model.Line]],
    plan: Plan | None,
) -> Subject:
    servers = [ledger.servers[s] for s in system.servers if s in ledger.servers]
    sites = sorted({s.site for s in servers})
    lines = {ln.id: ln for site in sites for ln in lines_at.get(site, [])}
    view = _plain(system) | {
        "level": system.mlps_level,
        "classified": system.classified,
        "on_isolated_network": any(
            ledger.networks[n].kind in ISOLATED_NETWORKS for n in system.networks if n in ledger.networks
        ),
        "admin_ports_exposed": sorted(
            set(system.exposed_ports) & {22, 23, 3389, 1433, 1521, 3306, 5432, 6379}
        ),
        "carriers": len({ln.carrier for ln in lines.values()}),
        "sites": [_plain(ledger.sites[s]) for s in sites if s in ledger.sites],
        "servers": [
            _plain(s) | {"eol_os": bool(s.os and s.os.casefold().startswith(EOL_OS_PREFIXES))}
            for s in servers
        ],
    }
    view["moves"] = False
    if plan is not None:
        decision = plan.decisions.get(system.id)
        target = ledger.cloud_nodes.get(decision.target or "") if decision else None
        view["moves"] = bool(decision and decision.action in MOVING)
        view["target_certified_level"] = target.certified_mlps_level if target else None
        view["target_covers"] = bool(target and target.certified_mlps_level >= system.mlps_level)
        view["target_multi_tenant"] = target.multi_tenant if target else None
    return Subject(
        "systems",
        system.id,
        view,
        system.mlps_level,
        system.source.file,
        system.source.pointer(),
        system.source.line,
    )


def to_be(stacks: list[Stack], plan: Plan) -> Iterator[Subject]:
    """Views of the cloud resources the stacks will create (props as written, plus derived)."""
    ledger = plan.ledger
    # a shared resource serves every level that moves; the highest applies
    top_level = max((s.mlps_level for s in ledger.systems.values()), default=0)
    recovery = _recovery_facts(stacks, plan)  # issue 23: disaster recovery of instances
    for stack in stacks:
        for resource in stack.resources:
            view: dict[str, Any] = dict(resource.props) | {"type": resource.type, "stack": stack.project}
            view |= recovery.get((stack.project, resource.name), {})
            level = 0
            tags = resource.props.get("tags")
            if isinstance(tags, dict) and tags.get("mlps-level"):
                level = int(tags["mlps-level"])
            elif resource.type.endswith(("ecurityGroupRule", "ecGroupRule")):
                port = (
                    resource.props.get("port_range_min")
                    or str(resource.props.get("port_range", "0/0")).split("/")[0]
                )
                view["port"] = int(port)
                view["source"] = resource.props.get("cidr_ip") or resource.props.get("remote_ip_prefix")
                level = top_level
            else:
                level = top_level
            view["level"] = level
            yield Subject(
                resource.type,
                f"{stack.project}/{resource.name}",
                view,
                level,
                f"{stack.project}/resources.json",
                resource.name,
            )


_INSTANCES = ("alicloud:ecs/instance:Instance", "openstack:compute/instance:Instance")


def _labels(props: dict[str, Any]) -> dict[str, Any]:
    """An instance's tags as a map (alicloud tags, OpenStack metadata)."""
    tags = props.get("tags")
    if isinstance(tags, dict):
        return tags
    metadata = props.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _recovery_facts(stacks: list[Stack], plan: Plan) -> dict[tuple[str, str], dict[str, Any]]:
    """For each instance the stacks create for a system: the recovery its system needs (from
    the ledger: off-site copies for level 3 or a copy today, a standby as
    :func:`govcloud.plan.recovery.standby_mode` asks) and what the stacks give it: disks whose
    snapshot policy copies to another region, or a recovery bucket for an OpenStack node; a
    standby instance of the same server in another zone (or on another host of a one-zone node),
    hot unless created stopped."""
    ledger = plan.ledger
    cross_region: set[tuple[str, str]] = set()  # (node, policy key) that copy off site
    buckets: set[str] = set()  # nodes whose copies have a bucket on their recovery node
    for stack in stacks:
        if stack.kind != "foundation":
            continue
        policies = stack.outputs.get("recoverySnapshotPolicyIds", {})
        copying = {
            r.name
            for r in stack.resources
            if r.props.get("enable_cross_region_copy") is True and r.props.get("target_copy_regions")
        }
        for key, value in policies.items():
            if isinstance(value, dict) and value.get("$ref") in copying:
                cross_region.add((stack.node, key))
        buckets.update(stack.outputs.get("recoveryBuckets", {}))
    standbys: dict[str, list[tuple[str, str]]] = defaultdict(list)  # server -> (zone, mode)
    primaries: list[tuple[Stack, Any, dict[str, Any]]] = []
    for stack in stacks:
        for resource in stack.resources:
            if resource.type not in _INSTANCES:
                continue
            labels = _labels(resource.props)
            server = labels.get("source-server")
            if not server:
                continue
            if labels.get("recovery-role") == "standby":
                stopped = (
                    resource.props.get("status") == "Stopped"
                    or resource.props.get("power_state") == "shutoff"
                )
                standbys[server].append(
                    (str(resource.props.get("availability_zone")), "cold" if stopped else "hot")
                )
            else:
                primaries.append((stack, resource, labels))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for stack, resource, labels in primaries:
        system = ledger.systems.get(str(labels.get("system")))
        if system is None:
            continue
        node = ledger.cloud_nodes.get(stack.node)
        offsite_today = bool(system.backup and system.backup.offsite)
        wanted = standby_mode(system.mlps_level, system.data_class, system.ha, system.rto_hours)
        if stack.provider == "alicloud":
            keys = [resource.props.get("system_disk_auto_snapshot_policy_id")]
            keys += [d.get("auto_snapshot_policy_id") for d in resource.props.get("data_disks", [])]
            copied = all(isinstance(k, dict) and (stack.node, k.get("key")) in cross_region for k in keys)
        else:
            target = str(labels.get("recovery-offsite", ""))
            copied = target.startswith("oss://") and stack.node in buckets
        zone = str(resource.props.get("availability_zone"))
        one_zone = node is not None and len(node.zones) == 1
        found = [mode for z, mode in standbys.get(str(labels["source-server"]), []) if z != zone or one_zone]
        mode = "hot" if "hot" in found else ("cold" if found else None)
        out[(stack.project, resource.name)] = {
            "recovery_offsite_required": needs_offsite(system.mlps_level, offsite_today),
            "recovery_offsite_copy": copied,
            "recovery_standby_required": wanted,
            "recovery_standby": mode,
            "recovery_standby_ok": wanted is None or mode == "hot" or (mode == "cold" and wanted == "cold"),
        }
    return out
