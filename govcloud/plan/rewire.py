"""Dependencies follow the decisions: a system that called a system retired onto a shared
platform calls the platform instead (on the same protocol and port), from the wave the
retired system's users are switched in.  The stacks open exactly the new flow."""

from __future__ import annotations

from dataclasses import dataclass

from govcloud.ledger import model
from govcloud.plan.decide import Decision


@dataclass(frozen=True, order=True)
class Rewire:
    caller: str
    was: str
    now: str
    protocol: str
    port: int | None


def rewiring(ledger: model.Ledger, decisions: dict[str, Decision]) -> list[Rewire]:
    """Every call to a system retired onto a platform, redirected to the platform (a platform
    that called its own duplicate simply stops calling it)."""
    out = set()
    for system in ledger.systems.values():
        if decisions[system.id].action == "retire":
            continue
        for dep in system.dependencies:
            called = decisions.get(dep.system)
            if called is None or called.action != "retire" or not called.platform:
                continue
            if called.platform != system.id:
                out.add(Rewire(system.id, dep.system, called.platform, dep.protocol, dep.port))
    return sorted(out)


def dependencies(
    system: model.System, decisions: dict[str, Decision], rewired: list[Rewire]
) -> tuple[model.Dependency, ...]:
    """The system's dependencies once the plan is carried out: calls to retired duplicates
    replaced by calls to their platforms, each call once."""
    kept = [
        d
        for d in system.dependencies
        if not (
            decisions.get(d.system)
            and decisions[d.system].action == "retire"
            and decisions[d.system].platform
        )
    ]
    new = [model.Dependency(r.now, r.protocol, r.port) for r in rewired if r.caller == system.id]
    seen: set[tuple[str, str, int | None]] = set()
    out = []
    for dep in [*kept, *new]:
        key = (dep.system, dep.protocol, dep.port)
        if key not in seen:
            seen.add(key)
            out.append(dep)
    return tuple(out)
