"""The wave calendar: consecutive windows from the day after as-of, lengthened for transfers."""

from __future__ import annotations

import datetime as dt
import itertools

from govcloud.plan import PlanRules
from govcloud.plan.calendar import Window, wave_weeks, windows
from govcloud.samples import default_inventory


def test_windows_are_consecutive_from_the_day_after_as_of() -> None:
    out = windows(dt.date(2026, 6, 30), [12, 8, 8])
    assert out[0] == Window(dt.date(2026, 7, 1), dt.date(2026, 9, 22))
    assert [w.weeks for w in out] == [12, 8, 8]
    for before, after in itertools.pairwise(out):
        assert after.start == before.end + dt.timedelta(days=1)


def test_pilot_and_ordinary_waves_take_their_rule_length() -> None:
    rules = PlanRules(wave_weeks=6, pilot_weeks=10)
    assert wave_weeks(True, [], rules) == 10
    assert wave_weeks(False, [None, 5.0], rules) == 6


def test_a_long_online_transfer_lengthens_its_wave() -> None:
    rules = PlanRules(wave_weeks=1, max_transfer_hours=500.0)
    # 400 hours of transfer may use only half the wave: 800 hours are 4.8 weeks, so 5
    assert wave_weeks(False, [400.0], rules) == 5
    # an offline transfer (slower than max_transfer_hours) ships disks and does not count
    assert wave_weeks(False, [900.0], rules) == 1


def test_the_sample_plan_has_a_calendar() -> None:
    from govcloud.analysis import analyse
    from govcloud.ledger import load
    from govcloud.plan import build

    ledger = load(default_inventory()).ledger
    assert ledger is not None
    plan = build(ledger, analyse(ledger))
    starts = [e.window.start for e in plan.schedule if e.window]
    assert len(starts) == len(plan.schedule)
    assert starts[0] == ledger.region.as_of + dt.timedelta(days=1)
    assert starts == sorted(starts)
    pilot = plan.schedule[0]
    assert pilot.wave.pilot
    assert pilot.window is not None
    assert pilot.window.weeks >= plan.rules.pilot_weeks


def test_a_calendar_past_the_year_9999_ends_there_instead_of_overflowing() -> None:
    found = windows(dt.date(2200, 1, 1), [520] * 2000)  # 20,000 years of waves
    assert found[0].start == dt.date(2200, 1, 2)
    assert found[-1].end == dt.date.max
    assert all(w.start <= w.end for w in found)
