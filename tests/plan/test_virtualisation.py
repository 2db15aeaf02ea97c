"""A virtualisation platform whose VMs the ledger lists retires once its VMs have moved
(RVTools imports: ESXi hosts beside their VMs); without VMs it is planned like any system."""

from __future__ import annotations

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import build, verify
from tests.analysis.builders import cloud, dept, priced_ledger, server, site, system


def _led(with_vms: bool = True) -> model.Ledger:
    vms = [
        server(f"vm{i}", "d", "r", kind="vm", cpu_cores=2, memory_gb=4, cpu_p95_pct=40.0) for i in range(3)
    ]
    return priced_ledger(
        dept("d"), cloud("prov"), site("r", "d"),
        server("h1", "d", "r", cpu_cores=32, memory_gb=256, cpu_p95_pct=50.0),
        server("h2", "d", "r", cpu_cores=32, memory_gb=256, cpu_p95_pct=50.0),
        system("esx", "d", servers=("h1", "h2"), category="virtualisation"),
        *(vms if with_vms else []),
        *([system(f"app{i}", "d", servers=(f"vm{i}",)) for i in range(3)] if with_vms else []),
    )  # fmt: skip


def test_the_platform_retires_after_the_last_vm_of_its_rooms_has_moved() -> None:
    plan = build(_led(), analyse(_led()))
    decision = plan.decisions["esx"]
    assert decision.action == "retire"
    assert [(r.code, dict(r.params)) for r in decision.reasons] == [("virtualisation", {"vms": 3})]
    assert not [p for p in plan.placements if p.server in ("h1", "h2")]  # hosts are not migrated
    moved = [plan.wave_of[f"app{i}"] for i in range(3)]
    assert all(plan.decisions[f"app{i}"].action in ("rehost", "replatform") for i in range(3))
    assert plan.wave_of["esx"] == max(moved)
    retired_in = [e.wave.number for e in plan.schedule if "esx" in e.retired_systems]
    assert retired_in == [max(moved)]
    assert verify(plan) == []


def test_without_vms_in_its_rooms_the_platform_is_planned_like_any_system() -> None:
    plan = build(_led(with_vms=False), analyse(_led(with_vms=False)))
    assert plan.decisions["esx"].action != "retire"
    assert {p.server for p in plan.placements} == {"h1", "h2"}
