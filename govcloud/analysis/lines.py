"""Parallel dedicated lines: lines of different departments between the same two places.

A place is a building, not a record: a room is known by the building key of its address
(:mod:`govcloud.analysis.places`: 府前路1号 = 府前路一号 = 海州市府前路1号省政府大楼3楼), so two
departments' rooms in one building, or one room recorded twice, are the same end.  Lines in a
declared redundancy group are intended and are reported as kept; lines carrying classified or
national vertical networks stay separate by rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger import model


def place_key(facts: Facts, end: model.LineEnd) -> str:
    """What a line end reaches, as a key every spelling of one building shares
    (:func:`places.building_key`, told apart by prefecture where recorded)."""
    ledger = facts.ledger
    kind, value = end.ref()
    if kind == "site":
        site = ledger.sites.get(value)
        return facts.site_place(site) if site else f"site:{value}"
    if kind == "access_point":
        ap = ledger.access_points.get(value)
        if ap and ap.site and ap.site in ledger.sites and ledger.sites[ap.site].address:
            return facts.site_place(ledger.sites[ap.site])
        if ap and ap.address:
            return facts.address_place(ap.address, ap.region_code)
        return f"ap:{value}"
    if kind == "cloud_node":
        return f"cloud:{value}"
    return facts.address_place(value, end.region_code)


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    ledger = facts.ledger
    by_pair: dict[tuple[str, str], list[model.Line]] = defaultdict(list)
    for line in ledger.lines.values():
        a, z = sorted((place_key(facts, line.a_end), place_key(facts, line.z_end)))
        by_pair[(a, z)].append(line)
    for pair, lines in sorted(by_pair.items()):
        yield from _pair_findings(facts, pair, lines, thresholds)


def _pair_findings(
    facts: Facts, pair: tuple[str, str], lines: list[model.Line], thresholds: Thresholds
) -> Iterator[Finding]:
    isolated = [ln for ln in lines if ln.network in facts.isolated_networks]
    groups: dict[tuple[str, str], list[model.Line]] = defaultdict(list)
    for line in lines:
        if line.redundancy_group and line not in isolated:
            groups[(line.owner, line.redundancy_group)].append(line)
    redundant: list[model.Line] = []
    for (owner, group), members in sorted(groups.items()):
        if len(members) >= 2:
            redundant.extend(members)
            carriers = sorted({m.carrier for m in members})
            yield Finding(
                kind="parallel-lines",
                members=tuple(node_id("line", m.id) for m in members),
                reason="lines-redundancy" if len(carriers) > 1 else "lines-redundancy-one-carrier",
                recommendation="keep-redundancy",
                status="kept",
                departments=(owner,),
                evidence={"redundancy_group": group, "carriers": carriers, "places": list(pair)},
                params={"group": group, "carriers": ", ".join(carriers)},
            )
    # intended redundancy is kept whole: only the other lines can be shared
    shared = [ln for ln in lines if ln not in isolated and ln not in redundant]
    if len({ln.owner for ln in shared}) >= 2:
        yield _parallel(pair, shared, thresholds)
    if isolated and len({ln.owner for ln in lines}) >= 2:
        yield Finding(
            kind="parallel-lines",
            members=tuple(node_id("line", ln.id) for ln in sorted(isolated, key=lambda x: x.id)),
            reason="lines-isolated",
            recommendation="keep-isolated",
            status="kept",
            departments=tuple(sorted({ln.owner for ln in isolated})),
            evidence={
                "networks": sorted({ln.network for ln in isolated if ln.network}),
                "places": list(pair),
            },
            params={"networks": ", ".join(sorted({ln.network for ln in isolated if ln.network}))},
        )


def _parallel(pair: tuple[str, str], lines: list[model.Line], thresholds: Thresholds) -> Finding:
    lines = sorted(lines, key=lambda ln: ln.id)
    # keep the widest line (ties: the cheapest, then the first id); the others can be cancelled
    keep = min(lines, key=lambda ln: (-ln.bandwidth_mbps, ln.monthly_fee_cny, ln.id))
    # the kept line is upgraded to carry everyone's traffic; count the extra bandwidth at the
    # price of the most expensive Mbps among the cancelled lines, so the saving is not overstated
    others = [ln for ln in lines if ln is not keep]
    extra_mbps = max(0.0, sum(ln.bandwidth_mbps for ln in lines) - keep.bandwidth_mbps)
    price_per_mbps = max(
        (ln.monthly_fee_cny / ln.bandwidth_mbps for ln in others if ln.bandwidth_mbps), default=0.0
    )
    upgrade = extra_mbps * price_per_mbps * 12 * thresholds.line_upgrade_price_share
    saving = max(0.0, sum(ln.yearly_fee_cny for ln in others) - upgrade)
    departments = sorted({ln.owner for ln in lines})
    return Finding(
        kind="parallel-lines",
        members=tuple(node_id("line", ln.id) for ln in lines),
        reason="lines-parallel",
        recommendation="share-one-line",
        departments=tuple(departments),
        evidence={
            "places": list(pair),
            "lines": [
                {
                    "id": ln.id,
                    "owner": ln.owner,
                    "carrier": ln.carrier,
                    "bandwidth_mbps": ln.bandwidth_mbps,
                    "monthly_fee_cny": ln.monthly_fee_cny,
                }
                for ln in lines
            ],
            "keep": keep.id,
        },
        params={"count": len(lines), "departments": len(departments), "keep": keep.id},
        confidence=0.9 if not any(p.startswith("site:") for p in pair) else 0.7,
        saving_cny=saving,
    )
