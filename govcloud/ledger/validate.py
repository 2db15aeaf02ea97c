"""Checks of the ledger as a whole: references, addresses, dependencies, departments.

Each check is a function of the ledger that yields :class:`Finding` values; all run in linear
time over the ledger (no pairwise comparisons), so validation scales to a province.
"""

from __future__ import annotations

import difflib
import ipaddress
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

from govcloud import safeio
from govcloud.ledger import model
from govcloud.ledger.files import Finding

Path_ = tuple[str | int, ...]

#: at most this many unknown references get a "did you mean" (each costs a scan of the ids)
MAX_SUGGESTIONS = 50


@dataclass(frozen=True)
class Reference:
    """A field of an entity that names an entity of another kind."""

    field: Path_
    kind: str
    target: str


def references(kind: str, entity: object) -> Iterator[Reference]:
    """Every reference an entity makes, with the path of the field inside the entity."""
    if kind == "departments" and isinstance(entity, model.Department):
        if entity.parent:
            yield Reference(("parent",), "departments", entity.parent)
        return
    owner = getattr(entity, "owner", None)
    if owner is not None:
        yield Reference(("owner",), "departments", owner)
    if isinstance(entity, model.Server):
        yield Reference(("site",), "sites", entity.site)
    elif isinstance(entity, model.Network):
        yield from _many("sites", "sites", entity.sites)
    elif isinstance(entity, model.Site):
        for i, gear in enumerate(entity.equipment):
            for j, network_id in enumerate(gear.networks):
                yield Reference(("equipment", i, "networks", j), "networks", network_id)
    elif isinstance(entity, model.Line):
        if entity.network:
            yield Reference(("network",), "networks", entity.network)
        for end_name, end in (("a_end", entity.a_end), ("z_end", entity.z_end)):
            if end.empty:
                continue  # its only field was rejected by the schema, and reported there
            ref_kind, ref = end.ref()
            if ref_kind != "address":
                yield Reference((end_name, ref_kind), f"{ref_kind}s", ref)
    elif isinstance(entity, model.System):
        yield from _many("servers", "servers", entity.servers)
        yield from _many("networks", "networks", entity.networks)
        for i, dep in enumerate(entity.dependencies):
            yield Reference(("dependencies", i, "system"), "systems", dep.system)
        if entity.backup is not None and entity.backup.site:
            yield Reference(("backup", "site"), "sites", entity.backup.site)
        if entity.migrated_to:
            yield Reference(("migrated_to",), "cloud_nodes", entity.migrated_to)
    elif isinstance(entity, model.CloudNode) and entity.recovery_node:
        yield Reference(("recovery_node",), "cloud_nodes", entity.recovery_node)
        if entity.site:
            yield Reference(("site",), "sites", entity.site)
    elif isinstance(entity, (model.CloudNode, model.AccessPoint)) and entity.site:
        yield Reference(("site",), "sites", entity.site)


def _many(field: str, kind: str, ids: Iterable[str]) -> Iterator[Reference]:
    for i, target in enumerate(ids):
        yield Reference((field, i), kind, target)


def check_references(ledger: model.Ledger, known: Mapping[str, set[str]]) -> Iterator[Finding]:
    """References to ids that no entity of the right kind has.

    ``known`` holds, per kind, the ids of every entity written, including those left out of
    the model for other problems, so one bad entry does not cascade into many.
    """
    suggestions_left = MAX_SUGGESTIONS
    for kind, entity in ledger.entities():
        source: model.Source = entity.source  # type: ignore[attr-defined]
        for ref in references(kind, entity):
            if ref.target in known.get(ref.kind, set()):
                continue
            suggestion = ""
            if suggestions_left > 0:
                suggestions_left -= 1
                close = difflib.get_close_matches(ref.target, sorted(known.get(ref.kind, ())), n=1)
                suggestion = close[0] if close else ""
            yield Finding(
                source.file,
                (*source.path, *ref.field),
                "unknown-reference",
                params={
                    "field": model.format_path(ref.field),
                    "kind": f"kind.{ref.kind}",
                    "id": ref.target,
                    "suggestion": suggestion,
                },
            )
    for i, item in enumerate(ledger.prices.instance_types):
        yield from _price_node(ledger, known, ("instance_types", i), item.cloud_node)
    for i, storage in enumerate(ledger.prices.storage):
        yield from _price_node(ledger, known, ("storage", i), storage.cloud_node)
    for i, image in enumerate(ledger.prices.images):
        yield from _price_node(ledger, known, ("images", i), image.cloud_node)


