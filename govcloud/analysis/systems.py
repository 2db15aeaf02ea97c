"""Duplicate-function systems: several departments each running their own OA, video
conference, email, portal … where one shared platform would serve them all."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator

from networkx.utils import UnionFind

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.analysis.normalise import text_key
from govcloud.graph import node_id
from govcloud.ledger import model

#: functions every department needs and a shared platform can provide
COMMON_FUNCTIONS = frozenset(
    {
        "oa",
        "video_conference",
        "email",
        "portal",
        "approval",
        "hotline",
        "archive",
        "hr",
        "finance",
        "data_exchange",
    }
)
#: words in system names that say nothing about the function
_NOISE = ("系统", "平台", "管理", "信息", "综合", "省", "市", "system", "platform")


def name_key(system: model.System, ledger: model.Ledger) -> str:
    """A system's name without its department's name and generic words."""
    key = text_key(system.name)
    owner = ledger.departments.get(system.owner)
    if owner:
        key = key.replace(text_key(owner.name), "")
    for word in _NOISE:
        key = key.replace(word, "")
    return key


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    ledger = facts.ledger
    active = [s for s in ledger.systems.values() if s.status != "decommissioning"]
    by_category: dict[str, list[model.System]] = defaultdict(list)
    for system in active:
        by_category[system.category].append(system)
    for category, systems in sorted(by_category.items()):
        clusters = [systems] if category in COMMON_FUNCTIONS else _similar_names(systems, ledger, thresholds)
        for cluster in clusters:
            yield from _cluster_findings(facts, category, cluster, thresholds)


def _similar_names(
    systems: list[model.System], ledger: model.Ledger, thresholds: Thresholds
) -> list[list[model.System]]:
    """Clusters of systems of one category whose names are alike (after removing noise)."""
    keys = {s.id: name_key(s, ledger) for s in systems}
    union: UnionFind[str] = UnionFind(keys)
    ordered = sorted(systems, key=lambda s: s.id)
    for i, a in enumerate(ordered):  # within one category only: a handful of systems
        for b in ordered[i + 1 :]:
            if a.owner != b.owner and keys[a.id] and keys[b.id]:
                ratio = difflib.SequenceMatcher(None, keys[a.id], keys[b.id]).ratio()
                if ratio >= thresholds.name_similarity:
                    union.union(a.id, b.id)
    by_id = {s.id: s for s in systems}
    return [[by_id[i] for i in sorted(group)] for group in union.to_sets() if len(group) > 1]


def _cluster_findings(
    facts: Facts, category: str, systems: list[model.System], thresholds: Thresholds
) -> Iterator[Finding]:
    classified = sorted((s for s in systems if s.classified), key=lambda s: s.id)
    shareable = sorted((s for s in systems if not s.classified), key=lambda s: s.id)
    if len({s.owner for s in systems}) < 2:
        return
    if classified:
        yield Finding(
            kind="duplicate-systems",
            members=tuple(node_id("system", s.id) for s in classified),
            reason="systems-classified",
            recommendation="keep-isolated",
            status="kept",
            departments=tuple(sorted({s.owner for s in classified})),
            evidence={"category": category, "classification": sorted({s.classification for s in classified})},
            params={"category": category},
        )
    owners = sorted({s.owner for s in shareable})
    if len(owners) < 2:
        return
    platform = _platform(facts, shareable)
    saving = (len(shareable) - 1) * thresholds.system_running_cny * thresholds.system_saving_share
    yield Finding(
        kind="duplicate-systems",
        members=tuple(node_id("system", s.id) for s in shareable),
        reason="systems-duplicate",
        recommendation="share-platform",
        departments=tuple(owners),
        evidence={
            "category": category,
            "systems": [
                {"id": s.id, "name": s.name, "owner": s.owner, "users": s.users, "mlps_level": s.mlps_level}
                for s in shareable
            ],
            "platform": platform.id,
            "mlps_level_needed": max(s.mlps_level for s in shareable),
        },
        params={
            "count": len(shareable),
            "departments": len(owners),
            "category": category,
            "platform": platform.name,
        },
        confidence=0.85 if category in COMMON_FUNCTIONS else 0.6,
        saving_cny=saving,
    )


def _platform(facts: Facts, systems: list[model.System]) -> model.System:
    """The system to grow into the shared platform: a province-level one if any, the highest
    protection level, then the most users."""

    def rank(s: model.System) -> tuple[int, int, int, str]:
        dept = facts.ledger.departments.get(s.owner)
        provincial = 0 if dept and dept.level == "province" else 1
        return (provincial, -s.mlps_level, -(s.users or 0), s.id)

    return min(systems, key=rank)
