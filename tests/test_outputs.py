"""Outputs are replaced atomically, readable by others, and canonical."""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
from collections.abc import Callable, Iterator
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
    real = outputs._create
    calls = []

    def fail_second(path: Path) -> tuple[int, str]:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(path)

    monkeypatch.setattr(outputs, "_create", fail_second)
    with pytest.raises(OSError, match="disk full"):
        outputs.write_many([(first, "new a"), (second, "new b")])
    assert first.read_text(encoding="utf-8") == "old a"
    assert second.read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


#: the floats orjson writes otherwise than repr (1e-05 as 0.00001, 1e-07 as 1e-7), their
#: neighbours, NaN and the infinities (null in orjson), and the extremes
_odd_floats = st.sampled_from(
    [
        *(1e-05, 1e-07, 1e-09, 1e-10, 9.999999999999999e-05, 1e-4, 1e-3, 1e16, 1e22, -1e-06, 5e-324),
        *(1.7976931348623157e308, -0.0, float("nan"), float("inf"), float("-inf")),
    ]
)
_floats = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=1e-11, max_value=1e-3).flatmap(lambda x: st.sampled_from([x, -x]))
    | _odd_floats
)
#: whole numbers about and beyond 64 bits (orjson refuses those beyond)
_ints = (
    st.integers()
    | st.integers(-(2**65), 2**65)
    | st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63) - 1])
)
#: control characters, CJK, U+2028/2029 (not escaped by json.dumps) and the texts orjson's
#: float checks look for, so that a text holding them is tried too
_texts = st.text(alphabet=st.characters(codec="utf-8")) | st.lists(
    st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "/", "\u2028", "\u2029", "海岳省", "é", "\t", "\n"])
    | st.sampled_from(["0.0000", "e-6,", "e-7\n", "null", " ", "𝄞"]),
    max_size=6,
).map("".join)
_scalars = st.none() | st.booleans() | _ints | _floats | _texts
_json_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        | st.dictionaries(_texts, inner, max_size=4)
        | st.dictionaries(_ints | st.floats(allow_nan=False) | st.booleans(), inner, max_size=3)
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


def _sha(path: Path) -> tuple[int, bytes]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).digest()


def test_staging_hashes_every_file_from_the_bytes_passing_through(tmp_path: Path) -> None:
    """Bytes, chunks and a stream, written or left alone: each file's size and SHA-256 as
    staged are those of the file committed, and it is the same file (mtime, inode, device)."""
    (tmp_path / "same-bytes.txt").write_bytes(b"already here")
    (tmp_path / "same-stream.txt").write_bytes(b"x" * 5000 + b"y")
    (tmp_path / "changed.txt").write_bytes(b"old")
    told: dict[str, tuple[str, outputs.Digest]] = {}

    def keep(where: str, digest: outputs.Digest) -> bool:
        assert _sha(Path(where)) == digest[:2]  # where the bytes are when it is told
        told[where] = (where, digest)
        return "refused.txt" not in where

    files: dict[str, bytes | list[bytes] | Iterator[bytes]] = {
        "bytes.txt": "海岳".encode() * 1000,
        "chunks.txt": [b"a" * 3000, memoryview(b"b" * 7), b""],
        "stream.txt": iter([b"s" * 4096, b"t", b"u" * 70000]),
        "empty.txt": b"",
        "same-bytes.txt": b"already here",
        "same-stream.txt": iter([b"x" * 5000, b"y"]),
        "changed.txt": b"new",
        "refused.txt": b"not kept",
    }
    with outputs.staging(keep=keep) as stage:
        for name, data in files.items():
            stage.add(tmp_path / "sub" / name if name == "bytes.txt" else tmp_path / name, data)  # type: ignore[arg-type]
        left = {str(tmp_path / "same-bytes.txt"), str(tmp_path / "same-stream.txt")}
        assert left <= set(told)  # the targets that already held their bytes: told as themselves
        assert sum(where.endswith(".tmp") for where in told) == len(files) - len(left)
    assert {p.name for p in stage.written} == set(files) - {"same-bytes.txt", "same-stream.txt"}
    assert stage.committed >= max(os.stat(p).st_ctime_ns for p in stage.digests)
    for name in files:
        path = tmp_path / "sub" / name if name == "bytes.txt" else tmp_path / name
        digest = stage.digests[str(path)]
        info = path.stat()
        assert digest == (*_sha(path), info.st_mtime_ns, info.st_ino, info.st_dev)
    assert stage.kept == set(stage.digests) - {str(tmp_path / "refused.txt")}
    plain = outputs.Staging()  # not asked for: nothing hashed
    plain.add(tmp_path / "plain.txt", b"plain")
    plain.commit()
    assert plain.digests == {}
    assert plain.kept == set()


