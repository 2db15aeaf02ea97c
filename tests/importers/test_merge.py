"""``--into``: one department's file added to an existing ledger, and what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.ledger import load

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _import(into: Path, source: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["import", "aws-cmf", str(source), "--into", str(into), "--lang", "en", *extra]
    )
    return result.exit_code, result.stdout


def test_into_a_region_twice_changes_nothing_and_reports_changes(tmp_path: Path) -> None:
    region = tmp_path / "region"
    shutil.copytree(FIXTURES / "mini", region)
    form = tmp_path / "人社厅-intake.csv"
    shutil.copy(FIXTURES / "real" / "aws-cmf" / "0-intake-form.csv", form)
    before = load(region).ledger
    assert before is not None
    owner = next(iter(before.departments))
    site = next(iter(before.sites))
    code, out = _import(region, form, "--owner", owner, "--site", site)
    assert code == 0, out
    written = region / "departments" / "人社厅-intake.yaml"
    assert "added 11, changed 0, removed 0" in out  # 8 servers, 3 applications as systems
    text = written.read_bytes()
    after = load(region)
    assert after.errors == [], [p.render("en") for p in after.errors]
    assert after.ledger is not None
    assert set(before.departments) == set(after.ledger.departments)  # the existing one is used
    assert set(before.sites) == set(after.ledger.sites)
    assert after.ledger.region == before.region  # no second region
    code, out = _import(region, form, "--owner", owner, "--site", site)
    assert code == 0
    assert "added 0, changed 0, removed 0" in out
    assert written.read_bytes() == text
    form.write_text(
        form.read_text(encoding="utf-8").splitlines()[0]
        + "\n"
        + "\n".join(form.read_text(encoding="utf-8").splitlines()[1:-1])
        + "\n",
        encoding="utf-8",
    )
    code, out = _import(region, form, "--owner", owner, "--site", site)
    assert code == 0
    assert "added 0, changed 1, removed 1" in out  # the server, and its application
