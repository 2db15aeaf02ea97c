"""The same asset in two ledgers: servers and rooms recorded twice, found by a scored match.

Entity resolution in three steps, each linear in the number of records:

1. **Blocking.** Records that share a normalised serial, MAC, asset tag, hostname, or an IP
   within one building become candidate pairs; rooms that share a building key.  A block
   larger than :data:`MAX_BLOCK` says nothing (a placeholder serial, ``web01`` across a
   province) and is split by building or dropped, so the pairs never grow with the square of
   the ledger.
2. **Scoring.** Each candidate pair gets a score from weighted evidence — agreement adds,
   disagreement subtracts (:data:`WEIGHTS`).  Hostnames made of role words (``db-server``,
   ``web01``) or used by several departments are weak evidence, unset ones (``localhost``)
   none: a generic name alone never reaches the threshold.
3. **Clustering.** Pairs at or above ``same_asset_min_score`` are joined, best first, unless
   the join would put two different serial numbers, two records of the configured
   ``keep_apart`` list, or two records with strong evidence against their own pair, into one
   group; a refused join does not stop the others.  A record that fits two records kept apart
   about equally well is ambiguous and joins neither.

Every finding lists the pairs that joined it, with their features and scores, and the
buildings its records are in.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import combinations
from typing import Any

import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.analysis.normalise import site_name_key, text_key
from govcloud.analysis.places import fold, without_divisions
from govcloud.graph import node_id
from govcloud.ledger import model

#: evidence and its weight; negative weights are disagreement
WEIGHTS: dict[str, float] = {
    "serial": 0.9,
    "serial-one-typo": 0.3,
    "serial-differs": -1.0,
    "mac": 0.9,
    "mac-differs": -0.3,
    "asset-tag": 0.8,
    "asset-tag-differs": -0.5,
    "hostname": 0.45,
    "hostname-generic": 0.1,
    "hostname-generic-two-in-room": 0.3,
    "hostname-differs": -0.1,
    "domain-differs": -0.1,
    "ip-same-room": 0.5,
    "ip-elsewhere": 0.15,
    "mgmt-ip-differs": -0.2,
    "ips-differ": -0.2,
    "same-room": 0.15,
    "other-room": -0.15,
    "size": 0.1,
    "size-differs": -0.2,
    "os": 0.05,
    "os-differs": -0.05,
    "kind-differs": -0.3,
    # rooms
    "building": 0.4,
    "room-name": 0.4,
    "room-name-differs": -0.3,
    "floor": 0.1,
    "floor-differs": -0.5,
    "same-owner": 0.1,
    "racks": 0.1,
    "room-kind-differs": -0.3,
}
#: a pair that does not match, with evidence this strong against it (a sum of negative
#: weights), is never put in one group through a third record (cannot-link)
APART_AGAINST = -0.3
#: a record whose best matches are this close, with records kept apart, is ambiguous: not merged
AMBIGUOUS_WITHIN = 0.05
#: a block of more records than this is too common to be evidence (split by building, else dropped)
MAX_BLOCK = 40
#: what is left of a room's name when it only says "the main one" (主机房, 中心机房): the room
#: a bare name (教育局机房) means
MAIN_ROOM_WORDS = frozenset({"主", "总", "本部", "主用"})
#: room names at least this similar (rapidfuzz ratio, 0–100) are one name
ROOM_NAME_SIMILAR = 85.0
_TOKENS = re.compile(r"[a-z]+|\d+")
#: a floor written as such (3楼, 三层, 3F) or as the first digits of a room number (305室)
_FLOOR = re.compile(r"(\d+)(?:楼|层|f)|(\d{1,2})\d\d(?:室|房间)")


@functools.cache
def _hostname_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    text = resources.files("govcloud.analysis").joinpath("data/hostname_words.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return (
        frozenset(data["role_words"]),
        frozenset(text_key(s) for s in data["junk_serials"]),
        frozenset(text_key(s) for s in data["unset_hostnames"]),
    )


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    """Groups of server records and of room records that describe one asset."""
    places = {s.id: facts.site_place(s) for s in facts.ledger.sites.values()}
    servers = [
        ServerRecord.of(s, places.get(s.site, f"site:{s.site}")) for s in facts.ledger.servers.values()
    ]
    yield from _resolve(
        "server", servers, _server_pairs(servers, thresholds), score_servers, facts, thresholds
    )
    yield from _site_findings(facts, thresholds, places)


def _site_findings(facts: Facts, thresholds: Thresholds, places: dict[str, str]) -> Iterator[Finding]:
    departments = {d.id: department_key(d.name) for d in facts.ledger.departments.values()}
    sites = [
        SiteRecord.of(s, places[s.id], departments.get(s.owner, "")) for s in facts.ledger.sites.values()
    ]
    yield from _resolve("site", sites, _site_pairs(sites), score_sites, facts, thresholds)


def site_groups(facts: Facts, thresholds: Thresholds) -> list[tuple[str, ...]]:
    """The room records (site ids) that describe one room, as the same-asset findings group
    them: a room recorded twice is one room to consolidate, not two."""
    places = {s.id: facts.site_place(s) for s in facts.ledger.sites.values()}
    return [tuple(m.split(":", 1)[1] for m in f.members) for f in _site_findings(facts, thresholds, places)]


# ---- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerRecord:
    """A server's identifying features, normalised once."""

    id: str
    owner: str
    place: str
    serial: str
    mac: str
    asset_tag: str
    host: str
    domain: str
    ips: frozenset[str]
    mgmt_ip: str
    kind: str
    cpu_cores: int
    memory_gb: float
    os: str

    @classmethod
    def of(cls, server: model.Server, place: str) -> ServerRecord:
        host, _, domain = (
            unicodedata.normalize("NFKC", server.hostname or "").strip().casefold().partition(".")
        )
        ips = {key for ip in (*server.ips, server.mgmt_ip) if ip and (key := ip_key(ip))}
        return cls(
            id=server.id,
            owner=server.owner,
            place=place,
            serial=serial_key(server.serial),
            mac=mac_key(server.mac),
            asset_tag=text_key(server.asset_tag),
            host="" if text_key(host) in _hostname_words()[2] else hostname_key(host),
            domain=text_key(domain) if domain not in ("", "localdomain", "local") else "",
            ips=frozenset(ips),
            mgmt_ip=ip_key(server.mgmt_ip or ""),
            kind=server.kind,
            cpu_cores=server.cpu_cores,
            memory_gb=server.memory_gb,
            os=os_key(server.os),
        )


