"""NetBox dump → ledger: what maps, and what is left open and reported rather than invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.importers import plannable, run
from govcloud.importers.netbox import NetboxError, import_dump
from govcloud.ledger import dump, load

DUMP = Path(__file__).parents[1] / "fixtures" / "netbox" / "mini-netbox-dump.json"


def _plain(item: dict[str, object]) -> dict[str, object]:
    """An entry without the importer's helper fields (``_role``, ``_at`` …)."""
    return {k: v for k, v in item.items() if not k.startswith("_")}


def test_entities_map_from_netbox() -> None:
    doc, _ = import_dump(DUMP)
    assert [d["id"] for d in doc["departments"]] == ["hz-jyj", "hz-wjw"]
    room = doc["sites"][0]
    assert room == {
        "id": "jyj-room",
        "name": "教育局机房",
        "owner": "hz-jyj",
        "address": "海州市海西区文化路 12 号",
        "racks": 2,
    }
    servers = {s["id"]: s for s in doc["servers"]}
    assert servers["nb-dev-1"]["_role"] == "Router"  # every device, with its role to classify
    assert sorted(servers) == ["nb-dev-1", "nb-dev-2", "nb-dev-3", "nb-vm-5"]
    assert _plain(servers["nb-dev-2"]) == {
        "id": "nb-dev-2",
        "hostname": "jyj-app01",
        "kind": "physical",
        "site": "jyj-room",
        "owner": "hz-jyj",
        "serial": "SN-APP-01",
        "ips": ["10.20.1.10"],
        "os": "Kylin V10",
    }
    assert servers["nb-vm-5"]["memory_gb"] == 8  # NetBox keeps MB
    assert servers["nb-vm-5"]["cpu_cores"] == 4
    assert doc["networks"] == [
        {
            "id": "nb-prefix-2",
            "name": "教育专网业务段",
            "cidrs": ["10.20.1.0/24"],
            "owner": "hz-jyj",
            "vlans": [120],
            "sites": ["jyj-room"],
        }
    ]
    lines = {ln["id"]: ln for ln in doc["lines"]}
    assert lines["nb-circuit-HZ-ZX-0001"]["carrier"] == "telecom"
    assert lines["nb-circuit-HZ-ZX-0001"]["bandwidth_mbps"] == 100  # commit rate is kbps
    assert lines["nb-circuit-HZ-ZX-0001"]["a_end"] == {"site": "jyj-room"}
    assert lines["nb-circuit-HZ-ZX-0001"]["z_end"] == {"address": "provider network 政务外网 MPLS"}
    assert lines["nb-circuit-L3-77"]["carrier"] == "other"


def test_what_netbox_does_not_know_is_assumed_and_listed_not_hidden() -> None:
    outcome = run.run("netbox", [DUMP], plannable.Options(DUMP.name, region="海州市"))
    doc = outcome.document
    assert doc is not None
    assert sorted(s["id"] for s in doc["servers"]) == ["nb-dev-2", "nb-dev-3", "nb-vm-5"]  # not the router
    assert outcome.counts == {"servers": 3, "network": 1}
    assumed = {a["field"]: a for a in doc["assumptions"]}
    assert assumed["sites.kind"]["value"] == "self_built"
    assert assumed["sites.kind"]["count"] == len(doc["sites"]) == 3  # two NetBox sites, one assumed
    assert assumed["departments.level"]["count"] == len(doc["departments"])
    assert assumed["servers.site"]["count"] == 1  # the VM whose cluster has no site
    assert assumed["networks.kind"]["count"] == 1
    assert assumed["lines.bandwidth_mbps"]["count"] == 1
    assert {s["kind"] for s in doc["sites"]} == {"self_built"}


