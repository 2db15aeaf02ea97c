"""The pipeline's incremental work on a generated region (300 servers, a province's density):
the per-file cache is invalidated by every change that matters and by nothing else, a what-if
reuses the analysis when it does not change what is analysed, and cold, warm, incremental and
uncached runs write the same bytes, file by file."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from govcloud import baseline, cache, pipeline
from govcloud.analysis import Thresholds
from govcloud.baseline import rules as baseline_rules
from govcloud.generate import edit_servers as edit_department_file
from govcloud.generate import generate, write_region
from govcloud.pipeline import PlanRun, run_plan
from govcloud.plan import Scenario


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "region"
    write_region(generate(300, seed=11), root)
    return root


@pytest.fixture
def region(generated: Path, tmp_path: Path) -> Path:
    """A private copy of the generated region that a test may change."""
    return Path(shutil.copytree(generated, tmp_path / "region"))


@pytest.fixture
def store(tmp_path: Path) -> cache.Cache:
    return cache.Cache(tmp_path / "cache")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _count(root: Path) -> int:
    return len(list(root.rglob("*.yaml")))


DEPARTMENT = "departments/海岳省财政厅.yaml"


def edit_servers(root: Path, name: str = DEPARTMENT, servers: int = 3) -> None:
    """A realistic edit: new utilisation and memory for a few servers of one department."""
    assert edit_department_file(root / name, servers) == servers


def _uncached(region: Path, out: Path, **kwargs: object) -> PlanRun:
    return run_plan(region, out, kwargs.pop("lang", "en"), **kwargs)  # type: ignore[arg-type]


def _cached(region: Path, out: Path, store: cache.Cache, **kwargs: object) -> PlanRun:
    return run_plan(region, out, kwargs.pop("lang", "en"), cache=store, **kwargs)  # type: ignore[arg-type]


def test_cold_warm_and_incremental_runs_write_the_same_bytes(
    region: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _count(region)
    _uncached(region, tmp_path / "plain")
    cold = _cached(region, tmp_path / "cold", store)
    assert cold.reused == {"files": f"0/{files}", "ledger": "0"}
    warm = _cached(region, tmp_path / "warm", store)
    assert warm.cached
    assert warm.reused == {"run": "1"}
    assert _files(tmp_path / "cold") == _files(tmp_path / "plain")
    assert _files(tmp_path / "warm") == _files(tmp_path / "plain")

    kept = {p.name for p in (store.root / cache.OUTPUTS_DIR).iterdir()}
    edit_servers(region)
    copied: list[str] = []
    monkeypatch.setattr(cache, "_copy", lambda source, *_: copied.append(source))
    incremental = _cached(region, tmp_path / "cold", store)  # into the folder of the cold run
    monkeypatch.undo()
    assert incremental.reused == {"files": f"{files - 1}/{files}", "ledger": "0"}
    _uncached(region, tmp_path / "edited")
    assert _files(tmp_path / "cold") == _files(tmp_path / "edited")
    assert _files(tmp_path / "edited") != _files(tmp_path / "plain")  # the edit shows
    # the outputs the edit did not change were not kept again: only the new bytes were
    outputs = {p.name for p in (store.root / cache.OUTPUTS_DIR).iterdir()}
    changed = {
        name
        for name, data in _files(tmp_path / "edited").items()
        if _files(tmp_path / "plain").get(name) != data
    }
    assert kept < outputs
    assert 0 < len(outputs - kept) <= len(changed) < len(_files(tmp_path / "edited"))
    # and no output was read again to keep it: each is a hard link of the file written
    assert copied == []
    inodes: dict[str, set[int]] = {}
    for name, data in _files(tmp_path / "cold").items():
        inodes.setdefault(hashlib.sha256(data).hexdigest(), set()).add(
            (tmp_path / "cold" / name).stat().st_ino
        )
    for digest, files in inodes.items():
        assert (store.root / cache.OUTPUTS_DIR / digest).stat().st_ino in files
    again = _cached(region, tmp_path / "again", store)
    assert again.cached
    assert _files(tmp_path / "again") == _files(tmp_path / "edited")


def _rename(root: Path) -> None:
    (root / DEPARTMENT).rename(root / "departments" / "财政厅.yaml")


def _add(root: Path) -> None:
    (root / "departments" / "新增.yaml").write_text("# 空文件\n", encoding="utf-8")


def _remove(root: Path) -> None:
    (root / "prices.yaml").unlink()


#: a change to the files, and how many files are read again after it
FILE_CHANGES: list[tuple[Callable[[Path], None], int]] = [
    (edit_servers, 1),
    (_rename, 1),  # the name is in every entry's source
    (_add, 1),
    (_remove, 0),  # the others are kept; the ledger is assembled without it
]


@pytest.mark.parametrize(("change", "read"), FILE_CHANGES, ids=lambda c: getattr(c, "__name__", str(c)))
def test_a_changed_file_is_read_again_and_only_it(
    region: Path, tmp_path: Path, store: cache.Cache, change: Callable[[Path], None], read: int
) -> None:
    _cached(region, tmp_path / "out", store)
    change(region)
    files = _count(region)
    again = _cached(region, tmp_path / "out", store)
    assert not again.cached
    assert again.reused["files"] == f"{files - read}/{files}"
    plain = _uncached(region, tmp_path / "plain")
    assert again.load.problems == plain.load.problems
    assert again.load.ledger == plain.load.ledger
    if plain.summary is not None:
        assert _files(tmp_path / "out") == _files(tmp_path / "plain")


def test_a_code_change_reads_every_file_again(
    region: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cached(region, tmp_path / "out", store)
    monkeypatch.setattr(cache, "code_digest", lambda: "another version of govcloud")
    again = _cached(region, tmp_path / "out", store)
    assert again.reused == {"files": f"0/{_count(region)}", "ledger": "0"}


def test_other_thresholds_reuse_the_ledger_not_the_analysis(
    region: Path, tmp_path: Path, store: cache.Cache
) -> None:
    _cached(region, tmp_path / "out", store)
    strict = Thresholds(idle_cpu_p95_pct=30.0)
    again = _cached(region, tmp_path / "out", store, thresholds=strict)
    assert again.reused == {"ledger": "1", "as-is": "1"}
    _uncached(region, tmp_path / "plain", thresholds=strict)
    assert _files(tmp_path / "out") == _files(tmp_path / "plain")


def test_another_language_reuses_the_ledger_and_the_analysis(
    region: Path, tmp_path: Path, store: cache.Cache
) -> None:
    english = _cached(region, tmp_path / "en", store)
    chinese = _cached(region, tmp_path / "zh", store, lang="zh")
    assert not chinese.cached
    assert chinese.reused == {"ledger": "1", "analysis": "1", "as-is": "1"}
    _uncached(region, tmp_path / "plain", lang="zh")
    assert _files(tmp_path / "zh") == _files(tmp_path / "plain")
    assert english.analysis == chinese.analysis


def test_changed_baseline_rules_run_again_on_the_kept_ledger(
    region: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cached(region, tmp_path / "before", store)
    policies = Path(shutil.copytree(baseline_rules.policies_dir(), tmp_path / "policies"))
    monkeypatch.setattr(baseline_rules, "policies_dir", lambda: policies)
    monkeypatch.setattr(pipeline, "policies_dir", lambda: policies)
    rule = policies / "rules" / "backup-local.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace("local backup of every system", "a local backup")
    )
    after = _cached(region, tmp_path / "after", store)
    assert not after.cached
    assert after.reused == {"ledger": "1", "analysis": "1"}  # not the as-is baseline
    _uncached(region, tmp_path / "plain")
    assert _files(tmp_path / "after") == _files(tmp_path / "plain")
    assert (tmp_path / "before" / "baseline.md").read_bytes() != (
        tmp_path / "after" / "baseline.md"
    ).read_bytes()


def test_the_as_is_baseline_of_the_ledger_is_made_once_for_its_what_ifs_and_waivers(
    region: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept under the ledger's key and the rules: a what-if or other waivers (applied after
    the merge, whatever the day) take it from the cache; an edited ledger makes it again."""
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 10**9)  # made here, where it is seen
    waiver = baseline.Waiver("eol-os", "*", "moved", "张工", dt.date(2027, 1, 1), "w.yaml waivers[0]")
    days = (dt.date(2026, 1, 1), dt.date(2028, 1, 1))  # the waiver in force, then expired
    for today in days:
        _uncached(region, tmp_path / f"plain-{today}", waivers=[waiver], today=today)
    made: list[int] = []
    real = pipeline.baseline.ledger_part

    def spy(ledger: object, **kwargs: object) -> object:
        made.append(len(made))
        return real(ledger, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.baseline, "ledger_part", spy)
    _cached(region, tmp_path / "base", store)
    assert len(made) == 1
    what_if = Scenario(name="small waves", rules={"wave_max_servers": 20})
    run = _cached(region, tmp_path / "what-if", store, scenario=what_if, scenario_file="what-if.yaml")
    assert run.reused["as-is"] == "1"
    for today in days:
        waived = _cached(region, tmp_path / str(today), store, waivers=[waiver], today=today)
        assert waived.reused["as-is"] == "1"
        assert _files(tmp_path / str(today)) == _files(tmp_path / f"plain-{today}")
    assert len(made) == 1
    edit_servers(region)
    edited = _cached(region, tmp_path / "edited", store)
    assert "as-is" not in edited.reused
    assert len(made) == 2


