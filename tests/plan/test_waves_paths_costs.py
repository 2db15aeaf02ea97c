"""Waves, placement, paths and costs on ledgers whose answers are known by hand."""

from __future__ import annotations

import pytest

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import PlanRules, build, verify
from govcloud.plan.placement import needed, pick_instance
from govcloud.plan.rules import PlanRules as Rules
from tests.analysis.builders import cloud, dept, ledger, line, server, site, system

CATALOGUE = model.Prices(
    instance_types=(
        model.InstanceType("prov", "small", 2, 4, 100),
        model.InstanceType("prov", "large", 8, 32, 600),
        model.InstanceType("prov", "arm", 8, 32, 500, arch="arm64"),
    ),
    storage=(model.StoragePrice("prov", "ssd", 1.0),),
    migration=model.MigrationPrices(per_server_cny=1000, per_tb_cny=500, per_system_cny=10_000),
)


def test_sizing_from_p95_with_comfort_factor() -> None:
    s = model.Server("s", "a", "r", "h", cpu_cores=16, memory_gb=64, cpu_p95_pct=10, mem_p95_pct=50)
    assert needed(s, Rules(comfort_factor=1.3)) == (3, pytest.approx(41.6))
    assert needed(model.Server("u", "a", "r", "h", cpu_cores=4, memory_gb=8), Rules()) == (
        6,
        pytest.approx(10.4),
    )
    assert pick_instance(CATALOGUE, "prov", "x86_64", 3, 20).name == "large"  # type: ignore[union-attr]
    assert pick_instance(CATALOGUE, "prov", "x86_64", 2, 3).name == "small"  # type: ignore[union-attr]
    assert pick_instance(CATALOGUE, "prov", "x86_64", 64, 3) is None
    assert pick_instance(CATALOGUE, "prov", "arm64", 2, 3).name == "arm"  # type: ignore[union-attr]


def _ledger(*extra: object) -> model.Ledger:
    node = model.CloudNode(
        "prov",
        "prov",
        "alicloud",
        "cn-hangzhou",
        (model.Zone("h"), model.Zone("i")),
        3,
        archs=("x86_64", "arm64"),
    )
    return ledger(
        dept("a"),
        dept("b"),
        node,
        site("r", "a", yearly_cost_cny=100_000),
        site("rb", "b", yearly_cost_cny=50_000),
        *extra,
        prices=CATALOGUE,
    )  # type: ignore[arg-type]


def test_pilot_first_critical_last_and_limits() -> None:
    led = _ledger(
        *[server(f"s{i}", "a", "r", cpu_cores=2, memory_gb=4, storage_gb=100) for i in range(6)],
        system("low1", "a", servers=("s0",), mlps_level=1),
        system("low2", "a", servers=("s1",), mlps_level=2),
        system(
            "crit", "a", servers=("s2",), mlps_level=3, data_class="core", internet_facing=True, users=90_000
        ),
        system("mid", "a", servers=("s3", "s4", "s5"), mlps_level=3),
    )
    plan = build(led, analyse(led), PlanRules(wave_max_servers=3, pilot_max_systems=2))
    waves = [(e.wave.number, e.wave.pilot, e.wave.systems) for e in plan.schedule]
    assert waves == [(1, True, ["low1", "low2"]), (2, False, ["mid"]), (3, False, ["crit"])]
    assert verify(plan) == []
    # the zones of a system's servers alternate
    assert [p.zone for p in plan.placements if p.system == "mid"] == ["h", "i", "h"]


def test_room_closes_and_its_lines_are_cancelled_after_the_last_system_leaves() -> None:
    ap = model.AccessPoint("ap", "ap", 1000)
    led = _ledger(
        ap,
        server("s1", "a", "r"),
        server("s2", "a", "r"),
        system("one", "a", servers=("s1",), mlps_level=1),
        system("two", "a", servers=("s2",), mlps_level=3),
        line("la", "a", model.LineEnd(site="r"), model.LineEnd(access_point="ap"), monthly_fee_cny=1000),
    )
    plan = build(led, analyse(led))
    closed = {room: e.wave.number for e in plan.schedule for room in e.closed_rooms}
    cancelled = {ln: e.wave.number for e in plan.schedule for ln in e.cancelled_lines}
    assert closed == {"r": 2}
    assert cancelled == {"la": 2}
    path = plan.schedule[0].paths[0]
    assert path.hops == ("site:r", "access_point:ap", "cloud_node:prov")
    assert path.bottleneck_mbps == 100


