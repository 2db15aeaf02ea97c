"""The same asset in two ledgers: servers and rooms recorded twice.

Records are matched through blocking keys — a normalised serial number, a management IP
within a site, a normalised hostname within a site (or, when it is specific enough, anywhere),
a room's normalised address plus name — and joined with union-find, so the work grows with
the number of records, never with the number of pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from networkx.utils import UnionFind

from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.analysis.normalise import address_key, hostname_key, serial_key, site_name_key
from govcloud.graph import node_id
from govcloud.ledger import model

#: how sure a match on each key is
CONFIDENCE = {"serial": 0.95, "mgmt_ip": 0.85, "hostname@site": 0.8, "hostname": 0.6, "address+name": 0.85}
#: a hostname key this long is specific enough to match across rooms (``db01`` is not)
SPECIFIC_HOSTNAME = 8


def find(ledger: model.Ledger, thresholds: Thresholds) -> Iterator[Finding]:
    """Groups of server records and of room records that describe one asset."""
    del thresholds  # matching keys are exact after normalisation
    yield from _groups("server", _server_keys(ledger.servers.values()), ledger)
    yield from _groups("site", _site_keys(ledger.sites.values()), ledger)


def _server_keys(servers: Iterable[model.Server]) -> Iterator[tuple[str, str, str]]:
    """(key kind, key, server id) for every blocking key of every server."""
    for s in servers:
        if serial := serial_key(s.serial):
            yield "serial", serial, s.id
        if s.mgmt_ip:
            yield "mgmt_ip", f"{s.site}|{s.mgmt_ip}", s.id
        if host := hostname_key(s.hostname):
            yield "hostname@site", f"{s.site}|{host}", s.id
            if len(host) >= SPECIFIC_HOSTNAME:
                yield "hostname", host, s.id


def _site_keys(sites: Iterable[model.Site]) -> Iterator[tuple[str, str, str]]:
    for site in sites:
        address = address_key(site.address)
        if address:
            yield "address+name", f"{address}|{site_name_key(site.name)}", site.id


def _groups(kind: str, keys: Iterable[tuple[str, str, str]], ledger: model.Ledger) -> Iterator[Finding]:
    union: UnionFind[str] = UnionFind()
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key_kind, key, ident in keys:
        blocks[(key_kind, key)].append(ident)
    serials = {s.id: serial_key(s.serial) for s in ledger.servers.values()} if kind == "server" else {}
    matched_on: dict[str, set[str]] = defaultdict(set)
    for (key_kind, _key), idents in sorted(blocks.items()):
        if len(idents) < 2:
            continue
        if len({serials[i] for i in idents if serials.get(i)}) > 1:
            continue  # two different serial numbers: different machines, whatever their names
        union.union(*idents)
        for ident in idents:
            matched_on[ident].add(key_kind)
    table = getattr(ledger, f"{kind}s")
    for group in union.to_sets():
        if len(group) < 2:
            continue
        members = sorted(group)
        keys_used = sorted(set().union(*(matched_on[m] for m in members)))
        records = [table[m] for m in members]
        departments = sorted({r.owner for r in records})
        where = [
            {"file": file, "path": path}
            for file, path in sorted({(r.source.file, r.source.pointer()) for r in records})
        ]
        names = sorted({str(getattr(r, "hostname", None) or getattr(r, "name", "")) for r in records})
        yield Finding(
            kind="same-asset",
            members=tuple(node_id(kind, m) for m in members),
            reason="same-asset" if len(departments) > 1 else "same-asset-one-ledger",
            recommendation="merge-records",
            departments=tuple(departments),
            evidence={"asset": kind, "matched_on": keys_used, "records": where, "names": names},
            params={
                "asset": kind,
                "count": len(members),
                "keys": ", ".join(keys_used),
                "names": " / ".join(names),
            },
            confidence=max(CONFIDENCE[k] for k in keys_used),
        )
