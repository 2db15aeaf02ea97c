"""Writing a ledger back to YAML: the per-department layout or the single-file form.

Used to export a ledger that was imported from elsewhere, and by the tests to prove that a
ledger written out and read back is the same ledger.  Fields left at their model default are
omitted, so the files stay as short as the ones people write by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from govcloud.ledger import model
from govcloud.outputs import write_atomic

Document = dict[str, Any]

#: region-level files of the per-department layout
REGION_FILE = "region.yaml"
TARGETS_FILE = "targets.yaml"
PRICES_FILE = "prices.yaml"
DEPARTMENTS_DIR = "departments"


def plain(entity: Any) -> Any:
    """A model value as plain YAML data: dataclasses become mappings without their defaults."""
    if dataclasses.is_dataclass(entity) and not isinstance(entity, type):
        out: Document = {}
        for f in dataclasses.fields(entity):
            value = getattr(entity, f.name)
            if f.name == "source" or value is None or _is_default(f, value):
                continue
            out[f.name] = plain(value)
        return out
    if isinstance(entity, tuple | list):
        return [plain(v) for v in entity]
    if isinstance(entity, dt.date):
        return entity.isoformat()
    return entity


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    return False


def single_document(ledger: model.Ledger) -> Document:
    """The whole ledger as one document (every entity names its owner)."""
    doc: Document = {"version": 1, "region": plain(ledger.region)}
    for kind in model.ENTITY_KINDS:
        items = [plain(e) for e in getattr(ledger, kind).values()]
        if items:
            doc[kind] = items
    if ledger.prices != model.Prices():
        doc["prices"] = plain(ledger.prices)
    return doc


def by_id(department: model.Department) -> str:
    """The default file of a department: ``departments/<id>.yaml`` (ids are file-safe)."""
    return f"{DEPARTMENTS_DIR}/{department.id}.yaml"


def layout_documents(
    ledger: model.Ledger, file_of: Callable[[model.Department], str] = by_id
) -> dict[str, Document]:
    """The per-department layout: relative file name → document.

    Each department's file holds the department and what it owns, without ``owner`` fields;
    region, targets and prices get files of their own.  ``file_of`` names a department's file.
    """
    docs: dict[str, Document] = {REGION_FILE: {"version": 1, "region": plain(ledger.region)}}
    targets: Document = {"version": 1}
    for kind in ("cloud_nodes", "access_points"):
        items = [plain(e) for e in getattr(ledger, kind).values()]
        if items:
            targets[kind] = items
    if len(targets) > 1:
        docs[TARGETS_FILE] = targets
    if ledger.prices != model.Prices():
        docs[PRICES_FILE] = {"version": 1, "prices": plain(ledger.prices)}
    for dept_id, department in ledger.departments.items():
        doc: Document = {"version": 1, "department": plain(department)}
        for kind, entities in ledger.owned_by(dept_id).items():
            items = [_without_owner(plain(e)) for e in entities]
            if items:
                doc[kind] = items
        docs[file_of(department)] = doc
    return docs


def _without_owner(item: Document) -> Document:
    return {k: v for k, v in item.items() if k != "owner"}


def yaml_text(doc: Document) -> str:
    """Stable, readable YAML: keys in model order, Chinese kept as written."""
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)


def write_layout(
    ledger: model.Ledger,
    directory: Path,
    file_of: Callable[[model.Department], str] = by_id,
    header: str = "",
) -> list[Path]:
    """Write the per-department layout under ``directory``; returns the files written.

    ``header`` (comment lines) goes at the top of every file.
    """
    written = []
    for name, doc in sorted(layout_documents(ledger, file_of).items()):
        path = directory / name
        write_atomic(path, header + yaml_text(doc))
        written.append(path)
    return written


def write_single(ledger: model.Ledger, path: Path) -> Path:
    """Write the single-file form to ``path``."""
    write_atomic(path, yaml_text(single_document(ledger)))
    return path
