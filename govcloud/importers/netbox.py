"""NetBox → ledger: the database dump (Django fixture JSON) of a NetBox estate.

Tenants become departments, sites become rooms, server devices and virtual machines become
servers, active prefixes become networks (with their VLANs), circuits with their providers,
commit rates and terminations become dedicated lines.  NetBox does not know administrative
levels, region codes, room kinds, MLPS levels or costs: those are left open and reported, so a
user fills them in instead of govcloud inventing them.  Ids come from NetBox slugs and primary
keys, so importing the same dump twice gives the same ledger.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.importers import netbox_checks
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

Objects = dict[str, dict[int, dict[str, Any]]]


class NetboxError(GovcloudError, ValueError):
    """A file that is not a NetBox dump."""

    kind = "netbox"


#: REST API paths → the models of the database dump
_REST_MODELS = {
    "dcim/devices": "dcim.device",
    "dcim/sites": "dcim.site",
    "dcim/racks": "dcim.rack",
    "dcim/platforms": "dcim.platform",
    "dcim/device-roles": "dcim.devicerole",
    "tenancy/tenants": "tenancy.tenant",
    "virtualization/virtual-machines": "virtualization.virtualmachine",
    "virtualization/clusters": "virtualization.cluster",
    "ipam/prefixes": "ipam.prefix",
    "ipam/vlans": "ipam.vlan",
    "ipam/ip-addresses": "ipam.ipaddress",
    "circuits/circuits": "circuits.circuit",
    "circuits/circuit-terminations": "circuits.circuittermination",
    "circuits/providers": "circuits.provider",
    "circuits/provider-networks": "circuits.providernetwork",
}
#: nested objects of REST results, and the model each refers to
_NESTED = {
    "tenant": "tenancy.tenant",
    "site": "dcim.site",
    "platform": "dcim.platform",
    "role": "dcim.devicerole",
    "device_role": "dcim.devicerole",
    "rack": "dcim.rack",
    "cluster": "virtualization.cluster",
    "vlan": "ipam.vlan",
    "primary_ip4": "ipam.ipaddress",
    "primary_ip6": "ipam.ipaddress",
    "provider": "circuits.provider",
    "termination_a": "circuits.circuittermination",
    "termination_z": "circuits.circuittermination",
    "provider_network": "circuits.providernetwork",
    "circuit": "circuits.circuit",
}


def read_rest(paths: list[Path], problems: list[Problem] | None = None) -> Objects:
    """Objects from NetBox REST API exports (``GET /api/dcim/devices/`` and the like, one
    response per file), in the shape of the database dump.  Nested references (a device's
    tenant, site, primary IP) are enough on their own: the tenants need not be exported.
    A page whose results carry no ``url`` is told by its file name or its fields; a page of a
    list govcloud does not read is skipped with a warning in ``problems``."""
    objects: Objects = defaultdict(dict)
    for path in paths:
        data = _read_json(path)
        results = data.get("results") if isinstance(data, dict) else data
        if not isinstance(results, list):
            raise NetboxError(f"{path}: not a NetBox API response (no results list)")
        skipped = 0
        for item in results:
            model = _rest_model(item, path)
            if model is None or not isinstance(item.get("id"), int):
                skipped += 1
                continue
            if item["id"] in objects[model] and not _nested_only(objects[model][item["id"]]):
                raise NetboxError(f"{path}: {model} {item['id']} appears twice; export each object once")
            objects[model][item["id"]] = _flatten(item, objects)
        if skipped and problems is not None:
            problems.append(make("import-unknown-list", file=str(path), severity="warning", name=path.name))
    return objects


def _read_json(path: Path) -> Any:
    """A JSON file within the size limit, with no NaN, absurd integers or deep nesting."""
    try:
        return safeio.read_json(path, "netbox")
    except safeio.UnsafeInput as exc:
        raise NetboxError(str(exc)) from exc


def _checked_pk(value: Any, path: Path, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**63:
        raise NetboxError(
            f"{path}: {where}: {safeio.terminal(repr(value))[:60]} is not a NetBox primary key (a positive integer)"
        )
    return value


#: objects only seen nested in others (a device's tenant) carry this mark until exported in full
_NESTED_MARK = "__nested__"


def _nested_only(fields: dict[str, Any]) -> bool:
    return bool(fields.get(_NESTED_MARK))


#: words of a file name or a result's fields → the model of a REST page without urls
_SHAPES = (
    ("virtual", "virtualization.virtualmachine", ("vcpus",)),
    ("device", "dcim.device", ("device_type",)),
    ("circuit", "circuits.circuit", ("cid",)),
    ("prefix", "ipam.prefix", ("prefix",)),
    ("site", "dcim.site", ("facility", "physical_address", "time_zone")),
    ("tenant", "tenancy.tenant", ("group", "slug")),
)


def _rest_model(item: Any, path: Path) -> str | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("url"), str):
        parts = item["url"].split("/api/", 1)[-1].strip("/").split("/")
        return _REST_MODELS.get("/".join(parts[:2]))
    stem = path.stem.casefold()
    for word, model, _ in _SHAPES:
        if word in stem:
            return model
    for _, model, fields in _SHAPES:
        if all(f in item for f in fields[:1]) and (len(fields) == 1 or any(f in item for f in fields)):
            return model
    return None


def _flatten(item: dict[str, Any], objects: Objects) -> dict[str, Any]:
    """REST fields → dump fields: nested objects become their ids (and are kept as objects
    of their own unless exported in full); choice fields become their values."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict) and "value" in value and "label" in value:
            out[key] = value["value"]
        elif isinstance(value, dict) and "id" in value and key in _NESTED:
            model = _NESTED[key]
            nested_id = value["id"]
            if isinstance(nested_id, int) and not isinstance(nested_id, bool):  # else: netbox_checks drops it
                nested = {k: v for k, v in value.items() if k not in ("id", "url", "display")}
                objects[model].setdefault(nested_id, {**nested, _NESTED_MARK: True})
            out[key] = nested_id
        else:
            out[key] = value
    return out


