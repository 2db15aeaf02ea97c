"""The network before and after the plan, drawn in columns instead of a force layout:
rooms grouped under their department on the left, then the other places lines reach, the
extranet access points and the cloud nodes.  Every line runs left to right, so a province's
estate reads as "who is connected to what" rather than a hairball.

A region with more rooms than fit is drawn one node per department (its rooms and lines
counted), and places beyond a limit are gathered into one node.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from matplotlib.patches import FancyArrowPatch

from govcloud.i18n import Lang, t
from govcloud.report.html import svg
from govcloud.report.html.view import localised

State = Literal["before", "after"]

#: more rooms than this are drawn one node per department
MAX_ROOMS = 40
#: at most this many departments in the per-department drawing, the rest gathered
MAX_DEPARTMENTS = 40
#: at most this many places (line ends known only by address), the rest gathered
MAX_PLACES = 10
_COLUMN_X = {"site": 0.36, "group": 0.36, "place": 0.58, "access_point": 0.78, "cloud_node": 0.97}
_LEVELS = {"province": 0, "city": 1, "county": 2}


@dataclass
class Node:
    key: str
    kind: str  # site, group (a department's rooms), place, access_point, cloud_node, header
    label: str
    x: float = 0.0
    y: float = 0.0
    closes: bool = False


@dataclass
class Edge:
    a: str
    z: str
    kind: str  # line, extranet, local
    mbps: float
    cancelled: bool = False
    count: int = 1


@dataclass
class Layout:
    nodes: dict[str, Node] = field(default_factory=dict)
    headers: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    rows: int = 0
    grouped: bool = False


def _visible(node: dict[str, Any], state: State) -> bool:
    return state == "before" or node.get("closes_after_wave") is None


def _kept(link: dict[str, Any], state: State) -> bool:
    return state == "before" or link.get("cancelled_after_wave") is None


def layout(topology: dict[str, Any], state: State, lang: Lang) -> Layout:
    """Where every room, place, access point and cloud node goes, and the edges between them."""
    sites = [n for n in topology["nodes"] if n["type"] == "site" and _visible(n, state)]
    out = Layout(grouped=len(sites) > MAX_ROOMS)
    alias = _left_column(out, topology, sites, lang)
    links = [link for link in topology["links"] if _kept(link, state)]
    counts: Counter[str] = Counter()
    for link in links:
        counts.update(alias.get(end, end) for end in (link["a"], link["z"]))
    alias.update(_right_columns(out, topology, counts, lang))
    _edges(out, links, alias)
    return out


def _department_order(topology: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(topology["departments"], key=lambda d: (_LEVELS.get(d["level"], 9), d["id"]))


def _left_column(
    out: Layout, topology: dict[str, Any], sites: list[dict[str, Any]], lang: Lang
) -> dict[str, str]:
    """Rooms under their department (or one node per department); returns each room's key
    in the drawing."""
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for site in sites:
        by_owner[site["owner"]].append(site)
    alias: dict[str, str] = {}
    departments = [d for d in _department_order(topology) if by_owner.get(d["id"])]
    if out.grouped:
        largest = sorted(departments, key=lambda d: -len(by_owner[d["id"]]))[: MAX_DEPARTMENTS - 1]
        kept = {d["id"] for d in largest}
        rest = [d for d in departments if d["id"] not in kept]
        for dept in [d for d in departments if d["id"] in kept]:
            key = f"group:{dept['id']}"
            rooms = by_owner[dept["id"]]
            text = t(
                "report.topology.rooms", lang, name=svg.label(localised(dept, lang), 30), count=len(rooms)
            )
            _place(out, Node(key, "group", text), "group", out.rows)
            out.rows += 1
            alias.update({site["id"]: key for site in rooms})
        if rest:
            rooms = [s for d in rest for s in by_owner[d["id"]]]
            text = t("report.topology.other_departments", lang, count=len(rest), rooms=len(rooms))
            _place(out, Node("group:*", "group", text), "group", out.rows)
            out.rows += 1
            alias.update({site["id"]: "group:*" for site in rooms})
        return alias
    for dept in departments:
        out.headers.append(
            Node(f"header:{dept['id']}", "header", svg.label(localised(dept, lang), 42), 0.0, out.rows)
        )
        out.rows += 1
        for site in sorted(by_owner[dept["id"]], key=lambda s: s["id"]):
            node = Node(site["id"], "site", svg.label(localised(site, lang), 38))
            node.closes = site.get("closes_after_wave") is not None
            _place(out, node, "site", out.rows)
            out.rows += 1
    return alias


def _place(out: Layout, node: Node, column: str, row: float) -> None:
    node.x, node.y = _COLUMN_X[column], row
    out.nodes[node.key] = node


def _right_columns(out: Layout, topology: dict[str, Any], counts: Counter[str], lang: Lang) -> dict[str, str]:
    """Places, access points and cloud nodes, each column spread over the rooms' height."""
    alias: dict[str, str] = {}
    places = sorted(
        (n for n in topology["nodes"] if n["type"] == "place" and counts[n["id"]]),
        key=lambda n: (-counts[n["id"]], n["id"]),
    )
    if len(places) > MAX_PLACES:
        rest = places[MAX_PLACES - 1 :]
        places = places[: MAX_PLACES - 1]
        alias.update({n["id"]: "place:*" for n in rest})
        places.append(
            {
                "id": "place:*",
                "type": "place",
                "name": t("report.topology.other_places", lang, count=len(rest)),
            }
        )
    columns = {
        "place": places,
        "access_point": [n for n in topology["nodes"] if n["type"] == "access_point"],
        "cloud_node": [n for n in topology["nodes"] if n["type"] == "cloud_node"],
    }
    # each node of the right-hand columns needs about three rows for its marker and label
    height = max(out.rows, *(3 * len(items) for items in columns.values()))
    for column, items in columns.items():
        step = height / (len(items) + 1)
        for i, item in enumerate(items):
            text = localised(item, lang)
            if column == "cloud_node" and item.get("systems_after") is not None:
                text += "\n" + t(
                    "report.topology.on_cloud",
                    lang,
                    systems=item["systems_after"],
                    servers=item.get("servers_after", 0),
                )
            _place(out, Node(item["id"], column, text), column, step * (i + 1) - 0.5)
    out.rows = height
    return alias


