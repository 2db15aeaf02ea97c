"""The sample's plan outputs, made once for the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud.pipeline import run_plan
from govcloud.samples import default_inventory


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``govcloud plan`` of the sample province, in Chinese (its folder of outputs)."""
    out = tmp_path_factory.mktemp("sample-plan")
    run = run_plan(default_inventory(), out, "zh")
    assert run.plan is not None
    return out
