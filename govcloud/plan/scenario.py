"""What-if scenarios: overrides applied before planning (``govcloud plan --scenario FILE``).

```yaml
scenario:
  name: 公安厅暂缓上云
  keep_departments: [hy-gat]          # these departments' systems stay where they are
  force: {hy-jyt-oa: retain}           # a decision per system, checked by the verifier
  platforms: [hy-zsj-sys01]            # the shared platform of the duplicates it is among
  common_functions: [oa, gis]          # replaces analysis/data/common_functions.yaml
  rules: {wave_max_servers: 30}        # planning rules (see docs/plan.md)
  analysis: {idle_cpu_p95_pct: 3}      # analysis thresholds
  prices: {extranet_mbps_month_cny: 40, migration: {per_server_cny: 5000}}
  targets:                             # the cloud nodes are part of the what-if
    add:                               # a node as in targets.yaml; `like:` copies a node's prices
    - {id: hz-cloud-city2, name: 海州市政务云二期, provider: openstack, region: RegionTwo,
       zones: [nova], certified_mlps_level: 3, kind: city, region_code: '990100',
       capacity: {vcpus: 8000}, like: hz-cloud-city}
    remove: [hz-cloud-city]            # no longer a target (lines ending there end at its address)
    resize: {hy-cloud-prov: {vcpus: 20000}}
  calendar:
    teams: {hz-cloud-city: 1, hy-gat: 1}   # at most this many waves at once per node or department
    freeze:                            # replaces the default freezes (两会, 高考, year-end)
    - {name: 两会, from: 03-01, to: 03-15}
    - {name: 高考, from: 06-01, to: 06-10, departments: [教育]}
```
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.ledger import model
from govcloud.plan.calendar import DEFAULT_FREEZES, Freeze
from govcloud.settings import ConfigError, apply_overrides, read_yaml, refused

_KEYS = {
    "name",
    "keep_departments",
    "force",
    "rules",
    "analysis",
    "prices",
    "targets",
    "calendar",
    "platforms",
}
_PRICE_NUMBERS = {"extranet_mbps_month_cny"}
#: the price table's sections a scenario may change, number by number
_PRICE_SECTIONS = ("migration", "as_is")
_MIGRATION_NUMBERS = {
    "per_server_cny",
    "per_tb_cny",
    "per_system_cny",
    "per_retired_system_cny",
    "per_ported_system_cny",
}


@dataclass(frozen=True)
class Scenario:
    name: str = ""
    keep_departments: tuple[str, ...] = ()
    force: tuple[tuple[str, str], ...] = ()
    #: systems chosen as the shared platform of the duplicate finding that holds them
    platforms: tuple[str, ...] = ()
    #: categories whose duplicates share one platform (None: ``analysis/data/common_functions.yaml``)
    common_functions: tuple[str, ...] | None = None
    rules: dict[str, Any] = field(default_factory=dict, hash=False)
    analysis: dict[str, Any] = field(default_factory=dict, hash=False)
    prices: dict[str, Any] = field(default_factory=dict, hash=False)
    targets: dict[str, Any] = field(default_factory=dict, hash=False)
    calendar: dict[str, Any] = field(default_factory=dict, hash=False)


def load_scenario(path: Path | None) -> Scenario:
    """The scenario in the YAML file at ``path`` (an empty scenario for None)."""
    if path is None:
        return Scenario()
    where = str(path)
    document = read_yaml(path)
    body = document.get("scenario") if isinstance(document, dict) else None
    if not isinstance(body, dict):
        raise refused("settings.expected-scenario", where)
    unknown = sorted(set(body) - _KEYS)
    if unknown:
        raise refused("settings.unknown-key", where, f"scenario.{unknown[0]}", known=", ".join(sorted(_KEYS)))
    keep = body.get("keep_departments", [])
    force = body.get("force", {})
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise refused("settings.expected-department-ids", where, "scenario.keep_departments")
    if not isinstance(force, dict):
        raise refused("settings.expected-decisions", where, "scenario.force")
    from govcloud.plan.decide import ACTIONS

    for system_id, action in force.items():
        if action not in ACTIONS:
            raise refused(
                "settings.not-one-of",
                where,
                f"scenario.force.{system_id}",
                value=repr(action),
                choices=", ".join(ACTIONS),
            )
    sections = {k: body.get(k, {}) for k in ("rules", "analysis", "prices", "targets", "calendar")}
    for key, value in sections.items():
        if not isinstance(value, dict):
            raise refused("settings.expected-mapping", where, f"scenario.{key}")
    _freezes(sections["calendar"], where)  # checked on load
    platforms = body.get("platforms", [])
    if not isinstance(platforms, list) or not all(isinstance(p, str) for p in platforms):
        raise refused("settings.expected-system-ids", where, "scenario.platforms")
    common = body.get("common_functions")
    if common is not None:
        from govcloud.ledger import choices

        known = choices.ALL["system_category"].values
        if not isinstance(common, list) or not all(c in known for c in common):
            raise refused(
                "settings.expected-list-of", where, "scenario.common_functions", choices=", ".join(known)
            )
    _check_values(body, sections, where)
    return Scenario(
        name=str(body.get("name", "")),
        platforms=tuple(sorted(platforms)),
        common_functions=None if common is None else tuple(sorted(common)),
        keep_departments=tuple(sorted(keep)),
        force=tuple(sorted(force.items())),
        **sections,
    )


#: the range of every price a scenario may change (CNY)
PRICE_BOUNDS: dict[str, tuple[float, float]] = {
    "extranet_mbps_month_cny": (0, 1_000_000),
    "per_server_cny": (0, 100_000_000),
    "per_tb_cny": (0, 100_000_000),
    "per_system_cny": (0, 100_000_000),
    "default_pue": (1, 5),
    "server_power_kw": (0, 100),
}


def _check_values(body: dict[str, Any], sections: dict[str, Any], where: str) -> None:
    """Every id printable, every number finite and within its field's range, before any use."""
    from govcloud.analysis.config import Thresholds
    from govcloud.analysis.config import with_overrides as thresholds_with
    from govcloud.plan.rules import PlanRules
    from govcloud.plan.rules import with_overrides as rules_with

    name = body.get("name", "")
    if not isinstance(name, str | int | float) or isinstance(name, bool) or len(str(name)) > 200:
        raise refused("settings.expected-short-text", where, "scenario.name")
    for key, ids in (
        ("keep_departments", body.get("keep_departments", [])),
        ("force", body.get("force", {})),
        ("platforms", body.get("platforms", [])),
    ):
        for ident in ids:
            if not isinstance(ident, str):
                raise refused(
                    "settings.id-not-text", where, f"scenario.{key}", id=repr(safeio.terminal(str(ident)))
                )
            bad = safeio.invisible(ident)
            if bad:
                raise refused(
                    "settings.bad-id",
                    where,
                    f"scenario.{key}",
                    id=repr(safeio.terminal(str(ident))),
                    detail=bad,
                )
    rules_with(PlanRules(), sections["rules"], where)
    thresholds_with(Thresholds(), sections["analysis"], where)
    prices = sections["prices"]
    for key, value in prices.items():
        if key in _PRICE_SECTIONS:
            if not isinstance(value, dict):
                raise refused("settings.expected-mapping", where, f"scenario.prices.{key}")
            for sub, number in value.items():
                _price(f"{where}: scenario.prices.{key}.{sub}", sub, number)
        else:
            _price(f"{where}: scenario.prices.{key}", key, number=value)


