"""The wave calendar: when each wave runs, from the day after the ledger's as-of date.

Waves run one after another.  A wave's length covers preparation, the data transfer, the
cut-over and acceptance; the pilot is longer because it also proves the process.  A wave whose
longest online transfer does not fit into its transfer share is lengthened to fit, so the
calendar never promises a move the network cannot carry.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from govcloud.plan.rules import PlanRules

HOURS_PER_WEEK = 24 * 7


@dataclass(frozen=True)
class Window:
    """The days a wave runs: ``start`` to ``end`` inclusive."""

    start: dt.date
    end: dt.date

    @property
    def weeks(self) -> int:
        return ((self.end - self.start).days + 1) // 7


def wave_weeks(pilot: bool, transfer_hours: Iterable[float | None], rules: PlanRules) -> int:
    """How many weeks a wave takes: its rule length, or longer when an online transfer needs it."""
    planned = rules.pilot_weeks if pilot else rules.wave_weeks
    longest = max((h for h in transfer_hours if h is not None and h <= rules.max_transfer_hours), default=0.0)
    # the transfer itself may take at most half the wave; the rest is preparation and acceptance
    needed = math.ceil(2 * longest / HOURS_PER_WEEK)
    return max(planned, needed, 1)


def windows(as_of: dt.date, weeks: Iterable[int]) -> list[Window]:
    """Consecutive windows of the given lengths, the first starting the day after ``as_of``."""
    out: list[Window] = []
    start = as_of + dt.timedelta(days=1)
    for length in weeks:
        try:
            end = start + dt.timedelta(weeks=length) - dt.timedelta(days=1)
        except OverflowError:  # thousands of long waves run past the year 9999: the calendar ends
            end = dt.date.max
        start = min(start, end)
        out.append(Window(start, end))
        start = end + dt.timedelta(days=1) if end < dt.date.max else end
    return out
