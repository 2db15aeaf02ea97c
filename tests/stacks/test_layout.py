"""Rules per needed flow: callers that stay in their rooms, and egress from the caller's group."""

from __future__ import annotations

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import build
from govcloud.stacks.build import rooms_kept
from govcloud.stacks.layout import callee, layouts
from tests.analysis.builders import dept, ledger, server, site, system


def _plan():  # type: ignore[no-untyped-def]
    node = model.CloudNode(
        "prov", "省云", "alicloud", "cn-hangzhou", (model.Zone("h"),), 3, archs=("x86_64",)
    )
    prices = model.Prices(instance_types=(model.InstanceType("prov", "ecs.g7.large", 2, 8, 300),))
    led = ledger(
        dept("a"),
        dept("b"),
        node,
        site("r", "a"),
        site("rb", "b"),
        model.Network("b-private", "b 专网", "b", "private", cidrs=("172.20.0.0/16",), sites=("rb",)),
        server("s1", "a", "r", cpu_cores=2, memory_gb=4),
        server("s2", "b", "rb", cpu_cores=2, memory_gb=4, ips=("172.20.1.5",)),
        system("db", "a", servers=("s1",), mlps_level=3),
        # classified: it stays in its room, and still calls the database that moves
        system(
            "secret",
            "b",
            servers=("s2",),
            classification="confidential",
            dependencies=(model.Dependency("db", "tcp", 5432),),
        ),
        prices=prices,
    )
    return build(led, analyse(led))


def test_a_caller_staying_in_its_room_reaches_the_moved_system_from_its_own_address() -> None:
    plan = _plan()
    assert plan.decisions["secret"].action not in ("rehost", "replatform", "relocate", "refactor")
    rooms = rooms_kept(plan)
    assert rooms == {"rb": ["172.20.0.0/16"]}
    [layout] = layouts(plan, rooms)
    rules = [r for rs in layout.rules_by_wave.values() for r in rs]
    [rule] = [r for r in rules if r.port == 5432]
    assert (rule.department, rule.level, rule.source, rule.direction) == ("a", 3, "172.20.1.5/32", "ingress")
    assert "secret calls db" in rule.why
    # without the rooms, nothing would admit it
    [bare] = layouts(plan)
    assert not [r for rs in bare.rules_by_wave.values() for r in rs if r.port == 5432]


def test_groups_are_per_department_and_level() -> None:
    [layout] = layouts(_plan())
    assert layout.groups == [("a", 3)]


def test_callers_of_a_retired_duplicate_reach_its_platform() -> None:
    plan = _plan()
    assert callee(plan, "db") == "db"
    from dataclasses import replace

    retired = replace(plan.decisions["db"], action="retire", platform="portal")
    plan.decisions["db"] = retired
    assert callee(plan, "db") == "portal"


def test_a_recorded_address_becomes_the_network_ipaddress_would_write() -> None:
    import ipaddress

    from govcloud.stacks.layout import _host_network

    written = [
        "172.20.1.5",
        "0.0.0.0",  # noqa: S104  an address, nothing binds to it
        "255.255.255.255",
        "10.0.0.10",
        "::1",
        "2001:DB8::1",
    ]
    refused = ["010.1.1.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "1.2.3.4/32", " 1.2.3.4", "١.2.3.4", "", "x"]
    for ip in written:
        assert _host_network(ip) == str(ipaddress.ip_network(ip)), ip
    for ip in refused:
        assert _host_network(ip) is None, ip


def test_a_node_without_egress_rules_gets_the_same_ingress_rules() -> None:
    from tests.stacks.sample import plan

    full = layouts(plan(), rooms_kept(plan()))
    ingress_only = layouts(plan(), rooms_kept(plan()), egress=lambda node: node.provider != "alicloud")
    assert [lay.node.id for lay in full] == [lay.node.id for lay in ingress_only]
    for whole, part in zip(full, ingress_only, strict=True):
        wanted = {w: [r for r in rs if r.direction == "ingress"] for w, rs in whole.rules_by_wave.items()}
        if part.node.provider == "alicloud":
            assert any(r.direction == "egress" for rs in whole.rules_by_wave.values() for r in rs)
            assert {w: rs for w, rs in part.rules_by_wave.items() if rs} == {
                w: rs for w, rs in wanted.items() if rs
            }
        else:
            assert part.rules_by_wave == whole.rules_by_wave


def test_a_waves_rules_are_in_key_order_each_key_once_its_reasons_joined() -> None:
    from tests.stacks.sample import plan

    for layout in layouts(plan(), rooms_kept(plan())):
        for rules in layout.rules_by_wave.values():
            keys = [(r.department, r.level, r.direction, r.protocol, r.port, r.source) for r in rules]
            assert keys == sorted(set(keys))
            for rule in rules:
                whys = rule.why.split("; ")
                assert whys == sorted(set(whys))
