"""Shared fixtures: the small valid ledger in ``tests/fixtures/mini``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the mini ledger that a test may change."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target
