"""Thresholds are configuration: defaults documented, overrides checked."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from govcloud.analysis.config import ConfigError, Thresholds, load_thresholds, with_overrides

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysis.md"


def test_documented_defaults_match_the_code() -> None:
    rows = dict(
        re.findall(r"^\| `(\w+)` \| ([\d.]+) \|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    )
    defaults = {f.name: f.default for f in dataclasses.fields(Thresholds) if f.name != "keep_apart"}
    assert set(rows) == set(defaults)
    for name, value in defaults.items():
        assert float(rows[name]) == value, name


def test_overrides_keep_types(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("analysis:\n  room_small_racks: 8.0\n  idle_cpu_p95_pct: 3\n", encoding="utf-8")
    th = load_thresholds(path)
    assert th.room_small_racks == 8
    assert isinstance(th.room_small_racks, int)
    assert th.idle_cpu_p95_pct == 3.0
    assert load_thresholds(None) == Thresholds()


@pytest.mark.parametrize(
    "values", [{"nope": 1}, {"room_small_racks": True}, {"room_small_racks": -1}, {"room_small_racks": "8"}]
)
def test_bad_overrides(values: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="analysis\\."):
        with_overrides(Thresholds(), values, "t.yaml")


def test_missing_section_or_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="analysis:"):
        load_thresholds(path)
    with pytest.raises(ConfigError):
        load_thresholds(tmp_path / "missing.yaml")


def test_keep_apart_is_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("analysis:\n  same_asset_min_score: 0.7\n  keep_apart:\n    - [b, a]\n", encoding="utf-8")
    th = load_thresholds(path)
    assert th.keep_apart == (("a", "b"),)
    assert th.same_asset_min_score == 0.7
    assert th.to_json()["keep_apart"] == [["a", "b"]]


@pytest.mark.parametrize("value", ["[a, b]", "[[a]]", "[[a, 1]]", "x"])
def test_bad_keep_apart(tmp_path: Path, value: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(f"analysis:\n  keep_apart: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="keep_apart"):
        load_thresholds(path)
