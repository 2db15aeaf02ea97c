"""Views of the sample: made once per entity, and only of what rules check."""

from __future__ import annotations

from dataclasses import replace

from govcloud.baseline.conditions import judge, roots
from govcloud.baseline.rules import load_rules
from govcloud.baseline.views import AS_IS_KINDS, PLAN_FIELDS, as_is, to_be
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


def test_as_is_views_of_the_kinds_asked_are_those_of_all_kinds() -> None:
    plan, _ = _sample()
    every = list(as_is(plan.ledger, plan))
    assert {s.kind for s in every} == set(AS_IS_KINDS)
    for kinds in (("servers",), ("systems", "cloud_nodes"), ("sites", "lines", "networks"), ()):
        assert list(as_is(plan.ledger, plan, kinds)) == [s for s in every if s.kind in kinds]


def test_a_systems_view_of_some_fields_is_its_whole_view_cut_to_them() -> None:
    plan, _ = _sample()
    whole = list(as_is(plan.ledger, plan, ("systems",)))
    assert any(s.view["servers"] for s in whole)
    for fields in (
        {"classified", "moves", "target_covers", "carriers"},  # the rules that read the plan
        {"servers", "sites", "backup", "level"},
        {"assessment_age_days", "data_class", "no-such-field"},
        set(),
    ):
        some = list(as_is(plan.ledger, plan, ("systems",), fields=fields))
        assert [s._replace(view={}) for s in some] == [s._replace(view={}) for s in whole]
        for cut, full in zip(some, whole, strict=True):
            assert cut.view == {k: v for k, v in full.view.items() if k in fields}


def test_only_the_plan_fields_of_a_systems_view_depend_on_the_plan() -> None:
    plan, _ = _sample()
    planned = {s.id: s.view for s in as_is(plan.ledger, plan, ("systems",))}
    unplanned = {s.id: s.view for s in as_is(plan.ledger, None, ("systems",))}
    missing = object()
    changed = {
        name
        for ident, view in planned.items()
        for name in view.keys() | unplanned[ident].keys()
        if view.get(name, missing) != unplanned[ident].get(name, missing)
    }
    assert changed == PLAN_FIELDS
    # and no other view depends on it
    others = [k for k in AS_IS_KINDS if k != "systems"]
    assert list(as_is(plan.ledger, plan, others)) == list(as_is(plan.ledger, None, others))


def test_a_rule_answers_the_same_on_the_fields_it_reads_alone() -> None:
    plan, _ = _sample()
    subjects = list(as_is(plan.ledger, plan))
    for rule in load_rules():
        if rule.state != "as-is":
            continue
        reads = roots(rule.require) | (roots(rule.when) if rule.when else set())
        for subject in (s for s in subjects if s.kind == rule.applies_to):
            part = {k: v for k, v in subject.view.items() if k in reads}
            for condition in (rule.require, rule.when):
                if condition is not None:
                    assert judge(condition, part) == judge(condition, subject.view)


def _views(stacks: list[Stack], plan: Plan) -> dict[str, list[tuple[str, object]]]:
    return {s.id: list(s.view.items()) for s in to_be(stacks, plan)}


def test_to_be_facts_do_not_depend_on_the_order_of_the_stacks() -> None:
    plan, stacks = _sample()
    assert _views(stacks[::-1], plan) == _views(stacks, plan)


def test_a_standby_in_another_stack_is_its_servers_standby_all_the_same() -> None:
    plan, stacks = _sample()
    before = _views(stacks, plan)
    standby_of = {
        s.id: s.view["tags"]["source-server"]
        for s in to_be(stacks, plan)
        if isinstance(s.view.get("tags"), dict) and s.view["tags"].get("recovery-role") == "standby"
    }
    assert standby_of
    # each standby moved to the end of the next stack (the last stack's to the first)
    moved = [replace(s, resources=list(s.resources)) for s in stacks]
    standbys = [
        (i, r)
        for i, stack in enumerate(moved)
        for r in stack.resources
        if f"{stack.project}/{r.name}" in standby_of
    ]
    for i, resource in standbys:
        moved[i].resources.remove(resource)
        moved[(i + 1) % len(moved)].resources.append(resource)
    after = _views(moved, plan)
    primaries = [ident for ident, view in before.items() if dict(view).get("recovery_standby") is not None]
    assert primaries
    assert {i: after[i] for i in primaries} == {i: before[i] for i in primaries}
