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
