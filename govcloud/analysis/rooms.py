"""Machine rooms to consolidate: small or underused self-built rooms near each other."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger import model


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    """Groups of two or more weak rooms in one district (else one city), and the rooms that
    look like candidates but hold classified systems and stay."""
    weak = [s for s in facts.ledger.sites.values() if s.kind == "self_built" and _is_weak(s, thresholds)]
    kept = [s for s in weak if s.id in facts.classified_sites]
    for site in kept:
        yield Finding(
            kind="room-consolidation",
            members=(node_id("site", site.id),),
            reason="room-classified",
            recommendation="keep-isolated",
            status="kept",
            departments=(site.owner,),
            evidence={"systems": facts.systems_on_site(site.id)},
            params={"room": site.name},
        )
    movable = [s for s in weak if s.id not in facts.classified_sites]
    by_district: dict[tuple[str, str], list[model.Site]] = defaultdict(list)
    for site in movable:
        by_district[(_prefecture(facts, site), site.district or "")].append(site)
    leftovers: dict[str, list[model.Site]] = defaultdict(list)
    grouped: set[str] = set()
    for (city, district), sites in sorted(by_district.items()):
        if district and len(sites) >= 2:
            grouped.add(city)
            yield _finding(facts, sites, thresholds, scope=district)
        else:
            leftovers[city].extend(sites)
    for city, sites in sorted(leftovers.items()):
        # a room alone in its district still has its city's other weak rooms to move with
        if len(sites) >= 2 or (sites and city in grouped):
            yield _finding(facts, sites, thresholds, scope="")


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


def _finding(facts: Facts, sites: list[model.Site], thresholds: Thresholds, scope: str) -> Finding:
    sites = sorted(sites, key=lambda s: s.id)
    cost = sum(s.yearly_cost_cny for s in sites)
    targets = sorted({t.id for s in sites if (t := facts.target_for(s.owner))})
    return Finding(
        kind="room-consolidation",
        members=tuple(node_id("site", s.id) for s in sites),
        reason="rooms-weak" if scope else "rooms-weak-city" if len(sites) > 1 else "room-weak-alone",
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
                    "yearly_cost_cny": s.yearly_cost_cny,
                    "servers": len(facts.servers_on_site.get(s.id, [])),
                }
                for s in sites
            ],
            "district": scope or None,
            "targets": targets,
        },
        params={"count": len(sites), "district": scope, "targets": ", ".join(targets) or "-"},
        confidence=0.8 if scope else 0.6,
        saving_cny=cost * thresholds.room_saving_share,
    )
