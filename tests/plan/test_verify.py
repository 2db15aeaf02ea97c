"""The plan's independent verifier: every violation it reports, at and just past each limit.

Plans are built by hand here (not by the planner, which never breaks a rule), so each test
starts from a sound plan, checks that it verifies, then breaks exactly one thing and asserts
the whole list of violations: code, subject and detail.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

from govcloud.ledger import model
from govcloud.plan import PlanRules, verify
from govcloud.plan.decide import Decision
from govcloud.plan.placement import Placement
from govcloud.plan.planner import Plan, WaveSchedule
from govcloud.plan.verify import Violation
from govcloud.plan.waves import MoveGroup, Wave
from tests.analysis.builders import dept, ledger, server, site, system

NODE = model.CloudNode(
    "prov",
    "省级政务云",
    "alicloud",
    "cn-hangzhou",
    (model.Zone("z1"), model.Zone("z2")),
    3,
    archs=("x86_64", "arm64"),
    capacity=model.Capacity(vcpus=8, memory_gb=16.0, storage_gb=2048.0),
)


def servers(*idents: str, owner: str = "a", storage_gb: float = 100.0) -> list[model.Server]:
    return [server(i, owner, "r", storage_gb=storage_gb) for i in idents]


def make(
    entities: Sequence[Any],
    decisions: dict[str, tuple[str, str | None]],
    placements: Sequence[Placement] = (),
    waves: Sequence[Sequence[Sequence[str]]] = (),
    rules: PlanRules | None = None,
    wave_of: dict[str, int] | None = None,
    node: model.CloudNode = NODE,
) -> Plan:
    """A plan of ``entities``; ``waves`` lists each wave's move groups, each a list of systems."""
    led = ledger(dept("a"), dept("b"), site("r", "a"), node, *entities)
    schedule = []
    for number, groups in enumerate(waves, start=1):
        move_groups = [
            MoveGroup(tuple(g), len(g), 0.0, tuple(sorted({led.systems[s].owner for s in g})), (0, 0, 0, 0))
            for g in groups
        ]
        schedule.append(WaveSchedule(Wave(number, number == 1, move_groups)))
    if wave_of is None:
        wave_of = {s: n for n, groups in enumerate(waves, start=1) for g in groups for s in g}
    return Plan(
        ledger=led,
        rules=rules or PlanRules(),
        decisions={s: Decision(s, action, (), target) for s, (action, target) in decisions.items()},  # type: ignore[arg-type]
        placements=list(placements),
        schedule=schedule,
        costs={},
        unassigned_servers=[],
        wave_of=wave_of,
    )


def place(
    server_id: str,
    system_id: str,
    node: str = "prov",
    zone: str = "z1",
    vcpus: int = 2,
    memory_gb: float = 4.0,
    storage_gb: float = 100.0,
    arch: str = "x86_64",
) -> Placement:
    return Placement(server_id, system_id, node, zone, "ecs.g7", vcpus, memory_gb, storage_gb, 100.0, arch)


def placed_all(entities: Sequence[Any]) -> list[Placement]:
    """A small placement of every server of every system in ``entities``."""
    systems = [e for e in entities if isinstance(e, model.System)]
    known = {e.id for e in entities if isinstance(e, model.Server)}
    return [
        place(s, sys.id, vcpus=1, memory_gb=1.0, storage_gb=1.0)
        for sys in systems
        for s in sys.servers
        if s in known
    ]


def one_system(action: str = "rehost", target: str | None = "prov", **kw: Any) -> Plan:
    """System ``oa`` on server ``s1``, moved in wave 1 unless it stays."""
    moving = action in {"rehost", "relocate", "replatform", "refactor"}
    return make(
        [*servers("s1"), system("oa", "a", servers=("s1",), **kw)],
        {"oa": (action, target)},
        [place("s1", "oa")] if moving else [],
        [[["oa"]]] if moving else [],
    )


