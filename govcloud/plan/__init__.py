"""The migration plan: 7R decisions, placement, move groups, waves, paths and costs.

``build(ledger, analysis)`` returns a :class:`Plan`; ``verify(plan)`` checks any plan against
the constraints independently of how it was made.  What later stages read of the planner's
rules is exported here (``MOVING``, the recovery a system needs: ``needs_offsite`` and
``standby_mode``), so the baseline does not reach into the planner's modules.
"""

from __future__ import annotations

from govcloud.plan.decide import ACTIONS, MOVING, Decision, Reason
from govcloud.plan.planner import Plan, WaveSchedule, build
from govcloud.plan.recovery import needs_offsite, standby_mode
from govcloud.plan.rules import PlanRules
from govcloud.plan.scenario import Scenario, load_scenario
from govcloud.plan.verify import Violation, verify

__all__ = [
    "ACTIONS",
    "MOVING",
    "Decision",
    "Plan",
    "PlanRules",
    "Reason",
    "Scenario",
    "Violation",
    "WaveSchedule",
    "build",
    "load_scenario",
    "needs_offsite",
    "standby_mode",
    "verify",
]
