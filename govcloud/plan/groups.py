"""Move groups: systems that are tightly coupled move together, or stay together."""

from __future__ import annotations

from dataclasses import replace

from networkx.utils import UnionFind

from govcloud.ledger import model
from govcloud.plan.decide import MOVING, Decision, Reason


def tight_groups(ledger: model.Ledger) -> list[list[str]]:
    """Systems joined by tight dependencies (in either direction), each group sorted."""
    union: UnionFind[str] = UnionFind(ledger.systems)
    for system in ledger.systems.values():
        for dep in system.dependencies:
            if dep.tight and dep.system in ledger.systems:
                union.union(system.id, dep.system)
    return sorted((sorted(g) for g in union.to_sets()), key=lambda g: g[0])


def hold_coupled(decisions: dict[str, Decision], groups: list[list[str]]) -> dict[str, Decision]:
    """A moving system tightly coupled to one that stays, stays too (and says why)."""
    out = dict(decisions)
    for group in groups:
        staying = sorted(s for s in group if out[s].action == "retain")
        if not staying:
            continue
        for system_id in group:
            decision = out[system_id]
            if decision.action in MOVING:
                reason = Reason("coupled", (("systems", ", ".join(staying)),))
                out[system_id] = replace(
                    decision, action="retain", reasons=(*decision.reasons, reason), target=None
                )
    return out
