"""The loader file by file: a file's part (its problems and built entries) depends only on its
name and bytes, so a part kept from an earlier load gives the same ledger and the same problems
as reading every file again — on valid ledgers and on ledgers with problems within one file and
across files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from govcloud.ledger import load, loader
from govcloud.ledger.loader import FilePart

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


class MemoryParts:
    """A part store in memory that counts what it is asked."""

    def __init__(self) -> None:
        self.parts: dict[tuple[str, bytes], FilePart] = {}
        self.hits: list[str] = []
        self.misses: list[str] = []

    def has(self, name: str, data: bytes) -> bool:
        if (name, data) in self.parts:
            return True
        self.misses.append(Path(name).name)
        return False

    def get(self, name: str, data: bytes) -> FilePart | None:
        part = self.parts.get((name, data))
        (self.misses if part is None else self.hits).append(Path(name).name)
        return part

    def put(self, name: str, data: bytes, part: FilePart) -> None:
        self.parts[(name, data)] = part


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    change.__name__ = f"{Path(name).stem}: {old.strip()} -> {new.strip()}"
    return change


def _append(name: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with (root / name).open("a", encoding="utf-8") as handle:
            handle.write(text)

    change.__name__ = f"{Path(name).stem} + {text.strip()[:30]}"
    return change


GAT = "departments/公安厅.yaml"
WJW = "departments/卫健委.yaml"
#: problems within a file, across files, and in the region-wide files
BROKEN = [
    _replace(GAT, "id: gat-srv-01", "id: GAT SRV 01"),  # an id the schema rejects
    _replace(GAT, 'purchase_date: "2020-02-29"', 'purchase_date: "2021-02-29"'),  # no such day
    _replace(GAT, "department:\n  id: gat", "department:\n  id: 7"),  # the department rejected
    _replace(WJW, "department:", "departmnt:"),  # owned entries with no owner
    _append(WJW, "sites:\n  - id: gat-room\n    name: 重复\n    kind: 自建\n"),  # duplicate across files
    _append("prices.yaml", "region:\n  id: other\n"),  # a second region
    _replace("region.yaml", "region:", "regio:"),  # no region
]


def _assert_same(root: Path, parts: MemoryParts) -> None:
    plain = load(root)
    first = load(root, parts=parts)
    again = load(root, parts=parts)
    assert first.problems == plain.problems
    assert again.problems == plain.problems
    assert first.ledger == plain.ledger
    assert again.ledger == plain.ledger
    assert again.files == plain.files


def test_a_kept_part_gives_the_same_valid_ledger(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    parts = MemoryParts()
    _assert_same(root, parts)
    assert len(parts.hits) == 5  # the second load read no file
    assert load(root, parts=parts).ledger is not None


@pytest.mark.parametrize("change", BROKEN, ids=lambda c: c.__name__)
def test_a_kept_part_gives_the_same_problems(tmp_path: Path, change: Callable[[Path], None]) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    change(root)
    parts = MemoryParts()
    _assert_same(root, parts)
    assert load(root).problems  # the change is a problem


def test_only_the_edited_file_is_read_again(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    parts = MemoryParts()
    load(root, parts=parts)
    _replace(GAT, "cpu_p95_pct: 12", "cpu_p95_pct: 40")(root)
    parts.hits.clear()
    parts.misses.clear()
    edited = load(root, parts=parts)
    assert parts.misses == ["公安厅.yaml"]
    assert len(parts.hits) == 4
    assert edited.ledger == load(root).ledger
    assert edited.ledger is not None
    assert edited.ledger.servers["gat-srv-01"].cpu_p95_pct == 40


def test_a_part_is_keyed_by_the_files_name_too(tmp_path: Path) -> None:
    """Same bytes under another name: its entries say where they were read, so it is read again."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    parts = MemoryParts()
    load(root, parts=parts)
    (root / WJW).rename(root / "departments" / "卫生健康委.yaml")
    parts.misses.clear()
    moved = load(root, parts=parts)
    assert parts.misses == ["卫生健康委.yaml"]
    assert moved.ledger is not None
    assert moved.ledger == load(root).ledger
    assert {s.source.file for s in moved.ledger.systems.values() if s.owner == "wjw"} == {
        str(root / "departments" / "卫生健康委.yaml")
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_file_that_is_not_a_regular_file_is_never_kept(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    os.mkfifo(root / "departments" / "pipe.yaml")  # reading it would block: the loader refuses it
    parts = MemoryParts()
    first = load(root, parts=parts)
    assert first.problems == load(root).problems
    assert any(p.file.endswith("pipe.yaml") for p in first.errors)
    assert "pipe.yaml" not in parts.hits + parts.misses
    assert len(parts.parts) == 5


def _counting_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process ids of the children the loader forks from now on."""
    forks: list[int] = []
    call = loader.forked.call

    def counted(work: Callable[[], list[FilePart]]) -> loader.forked.Child[list[FilePart]] | None:
        child = call(work)
        if child is not None:
            forks.append(child.pid)
        return child

    monkeypatch.setattr(loader.forked, "call", counted)
    return forks


@pytest.mark.parametrize("change", [None, *BROKEN], ids=lambda c: c.__name__ if c else "valid")
def test_files_read_by_a_forked_child_give_the_same_ledger_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None] | None
) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    if change is not None:
        change(root)
    monkeypatch.setattr(loader, "FORK_MIN_BYTES", 10**12)
    alone = load(root)
    forks = _counting_forks(monkeypatch)
    monkeypatch.setattr(loader, "FORK_MIN_BYTES", 0)
    parts = MemoryParts()
    split = load(root, parts=parts)
    assert len(forks) == 1
    assert split.problems == alone.problems
    assert split.ledger == alone.ledger
    assert split.files == alone.files
    # what the child read is kept like the rest: a second load reads nothing
    parts.hits.clear()
    parts.misses.clear()
    again = load(root, parts=parts)
    assert len(forks) == 1
    assert parts.misses == []
    assert len(parts.hits) == len(alone.files)
    assert again.problems == alone.problems


@pytest.mark.parametrize(
    "change", [_replace(GAT, "cpu_p95_pct: 12", "cpu_p95_pct: 40"), *BROKEN], ids=lambda c: c.__name__
)
def test_an_edited_file_read_by_a_child_while_the_kept_parts_are_read_back_gives_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None]
) -> None:
    """After an edit, the files not kept are read by a forked child while this process reads
    the others' parts back (:data:`govcloud.ledger.loader.FORK_MIN_HELD`): the same ledger and
    problems as reading every file, and the edited files kept for the next run."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    parts = MemoryParts()
    load(root, parts=parts)
    change(root)
    forks = _counting_forks(monkeypatch)
    monkeypatch.setattr(loader, "FORK_MIN_HELD", 0)
    parts.hits.clear()
    parts.misses.clear()
    edited = load(root, parts=parts)
    assert len(forks) == 1
    assert len(parts.misses) >= 1
    alone = load(root)
    assert edited.problems == alone.problems
    assert edited.ledger == alone.ledger
    assert edited.files == alone.files
    parts.hits.clear()
    parts.misses.clear()
    assert load(root, parts=parts).problems == alone.problems
    assert parts.misses == []  # what the child read was kept


def test_a_kept_part_that_cannot_be_read_back_is_read_from_its_file(tmp_path: Path) -> None:
    """The store has an entry for the file but cannot give it back (a damaged cache entry):
    the file is read as if nothing were kept."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    parts = MemoryParts()
    load(root, parts=parts)
    parts.parts = {key: (None if GAT in key[0] else part) for key, part in parts.parts.items()}  # type: ignore[misc]
    parts.hits.clear()
    parts.misses.clear()
    again = load(root, parts=parts)
    assert parts.misses == ["公安厅.yaml"]
    assert again.ledger == load(root).ledger
    assert again.ledger is not None


def test_the_child_reads_about_its_share_of_the_bytes() -> None:
    sizes = dict(enumerate([900, 30, 5_000, 200, 4_000, 1_200, 60, 2_500]))
    theirs = loader._child_share(sizes)
    share = sum(sizes[i] for i in theirs) / sum(sizes.values())
    assert abs(share - loader.CHILD_SHARE) < 0.1
    assert theirs == sorted(theirs)
    assert loader._child_share({0: 7}) == []  # one file: read here, no child