def read_dump(path: Path) -> Objects:
    """The dump's objects by model and primary key."""
    data = _read_json(path)
    if not isinstance(data, list) or not all(
        isinstance(x, dict) and isinstance(x.get("model"), str) for x in data
    ):
        raise NetboxError(f"{path}: not a NetBox database dump (a list of model/pk/fields objects)")
    objects: Objects = defaultdict(dict)
    for i, item in enumerate(data):
        if "pk" in item and isinstance(item.get("fields"), dict):
            pk = _checked_pk(item["pk"], path, f"{i}/pk")
            if pk in objects[item["model"]]:
                raise NetboxError(
                    f"{path}: {i}/pk: {safeio.terminal(item['model'])} {pk} appears twice; "
                    "a dump holds each object once (export it again)"
                )
            objects[item["model"]][pk] = item["fields"]
    return objects


class _Mapper:
    def __init__(self, objects: Objects, source: str) -> None:
        self.o = objects
        self.source = source
        self.problems: list[Problem] = []
        self.open: dict[tuple[str, str, str], list[str]] = defaultdict(list)

    def open_field(self, path: str, field: str, why: str) -> None:
        """Record a field NetBox cannot fill; reported once per list and field."""
        listing, _, ident = path.partition("[")
        self.open[(listing, field, why)].append(ident.rstrip("]"))

    def report_open(self) -> None:
        for (listing, field, why), ids in sorted(self.open.items()):
            examples = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
            self.problems.append(
                make(
                    "import-open-field",
                    file=self.source,
                    path=f"{listing}.{field}",
                    severity="warning",
                    field=field,
                    count=len(ids),
                    examples=examples,
                    detail=why,
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
                "NetBox does not say whether a prefix is 政务外网, 专网 or 涉密",
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
                self.open_field(f"lines[{ident}]", "bandwidth_mbps", "the circuit has no commit rate")
            owner = self.slug("tenancy.tenant", c.get("tenant"))
            if owner:
                item["owner"] = owner
            for side, key in (("termination_a", "a_end"), ("termination_z", "z_end")):
                end = self._end(terms.get(c.get(side) or -1))
                if end:
                    item[key] = end
                else:
                    self.open_field(f"lines[{ident}]", key, f"the circuit has no {side}")
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


def import_dump(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The ledger document of a NetBox dump, and what was left open or skipped."""
    return import_objects(read_dump(path), str(path))


def import_any(paths: list[Path]) -> tuple[dict[str, Any], list[Problem]]:
    """A database dump (one file) or REST API exports (one or more), told apart by content."""
    if all(p.suffix.casefold() == ".csv" for p in paths):
        from govcloud.importers.netbox_csv import read_csv_exports

        problems: list[Problem] = []
        objects = read_csv_exports(paths, problems)
        doc, more = import_objects(objects, ", ".join(str(p) for p in paths))
        return doc, problems + more
    if len(paths) == 1 and _is_dump(paths[0]):
        return import_dump(paths[0])
    return import_rest(paths)


def _is_dump(path: Path) -> bool:
    try:
        safeio.check_file(path, "netbox")  # a FIFO would block here
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    except (OSError, safeio.UnsafeInput):
        return True  # read_dump reports it
    return head.startswith("[") and '"model"' in head


def import_rest(paths: list[Path]) -> tuple[dict[str, Any], list[Problem]]:
    """The ledger document of NetBox REST API exports."""
    problems: list[Problem] = []
    objects = read_rest(paths, problems)
    doc, more = import_objects(objects, ", ".join(str(p) for p in paths))
    return doc, problems + more


def import_objects(objects: Objects, source: str) -> tuple[dict[str, Any], list[Problem]]:
    checked, problems = netbox_checks.clean(objects, source)  # typed, bounded, ids usable
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
