"""A mapping file adds columns to the importers whose own columns are fixed."""

from __future__ import annotations

from pathlib import Path

from govcloud.importers import plannable, run

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_mapped_columns_of_an_aws_form_and_an_rvtools_csv() -> None:
    form = FIXTURES / "real" / "aws-cmf" / "0-intake-form.csv"
    mapping = {"columns": {"servers": {"server_tier": "_rack", "aws_accountid": "serial"}}}
    outcome = run.run("aws-cmf", [form], plannable.Options(form.name, owner="d", site="s"), mapping)
    assert outcome.document is not None
    server1 = next(s for s in outcome.document["servers"] if s["hostname"] == "server1.mydomain.local")
    assert server1["serial"] == "111122223333"
    assert "机柜: web" in server1["notes"]
    ignored = [p for p in outcome.problems if p.code == "import-ignored-columns"]
    assert "aws_accountid" not in dict(ignored[0].params)["columns"]  # mapped, so used


def test_a_mapped_column_with_a_unit() -> None:
    info = FIXTURES / "real" / "rvtools-csv" / "RVTools_tabvInfo.csv"
    mapping = {"columns": {"servers": {"In Use MiB": "storage_gb (MiB)"}}}
    outcome = run.run("rvtools", [info], plannable.Options(info.name), mapping)
    assert outcome.document is not None
    app = next(s for s in outcome.document["servers"] if s["hostname"] == "社保-app01")
    assert app["storage_gb"] == 50  # 51200 MiB in use instead of the provisioned 100 GB
