"""Idle and stranded capacity: servers doing nothing, servers of retired systems, and rooms
kept running for one small system."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger import model

HOURS_PER_YEAR = 8760


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    ledger = facts.ledger
    idle: dict[str, list[model.Server]] = defaultdict(list)
    retired: dict[str, list[model.Server]] = defaultdict(list)
    for server in ledger.servers.values():
        systems = [
            ledger.systems[s] for s in facts.systems_on_server.get(server.id, []) if s in ledger.systems
        ]
        if systems and all(s.status in ("idle", "decommissioning") for s in systems):
            retired[server.owner].append(server)
        elif _is_idle(server, thresholds):
            idle[server.owner].append(server)
    for owner, servers in sorted(idle.items()):
        yield _servers_finding(facts, owner, servers, "idle-servers", thresholds)
    for owner, servers in sorted(retired.items()):
        yield _servers_finding(facts, owner, servers, "retired-servers", thresholds)
    for site in ledger.sites.values():
        on_site = facts.systems_on_site(site.id)
        if site.kind != "cloud_node" and len(on_site) == 1:
            system = ledger.systems[on_site[0]]
            small = system.users is not None and system.users <= thresholds.small_system_users
            bound = system.latency_bound or system.hardware_bound  # it stays where it is
            if small and not bound and site.id not in facts.classified_sites:
                yield Finding(
                    kind="idle-capacity",
                    members=(node_id("site", site.id), node_id("system", system.id)),
                    reason="site-single-system",
                    recommendation="move-rooms-to-cloud",
                    departments=(site.owner,),
                    evidence={
                        "system": system.id,
                        "users": system.users,
                        "yearly_cost_cny": site.yearly_cost_cny,
                    },
                    params={"room": site.name, "system": system.name, "users": system.users or 0},
                    confidence=0.7,
                    saving_cny=site.yearly_cost_cny * thresholds.room_saving_share,
                )


def _is_idle(server: model.Server, thresholds: Thresholds) -> bool:
    if server.cpu_p95_pct is None or server.mem_p95_pct is None:
        return False
    return (
        server.cpu_p95_pct < thresholds.idle_cpu_p95_pct and server.mem_p95_pct < thresholds.idle_mem_p95_pct
    )


def _servers_finding(
    facts: Facts, owner: str, servers: list[model.Server], reason: str, thresholds: Thresholds
) -> Finding:
    servers = sorted(servers, key=lambda s: s.id)
    saving = sum(_yearly_running_cost(facts, s, thresholds) for s in servers)
    as_of = facts.ledger.region.as_of
    years = facts.ledger.region.depreciation_years
    recent = [s.id for s in servers if s.purchase_date and (as_of - s.purchase_date).days < 365 * years]
    return Finding(
        kind="idle-capacity",
        members=tuple(node_id("server", s.id) for s in servers),
        reason=reason,
        recommendation="reclaim-servers",
        departments=(owner,),
        evidence={
            "servers": [
                {
                    "id": s.id,
                    "hostname": s.hostname,
                    "kind": s.kind,
                    "cpu_p95_pct": s.cpu_p95_pct,
                    "mem_p95_pct": s.mem_p95_pct,
                }
                for s in servers
            ],
            "not_yet_written_off": recent,
        },
        params={"count": len(servers), "recent": len(recent)},
        confidence=0.9 if reason == "retired-servers" else 0.75,
        saving_cny=saving,
    )


def _yearly_running_cost(facts: Facts, server: model.Server, thresholds: Thresholds) -> float:
    """Power and maintenance a physical server costs a year (a VM's host is counted elsewhere)."""
    if server.kind != "physical":
        return 0.0
    site = facts.ledger.sites.get(server.site)
    pue = site.pue if site and site.pue else thresholds.default_pue
    power = thresholds.server_power_kw * pue * HOURS_PER_YEAR * thresholds.electricity_cny_per_kwh
    return power + thresholds.server_maintenance_cny
