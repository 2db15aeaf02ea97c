"""Plan → stacks: a foundation per cloud node that receives servers, and one stack per wave
on it, for alicloud or OpenStack as the node says."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from govcloud.plan import Plan
from govcloud.stacks import alicloud, disaster_recovery, openstack
from govcloud.stacks.layout import NodeLayout, layouts
from govcloud.stacks.spec import Stack

Builder = Callable[[Plan, NodeLayout, dict[str, list[str]]], Stack]
WaveBuilder = Callable[[Plan, NodeLayout, int, str], Stack]

PROVIDERS: dict[str, tuple[Builder, WaveBuilder]] = {
    "alicloud": (alicloud.foundation_stack, alicloud.wave_stack),
    "openstack": (openstack.foundation_stack, openstack.wave_stack),
}


def build_stacks(plan: Plan) -> list[Stack]:
    """Every stack of the plan, foundations first, then waves in order, per node."""
    rooms = rooms_kept(plan)
    out: list[Stack] = []
    for layout in layouts(plan, rooms):
        make_foundation, make_wave = PROVIDERS[layout.node.provider]
        base = make_foundation(plan, layout, rooms)
        disaster_recovery.extend_foundation(base, plan, layout)  # issue 23: disaster recovery
        out.append(base)
        reference = f"organization/{base.project}/{base.stack}"
        for wave in sorted(layout.placements_by_wave):
            out.append(make_wave(plan, layout, wave, reference))
            disaster_recovery.extend_wave(out[-1], plan, layout, wave)  # issue 23: disaster recovery
    return out


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
