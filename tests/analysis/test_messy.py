"""The messy-ledger generator: reproducible, valid, and the findings measured against it."""

from __future__ import annotations

from pathlib import Path

from govcloud.analysis import analyse
from govcloud.analysis.messy import Score, messy_ledger, score
from govcloud.ledger import dump, loader


def test_same_seed_same_ledger_and_truth() -> None:
    one, truth_one = messy_ledger(7)
    other, truth_other = messy_ledger(7)
    assert one == other
    assert truth_one == truth_other
    assert messy_ledger(8)[0] != one


def test_the_truth_has_every_kind_of_mess() -> None:
    _, truth = messy_ledger(3)
    assert len(truth.same_asset) >= 10
    assert any(next(iter(p)).startswith("site:") for p in truth.same_asset)
    assert truth.parallel_lines
    assert truth.idle_servers
    assert truth.coverable_networks | truth.uncoverable_networks


def test_a_messy_ledger_is_a_valid_ledger(tmp_path: Path) -> None:
    """Written out and loaded back, the ledger has no errors: the mess is in the spelling."""
    led, _ = messy_ledger(2, departments=4, servers_per_department=8)
    out: Path = tmp_path
    dump.write_single(led, out / "ledger.yaml")
    result = loader.load(out)
    assert result.errors == [], [p.render("en") for p in result.errors]


def test_findings_hold_on_messy_ledgers() -> None:
    """The target of issue 19 on a few seeds (scripts/measure_findings.py runs more)."""
    totals: dict[str, Score] = {}
    for seed in (1, 2, 3):
        led, truth = messy_ledger(seed)
        for kind, s in score(analyse(led).findings, truth).items():
            totals[kind] = totals.get(kind, Score(0, 0, 0)) + s
    for kind, s in totals.items():
        assert s.precision >= 0.95, (kind, s)
        assert s.recall >= 0.9, (kind, s)


def test_score_counts_pairs_servers_and_networks() -> None:
    assert Score(9, 1, 0).precision == 0.9
    assert Score(9, 0, 1).recall == 0.9
    assert Score(0, 0, 0).precision == Score(0, 0, 0).recall == 1.0
