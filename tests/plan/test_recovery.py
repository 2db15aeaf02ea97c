"""Disaster recovery planned per system, on ledgers whose answers are known by hand."""

from __future__ import annotations

import pytest

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import PlanRules, Scenario, build, verify
from govcloud.plan.recovery import holds, paired_zone, plan_recovery, standby_mode
from tests.analysis.builders import dept, ledger, server, site, system

PRICES = model.Prices(instance_types=(model.InstanceType("prov", "big", 64, 256, 100),))


def _node(**kw: object) -> model.CloudNode:
    zones = (model.Zone("h", recovery_zone="i"), model.Zone("i", recovery_zone="h"), model.Zone("j"))
    return model.CloudNode("prov", "prov", "alicloud", "cn-hangzhou", zones, 3, **kw)  # type: ignore[arg-type]


def _plan(*systems: model.System, node: model.CloudNode | None = None, **scenario: object):  # type: ignore[no-untyped-def]
    servers = [server(s, "a", "r") for sys in systems for s in sys.servers]
    led = ledger(
        dept("a"),
        node or _node(recovery_region="cn-shanghai"),
        site("r", "a"),
        site("idc", "a"),
        *servers,
        *systems,
        prices=PRICES,
    )  # type: ignore[arg-type]
    return build(led, analyse(led), PlanRules(), Scenario(**scenario))  # type: ignore[arg-type]


def test_an_off_site_backup_today_gets_an_off_site_copy_at_its_rpo() -> None:
    plan = _plan(
        system("x", "a", servers=("s1",), mlps_level=2, rpo_hours=4, backup=model.Backup(offsite=True))
    )
    [r] = plan_recovery(plan)
    assert (r.offsite, r.offsite_region, r.copy_every_hours) == ("region:cn-shanghai", "cn-shanghai", 4)
    assert r.rpo_met
    assert r.standby is None


def test_level_three_needs_an_off_site_copy_and_a_paired_node_is_preferred() -> None:
    pair = model.CloudNode("dr", "dr", "alicloud", "cn-shanghai", (model.Zone("z"),), 3, kind="city")
    node = _node(recovery_node="dr", recovery_region="cn-beijing")
    led = ledger(
        dept("a"),
        node,
        pair,
        site("r", "a"),
        server("s1", "a", "r"),
        system("x", "a", servers=("s1",), mlps_level=3),
        prices=PRICES,
    )  # type: ignore[arg-type]
    plan = build(led, analyse(led), PlanRules(), Scenario(force=(("x", "rehost"),)))
    [r] = [r for r in plan_recovery(plan) if r.system == "x"]
    assert r.offsite == f"node:{pair.id}"
    # a pair certified below the system's level is not used
    low = model.CloudNode("dr", "dr", "alicloud", "cn-shanghai", (model.Zone("z"),), 2, kind="city")
    led = ledger(
        dept("a"),
        node,
        low,
        site("r", "a"),
        server("s1", "a", "r"),
        system("x", "a", servers=("s1",), mlps_level=3),
        prices=PRICES,
    )  # type: ignore[arg-type]
    plan = build(led, analyse(led), PlanRules(), Scenario(force=(("x", "rehost"),)))
    assert [r.offsite for r in plan_recovery(plan) if r.system == "x"] == ["region:cn-beijing"]


def test_no_recovery_site_is_a_problem() -> None:
    plan = _plan(system("x", "a", servers=("s1",), backup=model.Backup(offsite=True)), node=_node())
    [r] = plan_recovery(plan)
    assert r.offsite is None
    assert r.problems == ("no-recovery-site",)


@pytest.mark.parametrize(
    ("level", "data", "ha", "rto", "expected"),
    [
        (2, "general", "hot", None, "hot"),
        (2, "general", "cold", None, "cold"),
        (3, "important", None, None, "hot"),
        (3, "core", "cold", None, "hot"),
        (2, "important", None, None, None),
        (2, "general", None, 2.0, "hot"),
        (2, "general", None, 8.0, "cold"),
        (2, "general", "none", 24.0, None),
    ],
)
def test_standby_mode(level: int, data: str, ha: str | None, rto: float | None, expected: str | None) -> None:
    assert standby_mode(level, data, ha, rto) == expected


