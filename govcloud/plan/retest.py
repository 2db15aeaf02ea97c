"""Re-test scheduling (测评 after a move), a plan rule.

A system whose location or platform changes — it is rehosted, relocated, replatformed or
refactored onto the government cloud — is no longer the system its last MLPS assessment
(测评) looked at, so it needs a new one once it has moved.  Assessors are scarce: at most
``per_wave`` re-tests fit in the weeks after each wave.  :func:`schedule` gives every such
system a slot: the first wave at or after its own move with room left, the highest MLPS level
first; those that do not fit by the last wave go into slots after it.  Classified systems are
graded under 分级保护 and never move, so they are not here.

The hook is small on purpose: the schedule is a function of a finished :class:`Plan`, and
:func:`violations` checks any schedule against the plan independently.
"""

from __future__ import annotations

from dataclasses import dataclass

from govcloud.plan.decide import MOVING
from govcloud.plan.planner import Plan

#: why a system needs a new assessment, by its decision
_WHY = {"rehost": "location", "relocate": "location", "replatform": "platform", "refactor": "platform"}


@dataclass(frozen=True)
class RetestRules:
    #: at most this many re-tests (测评) after one wave: what the region's assessors can take
    per_wave: int = 6
    #: systems of this MLPS level or higher need a new assessment when they move
    min_level: int = 2


@dataclass(frozen=True)
class Retest:
    system: str
    level: int
    #: the wave the system moves in
    moved_in: int
    #: the wave after which it is assessed (beyond the last wave: slots after the plan)
    slot: int
    #: location or platform
    why: str
    target: str | None


def needed(plan: Plan, rules: RetestRules | None = None) -> list[tuple[str, int, int, str, str | None]]:
    """``(system, level, wave, why, target)`` of every system the plan moves whose level
    needs an assessment, in wave and id order."""
    rules = rules or RetestRules()
    out = []
    for system_id, decision in sorted(plan.decisions.items()):
        system = plan.ledger.systems[system_id]
        if decision.action not in MOVING or system.classified or system.mlps_level < rules.min_level:
            continue
        wave = plan.wave_of.get(system_id)
        if wave is None:
            continue
        out.append((system_id, system.mlps_level, wave, _WHY[decision.action], decision.target))
    return sorted(out, key=lambda r: (r[2], r[0]))


def schedule(plan: Plan, rules: RetestRules | None = None) -> list[Retest]:
    """Every needed re-test in a slot with room, higher levels first (see the module)."""
    rules = rules or RetestRules()
    capacity = max(1, rules.per_wave)
    used: dict[int, int] = {}
    out = []
    for system_id, level, wave, why, target in sorted(needed(plan, rules), key=lambda r: (-r[1], r[2], r[0])):
        slot = wave
        while used.get(slot, 0) >= capacity:
            slot += 1
        used[slot] = used.get(slot, 0) + 1
        out.append(Retest(system_id, level, wave, slot, why, target))
    return sorted(out, key=lambda r: (r.slot, r.moved_in, r.system))


def violations(plan: Plan, retests: list[Retest], rules: RetestRules | None = None) -> list[str]:
    """What is wrong with ``retests`` for ``plan``: a system that needs a re-test and has
    none (or has two), one assessed before it moves, a slot over capacity."""
    rules = rules or RetestRules()
    problems = []
    wanted = {r[0]: r[2] for r in needed(plan, rules)}
    seen: dict[str, int] = {}
    per_slot: dict[int, int] = {}
    for r in retests:
        seen[r.system] = seen.get(r.system, 0) + 1
        per_slot[r.slot] = per_slot.get(r.slot, 0) + 1
        if r.system not in wanted:
            problems.append(f"{r.system}: scheduled but does not need a re-test")
        elif r.slot < wanted[r.system]:
            problems.append(
                f"{r.system}: assessed after wave {r.slot}, before it moves in wave {wanted[r.system]}"
            )
    problems += [f"{s}: needs a re-test and has none" for s in sorted(set(wanted) - set(seen))]
    problems += [f"{s}: {n} re-tests" for s, n in sorted(seen.items()) if n > 1]
    problems += [
        f"after wave {slot}: {n} re-tests, more than {rules.per_wave}"
        for slot, n in sorted(per_slot.items())
        if n > max(1, rules.per_wave)
    ]
    return problems


def to_json(retests: list[Retest], rules: RetestRules | None = None) -> dict[str, object]:
    rules = rules or RetestRules()
    return {
        "per_wave": rules.per_wave,
        "systems": [
            {
                "system": r.system,
                "level": r.level,
                "moved_in": r.moved_in,
                "slot": r.slot,
                "why": r.why,
                "target": r.target,
            }
            for r in retests
        ],
    }
