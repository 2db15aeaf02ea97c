"""Disaster recovery in the stacks: what :mod:`govcloud.plan.recovery` plans, as resources.

alicloud
    the foundation gets one automatic snapshot policy per copy interval, copying snapshots to
    the recovery region (``enable_cross_region_copy``) for systems that need an off-site copy;
    the disks of those systems' instances use it.  A node other nodes send their off-site
    copies to (their ``recovery_node``) gets an encrypted, versioned OSS bucket per such node.
    A standby is a second instance in the paired zone; a cold one is created stopped.
OpenStack
    a standby is a second instance in the paired zone, or in the only zone on another host
    (``different_hosts``); a cold one is created shut off.  Off-site copies go to the recovery node's
    bucket (named in the instance's metadata for the backup agent).

The builders call :func:`extend_foundation` and :func:`extend_wave` once per stack.
"""

from __future__ import annotations

import copy
from typing import Any

from govcloud.plan import Plan
from govcloud.plan.recovery import Recovery, paired_zone, plan_recovery
from govcloud.stacks.common import bastion_assets, slug, tags
from govcloud.stacks.layout import NodeLayout
from govcloud.stacks.spec import Resource, Stack, foundation, ref

SNAPSHOT_POLICY = "alicloud:ecs/autoSnapshotPolicy:AutoSnapshotPolicy"
OSS_BUCKET = "alicloud:oss/bucket:Bucket"
BASTION = "alicloud:bastionhost/instance:Instance"
SLB_BACKENDS = "alicloud:slb/backendServer:BackendServer"
ALI_INSTANCE = "alicloud:ecs/instance:Instance"
OS_INSTANCE = "openstack:compute/instance:Instance"
#: the providers disaster recovery is taught for, with their instance type; a node on another
#: provider gets no recovery resources (CONTRIBUTING.md, "Adding a cloud provider")
_INSTANCE_OF = {"alicloud": ALI_INSTANCE, "openstack": OS_INSTANCE}
OS_PORT = "openstack:networking/port:Port"
#: days snapshots and their off-site copies are kept
RETENTION_DAYS = 30


def policy_key(r: Recovery) -> str:
    """The snapshot policy a recovery uses: its interval, and off site or not."""
    hours = int(r.copy_every_hours or 24)
    return f"every-{hours}h" + ("-offsite" if r.offsite_region else "")


def bucket_name(plan: Plan, source_node: str) -> str:
    return f"govcloud-{slug(plan.ledger.region.id)}-recovery-{slug(source_node)}"[:63]


#: the recoveries of the last plan seen, by node and by node and wave (the builders ask once
#: per stack: a wave's stack looking through all of its node's recoveries made the stacks
#: stage grow with waves × recoveries)
_LAST: list[tuple[Plan, dict[str, list[Recovery]], dict[tuple[str, int], list[Recovery]]]] = []


def _grouped(plan: Plan) -> tuple[dict[str, list[Recovery]], dict[tuple[str, int], list[Recovery]]]:
    if not _LAST or _LAST[0][0] is not plan:
        by_node: dict[str, list[Recovery]] = {}
        by_wave: dict[tuple[str, int], list[Recovery]] = {}
        for r in plan_recovery(plan):
            by_node.setdefault(r.node, []).append(r)
            by_wave.setdefault((r.node, r.wave), []).append(r)
        _LAST[:] = [(plan, by_node, by_wave)]
    return _LAST[0][1], _LAST[0][2]


def _on_node(plan: Plan, node: str) -> list[Recovery]:
    return _grouped(plan)[0].get(node, [])


def _on_node_in_wave(plan: Plan, node: str, wave: int) -> list[Recovery]:
    return _grouped(plan)[1].get((node, wave), [])


