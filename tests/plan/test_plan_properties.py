"""Plans always pass their verifier; the verifier catches what a plan must not do."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.analysis import analyse
from govcloud.ledger import choices, model
from govcloud.plan import PlanRules, build, verify
from govcloud.plan.placement import Placement
from tests.analysis.builders import cloud, dept, ledger, server, site, system


@st.composite
def ledgers(draw: st.DrawFn) -> model.Ledger:
    depts = [dept("p", "province"), dept("c", "city", "990100")]
    nodes = [
        model.CloudNode(
            "prov",
            "prov",
            "alicloud",
            "cn-hangzhou",
            (model.Zone("h"), model.Zone("i")),
            draw(st.integers(2, 4)),
            archs=("x86_64", "arm64"),
            capacity=model.Capacity(vcpus=draw(st.none() | st.integers(4, 400))),
        ),
        cloud("city", "city", "990100"),
    ]
    sites = [
        site(
            f"r{i}",
            draw(st.sampled_from(["p", "c"])),
            district=draw(st.sampled_from(["东", "西"])),
            racks=draw(st.integers(1, 20)),
            # room equipment (issue 25), serving no network, the private or the classified one
            equipment=tuple(
                draw(
                    st.lists(
                        st.builds(
                            model.Equipment,
                            st.sampled_from(choices.ALL["equipment_kind"].values),
                            st.integers(1, 9),
                            st.sampled_from([(), ("pn",), ("sm",), ("pn", "sm")]),
                        ),
                        max_size=2,
                    )
                )
            ),
        )
        for i in range(3)
    ]
    servers = [
        server(
            f"s{i}",
            draw(st.sampled_from(["p", "c"])),
            draw(st.sampled_from([s.id for s in sites])),
            cpu_cores=draw(st.integers(1, 64)),
            memory_gb=draw(st.integers(1, 512)),
            storage_gb=draw(st.integers(0, 20_000)),
            arch=draw(st.sampled_from(choices.ALL["cpu_arch"].values)),
            os=draw(st.sampled_from(["CentOS 6.9", "Kylin V10", None])),
            cpu_p95_pct=draw(st.none() | st.floats(0, 100)),
            mem_p95_pct=draw(st.none() | st.floats(0, 100)),
            purchase_date=draw(st.none() | st.dates(dt.date(2012, 1, 1), dt.date(2026, 6, 1))),
            kind=draw(st.sampled_from(["physical", "vm"])),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    networks = [
        model.Network("sm", "涉密网", "p", "classified"),
        model.Network("pn", "专网", "p", "private", cidrs=("10.9.0.0/16",)),
    ]
    n_systems = draw(st.integers(0, 10))
    ids = [f"y{i}" for i in range(n_systems)]
    free = [s.id for s in servers]
    systems = []
    for i, ident in enumerate(ids):
        mine = draw(st.lists(st.sampled_from(free), unique=True, max_size=3)) if free else []
        free = [s for s in free if s not in mine]
        deps = draw(st.lists(st.sampled_from(ids[:i]), unique=True, max_size=2)) if i else []
        systems.append(
            system(
                ident,
                draw(st.sampled_from(["p", "c"])),
                mlps_level=draw(st.integers(1, 4)),
                category=draw(st.sampled_from(["oa", "business", "email"])),
                classification=draw(st.sampled_from(["none", "none", "none", "secret"])),
                status=draw(st.sampled_from(["running", "running", "idle"])),
                servers=tuple(mine),
                networks=tuple(draw(st.lists(st.sampled_from(["sm", "pn"]), unique=True, max_size=1))),
                dependencies=tuple(model.Dependency(d, tight=draw(st.booleans())) for d in deps),
                latency_bound=draw(st.booleans()),
                hardware_bound=draw(st.booleans()),
                users=draw(st.none() | st.integers(0, 5000)),
                data_class=draw(st.sampled_from(["general", "important"])),
                internet_facing=draw(st.booleans()),
            )
        )
    # a type every drawn server fits, on each node and architecture (a server no type fits is
    # a verifier violation of its own, tested in test_verify_instance_type.py)
    prices = model.Prices(
        instance_types=tuple(
            model.InstanceType(node, f"big.{arch}", 128, 1024, 9000, arch=arch)
            for node in ("prov", "city")
            for arch in ("x86_64", "arm64")
        )
    )
    return ledger(*depts, *nodes, *sites, *servers, *networks, *systems, prices=prices)


rules_strategy = st.builds(
    PlanRules,
    wave_max_servers=st.integers(1, 20),
    wave_max_data_tb=st.floats(0.5, 50),
    wave_max_systems_per_department=st.integers(1, 4),
    pilot_max_systems=st.integers(1, 4),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), rules_strategy)
def test_every_plan_passes_its_verifier(led: model.Ledger, rules: PlanRules) -> None:
    plan = build(led, analyse(led), rules)
    assert verify(plan) == []
    for system_id, decision in plan.decisions.items():
        if led.systems[system_id].classified:
            assert decision.action in ("retain", "retire")
    as_is = sum(c.as_is_cny for c in plan.costs.values())
    assert abs(as_is - led.totals().yearly_cost_cny) < 0.01


def _sound_plan() -> tuple[model.Ledger, object]:
    led = ledger(
        dept("a"),
        cloud("prov"),
        site("r", "a"),
        server("s1", "a", "r"),
        system("x", "a", servers=("s1",)),
        server("s2", "a", "r"),
        system("secret", "a", servers=("s2",), classification="secret"),
        prices=model.Prices(instance_types=(model.InstanceType("prov", "ecs.g7.2xlarge", 8, 32, 664),)),
    )
    plan = build(led, analyse(led))
    assert verify(plan) == []
    return led, plan


def test_verifier_catches_a_classified_system_on_the_cloud() -> None:
    _, plan = _sound_plan()
    plan.decisions["secret"] = dataclasses.replace(plan.decisions["secret"], action="rehost", target="prov")  # type: ignore[attr-defined]
    codes = {v.code for v in verify(plan)}  # type: ignore[arg-type]
    assert "classified-moved" in codes
    assert "not-placed" in codes
    assert "no-wave" in codes


def test_verifier_catches_mlps_capacity_and_arch() -> None:
    _, plan = _sound_plan()
    plan.ledger = dataclasses.replace(  # type: ignore[attr-defined]
        plan.ledger,  # type: ignore[attr-defined]
        cloud_nodes={
            "prov": dataclasses.replace(
                cloud("prov"), certified_mlps_level=1, capacity=model.Capacity(vcpus=0)
            )
        },
    )
    plan.placements.append(Placement("s1", "x", "prov", "z", None, 1, 1, 0, 0, "loongarch64"))  # type: ignore[attr-defined]
    codes = {v.code for v in verify(plan)}  # type: ignore[arg-type]
    assert {"mlps-exceeds", "capacity", "arch-unsupported"} <= codes
