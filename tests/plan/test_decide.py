"""Every decision rule, with a case where it decides and one where it does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import PlanRules, Scenario, build
from tests.analysis.builders import cloud, dept, ledger, server, site, system


def _plan(*entities: Any, scenario: Scenario | None = None, rules: PlanRules | None = None) -> dict[str, Any]:
    led = ledger(
        dept("a"),
        dept("b"),
        dept("c", "city", "990100"),
        cloud("prov"),
        site("r", "a"),
        site("rb", "b"),
        *entities,
    )
    plan = build(led, analyse(led), rules, scenario)
    return {s: (d.action, [r.code for r in d.reasons], d.target) for s, d in plan.decisions.items()}


def test_plain_system_is_rehosted_on_its_departments_node() -> None:
    assert _plan(server("s", "a", "r"), system("x", "a", servers=("s",)))["x"] == (
        "rehost",
        ["rehost"],
        "prov",
    )


@pytest.mark.parametrize(
    ("status", "action"), [("idle", "retire"), ("decommissioning", "retire"), ("running", "rehost")]
)
def test_idle_systems_are_retired(status: str, action: str) -> None:
    assert _plan(system("x", "a", status=status))["x"][0] == action


def test_classified_systems_are_retained_and_say_why() -> None:
    decisions = _plan(
        model.Network("sm", "涉密网", "a", "classified"),
        system("secret", "a", classification="secret"),
        system("on-isolated", "a", networks=("sm",)),
        system("open", "a"),
    )
    assert decisions["secret"][:2] == ("retain", ["classified"])
    assert decisions["on-isolated"][:2] == ("retain", ["classified"])
    assert decisions["open"][0] == "rehost"


def test_duplicates_are_retired_onto_the_shared_platform() -> None:
    decisions = _plan(
        system("a-oa", "a", category="oa", users=10), system("b-oa", "b", category="oa", users=900)
    )
    assert decisions["b-oa"][0] == "rehost"  # the platform moves
    assert decisions["a-oa"][:2] == ("retire", ["duplicate"])


def test_level_above_every_certification_stays() -> None:
    decisions = _plan(system("l4", "a", mlps_level=4), system("l3", "a", mlps_level=3))
    assert decisions["l4"][:2] == ("retain", ["level-exceeds"])
    assert decisions["l3"][0] == "rehost"


def test_hardware_bound_stays() -> None:
    decisions = _plan(system("hsm", "a", hardware_bound=True), system("soft", "a"))
    assert decisions["hsm"][:2] == ("retain", ["hardware-bound"])
    assert decisions["soft"][0] == "rehost"


def test_latency_bound_goes_to_a_near_node_or_stays() -> None:
    near = cloud("city", "city", "990100")
    decisions = _plan(
        near, system("signals", "c", latency_bound=True), system("far", "a", latency_bound=True)
    )
    assert decisions["signals"] == ("rehost", ["latency-near-node"], "city")
    assert decisions["far"][:2] == ("retain", ["latency-bound"])


def test_recent_hardware_is_kept_until_a_date_or_relocated_out_of_a_weak_room() -> None:
    new = {"kind": "physical", "purchase_date": dt.date(2025, 10, 1)}
    decisions = _plan(
        server("n1", "a", "r", **new),
        system("kept", "a", servers=("n1",)),
        server("old", "a", "r", purchase_date=dt.date(2015, 1, 1)),
        system("moves", "a", servers=("old",)),
    )
    assert decisions["kept"][:2] == ("retain", ["sunk-cost"])
    assert decisions["moves"][0] == "rehost"
    weak = (site("w1", "a", district="海东区", racks=2), site("w2", "b", district="海东区", racks=2))
    decisions = _plan(*weak, server("n2", "a", "w1", **new), system("relocated", "a", servers=("n2",)))
    assert decisions["relocated"][:2] == ("relocate", ["sunk-cost-relocate"])


def test_end_of_life_os_or_missing_architecture_means_replatform() -> None:
    decisions = _plan(
        server("s6", "a", "r", os="CentOS 6.10"),
        system("eol", "a", servers=("s6",)),
        server("lx", "a", "r", arch="loongarch64", os="Kylin V10"),
        system("loong", "a", servers=("lx",)),
        server("ok", "a", "r", os="Kylin V10"),
        system("fine", "a", servers=("ok",)),
    )
    assert decisions["eol"][:2] == ("replatform", ["eol-os"])
    assert decisions["loong"][:2] == ("replatform", ["arch-unsupported"])
    assert decisions["fine"][0] == "rehost"


def test_tight_coupling_to_a_staying_system_keeps_both() -> None:
    decisions = _plan(
        system("secret", "a", classification="confidential"),
        system("front", "a", dependencies=(model.Dependency("secret", tight=True),)),
        system("loose", "a", dependencies=(model.Dependency("secret", tight=False),)),
    )
    assert decisions["front"][:2] == ("retain", ["rehost", "coupled"])
    assert decisions["loose"][0] == "rehost"


def test_scenario_keeps_a_department_and_forces_a_decision() -> None:
    scenario = Scenario(keep_departments=("a",), force=(("y", "retire"),))
    decisions = _plan(system("x", "a"), system("y", "b"), system("z", "b"), scenario=scenario)
    assert decisions["x"][:2] == ("retain", ["department-kept"])
    assert decisions["y"][:2] == ("retire", ["forced"])
    assert decisions["z"][0] == "rehost"


def test_capacity_limit_keeps_what_does_not_fit() -> None:
    small = model.CloudNode(
        "tiny", "tiny", "openstack", "RegionOne", (model.Zone("nova"),), 3, capacity=model.Capacity(vcpus=4)
    )
    led = ledger(
        dept("a"),
        small,
        site("r", "a"),
        server("s1", "a", "r", cpu_cores=2, cpu_p95_pct=100),
        system("first", "a", servers=("s1",)),
        server("s2", "a", "r", cpu_cores=8, cpu_p95_pct=100),
        system("second", "a", servers=("s2",)),
    )
    plan = build(led, analyse(led), PlanRules(comfort_factor=1.0))
    assert plan.decisions["first"].action == "rehost"
    assert plan.decisions["second"].action == "retain"
    assert plan.decisions["second"].reasons[-1].code == "capacity"
