"""Precision and recall of the duplication findings on messy ledgers with known truth.

    python scripts/measure_findings.py                 # seeds 1–10
    python scripts/measure_findings.py 1 2 3 --detail  # chosen seeds, and what was missed
    python scripts/measure_findings.py 11-40 41-60     # ranges of seeds
    python scripts/measure_findings.py 4 --write /tmp/messy  # keep the ledger: govcloud analyze /tmp/messy/seed-4
    python scripts/measure_findings.py --held-out      # systems named from the held-out vocabulary

Draws each ledger with govcloud.analysis.messy, writes it as YAML and loads it back (folding the
full-width values it holds, as for a user's ledger), runs the analysis with default thresholds and
prints, per finding kind, precision and recall over all seeds (pairs of records for
same-asset and parallel lines, servers for idle capacity, networks for private networks and
address conflicts, pairs of systems for duplicate systems, rooms for room consolidation).
With ``--held-out`` the systems are named from a vocabulary the analysis was not written
against (``messy.HELD_OUT_JOBS``), so the duplicate-systems figure is an independent one.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from govcloud.analysis import Finding, analyse
from govcloud.analysis.messy import Score, Truth, messy_ledger, score, through_files
from govcloud.ledger.model import Ledger

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
    parser.add_argument(
        "seeds",
        nargs="*",
        type=_seeds,
        default=[range(1, 11)],
        help="seeds or ranges of them: 3 11-40 (default 1-10)",
    )
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--servers", type=int, default=30, help="servers per department")
    parser.add_argument("--detail", action="store_true", help="print each seed and the pairs missed")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="name the systems from the held-out vocabulary the analysis was not written against",
    )
    parser.add_argument("--write", type=Path, help="keep each seed's ledger in WRITE/seed-<n>/ledger.yaml")
    args = parser.parse_args()
    args.seeds = [seed for seeds in args.seeds for seed in seeds]
    totals = {kind: Score(0, 0, 0) for kind in KINDS}
    for seed in args.seeds:
        drawn, truth = messy_ledger(seed, args.departments, args.servers, held_out=args.held_out)
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
            _details(analysis.findings, truth, ledger)
    print(f"{len(args.seeds)} seeds, {args.departments} departments, {args.servers} servers each")
    print(f"{'kind':<18}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}")
    for kind, s in totals.items():
        print(
            f"{kind:<18}{s.true_positives:>6}{s.false_positives:>6}{s.false_negatives:>6}"
            f"{s.precision:>11.3f}{s.recall:>8.3f}"
        )


def _seeds(text: str) -> range:
    """A seed (``7``) or an inclusive range of seeds (``11-40``)."""
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a seed or a range of seeds: {text!r}") from None
    if high < low:
        raise argparse.ArgumentTypeError(f"an empty range of seeds: {text!r}")
    return range(low, high + 1)


def _details(findings: Sequence[Finding], truth: Truth, ledger: Ledger) -> None:
    """The same-asset pairs and rooms missed and those found wrongly, and the systems of the
    duplicate pairs missed or found wrongly."""
    found = {frozenset(p) for f in findings if f.kind == "same-asset" for p in combinations(f.members, 2)}
    for pair in sorted(truth.same_asset - found, key=sorted):
        print("  missed same-asset", sorted(pair))
    for pair in sorted(found - truth.same_asset, key=sorted):
        print("  wrong  same-asset", sorted(pair))
    rooms = {
        m.split(":", 1)[1]
        for f in findings
        if f.kind == "room-consolidation" and f.status == "candidate"
        for m in f.members
    }
    for label, ids in (("missed", truth.weak_rooms - rooms), ("wrong ", rooms - truth.weak_rooms)):
        for ident in sorted(ids):
            s = ledger.sites[ident]
            print(
                f"  {label} room {ident} {s.name}: racks={s.racks} used={s.racks_used} "
                f"utilisation={s.utilisation_pct} region_code={s.region_code} district={s.district} "
                f"address={s.address}"
            )
    pairs = {
        frozenset(p)
        for f in findings
        if f.kind == "duplicate-systems" and f.status == "candidate"
        for p in combinations(f.members, 2)
    }
    for label, wrong in (
        ("missed", truth.duplicate_systems - pairs),
        ("wrong ", pairs - truth.duplicate_systems),
    ):
        for ident in sorted({m.split(":", 1)[1] for p in wrong for m in p}):
            system = ledger.systems[ident]
            print(f"  {label} system {ident} {system.name} (category {system.category})")


if __name__ == "__main__":
    main()
