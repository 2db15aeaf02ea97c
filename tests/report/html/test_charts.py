"""The cost-benefit curve and the wave calendar."""

from __future__ import annotations

import re
from typing import Any

from govcloud.report.html.charts import _quarter_ticks, cost_chart, gantt_chart
from govcloud.report.html.svg import label


def _total(payback: float | None) -> dict[str, Any]:
    as_is, to_be, one_off = 1_000_000.0, 400_000.0, 300_000.0
    return {
        "as_is_cny": as_is,
        "one_off_cny": one_off,
        "payback_years": payback,
        "five_years": [
            {"year": y, "as_is_cny": as_is * y, "to_be_cny": to_be * y + one_off} for y in range(1, 6)
        ],
    }


def test_cost_chart_marks_the_payback_point() -> None:
    svg = cost_chart(_total(0.5), "en")
    assert "pays back in 0.5 years" in svg
    assert "cumulative cost (CNY million)" in svg
    assert "约 0.5 年回收" in cost_chart(_total(0.5), "zh")
    assert "万元" in cost_chart(_total(0.5), "zh")


def test_cost_chart_without_payback_has_no_marker() -> None:
    assert "pays back" not in cost_chart(_total(None), "en")
    assert "pays back" not in cost_chart(_total(7.5), "en")  # beyond the five years drawn


def _wave(number: int, start: str, end: str, rooms: int) -> dict[str, Any]:
    return {
        "number": number,
        "pilot": number == 1,
        "start": start,
        "end": end,
        "systems": ["a", "b"],
        "servers": 4,
        "closed_rooms": [f"r{i}" for i in range(rooms)],
        "cancelled_lines": [],
    }


def test_gantt_has_a_row_per_wave_and_what_retires_after_it() -> None:
    waves = [_wave(1, "2026-07-01", "2026-09-22", 2), _wave(2, "2026-09-23", "2026-11-17", 0)]
    svg = gantt_chart(waves, "en")
    assert "wave 1 (pilot)" in svg
    assert "wave 2" in svg
    assert svg.count("2 systems / 4 servers") == 2
    assert "−2 rooms, −0 lines" in svg
    assert len(re.findall(r"−\d+ rooms", svg)) == 1  # wave 2 retires nothing
    assert "2026-07" in svg
    assert "2026-10" in svg


def test_quarter_ticks_fall_on_the_first_day_of_quarters() -> None:
    import datetime as dt

    epoch = dt.date(1970, 1, 1).toordinal()
    first = dt.date(2026, 6, 20).toordinal() - epoch
    last = dt.date(2027, 2, 1).toordinal() - epoch
    ticks, labels = _quarter_ticks(first, last)
    assert labels == ["2026-07", "2026-10", "2027-01"]
    assert [dt.date.fromordinal(int(t) + epoch).day for t in ticks] == [1, 1, 1]


def test_labels_are_cut_by_display_width() -> None:
    assert label("abcdef", 6) == "abcdef"
    assert label("abcdefg", 6) == "abcde…"
    assert label("海岳省公安厅", 8) == "海岳省…"  # a Chinese character takes two columns


def test_a_long_plan_is_drawn_as_runs_of_waves() -> None:
    import datetime as dt

    from govcloud.report.html.charts import MAX_GANTT_ROWS, gantt_rows

    day = dt.date(2026, 1, 1)
    waves = []
    for n in range(1, 101):
        start, end = day + dt.timedelta(weeks=8 * (n - 1)), day + dt.timedelta(weeks=8 * n, days=-1)
        waves.append(_wave(n, start.isoformat(), end.isoformat(), n % 3))
    rows = gantt_rows(waves, "en")
    assert len(rows) <= MAX_GANTT_ROWS
    assert rows[0]["name"] == "waves 1–3"
    assert rows[0]["start"] == waves[0]["start"]
    assert rows[-1]["end"] == waves[-1]["end"]
    assert sum(r["rooms"] for r in rows) == sum(len(w["closed_rooms"]) for w in waves)
    assert sum(r["systems"] for r in rows) == 2 * len(waves)
    assert "waves 1–3" in gantt_chart(waves, "en")
