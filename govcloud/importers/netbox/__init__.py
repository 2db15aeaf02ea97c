"""NetBox → ledger: a NetBox estate from its database dump (Django fixture JSON), REST API
exports or UI CSV exports.

Tenants become departments, sites become rooms, server devices and virtual machines become
servers, active prefixes become networks (with their VLANs), circuits with their providers,
commit rates and terminations become dedicated lines.  NetBox does not know administrative
levels, region codes, room kinds, MLPS levels or costs: those are left open and reported, so a
user fills them in instead of govcloud inventing them.  Ids come from NetBox slugs and primary
keys, so importing the same dump twice gives the same ledger.

The package's parts import one way: ``objects`` (shared types) ← ``checks`` (the contract of
the objects), ``json_exports`` and ``csv_exports`` (files → objects) ← ``mapper`` (objects →
ledger document) ← this module (which reader a set of files needs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.importers.netbox.csv_exports import read_csv_exports
from govcloud.importers.netbox.json_exports import read_dump, read_rest
from govcloud.importers.netbox.mapper import import_objects
from govcloud.importers.netbox.objects import NetboxError, Objects
from govcloud.problems import Problem

__all__ = [
    "NetboxError",
    "Objects",
    "import_any",
    "import_dump",
    "import_objects",
    "import_rest",
    "read_csv_exports",
    "read_dump",
    "read_rest",
]


def import_dump(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The ledger document of a NetBox dump, and what was left open or skipped."""
    return import_objects(read_dump(path), str(path))


def import_any(paths: list[Path]) -> tuple[dict[str, Any], list[Problem]]:
    """A database dump (one file) or REST API exports (one or more), told apart by content."""
    if all(p.suffix.casefold() == ".csv" for p in paths):
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