def test_slow_path_advises_offline_transfer() -> None:
    ap = model.AccessPoint("ap", "ap", 1000)
    led = _ledger(
        ap,
        server("big", "a", "r", storage_gb=50_000),
        system("x", "a", servers=("big",)),
        line("thin", "a", model.LineEnd(site="r"), model.LineEnd(access_point="ap"), bandwidth_mbps=10),
    )
    [path] = build(led, analyse(led)).schedule[0].paths
    assert path.advice == "offline"
    assert path.hours == pytest.approx(50_000 * 8 * 1024 / 5 / 3600, rel=1e-3)


def test_costs_reconcile_with_the_ledger_and_count_the_one_off() -> None:
    led = _ledger(
        server("s1", "a", "r", cpu_cores=2, memory_gb=4, storage_gb=1024, cpu_p95_pct=50, mem_p95_pct=50),
        system("x", "a", servers=("s1",)),
        server("k", "b", "rb"),
        system("kept", "b", servers=("k",), hardware_bound=True),
    )
    plan = build(led, analyse(led))
    a, b = plan.costs["a"], plan.costs["b"]
    assert a.as_is_cny == led.totals("a").yearly_cost_cny == 100_000
    assert a.cloud_cny == pytest.approx((100 + 1024 * 1.0) * 12)
    assert a.rooms_cny == 0  # the room closed
    assert a.one_off_cny == pytest.approx(1000 + 500 + 10_000)
    assert b.to_be_cny == b.as_is_cny == 50_000  # nothing moves, nothing changes
    assert plan.total.as_is_cny == led.totals().yearly_cost_cny
    years = a.five_years()
    assert years[0]["to_be_cny"] == pytest.approx(a.to_be_cny + a.one_off_cny)
    assert years[-1]["as_is_cny"] == pytest.approx(5 * a.as_is_cny)
    assert a.payback_years == pytest.approx(a.one_off_cny / (a.as_is_cny - a.to_be_cny))
    assert b.payback_years is None


def test_loose_dependency_without_a_link_moves_in_the_same_or_a_later_wave() -> None:
    led = _ledger(
        server("s1", "a", "r"),
        server("s2", "a", "r"),
        system("db", "a", servers=("s1",), mlps_level=3),
        system("app", "a", servers=("s2",), mlps_level=1, dependencies=(model.Dependency("db"),)),
    )
    plan = build(led, analyse(led), PlanRules(wave_max_servers=1))
    assert plan.wave_of["app"] >= plan.wave_of["db"]  # no line to bridge the waves
    assert cloud("x").kind == "provincial"


def test_shared_platform_moves_before_the_rest_and_duplicates_retire_after_the_parallel_run() -> None:
    led = _ledger(
        *[server(f"s{i}", "a" if i < 3 else "b", "r" if i < 3 else "rb") for i in range(5)],
        system("other", "a", servers=("s0",), mlps_level=2),
        system(
            "platform-oa",
            "a",
            category="oa",
            servers=("s1",),
            mlps_level=3,
            users=9000,
            data_class="important",
        ),
        system("b-oa", "b", category="oa", servers=("s3",), mlps_level=2),
    )
    plan = build(led, analyse(led), PlanRules(wave_max_servers=1, pilot_max_systems=1))
    assert plan.decisions["b-oa"].action == "retire"
    assert plan.wave_of["platform-oa"] == 2  # first after the pilot, despite its risk
    # 先立后破: the duplicate runs beside the live platform for the parallel run, then retires
    assert plan.wave_of["b-oa"] == 3
    retiring = next(e for e in plan.schedule if "b-oa" in e.retired_systems)
    assert retiring.switched_users == [("b-oa", "platform-oa")]
    assert verify(plan) == []


def test_latency_bound_systems_are_never_pilots() -> None:
    near = model.CloudNode(
        "city", "city", "openstack", "RegionOne", (model.Zone("nova"),), 3, kind="city", region_code="990100"
    )
    led = _ledger(
        near,
        dept("c", "city", "990100"),
        site("rc", "c"),
        server("s1", "c", "rc"),
        server("s2", "c", "rc"),
        system("signals", "c", servers=("s1",), mlps_level=1, latency_bound=True),
        system("plain", "c", servers=("s2",), mlps_level=1),
    )
    plan = build(led, analyse(led))
    pilot = [e for e in plan.schedule if e.wave.pilot]
    assert pilot[0].wave.systems == ["plain"]
    assert plan.wave_of["signals"] > 1


def test_a_server_shared_by_two_systems_moves_once() -> None:
    from govcloud.stacks import build_stacks

    led = _ledger(
        server("shared", "a", "r"),
        system("x", "a", servers=("shared",)),
        system("y", "a", servers=("shared",)),
    )
    plan = build(led, analyse(led))
    assert [p.server for p in plan.placements] == ["shared"]
    assert verify(plan) == []
    names = [r.name for s in build_stacks(plan) for r in s.resources]
    assert names.count("ecs-shared") == 1
