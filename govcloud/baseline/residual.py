"""The residual view: which as-is failures the plan removes, and which remain after its last
wave, on which retained subjects, by clause.

A failure goes away with its subject: a system that moves to the cloud or is retired, a room
that closes, a line that is cancelled, a network that is cut over, a server whose systems all
leave (or that is reclaimed with its room).  Everything else stays as it is, and so do its
failures; to-be failures are about what the plan builds and are reported as such.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from govcloud.baseline.engine import Result
from govcloud.baseline.rules import Rule
from govcloud.plan import MOVING, Plan, retest


def gone(plan: Plan) -> set[tuple[str, str]]:
    """``(kind, id)`` of every inventory subject that no longer exists as it is after the plan."""
    ledger = plan.ledger
    leaving = {s for s, d in plan.decisions.items() if d.action in MOVING or d.action == "retire"}
    out = {("systems", s) for s in leaving}
    for schedule in plan.schedule:
        out.update(("sites", s) for s in schedule.closed_rooms)
        out.update(("lines", s) for s in schedule.cancelled_lines)
        out.update(("networks", s) for s in schedule.cutover_networks)
        out.update(("servers", s) for s in schedule.confirm_servers)
    closed = {s for kind, s in out if kind == "sites"}
    staying: set[str] = set()
    used: set[str] = set()
    for system in ledger.systems.values():
        used.update(system.servers)
        if system.id not in leaving:
            staying.update(system.servers)
    for server in ledger.servers.values():
        if server.site in closed or (server.id in used and server.id not in staying):
            out.add(("servers", server.id))
    return out


def residual(rules: list[Rule], result: Result, plan: Plan) -> dict[str, Any]:
    """The residual view as plain data (``baseline.json``'s ``residual``), with the re-tests
    (测评) the plan's moves call for (:mod:`govcloud.plan.retest`)."""
    removed_by_rule: dict[str, int] = defaultdict(int)
    remaining_by_rule: dict[str, set[str]] = defaultdict(set)
    retained: dict[tuple[str, str], set[str]] = defaultdict(set)
    leaving = gone(plan)
    removed = remaining = 0
    for f in result.findings:
        if f.state != "as-is":
            continue
        if (f.kind, f.subject) in leaving:
            removed += 1
            removed_by_rule[f.rule] += 1
        else:
            remaining += 1
            remaining_by_rule[f.rule].add(f.subject)
            retained[(f.kind, f.subject)].add(f.rule)
    by_clause = [
        {
            "clause": f"{r.standard} {r.clause}",
            "rule": r.id,
            "removed": removed_by_rule.get(r.id, 0),
            "remaining": sorted(remaining_by_rule.get(r.id, ())),
        }
        for r in sorted(rules, key=lambda r: (r.standard, r.clause, r.id))
        if r.state == "as-is" and (r.id in removed_by_rule or r.id in remaining_by_rule)
    ]
    return {
        "removed": removed,
        "remaining": remaining,
        "by_clause": by_clause,
        "retained": [
            {"subject": subject, "kind": kind, "rules": sorted(found)}
            for (kind, subject), found in sorted(retained.items())
        ],
        "retests": retest.to_json(retest.schedule(plan)),
    }
