"""Waves (分批分步): a pilot of low-risk systems first, critical systems last, dependencies
respected, and per-wave limits on servers, data and each department's systems."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from govcloud.ledger import model
from govcloud.plan.rules import PlanRules

#: data classes from least to most sensitive, for ordering by risk
_DATA_RISK = {"general": 0, "important": 1, "core": 2}


@dataclass(frozen=True)
class MoveGroup:
    """Systems that move in the same wave, with what they carry."""

    systems: tuple[str, ...]
    servers: int
    data_gb: float
    departments: tuple[str, ...]
    risk: tuple[int, int, int, int]
    #: a latency- or hardware-bound member: never a pilot, whatever its level
    sensitive: bool = False

    @property
    def id(self) -> str:
        return self.systems[0]


@dataclass
class Wave:
    """A batch of move groups; its totals are kept as groups are added."""

    number: int
    pilot: bool
    groups: list[MoveGroup] = field(default_factory=list)
    servers: int = 0
    data_gb: float = 0.0
    per_department: Counter[str] = field(default_factory=Counter)

    @property
    def systems(self) -> list[str]:
        return sorted(s for g in self.groups for s in g.systems)

    def add(self, group: MoveGroup, ledger: model.Ledger) -> None:
        self.groups.append(group)
        self.servers += group.servers
        self.data_gb += group.data_gb
        self.per_department.update(ledger.systems[s].owner for s in group.systems)

    def full(self, rules: PlanRules) -> bool:
        """No further group can join (every group has at least one server's worth of room)."""
        return bool(self.groups) and (
            self.servers >= rules.wave_max_servers or self.data_gb / 1024 >= rules.wave_max_data_tb
        )


def move_group(ledger: model.Ledger, systems: list[str]) -> MoveGroup:
    servers = [
        ledger.servers[s] for sys in systems for s in ledger.systems[sys].servers if s in ledger.servers
    ]
    members = [ledger.systems[s] for s in systems]
    risk = (
        max(s.mlps_level for s in members),
        max(_DATA_RISK.get(s.data_class, 0) for s in members),
        int(any(s.internet_facing for s in members)),
        max(s.users or 0 for s in members),
    )
    return MoveGroup(
        systems=tuple(sorted(systems)),
        servers=len(servers),
        data_gb=sum(s.storage_gb for s in servers),
        departments=tuple(sorted({s.owner for s in members})),
        risk=risk,
        sensitive=any(s.latency_bound or s.hardware_bound for s in members),
    )


def is_pilot_candidate(group: MoveGroup, rules: PlanRules) -> bool:
    mlps, data, internet, _users = group.risk
    return mlps <= rules.pilot_max_mlps_level and data == 0 and not internet and not group.sensitive


def fits(wave: Wave, group: MoveGroup, rules: PlanRules, ledger: model.Ledger) -> bool:
    """Whether ``group`` can join ``wave`` within the limits (an empty wave takes any group)."""
    if not wave.groups:
        return True
    if wave.pilot and sum(wave.per_department.values()) + len(group.systems) > rules.pilot_max_systems:
        return False
    if wave.servers + group.servers > rules.wave_max_servers:
        return False
    if (wave.data_gb + group.data_gb) / 1024 > rules.wave_max_data_tb:
        return False
    joining = Counter(ledger.systems[s].owner for s in group.systems)
    return all(
        wave.per_department[d] + n <= rules.wave_max_systems_per_department for d, n in joining.items()
    )


def plan_waves(
    ledger: model.Ledger,
    groups: list[MoveGroup],
    rules: PlanRules,
    must_follow: Callable[[MoveGroup], set[str]],
    platforms: frozenset[str] = frozenset(),
) -> list[Wave]:
    """Pack groups into waves: the pilot first, then shared platforms (先立后破: the new
    platform runs before the duplicates it replaces are retired), then by rising risk.

    ``must_follow(group)`` names the groups that must be in an earlier or the same wave (a
    loose dependency without a hybrid link to bridge waves); such a group waits for them.
    """
    follows = {g.id: must_follow(g) for g in groups}
    pilot = Wave(1, pilot=True)
    rest: list[MoveGroup] = []
    for group in sorted(groups, key=lambda g: (g.risk, g.servers, g.id)):
        if is_pilot_candidate(group, rules) and not follows[group.id] and fits(pilot, group, rules, ledger):
            pilot.add(group, ledger)
        else:
            rest.append(group)
    waves = [pilot] if pilot.groups else []
    placed = {g.id: w.number for w in waves for g in w.groups}
    pending = sorted(rest, key=lambda g: (not set(g.systems) & platforms, g.risk, g.id))
    while pending:
        wave = Wave(len(waves) + 1, pilot=False)
        in_wave: set[str] = set()
        left: list[MoveGroup] = []
        for i, group in enumerate(pending):
            if wave.full(rules):
                left.extend(pending[i:])
                break
            if follows[group.id] - placed.keys() - in_wave or not fits(wave, group, rules, ledger):
                left.append(group)
                continue
            wave.add(group, ledger)
            in_wave.add(group.id)
        if not wave.groups:  # a dependency cycle without links: move the rest together
            for group in left:
                wave.add(group, ledger)
            left = []
        pending = left
        waves.append(wave)
        placed.update({g.id: wave.number for g in wave.groups})
    return waves
