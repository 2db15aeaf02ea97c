"""Private networks (专网) that the e-government extranet (电子政务外网) can replace.

A network is coverable only when every one of its sites is reached by an extranet access
point with bandwidth for the network's peak (its lines' bandwidth) times the headroom.  An
access point reaches the sites that share the first ``extranet_reach_digits`` digits of its
region code (6: the same district or county, the default; 4: the same prefecture) or sit in
the same building.  A room without a district-level region code is placed by its district
name (recorded, or in its address) as other rooms of the ledger code it, else by another room
in its building.  When a site is out of reach the network is reported as kept, naming the
site and why.
"""

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
        reason="network-classified" if network.kind == "classified" else "network-national-vertical",
        recommendation="keep-isolated",
        status="kept",
        departments=(network.owner,),
        evidence={"kind": network.kind, "ministry": network.ministry},
        params={"network": network.name, "ministry": network.ministry or "-"},
    )


def _candidate(
    facts: Facts, network: model.Network, lines: list[model.Line], thresholds: Thresholds
) -> Finding | None:
    """A candidate when every site of the network is reached by an access point with headroom,
    else a kept finding naming the first site out of reach."""
    ledger = facts.ledger
    needed = sum(line.bandwidth_mbps for line in lines)
    sites = sorted((ledger.sites[s] for s in network.sites if s in ledger.sites), key=lambda s: s.id)
    if not sites:
        return None
    reach: dict[str, str] = {}
    for site in sites:
        in_reach = reaching(facts, site, thresholds)
        wide = [ap for ap in in_reach if ap.bandwidth_mbps >= needed * thresholds.bandwidth_headroom]
        if not wide:
            return _out_of_reach(facts, network, site, in_reach, needed * thresholds.bandwidth_headroom)
        reach[site.id] = wide[0].id
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
            "reach_digits": thresholds.extranet_reach_digits,
        },
        params={"network": network.name, "sites": len(reach), "mbps": f"{needed:g}"},
        confidence=0.8 if lines else 0.5,
        saving_cny=max(0.0, line_cost - extranet_cost),
    )


def _out_of_reach(
    facts: Facts, network: model.Network, site: model.Site, in_reach: list[model.AccessPoint], need: float
) -> Finding:
    region = facts.site_district(site) or facts.site_region(site)
    evidence: dict[str, object] = {"site": site.id, "region_code": region, "need_mbps": need}
    params: dict[str, object] = {"network": network.name, "site": site.name}
    if in_reach:
        best = in_reach[0]
        reason = "network-ap-too-narrow"
        evidence |= {"access_point": best.id, "access_point_mbps": best.bandwidth_mbps}
        params |= {"access_point": best.name, "have": f"{best.bandwidth_mbps:g}", "need": f"{need:g}"}
    else:
        reason = "network-out-of-reach"
        params["district"] = site.district or region
    return Finding(
        kind="private-network",
        members=(node_id("network", network.id),),
        reason=reason,
        recommendation="extend-extranet",
        status="kept",
        departments=(network.owner,),
        evidence=evidence,
        params=params,
        confidence=0.8,
    )


def reaching(facts: Facts, site: model.Site, thresholds: Thresholds) -> list[model.AccessPoint]:
    """The access points that reach ``site``, widest first (then by id)."""
    digits = thresholds.extranet_reach_digits
    region = scope(facts.site_district(site) or facts.site_region(site), digits)
    place = facts.site_place(site)
    out = []
    for ap in facts.ledger.access_points.values():
        ap_site = facts.ledger.sites.get(ap.site) if ap.site else None
        ap_region = scope(ap.region_code or (facts.site_region(ap_site) if ap_site else ""), digits)
        if ap_site is not None:
            same_building = facts.site_place(ap_site) == place
        else:
            same_building = (
                bool(ap.address) and facts.address_place(ap.address or "", ap.region_code) == place
            )
        if same_building or (region is not None and ap_region == region):
            out.append(ap)
    return sorted(out, key=lambda ap: (-ap.bandwidth_mbps, ap.id))


def scope(region_code: str, digits: int) -> str | None:
    """The first ``digits`` digits of a region code when the code is that precise (990102 at 6
    digits; 990100 — somewhere in the prefecture — is not a district): None otherwise."""
    if len(region_code) < digits or any(region_code[i : i + 2] == "00" for i in range(2, digits, 2)):
        return None
    return region_code[:digits]