def test_import_is_stable_and_validates_with_assumption_warnings(tmp_path: Path) -> None:
    first, _ = import_dump(DUMP)
    assert import_dump(DUMP)[0] == first
    result = CliRunner().invoke(cli, ["import", "netbox", str(DUMP), "--out", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "mini-netbox-dump.yaml").read_bytes()
    again = CliRunner().invoke(cli, ["import", "netbox", str(DUMP), "--out", str(tmp_path), "--lang", "en"])
    assert again.exit_code == 0
    assert (tmp_path / "mini-netbox-dump.yaml").read_bytes() == written  # same input, same bytes
    loaded = load(tmp_path)
    assert loaded.errors == []
    assert loaded.warnings
    assert {p.code for p in loaded.warnings} == {"import-assumption"}
    assert dump.yaml_text(first)


def test_not_a_netbox_dump(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"sites": []}), encoding="utf-8")
    with pytest.raises(NetboxError, match="not a NetBox database dump"):
        import_dump(path)
    result = CliRunner().invoke(
        cli, ["import", "netbox", str(path), "--out", str(tmp_path / "o"), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "NetBox" in result.stderr
    assert not (tmp_path / "o").exists()  # nothing written


API = Path(__file__).parents[1] / "fixtures" / "netbox" / "api"


def test_rest_api_exports_need_no_tenant_or_site_export() -> None:
    from govcloud.importers.netbox import import_any

    doc, problems = import_any(
        [API / "circuit-terminations.json", API / "circuits.json", API / "devices.json"]
    )
    assert [d["id"] for d in doc["departments"]] == ["hz-jyj"]  # known from the devices' nested tenant
    assert [s["id"] for s in doc["sites"]] == ["jyj-room"]
    server = next(s for s in doc["servers"] if s["id"] == "nb-dev-2")
    assert _plain(server) == {
        "id": "nb-dev-2",
        "hostname": "jyj-app01",
        "kind": "physical",
        "site": "jyj-room",
        "owner": "hz-jyj",
        "serial": "SN-APP-01",
        "ips": ["10.20.1.10"],
        "os": "Kylin V10",
    }
    [line] = doc["lines"]
    assert (line["carrier"], line["bandwidth_mbps"], line["a_end"]) == ("telecom", 100, {"site": "jyj-room"})
    assert "lines.z_end" in {p.path for p in problems}


def test_rest_pages_without_urls_are_told_by_name_and_shape(tmp_path: Path) -> None:
    from govcloud.importers.netbox import import_any

    page = json.loads((API / "devices.json").read_text(encoding="utf-8"))
    for item in page["results"]:
        item.pop("url", None)
    (tmp_path / "devices.json").write_text(json.dumps(page), encoding="utf-8")
    (tmp_path / "cables.json").write_text(
        json.dumps({"results": [{"id": 1, "label": "c"}]}), encoding="utf-8"
    )
    doc, problems = import_any([tmp_path / "devices.json", tmp_path / "cables.json"])
    assert "nb-dev-2" in {s["id"] for s in doc["servers"]}
    assert [p.code for p in problems if p.code == "import-unknown-list"] == ["import-unknown-list"]


def test_cli_tells_a_dump_from_api_exports(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["import", "netbox", str(API / "devices.json"), "--out", str(tmp_path), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((tmp_path / "devices.yaml").read_text(encoding="utf-8"))
    assert written["servers"][0]["hostname"] == "jyj-app01"
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"results": [{"name": "no url"}]}), encoding="utf-8")
    failed = CliRunner().invoke(
        cli, ["import", "netbox", str(bad), "--out", str(tmp_path / "o"), "--lang", "en"]
    )
    assert failed.exit_code == 1  # nothing to import
    assert "import-no-rows" in failed.stderr
    assert not (tmp_path / "o").exists()


CSV = Path(__file__).parents[1] / "fixtures" / "netbox" / "csv"


def test_ui_csv_exports() -> None:
    from govcloud.importers.netbox import import_any

    doc, problems = import_any(sorted(CSV.glob("*.csv")))
    [dept] = doc["departments"]
    assert dept["name"] == "海州市教育局"
    servers = {s["hostname"]: s for s in doc["servers"]}
    assert servers["jyj-rtr01"]["_role"] == "Router"  # classified when made plannable
    assert servers["jyj-app01"]["ips"] == ["10.20.1.10"]
    assert servers["jyj-app01"]["site"] == doc["sites"][0]["id"]
    assert servers["jyj-vm01"]["memory_gb"] == 8
    [line] = doc["lines"]
    assert (line["carrier"], line["bandwidth_mbps"], line["a_end"]) == (
        "telecom",
        100,
        {"site": doc["sites"][0]["id"]},
    )
    assert import_any(sorted(CSV.glob("*.csv")))[0] == doc  # stable ids
    assert "lines.z_end" in {p.path for p in problems}


def test_netbox4_csv_comments_roles_and_ignored_headers_with_suggestions() -> None:
    from govcloud.importers.netbox import import_any

    real = Path(__file__).parents[1] / "fixtures" / "real" / "netbox4"
    doc, problems = import_any([real / "netbox_devices.csv", real / "netbox_racks.csv"])
    node = next(s for s in doc["servers"] if s["hostname"] == "node-01")
    assert node["notes"] == 'Compute node, "fast" disks\nsecond line'  # a quoted multi-line cell
    assert node["_rack"] == "R01"
    hv = next(s for s in doc["servers"] if s["hostname"] == "hv-01")
    assert hv["_system"] == "vGeneral"  # the cluster groups it
    codes = [p.code for p in problems]
    assert "import-unknown-list" in codes  # the racks export is skipped, not fatal
    [ignored] = [p for p in problems if p.code == "import-ignored-columns"]
    columns = dict(ignored.params)["columns"]
    assert "E1 'Location' (≈ site)" in columns
    assert "AE1 'Created'" in columns
