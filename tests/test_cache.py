"""The warm cache: any change to what a run read gives a miss, a hit gives the same ledger and
the same bytes without loading, and a broken entry is rebuilt instead of failing."""

from __future__ import annotations

import errno
import hashlib
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud import cache, pipeline
from govcloud.analysis import Thresholds
from govcloud.cli import cli
from govcloud.ledger import LoadResult, load
from govcloud.outputs import Digest, Staging, staging
from govcloud.pipeline import PlanRun, run_plan
from govcloud.samples import default_inventory


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every ledger the pipeline really loads (a warm run loads none)."""
    calls: list[Path] = []
    real = pipeline.load

    def counting(
        path: Path, progress: pipeline.Progress | None = None, parts: cache.FileParts | None = None
    ) -> LoadResult:
        calls.append(Path(path))
        return real(path, progress=progress, parts=parts)

    monkeypatch.setattr(pipeline, "load", counting)
    return calls


@pytest.fixture
def store(tmp_path: Path) -> cache.Cache:
    return cache.Cache(tmp_path / "cache")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _plan(mini: Path, out: Path, store: cache.Cache, **kwargs: object) -> PlanRun:
    return run_plan(mini, out, "en", cache=store, **kwargs)  # type: ignore[arg-type]


def _counting(monkeypatch: pytest.MonkeyPatch, stage: str) -> list[object]:
    """The first argument of every call of the pipeline's ``stage`` function."""
    calls: list[object] = []
    real = getattr(pipeline, stage)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, stage, counting)
    return calls


# ---- what the key covers


def _edit(name: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / name).open("a", encoding="utf-8") as handle:
            handle.write("# 改了一个字\n")

    edit.__name__ = f"edit {name}"
    return edit


def _add(root: Path) -> None:
    (root / "departments" / "新增.yaml").write_text("# 空文件\n", encoding="utf-8")


def _remove(root: Path) -> None:
    (root / "prices.yaml").unlink()


def _rename(root: Path) -> None:
    (root / "departments" / "卫健委.yaml").rename(root / "departments" / "卫生健康委.yaml")


def _move(root: Path) -> None:  # same name, same bytes, another folder
    (root / "departments" / "公安厅.yaml").rename(root / "公安厅.yaml")


MINI_FILES = [
    "region.yaml",
    "targets.yaml",
    "prices.yaml",
    "departments/公安厅.yaml",
    "departments/卫健委.yaml",
]
CHANGES = [_edit(name) for name in MINI_FILES] + [_add, _remove, _rename, _move]


def test_the_mini_ledger_is_the_files_the_changes_touch(mini: Path) -> None:
    assert sorted(_files(mini)) == sorted(MINI_FILES)


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__)
def test_any_change_to_any_input_file_changes_the_key(mini: Path, change: Callable[[Path], None]) -> None:
    before = cache.inputs_digest(mini)
    assert before is not None
    assert cache.inputs_digest(mini) == before  # stable while nothing changes
    change(mini)
    assert cache.inputs_digest(mini) not in (before, None)


def test_the_key_covers_where_the_ledger_is(mini: Path, tmp_path: Path) -> None:
    """Messages and sources name files as given, so a copy elsewhere is another entry."""
    copy = tmp_path / "elsewhere"
    shutil.copytree(mini, copy)
    assert cache.inputs_digest(copy) != cache.inputs_digest(mini)


def test_a_ledger_whose_files_cannot_all_be_found_has_no_key(tmp_path: Path) -> None:
    assert cache.inputs_digest(tmp_path / "missing") is None
    assert cache.inputs_digest(tmp_path) is None  # no files


def test_the_code_key_covers_every_package_file_and_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "govcloud"
    shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE", package)
    seen = []
    for change in (
        lambda: None,
        lambda: (package / "plan" / "waves.py").write_text("# changed\n", encoding="utf-8"),
        lambda: (package / "ledger" / "ledger.schema.json").write_text("{}", encoding="utf-8"),
        lambda: (package / "new_module.py").write_text("", encoding="utf-8"),
        lambda: monkeypatch.setattr(cache, "__version__", "99.0"),
    ):
        change()
        cache.code_digest.cache_clear()
        seen.append(cache.code_digest())
    cache.code_digest.cache_clear()
    assert len(set(seen)) == len(seen)


