"""``govcloud import … --into REGION_DIR``: one source's file added to (or updated in) an
existing ledger, and what changed.

The imported file is ``departments/<source name>.yaml`` inside the region: a re-import of the
same source replaces that file only, and ids come from names and serials, so importing the
same file twice changes nothing.  Departments and rooms the region already has (by id or by
name) are referred to, not created again; the region, its cloud nodes and prices are never
duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud.importers.plannable import Known
from govcloud.ledger.files import LedgerFile, discover, read

KINDS = ("departments", "sites", "servers", "networks", "lines", "systems", "cloud_nodes", "access_points")


def target(region_dir: Path, source: Path) -> Path:
    """Where the import of ``source`` lives inside ``region_dir``."""
    return region_dir / "departments" / f"{source.stem}.yaml"


def known(region_dir: Path, skip: Path) -> Known:
    """What the region already has, outside the file the import will write."""
    out = Known()
    files, _ = discover(region_dir) if region_dir.exists() else ([], [])
    for ledger_file in files:
        if ledger_file.path.resolve() == skip.resolve():
            continue
        doc = _document(ledger_file)
        region = doc.get("region")
        if isinstance(region, dict):
            out.region = True
            out.region_code = str(region.get("region_code") or "") or None
        out.cloud_nodes = out.cloud_nodes or bool(doc.get("cloud_nodes"))
        out.prices = out.prices or isinstance(doc.get("prices"), dict)
        departments = list(doc.get("departments") or [])
        if isinstance(doc.get("department"), dict):
            departments.append(doc["department"])
        for table, items in ((out.departments, departments), (out.sites, doc.get("sites") or [])):
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    table[item["id"]] = item["id"]
                    if item.get("name"):
                        table.setdefault(str(item["name"]), item["id"])
    return out


def _document(ledger_file: LedgerFile) -> dict[str, Any]:
    if read(ledger_file):
        return {}
    return ledger_file.document or {}


@dataclass
class Changes:
    added: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


def changes(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """Entries added, changed and removed between two versions of one file, by kind and id."""
    out = Changes()
    for kind in KINDS:
        before = {str(i.get("id")): i for i in old.get(kind) or [] if isinstance(i, dict)}
        after = {str(i.get("id")): i for i in new.get(kind) or [] if isinstance(i, dict)}
        out.added += [(kind, i) for i in sorted(after.keys() - before.keys())]
        out.removed += [(kind, i) for i in sorted(before.keys() - after.keys())]
        out.changed += [(kind, i) for i in sorted(after.keys() & before.keys()) if after[i] != before[i]]
    return out


def previous(path: Path) -> dict[str, Any]:
    """The file an earlier import wrote, or nothing."""
    if not path.exists():
        return {}
    return _document(LedgerFile(str(path), path))
