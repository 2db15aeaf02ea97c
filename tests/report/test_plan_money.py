"""The cash flow and the KPIs in plan.json and plan.md, with their formulas documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from govcloud.analysis import analyse
from govcloud.ledger import load
from govcloud.plan import build
from govcloud.plan.kpi import CODES
from govcloud.report import plan as report
from govcloud.samples import default_inventory

SCHEMA = json.loads((Path(report.__file__).with_name("plan.schema.json")).read_text(encoding="utf-8"))
DOCS = Path(__file__).resolve().parents[2] / "docs" / "plan.md"


def _plan():  # type: ignore[no-untyped-def]
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


def test_plan_json_has_the_cash_flow_and_every_kpi_with_its_formula() -> None:
    plan = _plan()
    data = report.to_json(plan)
    jsonschema.validate(data, SCHEMA)
    cash = data["cashflow"]
    assert len(cash["months"]) >= plan.rules.horizon_months
    assert abs(cash["months"][0]["as_is_cny"] * 12 - data["costs"]["total"]["as_is_cny"]) < 0.1  # rounding
    # the cumulative saving is the running sum of the months, and payback is where it turns
    running = 0.0
    for m in cash["months"]:
        running += m["saving_cny"]
        assert abs(running - m["cumulative_saving_cny"]) < 1.0
    payback = cash["payback"]
    assert payback is not None
    assert cash["months"][payback["months"] - 1]["month"] == payback["month"]
    assert cash["months"][payback["months"] - 1]["cumulative_saving_cny"] >= 0
    assert cash["months"][payback["months"] - 2]["cumulative_saving_cny"] < 0
    assert set(cash["funding_levels"]) == {"province", "city", "county"}
    assert cash["one_offs"]["line-exit"] == round(
        sum(e["cny"] for e in cash["contract_exits"] if e["kind"] == "line-exit"), 2
    )
    assert [k["code"] for k in data["kpis"]] == list(CODES)
    recovery = data["recovery"]
    assert recovery["systems"]
    assert all(h["ok"] for h in recovery["holds"])
    for r in recovery["systems"]:
        if r["today"]["offsite"]:
            assert r["offsite"] is not None
        if r["today"]["standby"]:
            assert r["standby"] is not None
    for k in data["kpis"]:
        assert k["formula_zh"]
        assert k["formula_en"]
        assert k["zh"] != k["code"]
        assert [t["wave"] for t in k["targets"]] == [w["number"] for w in data["waves"]]


def test_plan_md_shows_the_cash_flow_and_the_kpis_in_both_languages() -> None:
    plan = _plan()
    zh, en = report.markdown(plan, "zh"), report.markdown(plan, "en")
    assert "## 逐月现金流" in zh
    assert "## Cash flow by month" in en
    assert "## 整合指标" in zh
    assert "## Consolidation KPIs" in en
    assert "上云率" in zh
    assert "机房关停率" in zh
    assert "共享平台接入率" in zh
    assert re.search(r"净现值 [\d,-]+ 元", zh)
    assert "## 灾备" in zh
    assert "## Disaster recovery" in en
    assert "\\`" not in en  # ids in code spans are not escaped twice


def test_every_kpi_formula_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert "## KPIs" in docs
    assert "## Cash flow" in docs
    for code in CODES:
        assert f"`{code}`" in docs, code


def test_the_terminal_view_shows_the_cash_flow_and_the_kpis() -> None:
    from rich.console import Console

    console = Console(width=400, record=True)
    console.print(report.table(_plan(), "zh"))
    text = console.export_text()
    assert "净现值" in text
    assert "整合指标（现状 → 末批完成后）：上云率 0.0% → " in text
