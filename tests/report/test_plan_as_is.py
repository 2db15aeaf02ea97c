"""A ledger that records no yearly cost (an equipment list): `govcloud plan` estimates today's
cost from the price table's unit costs and says so in plan.json, plan.md, the terminal and the
report, in both languages; without unit costs it says the saving is unknown, never negative."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.ledger import model
from govcloud.ledger.dump import single_document
from govcloud.report.plan import PLAN_SCHEMA_VERSION
from tests.analysis.builders import cloud, dept, ledger, server, site, system
from tests.conftest import sample_planned

SCHEMA = json.loads((Path(__file__).parents[2] / "govcloud/report/plan.schema.json").read_text("utf-8"))
UNITS = model.AsIsPrices(
    room_year_cny=30_000, server_maintenance_year_cny=3_000, server_depreciation_year_cny=8_000
)


def _region(units: model.AsIsPrices, **room: Any) -> model.Ledger:
    types = (model.InstanceType("cloud", "c.2x4", 2, 4, 100),)
    return ledger(
        dept("a"),
        cloud(),
        site("r1", "a", **room),
        server("s1", "a", "r1", cpu_cores=2, memory_gb=4, storage_gb=100),
        server("s2", "a", "r1", cpu_cores=2, memory_gb=4, storage_gb=100),
        system("x1", "a", servers=("s1",)),
        system("x2", "a", servers=("s2",)),
        prices=model.Prices(instance_types=types, as_is=units),
    )


def _plan(tmp_path: Path, region: model.Ledger, lang: str) -> tuple[dict[str, Any], str, str, str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "ledger.yaml"
    source.write_text(yaml.safe_dump(single_document(region), allow_unicode=True), encoding="utf-8")
    out = tmp_path / f"out-{lang}"
    result = CliRunner().invoke(cli, ["plan", str(source), "--out", str(out), "--lang", lang, "--no-cache"])
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "plan.json").read_text("utf-8"))
    jsonschema.validate(plan, SCHEMA)
    md = (out / "plan.md").read_text("utf-8")
    html = (out / "report.html").read_text("utf-8")
    return plan, md, html, " ".join(result.output.split())


def test_an_estate_without_costs_gets_an_estimated_as_is_and_a_saving(tmp_path: Path) -> None:
    plan, md, html, said = _plan(tmp_path, _region(UNITS), "en")
    total = plan["costs"]["total"]
    assert total["as_is_cny"] == total["as_is_estimated_cny"] == 30_000 + 2 * 11_000
    assert total["to_be"]["rooms_cny"] == 0
    assert total["to_be"]["cloud_cny"] > 0
    assert total["yearly_saving_cny"] == 52_000 - total["to_be_cny"] > 0
    basis = plan["as_is_basis"]
    assert basis["rooms"] == {"r1": 30_000}
    assert basis["servers"] == {"s1": 11_000, "s2": 11_000}
    assert basis["entries"] == [
        "prices.as_is.room_year_cny",
        "prices.as_is.server_maintenance_year_cny",
        "prices.as_is.server_depreciation_year_cny",
    ]
    assert basis["saving_known"]
    assert plan["cashflow"]["npv_cny"] > 0
    note = "the as-is includes CNY 52,000/yr estimated (assumed, not recorded) for 1 room and 2 servers"
    assert note in said
    assert note in md
    assert note in html
    assert "rooms, lines, depreciation and maintenance; 52,000 of it estimated" in html  # at a glance
    kpi = next(k for k in plan["kpis"] if k["code"] == "yearly_cost_cny")
    assert kpi["baseline"]["value"] == 52_000


def test_the_chinese_outputs_say_it_too(tmp_path: Path) -> None:
    plan, md, html, said = _plan(tmp_path, _region(UNITS), "zh")
    note = "现状成本中有 52,000 元/年为估算值（假设，非台账记录）：1 个机房和2 台服务器台账未记录费用"
    assert note in said
    assert note in md
    assert note in html
    assert f"年节约 {plan['costs']['total']['yearly_saving_cny']:,.0f} 元" in said


def test_a_recorded_room_keeps_its_cost(tmp_path: Path) -> None:
    plan, _md, _, said = _plan(tmp_path, _region(UNITS, yearly_cost_cny=100_000.0), "en")
    assert plan["as_is_basis"]["rooms"] == {}
    assert plan["costs"]["total"]["as_is_cny"] == 100_000 + 2 * 11_000  # servers estimated only
    assert "estimated (assumed, not recorded) for 2 servers whose cost" in said


def test_without_unit_costs_the_saving_is_unknown_not_negative(tmp_path: Path) -> None:
    plan, md, html, said = _plan(tmp_path, _region(model.AsIsPrices()), "en")
    total = plan["costs"]["total"]
    assert total["as_is_cny"] == 0
    assert total["yearly_saving_cny"] is None
    assert total["payback_years"] is None
    assert plan["cashflow"]["npv_cny"] is None
    assert plan["cashflow"]["payback"] is None
    assert not plan["as_is_basis"]["saving_known"]
    assert plan["as_is_basis"]["unrecorded_rooms"] == ["r1"]
    negative = f"-{total['to_be_cny']:,.0f}"
    assert "as-is unknown" in said
    assert "saving unknown" in said
    assert negative not in said
    assert "net present value and payback unknown" in said
    assert "no yearly cost is recorded for 1 room and 2 servers" in md
    assert "the ledger records no cost of today&#39;s estate" in html  # at a glance, escaped
    assert negative not in md
    assert negative not in html
    kpi = next(k for k in plan["kpis"] if k["code"] == "yearly_cost_cny")
    assert kpi["baseline"]["value"] is None


def test_the_sample_records_its_costs_and_names_the_few_it_does_not() -> None:
    from govcloud.report.plan import to_json

    plan = sample_planned().plan
    found = to_json(plan)
    assert found["schema_version"] == PLAN_SCHEMA_VERSION == 2
    jsonschema.validate(found, SCHEMA)
    basis = found["as_is_basis"]
    assert basis["rooms"] == {}
    assert basis["servers"] == {}
    assert basis["saving_known"]
    assert basis["unrecorded_rooms"] == ["hy-wjw-room1-old"]  # the room recorded twice
    total = found["costs"]["total"]
    assert total["as_is_estimated_cny"] == 0
    assert total["as_is_cny"] == round(plan.ledger.totals().yearly_cost_cny, 2)


@pytest.mark.parametrize("version", [1, 3])
def test_diff_refuses_another_schema_version(tmp_path: Path, version: int) -> None:
    from govcloud.plan import diff
    from govcloud.report.plan import to_json

    other = tmp_path / "plan.json"
    other.write_text(json.dumps(to_json(sample_planned().plan) | {"schema_version": version}), "utf-8")
    with pytest.raises(diff.PlanFileError) as caught:
        diff.read(other)
    assert "schema version 2" in caught.value.render("en")


def test_an_estimate_is_never_a_recorded_value() -> None:
    """The model keeps "not recorded" apart from a recorded nothing."""
    room = site("r", "a")
    assert room.yearly_cost_cny is None
    assert dataclasses.replace(room, yearly_cost_cny=0.0).yearly_cost_cny == 0.0


def test_diff_of_an_unknown_saving_says_so_rather_than_subtracting(tmp_path: Path) -> None:
    _plan(tmp_path / "known", _region(UNITS), "en")
    _plan(tmp_path / "unknown", _region(model.AsIsPrices()), "en")
    plans = [str(tmp_path / name / "out-en" / "plan.json") for name in ("known", "unknown")]

    def diff(*options: str) -> str:
        result = CliRunner().invoke(cli, ["diff", *plans, "--lang", "en", *options])
        assert result.exit_code == 0, result.output
        return result.stdout

    costs = json.loads(diff("--format", "json"))["costs"]
    assert costs["yearly_saving_cny"]["after"] is None
    assert costs["yearly_saving_cny"]["change"] is None
    assert costs["npv_cny"] == {"before": costs["npv_cny"]["before"], "after": None, "change": None}
    assert costs["as_is_estimated_cny"]["change"] == -52_000
    assert "estimated part of the as-is yearly cost" in diff()
