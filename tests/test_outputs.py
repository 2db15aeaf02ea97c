"""Outputs are replaced atomically, readable by others, and canonical."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud import outputs


def test_write_atomic_replaces_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "子目录" / "报告.json"
    outputs.write_atomic(target, "一")
    outputs.write_atomic(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    assert [p.name for p in target.parent.iterdir()] == ["报告.json"]


def test_new_files_get_the_usual_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        outputs.write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")

    def boom(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        outputs.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_json_text_is_sorted_and_keeps_chinese() -> None:
    assert outputs.json_text({"b": 1, "a": "海岳"}) == '{\n  "a": "海岳",\n  "b": 1\n}\n'


def test_write_many_writes_what_changed_and_leaves_the_rest(tmp_path: Path) -> None:
    same, changed, new = tmp_path / "same.json", tmp_path / "changed.json", tmp_path / "子" / "new.json"
    same.write_text("一", encoding="utf-8")
    changed.write_text("旧", encoding="utf-8")
    os.utime(same, (1_000_000, 1_000_000))
    seen: list[tuple[int, int]] = []
    written = outputs.write_many(
        [(same, "一"), (changed, "新"), (new, b"bytes")], lambda d, t: seen.append((d, t))
    )
    assert written == [changed, new]
    assert same.stat().st_mtime == 1_000_000  # untouched
    assert changed.read_text(encoding="utf-8") == "新"
    assert new.read_bytes() == b"bytes"
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert not list(tmp_path.rglob("*.tmp"))


def test_write_many_replaces_nothing_when_one_file_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("old a", encoding="utf-8")
    second.write_text("old b", encoding="utf-8")
    real = outputs.tempfile.mkstemp
    calls = []

    def fail_second(*args: object, **kwargs: object) -> tuple[int, str]:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(outputs.tempfile, "mkstemp", fail_second)
    with pytest.raises(OSError, match="disk full"):
        outputs.write_many([(first, "new a"), (second, "new b")])
    assert first.read_text(encoding="utf-8") == "old a"
    assert second.read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec="utf-8"))
)
_json_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        | st.dictionaries(st.integers() | st.floats(allow_nan=False) | st.booleans(), inner, max_size=3)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_json_text_is_exactly_what_json_dumps_indents(value: object) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert outputs.json_text(value) == expected


def test_json_text_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        outputs.json_text({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        outputs.json_text({("a",): 1})


def _lazy(value: object) -> object:
    """``value`` with every list written as a :class:`outputs.JsonArray` of a generator."""
    if isinstance(value, list):
        return outputs.JsonArray(_lazy(v) for v in value)
    if isinstance(value, dict):
        return {k: _lazy(v) for k, v in value.items()}
    return value


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_json_bytes_and_lazy_arrays_write_the_same_text(value: object) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert outputs.json_bytes(value) == expected.encode("utf-8")
    assert outputs.json_bytes(_lazy(value)) == expected.encode("utf-8")


def test_json_bytes_of_a_document_larger_than_a_block() -> None:
    value = {"results": outputs.JsonArray({"id": i, "text": "海岳" * (i % 3)} for i in range(30_000))}
    plain = {"results": [{"id": i, "text": "海岳" * (i % 3)} for i in range(30_000)]}
    assert outputs.json_bytes(value) == outputs.json_text(plain).encode("utf-8")


def test_staging_renames_everything_together_or_nothing(tmp_path: Path) -> None:
    old, same = tmp_path / "a.json", tmp_path / "same.txt"
    old.write_bytes(b"old\n")
    same.write_bytes(b"kept")
    before = same.stat().st_mtime_ns

    def interrupted() -> None:
        with outputs.staging() as stage:
            stage.add(old, [b"ne", memoryview(b"w\n")])
            stage.add(tmp_path / "sub" / "b.txt", b"b")
            assert stage.read(old) == b"new\n"
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted()
    assert old.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.json", "same.txt"]
    with outputs.staging() as stage:
        stage.add(old, [b"ne", memoryview(b"w\n")])
        stage.add(same, [b"ke", b"pt"])
        stage.add(tmp_path / "sub" / "b.txt", b"b")
        assert old.read_bytes() == b"old\n"  # nothing renamed before the end
    assert old.read_bytes() == b"new\n"
    assert (tmp_path / "sub" / "b.txt").read_bytes() == b"b"
    assert same.stat().st_mtime_ns == before  # held its bytes already: not written
    assert stage.written == [old, tmp_path / "sub" / "b.txt"]


def test_a_slice_of_a_file_is_staged_and_compared_piece_by_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "PIECE", 7)
    source = tmp_path / "entry"
    source.write_bytes(b"head|" + "海岳省".encode() * 10 + b"|tail")
    target = tmp_path / "out" / "a.txt"
    with source.open("rb") as handle:
        part = outputs.Slice(handle, 5, 90)
        with outputs.staging() as stage:
            stage.add(target, part)
        assert target.read_bytes() == "海岳省".encode() * 10
        before = target.stat().st_mtime_ns
        with outputs.staging() as stage:
            stage.add(target, part)
        assert stage.written == []  # held its bytes already
        assert target.stat().st_mtime_ns == before
        with pytest.raises(OSError, match="shorter"):
            list(outputs.Slice(handle, 90, 100).pieces())


@settings(max_examples=300, deadline=None)
@given(_json_values, st.integers(1, 64))
def test_json_blocks_write_the_same_text_in_blocks(value: object, size: int) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert b"".join(outputs.json_blocks(_lazy(value), size)) == expected.encode("utf-8")
    assert b"".join(outputs.json_blocks({"a": _lazy(value), "b": [1, _lazy([value])]}, size)) == (
        json.dumps({"a": value, "b": [1, [value]]}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")


def test_a_stream_is_staged_and_not_written_when_the_target_holds_it(tmp_path: Path) -> None:
    target = tmp_path / "big.json"
    with outputs.staging() as stage:
        stage.add(target, iter([b"a" * 10, b"b"]))
    assert target.read_bytes() == b"a" * 10 + b"b"
    before = target.stat().st_mtime_ns
    with outputs.staging() as stage:
        stage.add(target, iter([b"a" * 10, b"b"]))
        assert stage.read(target) == b"a" * 10 + b"b"
    assert stage.written == []
    assert target.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == ["big.json"]
    with outputs.staging() as stage:
        stage.add(target, iter([b"a" * 10, b"c"]))
    assert target.read_bytes() == b"a" * 10 + b"c"
