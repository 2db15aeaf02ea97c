"""plan.json validates against its shipped schema; plan.md and the terminal view render."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from govcloud.analysis import analyse
from govcloud.ledger import load
from govcloud.outputs import json_blocks, json_bytes
from govcloud.plan import Violation, build
from govcloud.plan.placement import Placement
from govcloud.report import plan as report
from tests.conftest import MINI

SCHEMA = json.loads((Path(report.__file__).with_name("plan.schema.json")).read_text(encoding="utf-8"))


def _plan():  # type: ignore[no-untyped-def]
    ledger = load(MINI).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


def test_json_validates_and_is_stable() -> None:
    data = report.to_json(_plan())
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(data, SCHEMA)
    assert data == report.to_json(_plan())
    assert data["verified"] is True
    assert data["costs"]["total"]["as_is_cny"] == 636_000


def test_the_plan_carries_its_verification_and_every_writer_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = _plan()
    assert plan.verification == ()  # verified when it was built
    calls: list[object] = []
    monkeypatch.setattr("govcloud.plan.planner.verify", lambda p: calls.append(p) or [])
    plan.verification = (Violation("capacity", "prov", "vcpus 9 > 8"),)
    data = report.to_json(plan)
    assert data["verified"] is False
    assert data["violations"] == [{"code": "capacity", "subject": "prov", "detail": "vcpus 9 > 8"}]
    assert "计划有 1 处违反约束" in report.markdown(plan, "zh")
    console = Console(width=200, record=True)
    console.print(report.table(plan, "en"))
    assert "the plan passes its verifier" not in console.export_text()
    assert calls == []  # read from the plan, never run again


def test_markdown_and_table_in_both_languages() -> None:
    plan = _plan()
    zh = report.markdown(plan, "zh")
    en = report.markdown(plan, "en")
    assert "## 第 1 批" in zh
    assert "## wave 1" in en
    assert "计划通过校验" in zh
    console = Console(width=200, record=True)
    console.print(report.table(plan, "en"))
    text = console.export_text()
    assert "the plan passes its verifier" in text
    assert "example prices" in text


def test_a_long_plan_shows_its_first_and_last_waves_in_the_terminal() -> None:
    from govcloud.plan import PlanRules
    from govcloud.samples import default_inventory

    ledger = load(default_inventory()).ledger
    assert ledger is not None
    plan = build(ledger, analyse(ledger), PlanRules(wave_max_servers=1))
    waves = len(plan.schedule)
    assert waves > report.TABLE_WAVES
    console = Console(width=200, record=True)
    console.print(report.table(plan, "en"))
    text = console.export_text()
    assert "wave 25 " in text
    assert "wave 26 " not in text
    assert f"wave {waves} " in text
    assert f"… {waves - report.TABLE_WAVES + 1} more waves" in text
    assert f"## wave {waves - 10}" in report.markdown(plan, "en")  # plan.md has every wave


def test_the_confidence_is_rated_again_when_the_planned_systems_change() -> None:
    plan = _plan()
    first = report.confidence_json(plan)
    assert report.confidence_json(plan) == first  # asked again: the same answer
    dropped = sorted(plan.decisions)[0]
    del plan.decisions[dropped]
    again = report.confidence_json(plan)
    assert dropped in first["systems"]
    assert dropped not in again["systems"]
    assert set(again["systems"]) == set(plan.decisions)


def test_placements_are_written_as_dataclasses_asdict_writes_them() -> None:
    plan = _plan()
    placements = sorted(plan.placements, key=lambda p: p.server)
    assert placements
    assert report.to_json(plan)["placements"] == [dataclasses.asdict(p) for p in placements]
    # read as they are, not copied: so each field must stay a plain value
    for field in dataclasses.fields(Placement):
        assert all(type(getattr(p, field.name)) in (str, int, float, bool, type(None)) for p in placements)


def test_a_lazy_plan_json_has_the_same_bytes() -> None:
    plan = _plan()
    assert b"".join(json_blocks(report.to_json(plan, lazy=True))) == json_bytes(report.to_json(plan))
