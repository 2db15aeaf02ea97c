"""The residual view: what the plan removes, what remains after the last wave, by clause."""

from __future__ import annotations

import functools

from govcloud.analysis import analyse
from govcloud.baseline import Result, Rule, check
from govcloud.baseline.residual import gone, residual
from govcloud.ledger import load
from govcloud.plan import MOVING, Plan, build
from govcloud.samples import default_inventory


@functools.cache
def sample() -> tuple[Plan, list[Rule], Result]:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    plan = build(ledger, analyse(ledger))
    rules, result = check(ledger, plan, None, "as-is")
    return plan, rules, result


def test_every_as_is_failure_is_removed_or_remains() -> None:
    plan, rules, result = sample()
    view = residual(rules, result, plan)
    as_is = [f for f in result.findings if f.state == "as-is"]
    assert view["removed"] + view["remaining"] == len(as_is)
    assert view["removed"] > 0
    assert view["remaining"] > 0
    assert sum(c["removed"] for c in view["by_clause"]) == view["removed"]
    assert sum(len(c["remaining"]) for c in view["by_clause"]) == view["remaining"]


def test_what_remains_is_on_subjects_the_plan_keeps() -> None:
    plan, rules, result = sample()
    leaving = gone(plan)
    view = residual(rules, result, plan)
    for row in view["retained"]:
        assert (row["kind"], row["subject"]) not in leaving
        if row["kind"] == "systems":
            assert plan.decisions[row["subject"]].action not in MOVING | {"retire"}
    moving = {s for s, d in plan.decisions.items() if d.action in MOVING}
    assert {("systems", s) for s in moving} <= leaving
    closed = {r for w in plan.schedule for r in w.closed_rooms}
    assert closed
    assert {("sites", r) for r in closed} <= leaving
    for server in plan.ledger.servers.values():
        if server.site in closed:
            assert ("servers", server.id) in leaving


def test_a_retained_system_keeps_its_failure() -> None:
    plan, rules, result = sample()
    kept = {s for s, d in plan.decisions.items() if d.action == "retain"}
    failing_kept = {f.subject for f in result.findings if f.kind == "systems" and f.subject in kept}
    assert failing_kept
    remaining = {r["subject"] for r in residual(rules, result, plan)["retained"]}
    assert failing_kept <= remaining
