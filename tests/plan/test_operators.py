"""Who runs what: operators before and after, handovers per wave, operations costs."""

from __future__ import annotations

import pytest

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import PlanRules, Scenario, build
from govcloud.plan.cashflow import cash_flow, month_index
from govcloud.plan.operators import handovers, operations
from tests.analysis.builders import dept, ledger, server, site, system

PRICES = model.Prices(
    instance_types=(model.InstanceType("prov", "big", 64, 256, 0),),
    ops_staff_fte_year_cny=100_000,
)
NODE = model.CloudNode("prov", "省政务云", "alicloud", "cn-hangzhou", (model.Zone("h"),), 3)


def _ledger() -> model.Ledger:
    return ledger(
        dept("a"),
        NODE,
        site("r", "a"),
        server("s1", "a", "r"),
        server("s2", "a", "r"),
        server("s3", "a", "r"),
        system(
            "own",
            "a",
            servers=("s1",),
            mlps_level=1,
            operator="department",
            ops_staff_fte=1.0,
            licence_cny=10_000,
        ),
        system(
            "old",
            "a",
            servers=("s2",),
            status="idle",
            operator="vendor",
            operator_name="某公司",
            ops_outsourcing_cny=80_000,
        ),
        system(
            "kept",
            "a",
            servers=("s3",),
            hardware_bound=True,
            operator="vendor",
            operator_name="某公司",
            ops_outsourcing_cny=50_000,
        ),
        prices=PRICES,
    )  # type: ignore[arg-type]


def test_operators_before_and_after_with_their_costs() -> None:
    led = _ledger()
    plan = build(led, analyse(led), PlanRules(infra_ops_share=0.5))
    ops = {op.system: op for op in operations(led, plan.decisions, plan.wave_of, plan.rules)}
    own, old, kept = ops["own"], ops["old"], ops["kept"]
    assert (own.before, own.infrastructure, own.infrastructure_name, own.application) == (
        "department",
        "ops_centre",
        "省政务云",
        "department",
    )
    assert (own.as_is_cny, own.to_be_cny) == (110_000, 60_000)  # half the staff; licences stay
    assert (old.infrastructure, old.application, old.as_is_cny, old.to_be_cny) == (None, None, 80_000, 0)
    assert (kept.before_name, kept.application_name, kept.wave, kept.to_be_cny) == (
        "某公司",
        "某公司",
        None,
        50_000,
    )
    assert {w: sorted(op.system for op in items) for w, items in handovers(list(ops.values())).items()} == {
        1: ["old", "own"]
    }


def test_operations_are_in_the_ledgers_cost_and_the_plans() -> None:
    led = _ledger()
    assert led.totals().operations_cny == 110_000 + 80_000 + 50_000
    plan = build(led, analyse(led), PlanRules(infra_ops_share=0.5))
    assert plan.total.as_is_cny == pytest.approx(led.totals().yearly_cost_cny)
    assert plan.total.operations_cny == 60_000 + 50_000
    # moving more of the work to the centre saves more
    more = build(led, analyse(led), PlanRules(infra_ops_share=1.0))
    assert more.total.operations_cny == 10_000 + 50_000


def test_operations_change_at_the_cut_over_in_the_cash_flow() -> None:
    led = _ledger()
    plan = build(led, analyse(led), PlanRules(parallel_run_months=0), Scenario())
    window = plan.schedule[0].window
    assert window is not None
    first = plan.schedule[0].window.start.replace(day=1)  # type: ignore[union-attr]
    cut = month_index(first, window.end) + 1
    months = cash_flow(plan).months
    assert months[cut - 1].opex == pytest.approx((110_000 + 80_000 + 50_000) / 12)
    assert months[cut].opex == pytest.approx((60_000 + 50_000) / 12)
