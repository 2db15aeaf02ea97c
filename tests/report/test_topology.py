"""topology.json: the network before and after, matching the plan's schedule."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from govcloud.report import topology

SCHEMA = json.loads(Path(topology.__file__).with_name("topology.schema.json").read_text(encoding="utf-8"))


def _documents(out: Path) -> tuple[dict, dict]:  # type: ignore[type-arg]
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    topo = json.loads((out / "topology.json").read_text(encoding="utf-8"))
    return plan, topo


def test_sample_topology_matches_its_schema_and_the_ledger(sample_out: Path) -> None:
    _, topo = _documents(sample_out)
    jsonschema.validate(topo, SCHEMA)
    summary = json.loads((sample_out / "ledger-summary.json").read_text(encoding="utf-8"))
    sites = [n for n in topo["nodes"] if n["type"] == "site"]
    lines = [link for link in topo["links"] if link["type"] == "line"]
    assert len(sites) == summary["total"]["sites"]
    assert len(lines) == summary["total"]["lines"]
    assert len(topo["networks"]) == summary["total"]["networks"]
    # every line end is a node of the drawing
    keys = {n["id"] for n in topo["nodes"]}
    assert all(link["a"] in keys and link["z"] in keys for link in topo["links"])


def test_rooms_lines_and_networks_retire_in_the_wave_the_plan_says(sample_out: Path) -> None:
    plan, topo = _documents(sample_out)
    closes = {n["id"].split(":", 1)[1]: n["closes_after_wave"] for n in topo["nodes"] if n["type"] == "site"}
    cancelled = {
        link["id"].split(":", 1)[1]: link["cancelled_after_wave"]
        for link in topo["links"]
        if link["type"] == "line"
    }
    cutover = {n["id"]: n["cutover_after_wave"] for n in topo["networks"]}
    for wave in plan["waves"]:
        assert all(closes[r] == wave["number"] for r in wave["closed_rooms"])
        assert all(cancelled[ln] == wave["number"] for ln in wave["cancelled_lines"])
        assert all(cutover[n] == wave["number"] for n in wave["cutover_networks"])
    closed = {r for w in plan["waves"] for r in w["closed_rooms"]}
    staying = {room for room, wave in closes.items() if wave is None}
    assert staying == set(closes) - closed
    # a room that stays is kept open by systems that do not move
    kept = {n["id"].split(":", 1)[1]: n["kept_by"] for n in topo["nodes"] if n["type"] == "site"}
    decisions = {d["system"]: d["action"] for d in plan["decisions"]}
    for room in staying:
        assert all(decisions[s] in ("retain", "repurchase") for s in kept[room]), room
    assert any(kept[room] for room in staying)


def test_cloud_nodes_count_what_the_plan_places_on_them(sample_out: Path) -> None:
    plan, topo = _documents(sample_out)
    for node in (n for n in topo["nodes"] if n["type"] == "cloud_node"):
        ident = node["id"].split(":", 1)[1]
        placed = [p for p in plan["placements"] if p["node"] == ident]
        assert node["servers_after"] == len(placed)
        assert node["systems_after"] == len({p["system"] for p in placed})
