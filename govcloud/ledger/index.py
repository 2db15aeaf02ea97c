"""Indexes over a ledger that several stages need, computed once: which systems run on which
server, which servers are in which room and which lines end there, the networks kept apart and
the rooms they hold, a room's region and the cloud node that serves a department.

Analysis (:class:`govcloud.analysis.common.Facts` adds where rooms and addresses are), the
planner, the plan's checks and the baseline's views read them from here rather than each
building its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from govcloud.ledger import model
from govcloud.ledger.networks import ISOLATED_NETWORKS

IndexT = TypeVar("IndexT", bound="Index")


@dataclass
class Index:
    """Indexes over a ledger: which systems run where, and what must stay isolated."""

    ledger: model.Ledger
    #: server id → the systems on it, in the ledger's order of systems
    systems_on_server: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: site id → the servers in it, in the ledger's order of servers
    servers_on_site: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: site id → the lines with an end in it, in the ledger's order of lines (twice when both are)
    lines_at_site: dict[str, list[model.Line]] = field(default_factory=lambda: defaultdict(list))
    #: rooms holding a classified system, a system on an isolated network, or a classified network
    classified_sites: set[str] = field(default_factory=set)
    #: networks whose kind keeps them apart (:data:`govcloud.ledger.networks.ISOLATED_NETWORKS`)
    isolated_networks: set[str] = field(default_factory=set)
    #: :meth:`known_servers` of the systems asked for so far
    _known_servers: dict[str, list[model.Server]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def of(cls: type[IndexT], ledger: model.Ledger) -> IndexT:
        """The indexes of ``ledger`` (of a subclass, its own kind: see ``Facts``)."""
        index = cls(ledger)
        for server in ledger.servers.values():
            index.servers_on_site[server.site].append(server.id)
        for system in ledger.systems.values():
            for server_id in system.servers:
                index.systems_on_server[server_id].append(system.id)
        index.lines_at_site = lines_at_sites(ledger)
        index.isolated_networks = {n.id for n in ledger.networks.values() if n.kind in ISOLATED_NETWORKS}
        for system in ledger.systems.values():
            if system.classified or set(system.networks) & index.isolated_networks:
                index.classified_sites.update(
                    ledger.servers[s].site for s in system.servers if s in ledger.servers
                )
        for network in ledger.networks.values():
            if network.kind == "classified":
                index.classified_sites.update(network.sites)
        return index

    def known_servers(self, system: model.System) -> list[model.Server]:
        """The servers of ``system`` the ledger records, in the system's order: looked up in
        the ledger once per system (at 100k servers each pass of look-ups costs about 50 ms,
        and the planner and its verifier make several).  Do not change the list."""
        own = self.ledger.systems.get(system.id) is system  # else not kept: another ledger's
        servers = self._known_servers.get(system.id) if own else None
        if servers is None:
            known = self.ledger.servers
            servers = [known[s] for s in system.servers if s in known]
            if own:
                self._known_servers[system.id] = servers
        return servers

    def systems_on_site(self, site: str) -> list[str]:
        """The systems with a server in ``site``, sorted."""
        return sorted(
            {sys for srv in self.servers_on_site.get(site, []) for sys in self.systems_on_server.get(srv, [])}
        )

    def site_region(self, site: model.Site) -> str:
        """A room's region code, else its owner's, else the region's."""
        if site.region_code:
            return site.region_code
        owner = self.ledger.departments.get(site.owner)
        return owner.region_code if owner else self.ledger.region.region_code

    def target_for(self, department_id: str) -> model.CloudNode | None:
        """The cloud node that serves a department: provincial departments use a provincial
        node; city and county departments their prefecture's city node, else a provincial one."""
        nodes = list(self.ledger.cloud_nodes.values())
        dept = self.ledger.departments.get(department_id)
        prefecture = dept.region_code[:4] if dept and dept.level != "province" else None
        city = [n for n in nodes if n.kind == "city" and n.region_code and n.region_code[:4] == prefecture]
        provincial = [n for n in nodes if n.kind == "provincial"]
        for candidates in (city, provincial, nodes):
            if candidates:
                return sorted(candidates, key=lambda n: n.id)[0]
        return None


def lines_at_sites(ledger: model.Ledger) -> dict[str, list[model.Line]]:
    """Site id → the lines with an end in it, in the ledger's order of lines (twice when
    both are): :attr:`Index.lines_at_site` alone."""
    out: dict[str, list[model.Line]] = defaultdict(list)
    for line in ledger.lines.values():
        for end in (line.a_end, line.z_end):
            if end.site:
                out[end.site].append(line)
    return out
