"""RVTools → servers: the xlsx export (vInfo, vHost, vPartition, vNetwork, vDisk tabs) or the
per-tab CSV exports (``RVTools_tabvInfo.csv`` …).

Rules, stated so a person can check them:

- a VM is a row of vInfo; templates are never servers, powered-off VMs are skipped unless
  ``include_off`` (both counted and reported);
- sizes are measured: vCPUs, memory and provisioned disk (MiB → GB; the header's unit decides,
  MB or MiB alike), the disk in use from vPartition (else vInfo's In Use) kept in the notes;
- the primary IP comes from vInfo's Primary IP Address, else vNetwork's IPv4 addresses;
- each ESXi host of vHost is a physical server (cores, memory, CPU and memory usage measured),
  grouped per cluster into one system ``虚拟化平台 <cluster>``; each VM notes its host;
- a VM's system comes from its Folder, else a custom attribute or Annotation naming an
  application (Application, System, 业务系统 …), else it is one system per VM (an assumption);
- the room is the vCenter datacenter.

Ids derive from the VM's UUID when exported, else from vCenter, datacenter and name, so a
re-import gives the same ids.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.importers import header_key, ignored_columns
from govcloud.problems import Problem, make
from govcloud.tabular.sheets import Sheet, SheetError, read
from govcloud.tabular.values import CellError, ips

TABS = ("vinfo", "vhost", "vpartition", "vnetwork", "vdisk")

#: header (header_key, unit folded away) → field, per tab
_COLUMNS: dict[str, dict[str, str]] = {
    "vinfo": {
        "vm": "name",
        "powerstate": "power",
        "template": "template",
        "cpus": "cpus",
        "memory": "memory",
        "provisioned": "provisioned",
        "in use": "in_use",
        "datacenter": "datacenter",
        "cluster": "cluster",
        "host": "host",
        "os according to the configuration file": "os_config",
        "os according to the vmware tools": "os_tools",
        "primary ip address": "ip",
        "dns name": "dns",
        "vm uuid": "uuid",
        "vm id": "vm_id",
        "vi sdk server": "vcenter",
        "folder": "folder",
        "annotation": "annotation",
        "application": "app",
        "system": "app",
        "业务系统": "app",
        "应用": "app",
        "cpu readiness": "",
    },
    "vhost": {
        "host": "name",
        "datacenter": "datacenter",
        "cluster": "cluster",
        "cores": "cores",
        "memory": "memory",
        "cpu usage": "cpu_pct",
        "memory usage": "mem_pct",
        "esx version": "os",
        "vendor": "vendor",
        "model": "model",
        "serial number": "serial",
        "service tag": "serial",
        "vms": "vms",
    },
    "vpartition": {"vm": "name", "consumed": "consumed", "capacity": "capacity"},
    "vnetwork": {"vm": "name", "ipv4 address": "ip", "ip address": "ip"},
    "vdisk": {"vm": "name", "capacity": "capacity"},
}
_MIB = {"mb": 1 / 1024, "mib": 1 / 1024, "gb": 1.0, "gib": 1.0, None: 1 / 1024}


class RvtoolsError(GovcloudError, ValueError):
    """A file that is not an RVTools export."""

    kind = "rvtools"


@dataclass
class _Tab:
    place: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    units: dict[str, str | None] = field(default_factory=dict)


def _tab_of(sheet: Sheet, path: Path) -> str | None:
    for name in (sheet.name, path.stem):
        folded = (name or "").casefold()
        for tab in TABS:
            if folded.endswith(tab) or f"tab{tab}" in folded or folded == tab:
                return tab
    return None


def _read_tab(sheet: Sheet, tab: str, problems: list[Problem]) -> _Tab:
    out = _Tab(sheet.place)
    if not sheet.rows:
        return out
    header_row, header = sheet.rows[0]
    index: dict[str, int] = {}
    used: set[str] = set()
    for i, cell in enumerate(header):
        if cell is None:
            continue
        key = header_key(str(cell).replace("#", ""))
        words = key.split()
        unit = None
        if len(words) > 1 and words[-1] in ("mb", "mib", "gb", "gib"):
            unit, key = words[-1], " ".join(words[:-1])
        name = _COLUMNS[tab].get(key)
        if tab == "vinfo" and not name and key.startswith(("application", "system", "业务")):
            name = "app"  # a custom attribute naming the application
        if name and name not in index:
            index[name] = i
            used.add(header_key(str(cell)))
            out.units[name] = unit
    problem = ignored_columns(sheet.place, header_row, header, used)
    if problem:
        problems.append(problem)
    for number, cells in sheet.rows[1:]:
        row = {name: cells[i] if i < len(cells) else None for name, i in index.items()}
        if all(v is None or str(v).strip() == "" for v in row.values()):
            continue
        for name in _BOUNDS.keys() & row.keys():
            _check_number(sheet.place, number, index[name], name, row, problems)
        out.rows.append((number, row))
    return out


#: the range of each number read (in the tab's unit: MiB unless the header says GB)
_BOUNDS: dict[str, float] = {
    "cpus": 100_000,
    "cores": 100_000,
    "memory": 2.0**50,
    "provisioned": 2.0**50,
    "in_use": 2.0**50,
    "consumed": 2.0**50,
    "capacity": 2.0**50,
    "cpu_pct": 1e6,
    "mem_pct": 1e6,
}


def _check_number(
    place: str, line: int, column: int, name: str, row: dict[str, Any], problems: list[Problem]
) -> None:
    """A number cell that is not finite (``inf``, ``nan``, ``1e400``) or out of range is left
    out with an error naming its cell; text that is no number at all is ignored as before."""
    value = row.get(name)
    try:
        float(str(value).replace(",", ""))
    except ValueError:
        return  # blank, or no number at all
    try:
        safeio.number(float(str(value).replace(",", "")), where=name, high=_BOUNDS[name])
    except safeio.UnsafeInput as exc:
        problems.append(
            make(
                "import-bad-cell",
                file=place,
                line=line,
                column=column + 1,
                path=f"servers.{name}",
                cell=name,
                value=safeio.terminal(_text(value)[:80]),
                detail=exc,
            )
        )
        row[name] = None


def read_tabs(paths: list[Path]) -> tuple[dict[str, _Tab], list[Problem]]:
    tabs: dict[str, _Tab] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            sheets = read(path)
        except (SheetError, OSError) as exc:
            raise RvtoolsError(f"{path}: {exc}") from exc
        for sheet in sheets:
            tab = _tab_of(sheet, path)
            if tab is None:
                continue
            tabs[tab] = _read_tab(sheet, tab, problems)
    if "vinfo" not in tabs and "vhost" not in tabs:
        raise RvtoolsError(
            f"{', '.join(map(str, paths))}: no vInfo or vHost tab (an RVTools export has them)"
        )
    return tabs, problems


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).replace(",", "")) if _text(value) else None
    except ValueError:
        return None
    return number if number is None or math.isfinite(number) else None


def _true(value: Any) -> bool:
    return _text(value).casefold() in ("true", "1", "yes", "是")


def _short(host: str) -> str:
    return host.split(".")[0].casefold()


def _id(prefix: str, *parts: str) -> str:
    return f"{prefix}-{hashlib.sha256(chr(31).join(parts).encode('utf-8')).hexdigest()[:10]}"


def import_rvtools(paths: list[Path], include_off: bool = False) -> tuple[dict[str, Any], list[Problem]]:
    """Servers (VMs and their hosts) from RVTools exports, with the helper fields
    :mod:`govcloud.importers.plannable` groups them by."""
    tabs, problems = read_tabs(paths)
    consumed: dict[str, float] = defaultdict(float)
    for _, row in tabs.get("vpartition", _Tab("")).rows:
        value = _number(row.get("consumed"))
        if value is not None:
            consumed[_text(row.get("name"))] += value * _MIB[tabs["vpartition"].units.get("consumed")]
    disks: dict[str, float] = defaultdict(float)
    for _, row in tabs.get("vdisk", _Tab("")).rows:
        value = _number(row.get("capacity"))
        if value is not None:
            disks[_text(row.get("name"))] += value * _MIB[tabs["vdisk"].units.get("capacity")]
    net_ips: dict[str, list[str]] = defaultdict(list)
    for _, row in tabs.get("vnetwork", _Tab("")).rows:
        try:
            net_ips[_text(row.get("name"))].extend(ips(row.get("ip")))
        except CellError:
            continue
    servers: list[dict[str, Any]] = []
    hosts_seen: dict[str, str] = {}
    host_tab = tabs.get("vhost", _Tab(""))
    for number, row in host_tab.rows:
        name = _text(row.get("name"))
        if not name:
            continue
        item: dict[str, Any] = {
            "id": _id("rv-host", name),
            "hostname": name,
            "kind": "physical",
            "_at": f"{_short_place(host_tab.place)}:{number}",
            "_role": "hypervisor",
            "_system": f"虚拟化平台 {_text(row.get('cluster')) or name}",
            # the platform itself: once its VMs have moved, the cloud takes its place
            "_system_category": "virtualisation",
        }
        if _text(row.get("datacenter")):
            item["site"] = _text(row.get("datacenter"))
        cores = _number(row.get("cores"))
        if cores:
            item["cpu_cores"] = int(cores)
        memory = _number(row.get("memory"))
        if memory:
            item["memory_gb"] = round(memory * _MIB[host_tab.units.get("memory")], 2)
        for key, target in (("cpu_pct", "cpu_p95_pct"), ("mem_pct", "mem_p95_pct")):
            value = _number(row.get(key))
            if value is not None and 0 <= value <= 100:
                item[target] = value
        if _text(row.get("os")):
            item["os"] = _text(row.get("os"))
        if _text(row.get("serial")):
            item["serial"] = _text(row.get("serial"))
        maker = " ".join(p for p in (_text(row.get("vendor")), _text(row.get("model"))) if p)
        if maker:
            item["_model"] = maker
        item["notes"] = "ESXi 宿主机 / hypervisor host"
        hosts_seen[_short(name)] = item["id"]
        servers.append(item)
    info = tabs.get("vinfo", _Tab(""))
    skipped = {"template": 0, "off": 0}
    for number, row in info.rows:
        name = _text(row.get("name"))
        if not name:
            continue
        if _true(row.get("template")):
            skipped["template"] += 1
            continue
        power = _text(row.get("power")).casefold()
        if power and power != "poweredon" and not include_off:
            skipped["off"] += 1
            continue
        key = _text(row.get("uuid")) or _text(row.get("vm_id"))
        parts = (key,) if key else (_text(row.get("vcenter")), _text(row.get("datacenter")), name)
        item = {
            "id": _id("rv-vm", *parts),
            "hostname": _text(row.get("dns")) or name,
            "kind": "vm",
            "_at": f"{_short_place(info.place)}:{number}",
            "_role": "vm",
        }
        if _text(row.get("datacenter")):
            item["site"] = _text(row.get("datacenter"))
        cpus = _number(row.get("cpus"))
        if cpus:
            item["cpu_cores"] = int(cpus)
        memory = _number(row.get("memory"))
        if memory:
            item["memory_gb"] = round(memory * _MIB[info.units.get("memory")], 2)
        provisioned = _number(row.get("provisioned"))
        if provisioned:
            item["storage_gb"] = round(provisioned * _MIB[info.units.get("provisioned")], 2)
        elif disks.get(name):  # vInfo without Provisioned: the disks of vDisk
            item["storage_gb"] = round(disks[name], 2)
        addresses: list[str] = []
        for cell in (row.get("ip"),):
            with contextlib.suppress(CellError):
                addresses.extend(ips(cell) if _text(cell) else [])
        addresses.extend(net_ips.get(name, []))
        if addresses:
            item["ips"] = list(dict.fromkeys(addresses))
        os_name = _text(row.get("os_tools")) or _text(row.get("os_config"))
        if os_name:
            item["os"] = os_name
        group = _text(row.get("app")) or _text(row.get("folder"))
        if group and group.casefold() not in ("vm", "vms", "discovered virtual machine"):
            item["_system"] = group
        notes = []
        host = _text(row.get("host"))
        if host:
            notes.append(f"宿主机 / host: {host}")
        used = consumed.get(name) or (
            (_number(row.get("in_use")) or 0) * _MIB[info.units.get("in_use")] if row.get("in_use") else 0
        )
        if used:
            notes.append(f"已用磁盘 / disk in use: {round(used, 1)} GB")
        if _text(row.get("annotation")):
            notes.append(_text(row.get("annotation"))[:200])
        if notes:
            item["notes"] = "; ".join(notes)
        servers.append(item)
    if skipped["template"]:
        problems.append(
            make("import-skipped-templates", file=info.place, severity="warning", count=skipped["template"])
        )
    if skipped["off"]:
        problems.append(
            make(
                "import-skipped-rows",
                file=info.place,
                severity="warning",
                count=skipped["off"],
                rule="powered-off VMs / 已关机的虚拟机",
                option="--include-powered-off",
            )
        )
    doc: dict[str, Any] = {"version": 1}
    if servers:
        doc["servers"] = servers
    return doc, problems


def _short_place(place: str) -> str:
    """``file#tab`` without the folder: where the import ran from is no part of the ledger."""
    return Path(place).name