#: a what-if, and whether it changes what is analysed
WHAT_IFS: list[tuple[str, Scenario, bool]] = [
    ("rules", Scenario(name="small waves", rules={"wave_max_servers": 20}), True),
    ("calendar", Scenario(name="one team", calendar={"teams": {"hy-cloud-prov": 1}}), True),
    ("keep", Scenario(name="keep", keep_departments=("hy-gat",)), True),
    ("thresholds", Scenario(name="idle", analysis={"idle_cpu_p95_pct": 30}), False),
    ("prices", Scenario(name="cheaper lines", prices={"extranet_mbps_month_cny": 20}), False),
    ("targets", Scenario(name="bigger", targets={"resize": {"hy-cloud-prov": {"vcpus": 90000}}}), False),
    # the lines that end at the node removed end at its address instead
    ("removed", Scenario(name="one node", targets={"remove": ["hz-cloud-city"]}), False),
]


@pytest.mark.parametrize(
    ("what_if", "reuses"), [(s, r) for _, s, r in WHAT_IFS], ids=[n for n, _, _ in WHAT_IFS]
)
def test_a_what_if_reuses_the_analysis_when_it_does_not_change_it(
    region: Path, tmp_path: Path, store: cache.Cache, what_if: Scenario, reuses: bool
) -> None:
    _cached(region, tmp_path / "base", store)
    run = _cached(region, tmp_path / "what-if", store, scenario=what_if, scenario_file="what-if.yaml")
    # the as-is baseline of what depends on the ledger alone changes with what changes the
    # ledger (prices and targets), with no other what-if
    same = not (what_if.prices or what_if.targets)
    assert run.reused == ({"ledger": "1", "analysis": "1"} if reuses else {"ledger": "1"}) | (
        {"as-is": "1"} if same else {}
    )
    _uncached(region, tmp_path / "plain", scenario=what_if, scenario_file="what-if.yaml")
    assert _files(tmp_path / "what-if") == _files(tmp_path / "plain")
    again = _cached(region, tmp_path / "again", store, scenario=what_if, scenario_file="what-if.yaml")
    assert again.cached


