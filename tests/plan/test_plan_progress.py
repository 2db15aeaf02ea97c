"""The plan follows progress: wave 1 recorded as done in the ledger, a re-plan keeps it as it
was (its stack byte for byte), plans only what remains and starts after it."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from markupsafe import escape

from govcloud.analysis import analyse
from govcloud.cli import cli
from govcloud.ledger import load, model
from govcloud.ledger.dump import write_layout
from govcloud.plan import MOVING, Plan, PlanRules, build, verify
from govcloud.plan.progress import Progress
from govcloud.samples import default_inventory
from govcloud.stacks import build_stacks
from govcloud.stacks.emit import stack_files
from tests.plan.test_plan_properties import ledgers, rules_strategy


def _plan(ledger: model.Ledger) -> Plan:
    return build(ledger, analyse(ledger))


@functools.cache
def _sample() -> model.Ledger:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return ledger


def record_wave(ledger: model.Ledger, plan: Plan, number: int) -> model.Ledger:
    """The ledger with everything wave ``number`` of ``plan`` does recorded as done on its last day."""
    entry = next(e for e in plan.schedule if e.wave.number == number)
    assert entry.window is not None
    day = entry.window.end
    systems = dict(ledger.systems)
    for system_id in entry.wave.systems:
        target = plan.decisions[system_id].target
        systems[system_id] = dataclasses.replace(
            systems[system_id], migrated_on=day, migrated_to=target, wave=number
        )
    for system_id in entry.retired_systems:
        systems[system_id] = dataclasses.replace(systems[system_id], retired_on=day, wave=number)
    sites = {
        k: dataclasses.replace(v, closed_on=day) if k in entry.closed_rooms else v
        for k, v in ledger.sites.items()
    }
    lines = {
        k: dataclasses.replace(v, cancelled_on=day) if k in entry.cancelled_lines else v
        for k, v in ledger.lines.items()
    }
    networks = {
        k: dataclasses.replace(v, cut_over_on=day) if k in entry.cutover_networks else v
        for k, v in ledger.networks.items()
    }
    return dataclasses.replace(ledger, systems=systems, sites=sites, lines=lines, networks=networks)


def _wave_stacks(plan: Plan, number: int) -> dict[str, str]:
    files = stack_files(build_stacks(plan))
    return {k: v for k, v in files.items() if k.split("/")[0].endswith(f"-wave{number}")}


def test_a_replan_keeps_the_done_wave_and_its_stack_byte_for_byte(tmp_path: Path) -> None:
    ledger = _sample()
    before = _plan(ledger)
    wave1 = before.schedule[0]
    assert wave1.wave.pilot
    # the record goes through the files people keep: written out and read back
    write_layout(record_wave(ledger, before, 1), tmp_path)
    recorded = load(tmp_path).ledger
    assert recorded is not None
    after = _plan(recorded)
    assert verify(after) == []
    kept = after.schedule[0]
    assert kept.wave.number == 1
    assert kept.wave.systems == wave1.wave.systems
    assert sorted(kept.retired_systems) == sorted(wave1.retired_systems)
    assert sorted(kept.closed_rooms) == sorted(wave1.closed_rooms)
    assert sorted(kept.cancelled_lines) == sorted(wave1.cancelled_lines)
    assert sorted(kept.cutover_networks) == sorted(wave1.cutover_networks)
    assert kept.window is not None
    assert wave1.window is not None
    assert kept.window.end == wave1.window.end
    # the wave-1 stacks are the very same bytes
    old_stacks = _wave_stacks(before, 1)
    assert old_stacks
    assert _wave_stacks(after, 1) == old_stacks
    # the rest starts after wave 1: numbered on, no second pilot, nothing moved twice
    rest = after.schedule[1:]
    assert [e.wave.number for e in rest] == list(range(2, len(rest) + 2))
    assert not any(e.wave.pilot for e in rest)
    assert all(e.window is not None and e.window.start > wave1.window.end for e in rest)
    done = set(wave1.wave.systems) | set(wave1.retired_systems)
    assert not done & {s for e in rest for s in (*e.wave.systems, *e.retired_systems)}
    assert not set(wave1.closed_rooms) & {r for e in rest for r in e.closed_rooms}
    # what was planned for later is still planned
    planned_later = {s for e in before.schedule[1:] for s in e.wave.systems}
    assert planned_later == {s for e in rest for s in e.wave.systems}
    for system_id in wave1.wave.systems:
        decision = after.decisions[system_id]
        assert decision.action in MOVING
        assert decision.reasons[-1].code == "progress-migrated"


def test_a_second_replan_with_nothing_new_is_the_same_plan(tmp_path: Path) -> None:
    ledger = _sample()
    recorded = record_wave(ledger, _plan(ledger), 1)
    a = _plan(recorded)
    b = _plan(recorded)
    assert [(e.wave.number, e.wave.systems) for e in a.schedule] == [
        (e.wave.number, e.wave.systems) for e in b.schedule
    ]


def test_progress_reads_the_records() -> None:
    ledger = _sample()
    plan = _plan(ledger)
    progress = Progress.of(record_wave(ledger, plan, 1))
    assert progress.done_waves == [1]
    assert progress.next_wave == 2
    entry = plan.schedule[0]
    assert entry.window is not None
    assert set(progress.migrated) == set(entry.wave.systems)
    assert set(progress.retired) == set(entry.retired_systems)
    assert progress.wave_on(entry.window.end) == 1
    assert progress.wave_on(entry.window.end.replace(year=entry.window.end.year + 1)) == 1
    assert Progress.of(ledger).done_waves == []
    assert Progress.of(ledger).next_wave == 1
    assert Progress.of(ledger).wave_on(entry.window.end) is None


def test_from_the_command_line_wave_1_done_then_replan_status_and_stacks_diff(tmp_path: Path) -> None:
    """The ops team's loop: plan, apply wave 1 and record it in the ledger, plan again; the
    applied wave's stacks do not change and `govcloud status` shows the wave done."""
    ledger = _sample()
    before = _plan(ledger)
    ledger_dir = tmp_path / "台账"
    write_layout(record_wave(ledger, before, 1), ledger_dir)
    first, second = tmp_path / "第一次", tmp_path / "第二次"
    assert _run("plan", str(default_inventory()), "--out", str(first), "--lang", "en")[0] == 0
    assert _run("plan", str(ledger_dir), "--out", str(second), "--lang", "en")[0] == 0
    code, out = _run(
        "stacks",
        "diff",
        str(first / "stacks" / "haiyue"),
        str(second / "stacks" / "haiyue"),
        "--format",
        "json",
    )
    assert code == 0
    changed = json.loads(out)["stacks"]
    wave1 = {p.name for p in (first / "stacks" / "haiyue").glob("*-wave1")}
    assert wave1
    assert not wave1 & set(changed)
    for name in wave1:
        for file in (first / "stacks" / "haiyue" / name).iterdir():
            assert (second / "stacks" / "haiyue" / name / file.name).read_bytes() == file.read_bytes()
    # the report's wave cards carry each wave's runbook
    html = (first / "report.html").read_text(encoding="utf-8")
    first_plan = json.loads((first / "plan.json").read_text(encoding="utf-8"))
    assert html.count('<details class="runbook">') == len(first_plan["waves"])
    assert str(escape(first_plan["waves"][0]["runbook"][0]["en"])) in html
    plan_json = json.loads((second / "plan.json").read_text(encoding="utf-8"))
    assert plan_json["waves"][0]["id"] == "wave1"
    assert plan_json["waves"][0]["done"] is True
    assert plan_json["waves"][1]["start"] > plan_json["waves"][0]["end"]
    assert not any(w["pilot"] for w in plan_json["waves"][1:])
    code, out = _run("status", str(ledger_dir), "--format", "json")
    assert code == 0
    waves = json.loads(out)["waves"]
    assert waves[0]["state"] == "done"
    assert waves[0]["done"] == waves[0]["planned"]
    assert all(w["state"] == "planned" for w in waves[1:])
    # measured against the plan the work started from, wave 1 is done too
    code, out = _run("status", str(ledger_dir), "--plan", str(first / "plan.json"), "--format", "json")
    assert code == 0
    assert json.loads(out)["waves"][0]["state"] == "done"
    code, out = _run("status", str(ledger_dir), "--lang", "zh")
    assert code == 0
    assert "已完成" in out
    assert "计划中" in out


