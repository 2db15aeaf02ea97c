"""What kind of file a source is, from its content: so a NetBox export given to ``import csv``
is refused with the command that reads it, instead of becoming a ledger of nothing.

Kinds: ``netbox`` (database dump, REST pages, UI CSV exports), ``rvtools`` (xlsx or a per-tab
CSV), ``azure-migrate``, ``aws-cmf`` (Cloud Migration Factory intake form), ``ledger`` (a
spreadsheet ledger of any other shape), or None when the file cannot be read at all.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from govcloud.importers import header_key
from govcloud.tabular.sheets import SheetError, read

#: the importer (``govcloud import FORMAT``) of each kind
COMMAND = {
    "netbox": "netbox",
    "rvtools": "rvtools",
    "azure-migrate": "azure-migrate",
    "aws-cmf": "aws-cmf",
    "ledger": "xlsx",
}

_RVTOOLS_TABS = {"vinfo", "vhost", "vpartition", "vnetwork", "vdisk", "vcpu", "vmemory", "vcluster"}
_NETBOX_MARKS = {
    "tenant",
    "tenant group",
    "site",
    "rack",
    "role",
    "device role",
    "platform",
    "rack face",
    "airflow",
    "inquilino",
    "função",
    "local",
    "circuit id",
    "commit rate kbps",
    "vcpus",
    "cluster",
    "prefix",
    "vrf",
    "slug",
}


def headers_kind(headers: list[str]) -> str | None:
    """The kind a header row says (English export headers, folded by :func:`header_key`)."""
    keys = {header_key(str(h)) for h in headers if h is not None and str(h).strip()}
    if {"server name", "cores"} <= keys or {"server name", "memory in mb"} <= keys:
        return "azure-migrate"
    if {"wave id", "app name", "server name"} <= keys:
        return "aws-cmf"
    if "vm" in keys and ("powerstate" in keys or "template" in keys):
        return "rvtools"
    if "host" in keys and ("esx version" in keys or "cores per cpu" in keys or "vms" in keys):
        return "rvtools"
    name_like = keys & {"name", "nome"}
    if name_like and len(keys & _NETBOX_MARKS) >= 3:
        return "netbox"
    return None


def kind_of(path: Path) -> str | None:
    """The kind of one source file."""
    suffix = path.suffix.casefold()
    if suffix == ".json":
        return _json_kind(path)
    if suffix in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as book:
                names = book.read("xl/workbook.xml").decode("utf-8", "replace").casefold()
        except (OSError, KeyError, zipfile.BadZipFile):
            return None
        if sum(f'name="{tab}"' in names for tab in _RVTOOLS_TABS) >= 1 and 'name="vinfo"' in names:
            return "rvtools"
    try:
        sheets = read(path)
    except (SheetError, OSError):
        return None
    for sheet in sheets:
        for _, cells in sheet.rows[:3]:
            kind = headers_kind([str(c) for c in cells if c is not None])
            if kind:
                return kind
    return "ledger"


def _json_kind(path: Path) -> str | None:
    try:
        head = path.read_text(encoding="utf-8")[:8192].lstrip()
    except (OSError, UnicodeDecodeError):
        return None
    if head.startswith("[") and '"model"' in head:
        return "netbox"
    if head.startswith("{") and '"results"' in head:
        return "netbox"
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    return None
