"""NetBox's objects → the ledger document: tenants become departments, sites rooms, server
devices and virtual machines servers, active prefixes networks, circuits dedicated lines; what
NetBox does not know is left open and reported."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from pathlib import Path
from typing import Any

from govcloud.errors import GovcloudError
from govcloud.importers.netbox import checks
from govcloud.importers.netbox.objects import Objects
from govcloud.problems import Problem, make

_CARRIERS = {
    "china telecom": "telecom",
    "中国电信": "telecom",
    "china unicom": "unicom",
    "中国联通": "unicom",
    "china mobile": "mobile",
    "中国移动": "mobile",
    "china broadnet": "broadnet",
    "中国广电": "broadnet",
}


class _Mapper:
    def __init__(self, objects: Objects, source: str) -> None:
        self.o = objects
        self.source = source
        self.problems: list[Problem] = []
        self.open: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)

    def open_field(self, path: str, field: str, why: str, side: str = "") -> None:
        """Record a field NetBox cannot fill, ``why`` a message id (``netbox.open.*``, with the
        circuit's ``side`` where it has one); reported once per list and field."""
        listing, _, ident = path.partition("[")
        self.open[(listing, field, why, side)].append(ident.rstrip("]"))

    def report_open(self) -> None:
        for (listing, field, why, side), ids in sorted(self.open.items()):
            examples = [*ids[:3], *(["…"] if len(ids) > 3 else [])]
            self.problems.append(
                make(
                    "import-open-field",
                    file=self.source,
                    path=f"{listing}.{field}",
                    severity="warning",
                    field=field,
                    count=len(ids),
                    examples=examples,
                    detail=GovcloudError(code=why, side=side),
                )
            )

    def slug(self, model: str, pk: int | None) -> str | None:
        if pk is None or pk not in self.o[model]:
            return None
        fields = self.o[model][pk]
        return str(fields.get("slug") or f"{model.split('.')[-1]}-{pk}")

    def departments(self) -> list[dict[str, Any]]:
        out = []
        for t in (v for _, v in sorted(self.o["tenancy.tenant"].items())):
            ident = str(t["slug"])
            out.append({"id": ident, "name": t.get("name") or ident})
        return out

    def sites(self) -> list[dict[str, Any]]:
        out = []
        for pk, s in sorted(self.o["dcim.site"].items()):
            item: dict[str, Any] = {
                "id": s.get("slug") or f"site-{pk}",
                "name": s.get("name") or f"site-{pk}",
            }
            owner = self.slug("tenancy.tenant", s.get("tenant"))
            if owner:
                item["owner"] = owner
            if s.get("physical_address"):
                item["address"] = s["physical_address"]
            racks = [r for r in self.o["dcim.rack"].values() if r.get("site") == pk]
            if racks:
                item["racks"] = len(racks)
            out.append(item)
        return out

    def _ip(self, pk: int | None) -> str | None:
        if pk is None or pk not in self.o["ipam.ipaddress"]:
            return None
        return str(ipaddress.ip_interface(self.o["ipam.ipaddress"][pk]["address"]).ip)

    def servers(self) -> list[dict[str, Any]]:
        """Every device with its role (:mod:`govcloud.importers.plannable` keeps only the
        servers, through the role table) and every virtual machine."""
        out = []
        roles = {pk: r.get("name", "") for pk, r in self.o["dcim.devicerole"].items()}
        for pk, d in sorted(self.o["dcim.device"].items()):
            role = roles.get(d.get("role") or d.get("device_role") or -1, "")
            server = self._server(f"nb-dev-{pk}", d, "physical", self.slug("dcim.site", d.get("site")))
            server["_role"] = role or "device"
            device_type = self.o["dcim.devicetype"].get(d.get("device_type") or -1, {})
            maker = self.o["dcim.manufacturer"].get(device_type.get("manufacturer") or -1, {})
            for key, value in (
                ("_brand", d.get("manufacturer") or maker.get("name")),
                ("_model", d.get("device_type_name") or device_type.get("model")),
                ("_rack", self.o["dcim.rack"].get(d.get("rack") or -1, {}).get("name")),
            ):
                if value:
                    server[key] = str(value)
            out.append(server)
        for pk, vm in sorted(self.o["virtualization.virtualmachine"].items()):
            cluster = self.o["virtualization.cluster"].get(vm.get("cluster") or -1, {})
            site = self.slug("dcim.site", vm.get("site") or cluster.get("site"))
            server = self._server(f"nb-vm-{pk}", vm, "vm", site)
            if vm.get("vcpus"):
                server["cpu_cores"] = int(float(vm["vcpus"]))
            if vm.get("memory"):
                server["memory_gb"] = round(vm["memory"] / 1024, 2)  # NetBox keeps MB
            if vm.get("disk"):
                server["storage_gb"] = vm["disk"]
            out.append(server)
        return out

    def _server(self, ident: str, d: dict[str, Any], kind: str, site: str | None) -> dict[str, Any]:
        item: dict[str, Any] = {"id": ident, "hostname": d.get("name") or ident, "kind": kind}
        item["_at"] = str(d.get("_at") or f"{Path(self.source.split(', ')[0]).name}#{ident}")
        if site:
            item["site"] = site
        owner = self.slug("tenancy.tenant", d.get("tenant"))
        if owner:
            item["owner"] = owner
        if d.get("serial"):
            item["serial"] = d["serial"]
        ip = self._ip(d.get("primary_ip4")) or self._ip(d.get("primary_ip6"))
        if ip:
            item["ips"] = [ip]
        platform = self.o["dcim.platform"].get(d.get("platform") or -1)
        if platform:
            item["os"] = platform["name"]
        elif d.get("os"):
            item["os"] = str(d["os"])
        notes = "; ".join(str(d[k]).strip() for k in ("description", "comments") if d.get(k))
        if notes:
            item["notes"] = notes[:500]
        cluster = self.o["virtualization.cluster"].get(d.get("cluster") or -1)
        if cluster and cluster.get("name"):
            item["_system"] = str(cluster["name"])
        elif d.get("tags") and isinstance(d["tags"], str):
            item["_system"] = d["tags"].split(",")[0].strip()
        return item

    def networks(self) -> list[dict[str, Any]]:
        out = []
        for pk, p in sorted(self.o["ipam.prefix"].items()):
            if p.get("status") != "active":
                continue
            item: dict[str, Any] = {
                "id": f"nb-prefix-{pk}",
                "name": p.get("description") or p["prefix"],
                "cidrs": [p["prefix"]],
            }
            owner = self.slug("tenancy.tenant", p.get("tenant"))
            if owner:
                item["owner"] = owner
            vlan = self.o["ipam.vlan"].get(p.get("vlan") or -1)
            if vlan:
                item["vlans"] = [vlan["vid"]]
            site = self.slug("dcim.site", p.get("site"))
            if site:
                item["sites"] = [site]
            self.open_field(
                f"networks[nb-prefix-{pk}]",
                "kind",
                "netbox.open.kind",
            )
            out.append(item)
        return out

    def lines(self) -> list[dict[str, Any]]:
        out = []
        terms = self.o["circuits.circuittermination"]
        for c in (v for _, v in sorted(self.o["circuits.circuit"].items())):
            ident = f"nb-circuit-{c['cid']}"
            provider = self.o["circuits.provider"].get(c.get("provider") or -1, {}).get("name", "")
            item: dict[str, Any] = {
                "id": ident,
                "name": f"{provider} {c['cid']}".strip(),
                "carrier": _CARRIERS.get(provider.casefold(), "other"),
            }
            if c.get("commit_rate"):
                item["bandwidth_mbps"] = c["commit_rate"] / 1000  # NetBox keeps kbps
            else:
                self.open_field(f"lines[{ident}]", "bandwidth_mbps", "netbox.open.commit-rate")
            owner = self.slug("tenancy.tenant", c.get("tenant"))
            if owner:
                item["owner"] = owner
            for side, key in (("termination_a", "a_end"), ("termination_z", "z_end")):
                end = self._end(terms.get(c.get(side) or -1))
                if end:
                    item[key] = end
                else:
                    self.open_field(f"lines[{ident}]", key, "netbox.open.termination", side)
            if c.get("termination_date"):
                item["contract_end"] = c["termination_date"]
            out.append(item)
        return out

    def _end(self, term: dict[str, Any] | None) -> dict[str, str] | None:
        if not term:
            return None
        site = self.slug("dcim.site", term.get("site"))
        if site:
            return {"site": site}
        network = self.o["circuits.providernetwork"].get(term.get("provider_network") or -1)
        if network:
            return {"address": f"provider network {network['name']}"}
        return None


def import_objects(objects: Objects, source: str) -> tuple[dict[str, Any], list[Problem]]:
    checked, problems = checks.clean(objects, source)  # typed, bounded, ids usable
    mapper = _Mapper(checked, source)
    mapper.problems.extend(problems)
    doc: dict[str, Any] = {"version": 1}
    for key, items in (
        ("departments", mapper.departments()),
        ("sites", mapper.sites()),
        ("servers", mapper.servers()),
        ("networks", mapper.networks()),
        ("lines", mapper.lines()),
    ):
        if items:
            doc[key] = items
    mapper.report_open()
    return doc, mapper.problems
