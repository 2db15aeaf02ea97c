"""The main job with the plan's documents rendered by a child forked once the plan exists
(:data:`govcloud.pipeline.FORK_MIN_WAVES`), its stacks' files by another forked once they exist
(:data:`govcloud.pipeline.FORK_MIN_STACKS`), and the as-is baseline of the ledger's own
subjects made by a third (:data:`govcloud.pipeline.FORK_MIN_SERVERS`): the same bytes and
names as in one process, and an error on any side raised as in one process, leaving every
previous output intact, no temporary file and no child behind."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govcloud import cache, pipeline
from govcloud.baseline import rules as baseline_rules
from govcloud.generate import generate, write_region
from govcloud.ledger.model import Ledger
from govcloud.ledger.yamlio import YamlProblem
from govcloud.outputs import Keeper
from govcloud.pipeline import run_plan
from govcloud.plan import Scenario


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forked") / "region"
    write_region(generate(300, seed=5), root)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render every output in this process, whatever the plan's size."""
    monkeypatch.setattr(pipeline, "FORK_MIN_STACKS", 10**9)
    monkeypatch.setattr(pipeline, "FORK_MIN_WAVES", 10**9)


def _forking(
    monkeypatch: pytest.MonkeyPatch, forks: list[int], *, docs: bool = True, stacks: bool = True
) -> None:
    """Fork the renderers (the documents' and the stacks') for any plan, counting the children
    started."""
    monkeypatch.setattr(pipeline, "FORK_MIN_STACKS", 0 if stacks else 10**9)
    monkeypatch.setattr(pipeline, "FORK_MIN_WAVES", 0 if docs else 10**9)
    start = pipeline.forked.stage

    def counted(
        work: pipeline.forked.Work, keep: Keeper | None = None, *, background: bool = False
    ) -> pipeline.forked.StagingChild | None:
        child = start(work, keep, background=background)
        if child is not None:
            forks.append(child.pid)
        return child

    monkeypatch.setattr(pipeline.forked, "stage", counted)


@pytest.mark.parametrize(("docs", "stacks"), [(True, True), (True, False), (False, True)])
def test_a_forked_rendering_writes_the_same_bytes_and_names(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docs: bool, stacks: bool
) -> None:
    _alone(monkeypatch)
    alone = run_plan(region, tmp_path / "alone", "zh")
    forks: list[int] = []
    _forking(monkeypatch, forks, docs=docs, stacks=stacks)
    split = run_plan(region, tmp_path / "split", "zh")
    assert len(forks) == docs + 2 * stacks  # with the stacks' child, the findings'
    assert split.names == alone.names
    assert split.projects == alone.projects
    # the wave table was made by the child, beside the plan's documents, and reads the same
    assert set(split.tables) == {"zh"}
    assert not alone.tables
    assert pipeline.printed(split, "zh") == pipeline.printed(alone, "zh")
    assert pipeline.printed(split, "zh") is not None
    assert _files(tmp_path / "split") == _files(tmp_path / "alone")
    # again into the same folder: every file already holds its bytes and none is rewritten
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "split").rglob("*") if p.is_file()}
    again = run_plan(region, tmp_path / "split", "zh")
    assert again.names == alone.names
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "split").rglob("*") if p.is_file()} == before