def _price(place: str, key: str, number: Any) -> None:
    low, high = PRICE_BOUNDS.get(key, (0, 1e9))
    try:
        safeio.number(number, where=place, low=low, high=high)
    except safeio.UnsafeInput as exc:
        raise ConfigError(str(exc)) from exc


def check_ids(scenario: Scenario, ledger: model.Ledger, where: str = "") -> None:
    """Every department and system a scenario names must exist."""
    for dept in scenario.keep_departments:
        if dept not in ledger.departments:
            raise refused("settings.no-department", where, "scenario.keep_departments", id=repr(dept))
    for system_id, _ in scenario.force:
        if system_id not in ledger.systems:
            raise refused("settings.no-system", where, "scenario.force", id=repr(system_id))
    for system_id in scenario.platforms:
        if system_id not in ledger.systems:
            raise refused("settings.no-system", where, "scenario.platforms", id=repr(system_id))


def apply_prices(ledger: model.Ledger, overrides: dict[str, Any], where: str = "") -> model.Ledger:
    """The ledger with its price table changed by ``overrides``."""
    if not overrides:
        return ledger
    prices = ledger.prices
    top = {k: v for k, v in overrides.items() if k not in _PRICE_SECTIONS}
    for key in top:
        if key not in _PRICE_NUMBERS:
            raise refused(
                "settings.prices-only",
                where,
                f"scenario.prices.{key}",
                known=", ".join(sorted(_PRICE_NUMBERS | set(_PRICE_SECTIONS))),
            )
    prices = apply_overrides(prices, top, "scenario.prices", where, PRICE_BOUNDS)
    for section in _PRICE_SECTIONS:  # migration costs, the as-is unit costs (plan/basis.py)
        values = overrides.get(section, {})
        if not isinstance(values, dict):
            raise refused("settings.expected-mapping", where, f"scenario.prices.{section}")
        changed = apply_overrides(
            getattr(prices, section), values, f"scenario.prices.{section}", where, PRICE_BOUNDS
        )
        prices = dataclasses.replace(prices, **{section: changed})
    return dataclasses.replace(ledger, prices=prices)


