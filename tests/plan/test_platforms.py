"""The shared platform: explained, chosen in a scenario, sized for the users it absorbs."""

from __future__ import annotations

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import PlanRules, Scenario, build, verify
from govcloud.plan.decide import common_functions
from tests.analysis.builders import cloud, dept, ledger, server, site, system

PRICES = model.Prices(
    instance_types=(
        model.InstanceType("prov", "small", 2, 4, 100),
        model.InstanceType("prov", "large", 8, 32, 600),
    ),
    storage=(model.StoragePrice("prov", "ssd", 1.0),),
)


def _ledger() -> model.Ledger:
    return ledger(
        dept("a"), dept("b"), cloud("prov"), site("ra", "a"), site("rb", "b"),
        server("sa", "a", "ra", cpu_cores=1, memory_gb=2), server("sb", "b", "rb", cpu_cores=1, memory_gb=2),
        system("oa-a", "a", category="oa", servers=("sa",), users=100, mlps_level=3),
        system("oa-b", "b", category="oa", servers=("sb",), users=100, mlps_level=2),
        prices=PRICES,
    )  # fmt: skip


def test_the_platform_is_explained_and_sized_for_the_users_it_absorbs() -> None:
    led = _ledger()
    plan = build(led, analyse(led))
    assert plan.decisions["oa-b"].action == "retire"
    assert plan.decisions["oa-b"].platform == "oa-a"
    why = plan.decisions["oa-a"].reasons[-1]
    assert why.code == "platform-analysis"
    assert why.as_dict() == {"systems": 1, "users": 100}
    (placement,) = plan.placements
    # alone it would be a small instance (2 vCPUs for 1 core × 1.3); twice the users: large
    assert placement.instance_type == "large"
    assert verify(plan) == []


def test_a_scenario_chooses_the_platform() -> None:
    led = _ledger()
    plan = build(led, analyse(led), scenario=Scenario(platforms=("oa-b",)))
    assert plan.decisions["oa-a"].action == "retire"
    assert plan.decisions["oa-a"].platform == "oa-b"
    assert plan.decisions["oa-b"].reasons[-1].code == "platform-scenario"
    assert verify(plan) == []


def _gis() -> model.Ledger:
    return ledger(
        dept("a", name="自然资源厅"), dept("b", name="住建厅"), cloud("prov"), site("ra", "a"), site("rb", "b"),
        server("sa", "a", "ra", cpu_cores=1, memory_gb=2), server("sb", "b", "rb", cpu_cores=1, memory_gb=2),
        system("gis-a", "a", name="地理信息公共服务平台", category="gis", servers=("sa",), users=500),
        system("gis-b", "b", name="地理信息服务平台", category="gis", servers=("sb",), users=50),
        prices=PRICES,
    )  # fmt: skip


def test_duplicates_of_a_common_function_found_by_name_are_acted_on() -> None:
    led = _gis()
    analysis = analyse(led)
    (finding,) = analysis.of_kind("duplicate-systems")
    # GIS is in the common functions the analysis and the plan read from one data file, so the
    # analysis is as sure of it as of OA (it used to be left out of the analysis's code list)
    assert "gis" in common_functions()
    assert finding.confidence >= PlanRules().duplicate_min_confidence
    plan = build(led, analysis)
    retired = [d for d in plan.decisions.values() if d.action == "retire"]
    assert [(d.system, d.platform) for d in retired] == [("gis-b", "gis-a")]
    assert verify(plan) == []
