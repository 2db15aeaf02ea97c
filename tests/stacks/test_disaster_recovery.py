"""On the sample: every system with an off-site backup or a standby today has one in the plan
and in the emitted stacks, and the to-be rules fail when it is removed."""

from __future__ import annotations

import copy
import gc
import weakref
from dataclasses import replace

import pytest

from govcloud.baseline import check
from govcloud.plan import MOVING, Plan
from govcloud.plan.recovery import plan_recovery
from govcloud.stacks.build import build_stacks, rooms_kept
from govcloud.stacks.disaster_recovery import (
    ALI_INSTANCE,
    OS_INSTANCE,
    SLB_BACKENDS,
    SNAPSHOT_POLICY,
    _After,
    _copied,
    extend_wave,
    standbys_on,
)
from govcloud.stacks.layout import layouts
from govcloud.stacks.providers import PROVIDERS
from govcloud.stacks.spec import Resource, Stack, ref
from tests.conftest import sample_planned

DR_RULES = {"dr-offsite-copy", "os-dr-offsite-copy", "dr-standby", "os-dr-standby"}


def _sample() -> tuple[Plan, list[Stack]]:
    planned = sample_planned()
    return planned.plan, planned.stacks


def _dr_findings(plan: Plan, stacks: list[Stack]) -> dict[str, set[str]]:
    _, result = check(plan.ledger, plan, stacks, "to-be")
    out: dict[str, set[str]] = {}
    for f in result.findings:
        if f.rule in DR_RULES:
            out.setdefault(f.rule, set()).add(f.subject)
    return out


def _labels(props: dict[str, object]) -> dict[str, object]:
    labels = props["tags"] if isinstance(props.get("tags"), dict) else props.get("metadata")
    assert isinstance(labels, dict)
    return labels


def test_every_system_with_recovery_today_keeps_it_in_the_plan_and_the_stacks() -> None:
    plan, stacks = _sample()
    ledger = plan.ledger
    recoveries = {r.system: r for r in plan_recovery(plan)}
    today = [
        s
        for s in ledger.systems.values()
        if plan.decisions[s.id].action in MOVING
        and ((s.backup and s.backup.offsite) or s.ha in ("hot", "cold"))
    ]
    assert len(today) >= 20  # the sample has plenty of them
    instances = [
        (stack, r) for stack in stacks for r in stack.resources if r.type in (ALI_INSTANCE, OS_INSTANCE)
    ]
    for system in today:
        plan_side = recoveries[system.id]
        if system.backup and system.backup.offsite:
            assert plan_side.offsite is not None, system.id
            assert "no-recovery-site" not in plan_side.problems
        if system.ha in ("hot", "cold"):
            assert plan_side.standby in ("hot", "cold"), system.id
            if system.ha == "hot":
                assert plan_side.standby == "hot"
        mine = [(s, r) for s, r in instances if _labels(r.props).get("system") == system.id]
        primaries = [r for _, r in mine if _labels(r.props).get("recovery-role") != "standby"]
        standbys = [r for _, r in mine if _labels(r.props).get("recovery-role") == "standby"]
        assert primaries, system.id
        if plan_side.standby:
            assert len(standbys) == len(primaries), system.id
        if system.backup and system.backup.offsite:
            for r in primaries:
                assert str(_labels(r.props).get("recovery-offsite", "none")) != "none", (system.id, r.name)
    # the sample's recovery is complete: no to-be recovery finding
    assert _dr_findings(plan, stacks) == {}


def test_removing_the_off_site_copy_or_the_standby_fails_a_to_be_rule() -> None:
    plan, stacks = _sample()
    no_copy = copy.deepcopy(stacks)
    for stack in no_copy:
        for i, r in enumerate(stack.resources):
            if r.type == SNAPSHOT_POLICY and r.props.get("enable_cross_region_copy"):
                props = {
                    k: v
                    for k, v in r.props.items()
                    if k not in ("enable_cross_region_copy", "target_copy_regions")
                }
                stack.resources[i] = replace(r, props=props)
        stack.outputs.pop("recoveryBuckets", None)
    found = _dr_findings(plan, no_copy)
    assert found.get("dr-offsite-copy")
    assert found.get("os-dr-offsite-copy")
    assert "dr-standby" not in found

    no_standby = copy.deepcopy(stacks)
    for stack in no_standby:
        stack.resources = [r for r in stack.resources if not r.name.endswith("-standby")]
    found = _dr_findings(plan, no_standby)
    assert found.get("dr-standby")
    assert found.get("os-dr-standby")
    assert "dr-offsite-copy" not in found

    cold = copy.deepcopy(stacks)  # a hot standby made cold is not enough where hot is required
    for stack in cold:
        for r in stack.resources:
            if r.name.endswith("-standby") and r.type == ALI_INSTANCE:
                r.props["status"] = "Stopped"
    assert _dr_findings(plan, cold).get("dr-standby")


