"""Re-test scheduling: every system whose location or platform changes gets one 测评 slot,
after its move, within the per-wave capacity."""

from __future__ import annotations

import dataclasses
import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.analysis import analyse
from govcloud.ledger import load
from govcloud.plan import MOVING, Plan, build
from govcloud.plan.retest import Retest, RetestRules, needed, schedule, violations
from govcloud.samples import default_inventory


@functools.cache
def sample() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


def test_the_systems_that_move_need_a_retest() -> None:
    plan = sample()
    wanted = {r[0] for r in needed(plan)}
    moving = {
        s
        for s, d in plan.decisions.items()
        if d.action in MOVING
        and plan.ledger.systems[s].mlps_level >= 2
        and not plan.ledger.systems[s].classified
    }
    assert wanted == moving
    assert wanted
    assert {r[3] for r in needed(plan)} <= {"location", "platform"}


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 12))
def test_any_capacity_gives_a_valid_schedule(per_wave: int) -> None:
    plan = sample()
    rules = RetestRules(per_wave=per_wave)
    retests = schedule(plan, rules)
    assert violations(plan, retests, rules) == []
    assert len(retests) == len(needed(plan, rules))


def test_higher_levels_are_assessed_first_when_a_slot_is_full() -> None:
    plan = sample()
    retests = schedule(plan, RetestRules(per_wave=1))
    by_slot: dict[int, list[Retest]] = {}
    for r in retests:
        by_slot.setdefault(r.slot, []).append(r)
    assert all(len(v) == 1 for v in by_slot.values())
    assert max(by_slot) > max(plan.wave_of.values())  # the rest go after the last wave


def test_violations_are_found() -> None:
    plan = sample()
    rules = RetestRules(per_wave=2)
    retests = schedule(plan, rules)
    early = dataclasses.replace(retests[-1], slot=retests[-1].moved_in - 1)
    problems = violations(plan, [*retests[:-1], early], rules)
    assert any("before it moves" in p for p in problems)
    assert any("has none" in p for p in violations(plan, retests[1:], rules))
    crowded = [dataclasses.replace(r, slot=retests[0].slot) for r in retests[:3]] + retests[3:]
    assert any("more than 2" in p for p in violations(plan, crowded, rules))
