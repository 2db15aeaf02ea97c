"""A forked child stages outputs that the parent renames into place with its own, or removes
with them: on success, on the child's error, on the parent's, and when it is cancelled."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from govcloud import forked
from govcloud.outputs import Staging, staging


def _debris(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp"))


def test_what_the_child_stages_is_renamed_into_place_with_the_parents_own(tmp_path: Path) -> None:
    (tmp_path / "same.txt").write_bytes(b"unchanged")

    def work(stage: Staging) -> dict[str, list[str]]:
        stage.add(tmp_path / "sub" / "child.txt", b"from the child " + str(os.getpid()).encode())
        stage.add(tmp_path / "same.txt", b"unchanged")
        return {"children": ["sub/child.txt", "same.txt"]}

    child = forked.stage(work)
    assert child is not None
    with staging() as stage:
        stage.add(tmp_path / "parent.txt", b"from the parent")
        names = child.join(stage)
        # staged, not yet in place: readable through the staging, as the HTML report reads them
        assert not (tmp_path / "sub" / "child.txt").exists()
        assert stage.read(tmp_path / "sub" / "child.txt").startswith(b"from the child ")
        assert stage.read(tmp_path / "same.txt") == b"unchanged"
    assert names == {"children": ["sub/child.txt", "same.txt"]}
    text = (tmp_path / "sub" / "child.txt").read_bytes()
    assert text.startswith(b"from the child ")
    assert text != b"from the child " + str(os.getpid()).encode()  # written by another process
    assert (tmp_path / "parent.txt").read_bytes() == b"from the parent"
    assert _debris(tmp_path) == []
    assert [p.name for p in stage.written] == ["parent.txt", "child.txt"]


class _Refused(Exception):
    pass


def test_the_childs_error_is_raised_in_the_parent_and_nothing_it_staged_is_left(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_bytes(b"previous")

    def work(stage: Staging) -> dict[str, list[str]]:
        stage.add(tmp_path / "kept.txt", b"new")
        raise _Refused("disk full")

    child = forked.stage(work)
    assert child is not None

    def both() -> None:
        with staging() as stage:
            stage.add(tmp_path / "other.txt", b"new")
            child.join(stage)

    with pytest.raises(_Refused, match="disk full"):
        both()
    assert (tmp_path / "kept.txt").read_bytes() == b"previous"
    assert not (tmp_path / "other.txt").exists()
    assert _debris(tmp_path) == []


class _Unpicklable(Exception):
    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("not for pickling")


def test_an_error_that_cannot_cross_the_pipe_arrives_as_its_traceback(tmp_path: Path) -> None:
    def work(stage: Staging) -> dict[str, list[str]]:
        raise _Unpicklable("a lock in it")

    child = forked.stage(work)
    assert child is not None
    with pytest.raises(forked.ChildFailed, match="_Unpicklable: a lock in it"), staging() as stage:
        child.join(stage)


def test_a_child_that_dies_without_a_word_is_an_error_not_a_hang(tmp_path: Path) -> None:
    def work(stage: Staging) -> dict[str, list[str]]:
        os._exit(3)

    child = forked.stage(work)
    assert child is not None
    with pytest.raises(forked.ChildFailed, match="exit 3"), staging() as stage:
        child.join(stage)


def test_cancel_stops_the_child_and_removes_what_it_staged(tmp_path: Path) -> None:
    ready = tmp_path / "ready"

    def work(stage: Staging) -> dict[str, list[str]]:
        stage.add(tmp_path / "half.txt", b"staged before the end")
        ready.write_bytes(b"")
        time.sleep(60)
        return {"never": []}

    child = forked.stage(work)
    assert child is not None
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)
    assert not (tmp_path / "half.txt").exists()
    assert _debris(tmp_path) == []
    child.cancel()  # twice is harmless


def test_call_sends_back_a_value_larger_than_a_pipe_holds() -> None:
    child = forked.call(lambda: (os.getpid(), [str(i) for i in range(200_000)]))
    assert child is not None
    pid, items = child.result()
    assert pid == child.pid != os.getpid()
    assert items[-1] == "199999"
    assert child.result()[0] == pid  # asked again: the same value, the child long reaped


def test_call_raises_the_childs_exception() -> None:
    def work() -> int:
        raise _Refused("no such file")

    child = forked.call(work)
    assert child is not None
    with pytest.raises(_Refused, match="no such file"):
        child.result()


def test_a_background_child_yields_the_cores_to_the_parent() -> None:
    ours = os.nice(0)
    child = forked.call(lambda: os.nice(0), background=True)
    assert child is not None
    assert child.result() == min(ours + forked.BACKGROUND, 19)
    child = forked.call(lambda: os.nice(0))
    assert child is not None
    assert child.result() == ours  # the others keep the parent's priority
    assert os.nice(0) == ours  # and the parent keeps its own


def test_claims_give_each_item_to_one_process_and_every_item_to_some_process() -> None:
    claims = forked.Claims.make(400)
    assert claims is not None

    def slowly() -> list[int]:
        taken = []
        for i in claims:
            taken.append(i)
            time.sleep(0.0005)
        return taken

    child = forked.call(slowly)
    assert child is not None
    ours = slowly()
    theirs = child.result()
    assert sorted(ours + theirs) == list(range(400))  # each once, none left
    assert ours  # both sides were free at once, so both took some
    assert theirs
    assert ours == sorted(ours)
    assert theirs == sorted(theirs)
    assert list(claims) == []  # all claimed: nothing for a latecomer


def test_a_note_arrives_while_the_child_goes_on() -> None:
    note = forked.Note[dict[str, str]]()
    release = forked.Note[str]()

    def work() -> str:
        note.send({"plan.json": "/where/it/is"})
        return "done after the note" if release.receive() == "go" else "not released"

    child = forked.call(work)
    assert child is not None
    note.forked()
    assert note.receive() == {"plan.json": "/where/it/is"}  # the child is still at work
    assert child.sent is None
    release.send("go")  # (the parent may send one to the child too)
    assert child.result() == "done after the note"
    release.close()


def test_a_child_that_ends_without_its_note_gives_none_not_a_hang() -> None:
    note = forked.Note[str]()

    def work() -> None:
        raise _Refused("stopped before the note")

    child = forked.call(work)
    assert child is not None
    note.forked()
    assert note.receive() is None
    with pytest.raises(_Refused):
        child.result()
    note.close()  # closing twice is harmless
    assert note.receive() is None


def test_a_sibling_does_not_sweep_what_an_ended_child_staged(tmp_path: Path) -> None:
    """Two children stage into one folder; the first ends and is joined (reaped) while the
    second has not staged there yet. The second's first file in the folder makes it look for
    a killed run's debris: the first child's files, staged by a process that no longer exists
    and not yet renamed into place, are not debris."""
    go_read, go_write = os.pipe()

    def first(stage: Staging) -> None:
        stage.add(tmp_path / "first.txt", b"first")

    def second(stage: Staging) -> None:
        os.close(go_write)
        os.read(go_read, 1)  # until the first child is joined
        stage.add(tmp_path / "second.txt", b"second")

    one = forked.stage(first)
    two = forked.stage(second)
    assert one is not None
    assert two is not None
    os.close(go_read)
    with staging() as stage:
        one.join(stage)
        os.write(go_write, b"x")
        os.close(go_write)
        two.join(stage)
    assert (tmp_path / "first.txt").read_bytes() == b"first"
    assert (tmp_path / "second.txt").read_bytes() == b"second"
    assert _debris(tmp_path) == []


@pytest.mark.parametrize(("value", "forks"), [("1", False), (" 1 ", False), ("", True), ("2", True)])
def test_one_process_is_asked_for_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, forks: bool
) -> None:
    monkeypatch.setenv(forked.PROCESSES_VARIABLE, value)
    assert forked.forking() is forks
    child = forked.call(os.getpid)
    assert (child is not None) is forks
    if child is not None:
        assert child.result() != os.getpid()
