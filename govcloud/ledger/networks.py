"""The address maths of a ledger's networks, and the kinds of network that decide it.

Which network kinds must stay apart (``ISOLATED_NETWORKS``) and which are joined into the
e-government extranet and so must not overlap (``JOINED_KINDS``); every CIDR as an integer range;
overlaps found by one sweep over the ranges sorted by their first address, keeping the ranges
still open, so the work grows with the number of ranges plus overlaps, not with pairs; and the
free blocks of the region's address plan.  Analysis (address conflicts), the planner (先立后破),
the baseline's views and the stacks' layout all read them from here.
"""

from __future__ import annotations

import bisect
import heapq
import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from networkx.utils import UnionFind

from govcloud.ledger import model

#: network kinds that must stay physically separate and are never merged or re-addressed
ISOLATED_NETWORKS = frozenset({"classified", "national_vertical", "intranet"})
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
    """Every CIDR of ``networks`` as a range of addresses, sorted by version and first address.

    >>> [(r.network, r.cidr, r.last - r.first + 1) for r in ranges([
    ...     model.Network("a", "A", "d", "private", cidrs=("10.0.1.0/24", "10.0.0.7/23")),
    ...     model.Network("b", "B", "d", "private", cidrs=("10.0.0.128/25",)),
    ... ])]
    [('a', '10.0.0.0/23', 512), ('b', '10.0.0.128/25', 128), ('a', '10.0.1.0/24', 256)]
    """
    out = []
    for network in networks:
        for cidr in network.cidrs:
            net = ipaddress.ip_network(cidr, strict=False)
            out.append(
                Range(int(net.network_address), int(net.broadcast_address), net.version, network.id, str(net))
            )
    return sorted(out, key=lambda r: (r.version, r.first, r.last, r.network))


def overlaps(sorted_ranges: list[Range], limit: int | None = None) -> Iterator[tuple[Range, Range]]:
    """Pairs of overlapping ranges of different networks, by a sweep over sorted ranges
    (at most ``limit`` of them).

    >>> joined = ranges([
    ...     model.Network("a", "A", "d", "private", cidrs=("10.0.0.0/16",)),
    ...     model.Network("b", "B", "d", "private", cidrs=("10.0.5.0/24", "10.1.0.0/24")),
    ...     model.Network("c", "C", "d", "private", cidrs=("10.0.5.128/25",)),
    ... ])
    >>> sorted((x.cidr, y.cidr) for x, y in overlaps(joined))
    [('10.0.0.0/16', '10.0.5.0/24'), ('10.0.0.0/16', '10.0.5.128/25'), ('10.0.5.0/24', '10.0.5.128/25')]
    >>> len(list(overlaps(joined, limit=1)))
    1
    >>> overlap_counts(joined)
    {'a': 2, 'b': 2, 'c': 2}
    """
    open_ranges: list[tuple[int, int, Range]] = []  # heap by last address
    found = 0
    for i, current in enumerate(sorted_ranges):
        while open_ranges and (
            open_ranges[0][2].version != current.version or open_ranges[0][0] < current.first
        ):
            heapq.heappop(open_ranges)
        for _, _, other in open_ranges:
            if other.network != current.network and other.version == current.version:
                if limit is not None and found >= limit:
                    return
                found += 1
                yield other, current
        heapq.heappush(open_ranges, (current.last, i, current))


def overlap_groups(sorted_ranges: list[Range]) -> UnionFind[str]:
    """Networks joined when any of their ranges overlap, in O(n log n) whatever the overlaps:
    every range still open overlaps the current one, so they are all joined already and one
    union with any of them suffices."""
    union: UnionFind[str] = UnionFind()
    open_ranges: list[tuple[int, int, Range]] = []
    for i, current in enumerate(sorted_ranges):
        while open_ranges and (
            open_ranges[0][2].version != current.version or open_ranges[0][0] < current.first
        ):
            heapq.heappop(open_ranges)
        if open_ranges:
            union.union(open_ranges[0][2].network, current.network)
        heapq.heappush(open_ranges, (current.last, i, current))
    return union


