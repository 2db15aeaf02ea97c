"""A runbook per wave: the steps an operations team follows, in order, with what each is
checked by and how it is undone.

Steps are data (a code with parameters; ``runbook.<code>`` in :mod:`govcloud.i18n` says it in
Chinese and English), derived from the wave's schedule:

1. preparation: the target node's foundation in place, private networks re-addressed;
2. the data transfer of each move group (online over its path, or offline);
3. per system moved: the cut-over, its acceptance checks, and the rollback kept ready until
   they pass;
4. per system retired onto a platform: its users switched during the parallel run, then the
   retirement; other retired systems are switched off after their owners confirm;
5. networks cut over to the extranet, then each room's equipment (switches, firewalls, storage
   …) decommissioned by kind and count and the room closed, then lines cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govcloud.ledger.choices import EQUIPMENT_KIND
from govcloud.plan.planner import Plan, WaveSchedule


@dataclass(frozen=True)
class Step:
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return dict(self.params)


def _step(code: str, **params: Any) -> Step:
    return Step(code, tuple(sorted(params.items())))


def runbook(plan: Plan, entry: WaveSchedule) -> list[Step]:
    """The ordered steps of one wave."""
    steps: list[Step] = []
    if entry.done:
        steps.append(_step("done", wave=entry.wave.number))
    nodes = sorted({plan.decisions[s].target or "" for s in entry.wave.systems} - {""})
    for node in nodes:
        steps.append(_step("foundation", node=node))
    for network_id in sorted(entry.readdressed_networks):
        steps.append(_step("readdress", network=network_id))
    for line_id in sorted(entry.upgraded_lines):
        steps.append(_step("upgrade-line", line=line_id))
    for path in entry.paths:
        source = path.source.split(":", 1)[-1]
        target = path.target.split(":", 1)[-1]
        code = "transfer-online" if path.advice == "online" else "transfer-offline"
        steps.append(_step(code, source=source, node=target, tb=f"{path.data_gb / 1024:.2f}"))
    for system_id in entry.wave.systems:
        node = plan.decisions[system_id].target or "-"
        steps.append(_step("cutover", system=system_id, node=node))
        steps.append(_step("acceptance", system=system_id))
        steps.append(_step("rollback", system=system_id))
    weeks = plan.rules.parallel_run_weeks
    callers: dict[str, list[str]] = {}
    if entry.switched_users:
        for rewire in plan.rewired:
            callers.setdefault(rewire.was, []).append(rewire.caller)
    for retired, platform in sorted(entry.switched_users):
        steps.append(_step("parallel-run", system=retired, platform=platform, weeks=weeks))
        steps.append(_step("switch-users", system=retired, platform=platform))
        for caller in callers.get(retired, []):
            steps.append(_step("repoint", caller=caller, system=retired, platform=platform))
    switched = {s for s, _ in entry.switched_users}
    for system_id in sorted(entry.retired_systems):
        steps.append(
            _step("retire", system=system_id)
            if system_id in switched
            else _step("retire-idle", system=system_id)
        )
    for server_id in sorted(entry.reclaimed_servers):
        steps.append(_step("reclaim", server=server_id))
    for network_id in sorted(entry.cutover_networks):
        steps.append(_step("cutover-network", network=network_id))
    for site_id in sorted(entry.closed_rooms):
        site = plan.ledger.sites.get(site_id)
        if site is not None and site.equipment:
            counts = dict.fromkeys(EQUIPMENT_KIND.values, 0)
            for gear in site.equipment:
                counts[gear.kind] = counts.get(gear.kind, 0) + gear.count
            steps.append(_step("remove-equipment", room=site_id, **counts))
        steps.append(
            _step(
                "close-room",
                room=site_id,
                confirm=len([s for s in entry.confirm_servers if plan.ledger.servers[s].site == site_id]),
            )
        )
    for line_id in sorted(entry.cancelled_lines):
        steps.append(_step("cancel-line", line=line_id))
    return steps
