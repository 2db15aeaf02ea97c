"""The messy-ledger generator: reproducible, valid, and the findings measured against it."""

from __future__ import annotations

from pathlib import Path

from govcloud.analysis import analyse
from govcloud.analysis.messy import Score, messy_ledger, score, through_files
from govcloud.ledger import dump, loader, model


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
    assert truth.duplicate_systems
    assert truth.weak_rooms


def test_a_messy_ledger_is_a_valid_ledger(tmp_path: Path) -> None:
    """Written out and loaded back, the ledger has no errors: the mess is in the spelling, and
    the full-width values are folded with warnings."""
    led, _ = messy_ledger(2)
    dump.write_single(led, tmp_path / "ledger.yaml")
    result = loader.load(tmp_path)
    assert result.errors == [], [p.render("en") for p in result.errors]
    assert {p.code for p in result.warnings} == {"folded-width"}
    assert through_files(led, tmp_path / "again").servers.keys() == led.servers.keys()


def test_findings_hold_on_messy_ledgers(tmp_path: Path) -> None:
    """A guard on a few seeds, read the way a user's ledger is: written, then loaded with its
    full-width values folded. The target (0.95) is measured over many seeds by
    scripts/measure_findings.py and written in docs/analysis.md; three seeds vary more, so
    recall is held to 0.9 here."""
    totals: dict[str, Score] = {}
    for seed in (1, 2, 3):
        drawn, truth = messy_ledger(seed)
        led = through_files(drawn, tmp_path / str(seed))
        for kind, s in score(analyse(led).findings, truth).items():
            totals[kind] = totals.get(kind, Score(0, 0, 0)) + s
    assert set(totals) == {
        "same-asset",
        "parallel-lines",
        "idle-capacity",
        "private-network",
        "address-conflict",
        "duplicate-systems",
        "room-consolidation",
    }
    for kind, s in totals.items():
        assert s.precision >= 0.95, (kind, s)
        assert s.recall >= 0.9, (kind, s)


def test_score_counts_pairs_servers_and_networks() -> None:
    assert Score(9, 1, 0).precision == 0.9
    assert Score(9, 0, 1).recall == 0.9
    assert Score(0, 0, 0).precision == Score(0, 0, 0).recall == 1.0


def test_duplicate_systems_and_weak_rooms_of_the_truth_are_found(tmp_path: Path) -> None:
    """The systems of one job named differently, their category column often empty, and the
    weak rooms recorded with racks in use, a utilisation figure or neither: found on two seeds,
    while the look-alikes (视频监控平台, 会议室预约系统 …) and the classified systems are not."""
    totals: dict[str, Score] = {}
    for seed in (4, 5):
        drawn, truth = messy_ledger(seed)
        led = through_files(drawn, tmp_path / str(seed))
        assert truth.duplicate_systems
        assert truth.weak_rooms
        for kind, s in score(analyse(led).findings, truth).items():
            totals[kind] = totals.get(kind, Score(0, 0, 0)) + s
    duplicates, rooms = totals["duplicate-systems"], totals["room-consolidation"]
    assert duplicates.recall >= 0.95, duplicates
    assert duplicates.false_positives == 0, duplicates
    assert rooms.recall >= 0.95, rooms
    assert rooms.false_positives == 0, rooms


def test_duplicate_systems_named_from_the_held_out_vocabulary(tmp_path: Path) -> None:
    """Names the analysis was not written against (docs/analysis.md: 0.958 recall over seeds
    1–10): a guard that the heads of names and what the ledger's own categorised rows teach
    keep finding them (0.90 on these seeds; 0.70 with the learned whole names alone, 0.49
    without either) and that nothing is paired wrongly."""
    total = Score(0, 0, 0)
    for seed in (4, 5):
        drawn, truth = messy_ledger(seed, held_out=True)
        led = through_files(drawn, tmp_path / str(seed))
        total += score(analyse(led).findings, truth)["duplicate-systems"]
    assert total.recall >= 0.85, total
    assert total.false_positives == 0, total


def test_the_messy_systems_have_every_kind_of_mess() -> None:
    led, truth = messy_ledger(6)
    systems = list(led.systems.values())
    in_pairs = {m.split(":", 1)[1] for p in truth.duplicate_systems for m in p}
    # some duplicates have their category column left empty (read as business)
    assert any(led.systems[s].category == "business" for s in in_pairs)
    # the classified ones and the look-alikes are not in the truth
    assert any(s.classified for s in systems)
    assert not any(s.classified for s in systems if s.id in in_pairs)
    assert not in_pairs & {s.id for s in systems if "监控" in s.name or "预约" in s.name}


def test_a_room_is_weak_in_truth_only_by_figures_its_records_carry() -> None:
    """A room whose records give neither its use nor a size of at most 6 racks may be weak in
    the world, on nothing a reading of the ledger could see: the truth does not call it weak
    (a room of 20 racks whose racks in use nobody recorded).  Every room the truth calls weak
    has, in one of its records, a rack count, racks in use or a utilisation."""
    silent = 0
    for seed in (11, 12, 13):
        led, truth = messy_ledger(seed)
        assert truth.weak_rooms
        records: dict[str, list[model.Site]] = {}
        for ident, site in led.sites.items():
            records.setdefault(truth.room_of.get(ident, ident), []).append(site)
        for room, sites in records.items():
            racks = {s.racks for s in sites} - {None}
            used = [s for s in sites if s.racks_used is not None or s.utilisation_pct is not None]
            if room in truth.weak_rooms:
                assert racks or used, (seed, room)
            if sites[0].kind == "self_built" and not used and racks and min(racks) > 6:
                silent += 1
                assert room not in truth.weak_rooms, (seed, room)
    assert silent  # such rooms are drawn
