"""The as-is cost where the ledger records none: estimated from the price table's unit costs,
marked as estimated, and kept out of what the ledger does record.

Every amount is worked out by hand from the unit costs below.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from govcloud.ledger import model
from govcloud.plan.basis import ENTRIES, HOURS_PER_YEAR, basis, notes
from govcloud.plan.cost import CostInputs, costs, total
from tests.analysis.builders import cloud, dept, ledger, server, site, system

UNITS = model.AsIsPrices(
    room_year_cny=30_000,
    rack_year_cny=10_000,
    server_maintenance_year_cny=3_000,
    server_depreciation_year_cny=8_000,
    server_power_kw=0.5,
    electricity_cny_per_kwh=1.0,
    default_pue=2.0,
    vcpu_year_cny=500,
)
#: a physical server's power in a room whose cost is estimated, at the default PUE
POWER = 0.5 * 2.0 * HOURS_PER_YEAR * 1.0  # 8 760


def _unrecorded(prices: model.Prices) -> model.Ledger:
    """Two rooms and three servers, none with a cost: what an equipment list gives."""
    return ledger(
        dept("a"),
        site("r1", "a", racks=3),
        site("r2", "a", pue=1.5),
        server("p1", "a", "r1"),
        server("p2", "a", "r2"),
        server("v1", "a", "r1", kind="vm", cpu_cores=4),
        system("x", "a", servers=("p1", "p2", "v1")),
        prices=prices,
    )


def test_an_estate_without_costs_is_estimated_from_the_unit_costs() -> None:
    found = basis(_unrecorded(model.Prices(as_is=UNITS)))
    assert found.rooms == {"r1": 30_000 + 3 * 10_000, "r2": 30_000}
    assert found.servers["p1"].depreciation_cny == 8_000
    assert found.servers["p1"].upkeep_cny == 3_000 + POWER
    assert found.servers["p2"].upkeep_cny == 3_000 + 0.5 * 1.5 * HOURS_PER_YEAR  # the room's PUE
    assert found.servers["v1"].yearly_cny == 4 * 500  # per vCPU
    assert found.total_cny() == 90_000 + 2 * 11_000 + POWER + 6_570 + 2_000
    assert found.entries == ENTRIES  # every unit cost was used
    assert found.saving_known
    assert not found.unrecorded_rooms
    assert not found.unrecorded_servers


def test_without_unit_costs_nothing_is_known_and_the_saving_is_unknown() -> None:
    found = basis(_unrecorded(model.Prices()))
    assert not found.estimated
    assert found.total_cny() == 0
    assert found.unrecorded_rooms == ("r1", "r2")
    assert found.unrecorded_servers == ("p1", "p2", "v1")
    assert not found.saving_known


def test_what_the_ledger_records_is_kept_and_only_the_rest_estimated() -> None:
    bought = dt.date(2025, 1, 1)
    mixed = ledger(
        dept("a"),
        dept("b"),
        site("kept", "a", yearly_cost_cny=50_000),  # recorded: power included
        site("zero", "a", yearly_cost_cny=0.0),  # recorded as nothing: stays nothing
        site("open", "b"),
        site("node", "b", kind="cloud_node"),  # paid through the cloud's prices
        server("valued", "a", "kept", purchase_date=bought, purchase_value_cny=60_000),
        server("serviced", "a", "kept", maintenance_cny=1_200),
        server("bare", "a", "kept"),  # no cost: its room's cost includes its power
        server("vm-a", "a", "kept", kind="vm", cpu_cores=2),  # a's hosts are recorded
        server("bare-b", "b", "open"),
        server("vm-b", "b", "open", kind="vm"),  # b records no server: estimated, 1 vCPU
        server("in-cloud", "b", "node", kind="vm", cpu_cores=8),
        system("x", "a"),
        prices=model.Prices(as_is=UNITS),
    )
    found = basis(mixed)
    assert found.rooms == {"open": 30_000}
    assert found.room_cny(mixed.sites["kept"]) == 50_000
    assert found.room_cny(mixed.sites["zero"]) == 0
    assert found.room_cny(mixed.sites["node"]) == 0
    assert sorted(found.servers) == ["bare", "bare-b", "vm-b"]
    assert found.servers["bare"].yearly_cny == 11_000  # no power: the room's cost has it
    assert found.servers["bare-b"].yearly_cny == 11_000 + POWER
    assert found.servers["vm-b"].yearly_cny == 500
    assert found.by_department(mixed) == {"a": 11_000, "b": 30_000 + 11_000 + POWER + 500}


def test_the_cost_model_counts_estimates_in_as_is_and_for_what_stays_in_to_be() -> None:
    region = _unrecorded(model.Prices(as_is=UNITS))
    found = basis(region)
    inputs = CostInputs(open_rooms={"r2"}, running_servers={"p2"}, moving_servers={"p1", "v1"})
    cost = costs(region, inputs, found)["a"]
    assert cost.as_is_cny == cost.as_is_estimated_cny == found.total_cny()
    assert cost.rooms_cny == 30_000  # r2 stays open, r1 closes
    assert cost.depreciation_cny == 8_000
    assert cost.maintenance_cny == 3_000 + 0.5 * 1.5 * HOURS_PER_YEAR
    assert cost.yearly_saving_cny == 60_000 + 11_000 + POWER + 2_000 > 0
    assert total([cost, cost]).as_is_estimated_cny == 2 * found.total_cny()


def test_a_ledger_that_records_its_costs_is_not_estimated() -> None:
    bought = dt.date(2025, 1, 1)
    recorded = ledger(
        dept("a"),
        site("r", "a", yearly_cost_cny=40_000),
        server("s", "a", "r", purchase_date=bought, purchase_value_cny=60_000),
        server("v", "a", "r", kind="vm", cpu_cores=4),
        prices=model.Prices(as_is=UNITS),
    )
    found = basis(recorded)
    assert not found.estimated
    assert found.saving_known
    plain = costs(recorded, CostInputs(), found)["a"]
    assert plain.as_is_cny == recorded.totals().yearly_cost_cny == 40_000 + 10_000
    assert plain.as_is_estimated_cny == 0
    no_units = dataclasses.replace(recorded, prices=model.Prices())
    assert costs(no_units, CostInputs())["a"] == plain


def test_notes_name_the_counts_and_the_entries_in_both_languages() -> None:
    entries = ["prices.as_is.room_year_cny"]
    en = notes(60_000, entries, 2, 1, 0, 3, "en")
    assert en[0].startswith(
        "the as-is includes CNY 60,000/yr estimated (assumed, not recorded) for 2 rooms and 1 server"
    )
    assert "prices.as_is.room_year_cny" in en[0]
    assert en[1].startswith("no yearly cost is recorded for 3 servers, and")
    zh = notes(60_000, entries, 2, 1, 0, 3, "zh")
    assert "60,000 元/年为估算值" in zh[0]
    assert "2 个机房和1 台服务器" in zh[0]
    assert "prices.as_is.room_year_cny" in zh[0]
    assert "未计入现状成本" in zh[1]
    assert notes(0, [], 0, 0, 0, 0, "en") == []


def test_a_cloud_node_room_is_never_estimated() -> None:
    region = ledger(
        dept("a"),
        cloud(),
        site("node", "a", kind="cloud_node"),
        server("s", "a", "node"),
        prices=model.Prices(as_is=UNITS),
    )
    found = basis(region)
    assert not found.estimated
    assert not found.unrecorded_rooms
    assert not found.unrecorded_servers
    assert found.saving_known  # nothing is missing
