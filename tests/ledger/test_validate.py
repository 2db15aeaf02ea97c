"""The ledger-wide checks one by one, on ledgers built in memory (the loader's tests reach them
through files in tests/ledger/test_validation_errors.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

from govcloud.ledger import model, validate
from govcloud.ledger.files import Finding
from govcloud.ledger.validate import MAX_SUGGESTIONS, Reference, references
from tests.analysis.builders import cloud, dept, ledger, line, server, site, system


def at(entity: Any, file: str, *path: str | int) -> Any:
    return dataclasses.replace(entity, source=model.Source(file, path))


def test_references_of_every_entity_kind() -> None:
    assert list(references("departments", model.Department("d", "局", "city", "1", parent="p"))) == [
        Reference(("parent",), "departments", "p")
    ]
    assert list(references("departments", model.Department("d", "局", "province", "1"))) == []
    assert list(references("servers", server("s", "a", "r"))) == [
        Reference(("owner",), "departments", "a"),
        Reference(("site",), "sites", "r"),
    ]
    net = model.Network("n", "网", "a", "private", sites=("r1", "r2"))
    assert list(references("networks", net)) == [
        Reference(("owner",), "departments", "a"),
        Reference(("sites", 0), "sites", "r1"),
        Reference(("sites", 1), "sites", "r2"),
    ]
    sys = system(
        "x",
        "a",
        servers=("s1", "s2"),
        networks=("n1",),
        dependencies=(model.Dependency("y"), model.Dependency("z", tight=True)),
    )
    assert list(references("systems", sys)) == [
        Reference(("owner",), "departments", "a"),
        Reference(("servers", 0), "servers", "s1"),
        Reference(("servers", 1), "servers", "s2"),
        Reference(("networks", 0), "networks", "n1"),
        Reference(("dependencies", 0, "system"), "systems", "y"),
        Reference(("dependencies", 1, "system"), "systems", "z"),
    ]
    assert list(references("systems", system("x", "a", migrated_to="prov"))) == [
        Reference(("owner",), "departments", "a"),
        Reference(("migrated_to",), "cloud_nodes", "prov"),
    ]
    assert list(references("cloud_nodes", dataclasses.replace(cloud("c"), site="dc"))) == [
        Reference(("site",), "sites", "dc")
    ]
    assert list(references("cloud_nodes", cloud("c"))) == []
    assert list(references("access_points", model.AccessPoint("ap", "接入点", 100, site="dc"))) == [
        Reference(("site",), "sites", "dc")
    ]
    assert list(references("access_points", model.AccessPoint("ap", "接入点", 100))) == []


def test_references_of_a_line_name_its_network_and_each_end_but_an_address() -> None:
    lin = line(
        "l",
        "a",
        model.LineEnd(site="r"),
        model.LineEnd(access_point="ap"),
        network="n",
    )
    assert list(references("lines", lin)) == [
        Reference(("owner",), "departments", "a"),
        Reference(("network",), "networks", "n"),
        Reference(("a_end", "site"), "sites", "r"),
        Reference(("z_end", "access_point"), "access_points", "ap"),
    ]
    lin = line("l", "a", model.LineEnd(), model.LineEnd(address="某路 1 号"))
    assert list(references("lines", lin)) == [Reference(("owner",), "departments", "a")]
    lin = line("l", "a", model.LineEnd(), model.LineEnd(cloud_node="c"))
    assert list(references("lines", lin)) == [
        Reference(("owner",), "departments", "a"),
        Reference(("z_end", "cloud_node"), "cloud_nodes", "c"),
    ]


def test_a_department_named_like_another_kind_is_still_a_department() -> None:
    # the kind and the type must agree: a server passed as "departments" has an owner and a site
    assert [r.kind for r in references("departments", server("s", "a", "r"))] == ["departments", "sites"]


def _unknown(ident: str, suggestion: str, file: str = "servers.yaml", index: int = 0) -> Finding:
    return Finding(
        file,
        ("servers", index, "site"),
        "unknown-reference",
        params={"field": "site", "kind": "kind.sites", "id": ident, "suggestion": suggestion},
    )


def test_unknown_references_with_a_suggestion_when_an_id_is_close() -> None:
    led = ledger(
        dept("a"),
        site("机房一", "a"),
        at(server("s0", "a", "机房二"), "servers.yaml", "servers", 0),
        at(server("s1", "a", "zzz"), "servers.yaml", "servers", 1),
        at(server("s2", "a", "机房一"), "servers.yaml", "servers", 2),
    )
    known = {"departments": {"a"}, "sites": {"机房一"}}
    assert list(validate.check_references(led, known)) == [
        _unknown("机房二", "机房一"),
        _unknown("zzz", "", index=1),
    ]
    # an id written but left out of the model for another problem is known: no cascade
    assert list(validate.check_references(led, {**known, "sites": {"机房一", "机房二", "zzz"}})) == []


def test_only_the_first_unknown_references_get_a_suggestion() -> None:
    count = MAX_SUGGESTIONS + 2
    led = ledger(
        dept("a"),
        *(at(server(f"s{i:03}", "a", f"roomx{i:03}"), "servers.yaml", "servers", i) for i in range(count)),
    )
    known = {"departments": {"a"}, "sites": {f"room{i:03}" for i in range(count)}}
    found = list(validate.check_references(led, known))
    assert len(found) == count
    suggestions = [f.params["suggestion"] for f in found]
    assert suggestions[:MAX_SUGGESTIONS] == [f"room{i:03}" for i in range(MAX_SUGGESTIONS)]
    assert suggestions[MAX_SUGGESTIONS:] == ["", ""]
    assert MAX_SUGGESTIONS == 50


def test_prices_naming_an_unknown_node() -> None:
    prices = model.Prices(
        instance_types=(
            model.InstanceType("c", "small", 2, 4, 100),
            model.InstanceType("gone", "s", 2, 4, 1),
        ),
        storage=(model.StoragePrice("c", "ssd", 1.0), model.StoragePrice("lost", "ssd", 1.0)),
        images=(model.Image("c", "kylin", "arm64", "img-1"), model.Image("gone2", "kylin", "arm64", "img-2")),
        source=model.Source("prices.yaml", ("prices",)),
    )
    led = ledger(cloud("c"), prices=prices)
    assert list(validate.check_references(led, {"cloud_nodes": {"c"}})) == [
        Finding(
            "prices.yaml",
            ("prices", "instance_types", 1, "cloud_node"),
            "price-unknown-node",
            params={"id": "gone"},
        ),
        Finding(
            "prices.yaml", ("prices", "storage", 1, "cloud_node"), "price-unknown-node", params={"id": "lost"}
        ),
        Finding(
            "prices.yaml", ("prices", "images", 1, "cloud_node"), "price-unknown-node", params={"id": "gone2"}
        ),
    ]


def test_checks_run_in_order_and_return_every_finding() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        at(system("x", "a", dependencies=(model.Dependency("x"),)), "systems.yaml", "systems", 0),
        at(server("s", "a", "nowhere", ips=("10.0.0.300",)), "servers.yaml", "servers", 0),
    )
    codes = [f.code for f in validate.check(led, {"departments": {"a"}, "sites": {"r"}, "systems": {"x"}})]
    assert codes == ["unknown-reference", "invalid-ip", "self-dependency"]


def test_addresses_that_do_not_parse_and_the_network_a_cidr_with_host_bits_belongs_to() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        at(
            model.Network("n", "网", "a", "private", cidrs=("10.1.2.3/24", "10.1.0.0/16", "政务网")),
            "networks.yaml",
            "networks",
            0,
        ),
        at(
            server("s", "a", "r", ips=("10.1.2.3", "10.1.2.300"), mgmt_ip="mgmt"),
            "servers.yaml",
            "servers",
            0,
        ),
        address_plan=("10.64.0.0/10",),
    )
    found = list(validate.check_addresses(led))
    assert [(f.file, f.path, f.code) for f in found] == [
        ("networks.yaml", ("networks", 0, "cidrs", 0), "invalid-cidr"),
        ("networks.yaml", ("networks", 0, "cidrs", 2), "invalid-cidr"),
        ("servers.yaml", ("servers", 0, "ips", 1), "invalid-ip"),
        ("servers.yaml", ("servers", 0, "mgmt_ip"), "invalid-ip"),
    ]
    assert found[0].params["value"] == "10.1.2.3/24"
    assert found[0].params["suggestion"] == "10.1.2.0/24"
    assert found[1].params["suggestion"] == ""  # not an address at all: nothing to suggest
    assert found[2].params == {"value": "10.1.2.300"}


def test_racks_used_at_and_just_past_the_rack_count() -> None:
    led = ledger(
        dept("a"),
        at(site("full", "a", racks=10, racks_used=10), "sites.yaml", "sites", 0),
        at(site("over", "a", racks=10, racks_used=11), "sites.yaml", "sites", 1),
        at(site("unknown", "a", racks_used=11), "sites.yaml", "sites", 2),
    )
    assert list(validate.check_sites_and_lines(led)) == [
        Finding(
            "sites.yaml",
            ("sites", 1, "racks_used"),
            "racks-used-exceeds",
            severity="warning",
            params={"used": 11, "total": 10},
        )
    ]


def test_lines_that_loop_and_zones_named_twice() -> None:
    here = model.LineEnd(site="r")
    node = model.CloudNode(
        "c", "云", "alicloud", "cn", (model.Zone("z1"), model.Zone("z2"), model.Zone("z1")), 3
    )
    led = ledger(
        dept("a"),
        site("r", "a"),
        at(line("loop", "a", here, here), "lines.yaml", "lines", 0),
        at(line("ok", "a", here, model.LineEnd(site="r2")), "lines.yaml", "lines", 1),
        at(line("half", "a", model.LineEnd(), model.LineEnd()), "lines.yaml", "lines", 2),
        at(node, "cloud.yaml", "cloud_nodes", 0),
    )
    assert list(validate.check_sites_and_lines(led)) == [
        Finding("lines.yaml", ("lines", 0, "z_end"), "line-loop", severity="warning"),
        Finding("cloud.yaml", ("cloud_nodes", 0, "zones", 2), "zone-duplicate", params={"id": "z1"}),
    ]


def test_a_parent_loop_is_reported_once_at_its_smallest_id() -> None:
    def d(ident: str, parent: str | None) -> model.Department:
        return at(
            model.Department(ident, f"{ident}局", "city", "1", parent=parent),
            "departments.yaml",
            "departments",
            ident,
        )

    led = ledger(
        d("c", "b"),
        d("b", "d"),
        d("d", "c"),
        d("x", "b"),
        d("top", None),
        d("leaf", "top"),
        d("lost", "gone"),
    )
    assert list(validate.check_departments(led)) == [
        Finding(
            "departments.yaml",
            ("departments", "b", "parent"),
            "parent-cycle",
            params={"detail": "b → d → c → b"},
        )
    ]
    assert list(validate.check_dependencies(led)) == []