def extend_foundation(stack: Stack, plan: Plan, layout: NodeLayout) -> None:
    """Snapshot policies for the node's recoveries, and buckets for nodes that copy here."""
    ledger = plan.ledger
    node = layout.node
    base = tags(ledger, stack="foundation", node=node.id, purpose="recovery")
    if node.provider != "alicloud":
        return
    policies: dict[str, Any] = {}
    for r in sorted(_on_node(plan, node.id), key=policy_key):
        key = policy_key(r)
        if key in policies:
            continue
        hours = int(r.copy_every_hours or 24)
        props: dict[str, Any] = {
            "auto_snapshot_policy_name": f"govcloud-{key}",
            "repeat_weekdays": ["1", "2", "3", "4", "5", "6", "7"],
            "time_points": [str(h) for h in range(0, 24, hours)],
            "retention_days": RETENTION_DAYS,
            "tags": base,
        }
        if r.offsite_region:
            props |= {
                "enable_cross_region_copy": True,
                "target_copy_regions": [r.offsite_region],
                "copied_snapshots_retention_days": RETENTION_DAYS,
            }
        name = f"recovery-{key}"
        stack.add(name, SNAPSHOT_POLICY, props, protect=True)  # a foundation resource, like the rest
        policies[key] = ref(name)
    sources = sorted(
        n.id
        for n in ledger.cloud_nodes.values()
        if n.recovery_node == node.id and any(r.offsite == f"node:{node.id}" for r in _on_node(plan, n.id))
    )
    buckets: dict[str, Any] = {}
    for source in sources:
        name = f"recovery-{slug(source)}"
        stack.add(
            name,
            OSS_BUCKET,
            {
                "bucket": bucket_name(plan, source),
                "acl": "private",
                "versioning": {"status": "Enabled"},
                "server_side_encryption_rule": {"sse_algorithm": "KMS", "kms_master_key_id": ref("kms")},
                "tags": base | {"recovery-for": source},
            },
            protect=True,
        )
        buckets[source] = ref(name)
    _bastion_covers_standbys(stack, plan, layout)
    if policies:
        stack.outputs["recoverySnapshotPolicyIds"] = policies
    if buckets:
        stack.outputs["recoveryBuckets"] = buckets


def extend_wave(stack: Stack, plan: Plan, layout: NodeLayout, wave: int) -> None:
    """Point the instances of this wave at their recovery, and add their standbys."""
    recoveries = {r.system: r for r in _on_node_in_wave(plan, layout.node.id, wave)}
    if not recoveries:
        return
    instance_type = _INSTANCE_OF.get(layout.node.provider)
    if instance_type is None:
        return
    by_server = {p.server: p for p in layout.placements_by_wave.get(wave, [])}
    after = _After(stack)
    paired = _Paired(plan)
    for resource in stack.of_type(instance_type):
        server = _source_server(resource.props)
        placement = by_server.get(server or "")
        if placement is None or placement.system not in recoveries:
            continue
        r = recoveries[placement.system]
        if layout.node.provider == "alicloud":
            _alicloud(after, resource.name, resource.props, r, placement.system, paired, layout.zones)
        else:
            _openstack(after, resource.name, resource.props, r, paired)
    after.apply()


