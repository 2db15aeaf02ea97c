"""Routes from a room to a cloud node (govcloud.plan.paths): found once per pair and reused."""

from __future__ import annotations

import networkx as nx
import pytest

from govcloud.plan import paths
from govcloud.plan.rules import PlanRules


def _graph() -> paths.PlaceGraph:
    g: paths.PlaceGraph = nx.Graph()
    g.add_edge("site:r", "access_point:ap", mbps=100.0, via="line:l")
    g.add_edge("access_point:ap", "cloud_node:n", mbps=1000.0, via="extranet")
    g.add_node("site:alone")
    return g


def test_a_kept_route_gives_the_path_a_fresh_search_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    g, rules = _graph(), PlanRules()
    routes: dict[tuple[str, str], paths.Route] = {}
    first = paths.find_path(g, "r", "n", 10.0, rules, routes)
    searched: list[str] = []
    real = nx.shortest_path

    def counted(*args: object, **kwargs: object) -> object:
        searched.append("once more")
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(nx, "shortest_path", counted)
    again = paths.find_path(g, "r", "n", 50_000.0, rules, routes)
    assert searched == []  # the second group between the same two places searched nothing
    assert again == paths.find_path(g, "r", "n", 50_000.0, rules)  # and got what a search gets
    assert searched == ["once more"]
    assert first.hops == again.hops == ("site:r", "access_point:ap", "cloud_node:n")
    assert (first.bottleneck_mbps, first.advice, again.advice) == (100.0, "online", "offline")


def test_no_path_is_kept_too() -> None:
    g, rules = _graph(), PlanRules()
    routes: dict[tuple[str, str], paths.Route] = {}
    for _ in range(2):
        path = paths.find_path(g, "alone", "n", 1.0, rules, routes)
        assert (path.hops, path.advice, path.hours) == ((), "no-path", None)
    assert routes == {("site:alone", "cloud_node:n"): None}
    assert paths.find_path(g, "nowhere", "n", 1.0, rules).advice == "no-path"