@dataclass(frozen=True)
class SiteRecord:
    id: str
    owner: str
    place: str
    name: str
    #: the name without its department's (澜州教育局主机房 → 主, 教育局数据中心 → "")
    label: str
    floor: str
    kind: str
    racks: int | None

    @classmethod
    def of(cls, site: model.Site, place: str, department: str) -> SiteRecord:
        floors = [a or b for a, b in _FLOOR.findall(fold(f"{site.address or ''}{site.name}"))]
        name = site_name_key(site.name)
        label = name
        # site_name_key drops a leading 省/市, which may begin the department's name (市场监管局)
        for dept in (department, department.removeprefix("省").removeprefix("市")):
            if dept and dept in name:
                label = name[name.index(dept) + len(dept) :]
                break
        if label in MAIN_ROOM_WORDS:
            label = ""  # 主机房 is the room people mean by the bare name
        return cls(
            site.id, site.owner, place, name, label, floors[-1] if floors else "", site.kind, site.racks
        )


#: a label people type before a serial number: "SN: 2102…", "S/N：…", "序列号:…"
_SERIAL_LABEL = re.compile(r"^\s*(?:s\s*/?\s*n|serial(?:\s*no\.?)?|序列号|sn号)\s*[:：]\s*", re.IGNORECASE)


def serial_key(serial: str | None) -> str:
    """A serial without case, width, spaces, dashes and a typed label ("SN: "); "" for
    placeholders (N/A, 无, 000000).

    >>> serial_key("SN: 2102-ab 33")
    '2102ab33'
    >>> serial_key("N/A"), serial_key("000000")
    ('', '')
    """
    if serial:
        serial = _SERIAL_LABEL.sub("", unicodedata.normalize("NFKC", serial))
    key = text_key(serial)
    _, junk, _ = _hostname_words()
    if len(key) < 3 or key in junk or len(set(key)) == 1:
        return ""
    return key


