"""Which cloud node a system goes to, by stated reasons rather than by the order of ids.

A node qualifies when its certified MLPS level is at least the system's and, for a system that
must run on a domestic stack (``xinchuang: true``), when the node offers one.  Qualifying nodes
are ranked by, in order:

1. distance: for a latency-bound system only a city node of its prefecture will do; otherwise
   a city or county department's own prefecture's city node first, then provincial nodes, then
   other prefectures' city nodes (a provincial department: provincial nodes, then city nodes);
2. capacity left: the node with the larger share of its vCPUs still free, then with more vCPUs
   free (a node without a stated capacity counts as fully free and unbounded);
3. the higher certification (more room for the system's level to rise);
4. the id, only when everything above is equal (the documented last resort).

The planner places a system on the first node of this ranking that has room for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from govcloud.ledger import model


def qualifies(system: model.System, node: model.CloudNode) -> bool:
    return node.certified_mlps_level >= system.mlps_level and (node.xinchuang or not system.xinchuang)


def distance(system: model.System, department: model.Department | None, node: model.CloudNode) -> int:
    """0 nearest; ``LATENCY_FAR`` when a latency-bound system cannot use the node at all."""
    prefecture = department.region_code[:4] if department and department.level != "province" else None
    same = node.kind == "city" and prefecture is not None and (node.region_code or "")[:4] == prefecture
    if system.latency_bound:
        return 0 if same else LATENCY_FAR
    if same:
        return 0
    return 1 if node.kind == "provincial" else 2


#: a latency-bound system is never placed this far
LATENCY_FAR = 9


def free_share(node: model.CloudNode, used_vcpus: float) -> float:
    if node.capacity.vcpus is None:
        return 1.0
    if node.capacity.vcpus <= 0:
        return 0.0
    return max(0.0, 1.0 - used_vcpus / node.capacity.vcpus)


def free_vcpus(node: model.CloudNode, used_vcpus: float) -> float:
    return float("inf") if node.capacity.vcpus is None else node.capacity.vcpus - used_vcpus


def rank(
    system: model.System,
    ledger: model.Ledger,
    used_vcpus: Mapping[str, float] | None = None,
) -> list[model.CloudNode]:
    """The qualifying nodes for ``system``, best first (see the module's rules)."""
    used = used_vcpus or {}
    department = ledger.departments.get(system.owner)
    nodes: Sequence[model.CloudNode] = [n for n in ledger.cloud_nodes.values() if qualifies(system, n)]
    keyed = [
        (
            distance(system, department, n),
            -free_share(n, used.get(n.id, 0.0)),
            -free_vcpus(n, used.get(n.id, 0.0)),
            -n.certified_mlps_level,
            n.id,
            n,
        )
        for n in nodes
    ]
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:-1]) if k[0] < LATENCY_FAR]
