"""The wave calendar: when each wave runs, from the day after the ledger's as-of date.

A wave's length covers preparation, the data transfer, the cut-over and acceptance; the pilot
is longer because it also proves the process.  A wave whose longest online transfer does not
fit into its transfer share is lengthened to fit, so the calendar never promises a move the
network cannot carry.  ``migration_teams`` teams run waves side by side once the pilot is
over; a wave's cut-over waits out the freezes (两会, 高考, year-end closing …) of its
departments.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
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
    """How many weeks a wave takes: its rule length, or longer when an online transfer needs it.

    >>> rules = PlanRules(wave_weeks=1, pilot_weeks=2)
    >>> wave_weeks(False, [None], rules), wave_weeks(True, [], rules)
    (1, 2)
    >>> wave_weeks(False, [72.0], rules)  # 72 h of transfer is at most half the wave: 1 week
    1
    >>> wave_weeks(False, [72.0], PlanRules(wave_weeks=0, max_transfer_hours=200.0))
    1
    >>> wave_weeks(False, [100.0], PlanRules(wave_weeks=1, max_transfer_hours=200.0))
    2
    """
    planned = rules.pilot_weeks if pilot else rules.wave_weeks
    longest = max((h for h in transfer_hours if h is not None and h <= rules.max_transfer_hours), default=0.0)
    # the transfer itself may take at most half the wave; the rest is preparation and acceptance
    needed = math.ceil(2 * longest / HOURS_PER_WEEK)
    return max(planned, needed, 1)


def windows(as_of: dt.date, weeks: Iterable[int]) -> list[Window]:
    """Consecutive windows of the given lengths, the first starting the day after ``as_of``.

    >>> [(w.start.isoformat(), w.end.isoformat(), w.weeks) for w in windows(dt.date(2026, 1, 1), [2, 3])]
    [('2026-01-02', '2026-01-15', 2), ('2026-01-16', '2026-02-05', 3)]
    """
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


@dataclass(frozen=True)
class Freeze:
    """Days, every year, on which no cut-over may happen for the departments it names
    (a department matches when its id or name contains one of ``departments``; none: all)."""

    name: str
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]  # inclusive; may wrap over the new year
    departments: tuple[str, ...] = ()

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the freeze, in any year.

        >>> year_end = Freeze("决算", (12, 15), (1, 15))
        >>> year_end.covers(dt.date(2027, 1, 3)), year_end.covers(dt.date(2027, 2, 1))
        (True, False)
        """
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end

    def applies(self, department: str) -> bool:
        return not self.departments or any(d in department for d in self.departments)

    def after(self, day: dt.date) -> dt.date:
        """The first day after this freeze that contains ``day``."""
        year = day.year if (day.month, day.day) <= self.end else day.year + 1
        return dt.date(year, *self.end) + dt.timedelta(days=1)


#: freezes of a Chinese government calendar: the 两会 (all departments), 高考 (education),
#: the year-end closing of accounts (finance); a scenario's ``calendar.freeze`` replaces them
DEFAULT_FREEZES: tuple[Freeze, ...] = (
    Freeze("两会", (3, 1), (3, 15)),
    Freeze("高考", (6, 1), (6, 10), ("教育", "jyt", "jyj")),
    Freeze("财政年终决算", (12, 15), (1, 15), ("财政", "czt", "czj")),
)


def cutover_day(end: dt.date, departments: Iterable[str], freezes: Iterable[Freeze]) -> dt.date:
    """``end``, or the first day after it on which no freeze of these departments holds.

    >>> cutover_day(dt.date(2027, 3, 10), ["教育局"], DEFAULT_FREEZES)  # 两会: every department
    datetime.date(2027, 3, 16)
    >>> cutover_day(dt.date(2027, 6, 5), ["jyj"], DEFAULT_FREEZES)  # 高考: education only
    datetime.date(2027, 6, 11)
    >>> cutover_day(dt.date(2027, 6, 5), ["财政局"], DEFAULT_FREEZES)
    datetime.date(2027, 6, 5)
    >>> cutover_day(dt.date(2026, 12, 20), ["财政局"], DEFAULT_FREEZES)  # over the new year
    datetime.date(2027, 1, 16)
    """
    names = list(departments)
    relevant = [f for f in freezes if any(f.applies(d) for d in names)]
    day = end
    for _ in range(len(relevant) + 1):
        frozen = [f for f in relevant if f.covers(day)]
        if not frozen:
            return day
        day = max(f.after(day) for f in frozen)
    return day


def team_windows(
    as_of: dt.date,
    waves: Iterable[tuple[int, bool, tuple[str, ...]]],
    teams: int,
    freezes: Iterable[Freeze] = (),
    limits: Mapping[str, int] | None = None,
    keys: Iterable[Iterable[str]] | None = None,
) -> list[Window]:
    """Windows of waves run by ``teams`` migration teams in parallel.

    Each wave is ``(weeks, pilot, departments)``.  A wave starts when a team is free, never
    before the wave before it started, and after the pilot has ended (the pilot proves the
    process); its cut-over, on its last day, never falls into a freeze of one of its
    departments and never comes before the cut-over of the wave before it (so the order of
    dependencies holds).  One team gives consecutive windows, as :func:`windows` does.

    ``limits`` caps the waves running at once per key (a cloud node or a department id) and
    ``keys`` names each wave's keys (its target nodes and departments): a wave also waits
    until every one of its keys has room.
    """
    freezes = list(freezes)
    limits = dict(limits or {})
    wave_keys = [tuple(k) for k in keys] if keys is not None else None
    first = as_of + dt.timedelta(days=1)
    free = [first] * max(1, teams)
    out: list[Window] = []
    earliest = first
    last_end = as_of
    ends_of: dict[str, list[dt.date]] = {}
    for i, (weeks, pilot, departments) in enumerate(waves):
        team = min(range(len(free)), key=lambda j: (free[j], j))
        start = max(free[team], earliest)
        mine = [k for k in (wave_keys[i] if wave_keys is not None else ()) if k in limits]
        for key in mine:
            # waves start in order, so those still running at ``start`` are those ending on or
            # after it: wait for the one whose end makes room
            running = ends_of[key] = [e for e in ends_of.get(key, []) if e >= start]
            ends = sorted(running, reverse=True)
            cap = max(1, limits[key])
            if len(ends) >= cap:
                start = max(start, ends[cap - 1] + dt.timedelta(days=1))
        end = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
        end = cutover_day(max(end, last_end), departments, freezes)
        out.append(Window(start, end))
        free[team] = end + dt.timedelta(days=1)
        for key in mine:
            ends_of.setdefault(key, []).append(end)
        earliest = end + dt.timedelta(days=1) if pilot else start
        last_end = end
    return out
