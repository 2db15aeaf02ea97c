"""Facts about the ledger that several analysers need, computed once: the ledger's own
indexes (:mod:`govcloud.ledger.index`) and where its rooms and addresses are."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from govcloud.analysis.places import Places, building_key, fold, leading_city
from govcloud.ledger import model
from govcloud.ledger.index import Index


@dataclass
class Facts(Index):
    """The ledger's indexes (:class:`govcloud.ledger.index.Index`) and where its rooms and
    addresses are: buildings, districts and prefectures, which only the analysis matches."""

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


def _prefecture(region_code: str | None) -> str | None:
    """The prefecture (first four digits) of a region code below province level."""
    if not region_code or region_code[2:4] == "00":
        return None
    return region_code[:4]
