"""Turning schema-valid ledger documents into typed model entities."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

from govcloud.ledger import model
from govcloud.ledger.files import Finding

Path_ = tuple[str | int, ...]
T = TypeVar("T")

DATE_FIELDS = frozenset(
    {
        "as_of",
        "contract_end",
        "purchase_date",
        "warranty_end",
        "graded_on",
        "assessed_on",
        "crypto_assessed_on",
    }
    | {"closed_on", "cut_over_on", "cancelled_on", "migrated_on", "retired_on"}  # progress
)

ENTITY_CLASSES: dict[str, type[Any]] = {
    "departments": model.Department,
    "sites": model.Site,
    "servers": model.Server,
    "networks": model.Network,
    "lines": model.Line,
    "systems": model.System,
    "cloud_nodes": model.CloudNode,
    "access_points": model.AccessPoint,
}

_NESTED: dict[str, type[Any]] = {
    "a_end": model.LineEnd,
    "z_end": model.LineEnd,
    "backup": model.Backup,
    "capacity": model.Capacity,
    "migration": model.MigrationPrices,
}
_NESTED_LISTS: dict[str, type[Any]] = {
    "dependencies": model.Dependency,
    "zones": model.Zone,
    "instance_types": model.InstanceType,
    "storage": model.StoragePrice,
    "images": model.Image,
}


class Builder:
    """Builds entities from dicts, recording unreal dates as findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def entity(self, cls: type[T], data: dict[str, Any], source: model.Source) -> T:
        """An instance of ``cls`` from a schema-valid mapping read at ``source``."""
        kwargs = self._kwargs(cls, data, source.file, source.path)
        if "source" in {f.name for f in dataclasses.fields(cls)}:  # type: ignore[arg-type]
            kwargs["source"] = source
        return cls(**kwargs)

    def _kwargs(self, cls: type[Any], data: dict[str, Any], file: str, path: Path_) -> dict[str, Any]:
        names = {f.name for f in dataclasses.fields(cls)}
        return {
            key: self._value(key, value, file, (*path, key))
            for key, value in data.items()
            if key in names and value is not None
        }

    def _value(self, key: str, value: Any, file: str, path: Path_) -> Any:
        if key in DATE_FIELDS:
            return self._date(value, file, path)
        if key in _NESTED:
            cls = _NESTED[key]
            return cls(**self._kwargs(cls, value, file, path))
        if key in _NESTED_LISTS:
            cls = _NESTED_LISTS[key]
            return tuple(cls(**self._kwargs(cls, item, file, (*path, i))) for i, item in enumerate(value))
        if isinstance(value, list):
            return tuple(value)
        return value

    def _date(self, value: str, file: str, path: Path_) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.findings.append(Finding(file, path, "invalid-date", params={"value": value}))
            return None


def prices(builder: Builder, data: dict[str, Any], source: model.Source) -> model.Prices:
    return builder.entity(model.Prices, data, source)
