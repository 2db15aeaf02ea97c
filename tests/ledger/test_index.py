"""The ledger's indexes: systems by server, servers by room, the rooms isolated networks and
classified systems hold, a room's region and the cloud node that serves a department."""

from __future__ import annotations

import dataclasses

from govcloud.ledger import model
from govcloud.ledger.index import Index
from tests.analysis.builders import cloud, dept, ledger, line, server, site, system


def _ledger() -> model.Ledger:
    return ledger(
        dept("p"),
        dept("c", level="city", region_code="990100"),
        site("r1", "p", region_code="990102"),
        site("r2", "c"),
        site("r3", "p"),
        site("r4", "c"),
        server("s1", "p", "r1"),
        server("s2", "c", "r2"),
        server("s3", "p", "r3"),
        system("oa", "p", servers=("s1", "s2")),
        system("mail", "c", servers=("s2",)),
        system("secret", "p", servers=("s3",), classification="secret"),
        system("vert", "c", servers=("s1",), networks=("nv",)),
        model.Network("nv", "纵向网", "c", "national_vertical"),
        model.Network("cl", "涉密网", "p", "classified", sites=("r4",)),
        model.Network("pn", "专网", "p", "private", sites=("r2",)),
        cloud("prov"),
        cloud("city", kind="city", region_code="990100"),
        line("l1", "p", model.LineEnd(site="r1"), model.LineEnd(site="r2")),
        line("l2", "p", model.LineEnd(site="r1"), model.LineEnd(site="r1")),
        line("l3", "p", model.LineEnd(site="r3"), model.LineEnd(address="长江路1号")),
    )


def test_systems_and_servers_where_they_run() -> None:
    index = Index.of(_ledger())
    assert index.systems_on_server["s2"] == ["mail", "oa"]  # the ledger's order of systems
    assert index.servers_on_site["r2"] == ["s2"]
    assert index.systems_on_site("r1") == ["oa", "vert"]
    assert index.systems_on_site("r4") == []
    assert index.systems_on_server.get("nowhere") is None
    assert [ln.id for ln in index.lines_at_site["r1"]] == ["l1", "l2", "l2"]  # each end
    assert [ln.id for ln in index.lines_at_site["r3"]] == ["l3"]
    assert "r4" not in index.lines_at_site


def test_the_rooms_held_by_what_is_kept_apart() -> None:
    index = Index.of(_ledger())
    assert index.isolated_networks == {"nv", "cl"}
    # a classified system's room, the room of a system on a national vertical network, and
    # the rooms a classified network reaches; not the rooms of a private network
    assert index.classified_sites == {"r1", "r3", "r4"}


def test_a_rooms_region_and_the_node_that_serves_a_department() -> None:
    led = _ledger()
    index = Index.of(led)
    assert index.site_region(led.sites["r1"]) == "990102"  # its own
    assert index.site_region(led.sites["r2"]) == "990100"  # its owner's
    node_of = {d: (n.id if (n := index.target_for(d)) else None) for d in ("p", "c", "unknown")}
    assert node_of == {"p": "prov", "c": "city", "unknown": "prov"}
    assert Index.of(ledger(dept("p"))).target_for("p") is None


def test_a_systems_recorded_servers_in_its_order_kept_for_its_own_systems_only() -> None:
    led = _ledger()
    index = Index.of(led)
    oa = dataclasses.replace(led.systems["oa"], servers=("s2", "gone", "s1"))  # not the ledger's own
    assert [s.id for s in index.known_servers(oa)] == ["s2", "s1"]  # unknown ids left out
    found = index.known_servers(led.systems["oa"])
    assert [s.id for s in found] == ["s1", "s2"]  # the ledger's own, not the changed copy's
    assert index.known_servers(led.systems["oa"]) is found  # looked up once
    assert index.known_servers(oa) is not found
    assert index.known_servers(led.systems["mail"]) == [led.servers["s2"]]