def _edges(out: Layout, links: list[dict[str, Any]], alias: dict[str, str]) -> None:
    merged: dict[tuple[str, str, str, bool], Edge] = {}
    for link in links:
        a, z = alias.get(link["a"], link["a"]), alias.get(link["z"], link["z"])
        if a == z or a not in out.nodes or z not in out.nodes:
            continue  # a line inside one department's group of rooms
        if out.nodes[a].x > out.nodes[z].x:
            a, z = z, a
        cancelled = link.get("cancelled_after_wave") is not None
        key = (a, z, link["type"], cancelled)
        if key in merged:
            merged[key].count += 1
            merged[key].mbps += float(link.get("bandwidth_mbps") or 0)
        else:
            merged[key] = Edge(a, z, link["type"], float(link.get("bandwidth_mbps") or 0), cancelled)
    out.edges = [merged[k] for k in sorted(merged)]


def _width(edge: Edge) -> float:
    return 0.6 + math.log10(max(edge.mbps, 1.0)) / 2.5


def chart(topology: dict[str, Any], state: State, lang: Lang) -> str:
    """The topology in ``state`` as an inline SVG."""
    drawn = layout(topology, state, lang)
    height_in = 0.8 + 0.2 * drawn.rows
    with svg.drawing():
        fig = svg.figure(7.6, height_in)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0.0, 1.08)
        ax.set_ylim(drawn.rows + 0.5, -1.6)
        ax.axis("off")
        ax.text(0.01, -1.1, t(f"report.topology.{state}", lang), fontsize=10.5, fontweight="bold")
        for edge in drawn.edges:
            _draw_edge(ax, drawn, edge, state)
        for header in drawn.headers:
            ax.text(0.01, header.y, header.label, fontsize=8, fontweight="bold", va="center", color="#111827")
        for node in drawn.nodes.values():
            _draw_node(ax, node, state)
        return svg.to_svg(fig, t(f"report.topology.{state}", lang), f"chart chart-topology chart-{state}")


def _draw_edge(ax: Any, drawn: Layout, edge: Edge, state: State) -> None:
    a, z = drawn.nodes[edge.a], drawn.nodes[edge.z]
    colour = {"extranet": svg.GREEN, "local": svg.GREY}.get(edge.kind, svg.SKY)
    style = "-"
    if state == "before" and edge.cancelled:
        colour, style = svg.RED, "--"
    bend = 0.45 if a.x == z.x else 0.0
    ax.add_patch(
        FancyArrowPatch(
            (a.x, a.y),
            (z.x, z.y),
            arrowstyle="-",
            connectionstyle=f"arc3,rad={bend}",
            color=colour,
            linestyle=style,
            linewidth=_width(edge),
            alpha=0.8,
            shrinkA=3,
            shrinkB=3,
        )
    )


_MARKERS = {
    "site": ("s", svg.BLUE),
    "group": ("s", svg.BLUE),
    "place": ("o", svg.GREY),
    "access_point": ("^", svg.GREEN),
    "cloud_node": ("h", svg.PURPLE),
}


def _draw_node(ax: Any, node: Node, state: State) -> None:
    marker, colour = _MARKERS[node.kind]
    if state == "before" and node.closes:
        colour = svg.ORANGE
    size = 13 if node.kind == "cloud_node" else 7
    ax.plot([node.x], [node.y], marker=marker, color=colour, markersize=size, zorder=4, linestyle="none")
    if node.kind in ("site", "group"):
        ax.text(node.x - 0.015, node.y, node.label, ha="right", va="center", fontsize=7.5, color="#1f2937")
        return
    ax.text(
        node.x,
        node.y + 0.55,
        _wrap(node.label, 9),
        ha="center",
        va="top",
        fontsize=7.2,
        color="#1f2937",
        zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0},
    )


def _wrap(text: str, width: int) -> str:
    """Break long labels into lines of ``width`` characters (Chinese has no spaces to break at)."""
    lines: list[str] = []
    for part in text.split("\n"):
        if len(part) <= width:
            lines.append(part)
        elif " " in part:
            lines.extend(textwrap.wrap(part, width * 2))
        else:
            lines.extend(part[i : i + width] for i in range(0, len(part), width))
    return "\n".join(lines)
