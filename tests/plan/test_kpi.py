"""The KPIs of consolidation: baselines from the ledger, a target after every wave."""

from __future__ import annotations

import pytest

from govcloud.analysis import analyse
from govcloud.ledger import load, model
from govcloud.plan import PlanRules, build
from govcloud.plan.cashflow import cash_flow
from govcloud.plan.kpi import CODES, indicators
from govcloud.samples import default_inventory
from tests.analysis.builders import dept, ledger, line, server, site, system

PRICES = model.Prices(instance_types=(model.InstanceType("prov", "small", 64, 256, 100),))
NODE = model.CloudNode("prov", "prov", "alicloud", "cn-hangzhou", (model.Zone("h"),), 3)


def _ledger() -> model.Ledger:
    ap = model.AccessPoint("ap", "ap", 1000)
    to_ap = model.LineEnd(access_point="ap")
    return ledger(
        dept("a"),
        dept("b", level="city"),
        NODE,
        ap,
        site("r1", "a", yearly_cost_cny=1000),
        site("r2", "a", yearly_cost_cny=1000),
        site("r3", "b", yearly_cost_cny=1000),
        server("s1", "a", "r1"),
        server("s2", "a", "r2"),
        server("s3", "b", "r3"),
        system("low", "a", servers=("s1",), mlps_level=1),
        system("high", "a", servers=("s2",), mlps_level=3, data_class="core"),
        system("secret", "b", servers=("s3",), classification="secret"),
        line("la", "a", model.LineEnd(site="r1"), to_ap, bandwidth_mbps=100),
        line("lb", "a", model.LineEnd(site="r2"), to_ap, bandwidth_mbps=50),
        prices=PRICES,
    )  # type: ignore[arg-type]


def _kpis(led: model.Ledger, rules: PlanRules | None = None):  # type: ignore[no-untyped-def]
    plan = build(led, analyse(led), rules)
    return plan, {k.code: k for k in indicators(plan, cash_flow(plan))}


def test_rates_have_a_baseline_and_a_target_per_wave() -> None:
    plan, kpis = _kpis(_ledger())
    assert [e.wave.systems for e in plan.schedule] == [["low"], ["high"]]
    assert list(kpis) == list(CODES)

    def values(code: str) -> tuple[float | None, list[float | None]]:
        k = kpis[code]
        return k.baseline.value, [v.value for v in k.targets]

    # the classified system is out of scope: two systems can move
    assert values("cloud_rate") == (0, [0.5, 1.0])
    assert values("room_closure_rate") == (0, [pytest.approx(1 / 3), pytest.approx(2 / 3)])
    assert values("line_consolidation_rate") == (0, [0.5, 1.0])
    # department b has no extranet link and nothing that moves
    assert values("extranet_department_coverage") == (0.5, [0.5, 0.5])
    assert values("extranet_mbps") == (150, [150, 150])
    assert values("duplicates_retired") == (0, [0, 0])
    assert kpis["shared_platform_rate"].baseline.value is None  # no duplicates: a rate over nothing
    assert all(k.achieved is None for k in kpis.values())  # no progress recorded


def test_the_yearly_cost_falls_to_the_run_rate_after_the_last_wave() -> None:
    led = _ledger()
    plan, kpis = _kpis(led)
    cost = kpis["yearly_cost_cny"]
    assert cost.baseline.value == pytest.approx(led.totals().yearly_cost_cny)
    last = cash_flow(plan).months[-1]
    assert cost.targets[-1].value == pytest.approx((last.opex + last.depreciation) * 12)


def test_on_the_sample_every_kpi_moves_the_right_way() -> None:
    led = load(default_inventory()).ledger
    assert led is not None
    plan, kpis = _kpis(led)
    for code in ("cloud_rate", "room_closure_rate", "line_consolidation_rate", "duplicates_retired"):
        targets = [v.value for v in kpis[code].targets]
        assert targets == sorted(targets), code  # cumulative: never falls
        assert targets[-1] > (kpis[code].baseline.value or 0), code
    retired = sum(1 for d in plan.decisions.values() if d.action == "retire" and d.platform)
    assert kpis["duplicates_retired"].targets[-1].value == retired
    assert kpis["yearly_cost_cny"].targets[-1].value < kpis["yearly_cost_cny"].baseline.value  # type: ignore[operator]
