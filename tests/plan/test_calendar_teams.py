"""A calendar people can live with: teams side by side after the pilot, cut-overs outside
the freezes of their departments; the verifier rejects each broken, at and past its limit."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import itertools
from pathlib import Path

import pytest

from govcloud.analysis import analyse
from govcloud.ledger import load
from govcloud.plan import Plan, PlanRules, build, verify
from govcloud.plan.calendar import DEFAULT_FREEZES, Freeze, Window, cutover_day, team_windows
from govcloud.plan.scenario import Scenario, freezes_of, load_scenario
from govcloud.samples import default_inventory
from govcloud.settings import ConfigError

D = dt.date
EXAM = Freeze("高考", (6, 1), (6, 10), ("教育",))
YEAR_END = Freeze("财政年终决算", (12, 15), (1, 15), ("财政",))


def test_a_freeze_covers_its_days_every_year_also_over_new_year() -> None:
    assert EXAM.covers(D(2027, 6, 1))
    assert EXAM.covers(D(2030, 6, 10))
    assert not EXAM.covers(D(2027, 6, 11))
    assert YEAR_END.covers(D(2026, 12, 15))
    assert YEAR_END.covers(D(2027, 1, 15))
    assert not YEAR_END.covers(D(2027, 1, 16))
    assert not YEAR_END.covers(D(2026, 12, 14))


def test_a_cutover_waits_out_the_freezes_of_its_departments_only() -> None:
    assert cutover_day(D(2027, 6, 5), ["hy-jyt 省教育厅"], [EXAM]) == D(2027, 6, 11)
    assert cutover_day(D(2027, 6, 5), ["hy-gat 省公安厅"], [EXAM]) == D(2027, 6, 5)
    assert cutover_day(D(2026, 12, 20), ["省财政厅"], [YEAR_END]) == D(2027, 1, 16)
    assert cutover_day(D(2026, 12, 14), ["省财政厅"], [YEAR_END]) == D(2026, 12, 14)  # the day before: free


def test_teams_run_waves_side_by_side_after_the_pilot() -> None:
    waves = [(12, True, ()), (8, False, ()), (8, False, ()), (8, False, ())]
    one = team_windows(D(2026, 6, 30), waves, 1)
    assert one[0] == Window(D(2026, 7, 1), D(2026, 9, 22))
    assert [w.start for w in one[1:]] == [D(2026, 9, 23), D(2026, 11, 18), D(2027, 1, 13)]
    two = team_windows(D(2026, 6, 30), waves, 2)
    assert two[1].start == two[2].start == D(2026, 9, 23)  # two teams after the pilot
    assert two[3].start == D(2026, 11, 18)
    ends = [w.end for w in two]
    assert ends == sorted(ends)  # cut-overs keep the order of the waves


@functools.cache
def _plan() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


def _codes(plan: Plan, code: str) -> list[tuple[str, str]]:
    return [(v.subject, v.detail) for v in verify(plan) if v.code == code]


def test_the_sample_keeps_its_freezes_and_teams() -> None:
    plan = _plan()
    assert plan.freezes == DEFAULT_FREEZES
    assert verify(plan) == []
    starts = [e.window.start for e in plan.schedule if e.window and not e.wave.pilot]
    assert len(starts) > len(set(starts))  # waves run side by side


def test_the_verifier_rejects_a_cutover_in_a_freeze() -> None:
    plan = copy.deepcopy(_plan())
    entry = next(
        e for e in plan.schedule if any(plan.ledger.systems[s].owner == "hy-czt" for s in e.wave.systems)
    )
    assert entry.window is not None
    entry.window = Window(entry.window.start, D(2027, 12, 14))  # the day before the freeze: allowed
    assert _codes(plan, "cutover-in-freeze") == []
    entry.window = Window(entry.window.start, D(2027, 12, 15))  # its first day
    assert (f"wave {entry.wave.number}", "2027-12-15 财政年终决算: hy-czt") in _codes(
        plan, "cutover-in-freeze"
    )


def test_the_verifier_rejects_more_waves_at_once_than_teams() -> None:
    plan = _plan()
    assert (
        _codes(dataclasses.replace(plan, rules=PlanRules(migration_teams=2)), "too-many-waves-at-once") == []
    )
    found = _codes(dataclasses.replace(plan, rules=PlanRules(migration_teams=1)), "too-many-waves-at-once")
    assert found
    assert all(detail.startswith("waves [") for _, detail in found)


def test_the_verifier_rejects_a_wave_started_before_the_pilot_ends() -> None:
    plan = copy.deepcopy(_plan())
    pilot, second = plan.schedule[0], plan.schedule[1]
    assert pilot.window is not None
    assert second.window is not None
    second.window = Window(pilot.window.end + dt.timedelta(days=1), second.window.end)  # the day after: fine
    assert _codes(plan, "wave-before-pilot-ends") == []
    second.window = Window(pilot.window.end, second.window.end)
    assert _codes(plan, "wave-before-pilot-ends") == [("wave 2", pilot.window.end.isoformat())]


def test_a_scenario_replaces_the_freezes(tmp_path: Path) -> None:
    path = tmp_path / "日历.yaml"
    path.write_text(
        "scenario:\n  calendar:\n    freeze:\n    - {name: 国庆, from: '10-01', to: '10-07'}\n",
        encoding="utf-8",
    )
    assert freezes_of(load_scenario(path)) == (Freeze("国庆", (10, 1), (10, 7)),)
    assert freezes_of(Scenario()) == DEFAULT_FREEZES
    path.write_text(
        "scenario:\n  calendar:\n    freeze:\n    - {name: x, from: '13-01', to: '10-07'}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"freeze\[0\]\.from"):
        load_scenario(path)


def test_teams_per_node_or_department_from_a_scenario(tmp_path: Path) -> None:
    path = tmp_path / "队伍.yaml"
    path.write_text("scenario:\n  calendar:\n    teams: {hz-cloud-city: 1}\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert freezes_of(scenario) == DEFAULT_FREEZES  # teams alone keep the default freezes
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    plan = build(ledger, analyse(ledger), scenario=scenario)
    assert plan.team_limits == {"hz-cloud-city": 1}
    assert verify(plan) == []
    city = [
        e.window
        for e in plan.schedule
        if e.window and any(plan.decisions[s].target == "hz-cloud-city" for s in e.wave.systems)
    ]
    assert len(city) > 1
    for a, b in itertools.pairwise(sorted(city, key=lambda w: w.start)):
        assert b.start > a.end  # one wave on the city node at a time
    # the same plan held to the default (no limit) runs some of them side by side …
    free = _plan()
    city_free = sorted(
        (
            e.window
            for e in free.schedule
            if e.window and any(free.decisions[s].target == "hz-cloud-city" for s in e.wave.systems)
        ),
        key=lambda w: w.start,
    )
    assert any(b.start <= a.end for a, b in itertools.pairwise(city_free))
    # … which the verifier rejects under the limit
    held = dataclasses.replace(free, team_limits={"hz-cloud-city": 1})
    found = _codes(held, "too-many-waves-at-once")
    assert found
    assert {subject for subject, _ in found} == {"hz-cloud-city"}
    assert all(detail.startswith("2 > 1 on ") for _, detail in found)


def test_team_windows_wait_for_a_key_with_room() -> None:
    waves = [(12, True, ()), (8, False, ()), (8, False, ()), (8, False, ())]
    keys = [["a"], ["a"], ["a"], ["b"]]
    out = team_windows(D(2026, 6, 30), waves, 3, limits={"a": 1}, keys=keys)
    assert out[2].start == out[1].end + dt.timedelta(days=1)  # a's second wave waits for its first
    assert out[3].start == out[2].start  # b has room: it runs beside
