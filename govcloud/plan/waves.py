"""Waves (分批分步): a pilot of low-risk systems first, critical systems last, dependencies
respected, and per-wave limits on servers, data and each department's systems."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from govcloud.ledger import model
from govcloud.ledger.index import Index
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

    @functools.cached_property
    def id(self) -> str:  # asked for at every step of the packing: kept (the group is frozen)
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
    #: :attr:`systems` as last sorted, and for how many groups (groups are only ever added)
    _sorted: tuple[int, list[str]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def systems(self) -> list[str]:
        """The wave's systems, sorted (a new list each time; sorted again once a group joins)."""
        if self._sorted is None or self._sorted[0] != len(self.groups):
            self._sorted = (len(self.groups), sorted(s for g in self.groups for s in g.systems))
        return list(self._sorted[1])

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


def move_group(ledger: model.Ledger, systems: list[str], index: Index | None = None) -> MoveGroup:
    """The group of ``systems``, with their servers (from ``index`` when given: looked up once)."""
    by_id = ledger.systems
    members = [by_id[s] for s in systems]
    if index is None:
        known = ledger.servers
        servers = [known[s] for m in members for s in m.servers if s in known]
    else:
        servers = [server for m in members for server in index.known_servers(m)]
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
    first: int = 1,
) -> list[Wave]:
    """Pack groups into waves: the pilot first, then shared platforms (先立后破: the new
    platform runs before the duplicates it replaces are retired), then by rising risk.

    ``must_follow(group)`` names the groups that must be in an earlier or the same wave (a
    loose dependency without a hybrid link to bridge waves); such a group waits for them.
    Waves are numbered from ``first``; when waves are already done (``first`` > 1) the process
    is proven and there is no pilot.
    """
    follows = {g.id: must_follow(g) for g in groups}
    pilot = Wave(first, pilot=True)
    rest: list[MoveGroup] = []
    for group in sorted(groups, key=lambda g: (g.risk, g.servers, g.id)):
        if (
            first == 1
            and is_pilot_candidate(group, rules)
            and not follows[group.id]
            and fits(pilot, group, rules, ledger)
        ):
            pilot.add(group, ledger)
        else:
            rest.append(group)
    waves = [pilot] if pilot.groups else []
    placed = {g.id for w in waves for g in w.groups}
    order = sorted(rest, key=lambda g: (not set(g.systems) & platforms, g.risk, g.id))
    index = _Pending(order, {g.id: follows[g.id] - placed for g in order}, ledger)
    while index.left:
        wave = Wave(first + len(waves), pilot=False)
        position = 0
        while not wave.full(rules):
            i = index.next_candidate(position, wave, rules)
            if i < 0:
                break
            group = order[i]
            if fits(wave, group, rules, ledger):
                wave.add(group, ledger)
                index.place(i)
            position = i + 1
        if not wave.groups:  # a dependency cycle without links: move the rest together
            for i in index.remaining():
                wave.add(order[i], ledger)
                index.place(i)
        waves.append(wave)
    return waves


_INF = float("inf")