def test_a_sound_plan_verifies_and_violations_are_values() -> None:
    assert verify(one_system()) == []
    assert verify(one_system("retain", None)) == []
    assert verify(one_system("retire", None)) == []
    v = Violation("capacity", "prov", "vcpus 9 > 8")
    assert {v, Violation("capacity", "prov", "vcpus 9 > 8")} == {v}  # frozen: hashable, comparable
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.code = "other"  # type: ignore[misc]


def test_a_hand_built_plan_is_verified_once_when_asked_and_keeps_the_result() -> None:
    plan = one_system(target=None)
    assert plan.verification is None
    found = plan.violations()
    assert found == (Violation("no-target", "oa", "None"),)
    assert plan.verification is found
    assert plan.violations() is found  # kept: asked again, not run again


# --- isolation: classified systems, and systems on isolated networks, never move -------------


@pytest.mark.parametrize("classification", ["secret", "confidential", "top_secret"])
def test_a_classified_system_that_moves(classification: str) -> None:
    assert verify(one_system("retain", None, classification=classification)) == []
    plan = one_system("rehost", "prov", classification=classification)
    assert verify(plan) == [Violation("classified-moved", "oa", "rehost → prov")]


@pytest.mark.parametrize(
    ("kind", "isolated"),
    [
        ("intranet", True),
        ("classified", True),
        ("national_vertical", True),
        ("extranet", False),
        ("private", False),
    ],
)
def test_a_system_on_an_isolated_network_that_moves(kind: str, isolated: bool) -> None:
    net = model.Network("n1", "网络", "a", kind)
    plan = make(
        [net, *servers("s1"), system("oa", "a", servers=("s1",), networks=("n1",))],
        {"oa": ("relocate", "prov")},
        [place("s1", "oa")],
        [[["oa"]]],
    )
    expected = [Violation("classified-moved", "oa", "relocate → prov")] if isolated else []
    assert verify(plan) == expected
    staying = make(
        [net, *servers("s1"), system("oa", "a", servers=("s1",), networks=("n1",))], {"oa": ("retain", None)}
    )
    assert verify(staying) == []


# --- placements: a wave, a known target, a certified level, every server placed ---------------


def test_a_moving_system_in_no_wave() -> None:
    plan = make(
        [*servers("s1"), system("oa", "a", servers=("s1",))],
        {"oa": ("refactor", "prov")},
        [place("s1", "oa")],
    )
    assert verify(plan) == [Violation("no-wave", "oa", "refactor")]


@pytest.mark.parametrize(("target", "detail"), [(None, "None"), ("nowhere", "nowhere")])
def test_a_moving_system_with_no_target_or_an_unknown_one(target: str | None, detail: str) -> None:
    # and nothing more is checked for it: its level cannot be compared with no node
    plan = make(
        [*servers("s1"), system("oa", "a", servers=("s1",), mlps_level=4)],
        {"oa": ("rehost", target)},
        waves=[[["oa"]]],
    )
    assert verify(plan) == [Violation("no-target", "oa", detail)]


def test_a_system_above_the_nodes_certified_level() -> None:
    assert verify(one_system(mlps_level=3)) == []  # at the node's level
    assert verify(one_system(mlps_level=4)) == [Violation("mlps-exceeds", "oa", "level 4 > prov 3")]


def test_a_moving_system_with_a_server_left_behind() -> None:
    entities = [*servers("s1", "s2"), system("oa", "a", servers=("s1", "s2", "ghost"))]
    sound = make(entities, {"oa": ("replatform", "prov")}, [place("s1", "oa"), place("s2", "oa")], [[["oa"]]])
    assert verify(sound) == []  # ``ghost`` is no server of the ledger: nothing to place
    plan = make(entities, {"oa": ("replatform", "prov")}, [place("s1", "oa")], [[["oa"]]])
    assert verify(plan) == [Violation("not-placed", "oa", "replatform")]


def test_a_placement_on_an_architecture_the_node_lacks() -> None:
    entities = [*servers("s1"), system("oa", "a", servers=("s1",))]
    sound = make(entities, {"oa": ("rehost", "prov")}, [place("s1", "oa", arch="arm64")], [[["oa"]]])
    assert verify(sound) == []
    plan = make(entities, {"oa": ("rehost", "prov")}, [place("s1", "oa", arch="loongarch64")], [[["oa"]]])
    assert verify(plan) == [Violation("arch-unsupported", "s1", "loongarch64 on prov")]


