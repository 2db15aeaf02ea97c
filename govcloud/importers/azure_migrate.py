"""Azure Migrate → ledger: the CSV of its import-based server discovery.

Columns of Microsoft's template ("Server name", "IP addresses", "Cores", "Memory (In MB)",
"OS name", "OS version", "OS architecture", "Disk N size (In GB)", "CPU utilization
percentage", "Memory utilization percentage", "Server type", "BIOS GUID", …) become servers.
The CSV knows nothing of rooms or departments: ``site`` and ``owner`` come from the command line
or are left open and reported.  Ids derive from the BIOS GUID (else the server name), so a
re-import gives the same ids.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.importers import first_sheet, header_key, ignored_columns
from govcloud.problems import Problem, make

_ARCH = {
    "x64": "x86_64",
    "x86_64": "x86_64",
    "amd64": "x86_64",
    "x86": "x86_64",
    "arm64": "arm64",
    "aarch64": "arm64",
}
#: column → (field, factor, type) of the numbers a discovery row holds
_NUMBERS: dict[str, tuple[str, float, type]] = {
    "cores": ("cpu_cores", 1, int),
    "memory in mb": ("memory_gb", 1 / 1024, float),
    "cpu utilization percentage": ("cpu_p95_pct", 1, float),
    "memory utilization percentage": ("mem_p95_pct", 1, float),
}
#: the range of each: a server has 1 to 100,000 cores, a utilisation is a percentage
_BOUNDS: dict[str, tuple[float, float]] = {
    "cores": (1, 100_000),
    "memory in mb": (1, 1024**3),
    "cpu utilization percentage": (0, 100),
    "memory utilization percentage": (0, 100),
}
#: the headers the importer reads (header_key forms); every other one is reported as ignored
_USED = {
    "server name",
    "ip addresses",
    "cores",
    "memory in mb",
    "os name",
    "os version",
    "os architecture",
    "server type",
    "hypervisor",
    "cpu utilization percentage",
    "memory utilization percentage",
    "bios guid",
    "tags",
    "application",
    "app",
    *(f"disk {n} size in gb" for n in range(1, 65)),
}
_VIRTUAL = ("vmware", "hyper-v", "hyperv", "virtual", "kvm", "xen")


def import_csv(
    path: Path, owner: str | None = None, site: str | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Servers from an Azure Migrate discovery CSV, and every cell that could not be used."""
    sheet, refused = first_sheet(path, "kind.import-azure-migrate", "Server name, Cores")
    if sheet is None:
        return {"version": 1}, refused
    header_row, header = sheet.rows[0]
    index = {header_key(str(h)): i for i, h in enumerate(header) if h}
    if "server name" not in index or "cores" not in index:
        return {"version": 1}, [
            make(
                "import-missing-columns",
                file=str(path),
                line=header_row,
                name=path.name,
                kind="kind.import-azure-migrate",
                missing="Server name, Cores",
            )
        ]
    problems: list[Problem] = []
    ignored = ignored_columns(str(path), header_row, header, _USED)
    if ignored:
        problems.append(ignored)
    servers = []
    seen: dict[str, int] = {}
    for number, cells in sheet.rows[1:]:
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        row = {
            name: str(cells[i]).strip() if i < len(cells) and cells[i] is not None else ""
            for name, i in index.items()
        }
        server = _server(row, number, index, path, owner, site, problems)
        server["_at"] = f"{path.name}:{number}"
        tags = row.get("tags") or row.get("application") or row.get("app")
        if tags:
            server["_system"] = tags
        if server["id"] in seen:  # the same BIOS GUID (or name) twice: one server, kept once
            problems.append(
                make(
                    "import-bad-cell",
                    file=str(path),
                    line=number,
                    column=index.get("bios guid", index["server name"]) + 1,
                    path="servers.id",
                    cell="BIOS GUID" if "bios guid" in index else "Server name",
                    value=safeio.terminal(str(server.get("serial") or server["hostname"])[:80]),
                    detail=GovcloudError(code="import.same-server", line=seen[server["id"]]),
                )
            )
            continue
        seen[server["id"]] = number
        servers.append(server)
    doc: dict[str, Any] = {"version": 1}
    if servers:
        doc["servers"] = servers
    return doc, problems


def _server(
    row: dict[str, str],
    number: int,
    index: dict[str, int],
    path: Path,
    owner: str | None,
    site: str | None,
    problems: list[Problem],
) -> dict[str, Any]:
    name = row["server name"]
    key = row.get("bios guid") or name
    item: dict[str, Any] = {
        "id": f"am-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}",
        "hostname": name,
    }
    if owner:
        item["owner"] = owner
    if site:
        item["site"] = site
    if row.get("bios guid"):
        item["serial"] = row["bios guid"]
    ips = [ip.strip() for ip in re.split(r"[,;\s]+", row.get("ip addresses", "")) if ip.strip()]
    if ips:
        item["ips"] = ips
    server_type = row.get("server type", "").casefold()
    item["kind"] = (
        "vm" if any(word in server_type for word in _VIRTUAL) or row.get("hypervisor") else "physical"
    )
    os_name = " ".join(p for p in (row.get("os name", ""), row.get("os version", "")) if p)
    if os_name:
        item["os"] = os_name
    arch = _ARCH.get(row.get("os architecture", "").casefold())
    if arch:
        item["arch"] = arch
    for column, (field, factor, cast) in _NUMBERS.items():
        text = row.get(column, "")
        if not text:
            continue
        low, high = _BOUNDS[column]
        try:  # finite, within the column's range, whole where it must be
            value = safeio.number(text, where=column, low=low, high=high, integer=cast is int, text=True)
            item[field] = int(value) if cast is int else round(value * factor, 2)
        except safeio.UnsafeInput as exc:
            problems.append(
                make(
                    "import-bad-cell",
                    file=str(path),
                    line=number,
                    column=index[column] + 1,
                    path=f"servers.{field}",
                    cell=column,
                    value=safeio.terminal(text[:80]),
                    detail=exc,
                )
            )
    disks = [row[c] for c in row if re.fullmatch(r"disk \d+ size in gb", c) and row[c]]
    try:
        if disks:
            sizes = [safeio.number(d, where="disk", high=1e9, text=True) for d in disks]
            item["storage_gb"] = round(sum(sizes), 2)
    except safeio.UnsafeInput:
        problems.append(
            make(
                "import-bad-cell",
                file=str(path),
                line=number,
                path="servers.storage_gb",
                cell="Disk size",
                value=", ".join(disks)[:80],
                detail=GovcloudError(code="import.not-a-number"),
            )
        )
    return item
