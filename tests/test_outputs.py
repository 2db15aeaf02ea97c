"""Outputs are replaced atomically, readable by others, and canonical."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
