"""The ledger as a networkx graph: every later stage reads this graph.

Nodes are keyed ``"<type>:<id>"`` and carry that ``type`` as an attribute beside the entity's
scalar fields (an entity's own ``kind`` field, e.g. a site's ``self_built``, keeps its name).
Types are singular: ``department``, ``site``, ``server``, ``network``, ``line``, ``system``,
``cloud_node``, ``access_point``, and ``place`` for a line end that is only an address.
Edges are directed and typed by ``rel``:

==============  ===================================  ===============================
rel             from → to                            meaning
==============  ===================================  ===============================
owns            department → site/server/network/…   the department's asset
located-in      server → site, cloud_node → site      where it physically is
hosts           system → server                      the system runs on the server
connects        network → site, line → end            what a network or line reaches
carries         line → network                       the network a line carries
depends-on      system → system                      a call between systems
attached-to     system → network                     the networks a system uses
parent-of       department → department              administrative hierarchy
==============  ===================================  ===============================

Graph algorithms are plain functions of this graph; none of them mutates it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

import networkx as nx

from govcloud.ledger import model
from govcloud.outputs import json_text
from govcloud.registry import OutputFormat, output_formats

if TYPE_CHECKING:  # networkx's classes are generic only in the type stubs
    #: the graph type: nodes are "<type>:<id>" strings
    Graph: TypeAlias = nx.MultiDiGraph[str]
else:
    Graph = nx.MultiDiGraph

#: singular node kind of each ledger collection
NODE_KIND = {
    "departments": "department",
    "sites": "site",
    "servers": "server",
    "networks": "network",
    "lines": "line",
    "systems": "system",
    "cloud_nodes": "cloud_node",
    "access_points": "access_point",
}


def node_id(kind: str, ident: str) -> str:
    """The graph key of an entity: its singular kind and its id."""
    return f"{kind}:{ident}"


def end_node(end: model.LineEnd) -> str:
    """The graph key of what a line end names (a bare address becomes a ``place`` node)."""
    kind, value = end.ref()
    return node_id("place" if kind == "address" else kind, value)


def build(ledger: model.Ledger) -> Graph:
    """The graph of ``ledger``; node attributes are the entity's scalar fields."""
    graph: Graph = nx.MultiDiGraph(region=ledger.region.id, as_of=ledger.region.as_of.isoformat())
    for collection, entity in ledger.entities():
        kind = NODE_KIND[collection]
        graph.add_node(node_id(kind, entity.id), **_attributes(kind, entity))  # type: ignore[attr-defined]
    for source, target, rel in _edges(ledger):
        if target not in graph:  # a bare address: a place known only by its text
            graph.add_node(target, type="place", id=target.split(":", 1)[1], name=target.split(":", 1)[1])
        graph.add_edge(source, target, key=rel, rel=rel)
    return graph


def _attributes(kind: str, entity: Any) -> dict[str, Any]:
    """Scalar fields of an entity; numbers of float fields stay floats so that GraphML keys
    have one type each, whether the ledger wrote ``64`` or ``64.5``."""
    attrs: dict[str, Any] = {"type": kind}
    for f in dataclasses.fields(entity):
        value = getattr(entity, f.name)
        if f.name == "source" or value is None:
            continue
        if isinstance(value, bool | str):
            attrs[f.name] = value
        elif isinstance(value, int | float):
            attrs[f.name] = float(value) if str(f.type).startswith("float") else value
        elif isinstance(value, dt.date):
            attrs[f.name] = value.isoformat()
    return attrs


def _edges(ledger: model.Ledger) -> Iterator[tuple[str, str, str]]:
    for dept in ledger.departments.values():
        if dept.parent:
            yield node_id("department", dept.parent), node_id("department", dept.id), "parent-of"
    for collection in model.OWNED_KINDS:
        kind = NODE_KIND[collection]
        for entity in getattr(ledger, collection).values():
            yield node_id("department", entity.owner), node_id(kind, entity.id), "owns"
    for server in ledger.servers.values():
        yield node_id("server", server.id), node_id("site", server.site), "located-in"
    for network in ledger.networks.values():
        for site in network.sites:
            yield node_id("network", network.id), node_id("site", site), "connects"
    for line in ledger.lines.values():
        for end in (line.a_end, line.z_end):
            yield node_id("line", line.id), end_node(end), "connects"
        if line.network:
            yield node_id("line", line.id), node_id("network", line.network), "carries"
    for system in ledger.systems.values():
        for server_id in system.servers:
            yield node_id("system", system.id), node_id("server", server_id), "hosts"
        for network_id in system.networks:
            yield node_id("system", system.id), node_id("network", network_id), "attached-to"
        for dep in system.dependencies:
            yield node_id("system", system.id), node_id("system", dep.system), "depends-on"
    for node in ledger.cloud_nodes.values():
        if node.site:
            yield node_id("cloud_node", node.id), node_id("site", node.site), "located-in"
    for ap in ledger.access_points.values():
        if ap.site:
            yield node_id("access_point", ap.id), node_id("site", ap.site), "located-in"


def edges_of(graph: Graph, node: str, rel: str) -> list[str]:
    """Targets of ``node``'s outgoing edges of type ``rel``, sorted."""
    return sorted(target for _, target, key in graph.out_edges(node, keys=True) if key == rel)


def sources_of(graph: Graph, node: str, rel: str) -> list[str]:
    """Sources of ``node``'s incoming edges of type ``rel``, sorted."""
    return sorted(source for source, _, key in graph.in_edges(node, keys=True) if key == rel)


def to_json(graph: Graph) -> dict[str, Any]:
    """Node-link JSON with nodes and edges in a stable order."""
    nodes = [{"key": n, **graph.nodes[n]} for n in sorted(graph.nodes)]
    edges = sorted(
        ({"source": u, "target": v, "rel": k} for u, v, k in graph.edges(keys=True)), key=_edge_key
    )
    return {
        "schema_version": 1,
        "directed": True,
        "graph": dict(sorted(graph.graph.items())),
        "nodes": nodes,
        "edges": edges,
    }


def _edge_key(edge: dict[str, str]) -> tuple[str, str, str]:
    return edge["source"], edge["target"], edge["rel"]


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    """Characters XML 1.0 cannot carry (control characters typed into a ledger) become spaces."""
    return _XML_ILLEGAL.sub(" ", value) if isinstance(value, str) else value


def to_graphml(graph: Graph) -> str:
    """GraphML for Gephi and yEd, nodes and edges in a stable order."""
    ordered: Graph = nx.MultiDiGraph(**graph.graph)
    for n in sorted(graph.nodes):
        ordered.add_node(n, **{k: _xml_safe(v) for k, v in graph.nodes[n].items()})
    for u, v, k in sorted(graph.edges(keys=True)):
        ordered.add_edge(u, v, key=k, rel=k)
    buffer = io.BytesIO()
    nx.write_graphml_xml(ordered, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


#: ``govcloud graph --format``: GraphML (Gephi, yEd) or node-link JSON
FORMATS = output_formats(
    "graph output format",
    OutputFormat[Graph]("graphml", lambda graph, lang: to_graphml(graph)),
    OutputFormat[Graph]("json", lambda graph, lang: json_text(to_json(graph))),
)
