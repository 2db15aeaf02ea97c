"""A decision per system — retire, retain, rehost, relocate, replatform, repurchase,
refactor — from explicit rules applied in order; the first rule that applies decides and
every decision carries its reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from govcloud.analysis import Analysis
from govcloud.analysis.systems import COMMON_FUNCTIONS
from govcloud.ledger import model
from govcloud.ledger.index import Index
from govcloud.ledger.lifecycle import eol_os
from govcloud.plan import choose
from govcloud.plan.rules import PlanRules

Action = Literal["retire", "retain", "rehost", "relocate", "replatform", "repurchase", "refactor"]
ACTIONS: tuple[Action, ...] = (
    "retire",
    "retain",
    "rehost",
    "relocate",
    "replatform",
    "repurchase",
    "refactor",
)
#: actions after which a system runs on a cloud node
MOVING: frozenset[str] = frozenset({"rehost", "relocate", "replatform", "refactor"})


@dataclass(frozen=True)
class Reason:
    """Why: a message code in :mod:`govcloud.i18n` (``reason.<code>``) and its parameters."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class Decision:
    system: str
    action: Action
    reasons: tuple[Reason, ...]
    target: str | None = None
    until: dt.date | None = None
    platform: str | None = None


@dataclass
class Context:
    """What the rules look at: the ledger's indexes, the analysis, the rules and the scenario."""

    index: Index
    analysis: Analysis
    rules: PlanRules
    forced: dict[str, Action] = field(default_factory=dict)
    kept_departments: frozenset[str] = frozenset()
    replaced_by: dict[str, str] = field(default_factory=dict)
    #: rooms the analysis proposes to consolidate (where recent hardware is relocated from)
    weak_rooms: frozenset[str] = frozenset()
    #: systems a scenario chooses as the platform of the duplicate finding that holds them
    chosen_platforms: frozenset[str] = frozenset()
    #: categories whose duplicates always share one platform (None: ``common_functions.yaml``)
    shared_categories: frozenset[str] | None = None
    #: platform → (the systems retired onto it, why it was chosen)
    platform_of: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    #: :func:`target_for` by system (several rules ask; the ledger does not change)
    targets: dict[str, tuple[model.System, model.CloudNode | None]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.weak_rooms = frozenset(
            m.split(":", 1)[1]
            for f in self.analysis.of_kind("room-consolidation")
            if f.status == "candidate"
            for m in f.members
        )
        categories = common_functions() if self.shared_categories is None else self.shared_categories
        for finding in self.analysis.of_kind("duplicate-systems"):
            common = finding.evidence.get("category") in categories
            if finding.status == "candidate" and (
                common or finding.confidence >= self.rules.duplicate_min_confidence
            ):
                members = [m.split(":", 1)[1] for m in finding.members]
                chosen = sorted(set(members) & self.chosen_platforms)
                platform, why = (
                    (chosen[0], "scenario") if chosen else (str(finding.evidence["platform"]), "analysis")
                )
                absorbed = tuple(s for s in members if s != platform)
                self.platform_of[platform] = (absorbed, why)
                for system_id in absorbed:
                    self.replaced_by[system_id] = platform

    @property
    def ledger(self) -> model.Ledger:
        return self.index.ledger


Rule = Callable[[model.System, Context], Decision | None]


def common_functions() -> frozenset[str]:
    """The categories of ``analysis/data/common_functions.yaml``: duplicates of these share one
    platform (the analysis reads the same list, so what it finds the plan acts on)."""
    return COMMON_FUNCTIONS


def _reason(code: str, **params: Any) -> Reason:
    return Reason(code, tuple(sorted(params.items())))


def forced(system: model.System, ctx: Context) -> Decision | None:
    action = ctx.forced.get(system.id)
    return Decision(system.id, action, (_reason("forced", action=action),)) if action else None


def kept_department(system: model.System, ctx: Context) -> Decision | None:
    if system.owner in ctx.kept_departments:
        return Decision(system.id, "retain", (_reason("department-kept", department=system.owner),))
    return None


def idle(system: model.System, ctx: Context) -> Decision | None:
    if system.status in ("idle", "decommissioning"):
        return Decision(system.id, "retire", (_reason("idle", status=system.status),))
    return None


def classified(system: model.System, ctx: Context) -> Decision | None:
    isolated = sorted(set(system.networks) & ctx.index.isolated_networks)
    if system.classified or isolated:
        return Decision(
            system.id,
            "retain",
            (
                _reason(
                    "classified", classification=system.classification, networks=", ".join(isolated) or "-"
                ),
            ),
        )
    return None


def virtualisation(system: model.System, ctx: Context) -> Decision | None:
    """A virtualisation platform whose virtual machines the ledger lists separately does not
    move: its VMs do, and the cloud takes its place, so its hosts retire once they are empty.
    Without VMs in its rooms the ledger does not say what runs on it, and it is planned as any
    other system."""
    if system.category != "virtualisation":
        return None
    servers = ctx.index.ledger.servers
    rooms = {servers[s].site for s in system.servers if s in servers}
    own = set(system.servers)
    vms = sum(1 for s in servers.values() if s.kind == "vm" and s.site in rooms and s.id not in own)
    if not vms:
        return None
    return Decision(system.id, "retire", (_reason("virtualisation", vms=vms),))


def duplicate(system: model.System, ctx: Context) -> Decision | None:
    platform = ctx.replaced_by.get(system.id)
    if platform is None:
        return None
    name = ctx.ledger.systems[platform].name
    return Decision(
        system.id, "retire", (_reason("duplicate", platform=platform, platform_name=name),), platform=platform
    )


def target_for(system: model.System, ctx: Context) -> model.CloudNode | None:
    """The cloud node a system would move to: the first of :func:`govcloud.plan.choose.rank`
    (certified for its level and 信创 when it needs it; nearest, then most capacity left)."""
    known = ctx.targets.get(system.id)
    if known is not None and known[0] is system:
        return known[1]
    ranked = choose.rank(system, ctx.ledger)
    ctx.targets[system.id] = (system, ranked[0] if ranked else None)
    return ctx.targets[system.id][1]


def level_exceeds(system: model.System, ctx: Context) -> Decision | None:
    best = max((n.certified_mlps_level for n in ctx.ledger.cloud_nodes.values()), default=0)
    if best < system.mlps_level:
        return Decision(
            system.id, "retain", (_reason("level-exceeds", level=system.mlps_level, certified=best),)
        )
    return None


def xinchuang_unavailable(system: model.System, ctx: Context) -> Decision | None:
    """A system that must run on a domestic (信创) stack stays until a certified node offers one."""
    if system.xinchuang and not any(choose.qualifies(system, n) for n in ctx.ledger.cloud_nodes.values()):
        return Decision(system.id, "retain", (_reason("xinchuang-none", level=system.mlps_level),))
    return None


def hardware_bound(system: model.System, ctx: Context) -> Decision | None:
    if system.hardware_bound:
        return Decision(system.id, "retain", (_reason("hardware-bound"),))
    return None


def latency_bound(system: model.System, ctx: Context) -> Decision | None:
    if not system.latency_bound:
        return None
    dept = ctx.ledger.departments.get(system.owner)
    prefecture = dept.region_code[:4] if dept else ""
    near = [
        n
        for n in ctx.ledger.cloud_nodes.values()
        if n.kind == "city"
        and (n.region_code or "")[:4] == prefecture
        and n.certified_mlps_level >= system.mlps_level
    ]
    if near:
        ranked = choose.rank(system, ctx.ledger)
        node = ranked[0] if ranked else min(near, key=lambda n: n.id)
        return Decision(system.id, "rehost", (_reason("latency-near-node", node=node.id),), target=node.id)
    return Decision(system.id, "retain", (_reason("latency-bound"),))


def sunk_cost(system: model.System, ctx: Context) -> Decision | None:
    as_of = ctx.ledger.region.as_of
    horizon = dt.timedelta(days=round(365.25 * ctx.rules.sunk_cost_years))
    young = [
        s
        for s in _servers(system, ctx)
        if s.kind == "physical" and s.purchase_date and as_of - s.purchase_date < horizon
    ]
    if not young:
        return None
    until = max(s.purchase_date + horizon for s in young if s.purchase_date)
    target = target_for(system, ctx)
    if target is not None and any(s.site in ctx.weak_rooms for s in young):
        reason = _reason("sunk-cost-relocate", servers=len(young), until=until.isoformat(), node=target.id)
        return Decision(system.id, "relocate", (reason,), target=target.id, until=until)
    reason = _reason("sunk-cost", servers=len(young), until=until.isoformat())
    return Decision(system.id, "retain", (reason,), until=until)


def replatform(system: model.System, ctx: Context) -> Decision | None:
    target = target_for(system, ctx)
    if target is None:
        return None
    servers = _servers(system, ctx)
    # an OS past its end of support (govcloud.ledger.lifecycle) means a new OS when it moves
    eol = sorted({s.os for s in servers if s.os and eol_os(s.os)})
    archs = sorted({s.arch for s in servers if s.arch not in target.archs})
    if not eol and not archs:
        return None
    reasons = []
    if eol:
        reasons.append(_reason("eol-os", os=", ".join(eol)))
    if archs:
        reasons.append(_reason("arch-unsupported", archs=", ".join(archs), node=target.id))
    return Decision(system.id, "replatform", tuple(reasons), target=target.id)


def rehost(system: model.System, ctx: Context) -> Decision | None:
    target = target_for(system, ctx)
    if target is None:  # pragma: no cover - level_exceeds decides first
        return None
    return Decision(system.id, "rehost", (_reason("rehost", node=target.id),), target=target.id)


#: the rules in the order they are tried; the first that decides wins
RULES: tuple[Rule, ...] = (
    forced,
    kept_department,
    idle,
    classified,
    virtualisation,
    duplicate,
    level_exceeds,
    xinchuang_unavailable,
    hardware_bound,
    latency_bound,
    sunk_cost,
    replatform,
    rehost,
)


def decide(system: model.System, ctx: Context) -> Decision:
    decision = _decide(system, ctx)
    if system.id in ctx.platform_of and decision.action != "retire":
        absorbed, why = ctx.platform_of[system.id]
        users = sum(ctx.ledger.systems[s].users or 0 for s in absorbed)
        reason = _reason(
            "platform-scenario" if why == "scenario" else "platform-analysis",
            systems=len(absorbed),
            users=users,
        )
        decision = Decision(
            decision.system, decision.action, (*decision.reasons, reason), decision.target, decision.until
        )
    return decision


def _decide(system: model.System, ctx: Context) -> Decision:
    for rule in RULES:
        decision = rule(system, ctx)
        if decision is not None:
            if decision.action in MOVING and decision.target is None:
                node = target_for(system, ctx)
                decision = Decision(
                    decision.system, decision.action, decision.reasons, node.id if node else None
                )
            return decision
    raise AssertionError("rehost always decides")  # pragma: no cover


def _servers(system: model.System, ctx: Context) -> list[model.Server]:
    return ctx.index.known_servers(system)
