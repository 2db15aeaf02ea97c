"""``scripts/measure_findings.py``: seeds are given one by one or as ranges, and the script
prints precision and recall for every finding kind."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def measure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("measure_script", ROOT / "scripts" / "measure_findings.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["measure_script"] = module
    spec.loader.exec_module(module)
    return module


def test_seeds_are_one_or_an_inclusive_range(measure: ModuleType) -> None:
    assert list(measure._seeds("7")) == [7]
    assert list(measure._seeds("11-14")) == [11, 12, 13, 14]
    for wrong in ("5-3", "a", "1-b", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            measure._seeds(wrong)


def test_the_script_prints_every_kind_for_a_range(
    measure: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["measure_findings.py", "2-3", "--departments", "5", "--servers", "4"])
    measure.main()
    out = capsys.readouterr().out
    assert out.startswith("2 seeds, 5 departments, 4 servers each")
    for kind in measure.KINDS:
        assert f"\n{kind} " in out
