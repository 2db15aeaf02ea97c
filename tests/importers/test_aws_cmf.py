"""The AWS Cloud Migration Factory intake form → servers grouped by application."""

from __future__ import annotations

from pathlib import Path

from govcloud.importers import plannable, run

FORM = Path(__file__).parents[1] / "fixtures" / "real" / "aws-cmf" / "0-intake-form.csv"


def test_applications_become_systems_waves_are_noted() -> None:
    outcome = run.run("aws-cmf", [FORM], plannable.Options(FORM.name, owner="信息中心", site="机房A"))
    doc = outcome.document
    assert doc is not None
    systems = {s["name"]: len(s["servers"]) for s in doc["systems"]}
    assert systems == {"app01-hr": 2, "app02-sales": 3, "app03-sales": 3}
    server1 = next(s for s in doc["servers"] if s["hostname"] == "server1.mydomain.local")
    assert "wave: 1" in server1["notes"]
    assert server1["os"] == "windows server 2012 R2"
    assumed = {a["field"] for a in doc["assumptions"]}
    assert {"servers.cpu_cores", "systems.mlps_level"} <= assumed
    assert "servers.owner" not in assumed  # --owner given
    ignored = [p for p in outcome.problems if p.code == "import-ignored-columns"]
    assert "'aws_region'" in dict(ignored[0].params)["columns"]
