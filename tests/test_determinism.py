"""Same input, same bytes out: across runs, hash seeds and the order files sit on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI, PLAN_OUTPUTS


def _plan(inventory: Path, out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "GOVCLOUD_LANG": "zh"}
    subprocess.run(
        [sys.executable, "-m", "govcloud", "plan", str(inventory), "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_outputs_do_not_depend_on_hash_seed_or_file_order(tmp_path: Path) -> None:
    first = _plan(MINI, tmp_path / "a", "0")
    second = _plan(MINI, tmp_path / "b", "12345")
    # the same ledger with its department files renamed (so they are read in another order)
    shuffled = tmp_path / "shuffled"
    shutil.copytree(MINI, shuffled)
    depts = shuffled / "departments"
    for i, path in enumerate(sorted(depts.iterdir(), reverse=True)):
        path.rename(depts / f"{i:02d}-{path.name}")
    third = _plan(shuffled, tmp_path / "c", "999")
    top = sorted({name.split("/")[0] for name in first})
    assert top == PLAN_OUTPUTS
    assert any(name.endswith("wave1/resources.json") for name in first)
    assert first == second
    # the baseline (and the report, which shows it) cites the files its findings come from,
    # which were renamed; all else is equal
    cites = ("baseline.", "report.html")
    assert {k: v for k, v in first.items() if not k.startswith(cites)} == {
        k: v for k, v in third.items() if not k.startswith(cites)
    }
    # and where the ledger sits on disk does not matter
    elsewhere = tmp_path / "别处" / "台账"
    shutil.copytree(MINI, elsewhere)
    assert _plan(elsewhere, tmp_path / "d", "7") == first
