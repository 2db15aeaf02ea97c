"""The planner's rules as data: defaults a region can override in a scenario file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govcloud.settings import apply_overrides


@dataclass(frozen=True)
class PlanRules:
    """Numbers the planner decides by; see docs/plan.md for what each one does."""

    #: a duplicate-function finding at least this sure retires the duplicates onto the platform
    #: (common functions such as OA are 0.85; systems matched only by similar names 0.6)
    duplicate_min_confidence: float = 0.8
    #: headroom over p95 utilisation when sizing an instance (migration planners' comfort factor)
    comfort_factor: float = 1.3
    #: hardware younger than this (years) is sunk cost: kept in use until it is
    sunk_cost_years: float = 3.0
    #: at most this many servers move in one wave
    wave_max_servers: int = 60
    #: at most this much data (TB) moves in one wave
    wave_max_data_tb: float = 40.0
    #: at most this many systems of one department move in one wave
    wave_max_systems_per_department: int = 4
    #: the pilot wave takes at most this many low-risk systems
    pilot_max_systems: int = 5
    #: systems of this MLPS level or lower may be in the pilot
    pilot_max_mlps_level: int = 2
    #: share of a path's bottleneck bandwidth a migration may use
    transfer_bandwidth_share: float = 0.5
    #: a transfer slower than this (hours) should go offline or over a temporary line
    max_transfer_hours: float = 72.0
    #: weeks one wave takes: preparation, transfer, cut-over and acceptance
    wave_weeks: int = 8
    #: weeks the pilot wave takes (it also proves the process)
    pilot_weeks: int = 12
    #: weeks a duplicate keeps running beside the live platform that replaces it, while its
    #: users are switched (先立后破); it retires only after this
    parallel_run_weeks: int = 4
    #: migration teams working side by side: after the pilot, this many waves run at once;
    #: 0 staffs the programme by its size: one team per ``servers_per_team`` moving servers,
    #: at least 2
    migration_teams: int = 0
    #: moving servers one migration team takes on when ``migration_teams`` is 0
    servers_per_team: int = 1000
    #: a shared platform's instances grow with the users it absorbs, by at most this factor
    platform_max_growth: float = 3.0
    #: months of its fee that ending a room's lease or a line's contract early costs: the plan
    #: leaves before the contract ends only when the fees saved are more than this, and the
    #: cash flow books it as the one-off ``lease-exit`` / ``line-exit`` cost when it does
    early_exit_penalty_months: float = 6.0
    # ---- issue 23: cash flow
    #: yearly discount rate (%) of the cash flow's net present value (社会折现率)
    discount_rate_pct: float = 8.0
    #: months the cash flow covers (at least a year past the last cut-over)
    horizon_months: int = 60
    #: months the old side keeps running after a cut-over, as the fallback of the parallel run
    parallel_run_months: int = 1
    # ---- issue 23: who runs what
    #: share of a moving system's operations staff and outsourcing that is infrastructure work
    #: the cloud's operations centre takes over (paid for in the cloud's prices)
    infra_ops_share: float = 0.5


def with_overrides(base: PlanRules, values: dict[str, Any], where: str = "") -> PlanRules:
    """``base`` with ``values`` applied (see :func:`govcloud.settings.apply_overrides`)."""
    return apply_overrides(base, values, "rules", where)


def teams(rules: PlanRules, moving_servers: int) -> int:
    """How many waves may run at once: the rule, or by the programme's size when it is 0."""
    if rules.migration_teams > 0:
        return rules.migration_teams
    return max(2, -(-moving_servers // max(1, rules.servers_per_team)))