_TARGET_KEYS = {"add", "remove", "resize"}
_NODE_KEYS = {
    "id",
    "name",
    "provider",
    "region",
    "zones",
    "certified_mlps_level",
    "kind",
    "region_code",
    "capacity",
    "xinchuang",
    "archs",
    "like",
}
_CAPACITY_KEYS = {"vcpus", "memory_gb", "storage_gb"}


def _capacity(value: Any, base: model.Capacity, where: str) -> model.Capacity:
    if not isinstance(value, dict) or set(value) - _CAPACITY_KEYS:
        raise refused("settings.expected-mapping-of", where, keys=", ".join(sorted(_CAPACITY_KEYS)))
    for key, number in value.items():
        if not isinstance(number, (int, float)) or isinstance(number, bool) or number < 0:
            raise refused("settings.expected-non-negative", f"{where}.{key}", value=repr(number))
    return dataclasses.replace(base, **value)


def _new_node(spec: Any, ledger: model.Ledger, where: str) -> tuple[model.CloudNode, str | None]:
    if not isinstance(spec, dict):
        raise refused("settings.expected-node", where)
    unknown = sorted(set(spec) - _NODE_KEYS)
    if unknown:
        raise refused("settings.unknown-key", f"{where}.{unknown[0]}", known=", ".join(sorted(_NODE_KEYS)))
    missing = sorted({"id", "provider", "region", "zones", "certified_mlps_level"} - set(spec))
    if missing:
        raise refused("settings.required", where, name=missing[0])
    node_id = str(spec["id"])
    if node_id in ledger.cloud_nodes:
        raise refused("settings.node-exists", f"{where}.id", id=repr(node_id))
    from govcloud.ledger import choices

    for key, choice in (("provider", "cloud_provider"), ("kind", "cloud_node_kind")):
        if key in spec and spec[key] not in choices.ALL[choice].values:
            raise refused(
                "settings.not-one-of",
                f"{where}.{key}",
                value=repr(spec[key]),
                choices=", ".join(choices.ALL[choice].values),
            )
    zones = spec["zones"]
    if not isinstance(zones, list) or not zones:
        raise refused("settings.expected-zone-ids", f"{where}.zones")
    level = spec["certified_mlps_level"]
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
        raise refused("settings.expected-level", f"{where}.certified_mlps_level", value=repr(level))
    like = spec.get("like")
    if like is not None and like not in ledger.cloud_nodes:
        raise refused("settings.no-node-to-copy", f"{where}.like", id=repr(like))
    archs = spec.get("archs", ["x86_64"])
    if not isinstance(archs, list) or not all(a in choices.ALL["cpu_arch"].values for a in archs):
        raise refused(
            "settings.expected-list-of", f"{where}.archs", choices=", ".join(choices.ALL["cpu_arch"].values)
        )
    node = model.CloudNode(
        node_id,
        str(spec.get("name", node_id)),
        str(spec["provider"]),
        str(spec["region"]),
        tuple(model.Zone(str(z["id"] if isinstance(z, dict) else z)) for z in zones),
        level,
        kind=str(spec.get("kind", "provincial")),
        region_code=str(spec["region_code"]) if spec.get("region_code") is not None else None,
        capacity=_capacity(spec.get("capacity", {}), model.Capacity(), f"{where}.capacity"),
        xinchuang=bool(spec.get("xinchuang", False)),
        archs=tuple(archs),
    )
    return node, like


