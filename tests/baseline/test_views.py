"""Views of the sample: made once per entity, and only of what rules check."""

from __future__ import annotations

from govcloud.baseline.rules import load_rules
from govcloud.baseline.views import as_is, to_be
from govcloud.plan import Plan
from govcloud.stacks import Stack
from tests.conftest import sample_planned


def _sample() -> tuple[Plan, list[Stack]]:
    planned = sample_planned()
    return planned.plan, planned.stacks


def test_to_be_views_of_the_kinds_asked_are_those_of_all_kinds() -> None:
    plan, stacks = _sample()
    every = list(to_be(stacks, plan))
    kinds = {r.applies_to for r in load_rules() if r.state == "to-be"}
    some = list(to_be(stacks, plan, kinds))
    assert some == [s for s in every if s.kind in kinds]
    assert 0 < len(some) < len(every)  # ports, subnets, routers, … are checked by no rule
    assert list(to_be(stacks, plan, set())) == []
    # every view says whether its resource is protected, and its type and stack
    by_id = {f"{s.project}/{r.name}": r for s in stacks for r in s.resources}
    for subject in some:
        assert subject.view["protected"] is by_id[subject.id].protect
        assert subject.view["type"] == subject.kind


def test_a_server_looks_the_same_on_its_own_and_inside_its_systems() -> None:
    plan, _ = _sample()
    subjects = list(as_is(plan.ledger, plan))
    servers = {s.id: s.view for s in subjects if s.kind == "servers"}
    systems = [s for s in subjects if s.kind == "systems"]
    assert systems
    assert servers
    for system in systems:
        for inside in system.view["servers"]:
            own = servers[inside["id"]]
            assert {k: v for k, v in own.items() if k not in ("level", "warranty_expired")} == inside