def overlap_counts(sorted_ranges: list[Range]) -> dict[str, int]:
    """Per network, how many (range, range of another network) pairs overlap — what counting
    :func:`overlaps` gives, in O(n log n): a range meets those that start before it ends,
    less those that end before it starts."""
    counts: dict[str, int] = {}
    by_version: dict[int, list[Range]] = {}
    for r in sorted_ranges:
        by_version.setdefault(r.version, []).append(r)
    for group in by_version.values():
        own: dict[str, list[Range]] = {}
        for r in group:
            own.setdefault(r.network, []).append(r)
        total = _meeting(group)
        for network, mine in own.items():
            same = _meeting(mine)
            others = sum(total[(r.first, r.last)] * 1 for r in mine) - sum(
                same[(r.first, r.last)] for r in mine
            )
            if others:
                counts[network] = others
    return counts


def _meeting(group: list[Range]) -> dict[tuple[int, int], int]:
    """For each range of ``group`` (by its bounds), how many ranges of ``group`` it meets."""
    firsts = sorted(r.first for r in group)
    lasts = sorted(r.last for r in group)
    return {
        (r.first, r.last): bisect.bisect_right(firsts, r.last) - bisect.bisect_left(lasts, r.first)
        for r in group
    }


class Allocator:
    """Hands out free blocks of the region's address plan, lowest address first.

    The free space is the plan less every used range, computed on merged integer intervals
    (O(n log n)) and cut into the largest aligned blocks, as repeated ``address_exclude``
    would give them."""

    def __init__(self, plan: Iterable[str], used: Iterable[IPNetwork]) -> None:
        self.free: list[IPNetwork] = []
        taken = _merged(sorted((n.version, int(n.network_address), int(n.broadcast_address)) for n in used))
        for block in plan:
            net = ipaddress.ip_network(block, strict=False)
            version, start, end = net.version, int(net.network_address), int(net.broadcast_address)
            cursor = start
            i = max(0, bisect.bisect_left(taken, (version, start, -1)) - 1)
            while i < len(taken):
                v, low, high = taken[i]
                i += 1
                if v < version or high < cursor:
                    continue
                if v > version or low > end:
                    break
                if low > cursor:
                    self.free.extend(_blocks(version, cursor, low - 1))
                cursor = high + 1
                if cursor > end:
                    break
            if cursor <= end:
                self.free.extend(_blocks(version, cursor, end))
        # free blocks by (version, prefix length), each a heap by address: the lowest block
        # that is large enough is the lowest of at most 129 heap tops
        self._heaps: dict[tuple[int, int], list[tuple[int, IPNetwork]]] = {}
        for free_block in self.free:
            self._push(free_block)

    def _push(self, block: IPNetwork) -> None:
        heapq.heappush(
            self._heaps.setdefault((block.version, block.prefixlen), []), (int(block.network_address), block)
        )

    def take(self, cidr: str) -> str:
        """A free block as large as ``cidr``, or "" when the plan has none left."""
        wanted = ipaddress.ip_network(cidr, strict=False)
        best: tuple[int, int] | None = None
        for length in range(wanted.prefixlen + 1):
            heap = self._heaps.get((wanted.version, length))
            if heap and (best is None or heap[0][0] < self._heaps[best][0][0]):
                best = (wanted.version, length)
        if best is None:
            return ""
        _, block = heapq.heappop(self._heaps[best])
        chosen = ipaddress.ip_network(f"{block.network_address}/{wanted.prefixlen}")
        for piece in _minus(block, chosen):
            self._push(piece)
        return str(chosen)


def _merged(intervals: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for version, low, high in intervals:
        if out and out[-1][0] == version and low <= out[-1][2] + 1:
            if high > out[-1][2]:
                out[-1] = (version, out[-1][1], high)
        else:
            out.append((version, low, high))
    return out


def _blocks(version: int, low: int, high: int) -> list[IPNetwork]:
    address = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return list(ipaddress.summarize_address_range(address(low), address(high)))


def _minus(block: IPNetwork, taken: IPNetwork) -> list[IPNetwork]:
    if block.version != taken.version or not block.overlaps(taken):
        return [block]
    if taken.supernet_of(block):  # type: ignore[arg-type]
        return []
    return list(block.address_exclude(taken))  # type: ignore[arg-type]
