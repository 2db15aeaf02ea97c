"""The cost model on departments with several items of each kind, as-is and to-be, over five years.

Every number below is worked out by hand from the ledger in ``_ledger``; a sign or a sum the
model gets wrong changes at least one of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator

import pytest

from govcloud.ledger import model
from govcloud.plan.cost import YEARS, Cost, CostInputs, costs, total
from tests.analysis.builders import dept, ledger, line, server, site, system

PRICES = model.Prices(
    extranet_mbps_month_cny=10.0,
    migration=model.MigrationPrices(per_server_cny=1000, per_tb_cny=500, per_system_cny=10_000),
)
END = model.LineEnd(address="某路 1 号")


def _ledger() -> model.Ledger:
    bought = dt.date(2024, 1, 1)  # not yet written off on 2026-06-30 (six years)
    return ledger(
        dept("a"),
        dept("b"),
        dept("c"),  # owns nothing
        site("ra", "a", yearly_cost_cny=100_000),
        site("ra2", "a", yearly_cost_cny=20_000),
        site("ra3", "a", yearly_cost_cny=7_000),
        site("rb", "b", yearly_cost_cny=50_000),
        line("la1", "a", END, END, monthly_fee_cny=1_000),
        line("la2", "a", END, END, monthly_fee_cny=500),
        line("la3", "a", END, END, monthly_fee_cny=300),
        line("lb", "b", END, END, monthly_fee_cny=2_000),
        # a: depreciation 10 000 + 20 000 + 6 000, maintenance 3 000 + 1 000 + 500
        server("sa1", "a", "ra", purchase_date=bought, purchase_value_cny=60_000, maintenance_cny=3_000),
        server("sa2", "a", "ra", purchase_date=bought, purchase_value_cny=120_000, maintenance_cny=1_000),
        server("sa5", "a", "ra", purchase_date=bought, purchase_value_cny=36_000, maintenance_cny=500),
        server("sa3", "a", "ra", storage_gb=1024),
        server("sa4", "a", "ra", storage_gb=512),
        # b: depreciation 5 000, maintenance 2 000
        server("sb1", "b", "rb", purchase_date=bought, purchase_value_cny=30_000, maintenance_cny=2_000),
        server("sb2", "b", "rb", storage_gb=2048),
        system("xa1", "a"),
        system("xa2", "a"),
        system("xb", "b"),
        prices=PRICES,
    )


def _inputs() -> CostInputs:
    inputs = CostInputs(
        open_rooms={"ra2", "ra3", "rb"},
        kept_lines={"la1", "la2", "lb"},
        running_servers={"sa1", "sa2", "sb1"},
        moving_servers={"sa3", "sa4", "sb2"},
        moving_systems={"xa1", "xa2", "xb"},
    )
    inputs.cloud_monthly_by_department["a"] += 1_000
    inputs.cloud_monthly_by_department["b"] += 250
    inputs.extranet_mbps_by_department["a"] += 100
    inputs.extranet_mbps_by_department["b"] += 50
    return inputs


#: a: rooms 127 000 + lines 21 600 + depreciation 36 000 + maintenance 4 500
AS_IS_A = 189_100.0
#: b: room 50 000 + line 24 000 + depreciation 5 000 + maintenance 2 000
AS_IS_B = 81_000.0


def test_as_is_is_the_ledgers_yearly_cost_and_nothing_else_without_a_plan() -> None:
    led = _ledger()
    out = costs(led, CostInputs())
    assert list(out) == ["a", "b", "c"]
    assert out["a"] == Cost(as_is_cny=AS_IS_A)
    assert out["b"] == Cost(as_is_cny=AS_IS_B)
    assert out["c"] == Cost()
    assert out["a"].as_is_cny == led.totals_by_department()["a"].yearly_cost_cny


def test_every_to_be_item_of_several_departments_is_added_up() -> None:
    out = costs(_ledger(), _inputs())
    assert out["a"] == Cost(
        as_is_cny=AS_IS_A,
        cloud_cny=12_000,  # 1 000 a month
        rooms_cny=27_000,  # ra2 and ra3 stay open
        lines_cny=18_000,  # la1 and la2 are kept: (1 000 + 500) × 12
        extranet_cny=12_000,  # 100 Mbps × 10 × 12
        depreciation_cny=30_000,  # sa1 and sa2 keep running
        maintenance_cny=4_000,
        one_off_cny=2 * 1000 + 1.5 * 500 + 2 * 10_000,  # two servers, 1.5 TB, two systems
        moving_servers=2,
        moving_systems=2,
        data_tb=1.5,
    )
    assert out["b"] == Cost(
        as_is_cny=AS_IS_B,
        cloud_cny=3_000,
        rooms_cny=50_000,
        lines_cny=24_000,
        extranet_cny=6_000,
        depreciation_cny=5_000,
        maintenance_cny=2_000,
        one_off_cny=1000 + 2 * 500 + 10_000,
        moving_servers=1,
        moving_systems=1,
        data_tb=2.0,
    )
    assert out["c"] == Cost()


def test_to_be_saving_and_payback() -> None:
    out = costs(_ledger(), _inputs())
    a, b, c = out["a"], out["b"], out["c"]
    assert a.to_be_cny == 12_000 + 27_000 + 18_000 + 12_000 + 30_000 + 4_000
    assert a.yearly_saving_cny == AS_IS_A - 103_000
    assert a.payback_years == pytest.approx(22_750 / 86_100)
    assert b.to_be_cny == 90_000
    assert b.yearly_saving_cny == -9_000
    assert b.payback_years is None  # costs more than it saves: never paid back
    assert c.payback_years is None


@pytest.mark.parametrize(
    ("cost", "payback"),
    [
        (Cost(as_is_cny=100, cloud_cny=100, one_off_cny=50), None),  # saves exactly nothing
        (Cost(as_is_cny=100, cloud_cny=99, one_off_cny=50), 50.0),  # saves 1 a year
        (Cost(as_is_cny=100, one_off_cny=0), 0.0),  # saves at once
        (Cost(as_is_cny=100, rooms_cny=40, lines_cny=20, one_off_cny=80), 2.0),
        (Cost(as_is_cny=100, extranet_cny=40, depreciation_cny=10, maintenance_cny=10, one_off_cny=80), 2.0),
    ],
)
def test_payback_at_the_boundary(cost: Cost, payback: float | None) -> None:
    assert cost.payback_years == payback


def test_the_five_year_curve_year_by_year() -> None:
    a = costs(_ledger(), _inputs())["a"]
    assert YEARS == 5
    assert a.five_years() == [
        {"year": y, "as_is_cny": AS_IS_A * y, "to_be_cny": 103_000.0 * y + 22_750} for y in (1, 2, 3, 4, 5)
    ]
    # the one-off is paid once, in year 1: each later year adds only the running cost
    curve = a.five_years()
    for earlier, later in itertools.pairwise(curve):
        assert later["to_be_cny"] - earlier["to_be_cny"] == a.to_be_cny
        assert later["as_is_cny"] - earlier["as_is_cny"] == a.as_is_cny


def test_total_adds_every_field_of_every_department() -> None:
    out = costs(_ledger(), _inputs())
    t = total(out.values())
    for f in dataclasses.fields(Cost):
        assert getattr(t, f.name) == getattr(out["a"], f.name) + getattr(out["b"], f.name), f.name
    assert t.as_is_cny == AS_IS_A + AS_IS_B
    assert t.to_be_cny == 103_000 + 90_000
    assert t.moving_servers == 3
    assert t.moving_systems == 3
    assert t.data_tb == 3.5
    assert total([]) == Cost()


def test_written_off_and_future_servers_cost_no_depreciation_while_running() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server(
            "old", "a", "r", purchase_date=dt.date(2019, 1, 1), purchase_value_cny=60_000, maintenance_cny=700
        ),
        server("new", "a", "r", purchase_date=dt.date(2027, 1, 1), purchase_value_cny=60_000),
        prices=PRICES,
    )
    out = costs(led, CostInputs(running_servers={"old", "new"}))["a"]
    assert (out.depreciation_cny, out.maintenance_cny) == (0.0, 700.0)


def test_operations_and_the_one_off_cost_of_retiring_and_porting_systems_are_added() -> None:
    prices = dataclasses.replace(
        PRICES,
        migration=dataclasses.replace(
            PRICES.migration, per_retired_system_cny=3_000, per_ported_system_cny=7_000
        ),
    )
    led = dataclasses.replace(_ledger(), prices=prices)
    inputs = CostInputs(retiring_systems={"xa1", "xa2"}, porting_systems={"xa1", "xb"})
    inputs.operations_by_department["a"] += 40_000
    inputs.operations_by_department["b"] += 5_000
    out = costs(led, inputs)
    assert (out["a"].operations_cny, out["a"].one_off_cny) == (40_000, 2 * 3_000 + 7_000)
    assert (out["b"].operations_cny, out["b"].one_off_cny) == (5_000, 7_000)
    assert out["a"].to_be_cny == 40_000
    assert out["a"].yearly_saving_cny == AS_IS_A - 40_000


class _Ordered(set[str]):
    """A set whose members come out sorted, forwards or backwards (a set's own order follows
    its strings' hashes, which change from one process to the next)."""

    backwards = False

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set.__iter__(self), reverse=self.backwards))


class _Backwards(_Ordered):
    backwards = True


def test_the_costs_do_not_depend_on_the_order_the_sets_come_in() -> None:
    """Floats summed in a set's order could differ in their last digit from one run to the
    next: 0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1."""
    bought = dt.date(2024, 1, 1)
    values = [0.1, 0.2, 0.3]
    servers = [
        server(
            f"s{i}",
            "a",
            "ra",
            purchase_date=bought,
            purchase_value_cny=v * 6,
            maintenance_cny=v,
            storage_gb=v,
        )
        for i, v in enumerate(values)
    ]
    region = ledger(dept("a"), site("ra", "a", yearly_cost_cny=1.0), *servers, prices=PRICES)
    ids = [s.id for s in servers]
    forwards = costs(region, CostInputs(running_servers=_Ordered(ids), moving_servers=_Ordered(ids)))
    backwards = costs(region, CostInputs(running_servers=_Backwards(ids), moving_servers=_Backwards(ids)))
    assert forwards == backwards
