"""NetBox's JSON files → its objects: the database dump (Django fixture JSON) and REST API
exports (one response per file), both in the shape of the dump."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.importers.netbox.objects import NetboxError, Objects
from govcloud.problems import Problem, make

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
            raise NetboxError(
                f"{path}: not a NetBox API response (no results list)", code="netbox.not-rest", path=path
            )
        skipped = 0
        for item in results:
            model = _rest_model(item, path)
            if model is None or not isinstance(item.get("id"), int):
                skipped += 1
                continue
            if item["id"] in objects[model] and not _nested_only(objects[model][item["id"]]):
                raise NetboxError(
                    f"{path}: {model} {item['id']} appears twice; export each object once",
                    code="netbox.rest-twice",
                    path=path,
                    model=model,
                    id=item["id"],
                )
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
        shown = safeio.terminal(repr(value))[:60]
        raise NetboxError(
            f"{path}: {where}: {shown} is not a NetBox primary key (a positive integer)",
            code="netbox.not-a-pk",
            path=f"{path}: {where}",
            value=shown,
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
            if isinstance(nested_id, int) and not isinstance(nested_id, bool):  # else: checks.py drops it
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
        raise NetboxError(
            f"{path}: not a NetBox database dump (a list of model/pk/fields objects)",
            code="netbox.not-dump",
            path=path,
        )
    objects: Objects = defaultdict(dict)
    for i, item in enumerate(data):
        if "pk" in item and isinstance(item.get("fields"), dict):
            pk = _checked_pk(item["pk"], path, f"{i}/pk")
            if pk in objects[item["model"]]:
                model = safeio.terminal(item["model"])
                raise NetboxError(
                    f"{path}: {i}/pk: {model} {pk} appears twice; a dump holds each object once (export it again)",
                    code="netbox.dump-twice",
                    path=f"{path}: {i}/pk",
                    model=model,
                    id=pk,
                )
            objects[item["model"]][pk] = item["fields"]
    return objects
