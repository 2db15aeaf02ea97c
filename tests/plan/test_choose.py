"""Placement by reasons: certification and 信创, distance, capacity left; the id only last."""

from __future__ import annotations

import dataclasses

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import build, verify
from govcloud.plan.choose import rank
from tests.analysis.builders import dept, ledger, server, site, system


def _node(ident: str, kind: str = "city", region: str | None = "990100", **kw: object) -> model.CloudNode:
    return model.CloudNode(
        ident,
        ident,
        "openstack",
        "RegionOne",
        (model.Zone("nova"),),
        kw.pop("level", 3),
        kind=kind,
        region_code=region,
        **kw,
    )  # type: ignore[arg-type]


def _led(*nodes: model.CloudNode, **kw: object) -> model.Ledger:
    # every node prices a type the server fits, so only the placement rules under test can fail
    types = tuple(model.InstanceType(n.id, "m.xlarge", 16, 64, 1000) for n in nodes)
    return ledger(
        dept("p"), dept("c", "city", "990100"), *nodes, site("r", "c"),
        server("s", "c", "r", cpu_cores=4, memory_gb=8), system("x", "c", servers=("s",), **kw),
        prices=model.Prices(instance_types=types),
    )  # fmt: skip


def test_two_city_nodes_of_one_prefecture_the_one_with_more_room_left_wins_not_the_first_id() -> None:
    a = _node("a-city", capacity=model.Capacity(vcpus=100))
    b = _node("b-city", capacity=model.Capacity(vcpus=1000))
    led = _led(a, b)
    assert [n.id for n in rank(led.systems["x"], led)] == ["b-city", "a-city"]
    # with most of b used, a has the larger share left
    assert [n.id for n in rank(led.systems["x"], led, {"b-city": 950})] == ["a-city", "b-city"]
    # all equal: the id decides, as documented
    led2 = _led(_node("z-city"), _node("m-city"))
    assert [n.id for n in rank(led2.systems["x"], led2)] == ["m-city", "z-city"]
    plan = build(led, analyse(led))
    assert plan.decisions["x"].target == "b-city"


def test_distance_first_then_certification() -> None:
    led = _led(
        _node("prov", kind="provincial", region="990000"),
        _node("far-city", region="990200"),
        _node("home-city", capacity=model.Capacity(vcpus=10)),
    )
    assert [n.id for n in rank(led.systems["x"], led, {"home-city": 9})] == ["home-city", "prov", "far-city"]
    led2 = _led(_node("hi", level=4), _node("lo", level=3))
    assert [n.id for n in rank(led2.systems["x"], led2)] == ["hi", "lo"]


def test_a_xinchuang_system_only_on_a_xinchuang_node() -> None:
    led = _led(
        _node("plain"), _node("domestic", kind="provincial", region="990000", xinchuang=True), xinchuang=True
    )
    assert [n.id for n in rank(led.systems["x"], led)] == ["domestic"]
    plan = build(led, analyse(led))
    assert plan.decisions["x"].target == "domestic"
    assert verify(plan) == []
    moved = dataclasses.replace(plan.decisions["x"], target="plain")
    broken = dataclasses.replace(plan, decisions={**plan.decisions, "x": moved})
    assert [(v.subject, v.detail) for v in verify(broken) if v.code == "xinchuang-unmet"] == [
        ("x", "on plain")
    ]
    none = _led(_node("plain"), xinchuang=True)
    kept = build(none, analyse(none))
    assert kept.decisions["x"].action == "retain"
    assert kept.decisions["x"].reasons[0].code == "xinchuang-none"


def test_a_latency_bound_system_stays_in_its_prefecture() -> None:
    led = _led(_node("home-city"), _node("prov", kind="provincial", region="990000"), latency_bound=True)
    assert [n.id for n in rank(led.systems["x"], led)] == ["home-city"]
    plan = build(led, analyse(led))
    assert plan.decisions["x"].target == "home-city"
    assert verify(plan) == []
    moved = dataclasses.replace(plan.decisions["x"], target="prov")
    broken = dataclasses.replace(plan, decisions={**plan.decisions, "x": moved})
    assert ("x", "on prov, prefecture 9901") in [
        (v.subject, v.detail) for v in verify(broken) if v.code == "latency-far"
    ]
