"""Machine rooms to consolidate: small or underused self-built rooms near each other."""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from govcloud.analysis import same_asset
from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger import model


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    """Groups of two or more weak rooms in one district (else one city), and the rooms that
    look like candidates but hold classified systems and stay.  A room recorded twice (the
    same-asset groups of room records) is one room: what one record leaves out, the other may
    say (the rack count in one, the racks in use in the other)."""
    weak = [
        r for r in _rooms(facts, thresholds) if r.site.kind == "self_built" and _is_weak(r.site, thresholds)
    ]
    for room in weak:
        if room.classified(facts):
            yield Finding(
                kind="room-consolidation",
                members=tuple(node_id("site", i) for i in room.records),
                reason="room-classified",
                recommendation="keep-isolated",
                status="kept",
                departments=(room.site.owner,),
                evidence={"systems": sorted({x for i in room.records for x in facts.systems_on_site(i)})},
                params={"room": room.site.name},
            )
    movable = [r for r in weak if not r.classified(facts)]
    by_district: dict[tuple[str, str], list[_Room]] = defaultdict(list)
    for room in movable:
        by_district[(_prefecture(facts, room.site), room.site.district or "")].append(room)
    leftovers: dict[str, list[_Room]] = defaultdict(list)
    grouped: set[str] = set()
    for (city, district), rooms in sorted(by_district.items()):
        if district and len(rooms) >= 2:
            grouped.add(city)
            yield _finding(facts, rooms, thresholds, scope=district)
        else:
            leftovers[city].extend(rooms)
    for city, rooms in sorted(leftovers.items()):
        # a room alone in its district still has its city's other weak rooms to move with
        if len(rooms) >= 2 or (rooms and city in grouped):
            yield _finding(facts, rooms, thresholds, scope="")


@dataclass(frozen=True)
class _Room:
    """One room: its records (site ids, the first the one that says most) and what they say
    together."""

    site: model.Site
    records: tuple[str, ...]

    def classified(self, facts: Facts) -> bool:
        return any(i in facts.classified_sites for i in self.records)


_MERGED = ("racks", "racks_used", "utilisation_pct", "region_code", "district", "address")


def _rooms(facts: Facts, thresholds: Thresholds) -> list[_Room]:
    sites = facts.ledger.sites
    group_of = {i: g for g in same_asset.site_groups(facts, thresholds) for i in g}
    out: list[_Room] = []
    seen: set[str] = set()
    for ident in sorted(sites):
        if ident in seen:
            continue
        records = sorted(
            group_of.get(ident, (ident,)),
            key=lambda i: (sum(getattr(sites[i], f) is None for f in _MERGED), i),
        )
        seen.update(records)
        first = sites[records[0]]
        said = functools.partial(_said, [sites[i] for i in records])
        merged = dataclasses.replace(
            first,
            racks=said("racks"),
            racks_used=said("racks_used"),
            utilisation_pct=said("utilisation_pct"),
            region_code=said("region_code"),
            district=said("district"),
            address=said("address"),
            # one room's cost, whether one record or both carry it
            yearly_cost_cny=max(sites[i].yearly_cost_cny or 0.0 for i in records),
        )
        out.append(_Room(merged, tuple(records)))
    return out


def _said(records: list[model.Site], name: str) -> Any:
    """What the first record that records ``name`` says of it."""
    return next((v for r in records if (v := getattr(r, name)) is not None), None)


def _prefecture(facts: Facts, site: model.Site) -> str:
    """The prefecture of a room: its region code's, else its address's or district's, else
    that of the rooms coded in its building, else its owner's (a department's rooms are not
    always in its own city)."""
    known = facts.prefecture_of(site.address, site.region_code, site.district)
    if not known and (district := facts.site_district(site)):
        known = district[:4]
    return known or facts.site_region(site)[:4]


def _is_weak(site: model.Site, thresholds: Thresholds) -> bool:
    low = site.utilisation_pct is not None and site.utilisation_pct < thresholds.room_low_utilisation_pct
    if site.racks and site.racks_used is not None:
        low = low or 100 * site.racks_used / site.racks < thresholds.room_low_utilisation_pct
    small = site.racks is not None and site.racks <= thresholds.room_small_racks
    # the racks were not counted but the racks in use were: what the room holds is small
    small = small or (
        site.racks is None and site.racks_used is not None and site.racks_used <= thresholds.room_small_racks
    )
    return low or small


def _finding(facts: Facts, rooms: list[_Room], thresholds: Thresholds, scope: str) -> Finding:
    rooms = sorted(rooms, key=lambda r: r.records[0])
    records = sorted(i for r in rooms for i in r.records)
    sites = [facts.ledger.sites[i] for i in records]
    cost = sum(r.site.yearly_cost_cny or 0.0 for r in rooms)
    targets = sorted({t.id for r in rooms if (t := facts.target_for(r.site.owner))})
    return Finding(
        kind="room-consolidation",
        members=tuple(node_id("site", i) for i in records),
        reason="rooms-weak" if scope else "rooms-weak-city" if len(rooms) > 1 else "room-weak-alone",
        recommendation="move-rooms-to-cloud",
        departments=tuple(sorted({s.owner for s in sites})),
        evidence={
            "rooms": [
                {
                    "id": s.id,
                    "name": s.name,
                    "owner": s.owner,
                    "racks": s.racks,
                    "racks_used": s.racks_used,
                    "utilisation_pct": s.utilisation_pct,
                    "yearly_cost_cny": s.yearly_cost_cny or 0.0,
                    "servers": len(facts.servers_on_site.get(s.id, [])),
                }
                for s in sites
            ],
            "district": scope or None,
            "targets": targets,
            **(
                {"one_room": [list(r.records) for r in rooms if len(r.records) > 1]}
                if len(records) > len(rooms)
                else {}
            ),
        },
        params={"count": len(rooms), "district": scope, "targets": ", ".join(targets) or "-"},
        confidence=0.8 if scope else 0.6,
        saving_cny=cost * thresholds.room_saving_share,
    )
