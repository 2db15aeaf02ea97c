"""The analysis' findings the plan acts on, beyond duplicate systems and rooms:

- idle servers (p95 CPU and memory under the analysis' thresholds) are reclaimed, not placed:
  a moving system keeps its busiest server even when all of its servers are idle, the others
  are switched off in the wave it moves; idle servers of no system are reclaimed in the first
  wave;
- records of one asset (same-asset findings) are planned once: the first record stands for
  the asset, the others are aliases that are never placed or counted again;
- shared-line proposals (parallel lines between the same two places) are scheduled: the line
  kept is upgraded in a wave, the others are cancelled in the next (the new carries the
  traffic before the old is cut).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govcloud.analysis import Analysis
from govcloud.ledger import model


def _ids(members: tuple[str, ...], kind: str) -> list[str]:
    return [m.split(":", 1)[1] for m in members if m.startswith(f"{kind}:")]


@dataclass(frozen=True)
class SharedLine:
    keep: str
    cancel: tuple[str, ...]


@dataclass
class Acted:
    #: servers the analysis finds idle
    idle_servers: frozenset[str] = frozenset()
    #: a record of an asset recorded more than once → the record that stands for it
    alias_of: dict[str, str] = field(default_factory=dict)
    shared_lines: list[SharedLine] = field(default_factory=list)
    #: :meth:`reclaimed` by system, for the ledger it was worked out on (the planner and its
    #: verifier both ask, once per moving system)
    _reclaimed: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _reclaimed_of: model.Ledger | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, analysis: Analysis, ledger: model.Ledger) -> Acted:
        idle: set[str] = set()
        for finding in analysis.of_kind("idle-capacity"):
            if finding.status == "candidate" and finding.reason in ("idle-servers", "stopped-servers"):
                idle.update(s for s in _ids(finding.members, "server") if s in ledger.servers)
        alias: dict[str, str] = {}
        for finding in analysis.of_kind("same-asset"):
            if finding.status != "candidate":
                continue
            servers = sorted(s for s in _ids(finding.members, "server") if s in ledger.servers)
            for other in servers[1:]:
                alias[other] = servers[0]
        shared = []
        for finding in analysis.of_kind("parallel-lines"):
            keep = finding.evidence.get("keep") if finding.status == "candidate" else None
            if not isinstance(keep, str) or keep not in ledger.lines:
                continue
            cancel = tuple(
                sorted(ln for ln in _ids(finding.members, "line") if ln != keep and ln in ledger.lines)
            )
            if cancel:
                shared.append(SharedLine(keep, cancel))
        return cls(frozenset(idle), alias, sorted(shared, key=lambda s: s.keep))

    def reclaimed(self, system: model.System, ledger: model.Ledger) -> frozenset[str]:
        """Servers of a moving system that are switched off rather than placed: its idle ones
        (all but the busiest when every one is idle) and records that stand for another."""
        if self._reclaimed_of is not ledger:
            self._reclaimed, self._reclaimed_of = {}, ledger
        if ledger.systems.get(system.id) is not system:
            return self._reclaim(system, ledger)  # not the ledger's own: not kept
        found = self._reclaimed.get(system.id)
        if found is None:
            found = self._reclaimed[system.id] = self._reclaim(system, ledger)
        return found

    def _reclaim(self, system: model.System, ledger: model.Ledger) -> frozenset[str]:
        if self.idle_servers.isdisjoint(system.servers) and self.alias_of.keys().isdisjoint(system.servers):
            return frozenset()  # none of its servers idle or a second record (most systems)
        known, alias, idle_servers = ledger.servers, self.alias_of, self.idle_servers
        servers = [s for s in system.servers if s in known and s not in alias]
        idle = [s for s in servers if s in idle_servers]
        if idle and len(idle) == len(servers):
            busiest = max(idle, key=lambda s: (_load(known[s]), s))
            idle.remove(busiest)
        return frozenset(idle).union(s for s in system.servers if s in alias)


def _load(server: model.Server) -> float:
    return (server.cpu_p95_pct or 0.0) * server.cpu_cores + (server.mem_p95_pct or 0.0) * server.memory_gb
