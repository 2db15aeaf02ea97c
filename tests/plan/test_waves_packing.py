"""Wave packing skips groups that cannot join through an index; the waves must be exactly those
of the plain scan it replaced (kept here as the reference), whatever the groups look like."""

from __future__ import annotations

import random
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from govcloud.generate import generate
from govcloud.ledger.index import Index
from govcloud.plan import PlanRules, planner
from govcloud.plan.waves import MoveGroup, Wave, fits, is_pilot_candidate, move_group, plan_waves
from tests.analysis.builders import dept, ledger, server, site, system


def reference_plan_waves(
    ledger: Any,
    groups: list[MoveGroup],
    rules: PlanRules,
    must_follow: Callable[[MoveGroup], set[str]],
    platforms: frozenset[str] = frozenset(),
) -> list[Wave]:
    """The scan of every pending group for every wave, as planning did before the index."""
    follows = {g.id: must_follow(g) for g in groups}
    pilot = Wave(1, pilot=True)
    rest: list[MoveGroup] = []
    for group in sorted(groups, key=lambda g: (g.risk, g.servers, g.id)):
        if is_pilot_candidate(group, rules) and not follows[group.id] and fits(pilot, group, rules, ledger):
            pilot.add(group, ledger)
        else:
            rest.append(group)
    waves = [pilot] if pilot.groups else []
    placed = {g.id: w.number for w in waves for g in w.groups}
    pending = sorted(rest, key=lambda g: (not set(g.systems) & platforms, g.risk, g.id))
    while pending:
        wave = Wave(len(waves) + 1, pilot=False)
        in_wave: set[str] = set()
        left: list[MoveGroup] = []
        for i, group in enumerate(pending):
            if wave.full(rules):
                left.extend(pending[i:])
                break
            if follows[group.id] - placed.keys() - in_wave or not fits(wave, group, rules, ledger):
                left.append(group)
                continue
            wave.add(group, ledger)
            in_wave.add(group.id)
        if not wave.groups:
            for group in left:
                wave.add(group, ledger)
            left = []
        pending = left
        waves.append(wave)
        placed.update({g.id: wave.number for g in wave.groups})
    return waves


def _shape(waves: list[Wave]) -> list[tuple[bool, list[str]]]:
    return [(w.pilot, [g.id for g in w.groups]) for w in waves]


def _case(seed: int) -> tuple[Any, list[MoveGroup], PlanRules, dict[str, set[str]], frozenset[str]]:
    """Random groups: one or several departments, 0 to 90 servers, some data-heavy, random
    dependencies (cycles included) and platforms; tight or loose limits."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible test cases, not secrets
    departments = [f"d{i}" for i in range(rnd.randint(1, 12))]
    owners: dict[str, str] = {}
    groups: list[MoveGroup] = []
    for g in range(rnd.randint(0, 250)):
        members = [f"s{g}-{k}" for k in range(rnd.choice([1, 1, 1, 2, 3, 6]))]
        mixed = rnd.random() < 0.15
        home = rnd.choice(departments)
        for m in members:
            owners[m] = rnd.choice(departments) if mixed else home
        groups.append(
            MoveGroup(
                systems=tuple(sorted(members)),
                servers=rnd.choice([0, 1, 1, 2, 3, 5, 8, 13, 30, 61, 90]),
                data_gb=rnd.choice([0.0, 100.0, 512.5, 4096.0, 20_480.0, 50_000.0]) * rnd.random(),
                departments=tuple(sorted({owners[m] for m in members})),
                risk=(rnd.randint(1, 4), rnd.randint(0, 2), rnd.randint(0, 1), rnd.randint(0, 3)),
                sensitive=rnd.random() < 0.1,
            )
        )
    ids = [g.id for g in groups]
    follows = {g.id: {rnd.choice(ids) for _ in range(rnd.choice([0, 0, 0, 1, 2]))} - {g.id} for g in groups}
    platforms = frozenset(rnd.sample([m for g in groups for m in g.systems], k=min(5, len(groups))))
    rules = PlanRules(
        wave_max_servers=rnd.choice([5, 20, 60, 200]),
        wave_max_data_tb=rnd.choice([1.0, 10.0, 40.0]),
        wave_max_systems_per_department=rnd.choice([1, 2, 4, 10]),
        pilot_max_systems=rnd.choice([1, 5]),
    )
    ledger = SimpleNamespace(systems={s: SimpleNamespace(owner=o) for s, o in owners.items()})
    return ledger, groups, rules, follows, platforms


@pytest.mark.parametrize("seed", range(60))
def test_the_index_packs_the_same_waves_as_the_scan(seed: int) -> None:
    ledger, groups, rules, follows, platforms = _case(seed)
    fast = plan_waves(ledger, groups, rules, lambda g: follows[g.id], platforms)
    slow = reference_plan_waves(ledger, groups, rules, lambda g: follows[g.id], platforms)
    assert _shape(fast) == _shape(slow)
    assert sorted(g.id for w in fast for g in w.groups) == sorted(g.id for g in groups)


def test_a_generated_region_plans_the_same_waves_as_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    from govcloud.analysis import analyse

    compared: list[int] = []

    def both(*args: Any, first: int = 1) -> list[Wave]:
        assert first == 1  # nothing is recorded as done: the reference's numbering
        fast = plan_waves(*args, first=first)
        assert _shape(fast) == _shape(reference_plan_waves(*args))
        compared.append(len(fast))
        return fast

    monkeypatch.setattr(planner, "plan_waves", both)
    ledger = generate(3000, 7)
    planner.build(ledger, analyse(ledger))
    assert compared
    assert compared[0] > 10  # enough waves to exercise the index


def test_a_move_group_is_the_same_with_the_ledgers_index() -> None:
    led = ledger(
        dept("a"), dept("b"), site("r", "a"),
        server("s1", "a", "r", storage_gb=100), server("s2", "b", "r", storage_gb=250.5),
        system("x", "a", servers=("s1", "missing")), system("y", "b", servers=("s2", "s1")),
    )  # fmt: skip
    alone = move_group(led, ["y", "x"])
    assert move_group(led, ["y", "x"], Index.of(led)) == alone
    assert (alone.systems, alone.servers, alone.data_gb, alone.departments) == (
        ("x", "y"),
        3,
        450.5,
        ("a", "b"),
    )


def test_a_waves_systems_are_sorted_again_once_a_group_joins_and_handed_out_as_copies() -> None:
    led = ledger(
        dept("a"), site("r", "a"), server("s1", "a", "r"),
        system("b", "a", servers=("s1",)), system("c", "a"), system("a", "a"),
    )  # fmt: skip
    wave = Wave(1, pilot=False)
    assert wave.systems == []
    wave.add(move_group(led, ["c", "b"]), led)
    seen = wave.systems
    assert seen == ["b", "c"]
    seen.append("mine")  # the caller's list
    assert wave.systems == ["b", "c"]
    wave.add(move_group(led, ["a"]), led)
    assert wave.systems == ["a", "b", "c"]
    group = move_group(led, ["c", "b"])
    assert group.id == "b" == group.systems[0]