def test_a_staging_hands_its_files_and_digests_over_to_another(tmp_path: Path) -> None:
    theirs = outputs.Staging(hashed=True)
    theirs.add(tmp_path / "theirs.txt", b"theirs")
    handover = theirs.handover()
    with outputs.staging(hashed=True) as ours:
        ours.add(tmp_path / "ours.txt", b"ours")
        ours.adopt(handover)
    assert (tmp_path / "theirs.txt").read_bytes() == b"theirs"
    assert set(ours.digests) == {str(tmp_path / "ours.txt"), str(tmp_path / "theirs.txt")}
    assert ours.digests[str(tmp_path / "theirs.txt")][:2] == _sha(tmp_path / "theirs.txt")


def _spied(monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], list[object]]:
    """The containers split from now on because orjson would not write them as json.dumps
    does, and the values the hand-written encoder is given."""
    split: list[object] = []
    seen: list[object] = []
    encode, split_ = outputs._encode, outputs._split

    def spy(value: object, indent: str, out: Callable[[str], object]) -> None:
        seen.append(value)
        encode(value, indent, out)

    def spy_split(value: object, indent: bytes) -> bytes:
        split.append(value)
        return split_(value, indent)

    monkeypatch.setattr(outputs, "_encode", spy)
    monkeypatch.setattr(outputs, "_split", spy_split)
    return split, seen


