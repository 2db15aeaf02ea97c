"""Private networks (专网) that the e-government extranet (电子政务外网) can replace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger import model


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    ledger = facts.ledger
    lines_of: dict[str, list[model.Line]] = defaultdict(list)
    for line in ledger.lines.values():
        if line.network:
            lines_of[line.network].append(line)
    for network in ledger.networks.values():
        if network.kind in ("classified", "national_vertical"):
            yield _kept(network)
        elif network.kind == "private":
            finding = _candidate(facts, network, lines_of[network.id], thresholds)
            if finding:
                yield finding


def _kept(network: model.Network) -> Finding:
    return Finding(
        kind="private-network",
        members=(node_id("network", network.id),),
        reason=f"network-{network.kind.replace('_', '-')}",
        recommendation="keep-isolated",
        status="kept",
        departments=(network.owner,),
        evidence={"kind": network.kind, "ministry": network.ministry},
        params={"network": network.name, "ministry": network.ministry or "-"},
    )


def _candidate(
    facts: Facts, network: model.Network, lines: list[model.Line], thresholds: Thresholds
) -> Finding | None:
    """A finding when every site of the network is reached by an access point with headroom."""
    ledger = facts.ledger
    needed = sum(line.bandwidth_mbps for line in lines)
    sites = [ledger.sites[s] for s in network.sites if s in ledger.sites]
    if not sites:
        return None
    reach: dict[str, str] = {}
    for site in sites:
        ap = _access_point_for(facts, site, needed * thresholds.bandwidth_headroom)
        if ap is None:
            return None
        reach[site.id] = ap.id
    line_cost = sum(line.yearly_fee_cny for line in lines)
    extranet_cost = needed * ledger.prices.extranet_mbps_month_cny * 12
    return Finding(
        kind="private-network",
        members=(
            node_id("network", network.id),
            *(node_id("line", ln.id) for ln in sorted(lines, key=lambda x: x.id)),
        ),
        reason="network-replaceable",
        recommendation="move-to-extranet",
        departments=(network.owner,),
        evidence={
            "sites": sorted(reach),
            "access_points": dict(sorted(reach.items())),
            "bandwidth_mbps": needed,
            "line_cost_cny": line_cost,
            "extranet_cost_cny": extranet_cost,
        },
        params={"network": network.name, "sites": len(reach), "mbps": f"{needed:g}"},
        confidence=0.8 if lines else 0.5,
        saving_cny=max(0.0, line_cost - extranet_cost),
    )


def _access_point_for(facts: Facts, site: model.Site, mbps: float) -> model.AccessPoint | None:
    """An access point in the site's prefecture (or a provincial one) with ``mbps`` to spare."""
    prefecture = facts.site_region(site)[:4]
    fitting = [
        ap
        for ap in facts.ledger.access_points.values()
        if ap.bandwidth_mbps >= mbps
        and (ap.region_code is None or ap.region_code[:4] == prefecture or ap.level == "province")
    ]
    local = [ap for ap in fitting if ap.region_code and ap.region_code[:4] == prefecture]
    for candidates in (local, fitting):
        if candidates:
            return sorted(candidates, key=lambda ap: (-ap.bandwidth_mbps, ap.id))[0]
    return None