def _price_node(
    ledger: model.Ledger, known: Mapping[str, set[str]], field: Path_, node: str
) -> Iterator[Finding]:
    if node not in known.get("cloud_nodes", set()):
        source = ledger.prices.source
        yield Finding(
            source.file, (*source.path, *field, "cloud_node"), "price-unknown-node", params={"id": node}
        )


def check_addresses(ledger: model.Ledger) -> Iterator[Finding]:
    """CIDRs and IP addresses that do not parse."""
    region = ledger.region
    for i, cidr in enumerate(region.address_plan):
        yield from _cidr(region.source, ("address_plan", i), cidr)
    for network in ledger.networks.values():
        for i, cidr in enumerate(network.cidrs):
            yield from _cidr(network.source, ("cidrs", i), cidr)
    for server in ledger.servers.values():
        for i, ip in enumerate(server.ips):
            yield from _ip(server.source, ("ips", i), ip)
        if server.mgmt_ip is not None:
            yield from _ip(server.source, ("mgmt_ip",), server.mgmt_ip)


def _cidr(source: model.Source, field: Path_, cidr: str) -> Iterator[Finding]:
    try:
        ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        params: dict[str, object] = {"value": cidr, "detail": str(exc), "suggestion": _network_of(cidr)}
        yield Finding(source.file, (*source.path, *field), "invalid-cidr", params=params)


def _network_of(cidr: str) -> str:
    """The network a CIDR with host bits set belongs to, or "" when it does not parse at all."""
    try:
        return str(ipaddress.ip_network(cidr, strict=False))
    except ValueError:
        return ""


def _ip(source: model.Source, field: Path_, ip: str) -> Iterator[Finding]:
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        yield Finding(source.file, (*source.path, *field), "invalid-ip", params={"value": ip})


def check_dependencies(ledger: model.Ledger) -> Iterator[Finding]:
    """Systems that depend on themselves."""
    for system in ledger.systems.values():
        for i, dep in enumerate(system.dependencies):
            if dep.system == system.id:
                yield Finding(system.source.file, (*system.source.path, "dependencies", i), "self-dependency")


def check_departments(ledger: model.Ledger) -> Iterator[Finding]:
    """Parent chains that loop (each loop reported once, at its smallest id)."""
    done: set[str] = set()  # departments whose chain is known to end (or to loop, reported)
    for start in ledger.departments.values():
        chain: dict[str, int] = {}  # id → position in this walk
        current: str | None = start.id
        while (
            current is not None
            and current in ledger.departments
            and current not in chain
            and current not in done
        ):
            chain[current] = len(chain)
            current = ledger.departments[current].parent
        done.update(chain)
        if current is None or current not in chain:
            continue  # ended, or joined a chain already checked
        walked = list(chain)
        loop = walked[chain[current] :]
        dept = ledger.departments[min(loop)]
        detail = " → ".join([*loop, loop[0]])
        yield Finding(
            dept.source.file, (*dept.source.path, "parent"), "parent-cycle", params={"detail": detail}
        )