def apply_targets(ledger: model.Ledger, targets: dict[str, Any], where: str = "") -> model.Ledger:
    """The ledger with cloud nodes added, removed or resized as the scenario says."""
    if not targets:
        return ledger
    unknown = sorted(set(targets) - _TARGET_KEYS)
    if unknown:
        raise refused(
            "settings.unknown-key", where, f"scenario.targets.{unknown[0]}", known="add, remove, resize"
        )
    nodes = dict(ledger.cloud_nodes)
    prices = ledger.prices
    resize = targets.get("resize", {})
    if not isinstance(resize, dict):
        raise refused("settings.expected-resize", where, "scenario.targets.resize")
    for node_id, capacity in sorted(resize.items()):
        if node_id not in nodes:
            raise refused("settings.no-node", where, "scenario.targets.resize", id=repr(node_id))
        nodes[node_id] = dataclasses.replace(
            nodes[node_id],
            capacity=_capacity(
                capacity, nodes[node_id].capacity, f"{where}: scenario.targets.resize.{node_id}"
            ),
        )
    added = targets.get("add", [])
    if not isinstance(added, list):
        raise refused("settings.expected-nodes", where, "scenario.targets.add")
    for i, spec in enumerate(added):
        node, like = _new_node(
            spec, dataclasses.replace(ledger, cloud_nodes=nodes), f"{where}: scenario.targets.add[{i}]"
        )
        nodes[node.id] = node
        if like is not None:
            prices = dataclasses.replace(
                prices,
                instance_types=prices.instance_types
                + tuple(
                    dataclasses.replace(t, cloud_node=node.id)
                    for t in prices.instance_types
                    if t.cloud_node == like
                ),
                storage=prices.storage
                + tuple(
                    dataclasses.replace(p, cloud_node=node.id) for p in prices.storage if p.cloud_node == like
                ),
            )
    removed = targets.get("remove", [])
    if not isinstance(removed, list) or not all(isinstance(r, str) for r in removed):
        raise refused("settings.expected-node-ids", where, "scenario.targets.remove")
    lines = dict(ledger.lines)
    for node_id in removed:
        if node_id not in nodes:
            raise refused("settings.no-node", where, "scenario.targets.remove", id=repr(node_id))
        del nodes[node_id]
        for line_id, line in lines.items():
            ends = [
                model.LineEnd(address=f"{node_id}", region_code=end.region_code)
                if end.cloud_node == node_id
                else end
                for end in (line.a_end, line.z_end)
            ]
            if ends != [line.a_end, line.z_end]:
                lines[line_id] = dataclasses.replace(line, a_end=ends[0], z_end=ends[1])
    if not nodes:
        raise refused("settings.no-node-left", where, "scenario.targets")
    return dataclasses.replace(ledger, cloud_nodes=nodes, lines=lines, prices=prices)


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def _month_day(value: Any, where: str) -> tuple[int, int]:
    match = _MONTH_DAY.match(str(value))
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            dt.date(2024, month, day)  # a leap year: 02-29 is a day
        except ValueError:
            pass
        else:
            return month, day
    raise refused("settings.expected-day", where, value=repr(value))


def _freezes(section: dict[str, Any], where: str) -> tuple[Freeze, ...] | None:
    if not section:
        return None
    unknown = sorted(set(section) - {"freeze", "teams"})
    if unknown:
        raise refused("settings.unknown-key", where, f"scenario.calendar.{unknown[0]}", known="freeze, teams")
    team_limits(section, where)
    if "freeze" not in section:
        return None
    items = section.get("freeze", [])
    if not isinstance(items, list):
        raise refused("settings.expected-list", where, "scenario.calendar.freeze")
    out = []
    for i, item in enumerate(items):
        here = f"{where}: scenario.calendar.freeze[{i}]"
        if not isinstance(item, dict) or set(item) - {"name", "from", "to", "departments"}:
            raise refused("settings.expected-freeze", here)
        departments = item.get("departments", [])
        if not isinstance(departments, list):
            raise refused("settings.expected-department-ids-or-names", f"{here}.departments")
        out.append(
            Freeze(
                str(item.get("name", "")),
                _month_day(item.get("from"), f"{here}.from"),
                _month_day(item.get("to"), f"{here}.to"),
                tuple(str(d) for d in departments),
            )
        )
    return tuple(out)


def freezes_of(scenario: Scenario) -> tuple[Freeze, ...]:
    """The scenario's freeze windows, else the defaults (:data:`calendar.DEFAULT_FREEZES`)."""
    found = _freezes(scenario.calendar, "")
    return DEFAULT_FREEZES if found is None else found


def team_limits(section: dict[str, Any], where: str = "") -> dict[str, int]:
    """``calendar.teams``: at most this many waves at once per cloud node or department."""
    teams = section.get("teams", {})
    if not isinstance(teams, dict):
        raise ConfigError(
            f"{where}: scenario.calendar.teams: expected a mapping of node or department id to a number"
        )
    for key, value in teams.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(
                f"{where}: scenario.calendar.teams.{key}: expected a whole number ≥ 1, got {value!r}"
            )
    return {str(k): int(v) for k, v in sorted(teams.items())}


def team_limits_of(scenario: Scenario) -> dict[str, int]:
    return team_limits(scenario.calendar) if scenario.calendar else {}