def test_the_digest_of_parts_cannot_run_together() -> None:
    assert cache.digest("ab", "c") != cache.digest("a", "bc")


# ---- hits and misses of whole runs


def test_a_warm_run_skips_loading_and_writes_the_same_bytes(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path]
) -> None:
    cold = _plan(mini, tmp_path / "cold", store)
    warm = _plan(mini, tmp_path / "warm", store)
    assert len(loads) == 1
    assert not cold.cached
    assert warm.cached
    assert warm.load.ledger == cold.load.ledger
    assert warm.load.ledger is not None
    assert warm.plan is not None
    assert cold.plan is not None
    assert warm.plan.decisions == cold.plan.decisions
    assert _files(tmp_path / "warm") == _files(tmp_path / "cold")
    assert [p.name for p in warm.written] == [p.name for p in cold.written]


def test_a_warm_run_matches_a_run_without_cache(mini: Path, tmp_path: Path, store: cache.Cache) -> None:
    run_plan(mini, tmp_path / "plain", "en")
    _plan(mini, tmp_path / "cold", store)
    _plan(mini, tmp_path / "warm", store)
    assert _files(tmp_path / "warm") == _files(tmp_path / "plain")


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__)
def test_a_changed_input_is_loaded_again(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path], change: Callable[[Path], None]
) -> None:
    _plan(mini, tmp_path / "out", store)
    change(mini)
    again = _plan(mini, tmp_path / "out", store)
    assert len(loads) == 2
    assert not again.cached
    plain = run_plan(mini, tmp_path / "plain", "en")
    assert again.load.problems == plain.load.problems
    assert again.load.ledger == plain.load.ledger


def test_a_code_change_misses(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(mini, tmp_path / "out", store)
    monkeypatch.setattr(cache, "code_digest", lambda: "another version of govcloud")
    again = _plan(mini, tmp_path / "out", store)
    assert len(loads) == 2
    assert not again.cached


def test_other_settings_reuse_the_loaded_ledger(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path]
) -> None:
    english = _plan(mini, tmp_path / "en", store)
    chinese = run_plan(mini, tmp_path / "zh", "zh", cache=store)
    strict = _plan(mini, tmp_path / "strict", store, thresholds=Thresholds(room_low_utilisation_pct=90.0))
    assert len(loads) == 1  # the ledger was loaded once
    assert not chinese.cached
    assert not strict.cached  # but each run was computed for its settings
    assert (tmp_path / "zh" / "plan.md").read_bytes() != (tmp_path / "en" / "plan.md").read_bytes()
    assert english.analysis is not None
    assert strict.analysis is not None
    assert strict.analysis.thresholds != english.analysis.thresholds


def test_an_invalid_ledger_is_never_cached(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path]
) -> None:
    bad = mini / "departments" / "卫健委.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("mlps_level: 2", "mlps_level: 9"), encoding="utf-8"
    )
    first = _plan(mini, tmp_path / "out", store)
    second = _plan(mini, tmp_path / "out", store)
    assert first.load.errors
    assert second.load.problems == first.load.problems
    assert all(p.line is not None for p in second.load.errors)
    assert len(loads) == 2
    assert not store.root.exists() or not list(store.root.glob("*.entry"))
    assert not (tmp_path / "out").exists()


def test_warnings_of_a_valid_ledger_come_back_on_a_warm_run(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path]
) -> None:
    _add(mini)  # an empty file: a warning, the ledger stays valid
    cold = _plan(mini, tmp_path / "out", store)
    warm = _plan(mini, tmp_path / "out", store)
    assert [p.code for p in cold.load.warnings] == ["empty-file"]
    assert warm.cached
    assert warm.load.problems == cold.load.problems
    assert len(loads) == 1


# ---- broken entries and folders


def _corrupt_all(store: cache.Cache, damage: Callable[[bytes], bytes]) -> None:
    entries = list(store.root.rglob("*.entry"))
    # the ledger, its analysis, its as-is baseline and the run; each of the five files on its own
    assert len(entries) == 4 + len(MINI_FILES)
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))


def _valid_entry_of_missing_code(_: bytes) -> bytes:
    payload = b"cgovcloud_gone\nThing\n."  # a class that no longer exists
    return b"govcloud-cache 1\n" + hashlib.sha256(payload).digest() + payload


def _valid_entry_of_another_type(_: bytes) -> bytes:
    payload = pickle.dumps({"not": "a run"})
    return b"govcloud-cache 1\n" + hashlib.sha256(payload).digest() + payload