class _Pending:
    """The groups not yet in a wave, in planning order, indexed so that a wave finds the next
    group that may join without looking at each of the thousands that cannot.

    Packing a wave is a scan of the pending groups in order, taking each that is ready (the
    groups it must follow are placed) and fits.  At 100k servers there are thousands of waves
    and groups, and most groups cannot join a given wave (their department already has its
    systems, or they are larger than the room left), so scanning them all made planning
    quadratic.  A segment tree over the planning order keeps, for the ready groups below each
    node, the fewest servers, the least data and the departments they belong to; a subtree
    where no ready group could fit is skipped whole.  These are necessary conditions only:
    every candidate is still checked with :func:`fits`, so the waves are those of the scan.
    """

    def __init__(self, order: list[MoveGroup], waits_for: dict[str, set[str]], ledger: model.Ledger) -> None:
        self.order = order
        self.left = len(order)
        self.active = [True] * len(order)
        position = {g.id: i for i, g in enumerate(order)}
        self.waiting = [len(waits_for[g.id]) for g in order]
        self.dependents: list[list[int]] = [[] for _ in order]
        for g in order:
            for other in waits_for[g.id]:
                if other in position:
                    self.dependents[position[other]].append(position[g.id])
        self.bit: dict[str, int] = {}
        self.masks = [self._mask(g, ledger) for g in order]
        size = 1
        while size < max(1, len(order)):
            size *= 2
        self.size = size
        self.servers = [_INF] * (2 * size)
        self.data = [_INF] * (2 * size)
        self.mask = [0] * (2 * size)
        for i in range(len(order)):
            self._set_leaf(i)
        for node in range(size - 1, 0, -1):
            self._pull(node)

    #: the bit of groups with systems of several departments: never skipped for a department
    _MIXED = 1

    def _mask(self, group: MoveGroup, ledger: model.Ledger) -> int:
        owners = {ledger.systems[s].owner for s in group.systems}
        if len(owners) != 1:
            return self._MIXED
        (owner,) = owners
        if owner not in self.bit:
            self.bit[owner] = 1 << (len(self.bit) + 1)
        return self.bit[owner]

    def _set_leaf(self, i: int) -> None:
        node = self.size + i
        if self.active[i] and self.waiting[i] == 0:
            self.servers[node] = self.order[i].servers
            self.data[node] = self.order[i].data_gb
            self.mask[node] = self.masks[i]
        else:
            self.servers[node] = self.data[node] = _INF
            self.mask[node] = 0

    def _pull(self, node: int) -> None:
        a, b = 2 * node, 2 * node + 1
        self.servers[node] = min(self.servers[a], self.servers[b])
        self.data[node] = min(self.data[a], self.data[b])
        self.mask[node] = self.mask[a] | self.mask[b]

    def _update(self, i: int) -> None:
        self._set_leaf(i)
        node = (self.size + i) // 2
        servers, data, mask = self.servers, self.data, self.mask
        while node:
            before = (servers[node], data[node], mask[node])
            self._pull(node)
            if (servers[node], data[node], mask[node]) == before:
                break  # the nodes above are made of this one and did not change either
            node //= 2

    def place(self, i: int) -> None:
        """Group ``i`` joined a wave: groups waiting for it may be ready now."""
        self.active[i] = False
        self.left -= 1
        self._update(i)
        for j in self.dependents[i]:
            self.waiting[j] -= 1
            if self.waiting[j] == 0 and self.active[j]:
                self._update(j)

    def remaining(self) -> list[int]:
        return [i for i, on in enumerate(self.active) if on]

    def next_candidate(self, start: int, wave: Wave, rules: PlanRules) -> int:
        """The first ready group at or after ``start`` that might fit ``wave``, or -1."""
        if not wave.groups:  # an empty wave takes any ready group
            room_servers, room_data, open_mask = _INF, _INF, -1
        else:
            room_servers = rules.wave_max_servers - wave.servers
            # a little slack, so that rounding never skips a group fits() would take
            room_data = rules.wave_max_data_tb * 1024 - wave.data_gb + 1e-6 * (1 + wave.data_gb)
            limit = rules.wave_max_systems_per_department
            open_mask = self._MIXED
            for owner, bit in self.bit.items():
                if wave.per_department[owner] < limit:
                    open_mask |= bit
        return self._find(1, 0, self.size, start, room_servers, room_data, open_mask)

    def _find(self, node: int, lo: int, hi: int, start: int, servers: float, data: float, mask: int) -> int:
        if (
            hi <= start
            or self.servers[node] > servers
            or self.data[node] > data
            or not self.mask[node] & mask
        ):
            return -1
        if node >= self.size:
            return lo
        mid = (lo + hi) // 2
        found = self._find(2 * node, lo, mid, start, servers, data, mask)
        if found >= 0:
            return found
        return self._find(2 * node + 1, mid, hi, start, servers, data, mask)
