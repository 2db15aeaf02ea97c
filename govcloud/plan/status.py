"""Planned against done, per wave (``govcloud status``).

What is planned comes from a plan: the re-plan of the ledger itself (done waves as recorded,
the rest as planned now), or a ``plan.json`` written earlier, e.g. the plan the work started
from.  What is done comes from the ledger's progress records only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from govcloud.ledger import model
from govcloud.plan.planner import Plan
from govcloud.plan.progress import Progress

#: what a wave does, in the order the status shows it
KINDS = ("systems", "retired_systems", "closed_rooms", "cancelled_lines", "cutover_networks")


@dataclass(frozen=True)
class WaveStatus:
    number: int
    start: str | None
    end: str | None
    #: per kind, the ids planned and the ids of those recorded as done
    planned: dict[str, tuple[str, ...]]
    done: dict[str, tuple[str, ...]]

    @property
    def state(self) -> str:
        """``done`` when everything planned is recorded, ``in-progress`` when some is, else ``planned``."""
        planned = sum(len(v) for v in self.planned.values())
        done = sum(len(v) for v in self.done.values())
        if planned and done >= planned:
            return "done"
        return "in-progress" if done else "planned"

    def as_json(self) -> dict[str, Any]:
        return {
            "wave": self.number,
            "id": f"wave{self.number}",
            "state": self.state,
            "start": self.start,
            "end": self.end,
            "planned": {k: list(v) for k, v in self.planned.items()},
            "done": {k: list(v) for k, v in self.done.items()},
        }


def _recorded(ledger: model.Ledger) -> dict[str, set[str]]:
    progress = Progress.of(ledger)
    return {
        "systems": set(progress.migrated),
        "retired_systems": set(progress.retired),
        "closed_rooms": set(progress.closed_rooms),
        "cancelled_lines": set(progress.cancelled_lines),
        "cutover_networks": set(progress.cutover_networks),
    }


def waves_of_plan(plan: Plan) -> list[dict[str, Any]]:
    """The plan's waves in the shape ``plan.json`` has them."""
    return [
        {
            "number": e.wave.number,
            "start": e.window.start.isoformat() if e.window else None,
            "end": e.window.end.isoformat() if e.window else None,
            "systems": e.wave.systems,
            "retired_systems": sorted(e.retired_systems),
            "closed_rooms": sorted(e.closed_rooms),
            "cancelled_lines": sorted(e.cancelled_lines),
            "cutover_networks": sorted(e.cutover_networks),
        }
        for e in plan.schedule
    ]


def status(ledger: model.Ledger, waves: Iterable[dict[str, Any]]) -> list[WaveStatus]:
    """Per planned wave, what it plans and which of that the ledger records as done."""
    recorded = _recorded(ledger)
    out = []
    for wave in waves:
        planned = {k: tuple(sorted(str(i) for i in wave.get(k, []))) for k in KINDS}
        done = {k: tuple(i for i in planned[k] if i in recorded[k]) for k in KINDS}
        out.append(WaveStatus(int(wave["number"]), wave.get("start"), wave.get("end"), planned, done))
    return out