def check_sites_and_lines(ledger: model.Ledger) -> Iterator[Finding]:
    """Rack counts that cannot be, lines whose two ends are the same place, repeated zones."""
    for site in ledger.sites.values():
        if site.racks is not None and site.racks_used is not None and site.racks_used > site.racks:
            yield Finding(
                site.source.file,
                (*site.source.path, "racks_used"),
                "racks-used-exceeds",
                severity="warning",
                params={"used": site.racks_used, "total": site.racks},
            )
    for line in ledger.lines.values():
        if not line.a_end.empty and not line.z_end.empty and line.a_end.ref() == line.z_end.ref():
            yield Finding(line.source.file, (*line.source.path, "z_end"), "line-loop", severity="warning")
    for node in ledger.cloud_nodes.values():
        seen: set[str] = set()
        for i, zone in enumerate(node.zones):
            if zone.id in seen:
                yield Finding(
                    node.source.file,
                    (*node.source.path, "zones", i),
                    "zone-duplicate",
                    params={"id": zone.id},
                )
            seen.add(zone.id)
        zones = {z.id for z in node.zones}
        for i, zone in enumerate(node.zones):
            if zone.recovery_zone is not None and (
                zone.recovery_zone not in zones or zone.recovery_zone == zone.id
            ):
                yield Finding(
                    node.source.file,
                    (*node.source.path, "zones", i, "recovery_zone"),
                    "zone-recovery-unknown",
                    params={"id": zone.recovery_zone},
                )
        if node.recovery_node == node.id:
            yield Finding(node.source.file, (*node.source.path, "recovery_node"), "node-recovery-self")


def check_confusable_ids(ledger: model.Ledger) -> Iterator[Finding]:
    """Ids with characters that look like Latin letters or digits but are not (Cyrillic а,
    Greek ο, full-width ａ１): two such ids look equal and are not, and references break."""
    for _kind, entity in ledger.entities():
        ident: str = entity.id  # type: ignore[attr-defined]
        if ident.isascii():
            continue
        found = confusable_chars(ident)
        if found:
            source: model.Source = entity.source  # type: ignore[attr-defined]
            looks_like = "".join(found.get(c, c) for c in ident)
            chars = ", ".join(f"{c} (U+{ord(c):04X})" for c in sorted(found))
            yield Finding(
                source.file,
                (*source.path, "id"),
                "id-confusable",
                severity="warning",
                params={"id": ident, "chars": chars, "looks_like": looks_like},
            )


def confusable_chars(text: str) -> dict[str, str]:
    """Characters of ``text`` that look like an ASCII character, and that character."""
    out = {}
    for char in text:
        if char.isascii():
            continue
        folded = unicodedata.normalize("NFKC", char)
        if folded != char and folded.isascii() and folded.isprintable():
            out[char] = folded  # full-width forms
    hits = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin", "common"]) or []
    for hit in hits:
        ascii_like = [h["c"] for h in hit["homoglyphs"] if h["c"].isascii()]
        if ascii_like:
            out.setdefault(hit["character"], ascii_like[0])
    return out


CHECKS: tuple[Callable[[model.Ledger], Iterable[Finding]], ...] = (
    check_confusable_ids,
    check_addresses,
    check_dependencies,
    check_departments,
    check_sites_and_lines,
)


def check_ids(ledger: model.Ledger) -> Iterator[Finding]:
    """Ids must be printable: no control, bidi, zero-width or BOM character, which would
    make two ids look alike, or reorder or hide text wherever an id is shown."""
    for _, entity in ledger.entities():
        ident = getattr(entity, "id", "")
        bad = safeio.invisible(ident)
        source = getattr(entity, "source", None)
        if bad and isinstance(source, model.Source):
            yield Finding(
                source.file,
                (*source.path, "id"),
                "id-invisible",
                params={"value": safeio.terminal(ident), "char": bad},
            )


def check(ledger: model.Ledger, known: Mapping[str, set[str]]) -> list[Finding]:
    """Every ledger-wide problem."""
    findings = list(check_references(ledger, known))
    findings.extend(check_ids(ledger))
    for run in CHECKS:
        findings.extend(run(ledger))
    return findings
