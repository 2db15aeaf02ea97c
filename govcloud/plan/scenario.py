"""What-if scenarios: overrides applied before planning (``govcloud plan --scenario FILE``).

```yaml
scenario:
  name: 公安厅暂缓上云
  keep_departments: [hy-gat]          # these departments' systems stay where they are
  force: {hy-jyt-oa: retain}           # a decision per system, checked by the verifier
  rules: {wave_max_servers: 30}        # planning rules (see docs/plan.md)
  analysis: {idle_cpu_p95_pct: 3}      # analysis thresholds
  prices: {extranet_mbps_month_cny: 40, migration: {per_server_cny: 5000}}
```
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud.ledger import model
from govcloud.settings import ConfigError, apply_overrides, read_yaml

_KEYS = {"name", "keep_departments", "force", "rules", "analysis", "prices"}
_PRICE_NUMBERS = {"extranet_mbps_month_cny"}
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
    rules: dict[str, Any] = field(default_factory=dict, hash=False)
    analysis: dict[str, Any] = field(default_factory=dict, hash=False)
    prices: dict[str, Any] = field(default_factory=dict, hash=False)


def load_scenario(path: Path | None) -> Scenario:
    """The scenario in the YAML file at ``path`` (an empty scenario for None)."""
    if path is None:
        return Scenario()
    where = str(path)
    document = read_yaml(path)
    body = document.get("scenario") if isinstance(document, dict) else None
    if not isinstance(body, dict):
        raise ConfigError(f"{where}: expected a mapping under 'scenario:'")
    unknown = sorted(set(body) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: scenario.{unknown[0]}: unknown key; known: {', '.join(sorted(_KEYS))}")
    keep = body.get("keep_departments", [])
    force = body.get("force", {})
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise ConfigError(f"{where}: scenario.keep_departments: expected a list of department ids")
    if not isinstance(force, dict):
        raise ConfigError(f"{where}: scenario.force: expected a mapping of system id to decision")
    from govcloud.plan.decide import ACTIONS

    for system_id, action in force.items():
        if action not in ACTIONS:
            raise ConfigError(
                f"{where}: scenario.force.{system_id}: {action!r} is not one of {', '.join(ACTIONS)}"
            )
    sections = {k: body.get(k, {}) for k in ("rules", "analysis", "prices")}
    for key, value in sections.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: scenario.{key}: expected a mapping")
    return Scenario(
        name=str(body.get("name", "")),
        keep_departments=tuple(sorted(keep)),
        force=tuple(sorted(force.items())),
        **sections,
    )


def check_ids(scenario: Scenario, ledger: model.Ledger, where: str = "") -> None:
    """Every department and system a scenario names must exist."""
    for dept in scenario.keep_departments:
        if dept not in ledger.departments:
            raise ConfigError(f"{where}: scenario.keep_departments: no department {dept!r}")
    for system_id, _ in scenario.force:
        if system_id not in ledger.systems:
            raise ConfigError(f"{where}: scenario.force: no system {system_id!r}")


def apply_prices(ledger: model.Ledger, overrides: dict[str, Any], where: str = "") -> model.Ledger:
    """The ledger with its price table changed by ``overrides``."""
    if not overrides:
        return ledger
    prices = ledger.prices
    top = {k: v for k, v in overrides.items() if k != "migration"}
    for key in top:
        if key not in _PRICE_NUMBERS:
            raise ConfigError(
                f"{where}: scenario.prices.{key}: only {', '.join(sorted(_PRICE_NUMBERS | {'migration'}))} can be changed"
            )
    prices = apply_overrides(prices, top, "scenario.prices", where)
    migration = overrides.get("migration", {})
    if not isinstance(migration, dict):
        raise ConfigError(f"{where}: scenario.prices.migration: expected a mapping")
    prices = dataclasses.replace(
        prices, migration=apply_overrides(prices.migration, migration, "scenario.prices.migration", where)
    )
    return dataclasses.replace(ledger, prices=prices)
