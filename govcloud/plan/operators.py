"""Who runs what (docs/plan.md, "Who runs what"): each system's operator before and after the
move, the handover in each wave, and the yearly operations cost as-is and to-be.

Before: the system's ``operator`` (the department, the operations centre or a vendor, named by
``operator_name``).  After:

- a system that moves has its infrastructure (servers, storage, network, backups) run by the
  operations centre of its cloud node; its application stays with whoever ran it.  Its staff
  and outsourcing cost falls by ``infra_ops_share`` (the infrastructure work the centre takes
  over, paid for in the cloud's prices); its licences stay;
- a retired system is run by nobody and costs nothing from its cut-over;
- a system that stays is run as before at the same cost.

The operations cost of a system is its staff (``ops_staff_fte`` × ``prices.ops_staff_fte_year_cny``),
its outsourcing and its licences (:func:`govcloud.ledger.model.operations_cny`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from govcloud.ledger import model
from govcloud.plan.decide import MOVING, Decision
from govcloud.plan.rules import PlanRules

OPS_CENTRE = "ops_centre"


@dataclass(frozen=True)
class Operation:
    system: str
    owner: str
    action: str
    #: the wave whose cut-over hands it over (None: it stays as it is)
    wave: int | None
    before: str | None
    before_name: str | None
    infrastructure: str | None
    infrastructure_name: str | None
    application: str | None
    application_name: str | None
    as_is_cny: float
    to_be_cny: float


def operations(
    ledger: model.Ledger, decisions: dict[str, Decision], wave_of: dict[str, int], rules: PlanRules
) -> list[Operation]:
    """Every system's operation before and after, in system id order."""
    out = []
    for system_id in sorted(decisions):
        decision = decisions[system_id]
        system = ledger.systems[system_id]
        before = system.operator or "department"
        name = system.operator_name
        as_is = model.operations_cny(system, ledger.prices)
        staff = system.ops_staff_fte * ledger.prices.ops_staff_fte_year_cny + system.ops_outsourcing_cny
        if decision.action == "retire":
            op = Operation(
                system_id,
                system.owner,
                "retire",
                wave_of.get(system_id, 1),
                before,
                name,
                None,
                None,
                None,
                None,
                as_is,
                0.0,
            )
        elif decision.action in MOVING and decision.target:
            node = ledger.cloud_nodes[decision.target]
            to_be = staff * (1 - rules.infra_ops_share) + system.licence_cny
            op = Operation(
                system_id,
                system.owner,
                decision.action,
                wave_of.get(system_id, 1),
                before,
                name,
                OPS_CENTRE,
                node.name,
                before,
                name,
                as_is,
                to_be,
            )
        else:
            op = Operation(
                system_id,
                system.owner,
                decision.action,
                None,
                before,
                name,
                before,
                name,
                before,
                name,
                as_is,
                as_is,
            )
        out.append(op)
    return out


def handovers(ops: list[Operation]) -> dict[int, list[Operation]]:
    """Per wave, the systems whose operation changes at its cut-over."""
    out: dict[int, list[Operation]] = defaultdict(list)
    for op in ops:
        if op.wave is not None:
            out[op.wave].append(op)
    return dict(sorted(out.items()))