class _Paired:
    """The paired zone of each zone (:func:`paired_zone`), asked once per node and zone: a
    wave's stack asks for every instance with a recovery."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._zones: dict[tuple[str, str], str] = {}

    def zone(self, node: str, zone: str) -> str:
        key = (node, zone)
        found = self._zones.get(key)
        if found is None:
            found = self._zones[key] = paired_zone(self.plan.ledger.cloud_nodes[node], zone)
        return found


class _After:
    """The standbys a wave's stack gains, each right after the resource it follows (the
    program registers resources in order, so what refers to a standby, such as a load
    balancer's backends, comes later).  Put in place together at the end, in one pass over
    the stack's resources, rather than each by a search through them."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        #: resource name → what goes right after it, the latest first (as inserting each
        #: right after it would leave them)
        self.following: dict[str, list[Resource]] = {}
        self.added: set[str] = set()
        self._by_name: dict[str, Resource] | None = None
        self._backends: dict[str, list[list[Any]]] | None = None

    def resource(self, name: str) -> Resource:
        """The stack's resource named ``name``."""
        if self._by_name is None:
            self._by_name = {r.name: r for r in self.stack.resources}
        return self._by_name[name]

    def backends_of(self, name: str) -> list[list[Any]]:
        """The backend lists of the load balancers that have the resource ``name`` as a
        backend server, in the stack's order, each once."""
        if self._backends is None:
            self._backends = {}
            for lb in self.stack.of_type(SLB_BACKENDS):
                backends = lb.props.get("backend_servers", [])
                servers = {_ref_name(b.get("server_id")) for b in backends}
                for server in sorted(s for s in servers if s is not None):
                    self._backends.setdefault(server, []).append(backends)
        return self._backends.get(name, [])

    def add(self, after: str, resource: Resource) -> None:
        """Add ``resource`` right after the one named ``after``."""
        if resource.name in self.added or resource.name in self.stack.names():
            raise ValueError(f"{self.stack.project}: two resources named {resource.name}")
        if after not in self.added and after not in self.stack.names():
            raise ValueError(f"{self.stack.project}: no resource named {after}")
        self.following.setdefault(after, []).insert(0, resource)
        self.added.add(resource.name)

    def apply(self) -> None:
        following = self.following
        if not following:
            return
        out: list[Resource] = []
        # each resource, then what follows it and what follows those, depth first (a loop,
        # not a recursive closure: that would be a reference cycle holding the stack, which
        # the stages, run with the cyclic collector paused, could not let go)
        for resource in self.stack.resources:
            out.append(resource)
            if resource.name not in following:
                continue  # most resources: nothing follows them
            todo = list(reversed(following[resource.name]))
            while todo:
                placed = todo.pop()
                out.append(placed)
                todo.extend(reversed(following.get(placed.name, [])))
        self.stack.resources[:] = out


def _ref_name(value: Any) -> str | None:
    """The name a ``ref(name)`` (to its id) points at, else None."""
    if type(value) is dict and len(value) == 2 and value.get("attr") == "id":
        name = value.get("$ref")
        return name if isinstance(name, str) else None
    return None


#: the values :func:`_copied` keeps as they are
_SCALARS = frozenset((str, int, float, bool, type(None)))


def _copied(value: Any) -> Any:
    """A deep copy of a resource's properties (plain JSON values: a fraction of the cost of
    :func:`copy.deepcopy`, which a standby of every instance paid).  A dict is copied whole,
    then its containers copied in turn (most of its values are text, numbers and flags)."""
    kind = type(value)
    if kind is dict:
        out = value.copy()
        for k, v in value.items():
            if type(v) not in _SCALARS:
                out[k] = _copied(v)
        return out
    if kind is list:
        return [(v if type(v) in _SCALARS else _copied(v)) for v in value]
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


def _standby(props: dict[str, Any], replaced: dict[str, Any]) -> dict[str, Any]:
    """A standby's properties: a deep copy of its primary's, with ``replaced``'s values (not
    copied) — as if each were set on the copy in turn: one the primary has stays in its
    place, one it lacks is added at the end."""
    out = props.copy()
    for k, v in props.items():
        if type(v) not in _SCALARS and k not in replaced:
            out[k] = _copied(v)
    out.update(replaced)
    return out


def _source_server(props: dict[str, Any]) -> str | None:
    labels = props.get("tags") if isinstance(props.get("tags"), dict) else props.get("metadata")
    return labels.get("source-server") if isinstance(labels, dict) else None


def _alicloud(
    after: _After,
    name: str,
    props: dict[str, Any],
    r: Recovery,
    system: str,
    paired: _Paired,
    layout_zones: list[str],
) -> None:
    """Off-site snapshot copies on the instance's disks, and its standby in the paired zone
    (only in a zone the foundation has subnets in; otherwise the baseline reports it)."""
    policy = foundation("recoverySnapshotPolicyIds", policy_key(r))
    props["system_disk_auto_snapshot_policy_id"] = policy
    for disk in props.get("data_disks", []):
        disk["auto_snapshot_policy_id"] = policy
    tags = props["tags"] = props["tags"] | {"recovery-offsite": r.offsite or "none"}
    zone = paired.zone(r.node, str(props["availability_zone"]))
    if r.standby and zone in layout_zones:
        owner = paired.plan.ledger.systems[system].owner
        replaced = {
            "instance_name": f"{props['instance_name']}-standby"[:128],
            "availability_zone": zone,
            "vswitch_id": foundation("vswitchIds", f"{owner}|{zone}"),
            "tags": tags | {"recovery-role": "standby", "standby-mode": r.standby},
        }
        if r.standby == "cold":
            replaced["status"] = "Stopped"
            replaced["stopped_mode"] = "StopCharging"
        after.add(name, Resource(f"{name}-standby", ALI_INSTANCE, _standby(props, replaced)))
        if r.standby == "hot":  # behind the system's load balancer, taking no traffic until failover
            for backends in after.backends_of(name):
                backends.append({"server_id": ref(f"{name}-standby"), "weight": 0})


