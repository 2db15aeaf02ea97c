"""Idle and stranded capacity: servers doing nothing, servers of retired systems, and rooms
kept running for one small system.

A server is idle by evidence: its ledger says it is stopped or powered off (停用 / 关机), or
its p95 CPU over a measured period (``metrics_days``, when recorded, at least
``idle_min_metrics_days``) is below ``idle_cpu_p95_pct`` and its network, where recorded,
below ``idle_net_p95_mbps``.  Memory held by an idle process is not work: only memory at or
above ``idle_mem_p95_pct`` keeps a server from being idle.  The standby of an HA or DR pair
is cold by design — its ``role`` says so, or it belongs to a system run in HA whose other
server works — and is reported as kept, never as idle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.graph import node_id
from govcloud.ledger import model

HOURS_PER_YEAR = 8760
#: how sure each kind of idle evidence is
CONFIDENCE = {"retired-servers": 0.9, "stopped-servers": 0.9, "idle-servers": 0.75, "standby-servers": 0.8}


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    ledger = facts.ledger
    groups: dict[tuple[str, str], list[model.Server]] = defaultdict(list)
    for server in ledger.servers.values():
        systems = [
            ledger.systems[s] for s in facts.systems_on_server.get(server.id, []) if s in ledger.systems
        ]
        if systems and all(s.status in ("idle", "decommissioning") for s in systems):
            groups[("retired-servers", server.owner)].append(server)
            continue
        reason = idle_reason(server, thresholds)
        if reason is None:
            continue
        if is_standby(facts, server, thresholds):
            groups[("standby-servers", server.owner)].append(server)
        else:
            groups[(reason, server.owner)].append(server)
    for (reason, owner), servers in sorted(groups.items()):
        yield _servers_finding(facts, owner, servers, reason, thresholds)
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
                        "yearly_cost_cny": site.yearly_cost_cny or 0.0,
                    },
                    params={"room": site.name, "system": system.name, "users": system.users or 0},
                    confidence=0.7,
                    saving_cny=(site.yearly_cost_cny or 0.0) * thresholds.room_saving_share,
                )


def idle_reason(server: model.Server, thresholds: Thresholds) -> str | None:
    """Why a server counts as idle (``stopped-servers``, ``idle-servers``), or None."""
    if server.status in ("stopped", "powered_off"):
        return "stopped-servers"
    if server.cpu_p95_pct is None or server.cpu_p95_pct >= thresholds.idle_cpu_p95_pct:
        return None
    if server.metrics_days is not None and server.metrics_days < thresholds.idle_min_metrics_days:
        return None  # too short a period to say
    if server.net_p95_mbps is not None and server.net_p95_mbps >= thresholds.idle_net_p95_mbps:
        return None
    if server.mem_p95_pct is not None and server.mem_p95_pct >= thresholds.idle_mem_p95_pct:
        return None
    return "idle-servers"


def is_standby(facts: Facts, server: model.Server, thresholds: Thresholds) -> bool:
    """The standby of an HA or DR pair: by its role, or as the quiet server of a system run in
    HA (``ha: cold`` or ``hot``) whose other server is working."""
    if server.role in ("standby", "dr"):
        return True
    if server.role == "primary":
        return False
    ledger = facts.ledger
    for system_id in facts.systems_on_server.get(server.id, []):
        system = ledger.systems.get(system_id)
        if system is None or system.ha not in ("cold", "hot") or len(system.servers) < 2:
            continue
        others = [ledger.servers[s] for s in system.servers if s != server.id and s in ledger.servers]
        if any(idle_reason(o, thresholds) is None and o.role not in ("standby", "dr") for o in others):
            return True
    return False


def _servers_finding(
    facts: Facts, owner: str, servers: list[model.Server], reason: str, thresholds: Thresholds
) -> Finding:
    servers = sorted(servers, key=lambda s: s.id)
    kept = reason == "standby-servers"
    saving = 0.0 if kept else sum(_yearly_running_cost(facts, s, thresholds) for s in servers)
    as_of = facts.ledger.region.as_of
    years = facts.ledger.region.depreciation_years
    recent = [s.id for s in servers if s.purchase_date and (as_of - s.purchase_date).days < 365 * years]
    return Finding(
        kind="idle-capacity",
        members=tuple(node_id("server", s.id) for s in servers),
        reason=reason,
        recommendation="keep-standby" if kept else "reclaim-servers",
        status="kept" if kept else "candidate",
        departments=(owner,),
        evidence={
            "servers": [
                {
                    "id": s.id,
                    "hostname": s.hostname,
                    "kind": s.kind,
                    "cpu_p95_pct": s.cpu_p95_pct,
                    "mem_p95_pct": s.mem_p95_pct,
                    **({"net_p95_mbps": s.net_p95_mbps} if s.net_p95_mbps is not None else {}),
                    **({"metrics_days": s.metrics_days} if s.metrics_days is not None else {}),
                    **({"status": s.status} if s.status != "running" else {}),
                    **({"role": s.role} if s.role else {}),
                }
                for s in servers
            ],
            "not_yet_written_off": recent,
        },
        params={"count": len(servers), "recent": len(recent)},
        confidence=CONFIDENCE[reason],
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