def test_status_shows_the_kpis_achieved_from_the_progress_records(tmp_path: Path) -> None:
    """Nothing recorded: no KPI is achieved yet; wave 1 recorded: what it did is achieved,
    counted like the plan's target after wave 1, in the JSON and the text."""
    code, out = _run("status", str(default_inventory()), "--format", "json")
    assert code == 0
    kpis = {k["code"]: k for k in json.loads(out)["kpis"]}
    assert all(k["achieved"] is None for k in kpis.values())
    assert kpis["room_closure_rate"]["target"]["value"] > kpis["room_closure_rate"]["baseline"]["value"]
    ledger = _sample()
    before = _plan(ledger)
    entry = before.schedule[0]
    ledger_dir = tmp_path / "台账"
    write_layout(record_wave(ledger, before, 1), ledger_dir)
    code, out = _run("status", str(ledger_dir), "--format", "json")
    assert code == 0
    kpis = {k["code"]: k for k in json.loads(out)["kpis"]}
    cloud_rooms = {s.id for s in ledger.sites.values() if s.kind == "cloud_node"}
    closed = [r for r in entry.closed_rooms if r not in cloud_rooms]
    assert kpis["room_closure_rate"]["achieved"]["numerator"] == len(closed)
    assert kpis["line_consolidation_rate"]["achieved"]["numerator"] == len(entry.cancelled_lines)
    moved = kpis["cloud_rate"]
    assert moved["achieved"]["numerator"] == moved["baseline"]["numerator"] + len(
        [s for s in entry.wave.systems if s in ledger.systems and not ledger.systems[s].classified]
    )
    assert moved["achieved"]["numerator"] > moved["baseline"]["numerator"]
    code, out = _run("status", str(ledger_dir), "--lang", "zh")
    assert code == 0
    assert "整合指标" in out
    assert "尚无进度记录" not in out


