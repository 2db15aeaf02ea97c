"""Facts about the ledger that several analysers need, computed once."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from govcloud.analysis.places import Places, building_key, fold, leading_city
from govcloud.ledger import model
from govcloud.ledger.networks import ISOLATED_NETWORKS


@dataclass
class Facts:
    """Indexes over a ledger: which systems run where, and what must stay isolated."""

    ledger: model.Ledger
    systems_on_server: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    servers_on_site: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    classified_sites: set[str] = field(default_factory=set)
    isolated_networks: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, ledger: model.Ledger) -> Facts:
        facts = cls(ledger)
        for server in ledger.servers.values():
            facts.servers_on_site[server.site].append(server.id)
        for system in ledger.systems.values():
            for server_id in system.servers:
                facts.systems_on_server[server_id].append(system.id)
        facts.isolated_networks = {n.id for n in ledger.networks.values() if n.kind in ISOLATED_NETWORKS}
        for system in ledger.systems.values():
            if system.classified or set(system.networks) & facts.isolated_networks:
                facts.classified_sites.update(
                    ledger.servers[s].site for s in system.servers if s in ledger.servers
                )
        for network in ledger.networks.values():
            if network.kind == "classified":
                facts.classified_sites.update(network.sites)
        return facts

    def systems_on_site(self, site: str) -> list[str]:
        return sorted(
            {sys for srv in self.servers_on_site.get(site, []) for sys in self.systems_on_server.get(srv, [])}
        )

    def city_of(self, region_code: str | None) -> str | None:
        """The 4-digit prefecture part of a region code (``9901`` for 海东区 990102)."""
        return region_code[:4] if region_code else None

    def site_region(self, site: model.Site) -> str:
        """A room's region code, else its owner's."""
        if site.region_code:
            return site.region_code
        owner = self.ledger.departments.get(site.owner)
        return owner.region_code if owner else self.ledger.region.region_code

    def site_place(self, site: model.Site) -> str:
        """A room's building (see :class:`Places`), else the room itself (``site:<id>``) when
        its address is not recorded."""
        known = self._site_places.get(site.id)
        if known is None:
            key = building_key(site.address)
            prefecture = self.prefecture_of(site.address, site.region_code, site.district) if key else None
            known = self.places.place(key, prefecture) if key else f"site:{site.id}"
            self._site_places[site.id] = known
        return known

    @functools.cached_property
    def _site_places(self) -> dict[str, str]:
        return {}

    def site_district(self, site: model.Site) -> str | None:
        """The district (6-digit region code) a room is in: its own region code; else the code
        other rooms of the ledger (or an access point named for the district) give its district
        name, recorded or written in its address; else that of another room in the same
        building; None when nothing says."""
        if site.region_code and site.region_code[4:] != "00":
            return site.region_code
        codes = self._district_codes
        names = [site.district] if site.district else []
        if site.address and self._district_names:
            names += self._district_names.findall(fold(site.address))
        for name in names:
            found = codes.get(fold(name), set())
            if not found:  # no room codes it: an access point named for it may (海东区接入点)
                found = {
                    ap.region_code
                    for ap in self.ledger.access_points.values()
                    if ap.region_code and ap.region_code[4:] != "00" and fold(name) in fold(ap.name)
                }
            if len(found) == 1:
                return next(iter(found))
        if site.address:
            in_building = self._building_districts.get(self.site_place(site), set())
            if len(in_building) == 1:
                return next(iter(in_building))
        return None

    @functools.cached_property
    def _district_names(self) -> re.Pattern[str] | None:
        """The district names the ledger codes, to find in an address in one pass."""
        names = sorted(self._district_codes, key=len, reverse=True)
        return re.compile("|".join(re.escape(n) for n in names)) if names else None

    @functools.cached_property
    def _district_codes(self) -> dict[str, set[str]]:
        """District names (folded) → the district codes rooms recorded with them."""
        out: dict[str, set[str]] = defaultdict(set)
        for site in self.ledger.sites.values():
            if site.district and site.region_code and site.region_code[4:] != "00":
                out[fold(site.district)].add(site.region_code)
        return out

    @functools.cached_property
    def _building_districts(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for site in self.ledger.sites.values():
            if site.address and site.region_code and site.region_code[4:] != "00":
                out[self.site_place(site)].add(site.region_code)
        return out

    def address_place(self, address: str, region_code: str | None) -> str:
        """The building of a free-text address (a line end's, an access point's)."""
        key = building_key(address)
        return (
            self.places.place(key, self.prefecture_of(address, region_code)) if key else f"address:{address}"
        )

    def prefecture_of(
        self, address: str | None, region_code: str | None, district: str | None = None
    ) -> str | None:
        """The prefecture of an address: its region code's; else that of its district (recorded
        or written in the address) or of the city it starts with, as the ledger's other records
        code them; None when nothing says."""
        known = _prefecture(region_code)
        if known or not (address or district):
            return known
        codes = self._district_codes
        names = [fold(district)] if district else []
        if address and self._district_names:
            names += self._district_names.findall(fold(address))
        found = {c[:4] for n in names for c in codes.get(n, set())}
        if len(found) == 1:
            return next(iter(found))
        found = self._city_prefectures.get(leading_city(address or ""), set())
        return next(iter(found)) if len(found) == 1 else None

    @functools.cached_property
    def _city_prefectures(self) -> dict[str, set[str]]:
        """City names (海州市) → the prefectures records that start with them are coded in."""
        ledger = self.ledger
        named: list[tuple[str | None, str | None]] = [
            (d.name, d.region_code) for d in ledger.departments.values()
        ]
        named += [(s.address, s.region_code) for s in ledger.sites.values()]
        named += [(a.address or a.name, a.region_code) for a in ledger.access_points.values()]
        for line in ledger.lines.values():
            named += [(end.address, end.region_code) for end in (line.a_end, line.z_end)]
        out: dict[str, set[str]] = defaultdict(set)
        for text, code in named:
            prefecture = _prefecture(code)
            if text and prefecture and (city := leading_city(text)):
                out[city].add(prefecture)
        out.pop("", None)
        return out

    @functools.cached_property
    def places(self) -> Places:
        """Every address in the ledger, with its prefecture when recorded."""
        ledger = self.ledger
        addresses = [
            (s.address, self.prefecture_of(s.address, s.region_code, s.district))
            for s in ledger.sites.values()
            if s.address
        ]
        addresses += [
            (a.address, self.prefecture_of(a.address, a.region_code))
            for a in ledger.access_points.values()
            if a.address
        ]
        for line in ledger.lines.values():
            for end in (line.a_end, line.z_end):
                if end.address:
                    addresses.append((end.address, self.prefecture_of(end.address, end.region_code)))
        return Places(addresses)

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


def _prefecture(region_code: str | None) -> str | None:
    """The prefecture (first four digits) of a region code below province level."""
    if not region_code or region_code[2:4] == "00":
        return None
    return region_code[:4]