class _Parts:
    """A part store in memory, keyed as :class:`govcloud.cache.FileParts` is."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, bytes], object] = {}

    def has(self, name: str, data: bytes) -> bool:
        return (name, data) in self.kept

    def get(self, name: str, data: bytes) -> object:
        return self.kept.get((name, data))

    def put(self, name: str, data: bytes, part: object) -> None:
        self.kept[(name, data)] = part


def test_a_file_kept_from_a_folder_is_named_afresh_when_loaded_alone(generated: Path) -> None:
    """The same file read as part of the ledger's folder and as a one-file ledger is named
    relative to a different root; the kept part must not carry the folder's name over."""
    from govcloud.ledger import load

    parts = _Parts()
    whole = load(generated, parts=parts)  # type: ignore[arg-type]
    assert whole.ledger is not None
    in_folder = {d.source.relative for d in whole.ledger.departments.values()}
    assert DEPARTMENT in in_folder
    load(generated / DEPARTMENT, parts=parts)  # type: ignore[arg-type]
    relatives = {
        item.source.relative
        for part in parts.kept.values()
        for item in part.items  # type: ignore[attr-defined]
        if item.source.file.endswith(Path(DEPARTMENT).name)
    }
    assert relatives == {DEPARTMENT, Path(DEPARTMENT).name}


def _no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_entries_written_beside_the_run_are_there_when_it_returns(
    region: Path, tmp_path: Path, store: cache.Cache
) -> None:
    """The ledger, the files' parts and the analysis are kept by forked children while the run
    goes on; each is waited for, so the very next run finds them all."""
    first = run_plan(region, tmp_path / "out", "en", cache=store)
    assert first.reused == {"files": f"0/{_count(region)}", "ledger": "0"}
    assert _no_child_left()
    other = run_plan(region, tmp_path / "other", "en", cache=store, thresholds=Thresholds(idle_cpu_p95_pct=9))
    assert other.reused["ledger"] == "1"
    edit_servers(region)
    edited = run_plan(region, tmp_path / "out", "zh", cache=store)
    assert edited.reused["files"] == f"{_count(region) - 1}/{_count(region)}"
    language = run_plan(region, tmp_path / "out", "en", cache=store)
    assert language.reused == {"ledger": "1", "analysis": "1", "as-is": "1"}
    assert _no_child_left()


def test_an_error_after_loading_stops_the_entries_children(
    region: Path, tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> object:
        raise RuntimeError("planning failed")

    monkeypatch.setattr(pipeline, "build", refused)
    with pytest.raises(RuntimeError, match="planning failed"):
        run_plan(region, tmp_path / "out", "en", cache=store)
    assert _no_child_left()
    assert not (tmp_path / "out").exists()
