"""Shared fixtures: the small valid ledger in ``tests/fixtures/mini``, and the bundled sample
planned once."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from govcloud.pipeline import Planned


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


@functools.cache
def sample_planned() -> Planned:
    """The bundled sample analysed, planned and its stacks built with the default settings,
    once for the whole session: tests read it, never change it."""
    # imported here: govcloud is first imported after the environment above is set
    from govcloud.ledger import load
    from govcloud.pipeline import plan_ledger
    from govcloud.samples import default_inventory

    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return plan_ledger(ledger)


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
