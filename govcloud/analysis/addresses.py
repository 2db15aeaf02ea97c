"""Address conflicts: overlapping CIDRs of networks that will be joined into one.

The address maths (CIDR ranges, the overlap sweep, the free space of the address plan) lives
with the ledger (:mod:`govcloud.ledger.networks`); each conflict gets a proposed re-addressing
from the free space of the region's address plan.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger.networks import (
    ISOLATED_NETWORKS,
    JOINED_KINDS,
    Allocator,
    overlap_groups,
    overlaps,
    ranges,
)

#: at most this many overlapping pairs are kept as evidence, and at most this many CIDRs get a
#: proposed new range: an address plan where everything overlaps has millions of pairs, and
#: the finding says how many it left out instead of listing them
MAX_EVIDENCE_PAIRS = 5_000
MAX_PROPOSALS = 2_000


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    del thresholds
    ledger = facts.ledger
    joined = [
        n for n in ledger.networks.values() if n.kind in JOINED_KINDS and n.kind not in ISOLATED_NETWORKS
    ]
    all_ranges = ranges(joined)
    union = overlap_groups(all_ranges)
    groups = [sorted(g) for g in union.to_sets() if len(g) > 1]
    if not groups:
        return
    pairs = list(overlaps(all_ranges, MAX_EVIDENCE_PAIRS + 1))
    truncated = len(pairs) > MAX_EVIDENCE_PAIRS
    pairs = pairs[:MAX_EVIDENCE_PAIRS]
    by_group: dict[str, set[tuple[str, str, str, str]]] = {}
    for a, b in pairs:
        by_group.setdefault(union[a.network], set()).add((a.network, a.cidr, b.network, b.cidr))
    used = [ipaddress.ip_network(c, strict=False) for n in ledger.networks.values() for c in n.cidrs]
    allocator = Allocator(ledger.region.address_plan, used)
    proposals_left = MAX_PROPOSALS
    for group in sorted(groups, key=lambda g: g[0]):
        clashes = sorted(by_group.get(union[group[0]], set()))
        clashing = {(a, ac) for a, ac, _, _ in clashes} | {(b, bc) for _, _, b, bc in clashes}
        networks = [ledger.networks[n] for n in group]
        # the network with most sites (then the first id) keeps its addresses
        keeper = min(networks, key=lambda n: (-len(n.sites), n.id))
        proposal = {}
        for network in networks:
            if network is keeper:
                continue
            wanted = [
                c
                for c in network.cidrs
                if (network.id, str(ipaddress.ip_network(c, strict=False))) in clashing
            ]
            taken = []
            for c in wanted:
                if proposals_left <= 0:
                    truncated = True
                    break
                proposals_left -= 1
                taken.append(allocator.take(c))
            proposal[network.id] = taken
        evidence: dict[str, object] = {
            "overlaps": [
                {"network": a, "cidr": ac, "other": b, "other_cidr": bc} for a, ac, b, bc in clashes
            ],
            "keeps_addresses": keeper.id,
            "proposal": {k: [p or None for p in v] for k, v in sorted(proposal.items())},
        }
        if truncated:  # reported, not hidden: the overlaps and proposals past the limits
            evidence["truncated"] = {"max_pairs": MAX_EVIDENCE_PAIRS, "max_proposals": MAX_PROPOSALS}
        yield Finding(
            kind="address-conflict",
            members=tuple(node_id("network", n) for n in group),
            reason="address-overlap",
            recommendation="readdress" if all(all(proposal[n]) for n in proposal) else "readdress-no-space",
            departments=tuple(sorted({n.owner for n in networks})),
            evidence=evidence,
            params={
                "count": len(group),
                "cidrs": _cidrs(clashes),
            },
            confidence=1.0,
        )


def _cidrs(clashes: list[tuple[str, str, str, str]]) -> str:
    cidrs = sorted({c for _, c, _, _ in clashes} | {c for _, _, _, c in clashes})
    shown = ", ".join(cidrs[:20])
    return shown + (f" … (+{len(cidrs) - 20})" if len(cidrs) > 20 else "")
