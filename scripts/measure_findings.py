"""Precision and recall of the duplication findings on messy ledgers with known truth.

    python scripts/measure_findings.py                 # seeds 1–10
    python scripts/measure_findings.py 1 2 3 --detail  # chosen seeds, and what was missed
    python scripts/measure_findings.py 4 --write /tmp/messy  # keep the ledger: govcloud analyze /tmp/messy/seed-4

Draws each ledger with govcloud.analysis.messy, writes it as YAML and loads it back (folding the
full-width values it holds, as for a user's ledger), runs the analysis with default thresholds and
prints, per finding kind, precision and recall over all seeds (pairs of records for
same-asset and parallel lines, servers for idle capacity, networks for private networks and
address conflicts, pairs of systems for duplicate systems, rooms for room consolidation).
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from govcloud.analysis import Finding, analyse
from govcloud.analysis.messy import Score, Truth, messy_ledger, score, through_files

KINDS = (
    "same-asset",
    "parallel-lines",
    "idle-capacity",
    "private-network",
    "address-conflict",
    "duplicate-systems",
    "room-consolidation",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="*", type=int, default=list(range(1, 11)))
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--servers", type=int, default=30, help="servers per department")
    parser.add_argument("--detail", action="store_true", help="print each seed and the pairs missed")
    parser.add_argument("--write", type=Path, help="keep each seed's ledger in WRITE/seed-<n>/ledger.yaml")
    args = parser.parse_args()
    totals = {kind: Score(0, 0, 0) for kind in KINDS}
    for seed in args.seeds:
        drawn, truth = messy_ledger(seed, args.departments, args.servers)
        if args.write:
            ledger = through_files(drawn, args.write / f"seed-{seed}")
        else:
            with tempfile.TemporaryDirectory() as folder:
                ledger = through_files(drawn, Path(folder))
        analysis = analyse(ledger)
        scores = score(analysis.findings, truth)
        for kind in KINDS:
            totals[kind] += scores[kind]
        if args.detail:
            print(
                f"seed {seed}: "
                + "  ".join(f"{k} P={s.precision:.2f} R={s.recall:.2f}" for k, s in scores.items())
            )
            _details(analysis.findings, truth)
    print(f"{len(args.seeds)} seeds, {args.departments} departments, {args.servers} servers each")
    print(f"{'kind':<18}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}")
    for kind, s in totals.items():
        print(
            f"{kind:<18}{s.true_positives:>6}{s.false_positives:>6}{s.false_negatives:>6}"
            f"{s.precision:>11.3f}{s.recall:>8.3f}"
        )


def _details(findings: Sequence[Finding], truth: Truth) -> None:
    """The same-asset pairs missed and those found wrongly."""
    found = {frozenset(p) for f in findings if f.kind == "same-asset" for p in combinations(f.members, 2)}
    for pair in sorted(truth.same_asset - found, key=sorted):
        print("  missed same-asset", sorted(pair))
    for pair in sorted(found - truth.same_asset, key=sorted):
        print("  wrong  same-asset", sorted(pair))


if __name__ == "__main__":
    main()
