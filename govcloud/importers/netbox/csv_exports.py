"""NetBox's CSV exports (the "Export → Current view/All data" of its object lists) → the
objects of a NetBox dump.

The exports name related objects by their display names (a device's tenant and site) rather
than by id, so related objects get ids and slugs derived from those names; the file name says
which list it is (``netbox_devices.csv``, ``virtual-machines.csv``, ``circuits.csv``, …).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.importers import header_key, ignored_columns
from govcloud.importers.netbox.objects import NetboxError, Objects
from govcloud.problems import Problem, make
from govcloud.tabular.sheets import SheetError, read

_LISTS = (
    ("virtual", "virtualization.virtualmachine"),
    ("vm", "virtualization.virtualmachine"),
    ("termination", "circuits.circuittermination"),
    ("circuit", "circuits.circuit"),
    ("device", "dcim.device"),
    ("site", "dcim.site"),
    ("tenant", "tenancy.tenant"),
    ("prefix", "ipam.prefix"),
    ("prefixes", "ipam.prefix"),
)
#: header (folded) → (field, related model or None)
_COLUMNS: dict[str, tuple[str, str | None]] = {
    "id": ("id", None),
    "name": ("name", None),
    "slug": ("slug", None),
    "serial number": ("serial", None),
    "serial": ("serial", None),
    "tenant": ("tenant", "tenancy.tenant"),
    "site": ("site", "dcim.site"),
    "role": ("role", "dcim.devicerole"),
    "device role": ("role", "dcim.devicerole"),
    "platform": ("platform", "dcim.platform"),
    "cluster": ("cluster", "virtualization.cluster"),
    "ip address": ("primary_ip4", "ipam.ipaddress"),
    "primary ipv4": ("primary_ip4", "ipam.ipaddress"),
    "vcpus": ("vcpus", None),
    "memory mb": ("memory", None),
    "memory": ("memory", None),
    "disk gb": ("disk", None),
    "disk": ("disk", None),
    "circuit id": ("cid", None),
    "provider": ("provider", "circuits.provider"),
    "commit rate kbps": ("commit_rate", None),
    "commit rate": ("commit_rate", None),
    "side a": ("termination_a", "side"),
    "side z": ("termination_z", "side"),
    "physical address": ("physical_address", None),
    "prefix": ("prefix", None),
    "status": ("status", None),
    "vlan": ("vlan", "ipam.vlan"),
    "description": ("description", None),
    "manufacturer": ("manufacturer", None),
    "comments": ("comments", None),
    "comentários": ("comments", None),
    "type": ("device_type_name", None),
    "device type": ("device_type_name", None),
    "rack": ("rack", "dcim.rack"),
    "operating system": ("os", None),
    "tags": ("tags", None),
    "ipv4 address": ("primary_ip4", "ipam.ipaddress"),
    "primary ip": ("primary_ip4", "ipam.ipaddress"),
    # NetBox in Portuguese (pt-BR), as state governments run it
    "nome": ("name", None),
    "inquilino": ("tenant", "tenancy.tenant"),
    "função": ("role", "dcim.devicerole"),
    "fabricante": ("manufacturer", None),
    "tipo": ("device_type_name", None),
    "número de série": ("serial", None),
    "plataforma": ("platform", "dcim.platform"),
    "endereço ip": ("primary_ip4", "ipam.ipaddress"),
}

_NUMBERS = {"vcpus", "memory", "disk", "commit_rate", "id"}


def _key(text: str) -> int:
    """A stable integer id from a display name."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return slug or f"nb-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def read_csv_exports(paths: list[Path], problems: list[Problem] | None = None) -> Objects:
    """The objects of NetBox CSV exports; a list govcloud does not read (racks, cables …) is
    skipped with a warning in ``problems``, and every header not used is named."""
    objects: Objects = defaultdict(dict)
    found = problems if problems is not None else []
    for path in paths:
        model = next((m for word, m in _LISTS if word in path.stem.casefold()), None)
        if model is None:
            found.append(make("import-unknown-list", file=str(path), severity="warning", name=path.name))
            continue
        try:
            [sheet] = read(path)
        except SheetError as exc:
            raise NetboxError(str(exc)) from exc
        if not sheet.rows:
            continue
        header_row, header_cells = sheet.rows[0]
        header = [_COLUMNS.get(header_key(str(h))) for h in header_cells]
        ignored = ignored_columns(str(path), header_row, header_cells, set(_COLUMNS))
        if ignored:
            found.append(ignored)
        for number, cells in sheet.rows[1:]:
            if not any(str(c).strip() for c in cells):
                continue
            fields = _row(header, cells, objects, model)
            fields["_at"] = f"{path.name}:{number}"
            given = fields.pop("id", 0) or 0
            if not isinstance(given, int) or given < 0:
                shown = safeio.terminal(str(given))[:40]
                raise NetboxError(
                    f"{path}:{number}: ID {shown} is not a NetBox id",
                    code="netbox.not-an-id",
                    path=f"{path}:{number}",
                    id=shown,
                )
            pk = given or _key(f"{path.name}:{number}:{fields.get('name') or fields.get('cid')}")
            if pk in objects[model]:
                raise NetboxError(
                    f"{path}:{number}: ID {pk} appears twice; export the list again",
                    code="netbox.csv-id-twice",
                    path=f"{path}:{number}",
                    id=pk,
                )
            objects[model][pk] = fields
    return objects


def _row(
    header: list[tuple[str, str | None] | None], cells: list[Any], objects: Objects, model: str
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for spec, cell in zip(header, cells, strict=False):
        text = str(cell).strip() if cell is not None else ""
        if spec is None or not text:
            continue
        field, related = spec
        if related == "side":
            # a circuit's end: a site (by name) or a provider network
            term_id = _key(f"term:{field}:{text}")
            site_id = _key(f"dcim.site:{text}")
            objects["circuits.circuittermination"][term_id] = {"site": site_id}
            objects["dcim.site"].setdefault(site_id, {"name": text, "slug": _slug(text)})
            fields[field] = term_id
        elif related == "ipam.ipaddress":
            ip_id = _key(f"ip:{text}")
            objects[related][ip_id] = {"address": text if "/" in text else f"{text}/32"}
            fields[field] = ip_id
        elif related is not None:
            rel_id = _key(f"{related}:{text}")
            objects[related].setdefault(rel_id, {"name": text, "slug": _slug(text)})
            fields[field] = rel_id
        elif field in _NUMBERS:
            try:  # finite and not absurd; checks.py bounds each field
                number = safeio.number(text, where=field, low=-1e15, high=1e15, text=True)
            except safeio.UnsafeInput:
                fields[field] = text  # kept as text: checks.py reports it
                continue
            fields[field] = int(number) if float(number).is_integer() and "." not in text else number
        else:
            fields[field] = text.casefold() if field == "status" else text
    if model == "dcim.site" and "slug" not in fields and "name" in fields:
        fields["slug"] = _slug(fields["name"])
    if model == "tenancy.tenant" and "slug" not in fields and "name" in fields:
        fields["slug"] = _slug(fields["name"])
    return fields
