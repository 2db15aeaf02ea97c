"""The network before and after the plan (``topology.json``): rooms, places, extranet access
points and cloud nodes, joined by dedicated lines and the extranet, with the wave after which
each room closes and each line is cancelled.

It is the report's picture of "一张网": everything the HTML report draws comes from here, so
``govcloud report`` can redraw it from the plan's folder without the ledger.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from govcloud.graph import end_node, node_id
from govcloud.plan import MOVING, Plan

TOPOLOGY_SCHEMA_VERSION = 1


def _closing(plan: Plan, field: str) -> dict[str, int]:
    """The wave after which each id of a schedule list (``closed_rooms``, …) is retired."""
    return {ident: entry.wave.number for entry in plan.schedule for ident in getattr(entry, field)}


def _kept_by(plan: Plan) -> dict[str, list[str]]:
    """For each room, the systems that do not move and so keep it open."""
    out: dict[str, set[str]] = defaultdict(set)
    ledger = plan.ledger
    for system in ledger.systems.values():
        decision = plan.decisions[system.id]
        if decision.action in MOVING or decision.action == "retire":
            continue
        for server_id in system.servers:
            server = ledger.servers.get(server_id)
            if server is not None:
                out[server.site].add(system.id)
    return {site: sorted(ids) for site, ids in out.items()}


def _site_nodes(plan: Plan) -> list[dict[str, Any]]:
    ledger = plan.ledger
    closes = _closing(plan, "closed_rooms")
    kept_by = _kept_by(plan)
    servers = Counter(s.site for s in ledger.servers.values())
    return [
        {
            "id": node_id("site", site.id),
            "type": "site",
            "name": site.name,
            "name_en": site.name_en,
            "owner": site.owner,
            "kind": site.kind,
            "district": site.district,
            "servers": servers.get(site.id, 0),
            "closes_after_wave": closes.get(site.id),
            "kept_by": kept_by.get(site.id, []),
        }
        for site in ledger.sites.values()
    ]


def _target_nodes(plan: Plan) -> list[dict[str, Any]]:
    ledger = plan.ledger
    servers = Counter(p.node for p in plan.placements)
    moved: dict[str, set[str]] = defaultdict(set)
    for p in plan.placements:
        moved[p.node].add(p.system)
    nodes: list[dict[str, Any]] = [
        {
            "id": node_id("access_point", ap.id),
            "type": "access_point",
            "name": ap.name,
            "name_en": ap.name_en,
            "level": ap.level,
            "bandwidth_mbps": ap.bandwidth_mbps,
        }
        for ap in ledger.access_points.values()
    ]
    nodes += [
        {
            "id": node_id("cloud_node", node.id),
            "type": "cloud_node",
            "name": node.name,
            "name_en": node.name_en,
            "provider": node.provider,
            "level": node.kind,
            "servers_after": servers.get(node.id, 0),
            "systems_after": len(moved.get(node.id, ())),
        }
        for node in ledger.cloud_nodes.values()
    ]
    return nodes


def _links(plan: Plan) -> tuple[list[dict[str, Any]], set[str]]:
    """Lines, the extranet between access points and cloud nodes, and rooms in the same
    building as an access point or cloud node; and the bare addresses lines reach."""
    ledger = plan.ledger
    cancelled = _closing(plan, "cancelled_lines")
    places: set[str] = set()
    links: list[dict[str, Any]] = []
    for line in ledger.lines.values():
        a, z = end_node(line.a_end), end_node(line.z_end)
        places.update(end for end in (a, z) if end.startswith("place:"))
        links.append(
            {
                "id": node_id("line", line.id),
                "type": "line",
                "a": a,
                "z": z,
                "name": line.name,
                "owner": line.owner,
                "carrier": line.carrier,
                "bandwidth_mbps": line.bandwidth_mbps,
                "network": line.network,
                "cancelled_after_wave": cancelled.get(line.id),
            }
        )
    for ap in ledger.access_points.values():
        ap_key = node_id("access_point", ap.id)
        for node in ledger.cloud_nodes.values():
            links.append(_fixed_link("extranet", ap_key, node_id("cloud_node", node.id), ap.bandwidth_mbps))
        if ap.site:
            links.append(_fixed_link("local", node_id("site", ap.site), ap_key, ap.bandwidth_mbps))
    for node in ledger.cloud_nodes.values():
        if node.site:
            links.append(
                _fixed_link("local", node_id("site", node.site), node_id("cloud_node", node.id), None)
            )
    return sorted(links, key=lambda link: str(link["id"])), places


def _fixed_link(kind: str, a: str, z: str, mbps: float | None) -> dict[str, Any]:
    return {
        "id": f"{kind}:{a}|{z}",
        "type": kind,
        "a": a,
        "z": z,
        "name": None,
        "owner": None,
        "carrier": None,
        "bandwidth_mbps": mbps,
        "network": None,
        "cancelled_after_wave": None,
    }


def to_json(plan: Plan) -> dict[str, Any]:
    """The topology as a JSON value; its schema ships as ``topology.schema.json``."""
    ledger = plan.ledger
    links, places = _links(plan)
    nodes = _site_nodes(plan) + _target_nodes(plan)
    nodes += [{"id": place, "type": "place", "name": place.split(":", 1)[1]} for place in sorted(places)]
    return {
        "schema_version": TOPOLOGY_SCHEMA_VERSION,
        "region": {
            "id": ledger.region.id,
            "name": ledger.region.name,
            "name_en": ledger.region.name_en,
            "as_of": ledger.region.as_of.isoformat(),
        },
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "name_en": d.name_en,
                "level": d.level,
                "parent": d.parent,
            }
            for d in ledger.departments.values()
        ],
        "nodes": sorted(nodes, key=lambda n: str(n["id"])),
        "links": links,
        "networks": _networks(plan),
    }


def _networks(plan: Plan) -> list[dict[str, Any]]:
    """Private networks, and the wave after which each is cut over onto the extranet."""
    cutover = _closing(plan, "cutover_networks")
    return [
        {
            "id": n.id,
            "name": n.name,
            "name_en": n.name_en,
            "owner": n.owner,
            "kind": n.kind,
            "cutover_after_wave": cutover.get(n.id),
        }
        for n in plan.ledger.networks.values()
    ]