def test_a_standby_goes_to_the_paired_zone_of_its_server() -> None:
    node = _node()
    assert paired_zone(node, "h") == "i"
    assert paired_zone(node, "i") == "h"
    assert paired_zone(node, "j") == "h"  # no pair: the next other zone
    one = model.CloudNode("one", "one", "openstack", "RegionOne", (model.Zone("nova"),), 2)
    assert paired_zone(one, "nova") == "nova"
    plan = _plan(system("x", "a", servers=("s1",), ha="hot", rpo_hours=0.5))
    [r] = plan_recovery(plan)
    assert (r.standby, r.standby_zone, r.rpo_met) == ("hot", "i", True)  # hot replication meets any RPO
    cold = _plan(system("x", "a", servers=("s1",), ha="cold", rpo_hours=0.5))
    assert plan_recovery(cold)[0].problems == ("rpo-not-met",)


def test_the_room_holding_the_only_recovery_copy_stays_until_the_replacement_is_live() -> None:
    copy_in_idc = model.Backup(offsite=True, site="idc")
    systems = (
        system("early", "a", servers=("s1",), mlps_level=1),
        system("late", "a", servers=("s2",), mlps_level=3, data_class="core", backup=copy_in_idc),
    )
    led = ledger(
        dept("a"),
        _node(recovery_region="cn-shanghai"),
        site("r", "a"),
        site("idc", "a"),
        server("s1", "a", "idc"),
        server("s2", "a", "r"),
        *systems,
        prices=PRICES,
    )  # type: ignore[arg-type]
    plan = build(led, analyse(led))
    waves = {s: e.wave.number for e in plan.schedule for s in e.wave.systems}
    closes = {room: e.wave.number for e in plan.schedule for room in e.closed_rooms}
    assert waves["early"] < waves["late"]
    # the idc would close after "early" leaves, but holds "late"'s copy until "late" is live
    assert closes["idc"] == waves["late"]
    assert all(h.ok for h in holds(plan))
    # a system that stays keeps its recovery room open for good
    kept = build(led, analyse(led), PlanRules(), Scenario(force=(("late", "retain"),)))
    assert "idc" not in {room for e in kept.schedule for room in e.closed_rooms}
    assert verify(plan) == []
    assert verify(kept) == []
    # the verifier checks it on its own: a plan that closes the room early is caught
    for entry in plan.schedule:
        entry.closed_rooms = [r for r in entry.closed_rooms if r != "idc"]
    plan.schedule[0].closed_rooms.append("idc")
    first = plan.schedule[0].wave.number
    assert [(v.code, v.subject, v.detail) for v in verify(plan)] == [
        ("recovery-room-closed", "late", f"idc after wave {first}")
    ]


def test_only_copies_the_stacks_can_send_count_as_off_site() -> None:
    # an OpenStack node cannot copy snapshots to a region, and nothing can send to an OpenStack pair
    city = model.CloudNode(
        "prov", "prov", "openstack", "RegionOne", (model.Zone("nova"),), 3, recovery_region="r2"
    )
    plan = _plan(system("x", "a", servers=("s1",), backup=model.Backup(offsite=True)), node=city)
    assert plan_recovery(plan)[0].problems == ("no-recovery-site",)
    pair = model.CloudNode("dr", "dr", "openstack", "RegionTwo", (model.Zone("z"),), 3, kind="city")
    node = _node(recovery_node="dr")
    led = ledger(
        dept("a"),
        node,
        pair,
        site("r", "a"),
        server("s1", "a", "r"),
        system("x", "a", servers=("s1",), mlps_level=3),
        prices=PRICES,
    )  # type: ignore[arg-type]
    plan = build(led, analyse(led), PlanRules(), Scenario(force=(("x", "rehost"),)))
    assert [r.problems for r in plan_recovery(plan) if r.system == "x"] == [("no-recovery-site",)]
