"""What has happened, as the ledger records it, and how a re-plan keeps it.

A system records the day it went live on a cloud node (``migrated_on``, ``migrated_to``) or
was switched off (``retired_on``), and the number of the wave it did so in (``wave``); rooms
record ``closed_on``, lines ``cancelled_on``, networks ``cut_over_on``.  Wave numbers are stable
ids: a re-plan keeps every recorded wave with its number and exactly the systems recorded in
it, plans only what remains, and numbers the new waves after the last recorded one, so the
stack of a wave already applied (named by its number) never changes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field, replace

from govcloud.ledger import model
from govcloud.plan.calendar import Window
from govcloud.plan.decide import MOVING, Decision, Reason


@dataclass(frozen=True)
class Migrated:
    wave: int
    node: str
    on: dt.date


@dataclass(frozen=True)
class Retired:
    wave: int
    on: dt.date


@dataclass
class Progress:
    migrated: dict[str, Migrated] = field(default_factory=dict)
    retired: dict[str, Retired] = field(default_factory=dict)
    closed_rooms: dict[str, dt.date] = field(default_factory=dict)
    cancelled_lines: dict[str, dt.date] = field(default_factory=dict)
    cutover_networks: dict[str, dt.date] = field(default_factory=dict)
    windows: dict[int, Window] = field(default_factory=dict)

    @classmethod
    def of(cls, ledger: model.Ledger) -> Progress:
        out = cls()
        recorded = [s for s in ledger.systems.values() if s.migrated_on or s.retired_on]
        # a record without a wave belongs to the latest recorded wave (or the first)
        fallback = max((s.wave for s in recorded if s.wave), default=1)
        for system in recorded:
            wave = system.wave or fallback
            if system.retired_on:
                out.retired[system.id] = Retired(wave, system.retired_on)
            elif system.migrated_on and system.migrated_to in ledger.cloud_nodes:
                out.migrated[system.id] = Migrated(wave, system.migrated_to or "", system.migrated_on)
        out.closed_rooms = {s.id: s.closed_on for s in ledger.sites.values() if s.closed_on}
        out.cancelled_lines = {ln.id: ln.cancelled_on for ln in ledger.lines.values() if ln.cancelled_on}
        out.cutover_networks = {n.id: n.cut_over_on for n in ledger.networks.values() if n.cut_over_on}
        days: dict[int, list[dt.date]] = {}
        for m in out.migrated.values():
            days.setdefault(m.wave, []).append(m.on)
        for r in out.retired.values():
            days.setdefault(r.wave, []).append(r.on)
        out.windows = {n: Window(min(d), max(d)) for n, d in sorted(days.items())}
        return out

    @property
    def done_waves(self) -> list[int]:
        return sorted(self.windows)

    @property
    def next_wave(self) -> int:
        """The number of the first wave still to plan."""
        return max(self.windows, default=0) + 1

    def starts_after(self, as_of: dt.date) -> dt.date:
        """The day after which the remaining waves run: the ledger's date or the last recorded event."""
        events = [
            *(w.end for w in self.windows.values()),
            *self.closed_rooms.values(),
            *self.cancelled_lines.values(),
            *self.cutover_networks.values(),
        ]
        return max([as_of, *events])

    def wave_on(self, day: dt.date) -> int | None:
        """The recorded wave an event of ``day`` belongs to: the first that ends on or after it,
        else the last; None when no wave is recorded."""
        numbers = self.done_waves
        if not numbers:
            return None
        ends = [self.windows[n].end for n in numbers]
        i = bisect.bisect_left(ends, day)
        return numbers[min(i, len(numbers) - 1)]

    def apply(self, decisions: dict[str, Decision]) -> dict[str, Decision]:
        """Decisions with what happened in place of what was planned."""
        out = dict(decisions)
        for system_id, m in sorted(self.migrated.items()):
            decision = out[system_id]
            if decision.action in MOVING and decision.target == m.node and _recorded(decision):
                continue
            action = decision.action if decision.action in MOVING else "rehost"
            reason = Reason(
                "progress-migrated", (("day", m.on.isoformat()), ("node", m.node), ("wave", m.wave))
            )
            reasons = tuple(r for r in decision.reasons if not r.code.startswith("progress-"))
            out[system_id] = replace(decision, action=action, target=m.node, reasons=(*reasons, reason))
        for system_id, r in sorted(self.retired.items()):
            decision = out[system_id]
            if decision.action == "retire" and _recorded(decision):
                continue
            reason = Reason("progress-retired", (("day", r.on.isoformat()), ("wave", r.wave)))
            reasons = tuple(x for x in decision.reasons if not x.code.startswith("progress-"))
            out[system_id] = replace(decision, action="retire", target=None, reasons=(*reasons, reason))
        return out


def _recorded(decision: Decision) -> bool:
    return any(r.code.startswith("progress-") for r in decision.reasons)
