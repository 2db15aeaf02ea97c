"""Find the duplication in a ledger: every kind of consolidation opportunity, with evidence.

``analyse(ledger)`` runs each analyser — plain functions of the ledger's facts and the
thresholds — and returns the findings in report order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from govcloud.analysis.common import Facts
from govcloud.analysis.config import ConfigError, Thresholds, load_thresholds
from govcloud.analysis.findings import Finding
from govcloud.analysis.kinds import FINDING_KINDS, FindingKind, kind_names, ordered
from govcloud.ledger import model

__all__ = [
    "FINDING_KINDS",
    "Analysis",
    "ConfigError",
    "Finding",
    "FindingKind",
    "Thresholds",
    "analyse",
    "kind_names",
    "load_thresholds",
]


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
    kinds: Iterable[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Analysis:
    """Run the analysers of ``kinds`` (default: every registered kind) on ``ledger``; ``progress("analyse", done, total)`` is
    told before each analyser and when all are done."""
    thresholds = thresholds or Thresholds()
    chosen = list(FINDING_KINDS.names() if kinds is None else kinds)
    facts = Facts.of(ledger)
    found: list[Finding] = []
    for i, kind in enumerate(chosen):
        if progress:
            progress("analyse", i, len(chosen))
        found += FINDING_KINDS[kind].find(facts, thresholds)
    if progress:
        progress("analyse", len(chosen), len(chosen))
    return Analysis(tuple(ordered(found)), thresholds)