def _debris(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


class _Boom(Exception):
    pass


def _fails_cleanly(
    region: Path, out: Path, monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> None:
    """After an ordinary run into ``out``, a forked run whose ``owner.name`` raises _Boom
    raises it, leaves ``out`` as it was, no temporary file and no child process."""
    run_plan(region, out, "en")
    previous = _files(out)
    forks: list[int] = []
    _forking(monkeypatch, forks)

    def refused(*args: object, **kwargs: object) -> object:
        raise _Boom(name)

    monkeypatch.setattr(owner, name, refused)
    # another language: every output the child renders differs from what the folder holds
    with pytest.raises(_Boom, match=name):
        run_plan(region, out, "zh")
    assert forks
    assert all(_gone(pid) for pid in forks)
    assert _files(out) == previous
    assert _debris(out) == []


def test_an_error_in_the_baseline_cancels_the_child_and_keeps_the_previous_outputs(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fails_cleanly(region, tmp_path / "out", monkeypatch, pipeline.baseline, "check")


def test_an_error_in_the_child_is_raised_and_keeps_the_previous_outputs(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fails_cleanly(region, tmp_path / "out", monkeypatch, pipeline, "project_files")


def test_an_error_in_the_documents_child_is_raised_and_keeps_the_previous_outputs(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fails_cleanly(region, tmp_path / "out", monkeypatch, pipeline.topology_report, "to_json")


def test_an_error_in_the_findings_child_is_raised_and_keeps_the_previous_outputs(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fails_cleanly(region, tmp_path / "out", monkeypatch, pipeline.baseline_report, "sarif")


def test_an_error_while_the_documents_child_works_stops_it(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stacks cannot be built: the child forked before them is stopped, nothing written."""
    _fails_cleanly(region, tmp_path / "out", monkeypatch, pipeline, "build_stacks")


def _entry(root: Path) -> pipeline._Entry:
    """The one run kept in the cache at ``root``."""
    runs = [
        v for p in root.glob("*.entry") if isinstance(v := cache._decode(p.read_bytes()), pipeline._Entry)
    ]
    assert len(runs) == 1
    return runs[0]


def test_a_forked_run_keeps_the_outputs_and_manifest_of_one_process(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _alone(monkeypatch)
    run_plan(region, tmp_path / "alone", "zh", cache=cache.Cache(tmp_path / "one"))
    forks: list[int] = []
    _forking(monkeypatch, forks)
    run_plan(region, tmp_path / "split", "zh", cache=cache.Cache(tmp_path / "two"))
    assert len(forks) == 3
    alone, split = _entry(tmp_path / "one"), _entry(tmp_path / "two")
    assert split.names == alone.names
    assert split.manifest.files == alone.manifest.files
    assert len(split.manifest.files) == len(_files(tmp_path / "split"))
    # every output was kept by the process that staged it, as a hard link of the file in place
    outputs = tmp_path / "two" / cache.OUTPUTS_DIR
    for name, (_, digest) in split.manifest.files.items():
        kept = outputs / digest.hex()
        assert kept.read_bytes() == (tmp_path / "split" / name).read_bytes()
        assert kept.stat().st_nlink > 1
    warm = run_plan(region, tmp_path / "warm", "zh", cache=cache.Cache(tmp_path / "two"))
    assert warm.cached
    assert _files(tmp_path / "warm") == _files(tmp_path / "alone")


# ---- the as-is baseline of the ledger's own subjects, made by a child forked after loading


def _as_is_forks(monkeypatch: pytest.MonkeyPatch, forks: list[int]) -> None:
    """Count the as-is children started."""
    start = pipeline._AsIs.start

    def counted(self: pipeline._AsIs, ledger: Ledger, scenario: Scenario, *, fork: bool = True) -> None:
        start(self, ledger, scenario, fork=fork)
        if self.child is not None:
            forks.append(self.child.pid)

    monkeypatch.setattr(pipeline._AsIs, "start", counted)


def test_the_as_is_baseline_made_by_a_child_writes_the_same_bytes(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks: list[int] = []
    _as_is_forks(monkeypatch, forks)
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 10**9)
    alone = run_plan(region, tmp_path / "alone", "en")
    assert forks == []
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 0)
    split = run_plan(region, tmp_path / "split", "en")
    assert len(forks) == 1
    assert _gone(forks[0])
    assert _files(tmp_path / "split") == _files(tmp_path / "alone")
    assert pipeline.printed(split, "en") == pipeline.printed(alone, "en")


def _broken_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policies = Path(shutil.copytree(baseline_rules.policies_dir(), tmp_path / "policies"))
    monkeypatch.setattr(baseline_rules, "policies_dir", lambda: policies)
    monkeypatch.setattr(pipeline, "policies_dir", lambda: policies)
    (policies / "rules" / "eol-os.yaml").write_text("id: eol-os\nstate: [\n", encoding="utf-8")


def test_an_error_in_the_as_is_child_is_raised_as_it_is_in_one_process(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_plan(region, tmp_path / "out", "en")
    previous = _files(tmp_path / "out")
    _broken_rules(tmp_path, monkeypatch)
    forks: list[int] = []
    _as_is_forks(monkeypatch, forks)
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 10**9)
    with pytest.raises(YamlProblem) as here:
        run_plan(region, tmp_path / "out", "zh")
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 0)
    with pytest.raises(YamlProblem) as there:
        run_plan(region, tmp_path / "out", "zh")
    assert len(forks) == 1
    assert _gone(forks[0])
    assert type(there.value) is type(here.value)
    assert str(there.value) == str(here.value)
    assert vars(there.value) == vars(here.value)  # the file, line and column named
    assert _files(tmp_path / "out") == previous
    assert _debris(tmp_path / "out") == []


def test_an_error_while_the_as_is_child_works_stops_it(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks: list[int] = []
    _as_is_forks(monkeypatch, forks)
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 0)
    stopped: list[int] = []
    stop = pipeline._AsIs.stop

    def counted(self: pipeline._AsIs) -> None:
        if self.child is not None:
            stopped.append(self.child.pid)
        stop(self)

    monkeypatch.setattr(pipeline._AsIs, "stop", counted)

    def refused(*args: object, **kwargs: object) -> object:
        raise _Boom("planning failed")

    monkeypatch.setattr(pipeline, "build", refused)
    with pytest.raises(_Boom, match="planning failed"):
        run_plan(region, tmp_path / "out", "en")
    assert stopped == forks
    assert len(forks) == 1
    assert _gone(forks[0])
    assert not (tmp_path / "out").exists()


def test_the_children_no_output_waits_for_work_in_the_background_the_plans_renderer_does_not(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's keepers, the as-is child and the renderers of the stacks' files and the
    baseline's documents are waited for long after they start; the renderer of the plan's
    documents, which report.html is drawn from, at once: all but it yield the cores."""
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 0)
    monkeypatch.setattr(pipeline, "FORK_MIN_STACKS", 0)
    monkeypatch.setattr(pipeline, "FORK_MIN_WAVES", 0)
    started: list[bool] = []
    call = pipeline.forked.call

    def counted(work: pipeline.forked.Work, *, background: bool = False) -> object:
        started.append(background)
        return call(work, background=background)

    monkeypatch.setattr(pipeline.forked, "call", counted)
    run_plan(region, tmp_path / "out", "en", cache=cache.Cache(tmp_path / "cache"))
    assert started.count(False) == 1  # the plan's documents (forked.stage calls forked.call)
    # the stacks' and the baseline's renderers, the as-is part, the keepers of the ledger and analysis
    assert started.count(True) >= 4


def test_the_stacks_go_to_whichever_process_is_free_and_the_bytes_do_not_change(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _alone(monkeypatch)
    alone = run_plan(region, tmp_path / "alone", "en")
    parent, real, ours = os.getpid(), pipeline._render_claimed, []
    began = tmp_path / "parent-claimed-one"

    def first_told(claims: Iterable[int]) -> Iterator[int]:
        for i in claims:
            began.touch()
            yield i

    def claimed(stage: Any, renderers: Any, claims: Iterable[int], *rest: Any) -> dict[int, list[str]]:
        if os.getpid() != parent:
            # the children late to the stacks: this process takes one before they take any
            deadline = time.monotonic() + 60
            while not began.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            return real(stage, renderers, claims, *rest)
        names = real(stage, renderers, first_told(claims), *rest)
        ours.append(len(names))
        return names

    monkeypatch.setattr(pipeline, "_render_claimed", claimed)
    _forking(monkeypatch, [])
    split = run_plan(region, tmp_path / "split", "en")
    assert len(alone.projects) > 1
    assert len(ours) == 1
    assert ours[0] > 0  # this process rendered some of the stacks
    assert split.names == alone.names
    assert _files(tmp_path / "split") == _files(tmp_path / "alone")


@pytest.mark.parametrize("early", [True, False])
def test_the_report_is_drawn_while_the_stacks_render_or_after_them_the_same(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    """report.html is drawn from the child's documents where it staged them, before the
    stacks are done; when they cannot be read (the child stopped), after the child is
    joined: the same bytes either way."""
    _alone(monkeypatch)
    alone = run_plan(region, tmp_path / "alone", "en")
    _forking(monkeypatch, [])
    real, drawn = pipeline._report_early, []

    def watched(stage: Any, theirs: dict[str, str] | None, *args: Any) -> bool:
        assert theirs is not None  # the child sent where its documents are
        if not early:
            theirs = {target: str(tmp_path / "gone") for target in theirs}
        drawn.append(real(stage, theirs, *args))
        return drawn[-1]

    monkeypatch.setattr(pipeline, "_report_early", watched)
    split = run_plan(region, tmp_path / "split", "en")
    assert drawn == [early]
    assert split.names == alone.names
    assert _files(tmp_path / "split") == _files(tmp_path / "alone")
    assert _debris(tmp_path / "split") == []


def test_one_process_when_asked_writes_the_same_bytes_and_forks_nothing(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GOVCLOUD_PROCESSES=1 (a machine short of memory): no child at all, not for loading,
    keeping, checking ahead nor rendering; the same outputs, and the same cache entry a warm
    run reads back."""
    _forking(monkeypatch, [])
    monkeypatch.setattr(pipeline, "FORK_MIN_SERVERS", 0)
    split = run_plan(region, tmp_path / "split", "en", cache=cache.Cache(tmp_path / "two"))
    monkeypatch.setenv("GOVCLOUD_PROCESSES", "1")

    def refused() -> int:
        raise AssertionError("forked although one process was asked for")

    monkeypatch.setattr(pipeline.forked.os, "fork", refused)
    alone = run_plan(region, tmp_path / "alone", "en", cache=cache.Cache(tmp_path / "one"))
    assert alone.names == split.names
    assert _files(tmp_path / "alone") == _files(tmp_path / "split")
    warm = run_plan(region, tmp_path / "warm", "en", cache=cache.Cache(tmp_path / "one"))
    assert warm.cached
    assert _files(tmp_path / "warm") == _files(tmp_path / "split")
