"""The topology drawing's layout: rooms under their department, columns left to right, and
one node per department when there are too many rooms."""

from __future__ import annotations

from typing import Any

from govcloud.report.html import topology_chart
from govcloud.report.html.topology_chart import MAX_PLACES, MAX_ROOMS, chart, layout


def _topology(rooms_per_department: int, departments: int = 3, places: int = 2) -> dict[str, Any]:
    depts = [
        {"id": f"d{i:02d}", "name": f"部门{i}", "name_en": f"Dept {i}", "level": "province", "parent": None}
        for i in range(departments)
    ]
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for i, d in enumerate(depts):
        for r in range(rooms_per_department):
            room = f"site:{d['id']}-r{r}"
            nodes.append(
                {
                    "id": room,
                    "type": "site",
                    "name": f"{d['name']}机房{r}",
                    "owner": d["id"],
                    "closes_after_wave": 1 if r % 2 else None,
                }
            )
            links.append(
                _link(f"line:{d['id']}-l{r}", room, "access_point:ap", cancelled=1 if r % 2 else None)
            )
            links.append(_link(f"line:{d['id']}-p{r}", room, f"place:地点{(i + r) % places}"))
    nodes += [{"id": f"place:地点{p}", "type": "place", "name": f"地点{p}"} for p in range(places)]
    nodes.append({"id": "access_point:ap", "type": "access_point", "name": "接入点"})
    nodes.append(
        {"id": "cloud_node:c", "type": "cloud_node", "name": "政务云", "systems_after": 3, "servers_after": 9}
    )
    links.append(_link("extranet:ap|c", "access_point:ap", "cloud_node:c", kind="extranet"))
    return {
        "region": {"id": "r", "name": "测试", "name_en": None, "as_of": "2026-01-01"},
        "departments": depts,
        "nodes": nodes,
        "links": links,
        "networks": [],
    }


def _link(ident: str, a: str, z: str, cancelled: int | None = None, kind: str = "line") -> dict[str, Any]:
    return {
        "id": ident,
        "type": kind,
        "a": a,
        "z": z,
        "bandwidth_mbps": 100,
        "cancelled_after_wave": cancelled,
    }


def test_rooms_sit_under_their_department_and_columns_run_left_to_right() -> None:
    drawn = layout(_topology(2), "before", "zh")
    assert not drawn.grouped
    assert [h.label for h in drawn.headers] == ["部门0", "部门1", "部门2"]
    rooms = [n for n in drawn.nodes.values() if n.kind == "site"]
    assert len(rooms) == 6
    # each department's rooms come right after its header
    for header in drawn.headers:
        dept = header.key.split(":", 1)[1]
        rows = sorted(n.y for n in rooms if n.key.startswith(f"site:{dept}-"))
        assert rows == [header.y + 1, header.y + 2]
    xs = {n.kind: n.x for n in drawn.nodes.values()}
    assert xs["site"] < xs["place"] < xs["access_point"] < xs["cloud_node"]
    assert all(drawn.nodes[e.a].x <= drawn.nodes[e.z].x for e in drawn.edges)


def test_after_drops_closed_rooms_and_cancelled_lines() -> None:
    before = layout(_topology(2), "before", "zh")
    after = layout(_topology(2), "after", "zh")
    assert sum(n.kind == "site" for n in after.nodes.values()) == 3
    assert not any(e.cancelled for e in after.edges)
    assert any(e.cancelled for e in before.edges)
    assert all(n.closes for n in before.nodes.values() if n.key.endswith("-r1"))


def test_too_many_rooms_are_drawn_one_node_per_department() -> None:
    per = MAX_ROOMS // 3 + 1
    drawn = layout(_topology(per), "before", "en")
    assert drawn.grouped
    groups = [n for n in drawn.nodes.values() if n.kind == "group"]
    assert [g.label for g in groups] == [f"Dept {i} ({per} rooms)" for i in range(3)]
    # a department's lines to the same place are one edge, counted
    edge = next(e for e in drawn.edges if e.a == "group:d00" and e.z == "access_point:ap" and not e.cancelled)
    assert edge.count == (per + 1) // 2


def test_many_departments_and_places_are_gathered() -> None:
    topology = _topology(1, departments=topology_chart.MAX_DEPARTMENTS + 5, places=MAX_PLACES + 4)
    # give every department enough rooms to be drawn grouped
    topology["nodes"] += [
        {"id": f"site:extra{i}", "type": "site", "name": "x", "owner": "d00", "closes_after_wave": None}
        for i in range(MAX_ROOMS)
    ]
    drawn = layout(topology, "before", "zh")
    groups = [n for n in drawn.nodes.values() if n.kind == "group"]
    assert len(groups) == topology_chart.MAX_DEPARTMENTS
    assert groups[-1].key == "group:*"
    assert groups[-1].label == "其他 6 个部门（6 个机房）"
    places = [n for n in drawn.nodes.values() if n.kind == "place"]
    assert len(places) == MAX_PLACES
    assert "place:*" in drawn.nodes


def test_chart_is_svg_with_every_label_as_text() -> None:
    svg = chart(_topology(2), "before", "zh")
    assert svg.startswith('<svg class="chart chart-topology chart-before" role="img"')
    assert "<title>迁移前：现状网络</title>" in svg
    for label in ("部门0", "部门2机房1", "接入点", "政务云"):
        assert label in svg
    assert chart(_topology(2), "before", "zh") == svg  # the same bytes every time
