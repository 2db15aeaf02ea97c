"""The ledger summary: per-department rows add up to the region, computed independently."""

from __future__ import annotations

from govcloud.ledger import load, model
from govcloud.ledger.summary import COLUMNS, column_value, summarise, to_json
from tests.conftest import MINI


def test_rows_add_up_to_the_total_and_to_the_raw_entities() -> None:
    ledger = load(MINI).ledger
    assert ledger is not None
    summary = summarise(ledger)
    assert [r.id for r in summary.rows] == ["gat", "wjw"]
    assert sum((r.totals for r in summary.rows), model.Totals()) == summary.total
    # an independent count straight from the entities
    assert summary.total.servers == len(ledger.servers)
    assert summary.total.cores == sum(s.cpu_cores for s in ledger.servers.values())
    assert summary.total.room_cost_cny == sum(s.yearly_cost_cny for s in ledger.sites.values())
    assert (summary.cloud_nodes, summary.access_points) == (1, 1)


def test_columns_convert_units() -> None:
    totals = model.Totals(storage_gb=2048, room_cost_cny=10, line_cost_cny=5)
    assert column_value(totals, "storage_tb") == 2
    assert column_value(totals, "yearly_cost") == 15
    assert set(COLUMNS) >= {"servers", "yearly_cost"}


def test_json_is_versioned_and_names_departments() -> None:
    ledger = load(MINI).ledger
    assert ledger is not None
    payload = to_json(summarise(ledger))
    assert payload["schema_version"] == 1
    assert payload["departments"][0]["name"] == "测试省公安厅"
    assert payload["total"]["yearly_cost_cny"] == 636_000
