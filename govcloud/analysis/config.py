"""Thresholds of the duplication analysis: configuration with documented defaults.

Every number an analyser compares against lives here, so an architect can tune the analysis
to a region (``govcloud analyze --config thresholds.yaml``) without touching code.  A config
file holds any subset of the fields under an ``analysis:`` key; unknown keys are errors.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcloud.settings import ConfigError, apply_overrides, read_yaml, refused

__all__ = ["ConfigError", "Thresholds", "load_thresholds", "with_overrides"]


@dataclass(frozen=True)
class Thresholds:
    """Defaults are what a provincial big-data bureau would start from; see docs/analysis.md."""

    #: a room is underused below this utilisation (% of racks or power in use)
    room_low_utilisation_pct: float = 40.0
    #: a room this small (racks) is not worth running on its own
    room_small_racks: int = 6
    #: share of a consolidated room's yearly cost that goes away (the rest moves to the cloud bill)
    room_saving_share: float = 0.6
    #: a server is idle when its p95 CPU is below this …
    idle_cpu_p95_pct: float = 5.0
    #: … unless its p95 memory is at least this (memory an idle process holds is not work)
    idle_mem_p95_pct: float = 80.0
    #: … or its p95 network throughput, where recorded, is at least this (Mbps)
    idle_net_p95_mbps: float = 1.0
    #: … measured over at least this many days, where the period is recorded
    idle_min_metrics_days: int = 14
    #: power drawn by one physical server, for the saving of switching it off (kW)
    server_power_kw: float = 0.35
    #: electricity price (CNY per kWh)
    electricity_cny_per_kwh: float = 0.85
    #: PUE assumed for a room whose PUE is not recorded
    default_pue: float = 1.8
    #: yearly maintenance of one physical server (CNY), saved when it is switched off
    server_maintenance_cny: float = 3000.0
    #: a site serves "one small system" when that system has at most this many users
    small_system_users: int = 200
    #: extra bandwidth on the line that stays costs this share of the cancelled lines' price per Mbps
    line_upgrade_price_share: float = 0.5
    #: extranet access point bandwidth must exceed a private network's bandwidth by this factor
    bandwidth_headroom: float = 1.5
    #: an access point reaches the sites whose region code shares this many leading digits with
    #: its own (6: same district or county; 4: same prefecture; 2: same province)
    extranet_reach_digits: int = 6
    #: system names at least this similar (0–1) are taken for the same function
    name_similarity: float = 0.6
    #: yearly running cost of one departmental system that a shared platform replaces (CNY)
    system_running_cny: float = 150_000.0
    #: share of duplicated systems' running cost saved by moving onto a shared platform
    system_saving_share: float = 0.5
    #: two records are one asset when the weighted evidence for it reaches this score
    same_asset_min_score: float = 0.6
    #: a hostname used by this many departments or more is generic: weak evidence
    same_asset_generic_owners: int = 3
    #: ids of records that are never one asset, however alike (``keep_apart:`` lists of ids)
    keep_apart: tuple[tuple[str, ...], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The thresholds as plain JSON values (``keep_apart`` as lists of lists)."""
        values = dataclasses.asdict(self)
        values["keep_apart"] = [list(group) for group in self.keep_apart]
        return values


#: the range each threshold may be set to (a percentage 0–100, a share 0–1, …): a value
#: outside it is a typo or an attack, refused with the file and the field
BOUNDS: dict[str, tuple[float, float]] = {
    "room_low_utilisation_pct": (0, 100),
    "room_small_racks": (0, 10_000),
    "room_saving_share": (0, 1),
    "idle_cpu_p95_pct": (0, 100),
    "idle_mem_p95_pct": (0, 100),
    "server_power_kw": (0, 100),
    "electricity_cny_per_kwh": (0, 100),
    "default_pue": (1, 5),
    "server_maintenance_cny": (0, 10_000_000),
    "small_system_users": (0, 100_000_000),
    "line_upgrade_price_share": (0, 10),
    "bandwidth_headroom": (1, 100),
    "name_similarity": (0, 1),
    "system_running_cny": (0, 1_000_000_000),
    "system_saving_share": (0, 1),
}


def load_thresholds(path: Path | None) -> Thresholds:
    """Defaults, overridden by the ``analysis:`` mapping of the YAML file at ``path``."""
    if path is None:
        return Thresholds()
    document = read_yaml(path)
    section = (document or {}).get("analysis", {}) if isinstance(document, dict) else None
    if not isinstance(section, dict):
        raise refused("settings.expected-analysis", str(path))
    numbers = {k: v for k, v in section.items() if k != "keep_apart"}
    thresholds = with_overrides(Thresholds(), numbers, str(path))
    if "keep_apart" in section:
        thresholds = dataclasses.replace(thresholds, keep_apart=keep_apart(section["keep_apart"], str(path)))
    return thresholds


def keep_apart(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    """``keep_apart:`` as groups of ids: a list of lists of two or more ids."""
    if not isinstance(value, list) or not all(
        isinstance(group, list) and len(group) >= 2 and all(isinstance(i, str) for i in group)
        for group in value
    ):
        raise ConfigError(f"{where}: analysis.keep_apart: expected a list of lists of two or more record ids")
    return tuple(tuple(sorted(group)) for group in value)


def with_overrides(base: Thresholds, values: dict[str, Any], where: str = "") -> Thresholds:
    """``base`` with ``values`` applied (see :func:`govcloud.settings.apply_overrides`)."""
    return apply_overrides(base, values, "analysis", where, BOUNDS)