def _openstack(after: _After, name: str, props: dict[str, Any], r: Recovery, paired: _Paired) -> None:
    plan = paired.plan
    metadata = dict(props.get("metadata", {}))
    if r.offsite and r.offsite.startswith("node:"):
        metadata["recovery-offsite"] = f"oss://{bucket_name(plan, r.node)}"
    elif r.offsite:
        metadata["recovery-offsite"] = r.offsite
    metadata["recovery-copy-every-hours"] = str(int(r.copy_every_hours or 24))
    props["metadata"] = metadata
    props["tags"] = sorted(
        {*props.get("tags", []), f"recovery-offsite={metadata.get('recovery-offsite', 'none')}"}
    )
    if r.standby:
        replaced: dict[str, Any] = {
            "name": f"{props['name']}-standby"[:63],
            "availability_zone": paired.zone(r.node, str(props["availability_zone"])),
            # never on the primary's host, in whatever zone the node has
            "scheduler_hints": [{"different_hosts": [ref(name)]}],
            "metadata": metadata | {"recovery-role": "standby", "standby-mode": r.standby},
            "tags": sorted({*props["tags"], "recovery-role=standby", f"standby-mode={r.standby}"}),
        }
        if r.standby == "cold":
            replaced["power_state"] = "shutoff"
        standby = _standby(props, replaced)
        # its own port in the same subnet, the address given by the subnet (not the primary's)
        for network in standby.get("networks", []):
            port = network.get("port")
            if isinstance(port, dict) and port.get("$ref"):
                source = after.resource(port["$ref"])
                port_props = _standby(
                    source.props,
                    {
                        "name": f"{source.props.get('name', source.name)}-standby"[:255],
                        "fixed_ips": [
                            {k: _copied(v) for k, v in ip.items() if k != "ip_address"}
                            for ip in source.props.get("fixed_ips", [])
                        ],
                    },
                )
                after.add(name, Resource(f"{source.name}-standby", OS_PORT, port_props))
                network["port"] = ref(f"{source.name}-standby")
        after.add(standby_port_name(standby), Resource(f"{name}-standby", OS_INSTANCE, standby))


def standbys_on(plan: Plan, layout: NodeLayout) -> int:
    """How many standby instances the node's wave stacks add (see :func:`extend_wave`)."""
    recoveries = {r.system: r for r in _on_node(plan, layout.node.id) if r.standby}
    provider = layout.node.provider
    fits: dict[str, bool] = {}  # zone → its paired zone has subnets here (asked once a zone)
    count = 0
    for placements in layout.placements_by_wave.values():
        for p in placements:
            if p.system not in recoveries:
                continue
            if provider == "alicloud":
                here = fits.get(p.zone)
                if here is None:
                    here = fits[p.zone] = paired_zone(layout.node, p.zone) in layout.zones
                count += here
            elif provider == "openstack":
                count += 1
    return count


def _bastion_covers_standbys(stack: Stack, plan: Plan, layout: NodeLayout) -> None:
    """The bastion's licence counts every instance it manages, standbys too."""
    extra = standbys_on(plan, layout)
    if not extra:
        return
    instances = sum(len(ps) for ps in layout.placements_by_wave.values()) + extra
    for resource in stack.of_type(BASTION):
        resource.props["license_code"] = f"bhah_ent_{bastion_assets(instances)}_asset"


def standby_port_name(standby: dict[str, Any]) -> str:
    """The resource the standby instance follows: its port when it has one."""
    for network in standby.get("networks", []):
        port = network.get("port")
        if isinstance(port, dict) and port.get("$ref"):
            return str(port["$ref"])
    return str(standby["scheduler_hints"][0]["different_hosts"][0]["$ref"])
