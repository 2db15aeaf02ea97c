"""Shared fixtures: the small valid ledger in ``tests/fixtures/mini``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# a message id missing from a catalogue raises in the tests instead of falling back to English
os.environ["GOVCLOUD_STRICT_MESSAGES"] = "1"

FIXTURES = Path(__file__).parent / "fixtures"
#: what `govcloud plan --out DIR` writes at the top of DIR
PLAN_OUTPUTS = [
    "analysis.json",
    "analysis.md",
    "baseline.json",
    "baseline.md",
    "baseline.sarif",
    "ledger-summary.json",
    "ledger-summary.md",
    "plan.json",
    "plan.md",
    "report.html",
    "stacks",
    "topology.json",
]
MINI = FIXTURES / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the mini ledger that a test may change."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty warm cache, never the user's (``govcloud plan`` caches)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("GOVCLOUD_CACHE_DIR", str(folder))
    return folder
