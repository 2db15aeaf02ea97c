"""The analysis as JSON (validated against its shipped schema), table and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from rich.console import Console

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.report import analysis as report
from tests.analysis.builders import dept, ledger, line, site, system

SCHEMA = report.schema()


def _ledger() -> model.Ledger:
    ap = model.AccessPoint("ap", "接入点", 1000)
    return ledger(
        dept("a", name="甲局 [bold]*x*[/bold]"),
        dept("b"),
        ap,
        site("ra", "a", address="同一栋楼"),
        site("rb", "b", address="同一栋楼"),
        line("la", "a", model.LineEnd(site="ra"), model.LineEnd(access_point="ap"), monthly_fee_cny=1000),
        line("lb", "b", model.LineEnd(site="rb"), model.LineEnd(access_point="ap"), monthly_fee_cny=1000),
        system("oa-a", "a", category="oa", name="OA | 管道"),
        system("oa-b", "b", category="oa"),
    )


def test_json_validates_against_the_shipped_schema() -> None:
    led = _ledger()
    data = report.to_json(analyse(led), led)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(data, SCHEMA)
    assert data["totals"]["candidates"] == 2
    assert data["totals"]["by_kind"]["parallel-lines"]["candidates"] == 1
    assert data["findings"][0]["reason"]["zh"]


def test_markdown_escapes_inventory_text() -> None:
    led = _ledger()
    text = report.markdown(analyse(led), led, "zh")
    assert "甲局 \\[bold\\]\\*x\\*\\[/bold\\]" in text
    assert "OA | 管道" not in text


def test_table_shows_inventory_text_literally() -> None:
    led = _ledger()
    console = Console(width=250, record=True)
    console.print(report.table(analyse(led), led, "en"))
    out = console.export_text()
    assert "[bold]*x*[/bold]" in out  # not interpreted as rich markup
    assert "parallel dedicated lines" in out


def test_empty_analysis_says_so() -> None:
    led = ledger(dept("a"))
    console = Console(width=120, record=True)
    console.print(report.table(analyse(led), led, "zh"))
    assert "未发现重复建设" in console.export_text()


def test_cited_records_name_files_relative_to_the_inventory(tmp_path: Path) -> None:
    import shutil

    from govcloud.ledger import load
    from govcloud.samples import default_inventory

    elsewhere = tmp_path / "别处" / "海岳省台账"
    shutil.copytree(default_inventory(), elsewhere)
    texts = []
    for root in (default_inventory(), elsewhere):
        led = load(root).ledger  # made relative once, when loaded: nothing passes the root on
        assert led is not None
        texts.append(json.dumps(report.to_json(analyse(led), led), ensure_ascii=False))
    assert texts[0] == texts[1]  # where the inventory sits does not show in the output
    records = [r for f in json.loads(texts[0])["findings"] for r in f["evidence"].get("records", [])]
    assert records
    assert all(r["file"].startswith("departments/") for r in records)
