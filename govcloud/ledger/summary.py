"""The ledger summary: assets, capacity and yearly cost per department and in total."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from govcloud.i18n import Lang
from govcloud.ledger.model import Ledger, Totals

SUMMARY_SCHEMA_VERSION = 1

#: the columns of the summary, in order: (key, value of a Totals)
COLUMNS: tuple[str, ...] = (
    "sites",
    "servers",
    "cores",
    "memory_gb",
    "storage_tb",
    "networks",
    "lines",
    "bandwidth_mbps",
    "systems",
    "room_cost",
    "line_cost",
    "depreciation",
    "maintenance",
    "operations",
    "yearly_cost",
)


@dataclass(frozen=True)
class DepartmentRow:
    id: str
    name: str
    name_en: str | None
    level: str
    totals: Totals

    def display_name(self, lang: Lang) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class Summary:
    region_id: str
    region_name: str
    region_name_en: str | None
    as_of: str
    rows: tuple[DepartmentRow, ...]
    total: Totals
    cloud_nodes: int
    access_points: int


def summarise(ledger: Ledger) -> Summary:
    """Per-department totals; their sum equals the region's totals."""
    by_department = ledger.totals_by_department()
    rows = tuple(
        DepartmentRow(d.id, d.name, d.name_en, d.level, by_department.get(d.id, Totals()))
        for d in ledger.departments.values()
    )
    region = ledger.region
    return Summary(
        region_id=region.id,
        region_name=region.name,
        region_name_en=region.name_en,
        as_of=region.as_of.isoformat(),
        rows=rows,
        total=sum(by_department.values(), Totals()),
        cloud_nodes=len(ledger.cloud_nodes),
        access_points=len(ledger.access_points),
    )


def column_value(totals: Totals, column: str) -> float:
    """A summary cell: costs in CNY, storage in TB, everything else as recorded."""
    if column == "storage_tb":
        return totals.storage_gb / 1024
    if column in ("room_cost", "line_cost", "depreciation", "maintenance", "operations", "yearly_cost"):
        return float(getattr(totals, f"{column}_cny"))
    return float(getattr(totals, column))


def totals_json(totals: Totals) -> dict[str, Any]:
    out: dict[str, Any] = {k: _round(v) for k, v in dataclasses.asdict(totals).items()}
    out["yearly_cost_cny"] = _round(totals.yearly_cost_cny)
    return out


def to_json(summary: Summary) -> dict[str, Any]:
    """The summary as a JSON value (schema version :data:`SUMMARY_SCHEMA_VERSION`)."""
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "region": {
            "id": summary.region_id,
            "name": summary.region_name,
            "name_en": summary.region_name_en,
            "as_of": summary.as_of,
        },
        "departments": [
            {
                "id": row.id,
                "name": row.name,
                "name_en": row.name_en,
                "level": row.level,
                "totals": totals_json(row.totals),
            }
            for row in summary.rows
        ],
        "total": totals_json(summary.total),
        "targets": {"cloud_nodes": summary.cloud_nodes, "access_points": summary.access_points},
    }


def _round(value: float) -> float | int:
    """Stable numbers in outputs: integers stay integers, money to the fen."""
    if isinstance(value, int):
        return value
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() else rounded