def mac_key(mac: str | None) -> str:
    """The 12 hex digits of a MAC address; "" for none, all zeros or broadcast.

    >>> mac_key("00:1A:2b:3c:4D:5e")
    '001a2b3c4d5e'
    >>> mac_key("ff-ff-ff-ff-ff-ff"), mac_key(None)
    ('', '')
    """
    digits = re.sub(r"[^0-9a-f]", "", unicodedata.normalize("NFKC", mac or "").casefold())
    return digits if len(digits) == 12 and len(set(digits)) > 1 else ""


def hostname_key(host: str) -> str:
    """A host part without width, case, separators and leading zeros (``WEB-001`` = ``web1``).

    >>> hostname_key("WEB-001") == hostname_key("web1") == "web1"
    True
    """
    return "".join(str(int(t)) if t.isdigit() else t for t in _TOKENS.findall(text_key(host)))


def os_key(os_name: str | None) -> str:
    return text_key(os_name)


_PLAIN_IPV4 = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
_NOT_AN_ADDRESS = ("127.", "0.0.0.0", "169.254.")  # noqa: S104 - compared, never bound


def ip_key(ip: str) -> str:
    """An IP address in one spelling; "" for none, loopback, unspecified or link-local.

    >>> ip_key("10.1.2.3"), ip_key("2001:DB8::1")
    ('10.1.2.3', '2001:db8::1')
    >>> ip_key("127.0.0.1"), ip_key("fe80::1"), ip_key("not an address")
    ('', '', '')
    """
    if not ip:
        return ""
    if _PLAIN_IPV4.fullmatch(ip):  # the common case, already validated: no parsing
        return "" if ip.startswith(_NOT_AN_ADDRESS) else ip
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.is_loopback or address.is_unspecified or address.is_link_local:
        return ""
    return str(address)


def department_key(name: str) -> str:
    """A department's name without its divisions (澜州市教育局 → 教育局), as room names use it.

    >>> department_key("澜州市教育局")
    '教育局'
    """
    return text_key(without_divisions(fold(name)))


def generic_hostnames(records: Sequence[ServerRecord], owners_for_generic: int) -> frozenset[str]:
    """Hostnames that say little: made only of role words and digits, or used by
    ``owners_for_generic`` or more departments."""
    roles, _, _ = _hostname_words()
    owners: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.host:
            owners[r.host].add(r.owner)
    generic = set()
    for host, who in owners.items():
        words = [t for t in _TOKENS.findall(host) if not t.isdigit()]
        if len(who) >= owners_for_generic or all(w in roles for w in words):
            generic.add(host)
    return frozenset(generic)


# ---- blocking ------------------------------------------------------------------------------


def _server_pairs(records: Sequence[ServerRecord], thresholds: Thresholds) -> Iterator[tuple[int, int]]:
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for kind, value in (("serial", r.serial), ("mac", r.mac), ("tag", r.asset_tag), ("host", r.host)):
            if value:
                blocks[(kind, value)].append(i)
        for ip in r.ips:
            blocks[("ip", f"{r.place}|{ip}")].append(i)
    del thresholds
    yield from _block_pairs(blocks.values(), lambda i: records[i].place)


