"""Network paths for moving data: from a room to its cloud node over dedicated lines and the
e-government extranet, the bottleneck bandwidth and how long the transfer takes."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import networkx as nx

from govcloud.graph import end_node, node_id
from govcloud.ledger import model
from govcloud.plan.rules import PlanRules

if TYPE_CHECKING:  # networkx's classes are generic only in the type stubs
    PlaceGraph: TypeAlias = nx.Graph[str]
else:
    PlaceGraph = nx.Graph


@dataclass(frozen=True)
class Path:
    source: str
    target: str
    hops: tuple[str, ...]
    bottleneck_mbps: float
    data_gb: float
    hours: float | None
    advice: str  # "online", "offline", "no-path"


def network(ledger: model.Ledger) -> PlaceGraph:
    """Places joined by lines (their bandwidth) and the extranet: every access point reaches
    every cloud node at the access point's bandwidth, and a room in the same building as an
    access point or cloud node reaches it directly."""
    g: PlaceGraph = nx.Graph()
    for line in ledger.lines.values():
        a, z = end_node(line.a_end), end_node(line.z_end)
        previous = g.get_edge_data(a, z, {}).get("mbps", 0.0)
        g.add_edge(a, z, mbps=previous + line.bandwidth_mbps, via=f"line:{line.id}")
    for ap in ledger.access_points.values():
        for node in ledger.cloud_nodes.values():
            g.add_edge(
                node_id("access_point", ap.id),
                node_id("cloud_node", node.id),
                mbps=ap.bandwidth_mbps,
                via="extranet",
            )
        if ap.site:
            g.add_edge(
                node_id("site", ap.site), node_id("access_point", ap.id), mbps=ap.bandwidth_mbps, via="local"
            )
    for node in ledger.cloud_nodes.values():
        if node.site:
            g.add_edge(node_id("site", node.site), node_id("cloud_node", node.id), mbps=10_000.0, via="local")
    return g


#: a route between two places: its hops and their bottleneck bandwidth, or None (no path)
Route = tuple[tuple[str, ...], float] | None


def find_path(
    g: PlaceGraph,
    site: str,
    node: str,
    data_gb: float,
    rules: PlanRules,
    routes: dict[tuple[str, str], Route] | None = None,
) -> Path:
    """The widest-preferring path from a room to a cloud node and the transfer time over it.
    ``routes`` keeps each room-to-node route found, for the next group between the same two
    (the graph does not change while a plan is made: at 100k servers most groups share one)."""
    source, target = node_id("site", site), node_id("cloud_node", node)
    key = (source, target)
    if routes is not None and key in routes:
        route = routes[key]
    else:
        route = _route(g, source, target)
        if routes is not None:
            routes[key] = route
    if route is None:
        return Path(source, target, (), 0.0, data_gb, None, "no-path")
    hops, bottleneck = route
    usable = bottleneck * rules.transfer_bandwidth_share
    hours = data_gb * 8 * 1024 / usable / 3600 if usable > 0 else math.inf
    advice = "online" if hours <= rules.max_transfer_hours else "offline"
    return Path(source, target, hops, bottleneck, data_gb, round(hours, 1), advice)


def _route(g: PlaceGraph, source: str, target: str) -> Route:
    try:
        hops = nx.shortest_path(g, source, target, weight=lambda _u, _v, d: 1000.0 / max(d["mbps"], 0.001))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    return tuple(hops), min(g.edges[u, v]["mbps"] for u, v in itertools.pairwise(hops))