DAMAGE: list[Callable[[bytes], bytes]] = [
    lambda blob: blob[: len(blob) // 2],
    lambda blob: blob[:-1] + bytes([blob[-1] ^ 0xFF]),
    lambda blob: b"",
    lambda blob: b"\x00" * 64,
    _valid_entry_of_missing_code,
    _valid_entry_of_another_type,
]


@pytest.mark.parametrize(
    "damage", DAMAGE, ids=["truncated", "flipped", "empty", "garbage", "missing-code", "another-type"]
)
def test_a_broken_entry_is_rebuilt(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path], damage: Callable[[bytes], bytes]
) -> None:
    cold = _plan(mini, tmp_path / "cold", store)
    _corrupt_all(store, damage)
    rebuilt = _plan(mini, tmp_path / "rebuilt", store)
    assert not rebuilt.cached
    assert len(loads) == 2
    assert _files(tmp_path / "rebuilt") == _files(tmp_path / "cold")
    assert rebuilt.load.ledger == cold.load.ledger
    warm = _plan(mini, tmp_path / "warm", store)  # and the rebuilt entries are good again
    assert warm.cached
    assert len(loads) == 2


def test_an_unusable_cache_folder_only_turns_the_cache_off(mini: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    run = _plan(mini, tmp_path / "out", cache.Cache(blocked / "cache"))
    assert run.summary is not None
    assert (tmp_path / "out" / "plan.json").exists()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_is_never_read(mini: Path, tmp_path: Path, store: cache.Cache) -> None:
    _plan(mini, tmp_path / "out", store)
    store.root.chmod(0o777)
    assert not _plan(mini, tmp_path / "out", store).cached
    store.root.chmod(0o700)
    assert _plan(mini, tmp_path / "out", store).cached


def test_a_value_that_cannot_be_stored_is_only_not_cached(tmp_path: Path) -> None:
    store = cache.Cache(tmp_path / "c")
    assert not store.put("k", lambda: None)  # functions defined inline do not pickle
    assert store.get("k", object) is None


def test_the_cache_keeps_the_most_recently_used_entries(tmp_path: Path) -> None:
    small = cache.Cache(tmp_path / "c", max_entries=2)
    for key in ("a", "b", "c"):
        assert small.put(key, key)
        os.utime(small.path(key), (1_000_000 + ord(key), 1_000_000 + ord(key)))
    small.evict()
    assert small.get("a", str) is None
    assert small.get("b", str) == "b"  # used: now the newest
    small.put("d", "d")
    assert small.get("c", str) is None
    assert {small.get(k, str) for k in ("b", "d")} == {"b", "d"}


def test_the_cache_stays_under_its_byte_limit(tmp_path: Path) -> None:
    small = cache.Cache(tmp_path / "c", max_bytes=3000)
    for i in range(5):
        small.put(f"k{i}", b"x" * 1000)
    total = sum(p.stat().st_size for p in small.root.glob("*.entry"))
    assert total <= 3000
    assert small.get("k4", bytes) == b"x" * 1000  # the newest is always kept


def test_stale_temporary_files_are_cleaned(tmp_path: Path) -> None:
    store = cache.Cache(tmp_path / "c")
    store.put("a", 1)
    stale = store.root / ".a.entry.x.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (0, 0))
    store.evict()
    assert not stale.exists()


def test_the_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVCLOUD_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.default_dir() == tmp_path / "explicit"
    monkeypatch.delenv("GOVCLOUD_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.default_dir() == tmp_path / "xdg" / "govcloud"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.default_dir() == tmp_path / "home" / ".cache" / "govcloud"


# ---- the command


def test_plan_uses_the_cache_and_no_cache_bypasses_it(
    mini: Path, tmp_path: Path, private_cache: Path, loads: list[Path]
) -> None:
    def plan(*extra: str) -> str:
        result = CliRunner().invoke(
            cli, ["plan", str(mini), "--out", str(tmp_path / "out"), "--lang", "en", *extra]
        )
        assert result.exit_code == 0, result.output
        return result.stdout

    first = plan("--no-cache")
    assert not list(private_cache.iterdir())
    assert plan() == first
    assert plan() == first
    assert len(loads) == 2  # --no-cache, then the cold run; the third was warm
    # the ledger, its analysis, its as-is baseline and the run
    assert len(list(private_cache.glob("*.entry"))) == 4
    assert len(list((private_cache / "files").glob("*.entry"))) == len(MINI_FILES)


# ---- the per-file entries


def test_an_edited_file_is_the_only_one_read_again(mini: Path, tmp_path: Path, store: cache.Cache) -> None:
    _plan(mini, tmp_path / "out", store)
    _edit("departments/公安厅.yaml")(mini)
    again = _plan(mini, tmp_path / "out", store)
    assert again.reused["files"] == f"{len(MINI_FILES) - 1}/{len(MINI_FILES)}"
    assert len(list((store.root / cache.FILES_DIR).glob("*.entry"))) == len(MINI_FILES) + 1


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_files_folder_others_can_write_is_never_read(
    mini: Path, tmp_path: Path, store: cache.Cache
) -> None:
    _plan(mini, tmp_path / "out", store)
    files = store.root / cache.FILES_DIR
    _edit("region.yaml")(mini)  # the whole-run and ledger entries miss: only files could hit
    files.chmod(0o777)
    assert _plan(mini, tmp_path / "out", store).reused["files"] == f"0/{len(MINI_FILES)}"
    files.chmod(0o700)
    store.root.chmod(0o770)  # the parent folder others can write: its subfolder is not read either
    _edit("region.yaml")(mini)
    assert _plan(mini, tmp_path / "out", store).reused["files"] == f"0/{len(MINI_FILES)}"
    store.root.chmod(0o700)
    _edit("region.yaml")(mini)
    assert _plan(mini, tmp_path / "out", store).reused["files"] == f"{len(MINI_FILES) - 1}/{len(MINI_FILES)}"


def test_a_broken_file_entry_is_read_again(mini: Path, tmp_path: Path, store: cache.Cache) -> None:
    cold = _plan(mini, tmp_path / "cold", store)
    for entry in (store.root / cache.FILES_DIR).glob("*.entry"):
        entry.write_bytes(entry.read_bytes()[:-10])
    _edit("region.yaml")(mini)
    again = _plan(mini, tmp_path / "again", store)
    assert again.reused["files"] == f"0/{len(MINI_FILES)}"
    assert again.load.ledger is not None
    assert cold.load.ledger is not None
    assert again.load.ledger.systems == cold.load.ledger.systems


def test_the_files_folder_has_bounds_of_its_own(tmp_path: Path) -> None:
    parent = cache.Cache(tmp_path / "c", max_entries=1)
    files = parent.sub("files", max_entries=3, max_bytes=10**6)
    for n in range(5):
        assert files.put(f"k{n}", "x" * 100)
        os.utime(files.path(f"k{n}"), (1_000_000 + n, 1_000_000 + n))
    assert parent.put("run", "y")
    assert sorted(p.name for p in files.root.glob("*.entry")) == ["k2.entry", "k3.entry", "k4.entry"]
    assert files.get("k4", str) == "x" * 100
    parent.clear()
    assert not list(files.root.glob("*.entry"))


def test_plan_with_a_scenario_reuses_the_ledger_and_the_analysis(
    mini: Path, tmp_path: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    analysed = _counting(monkeypatch, "analyse")
    rules = tmp_path / "rules.yaml"
    rules.write_text("scenario:\n  name: 小批次\n  rules: {wave_max_servers: 1}\n", encoding="utf-8")
    idle = tmp_path / "idle.yaml"
    idle.write_text("scenario:\n  name: 空闲\n  analysis: {idle_cpu_p95_pct: 50}\n", encoding="utf-8")

    def plan(*extra: str) -> None:
        result = CliRunner().invoke(cli, ["plan", str(mini), "--out", str(tmp_path / "out"), *extra])
        assert result.exit_code == 0, result.output

    plan()
    plan("--scenario", str(rules))
    assert (len(loads), len(analysed)) == (1, 1)  # the what-if planned on both from the cache
    plan("--scenario", str(idle))
    assert (len(loads), len(analysed)) == (1, 2)  # other thresholds: analysed again


# ---- outputs kept by digest


def _digest(path: Path) -> Digest:
    """The :class:`Digest` a staging records for the file at ``path``, worked out here from
    the file itself."""
    data = path.read_bytes()
    info = path.stat()
    return Digest(len(data), hashlib.sha256(data).digest(), info.st_mtime_ns, info.st_ino, info.st_dev)


def _hold(blobs: cache.Blobs, path: Path) -> tuple[int, bytes]:
    digest = _digest(path)
    assert blobs.hold(str(path), digest)
    return digest.size, digest.sha256


def _no_links(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``os.link`` refused as across file systems (EXDEV); the links asked for."""
    asked: list[str] = []

    def link(source: object, target: object, *args: object, **kwargs: object) -> None:
        asked.append(str(target))
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "link", link)
    return asked


def test_outputs_are_kept_once_by_digest_as_hard_links_and_checked_when_read(
    tmp_path: Path, store: cache.Cache
) -> None:
    blobs = cache.Blobs(store)
    assert blobs.usable(create=True)
    data = "海岳".encode() * 400_000
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(data)
    (tmp_path / "empty").write_bytes(b"")
    size, digest = _hold(blobs, tmp_path / "a")
    assert (size, digest) == (len(data), hashlib.sha256(data).digest())
    kept = Path(blobs.path(digest))
    assert kept.stat().st_ino == (tmp_path / "a").stat().st_ino  # the output file itself
    assert _hold(blobs, tmp_path / "b") == (size, digest)  # the same bytes: kept once, and
    assert kept.stat().st_ino == (tmp_path / "a").stat().st_ino  # a's file left alone
    assert (tmp_path / "b").stat().st_nlink == 1
    assert _hold(blobs, tmp_path / "empty") == (0, hashlib.sha256(b"").digest())
    assert len(list((store.root / cache.OUTPUTS_DIR).iterdir())) == 2
    assert b"".join(blobs.pieces(digest, size)) == data
    assert b"".join(blobs.pieces(hashlib.sha256(b"").digest(), 0)) == b""
    with (tmp_path / "a").open("r+b") as handle:  # the output written in place: the same file
        handle.write(b"!")
    with pytest.raises(cache.BrokenBlob):  # noticed after the last piece, and removed
        b"".join(blobs.pieces(digest, size))
    assert not kept.exists()
    assert (tmp_path / "a").read_bytes().startswith(b"!")  # the output is the user's
    with pytest.raises(cache.BrokenBlob):  # gone
        b"".join(blobs.pieces(digest, size))
    assert _hold(blobs, tmp_path / "b") == (size, digest)  # kept again from good bytes
    assert b"".join(blobs.pieces(digest, size)) == data
    (tmp_path / "b").unlink()  # the store's file is its own now: the next output's replaces it
    (tmp_path / "c").write_bytes(data)
    assert _hold(blobs, tmp_path / "c") == (size, digest)
    assert kept.stat().st_ino == (tmp_path / "c").stat().st_ino
    assert not blobs.hold(str(tmp_path / "missing"), Digest(5, hashlib.sha256(b"other").digest(), 0, 0, 0))
    assert len(list((store.root / cache.OUTPUTS_DIR).iterdir())) == 2


def test_outputs_are_copied_where_the_store_cannot_link_them(
    tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _no_links(monkeypatch)
    blobs = cache.Blobs(store)
    assert blobs.usable(create=True)
    data = b"copied " * 300_000
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(data)
    size, digest = _hold(blobs, tmp_path / "a")
    kept = Path(blobs.path(digest))
    assert kept.stat().st_ino != (tmp_path / "a").stat().st_ino
    assert (kept.stat().st_nlink, kept.stat().st_mode & 0o777) == (1, 0o600)
    assert kept.read_bytes() == data
    os.utime(kept, (1_000_000, 1_000_000))
    assert _hold(blobs, tmp_path / "b") == (size, digest)  # had already: marked as used now
    assert kept.stat().st_mtime > 1_000_000
    assert len(asked) == 1  # not tried again once refused for good
    kept.write_bytes(data[:-1])  # shorter than its digest says: copied again
    assert _hold(blobs, tmp_path / "b") == (size, digest)
    assert kept.read_bytes() == data
    assert [p.name for p in (store.root / cache.OUTPUTS_DIR).iterdir()] == [digest.hex()]


def test_a_file_with_too_many_links_is_copied_and_the_next_one_linked(
    tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    blobs = cache.Blobs(store)
    assert blobs.usable(create=True)
    link = os.link
    refused: list[str] = []

    def once(source: str, target: str) -> None:
        if not refused:
            refused.append(source)
            raise OSError(errno.EMLINK, os.strerror(errno.EMLINK))
        link(source, target)

    monkeypatch.setattr(os, "link", once)
    for name in ("many", "few"):
        (tmp_path / name).write_bytes(name.encode() * 1000)
    many = Path(blobs.path(_hold(blobs, tmp_path / "many")[1]))
    few = Path(blobs.path(_hold(blobs, tmp_path / "few")[1]))
    assert many.read_bytes() == (tmp_path / "many").read_bytes()
    assert many.stat().st_nlink == 1  # a copy: that one file cannot take another link
    assert few.stat().st_ino == (tmp_path / "few").stat().st_ino  # but linking goes on
    assert not list((store.root / cache.OUTPUTS_DIR).glob("*.tmp"))


def test_outputs_kept_longest_ago_go_first_but_never_the_last_run_s_nor_an_output_s_file(
    tmp_path: Path, store: cache.Cache
) -> None:
    blobs = cache.Blobs(store, max_bytes=2500)
    assert blobs.usable(create=True)
    digests = []
    for n in range(4):
        (tmp_path / str(n)).write_bytes(bytes([n]) * 1000)
        digests.append(_hold(blobs, tmp_path / str(n))[1])
        (tmp_path / str(n)).unlink()  # the output gone: the store's file is its only link
        os.utime(blobs.path(digests[-1]), (1_000_000 + n, 1_000_000 + n))
    (tmp_path / "linked").write_bytes(b"\xff" * 5000)  # still an output: takes no room
    linked = _hold(blobs, tmp_path / "linked")[1]
    os.utime(blobs.path(linked), (1_000, 1_000))  # the oldest of all
    blobs.evict(keep_since=1_000_003)
    assert [os.path.exists(blobs.path(d)) for d in digests] == [False, False, True, True]
    assert os.path.exists(blobs.path(linked))
    blobs.evict(keep_since=0)  # under the bound now: nothing more goes
    assert [os.path.exists(blobs.path(d)) for d in digests] == [False, False, True, True]
    small = cache.Blobs(store, max_bytes=0)
    small.evict(keep_since=1_000_003)  # over the bound, but the last run's stay
    assert os.path.exists(blobs.path(digests[3]))
    assert not os.path.exists(blobs.path(digests[2]))
    (tmp_path / "linked").unlink()  # an orphan now (as a failed run's staged file leaves it)
    small.evict(keep_since=1_000_003)
    assert not os.path.exists(blobs.path(linked))
    store.clear()
    assert not list((store.root / cache.OUTPUTS_DIR).iterdir())


def test_nothing_is_kept_when_an_output_changed_between_being_staged_and_kept(
    tmp_path: Path, store: cache.Cache
) -> None:
    blobs = cache.Blobs(store)
    assert blobs.usable(create=True)
    names = ["a.txt", "sub/b.txt"]

    def staged() -> Staging:
        with staging(keep=blobs.hold) as stage:
            for name in names:
                stage.add(tmp_path / name, name.encode() * 100)
        return stage

    def kept(stage: Staging, held: set[str] | None = None) -> cache.Manifest | None:
        return blobs.kept(
            tmp_path, names, stage.digests, stage.kept if held is None else held, stage.committed
        )

    stage = staged()
    manifest = kept(stage)
    assert manifest is not None
    assert manifest.files == {
        name: (len(name) * 100, hashlib.sha256(name.encode() * 100).digest()) for name in names
    }
    assert manifest.trusted(str(tmp_path.resolve())) == {
        name: cache.signature(tmp_path / name) for name in names
    }
    time.sleep(0.05)  # past the clock tick of the commit
    info = (tmp_path / "a.txt").stat()
    with (tmp_path / "a.txt").open("r+b") as handle:  # in place, its mtime put back: its ctime tells
        handle.write(b"!")
    os.utime(tmp_path / "a.txt", ns=(info.st_atime_ns, info.st_mtime_ns))
    assert kept(stage) is None
    stage = staged()  # a.txt written again, b.txt left as it was
    assert kept(stage) is not None
    with (tmp_path / "sub" / "b.txt").open("ab") as handle:
        handle.write(b"!")
    assert kept(stage) is None
    stage = staged()
    (tmp_path / "new").write_bytes(b"a.txt" * 100)  # replaced by a file of the same bytes
    (tmp_path / "new").replace(tmp_path / "a.txt")
    assert kept(stage) is None
    stage = staged()
    assert kept(stage, stage.kept - {str(tmp_path / "a.txt")}) is None  # one the store refused
    assert kept(stage) is not None


def test_a_cache_on_another_file_system_keeps_copies_and_stays_correct(
    mini: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _no_links(monkeypatch)
    cold = _plan(mini, tmp_path / "cold", store)
    assert not cold.cached
    assert len(asked) == 1  # refused once, then copied without asking again
    written = _files(tmp_path / "cold")
    kept = list((store.root / cache.OUTPUTS_DIR).iterdir())
    assert {p.name for p in kept} == {hashlib.sha256(data).hexdigest() for data in written.values()}
    assert all(p.stat().st_nlink == 1 for p in kept)
    warm = _plan(mini, tmp_path / "cold", store)
    assert warm.cached
    assert _files(tmp_path / "cold") == written
    (tmp_path / "cold" / "plan.md").write_bytes(b"in place, not in the store")  # a copy: unharmed
    other = _plan(mini, tmp_path / "other", store)
    assert other.cached
    assert _files(tmp_path / "other") == written
    assert _plan(mini, tmp_path / "cold", store).cached
    assert _files(tmp_path / "cold") == written


@pytest.mark.parametrize("links", [True, False], ids=["linked", "copied"])
def test_an_output_edited_in_place_after_a_cold_run_is_written_again_and_kept_whole(
    mini: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    if not links:
        _no_links(monkeypatch)
    out = tmp_path / "out"
    _plan(mini, out, store)
    written = _files(out)
    changed = out / "plan.md"
    info = changed.stat()
    with changed.open("r+b") as handle:  # the same inode and size, even the same mtime
        handle.write(b"?")
    os.utime(changed, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert changed.stat().st_ino == info.st_ino
    assert changed.read_bytes() != written["plan.md"]
    again = _plan(mini, out, store)
    # a linked store's file was that output: damaged with it, found so, and computed again;
    # a copy is restored from
    assert again.cached is not links
    assert _files(out) == written
    size, digest = len(written["plan.md"]), hashlib.sha256(written["plan.md"]).digest()
    assert b"".join(cache.Blobs(store).pieces(digest, size)) == written["plan.md"]
    other = _plan(mini, tmp_path / "other", store)
    assert other.cached
    assert _files(tmp_path / "other") == written


# ---- a warm run's outputs


def _unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """No output is read from the store from now on (a warm run trusting its folder)."""

    def pieces(self: cache.Blobs, digest: bytes, size: int) -> Iterator[bytes]:
        raise AssertionError("read from the store")

    monkeypatch.setattr(cache.Blobs, "pieces", pieces)


def test_a_warm_run_trusts_the_files_it_wrote_and_reads_nothing_else(
    mini: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    cold = _plan(mini, out, store)
    written = _files(out)
    _unread(monkeypatch)  # a warm run into the same folder needs none
    warm = _plan(mini, out, store)
    assert warm.cached
    assert _files(out) == written
    assert [p.name for p in warm.written] == [p.name for p in cold.written]


def test_a_warm_run_rewrites_a_changed_output_restores_a_deleted_one_and_removes_stale_stacks(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path]
) -> None:
    out = tmp_path / "out"
    _plan(mini, out, store)
    written = _files(out)
    changed = out / "plan.md"
    info = changed.stat()
    edited = changed.with_suffix(".new")  # replaced, as most editors save: same size and mtime
    edited.write_bytes(b"?" + written["plan.md"][1:])
    os.utime(edited, ns=(info.st_atime_ns, info.st_mtime_ns))
    edited.replace(changed)
    assert changed.read_bytes() != written["plan.md"]
    (out / "analysis.json").unlink()
    stacks = next((out / "stacks").iterdir())
    stale = stacks / "old-project"
    stale.mkdir()
    (stale / "resources.json").write_text("{}\n", encoding="utf-8")  # an earlier emission's
    warm = _plan(mini, out, store)
    assert warm.cached
    assert len(loads) == 1
    assert not stale.exists()
    assert _files(out) == written
    again = _plan(mini, out, store)  # what it wrote is trusted again
    assert again.cached
    assert _files(out) == written


def test_a_warm_run_into_another_folder_writes_everything_and_trusts_it_next_time(
    mini: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(mini, tmp_path / "a", store)
    assert _plan(mini, tmp_path / "b", store).cached
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    _unread(monkeypatch)
    assert _plan(mini, tmp_path / "b", store).cached  # its files were remembered too
    assert _plan(mini, tmp_path / "a", store).cached
    assert _files(tmp_path / "b") == _files(tmp_path / "a")


@pytest.mark.parametrize("damage", ["flipped", "truncated", "gone"])
def test_a_damaged_kept_output_falls_back_to_computing(
    mini: Path, tmp_path: Path, store: cache.Cache, loads: list[Path], damage: str
) -> None:
    _plan(mini, tmp_path / "cold", store)
    expected = _files(tmp_path / "cold")
    for blob in (store.root / cache.OUTPUTS_DIR).iterdir():  # hard links of cold's files
        data = blob.read_bytes()
        if damage == "flipped" and data:
            blob.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        elif damage == "truncated":
            blob.write_bytes(data[: len(data) // 2])
        elif damage == "gone":
            blob.unlink()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep-me.txt").write_text("mine\n", encoding="utf-8")
    rebuilt = _plan(mini, tmp_path / "out", store)
    assert not rebuilt.cached
    assert len(loads) == 1  # the ledger came from the cache; the outputs were computed again
    assert _files(tmp_path / "out") == {**expected, "keep-me.txt": b"mine\n"}
    fresh = _plan(mini, tmp_path / "fresh", store)  # and the outputs are kept again
    assert fresh.cached
    assert _files(tmp_path / "fresh") == expected


def test_a_warm_run_computes_its_objects_only_when_asked(
    mini: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _plan(mini, tmp_path / "cold", store)
    built = _counting(monkeypatch, "build")
    warm = _plan(mini, tmp_path / "warm", store)
    assert warm.cached
    assert pipeline.printed(warm, "en") == pipeline.printed(cold, "en")
    assert built == []
    assert warm.plan is not None
    assert cold.plan is not None
    assert warm.plan.decisions == cold.plan.decisions
    assert warm.baseline == cold.baseline
    assert warm.baseline_rules == cold.baseline_rules
    assert warm.summary == cold.summary
    assert len(built) == 1  # once for all of them
    assert warm.stacks == cold.stacks == []
    assert warm.projects == cold.projects


def test_the_objects_of_a_warm_run_are_not_made_from_a_ledger_changed_since(
    mini: Path, tmp_path: Path, store: cache.Cache
) -> None:
    _plan(mini, tmp_path / "cold", store)
    warm = _plan(mini, tmp_path / "warm", store)
    for entry in store.root.glob("*.entry"):
        entry.unlink()
    _edit("region.yaml")(mini)
    with pytest.raises(pipeline.ChangedSince):
        _ = warm.plan


def test_plan_prints_and_writes_the_same_warm_as_cold(tmp_path: Path, private_cache: Path) -> None:
    """Expired waivers (named, and a classified system's counted), the annex, the exit code."""
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    secret = next(s for s in ledger.systems.values() if s.classified)
    plain = next(s for s in ledger.systems.values() if not s.classified)
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n"
        f"  - {{rule: backup-local, target: {secret.id}, reason: r, approver: 张工, ticket: T-2, expires: 2020-01-01}}\n"
        f"  - {{rule: backup-local, target: {plain.id}, reason: r, approver: 张工, ticket: T-3, expires: 2020-01-01}}\n",
        encoding="utf-8",
    )

    def plan(annex: str, *extra: str) -> tuple[int, str, str, bytes]:
        result = CliRunner().invoke(
            cli,
            [
                *("plan", "--out", str(tmp_path / "out"), "--waivers", str(waivers), "--lang", "en"),
                *("--classified-annex", str(tmp_path / annex), *extra),
            ],
        )
        return result.exit_code, result.stdout, result.stderr, (tmp_path / annex).read_bytes()

    cold = plan("cold.md", "--allow-expired-waivers")
    assert cold[0] == 0, cold
    assert secret.id.encode() in cold[3]
    assert plain.id in cold[2]
    assert "1 waivers of classified systems have expired" in cold[2]
    assert list(private_cache.glob("*.entry"))
    warm = plan("warm.md", "--allow-expired-waivers")
    assert warm == (cold[0], cold[1], cold[2].replace("cold.md", "warm.md"), cold[3])
    gated = plan("gated.md")
    assert gated[0] == 1