def _site_pairs(records: Sequence[SiteRecord]) -> Iterator[tuple[int, int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        if not r.place.startswith("site:"):
            blocks[r.place].append(i)
    yield from _block_pairs(blocks.values(), lambda i: records[i].owner)


def _block_pairs(blocks: Iterable[list[int]], split: Callable[[int], str]) -> Iterator[tuple[int, int]]:
    """Pairs within each block; a block too large is split by ``split``, then dropped."""
    seen: set[tuple[int, int]] = set()
    for block in blocks:
        parts = [block]
        if len(block) > MAX_BLOCK:
            by: dict[str, list[int]] = defaultdict(list)
            for i in block:
                by[split(i)].append(i)
            parts = [p for p in by.values() if len(p) <= MAX_BLOCK]
        for part in parts:
            for pair in combinations(sorted(part), 2):
                if pair not in seen:
                    seen.add(pair)
                    yield pair


# ---- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    generic_hosts: frozenset[str] = frozenset()
    #: (building, generic hostname) carried by exactly two records: the name tells them from
    #: the rest of the room, though not from the rest of the province
    pair_in_room: frozenset[tuple[str, str]] = frozenset()


def score_servers(a: ServerRecord, b: ServerRecord, ctx: Context) -> dict[str, float]:
    """The evidence that two server records are one machine, by feature."""
    features: list[str] = []
    if a.serial and b.serial:
        if a.serial == b.serial:
            features.append("serial")
        elif _one_typo(a.serial, b.serial):
            features.append("serial-one-typo")
        else:
            features.append("serial-differs")
    if a.mac and b.mac:
        features.append("mac" if a.mac == b.mac else "mac-differs")
    if a.asset_tag and b.asset_tag:
        if a.asset_tag == b.asset_tag:
            features.append("asset-tag")
        elif a.owner == b.owner:
            features.append("asset-tag-differs")  # one department numbers its assets once
    if a.host and b.host:
        if a.host == b.host:
            if a.host not in ctx.generic_hosts:
                features.append("hostname")
            elif (a.place, a.host) in ctx.pair_in_room and a.place == b.place:
                features.append("hostname-generic-two-in-room")
            else:
                features.append("hostname-generic")
        else:
            features.append("hostname-differs")
        if a.domain and b.domain and a.domain != b.domain:
            features.append("domain-differs")
    same_room = a.place == b.place
    if a.ips & b.ips:
        features.append("ip-same-room" if same_room else "ip-elsewhere")
    elif same_room and a.mgmt_ip and b.mgmt_ip:
        features.append("mgmt-ip-differs")
    elif same_room and a.ips and b.ips:
        features.append("ips-differ")  # two addresses in one room: two machines, or re-addressed
    if same_room:
        features.append("same-room")
    elif not (a.place.startswith("site:") or b.place.startswith("site:")):
        features.append("other-room")  # two known buildings; rooms without an address say nothing
    if a.cpu_cores and b.cpu_cores and a.memory_gb and b.memory_gb:
        same_size = a.cpu_cores == b.cpu_cores and abs(a.memory_gb - b.memory_gb) <= 0.05 * a.memory_gb
        features.append("size" if same_size else "size-differs")
    if a.os and b.os:
        features.append("os" if fuzz.ratio(a.os, b.os) >= 90 else "os-differs")
    if a.kind != b.kind:
        features.append("kind-differs")
    return {f: WEIGHTS[f] for f in features}


def score_sites(a: SiteRecord, b: SiteRecord, ctx: Context) -> dict[str, float]:
    """The evidence that two room records are one room (they share a building: blocking)."""
    del ctx
    features = ["building"]
    if a.owner == b.owner:
        # one department names its room with or without its own name (澜州教育局主机房 /
        # 主机房 / 教育局数据中心): compare what is left; a bare name means the main room
        if a.label == b.label or fuzz.ratio(a.label, b.label) >= ROOM_NAME_SIMILAR:
            features.append("room-name")
        else:
            features.append("room-name-differs")
    else:
        similar = fuzz.ratio(a.name, b.name) if a.name and b.name else 0.0
        features.append("room-name" if similar >= ROOM_NAME_SIMILAR else "room-name-differs")
    if a.floor and b.floor:
        features.append("floor" if a.floor == b.floor else "floor-differs")
    if a.owner == b.owner:
        features.append("same-owner")
    if a.racks and b.racks and a.racks == b.racks:
        features.append("racks")
    if a.kind != b.kind:
        features.append("room-kind-differs")
    return {f: WEIGHTS[f] for f in features}


# ---- clustering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    score: float
    a: str
    b: str
    features: dict[str, float]


def _resolve(
    asset: str,
    records: Sequence[Any],
    pairs: Iterable[tuple[int, int]],
    score: Callable[[Any, Any, Context], dict[str, float]],
    facts: Facts,
    thresholds: Thresholds,
) -> Iterator[Finding]:
    ctx = Context()
    if asset == "server":
        in_room = Counter((r.place, r.host) for r in records if r.host)
        ctx = Context(
            generic_hostnames(records, thresholds.same_asset_generic_owners),
            frozenset(key for key, n in in_room.items() if n == 2),
        )
    edges = []
    apart: dict[str, set[str]] = defaultdict(set)
    for group in thresholds.keep_apart:
        for x in group:
            apart[x].update(y for y in group if y != x)
    for i, j in pairs:
        a, b = sorted((records[i].id, records[j].id))
        features = score(records[i], records[j], ctx)
        total = round(sum(features.values()), 4)
        if total >= thresholds.same_asset_min_score:
            edges.append(Edge(total, a, b, features))
        elif sum(w for w in features.values() if w < 0) <= APART_AGAINST:
            apart[a].add(b)  # strong evidence of two things: never in one group
            apart[b].add(a)
    edges = _unambiguous(edges, apart)
    edges.sort(key=lambda e: (-e.score, e.a, e.b))
    serials = {r.id: r.serial for r in records} if asset == "server" else {}
    clusters = _Clusters()
    used: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        ra, rb = clusters.root(edge.a), clusters.root(edge.b)
        if ra == rb:
            continue
        ma, mb = clusters.members(ra), clusters.members(rb)
        if _serials_conflict(
            {serials[m] for m in ma if serials.get(m)}, {serials[m] for m in mb if serials.get(m)}
        ):
            continue  # two serial numbers: two machines, however alike the rest
        if any(apart[m] & set(mb) for m in ma):
            continue  # configured to stay apart
        joined = [*used.pop(ra, []), *used.pop(rb, []), edge]
        used[clusters.join(ra, rb)] = joined
    table = getattr(facts.ledger, f"{asset}s")
    places = {r.id: r.place for r in records}
    for root, joined in used.items():
        members = sorted(clusters.members(clusters.root(root)))
        buildings = sorted({places[m] for m in members})
        yield _finding(asset, members, joined, table, thresholds, buildings)


def _unambiguous(edges: list[Edge], apart: dict[str, set[str]]) -> list[Edge]:
    """``edges`` without those of a record that fits, about equally well, two records that are
    apart (a bare "数据中心" in a building where one department has a 主机房 and a 备份机房)."""
    near: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        near[e.a].append(e)
        near[e.b].append(e)
    dropped: set[int] = set()
    for record, mine in near.items():
        best = max(e.score for e in mine)
        close = [e for e in mine if e.score >= best - AMBIGUOUS_WITHIN]
        partners = {e.b if e.a == record else e.a: e for e in close}
        if any(apart[p] & set(partners) for p in partners):
            dropped.update(id(e) for e in close)
    return [e for e in edges if id(e) not in dropped]


def _serials_conflict(a: set[str], b: set[str]) -> bool:
    """Two serial numbers that are neither equal nor one typo apart."""
    return any(x != y and not _one_typo(x, y) for x in a for y in b)


def _one_typo(x: str, y: str) -> bool:
    return min(len(x), len(y)) >= 8 and Levenshtein.distance(x, y) <= 1


class _Clusters:
    """Union-find that knows each set's members (sets stay small: duplicates come in few)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.sets: dict[str, list[str]] = {}

    def root(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def members(self, root: str) -> list[str]:
        return self.sets.get(root, [root])

    def join(self, a: str, b: str) -> str:
        big, small = (a, b) if len(self.members(a)) >= len(self.members(b)) else (b, a)
        self.sets[big] = [*self.members(big), *self.members(small)]
        self.sets.pop(small, None)
        self.parent[small] = big
        return big


def _finding(
    asset: str,
    members: list[str],
    edges: list[Edge],
    table: dict[str, Any],
    thresholds: Thresholds,
    buildings: list[str],
) -> Finding:
    records = [table[m] for m in members]
    departments = sorted({r.owner for r in records})
    where = [
        {"file": file, "path": path}
        for file, path in sorted({(r.source.shown, r.source.pointer()) for r in records})
    ]
    names = sorted({str(getattr(r, "hostname", None) or getattr(r, "name", "")) for r in records})
    edges = sorted(edges, key=lambda e: (e.a, e.b))
    matched_on = sorted({f for e in edges for f, w in e.features.items() if w > 0})
    weakest = min(e.score for e in edges)
    return Finding(
        kind="same-asset",
        members=tuple(node_id(asset, m) for m in members),
        reason="same-asset" if len(departments) > 1 else "same-asset-one-ledger",
        recommendation="merge-records",
        departments=tuple(departments),
        evidence={
            "asset": asset,
            "matched_on": matched_on,
            "score": weakest,
            "threshold": thresholds.same_asset_min_score,
            "pairs": [
                {"a": e.a, "b": e.b, "score": e.score, "features": dict(sorted(e.features.items()))}
                for e in edges
            ],
            "records": where,
            "names": names,
            "buildings": buildings,
        },
        params={
            "asset": asset,
            "count": len(members),
            "keys": ", ".join(matched_on),
            "names": " / ".join(names),
            "score": f"{weakest:.2f}",
            "threshold": f"{thresholds.same_asset_min_score:g}",
        },
        confidence=min(1.0, weakest),
    )
