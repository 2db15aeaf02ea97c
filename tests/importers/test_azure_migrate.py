"""Azure Migrate discovery CSV → servers."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.importers import plannable, run
from govcloud.importers.azure_migrate import import_csv

CSV = Path(__file__).parents[1] / "fixtures" / "azure-migrate-discovery.csv"


def test_servers_from_the_discovery_template() -> None:
    doc, problems = import_csv(CSV, owner="hz-jyj", site="jyj-room")
    app, db, bad = doc["servers"]
    assert app["hostname"] == "hz-edu-app01"
    assert (app["kind"], app["cpu_cores"], app["memory_gb"], app["storage_gb"], app["arch"]) == (
        "vm",
        8,
        16,
        600,
        "x86_64",
    )
    assert app["os"] == "Kylin Linux Advanced Server V10 SP2"
    assert (app["cpu_p95_pct"], app["mem_p95_pct"]) == (12.5, 40)
    assert db["kind"] == "physical"
    assert db["ips"] == ["10.20.1.31", "10.20.9.31"]
    assert (app["owner"], app["site"]) == ("hz-jyj", "jyj-room")
    assert "cpu_cores" not in bad
    bad_cells = [p for p in problems if p.code == "import-bad-cell"]
    assert [(p.line, p.column) for p in bad_cells] == [(4, 3)]
    assert import_csv(CSV, "hz-jyj", "jyj-room")[0] == doc  # stable ids


def test_owner_and_site_assumed_when_not_given_and_the_bad_cell_fails(tmp_path: Path) -> None:
    outcome = run.run("azure-migrate", [CSV], plannable.Options(CSV.name))
    assert outcome.document is not None
    assumed = {a["field"] for a in outcome.document["assumptions"]}
    assert {"servers.owner", "servers.site"} <= assumed
    result = CliRunner().invoke(
        cli,
        [
            "import",
            "azure-migrate",
            str(CSV),
            "--out",
            str(tmp_path),
            "--owner",
            "d",
            "--site",
            "s",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1  # the bad cell
    assert "azure-migrate-discovery.csv:4:3" in result.stderr
    assert (tmp_path / "azure-migrate-discovery.yaml").exists()
