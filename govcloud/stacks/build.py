"""Plan → stacks: a foundation per cloud node that receives servers, and one stack per wave
on it, by the node's provider (:mod:`govcloud.stacks.providers`)."""

from __future__ import annotations

import ipaddress

from govcloud.ledger import model
from govcloud.plan import Plan
from govcloud.stacks import disaster_recovery
from govcloud.stacks.layout import layouts
from govcloud.stacks.providers import PROVIDERS
from govcloud.stacks.spec import Stack


def build_stacks(plan: Plan) -> list[Stack]:
    """Every stack of the plan, foundations first, then waves in order, per node."""
    rooms = rooms_kept(plan)
    out: list[Stack] = []
    for layout in layouts(plan, rooms, egress=_egress_rules):
        provider = PROVIDERS[layout.node.provider]
        base = provider.foundation(plan, layout, rooms)
        disaster_recovery.extend_foundation(base, plan, layout)  # issue 23: disaster recovery
        out.append(base)
        reference = f"organization/{base.project}/{base.stack}"
        for wave in sorted(layout.placements_by_wave):
            out.append(provider.wave(plan, layout, wave, reference))
            disaster_recovery.extend_wave(out[-1], plan, layout, wave)  # issue 23: disaster recovery
    return out


def _egress_rules(node: model.CloudNode) -> bool:
    return PROVIDERS[node.provider].egress_rules


def rooms_kept(plan: Plan) -> dict[str, list[str]]:
    """Rooms that still hold servers after the last wave, with the address ranges behind them
    (the private networks that reach them), for the hybrid links."""
    ledger = plan.ledger
    closed = {room for entry in plan.schedule for room in entry.closed_rooms}
    open_rooms = sorted({s.site for s in ledger.servers.values()} - closed)
    out: dict[str, list[str]] = {}
    for room in open_rooms:
        cidrs = sorted(
            {
                str(ipaddress.ip_network(c, strict=False))
                for n in ledger.networks.values()
                if room in n.sites and n.kind in ("extranet", "private")
                for c in n.cidrs
            }
        )
        if cidrs:
            out[room] = cidrs
    return out
