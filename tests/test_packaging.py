"""A wheel carries the sample, the policies and the schema, and `govcloud plan` works from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("govcloud-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "govcloud/py.typed" in names
    assert "govcloud/ledger/ledger.schema.json" in names
    assert {
        "govcloud/locale/zh/LC_MESSAGES/govcloud.po",
        "govcloud/locale/en/LC_MESSAGES/govcloud.po",
    } <= names
    assert "govcloud/_bundled/inventories/haiyue/region.yaml" in names
    assert any(n.startswith("govcloud/_bundled/policies/") for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_plan_from_a_non_editable_install(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(site), "GOVCLOUD_LANG": "en"}
    work = tmp_path / "elsewhere"  # not the checkout, so only the installed copy can be found
    work.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "govcloud", "plan", "--out", "out"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((work / "out" / "ledger-summary.json").read_text(encoding="utf-8"))
    assert summary["region"]["id"] == "haiyue"
    imported = subprocess.run(
        [sys.executable, "-c", "import govcloud; print(govcloud.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.startswith(str(site))
