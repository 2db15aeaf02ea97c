"""Find the duplication in a ledger: every kind of consolidation opportunity, with evidence.

``analyse(ledger)`` runs each analyser — plain functions of the ledger's facts and the
thresholds — and returns the findings in report order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from govcloud.analysis import addresses, idle, lines, private_networks, rooms, same_asset, systems
from govcloud.analysis.common import Facts
from govcloud.analysis.config import ConfigError, Thresholds, load_thresholds
from govcloud.analysis.findings import KINDS, Finding, ordered
from govcloud.ledger import model

__all__ = ["KINDS", "Analysis", "ConfigError", "Finding", "Thresholds", "analyse", "load_thresholds"]

Analyser = Callable[[Facts, Thresholds], Iterable[Finding]]

#: every analyser, by the finding kind it produces
ANALYSERS: dict[str, Analyser] = {
    "same-asset": same_asset.find,
    "room-consolidation": rooms.find,
    "parallel-lines": lines.find,
    "private-network": private_networks.find,
    "address-conflict": addresses.find,
    "duplicate-systems": systems.find,
    "idle-capacity": idle.find,
}


@dataclass(frozen=True)
class Analysis:
    """The findings of one ledger, in report order."""

    findings: tuple[Finding, ...]
    thresholds: Thresholds

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def candidates(self) -> Iterator[Finding]:
        return (f for f in self.findings if f.status == "candidate")

    @property
    def saving_cny(self) -> float:
        """The yearly saving of acting on every candidate (findings of different kinds can
        overlap, e.g. an idle server in a room to consolidate; this is an upper bound)."""
        return sum(f.saving_cny for f in self.candidates())


def analyse(
    ledger: model.Ledger,
    thresholds: Thresholds | None = None,
    kinds: Iterable[str] = KINDS,
    progress: Callable[[str, int, int], None] | None = None,
) -> Analysis:
    """Run the analysers of ``kinds`` on ``ledger``; ``progress("analyse", done, total)`` is
    told before each analyser and when all are done."""
    thresholds = thresholds or Thresholds()
    chosen = list(kinds)
    facts = Facts.of(ledger)
    found: list[Finding] = []
    for i, kind in enumerate(chosen):
        if progress:
            progress("analyse", i, len(chosen))
        found += ANALYSERS[kind](facts, thresholds)
    if progress:
        progress("analyse", len(chosen), len(chosen))
    return Analysis(tuple(ordered(found)), thresholds)
