"""Rows become a plannable estate: departments, rooms, systems, skeleton, assumptions."""

from __future__ import annotations

import ipaddress
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.importers.plannable import Known, Options, complete, ident
from govcloud.tabular.values import CellError, ips


def _rows() -> dict[str, Any]:
    return {
        "version": 1,
        "servers": [
            {
                "id": "s1",
                "hostname": "a",
                "_role": "服务器",
                "_dept1": "海州市",
                "_dept2": "海州市教育局",
                "_system": "教育平台",
                "site": "1",
                "_at": "t.xlsx:2",
            },
            {
                "id": "s2",
                "hostname": "b",
                "_role": "虚拟机",
                "_dept2": "海州市教育局",
                "_system": "教育平台",
                "site": "1",
                "cpu_cores": 8,
                "_at": "t.xlsx:3",
            },
            {"id": "s3", "hostname": "c", "_role": "交换机", "site": "1", "_at": "t.xlsx:4"},
            {"id": "s4", "hostname": "d", "_at": "t.xlsx:5"},
        ],
    }


def test_departments_rooms_systems_and_a_skeleton_from_rows() -> None:
    done = complete(_rows(), Options("t.xlsx", region="海州市"))
    doc = done.document
    depts = {d["name"]: d for d in doc["departments"]}
    assert depts["海州市教育局"]["parent"] == depts["海州市"]["id"]
    assert "待确认部门" in depts  # d names no department and there is no --owner
    assert [s["id"] for s in doc["servers"]] == ["s1", "s2", "s4"]  # the switch is not a server
    assert (done.counts["servers"], done.counts["network"]) == (3, 1)
    systems = {s["name"]: s for s in doc["systems"]}
    assert systems["教育平台"]["servers"] == ["s1", "s2"]
    assert systems["d"]["servers"] == ["s4"]  # one system per server, assumed
    room = next(s for s in doc["sites"] if s["id"] == "room-1")
    # the switch is equipment of its room, which it must leave before the room closes
    assert room["equipment"] == [{"kind": "network", "count": 1, "notes": "交换机 1"}]
    assert "notes" not in room
    assert doc["region"]["name"] == "海州市"
    assert doc["cloud_nodes"][0]["id"] == "gov-cloud"
    assumed = {a["field"]: a for a in doc["assumptions"]}
    assert assumed["servers.cpu_cores"]["ids"] == ["servers:s1", "servers:s4"]  # s2 has 8 cores
    assert assumed["systems.servers"]["ids"] == ["systems:sys-s4"]
    assert all(not k.startswith("_") for s in doc["servers"] for k in s)


def test_an_existing_region_is_referred_to_not_duplicated() -> None:
    known = Known(
        region=True,
        region_code="990100",
        cloud_nodes=True,
        prices=True,
        departments={"海州市教育局": "hz-jyj", "hz-jyj": "hz-jyj"},
    )
    doc = complete(_rows(), Options("t.xlsx"), known).document
    assert "region" not in doc
    assert "cloud_nodes" not in doc
    assert "prices" not in doc
    assert {s["owner"] for s in doc["servers"] if s["id"] in ("s1", "s2")} == {"hz-jyj"}
    assert "hz-jyj" not in {d["id"] for d in doc["departments"]}


def test_ids_from_names_are_stable_and_ascii() -> None:
    assert ident("海州市教育局", "dept") == ident("海州市教育局", "dept")
    assert ident("海州市教育局", "dept") != ident("海州市卫健委", "dept")
    assert ident("Main Building", "room") == "main-building"
    assert ident("5", "room") == "room-5"


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="0123456789./;,， （）内部地址\n", max_size=40))
def test_ip_cells_give_valid_addresses_or_a_cell_error(cell: str) -> None:
    try:
        found = ips(cell)
    except CellError:
        return
    assert found
    for address in found:
        ipaddress.IPv4Address(address)


def test_a_systems_sheet_names_its_servers_by_hostname_or_ip() -> None:
    doc = _rows()
    doc["systems"] = [
        {"name": "教育平台", "_dept2": "海州市教育局", "servers": ["a", "10.9.9.9"], "_at": "t.xlsx#系统:2"}
    ]
    doc["servers"][1]["ips"] = ["10.9.9.9"]
    for server in doc["servers"]:
        server.pop("_system", None)
    done = complete(doc, Options("t.xlsx")).document
    [system] = [s for s in done["systems"] if s["name"] == "教育平台"]
    assert system["servers"] == ["s1", "s2"]


def test_an_import_without_costs_plans_with_an_estimated_as_is(tmp_path: Any) -> None:
    """An equipment list records no cost: the example price table the import writes carries
    example unit costs of today's estate, so the plan's as-is is an estimate, not 0."""
    import yaml

    from govcloud.importers.plannable import EXAMPLE_AS_IS
    from govcloud.ledger import load
    from govcloud.pipeline import plan_ledger

    doc = complete(_rows(), Options("t.xlsx", region="海州市")).document
    assert doc["prices"]["as_is"] == EXAMPLE_AS_IS
    assert doc["prices"]["example"] is True
    source = tmp_path / "imported.yaml"
    source.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    ledger = load(source).ledger
    assert ledger is not None
    assert ledger.totals().yearly_cost_cny == 0  # nothing recorded
    plan = plan_ledger(ledger).plan
    basis = plan.basis()
    assert sorted(basis.servers) == ["s1", "s2", "s4"]
    assert basis.rooms  # the rooms the rows name
    assert plan.total.as_is_cny == plan.total.as_is_estimated_cny == basis.total_cny() > 0
    assert plan.total.yearly_saving_cny > 0  # the example unit costs say consolidation saves
