"""Callers of a retired duplicate are rewired to its platform; the stacks open that flow."""

from __future__ import annotations

import dataclasses

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import Plan, build, verify
from govcloud.plan.rewire import Rewire
from govcloud.stacks.layout import layouts
from tests.analysis.builders import cloud, dept, ledger, server, site, system


def _plan() -> Plan:
    led = ledger(
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
        r for layout in layouts(plan) for rs in layout.rules_by_wave.values() for r in rs if r.port == 8443
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
