"""Disaster recovery that survives consolidation (docs/plan.md, "Disaster recovery").

Every moving system that has an off-site backup or a standby today, or whose MLPS level, data
class or recovery objectives ask for one, gets an equivalent in the plan:

- an **off-site copy** on its node's paired ``recovery_node`` (certified for its level; an
  alicloud node, which the stacks can send snapshot copies or objects to) or in the provider's
  ``recovery_region`` (alicloud: cross-region snapshot copies), taken at least as often as its RPO asks (hourly at
  best; a shorter RPO needs a hot standby, which replicates continuously); required for level 3
  and above (GB/T 22239 8.1.4.9 b) and kept for any system that has one today;
- copies (off site, or in the node for a standby) at least every RPO hours (hourly at best);
- a **standby** in the paired zone of its node (``recovery_zone``), else another zone, else on
  another host of the only zone (reported as ``standby-same-zone``): hot where it is hot today, where important or core data at level 3 or above
  asks for it (8.1.4.9 c) or where the RTO is under ``HOT_RTO_HOURS``; cold where it is cold
  today or the RTO is under ``COLD_RTO_HOURS``.

A system whose recovery copy sits in a room today (``backup.site``) needs that room until its
replacement is live, the end of the system's wave: ``holds`` lists where the plan closes such a
room earlier.  Systems that stay keep what they have; if their recovery room closes, that is a
hold too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from govcloud.ledger import model
from govcloud.plan.decide import MOVING

if TYPE_CHECKING:  # the planner prices standbys with this module
    from govcloud.plan.planner import Plan

#: an RTO below this many hours needs a hot standby (a cold one takes longer to start)
HOT_RTO_HOURS = 4.0
#: an RTO below this many hours needs at least a cold standby (restoring a backup takes a day)
COLD_RTO_HOURS = 24.0
#: the shortest interval of scheduled off-site copies (hours)
MIN_COPY_HOURS = 1.0


@dataclass(frozen=True)
class Recovery:
    """What a system has today and what the plan gives it."""

    system: str
    level: int
    node: str
    wave: int
    offsite_today: bool
    standby_today: str | None
    site_today: str | None
    rpo_hours: float | None
    rto_hours: float | None
    #: where the off-site copy goes: ``node:<id>`` or ``region:<provider region>``
    offsite: str | None = None
    #: the provider region the copies are sent to
    offsite_region: str | None = None
    copy_every_hours: float | None = None
    standby: str | None = None
    #: the standby zone of the system's first server (each server's standby goes to the pair
    #: of its own zone, :func:`paired_zone`)
    standby_zone: str | None = None
    #: problem codes (``recovery.problem.<code>`` messages)
    problems: tuple[str, ...] = ()

    @property
    def rpo_met(self) -> bool:
        if self.rpo_hours is None:
            return True
        if self.standby == "hot":
            return True
        return self.copy_every_hours is not None and self.copy_every_hours <= self.rpo_hours


@dataclass(frozen=True)
class Hold:
    """A room holding the only recovery copy of a system, and when its replacement is live."""

    room: str
    system: str
    closes_after_wave: int
    live_after_wave: int | None

    @property
    def ok(self) -> bool:
        return self.live_after_wave is not None and self.live_after_wave <= self.closes_after_wave


def needs_offsite(level: int, offsite_today: bool) -> bool:
    return offsite_today or level >= 3


def standby_mode(level: int, data_class: str, ha: str | None, rto_hours: float | None) -> str | None:
    if ha == "hot" or (level >= 3 and data_class in ("important", "core")):
        return "hot"
    if rto_hours is not None and rto_hours < HOT_RTO_HOURS:
        return "hot"
    if ha == "cold" or (rto_hours is not None and rto_hours < COLD_RTO_HOURS):
        return "cold"
    return None


def paired_zone(node: model.CloudNode, zone_id: str) -> str:
    """Where the standby of a server in ``zone_id`` goes: the zone's ``recovery_zone``, else the
    node's next other zone, else the same zone (another host)."""
    zone = next((z for z in node.zones if z.id == zone_id), node.zones[0])
    if zone.recovery_zone:
        return zone.recovery_zone
    others = [z.id for z in node.zones if z.id != zone.id]
    return others[0] if others else zone.id


def plan_recovery(plan: Plan) -> list[Recovery]:
    """The recovery of every moving system that needs one, in system id order."""
    ledger = plan.ledger
    zones_of: dict[str, list[str]] = {}
    for p in sorted(plan.placements, key=lambda p: p.server):
        zones_of.setdefault(p.system, [])
        if p.zone not in zones_of[p.system]:
            zones_of[p.system].append(p.zone)
    out = []
    for system_id, decision in sorted(plan.decisions.items()):
        system = ledger.systems[system_id]
        if decision.action not in MOVING or decision.target is None:
            continue
        backup = system.backup
        offsite_today = bool(backup and backup.offsite)
        ha = system.ha if system.ha in ("hot", "cold") else None
        mode = standby_mode(system.mlps_level, system.data_class, ha, system.rto_hours)
        wants_offsite = needs_offsite(system.mlps_level, offsite_today)
        if not (wants_offsite or mode):
            continue
        node = ledger.cloud_nodes[decision.target]
        pair = ledger.cloud_nodes.get(node.recovery_node or "")
        problems: list[str] = []
        offsite = region = None
        if wants_offsite:
            if (
                pair is not None
                and pair.certified_mlps_level >= system.mlps_level
                and pair.provider == "alicloud"
            ):
                offsite, region = f"node:{pair.id}", pair.region
            elif node.recovery_region and node.provider == "alicloud":
                offsite, region = f"region:{node.recovery_region}", node.recovery_region
            else:
                problems.append("no-recovery-site")
        rpo = system.rpo_hours
        every = 24.0 if rpo is None else min(24.0, max(MIN_COPY_HOURS, float(math.floor(rpo)) or 1.0))
        standby_zone = None
        if mode:
            standby_zone = paired_zone(node, (zones_of.get(system_id) or [node.zones[0].id])[0])
            if len(node.zones) == 1:  # a single-zone node: another host of the same zone
                problems.append("standby-same-zone")
        rec = Recovery(
            system_id,
            system.mlps_level,
            node.id,
            plan.wave_of.get(system_id, 1),
            offsite_today,
            ha,
            backup.site if backup else None,
            system.rpo_hours,
            system.rto_hours,
            offsite,
            region,
            every,
            mode,
            standby_zone,
            tuple(problems),
        )
        if not rec.rpo_met:
            rec = replace(rec, problems=(*rec.problems, "rpo-not-met"))
        out.append(rec)
    return out


def holds(plan: Plan) -> list[Hold]:
    """Rooms holding a system's recovery copy today that the plan closes, and when the
    system's replacement is live (``None``: it never is, the system stays without its copy)."""
    ledger = plan.ledger
    closes = {room: e.wave.number for e in plan.schedule for room in e.closed_rooms}
    recovered = {r.system: r.wave for r in plan_recovery(plan) if r.offsite}
    out = []
    for system in ledger.systems.values():
        site = system.backup.site if system.backup else None
        if not site or site not in closes:
            continue
        decision = plan.decisions[system.id]
        if decision.action == "retire":
            continue  # nothing left to recover
        out.append(Hold(site, system.id, closes[site], recovered.get(system.id)))
    return sorted(out, key=lambda h: (h.room, h.system))
