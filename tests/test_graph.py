"""The ledger as a graph: typed edges, stable exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx

from govcloud import graph
from govcloud.ledger import load
from tests.conftest import MINI


def _mini() -> graph.Graph:
    ledger = load(MINI).ledger
    assert ledger is not None
    return graph.build(ledger)


def test_nodes_and_typed_edges() -> None:
    g = _mini()
    assert g.nodes["site:gat-room"]["type"] == "site"
    assert g.nodes["site:gat-room"]["kind"] == "self_built"  # the entity's own kind keeps its name
    assert graph.edges_of(g, "department:gat", "owns") == [
        "line:gat-line-1",
        "network:gat-private",
        "server:gat-srv-01",
        "site:gat-room",
        "system:gat-oa",
    ]
    assert graph.edges_of(g, "server:gat-srv-01", "located-in") == ["site:gat-room"]
    assert graph.edges_of(g, "system:gat-oa", "hosts") == ["server:gat-srv-01"]
    assert graph.edges_of(g, "system:gat-oa", "depends-on") == ["system:wjw-portal"]
    assert graph.edges_of(g, "line:gat-line-1", "connects") == ["access_point:ap-prov", "site:gat-room"]
    assert graph.edges_of(g, "line:gat-line-1", "carries") == ["network:gat-private"]
    assert graph.sources_of(g, "site:gat-room", "connects") == ["line:gat-line-1", "network:gat-private"]
    rels = {k for _, _, k in g.edges(keys=True)}
    assert rels == {"owns", "located-in", "hosts", "connects", "carries", "depends-on", "attached-to"}


def test_every_node_but_places_is_a_ledger_entity() -> None:
    g = _mini()
    assert g.number_of_nodes() == 12
    assert all(g.nodes[n]["type"] != "place" for n in g.nodes)


def test_json_export_is_stable_and_complete() -> None:
    g = _mini()
    data = graph.to_json(g)
    assert data == graph.to_json(_mini())
    assert [n["key"] for n in data["nodes"]] == sorted(g.nodes)
    assert len(data["edges"]) == g.number_of_edges()
    json.dumps(data)  # plain JSON values only


def test_graphml_round_trips_through_networkx() -> None:
    text = graph.to_graphml(_mini())
    ET.fromstring(text)  # noqa: S314 - our own output, checked to be well-formed
    back = nx.parse_graphml(text, force_multigraph=True)
    assert set(back.nodes) == set(_mini().nodes)
    assert back.nodes["server:gat-srv-01"]["memory_gb"] == 64.0
    assert "测试省公安厅" in text


def test_graphml_survives_control_characters_in_names() -> None:
    g = _mini()
    g.nodes["department:gat"]["name"] = "坏\x01名字"
    back = nx.parse_graphml(graph.to_graphml(g), force_multigraph=True)
    assert back.nodes["department:gat"]["name"] == "坏 名字"