def test_a_provider_disaster_recovery_is_not_taught_gets_none() -> None:
    """A node on a provider this module does not know gets no recovery resources and counts
    no standbys, instead of being treated as another provider."""
    plan, _ = _sample()
    for layout in layouts(plan, rooms_kept(plan)):
        if standbys_on(plan, layout) == 0:
            continue
        other = replace(layout, node=replace(layout.node, provider="test-dummy"))
        assert standbys_on(plan, other) == 0
        make_wave = PROVIDERS[layout.node.provider].wave
        for wave in sorted(layout.placements_by_wave):
            taught, untaught = (make_wave(plan, layout, wave, "organization/x/y") for _ in range(2))
            before = [r.name for r in untaught.resources]
            extend_wave(taught, plan, layout, wave)
            extend_wave(untaught, plan, other, wave)
            assert [r.name for r in untaught.resources] == before
            if len(taught.resources) > len(before):  # this wave has recoveries: the test bites
                return
    raise AssertionError("the sample has no wave with standbys")


def test_standbys_go_right_after_what_they_follow_in_one_pass() -> None:
    stack = Stack("p", "prod", "openstack", "wave", "node", 1)
    for name in ("vm-a", "port-a", "vm-b"):
        stack.add(name, "t", {})
    backends = [{"server_id": ref("vm-a"), "weight": 100}, {"server_id": ref("vm-b", "ip"), "weight": 1}]
    stack.add("lb-servers", SLB_BACKENDS, {"backend_servers": backends})
    after = _After(stack)
    # each right after its predecessor, as if inserted one at a time: the later first
    after.add("vm-a", Resource("port-a-standby", "t", {}))
    after.add("vm-a", Resource("port-a2-standby", "t", {}))
    after.add("port-a-standby", Resource("vm-a-standby", "t", {}))  # after one not yet in place
    after.add("vm-b", Resource("vm-b-standby", "t", {}))
    with pytest.raises(ValueError, match="two resources named vm-b-standby"):
        after.add("vm-a", Resource("vm-b-standby", "t", {}))
    with pytest.raises(ValueError, match="two resources named vm-b"):
        after.add("vm-a", Resource("vm-b", "t", {}))
    with pytest.raises(ValueError, match="no resource named nowhere"):
        after.add("nowhere", Resource("x", "t", {}))
    # a load balancer is found by its backends' references to an instance's id only
    assert after.backends_of("vm-a") == [backends]
    assert after.backends_of("vm-b") == []
    assert after.resource("port-a").name == "port-a"
    after.apply()
    assert [r.name for r in stack.resources] == [
        "vm-a",
        "port-a2-standby",
        "port-a-standby",
        "vm-a-standby",
        "port-a",
        "vm-b",
        "vm-b-standby",
        "lb-servers",
    ]
    with pytest.raises(ValueError, match="two resources named vm-a-standby"):
        stack.add("vm-a-standby", "t", {})


def test_a_standby_copy_shares_nothing_with_its_primary() -> None:
    props: dict[str, object] = {
        "name": "a",
        "size": 40,
        "ratio": 1.5,
        "on": True,
        "none": None,
        "disks": [{"size": 20, "key": {"$foundation": "kmsKeyId"}}],
        "pair": ("x", ["y"]),
    }
    copied = _copied(props)
    assert copied == props
    copied["disks"][0]["key"]["$foundation"] = "other"
    copied["pair"][1].append("z")
    assert props["disks"] == [{"size": 20, "key": {"$foundation": "kmsKeyId"}}]
    assert props["pair"] == ("x", ["y"])


def test_stacks_are_let_go_without_the_cyclic_collector() -> None:
    # the stages run with the collector paused and let each stack go once its files are
    # written: building one must leave no reference cycle that holds it
    plan, _ = _sample()
    gc.collect()
    gc.disable()
    try:
        stacks = build_stacks(plan)
        assert any(r.name.endswith("-standby") for s in stacks for r in s.resources)
        kept = [weakref.ref(s) for s in stacks]
        del stacks
        assert [r() for r in kept if r() is not None] == []
    finally:
        gc.enable()
