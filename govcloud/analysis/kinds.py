"""The registry of finding kinds: each kind's name and the analyser that finds it.

Everything that lists finding kinds reads them from :data:`FINDING_KINDS` in its order — the
report order, ``govcloud analyze --kind``, the totals of ``analysis.json`` and the schema's
``kind`` enum (:func:`govcloud.report.analysis.schema`), the HTML report's sections.  A kind's
title is the message ``analysis.kind.<name>``; its reasons and recommendations are the
messages ``finding.<reason>`` and ``recommend.<recommendation>`` (``scripts/messages.py check`` reads
the kinds from here and the codes from the analysers' ``Finding(...)`` calls).
Adding a kind: CONTRIBUTING.md, "Adding a finding kind".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from govcloud.analysis import addresses, idle, lines, private_networks, rooms, same_asset, systems
from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.registry import Registry

Analyser = Callable[[Facts, Thresholds], Iterable[Finding]]


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: its name (``Finding.kind``, the id's prefix) and its analyser."""

    name: str
    find: Analyser

    @property
    def title_code(self) -> str:
        return f"analysis.kind.{self.name}"


#: every finding kind, in the order reports list them
FINDING_KINDS: Registry[FindingKind] = Registry("finding kind")

for _kind in (
    FindingKind("same-asset", same_asset.find),
    FindingKind("room-consolidation", rooms.find),
    FindingKind("parallel-lines", lines.find),
    FindingKind("private-network", private_networks.find),
    FindingKind("address-conflict", addresses.find),
    FindingKind("duplicate-systems", systems.find),
    FindingKind("idle-capacity", idle.find),
):
    FINDING_KINDS.add(_kind.name, _kind)


def kind_names() -> tuple[str, ...]:
    """The names of every registered kind, in report order."""
    return FINDING_KINDS.names()


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in report order: by kind, candidates before kept ones, by department, then id."""
    return sorted(
        findings,
        key=lambda f: (FINDING_KINDS.index(f.kind), f.status != "candidate", f.departments, f.id),
    )
