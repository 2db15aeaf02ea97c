"""Callers of a retired duplicate are rewired to its platform; the stacks open that flow."""

from __future__ import annotations

import dataclasses

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import Plan, build, verify
from govcloud.plan.rewire import Rewire
from govcloud.stacks.build import rooms_kept
from govcloud.stacks.layout import layouts
from tests.analysis.builders import cloud, dept, priced_ledger, server, site, system


def _plan() -> Plan:
    led = priced_ledger(
        dept("a"), dept("b"), dept("c"), cloud("prov"),
        site("ra", "a"), site("rb", "b"), site("rc", "c"),
        server("sp", "a", "ra", cpu_cores=4, memory_gb=8), server("sd", "b", "rb", cpu_cores=4, memory_gb=8),
        server("sc", "c", "rc", cpu_cores=4, memory_gb=8),
        system("platform", "a", category="oa", servers=("sp",), users=9000),
        system("dup", "b", category="oa", servers=("sd",), users=50),
        system("caller", "c", servers=("sc",), dependencies=(model.Dependency("dup", "https", 8443),)),
    )  # fmt: skip
    return build(led, analyse(led))


def test_a_caller_of_a_retired_duplicate_calls_its_platform() -> None:
    plan = _plan()
    assert plan.decisions["dup"].action == "retire"
    assert plan.decisions["dup"].platform == "platform"
    assert plan.rewired == [Rewire("caller", "dup", "platform", "https", 8443)]
    assert plan.dependencies_of("caller") == (model.Dependency("platform", "https", 8443),)
    assert verify(plan) == []
    rules = [
        r
        for layout in layouts(plan)
        for rs in layout.rules_by_wave.values()
        for r in rs
        if r.port == 8443 and r.direction == "ingress"
    ]
    assert [(r.department, r.why) for r in rules] == [("a", "caller calls platform")]


def test_the_verifier_rejects_a_caller_left_on_the_retired_system() -> None:
    plan = _plan()
    broken = dataclasses.replace(plan, rewired=[])
    found = [(v.subject, v.detail) for v in verify(broken) if v.code == "caller-not-rewired"]
    assert found == [("caller", "calls dup, retired onto platform")]


def test_the_switch_of_users_repoints_the_callers_in_the_runbook() -> None:
    from govcloud.plan.runbook import runbook

    plan = _plan()
    entry = next(e for e in plan.schedule if "dup" in e.retired_systems)
    steps = [(s.code, s.as_dict()) for s in runbook(plan, entry)]
    switch = steps.index(("switch-users", {"platform": "platform", "system": "dup"}))
    repoint = steps.index(("repoint", {"caller": "caller", "platform": "platform", "system": "dup"}))
    retire = steps.index(("retire", {"system": "dup"}))
    assert switch < repoint < retire


def test_flows_between_nodes_and_from_a_room_that_stays_get_their_rules() -> None:
    city = model.CloudNode(
        "city", "city", "openstack", "RegionOne", (model.Zone("nova"),), 3, kind="city", region_code="990100"
    )
    led = priced_ledger(
        dept("p"), dept("c", "city", "990100"), cloud("prov"), city,
        site("rp", "p"), site("rc", "c"),
        model.Network("pn", "专网", "c", "private", cidrs=("10.9.0.0/16",), sites=("rc",)),
        server("sp", "p", "rp", cpu_cores=2, memory_gb=4), server("sc", "c", "rc", cpu_cores=2, memory_gb=4),
        server("sk", "c", "rc", cpu_cores=2, memory_gb=4, ips=("10.9.1.7",)),
        system("api", "p", servers=("sp",)),
        system("app", "c", servers=("sc",), dependencies=(model.Dependency("api", "tcp", 8080),)),
        system("kept", "c", servers=("sk",), hardware_bound=True, networks=("pn",),
               dependencies=(model.Dependency("api", "tcp", 9090),)),
    )  # fmt: skip
    plan = build(led, analyse(led))
    assert plan.decisions["api"].target == "prov"
    assert plan.decisions["app"].target == "city"
    assert plan.decisions["kept"].action == "retain"
    assert verify(plan) == []
    by_node = {lay.node.id: lay for lay in layouts(plan, rooms_kept(plan))}
    prov_rules = [r for rs in by_node["prov"].rules_by_wave.values() for r in rs]
    city_subnets = set(by_node["city"].department_cidrs("c"))
    from_city = {(r.port, r.source) for r in prov_rules if r.port == 8080}
    assert from_city == {(8080, cidr) for cidr in city_subnets}
    from_room = [(r.department, r.port, r.source, r.why) for r in prov_rules if r.port == 9090]
    assert from_room == [("p", 9090, "10.9.1.7/32", "kept calls api")]
