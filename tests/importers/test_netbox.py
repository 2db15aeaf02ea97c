"""NetBox dump → ledger: what maps, and what is left open and reported rather than invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.importers.netbox import NetboxError, import_dump
from govcloud.ledger import dump, load

DUMP = Path(__file__).parents[1] / "fixtures" / "netbox" / "mini-netbox-dump.json"


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
    assert sorted(servers) == ["nb-dev-2", "nb-dev-3", "nb-vm-5"]  # the router is not a server
    assert servers["nb-dev-2"] == {
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


def test_what_netbox_does_not_know_is_reported_not_invented() -> None:
    doc, problems = import_dump(DUMP)
    opened = {p.path: dict(p.params)["count"] for p in problems if p.code == "import-open-field"}
    assert opened == {
        "departments.level, region_code": "2",
        "sites.kind": "2",
        "servers.site": "1",
        "networks.kind": "1",
        "lines.bandwidth_mbps": "1",
        "lines.a_end": "1",
    }
    assert [dict(p.params)["count"] for p in problems if p.code == "import-skipped"] == ["1"]
    assert "kind" not in doc["sites"][0]
    assert "level" not in doc["departments"][0]


def test_import_is_stable_and_validate_points_at_each_open_field(tmp_path: Path) -> None:
    first, _ = import_dump(DUMP)
    assert import_dump(DUMP)[0] == first
    result = CliRunner().invoke(cli, ["import", "netbox", str(DUMP), "--out", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0
    assert "import-open-field" in result.stderr
    (tmp_path / "region.yaml").write_text(
        "region: {id: r, name: 海州, region_code: '990100', as_of: '2026-06-30'}\n", encoding="utf-8"
    )
    problems = load(tmp_path).problems
    required = sorted({p.path for p in problems if p.code == "schema-required"})
    assert required == [
        "departments[0].level",
        "departments[0].region_code",
        "departments[1].level",
        "departments[1].region_code",
        "lines[1].a_end",
        "lines[1].bandwidth_mbps",
        "networks[0].kind",
        "servers[2].site",
        "sites[0].kind",
        "sites[1].kind",
    ]
    assert dump.yaml_text(first)


def test_not_a_netbox_dump(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"sites": []}), encoding="utf-8")
    with pytest.raises(NetboxError, match="not a NetBox database dump"):
        import_dump(path)
    result = CliRunner().invoke(cli, ["import", "netbox", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2


API = Path(__file__).parents[1] / "fixtures" / "netbox" / "api"


def test_rest_api_exports_need_no_tenant_or_site_export() -> None:
    from govcloud.importers.netbox import import_any

    doc, problems = import_any(
        [API / "circuit-terminations.json", API / "circuits.json", API / "devices.json"]
    )
    assert [d["id"] for d in doc["departments"]] == ["hz-jyj"]  # known from the devices' nested tenant
    assert [s["id"] for s in doc["sites"]] == ["jyj-room"]
    [server] = doc["servers"]  # the router is skipped
    assert server == {
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


def test_cli_tells_a_dump_from_api_exports(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["import", "netbox", str(API / "devices.json"), "--out", str(tmp_path), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((tmp_path / "devices.yaml").read_text(encoding="utf-8"))
    assert written["servers"][0]["hostname"] == "jyj-app01"
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"results": [{"name": "no url"}]}), encoding="utf-8")
    assert (
        CliRunner().invoke(cli, ["import", "netbox", str(bad), "--out", str(tmp_path / "o")]).exit_code == 2
    )


CSV = Path(__file__).parents[1] / "fixtures" / "netbox" / "csv"


def test_ui_csv_exports() -> None:
    from govcloud.importers.netbox import import_any

    doc, problems = import_any(sorted(CSV.glob("*.csv")))
    [dept] = doc["departments"]
    assert dept["name"] == "海州市教育局"
    servers = {s["hostname"]: s for s in doc["servers"]}
    assert sorted(servers) == ["jyj-app01", "jyj-vm01"]  # the router is skipped
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
