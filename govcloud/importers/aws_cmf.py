"""AWS Cloud Migration Factory intake form → servers grouped into applications.

The intake form (``0-intake-form.csv``: wave_id, app_name, server_name, server_os_family,
server_os_version, server_fqdn, server_tier, server_environment, instanceType, …) names each
server's application and migration wave: the application becomes the business system, the
wave and tier and environment go into the notes.  It has no sizes, rooms or departments:
``--owner`` and ``--site`` fill those, the rest is assumed and listed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from govcloud.importers import first_sheet, header_key, ignored_columns
from govcloud.problems import Problem, make

_USED = {
    "server name": "name",
    "server fqdn": "fqdn",
    "app name": "app",
    "wave id": "wave",
    "server os family": "os_family",
    "server os version": "os_version",
    "server tier": "tier",
    "server environment": "env",
    "instancetype": "instance",
}


def import_intake(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Servers from an intake form, with their application as the system to group them by."""
    sheet, refused = first_sheet(path, "kind.import-aws-cmf", "server_name")
    if sheet is None:
        return {"version": 1}, refused
    header_row, header = sheet.rows[0]
    index = {_USED[header_key(str(h))]: i for i, h in enumerate(header) if header_key(str(h)) in _USED}
    problems: list[Problem] = []
    if "name" not in index:
        return {"version": 1}, [
            make(
                "import-missing-columns",
                file=str(path),
                line=header_row,
                name=path.name,
                kind="kind.import-aws-cmf",
                missing="server_name",
            )
        ]
    ignored = ignored_columns(str(path), header_row, header, set(_USED))
    if ignored:
        problems.append(ignored)
    servers = []
    for number, cells in sheet.rows[1:]:
        row = {
            k: str(cells[i]).strip() if i < len(cells) and cells[i] is not None else ""
            for k, i in index.items()
        }
        if not row["name"]:
            continue
        item: dict[str, Any] = {
            "id": f"cmf-{hashlib.sha256(row['name'].casefold().encode('utf-8')).hexdigest()[:10]}",
            "hostname": row.get("fqdn") or row["name"],
            "_at": f"{path.name}:{number}",
        }
        os_name = " ".join(p for p in (row.get("os_version") or row.get("os_family", ""),) if p)
        if os_name:
            item["os"] = os_name
        if row.get("app"):
            item["_system"] = row["app"]
        notes = [
            f"{label}: {row[key]}"
            for key, label in (
                ("wave", "wave"),
                ("tier", "tier"),
                ("env", "environment"),
                ("instance", "AWS instance type"),
            )
            if row.get(key)
        ]
        if notes:
            item["notes"] = "; ".join(notes)
        servers.append(item)
    doc: dict[str, Any] = {"version": 1}
    if servers:
        doc["servers"] = servers
    return doc, problems
