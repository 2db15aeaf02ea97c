"""Address conflicts: overlapping CIDRs of networks that will be joined into one.

Overlaps are found by one sweep over the ranges sorted by their first address, keeping the
ranges still open, so the work grows with the number of ranges plus overlaps, not with pairs.
Each conflict gets a proposed re-addressing from the free space of the region's address plan.
"""

from __future__ import annotations

import heapq
import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from networkx.utils import UnionFind

from govcloud.analysis.common import ISOLATED_NETWORKS, Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger import model

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: networks that join the e-government extranet, and so must not overlap
JOINED_KINDS = frozenset({"private", "extranet"})


@dataclass(frozen=True, order=True)
class Range:
    first: int
    last: int
    version: int
    network: str
    cidr: str


def ranges(networks: Iterable[model.Network]) -> list[Range]:
    out = []
    for network in networks:
        for cidr in network.cidrs:
            net = ipaddress.ip_network(cidr, strict=False)
            out.append(
                Range(int(net.network_address), int(net.broadcast_address), net.version, network.id, str(net))
            )
    return sorted(out, key=lambda r: (r.version, r.first, r.last, r.network))


def overlaps(sorted_ranges: list[Range]) -> Iterator[tuple[Range, Range]]:
    """Pairs of overlapping ranges of different networks, by a sweep over sorted ranges."""
    open_ranges: list[tuple[int, int, Range]] = []  # heap by last address
    for i, current in enumerate(sorted_ranges):
        while open_ranges and (
            open_ranges[0][2].version != current.version or open_ranges[0][0] < current.first
        ):
            heapq.heappop(open_ranges)
        for _, _, other in open_ranges:
            if other.network != current.network and other.version == current.version:
                yield other, current
        heapq.heappush(open_ranges, (current.last, i, current))


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    del thresholds
    ledger = facts.ledger
    joined = [
        n for n in ledger.networks.values() if n.kind in JOINED_KINDS and n.kind not in ISOLATED_NETWORKS
    ]
    all_ranges = ranges(joined)
    union: UnionFind[str] = UnionFind()
    evidence: dict[frozenset[str], list[tuple[str, str, str, str]]] = {}
    pairs = list(overlaps(all_ranges))
    for a, b in pairs:
        union.union(a.network, b.network)
    if not pairs:
        return
    used = [ipaddress.ip_network(c, strict=False) for n in ledger.networks.values() for c in n.cidrs]
    allocator = Allocator(ledger.region.address_plan, used)
    for group in sorted((sorted(g) for g in union.to_sets() if len(g) > 1), key=lambda g: g[0]):
        members = set(group)
        clashes = sorted({(a.network, a.cidr, b.network, b.cidr) for a, b in pairs if a.network in members})
        evidence[frozenset(group)] = clashes
        networks = [ledger.networks[n] for n in group]
        # the network with most sites (then the first id) keeps its addresses
        keeper = min(networks, key=lambda n: (-len(n.sites), n.id))
        proposal = {}
        for network in networks:
            if network is keeper:
                continue
            proposal[network.id] = [
                allocator.take(c) for c in network.cidrs if _clashes(c, network.id, clashes)
            ]
        yield Finding(
            kind="address-conflict",
            members=tuple(node_id("network", n) for n in group),
            reason="address-overlap",
            recommendation="readdress" if all(all(proposal[n]) for n in proposal) else "readdress-no-space",
            departments=tuple(sorted({n.owner for n in networks})),
            evidence={
                "overlaps": [
                    {"network": a, "cidr": ac, "other": b, "other_cidr": bc} for a, ac, b, bc in clashes
                ],
                "keeps_addresses": keeper.id,
                "proposal": {k: [p or None for p in v] for k, v in sorted(proposal.items())},
            },
            params={
                "count": len(group),
                "cidrs": ", ".join(sorted({c for _, c, _, _ in clashes} | {c for _, _, _, c in clashes})),
            },
            confidence=1.0,
        )


def _clashes(cidr: str, network: str, clashes: list[tuple[str, str, str, str]]) -> bool:
    canonical = str(ipaddress.ip_network(cidr, strict=False))
    return any(
        (a == network and ac == canonical) or (b == network and bc == canonical) for a, ac, b, bc in clashes
    )


class Allocator:
    """Hands out free blocks of the region's address plan, lowest address first."""

    def __init__(self, plan: Iterable[str], used: Iterable[IPNetwork]) -> None:
        self.free: list[IPNetwork] = []
        taken_blocks = list(used)
        for block in plan:
            pieces: list[IPNetwork] = [ipaddress.ip_network(block, strict=False)]
            for taken in taken_blocks:
                pieces = [p for piece in pieces for p in _minus(piece, taken)]
            self.free.extend(pieces)
        self.free.sort(key=lambda n: (n.version, int(n.network_address)))

    def take(self, cidr: str) -> str:
        """A free block as large as ``cidr``, or "" when the plan has none left."""
        wanted = ipaddress.ip_network(cidr, strict=False)
        for i, block in enumerate(self.free):
            if block.version != wanted.version or block.prefixlen > wanted.prefixlen:
                continue
            chosen = ipaddress.ip_network(f"{block.network_address}/{wanted.prefixlen}")
            self.free[i : i + 1] = sorted(_minus(block, chosen), key=lambda n: int(n.network_address))
            return str(chosen)
        return ""


def _minus(block: IPNetwork, taken: IPNetwork) -> list[IPNetwork]:
    if block.version != taken.version or not block.overlaps(taken):
        return [block]
    if taken.supernet_of(block):  # type: ignore[arg-type]
        return []
    return list(block.address_exclude(taken))  # type: ignore[arg-type]