def test_status_refuses_a_file_that_is_not_a_plan(tmp_path: Path) -> None:
    bad = tmp_path / "计划.json"
    bad.write_text("{}", encoding="utf-8")
    code, _ = _run("status", str(default_inventory()), "--plan", str(bad), "--lang", "en")
    assert code == 2


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), rules_strategy)
def test_any_plan_replanned_after_its_first_wave_keeps_it(led: model.Ledger, rules: PlanRules) -> None:
    """Generated ledgers: record wave 1 as done, re-plan; wave 1 is as it was, nothing of it
    is planned again, the rest comes after it, and the re-plan passes its verifier."""
    before = build(led, analyse(led), rules)
    first = before.schedule[0]
    if not first.wave.systems and not first.retired_systems:
        return
    after = build(record_wave(led, before, 1), analyse(led), rules)
    kept = after.schedule[0]
    assert kept.wave.number == 1
    assert kept.wave.systems == first.wave.systems
    assert sorted(kept.retired_systems) == sorted(first.retired_systems)
    assert sorted(kept.closed_rooms) == sorted(first.closed_rooms)
    mine = {p.server: p for p in before.placements if p.system in first.wave.systems}
    assert {p.server: p for p in after.placements if p.system in first.wave.systems} == mine
    done = set(first.wave.systems) | set(first.retired_systems)
    for entry in after.schedule[1:]:
        assert not done & {*entry.wave.systems, *entry.retired_systems}
        assert entry.window is not None
        assert kept.window is not None
        assert entry.window.start > kept.window.end
        assert not entry.wave.pilot
    assert [v for v in verify(after) if v.code not in _SPLIT_BY_RECORDS] == []


#: a tight group cut by what was recorded (some members migrated, some not) is reality, not
#: a planning error; the verifier still reports it
_SPLIT_BY_RECORDS = {"tight-group-waves"}


def test_a_record_naming_an_unknown_cloud_node_is_reported_with_its_place(mini: Path) -> None:
    file = mini / "departments" / "卫健委.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace(
            "    servers: [wjw-srv-01]\n",
            "    servers: [wjw-srv-01]\n    migrated_on: 2026-09-30\n    migrated_to: 不存在的云\n    wave: 1\n",
            1,
        ),
        encoding="utf-8",
    )
    result = load(mini)
    assert result.ledger is None
    found = [p for p in result.problems if p.code.startswith("unknown-reference")]
    assert found
    assert "卫健委.yaml" in found[0].file
    assert found[0].path.endswith("migrated_to")
    assert found[0].line is not None