def test_a_placement_in_a_zone_the_node_lacks() -> None:
    entities = [*servers("s1", "s2"), system("oa", "a", servers=("s1", "s2"))]
    sound = make(
        entities, {"oa": ("rehost", "prov")}, [place("s1", "oa"), place("s2", "oa", zone="z2")], [[["oa"]]]
    )
    assert verify(sound) == []
    plan = make(
        entities, {"oa": ("rehost", "prov")}, [place("s1", "oa"), place("s2", "oa", zone="z9")], [[["oa"]]]
    )
    assert verify(plan) == [Violation("unknown-zone", "s2", "z9")]


def test_a_placement_on_a_node_the_ledger_lacks() -> None:
    entities = [*servers("s1"), system("oa", "a", servers=("s1",))]
    plan = make(entities, {"oa": ("rehost", "prov")}, [place("s1", "oa", node="gone")], [[["oa"]]])
    assert verify(plan) == [Violation("unknown-node", "s1", "gone")]


@pytest.mark.parametrize("action", ["retain", "retire"])
def test_a_server_placed_for_a_system_that_stays(action: str) -> None:
    entities = [*servers("s1"), system("oa", "a", servers=("s1",))]
    plan = make(entities, {"oa": (action, None)}, [place("s1", "oa")])
    assert verify(plan) == [Violation("placed-but-staying", "s1", "oa")]


# --- capacity ----------------------------------------------------------------------------------