def test_orjson_writes_an_ordinary_document_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    split, seen = _spied(monkeypatch)
    value = {"b": [1, 2.5, None, True, "海岳\u2028\x00"], "a": {"x": [], "y": {}, "z": 1e-4}, "c": 1e16}
    # keys sorted by code point across the planes (U+FFFF before U+1D11E, unlike UTF-16)
    value["keys"] = {"\uffff": 1, "𝄞": 2, "\ue000": 3, "a": 4, "é": 5, "海": 6, "": 7, "A": 8}
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert outputs.json_text(value) == expected
    assert outputs.json_bytes(value) == expected.encode("utf-8")
    assert b"".join(outputs.json_blocks({"r": outputs.JsonArray(iter([value, value]))}, 16)) == (
        json.dumps({"r": [value, value]}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    assert split == []
    assert seen == []


@pytest.mark.parametrize(
    "odd",
    [
        1e-05,  # orjson: 0.00001
        -9.5e-07,  # orjson: -9.5e-7
        float("nan"),  # orjson: null
        float("-inf"),
        2**64,  # orjson refuses it
        -(2**63) - 1,
        {3: [1, 2], 1: {"a": "b"}},  # keys that are no text: orjson refuses them
    ],
)
def test_the_hand_written_encoder_writes_only_what_orjson_would_not(
    monkeypatch: pytest.MonkeyPatch, odd: object
) -> None:
    split, seen = _spied(monkeypatch)
    big = {f"k{i}": {"list": list(range(5)), "text": "海岳" * i, "none": None} for i in range(20)}
    value = {"big": big, "deep": [{"odd": odd, "plain": [1, 2, 3]}], "more": [None, "x"]}
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    streamed = {"big": big, "deep": outputs.JsonArray(iter(value["deep"])), "more": [None, "x"]}
    writers: list[Callable[[], bytes]] = [
        lambda: outputs.json_text(value).encode("utf-8"),
        lambda: b"".join(outputs.json_blocks(streamed, 64)),
    ]
    for write in writers:
        assert write() == expected.encode("utf-8")
        # the odd value alone, not the containers around it nor their other items
        assert repr(seen) == repr([] if isinstance(odd, dict) else [odd])
        assert any(part is value["deep"][0] for part in split)
        assert not any(part is big or part is value["more"] for part in split)
        if isinstance(odd, dict):
            assert split[-1] is odd
        split.clear()
        seen.clear()


def test_a_lone_surrogate_is_written_as_json_dumps_writes_it() -> None:
    value = {"a": ["\ud800", 1]}
    assert outputs.json_text(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    with pytest.raises(UnicodeEncodeError):
        outputs.json_bytes(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(_floats | _ints | st.none() | _texts, max_size=8))
def test_non_finite_floats_are_found_in_marshals_bytes(values: list[object]) -> None:
    # every NaN and infinity is found; other bytes may look like one now and then (-25 then
    # -1 do), which only sends the container to the hand-written encoder
    if not all(not isinstance(v, float) or math.isfinite(v) for v in values):
        assert outputs._non_finite(values)
        assert outputs._fast(values) is None


def test_every_nan_is_found_and_what_marshal_cannot_write_is_suspect() -> None:
    payload = struct.unpack("<d", b"\x01\x00\x00\x00\x00\x00\xf1\xff")[0]  # a NaN of its own bits
    assert math.isnan(payload)
    assert outputs._non_finite({"a": [1, {"b": payload}]})
    shared = float("inf")
    assert outputs._non_finite([shared, shared, -shared])
    assert not outputs._non_finite([1.7976931348623157e308, -1.7976931348623157e308, 32752, -1, -129, 2**70])
    assert outputs._non_finite([outputs.JsonArray([])])  # cannot tell: taken for one


def test_a_streamed_document_is_made_in_blocks_of_about_the_size_asked() -> None:
    item = {"id": 1, "text": "海岳" * 40, "values": [1.5, None, "x"]}
    one = len(outputs.json_bytes(item)) + 8  # with its separator and indentation
    blocks = list(outputs.json_blocks({"results": outputs.JsonArray(item for _ in range(6000))}, 1 << 14))
    assert len(blocks) > 10
    # a block closes once it holds the size asked: at most one batch of items beyond it
    assert all(len(block) < (1 << 14) + outputs._BATCH * one for block in blocks)
    assert b"".join(blocks) == outputs.json_bytes({"results": [item] * 6000})


def test_a_staged_file_has_the_targets_mode_or_the_umasks_and_its_folder_is_made(tmp_path: Path) -> None:
    kept = tmp_path / "kept.sh"
    kept.write_bytes(b"old")
    kept.chmod(0o750)
    umask = os.umask(0o027)
    try:
        outputs.write_many([(kept, "new"), (tmp_path / "deep" / "er" / "new.txt", "new")])
    finally:
        os.umask(umask)
    assert kept.stat().st_mode & 0o777 == 0o750  # an existing file keeps its mode
    assert (tmp_path / "deep" / "er" / "new.txt").stat().st_mode & 0o777 == 0o640  # 0666 less the umask
    assert sorted(p.name for p in (tmp_path / "deep" / "er").iterdir()) == ["new.txt"]


def test_temporary_names_are_unique_and_read_as_this_process_debris(tmp_path: Path) -> None:
    names = set()
    for _ in range(3):
        fd, name = outputs._create(tmp_path / "a.json")
        os.close(fd)
        names.add(name)
    assert len(names) == 3
    for name in names:
        match = outputs._DEBRIS.match(Path(name).name)
        assert match is not None
        assert int(match["pid"]) == os.getpid()
