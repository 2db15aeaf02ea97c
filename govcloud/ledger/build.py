"""Turning schema-valid ledger documents into typed model entities."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from typing import Any, TypeVar

from govcloud.ledger import model, schema
from govcloud.ledger.files import Finding

Path_ = tuple[str | int, ...]
T = TypeVar("T")

#: years a ledger's dates may be in: calendars, depreciation and waves add years to them, and
#: the calendar ends at 9999
DATE_RANGE = (1900, 2200)
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
    "as_is": model.AsIsPrices,
}
_NESTED_LISTS: dict[str, type[Any]] = {
    "dependencies": model.Dependency,
    "equipment": model.Equipment,
    "zones": model.Zone,
    "instance_types": model.InstanceType,
    "storage": model.StoragePrice,
    "images": model.Image,
}


_FIELD_NAMES: dict[type[Any], frozenset[str]] = {}


def _field_names(cls: type[Any]) -> frozenset[str]:
    """The fields of a model class, looked up once per class rather than once per entity."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return names


#: fields :meth:`Builder._value` does more for than take the value as it is
_SPECIAL = frozenset(DATE_FIELDS) | frozenset(_NESTED) | frozenset(_NESTED_LISTS)


class Builder:
    """Builds entities from dicts, recording unreal dates as findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def entity(self, cls: type[T], data: dict[str, Any], source: model.Source) -> T:
        """An instance of ``cls`` from a schema-valid mapping read at ``source``."""
        kwargs = self._kwargs(cls, data, source.file, source.path)
        if "source" in _field_names(cls):
            kwargs["source"] = source
        return cls(**kwargs)

    def _kwargs(self, cls: type[Any], data: dict[str, Any], file: str, path: Path_) -> dict[str, Any]:
        names = _field_names(cls)
        special = _SPECIAL
        # most fields are plain scalars taken as they are: no call, no path built for them
        return {
            key: value
            if key not in special and type(value) is not list
            else self._value(key, value, file, (*path, key))
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
            date = dt.date.fromisoformat(value)
        except ValueError:
            self.findings.append(Finding(file, path, "invalid-date", params={"value": value}))
            return None
        if not DATE_RANGE[0] <= date.year <= DATE_RANGE[1]:  # plans add years to dates
            self.findings.append(Finding(file, path, "date-out-of-range", params={"value": value}))
            return None
        return date


def prices(builder: Builder, data: dict[str, Any], source: model.Source) -> model.Prices:
    return builder.entity(model.Prices, data, source)


#: text fields whose values are addresses or codes written with digits and dots
FOLDED_TEXT_FIELDS = frozenset({"ips", "mgmt_ip", "cidrs", "address_plan", "region_code"})
_WIDE = re.compile(r"[\uff01-\uff5e\u3002\u3000]")
_CONTAINERS = (dict, list)


def fold_widths(file: str, document: Any) -> list[Finding]:
    """Fold full-width digits, dots and signs (``10．250．8．220``, ``１００``) in IP addresses,
    CIDRs, region codes and numbers, in place, with a warning naming where.

    Chinese input methods type full-width forms; read as written, the value would be refused
    as invalid.  Run before the schema check, so folded numbers are checked as numbers."""
    findings: list[Finding] = []
    _fold(document, _schema(), (), file, findings, folded_field=False)
    return findings


@functools.cache
def _schema() -> dict[str, Any]:
    return schema.build_schema()


def _fold(
    value: Any, node: dict[str, Any], path: Path_, file: str, out: list[Finding], *, folded_field: bool
) -> Any:
    # a scalar other than a text with a full-width character is left as it is without a call
    # (most of a ledger's million values): only containers and such texts recurse
    if isinstance(value, dict):
        properties = node.get("properties", {})
        for key, item in value.items():
            if key in properties and (
                type(item) in _CONTAINERS or (type(item) is str and _WIDE.search(item))
            ):
                value[key] = _fold(
                    item, properties[key], (*path, key), file, out, folded_field=key in FOLDED_TEXT_FIELDS
                )
        return value
    if isinstance(value, list):
        items = node.get("items", {})
        for i, item in enumerate(value):
            if type(item) in _CONTAINERS or (type(item) is str and _WIDE.search(item)):
                value[i] = _fold(item, items, (*path, i), file, out, folded_field=folded_field)
        return value
    if not isinstance(value, str) or not _WIDE.search(value):
        return value
    folded = unicodedata.normalize("NFKC", value.replace("\u3002", ".")).strip()
    wanted = node.get("type")
    new: Any = None
    if wanted in ("number", "integer"):
        new = _number(folded, integer=wanted == "integer")
    elif folded_field and folded.isascii():
        new = folded
    if new is None or new == value:
        return value
    out.append(
        Finding(file, path, "folded-width", severity="warning", params={"value": value, "folded": str(new)})
    )
    return new


def _number(text: str, integer: bool) -> int | float | None:
    text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    if integer or (number.is_integer() and "." not in text):
        return int(number) if number.is_integer() else None
    return number