def _capacity_plan(vcpus: int, memory_gb: float, storage_gb: float) -> Plan:
    """Two servers of one system, each taking half of what is given, on NODE (8, 16, 2048)."""
    entities = [*servers("s1", "s2"), system("oa", "a", servers=("s1", "s2"))]
    half = {"vcpus": vcpus // 2, "memory_gb": memory_gb / 2, "storage_gb": storage_gb / 2}
    return make(
        entities,
        {"oa": ("rehost", "prov")},
        [place("s1", "oa", **half), place("s2", "oa", zone="z2", **half)],
        [[["oa"]]],
    )  # type: ignore[arg-type]


def test_capacity_at_the_limit_is_sound() -> None:
    assert verify(_capacity_plan(8, 16.0, 2048.0)) == []


@pytest.mark.parametrize(
    ("used", "violation"),
    [
        ((10, 16.0, 2048.0), "vcpus 10 > 8"),
        ((8, 17.0, 2048.0), "memory_gb 17 > 16"),
        ((8, 16.0, 2049.0), "storage_gb 2049 > 2048"),
    ],
)
def test_capacity_just_past_each_limit_summed_over_placements(
    used: tuple[int, float, float], violation: str
) -> None:
    assert verify(_capacity_plan(*used)) == [Violation("capacity", "prov", violation)]


def test_capacity_of_every_kind_and_node_at_once_and_no_limit_means_unlimited() -> None:
    unlimited = dataclasses.replace(NODE, id="muni", capacity=model.Capacity(vcpus=None, memory_gb=1.0))
    entities = [
        unlimited,
        *servers("s1", "s2", "s3"),
        system("oa", "a", servers=("s1", "s2")),
        system("hr", "a", servers=("s3",)),
    ]
    plan = make(
        entities,
        {"oa": ("rehost", "prov"), "hr": ("rehost", "muni")},
        [
            place("s1", "oa", vcpus=6, memory_gb=10, storage_gb=2000),
            place("s2", "oa", vcpus=6, memory_gb=10, storage_gb=2000),
            place("s3", "hr", node="muni", vcpus=500, memory_gb=1.5, storage_gb=10**6),
        ],
        [[["hr"], ["oa"]]],
    )
    assert verify(plan) == [
        Violation("capacity", "muni", "memory_gb 1.5 > 1"),
        Violation("capacity", "prov", "memory_gb 20 > 16"),
        Violation("capacity", "prov", "storage_gb 4000 > 2048"),
        Violation("capacity", "prov", "vcpus 12 > 8"),
    ]


# --- tight groups: move together, in one wave ---------------------------------------------------


def _group(*members: str, owner: str = "a") -> list[model.System]:
    """Systems joined by tight dependencies, in a chain: first → second → …"""
    out = []
    for i, ident in enumerate(members):
        deps = (model.Dependency(members[i + 1], tight=True),) if i + 1 < len(members) else ()
        out.append(system(ident, owner, dependencies=deps))
    return out


def test_a_tight_group_that_moves_together_in_one_wave_is_sound() -> None:
    plan = make(
        _group("app", "db", "cache"),
        dict.fromkeys(("app", "db", "cache"), ("rehost", "prov")),
        waves=[[["app", "cache", "db"]]],
    )
    assert verify(plan) == []
    # a retired member neither moves nor stays
    plan = make(
        _group("app", "db", "old"),
        {"app": ("rehost", "prov"), "db": ("rehost", "prov"), "old": ("retire", None)},
        waves=[[["app", "db"]]],
    )
    assert verify(plan) == []
    plan = make(
        _group("app", "db", "old"), {"app": ("retain", None), "db": ("retain", None), "old": ("retire", None)}
    )
    assert verify(plan) == []


def test_a_tight_group_split_between_moving_and_staying() -> None:
    plan = make(
        _group("app", "db", "old"),
        {"app": ("rehost", "prov"), "db": ("retain", None), "old": ("retire", None)},
        waves=[[["app"]]],
    )
    assert verify(plan) == [Violation("tight-group-split", "app, db, old", "some move, some stay")]


def test_a_tight_group_spread_over_two_waves() -> None:
    plan = make(
        _group("db", "app"),
        {"app": ("rehost", "prov"), "db": ("rehost", "prov")},
        waves=[[["db"]], [["app"]]],
    )
    assert verify(plan) == [Violation("tight-group-waves", "app, db", "waves ['1', '2']")]


def test_a_tight_group_member_in_no_wave() -> None:
    plan = make(
        _group("db", "app"),
        {"app": ("rehost", "prov"), "db": ("rehost", "prov")},
        waves=[[["app"]]],
        wave_of={"app": 1},
    )
    assert verify(plan) == [
        Violation("no-wave", "db", "rehost"),
        Violation("tight-group-waves", "app, db", "waves ['1', 'None']"),
    ]


# --- wave limits: servers, data, systems of one department --------------------------------------


def _wave(
    rules: PlanRules,
    sizes: Sequence[int] = (1, 1),
    storage_gb: float = 100.0,
    owners: Sequence[str] = ("a", "b"),
    groups: int | None = None,
) -> Plan:
    """One wave of systems ``m0, m1…`` with ``sizes[i]`` servers each, one move group per system
    (or all in one group when ``groups`` is 1)."""
    entities: list[Any] = []
    names = []
    for i, size in enumerate(sizes):
        ids = [f"m{i}s{k}" for k in range(size)]
        entities += servers(*ids, owner=owners[i], storage_gb=storage_gb)
        entities.append(system(f"m{i}", owners[i], servers=(*ids, "ghost")))
        names.append(f"m{i}")
    wave = [names] if groups == 1 else [[n] for n in names]
    decisions = dict.fromkeys(names, ("rehost", "prov"))
    return make(entities, decisions, placed_all(entities), waves=[wave], rules=rules)


def test_wave_servers_at_and_just_past_the_limit() -> None:
    assert verify(_wave(PlanRules(wave_max_servers=5), sizes=(2, 3))) == []
    assert verify(_wave(PlanRules(wave_max_servers=4), sizes=(2, 3))) == [
        Violation("wave-servers", "wave 1", "5 > 4")
    ]


def test_wave_data_at_and_just_past_the_limit() -> None:
    # two systems with two servers of 1 TB each: 4 TB in the wave
    assert verify(_wave(PlanRules(wave_max_data_tb=4.0), sizes=(2, 2), storage_gb=1024)) == []
    assert verify(_wave(PlanRules(wave_max_data_tb=3.999), sizes=(2, 2), storage_gb=1024)) == [
        Violation("wave-data", "wave 1", "4.0 TB")
    ]


def test_wave_department_at_and_just_past_the_limit() -> None:
    rules = PlanRules(wave_max_systems_per_department=2)
    assert verify(_wave(rules, sizes=(1, 1, 1), owners=("a", "a", "b"))) == []
    plan = _wave(rules, sizes=(1, 1, 1, 1, 1, 1), owners=("b", "a", "b", "a", "b", "a"))
    assert verify(plan) == [
        Violation("wave-department", "wave 1", "a: 3"),
        Violation("wave-department", "wave 1", "b: 3"),
    ]


def test_a_wave_of_one_move_group_is_never_over_a_limit() -> None:
    rules = PlanRules(wave_max_servers=1, wave_max_data_tb=0.1, wave_max_systems_per_department=1)
    assert verify(_wave(rules, sizes=(2, 3), owners=("a", "a"), groups=1)) == []
    assert verify(_wave(rules, sizes=(2, 3), owners=("a", "a"))) == [
        Violation("wave-data", "wave 1", "0.5 TB"),
        Violation("wave-department", "wave 1", "a: 2"),
        Violation("wave-servers", "wave 1", "5 > 1"),
    ]


def test_limits_are_counted_per_wave_and_name_the_wave() -> None:
    entities = [
        *servers("s1", "s2", "s3"),
        *(system(n, "a", servers=(s,)) for n, s in (("x", "s1"), ("y", "s2"), ("z", "s3"))),
    ]
    plan = make(
        entities,
        dict.fromkeys("xyz", ("rehost", "prov")),
        placed_all(entities),
        waves=[[["x"]], [["y"], ["z"]]],
        rules=PlanRules(wave_max_servers=1),
    )
    assert verify(plan) == [Violation("wave-servers", "wave 2", "2 > 1")]


def test_violations_of_every_kind_come_sorted() -> None:
    plan = make(
        [
            *servers("s1", "s2"),
            system("oa", "a", servers=("s1",), classification="secret", mlps_level=4),
            system("hr", "a", servers=("s2",)),
        ],
        {"oa": ("rehost", "prov"), "hr": ("retain", None)},
        [place("s1", "oa", zone="z9"), place("s2", "hr", vcpus=9)],
        [[["oa"]]],
    )
    assert verify(plan) == [
        Violation("capacity", "prov", "vcpus 11 > 8"),
        Violation("classified-moved", "oa", "rehost → prov"),
        Violation("mlps-exceeds", "oa", "level 4 > prov 3"),
        Violation("placed-but-staying", "s2", "hr"),
        Violation("unknown-zone", "s1", "z9"),
    ]


def test_a_placed_server_no_instance_type_fits() -> None:
    entities = [*servers("s1"), system("oa", "a", servers=("s1",))]
    unfit = dataclasses.replace(
        place("s1", "oa", vcpus=96, memory_gb=768.5, arch="arm64"), instance_type=None
    )
    plan = make(
        entities,
        {"oa": ("rehost", "prov")},
        [unfit],
        [[["oa"]]],
        node=dataclasses.replace(NODE, capacity=model.Capacity()),
    )
    assert verify(plan) == [
        Violation(
            "no-instance-type",
            "s1",
            "needs 96 vCPU and 768.5 GB (arm64); no instance type of prov in the price list fits",
        )
    ]


def test_the_ledger_index_is_made_once_and_again_for_another_ledger() -> None:
    plan = one_system()
    index = plan.index()
    assert plan.index() is index
    assert index.ledger is plan.ledger
    assert dict(index.systems_on_server) == {"s1": ["oa"]}
    other = dataclasses.replace(plan.ledger, servers={})
    moved = dataclasses.replace(plan, ledger=other)  # a copy carries the first plan's index
    assert moved.index() is not index
    assert moved.index().ledger is other
    assert dict(moved.index().servers_on_site) == {}
