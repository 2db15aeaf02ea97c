"""Every kind of real file, imported with one command, validates with assumption warnings at
most and plans at least one server onto the cloud; no switch, array or PDU becomes a server."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govcloud.analysis import analyse
from govcloud.cli import cli
from govcloud.importers import plannable, run
from govcloud.ledger import dump, load, model
from govcloud.plan import build as build_plan

REAL = Path(__file__).parents[1] / "fixtures" / "real"


def moved(ledger: model.Ledger) -> int:
    """Servers the plan moves in a wave."""
    planned = build_plan(ledger, analyse(ledger))
    return sum(len(ledger.systems[s].servers) for s in planned.wave_of)


CASES = [
    # (id, format, files, options, servers, network+security, storage, other)
    ("rvtools-xlsx", "rvtools", ["rvtools/SizingWorkshop-RVTools-excerpt.xlsx"], {}, 15, 0, 0, 0),
    (
        "rvtools-csv",
        "rvtools",
        ["rvtools-csv/RVTools_tabvInfo.csv", "rvtools-csv/RVTools_tabvHost.csv"],
        {"owner": "海州市人社局"},
        4,
        0,
        0,
        0,
    ),
    ("aws-cmf", "aws-cmf", ["aws-cmf/0-intake-form.csv"], {"owner": "信息中心", "site": "机房A"}, 8, 0, 0, 0),
    ("equipment", "xlsx", ["equipment/设备台账.xlsx"], {"owner": "灾备中心"}, 3, 3, 1, 1),
    ("netbox4", "netbox", ["netbox4/netbox_devices.csv", "netbox4/netbox_racks.csv"], {}, 4, 2, 0, 3),
    ("netbox-ptbr", "netbox", ["netbox-ptbr/netbox_devices.csv"], {"owner": "SEDUC"}, 3, 3, 0, 0),
    ("cmdb-filled", "xlsx", ["cmdb/业务虚拟资源-已填.xlsx"], {}, 3, 0, 0, 0),
    ("azure-migrate", "azure-migrate", ["../azure-migrate-discovery.csv"], {"site": "机房"}, 3, 0, 0, 0),
]


@pytest.mark.parametrize(
    ("fmt", "files", "options", "servers", "network", "storage", "other"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_real_kinds_import_validate_and_plan(
    tmp_path: Path,
    fmt: str,
    files: list[str],
    options: dict[str, str],
    servers: int,
    network: int,
    storage: int,
    other: int,
) -> None:
    sources = [REAL / f for f in files]
    outcome = run.run(fmt, sources, plannable.Options(sources[0].name, **options))
    assert outcome.document is not None, [p.render("en") for p in outcome.problems]
    assert (
        outcome.counts["servers"],
        outcome.counts["network"],
        outcome.counts["storage"],
        outcome.counts["other"],
    ) == (servers, network, storage, other)
    assert len(outcome.document["servers"]) == servers
    (tmp_path / "imported.yaml").write_text(dump.yaml_text(outcome.document), encoding="utf-8")
    loaded = load(tmp_path)
    assert loaded.errors == [], [p.render("en") for p in loaded.errors]
    assert {p.code for p in loaded.warnings} <= {"import-assumption"}
    assert loaded.ledger is not None
    assert moved(loaded.ledger) >= 1
    again = run.run(fmt, sources, plannable.Options(sources[0].name, **options))
    assert again.document == outcome.document  # same input, same ledger


def test_no_network_device_storage_or_pdu_becomes_a_server() -> None:
    outcome = run.run("xlsx", [REAL / "equipment" / "设备台账.xlsx"], plannable.Options("设备台账.xlsx"))
    assert outcome.document is not None
    names = {s["hostname"] for s in outcome.document["servers"]}
    assert names == {"业务应用服务器01", "核心小型机", "虚拟化宿主机01"}
    gear = [g for s in outcome.document["sites"] for g in s.get("equipment", [])]
    # kept as room equipment that must go before the room closes, by kind
    assert {g["kind"] for g in gear} >= {"network", "other"}
    notes = " ".join(g["notes"] for g in gear)
    assert "交换机 1" in notes
    assert "PDU 1" in notes
    assert all(g["count"] >= 1 for g in gear)
    assert sum(g["count"] for g in gear) == sum(outcome.counts[k] for k in ("network", "storage", "other"))


def test_the_same_asset_on_two_racks_is_one_server_with_both_addresses() -> None:
    outcome = run.run("xlsx", [REAL / "equipment" / "设备台账.xlsx"], plannable.Options("设备台账.xlsx"))
    assert outcome.document is not None
    [p750] = [s for s in outcome.document["servers"] if s["hostname"] == "核心小型机"]
    assert p750["serial"] == "SN-P01"
    assert p750["mgmt_ip"] == "10.1.2.10"
    [first] = [s for s in outcome.document["servers"] if s["hostname"] == "业务应用服务器01"]
    assert first["mgmt_ip"] == "10.1.1.61"
    assert first["ips"] == ["10.2.1.5"]
    assert first["purchase_date"] == "2019-03-01"  # 2019年3月
    assert first["warranty_end"] == "2025-12-31"  # Excel serial 46022


def test_templates_with_no_rows_fail_and_write_nothing(tmp_path: Path) -> None:
    for name in ("业务系统详细信息导入模板.xlsx", "业务虚拟资源导入模板.xlsx"):
        result = CliRunner().invoke(
            cli, ["import", "xlsx", str(REAL / "cmdb" / name), "--out", str(tmp_path / "o"), "--lang", "en"]
        )
        assert result.exit_code == 1
        assert "import-no-rows" in result.stderr
        assert "Traceback" not in result.output
        assert "'一级部门' → _dept1" in result.stdout or "'归属部门（一级）' → _dept1" in result.stdout
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("fmt", "file", "right"),
    [
        ("csv", "netbox4/netbox_devices.csv", "govcloud import netbox netbox_devices.csv"),
        ("xlsx", "rvtools/SizingWorkshop-RVTools-excerpt.xlsx", "govcloud import rvtools"),
        ("azure-migrate", "aws-cmf/0-intake-form.csv", "govcloud import aws-cmf 0-intake-form.csv"),
        ("netbox", "rvtools-csv/RVTools_tabvInfo.csv", "govcloud import rvtools RVTools_tabvInfo.csv"),
    ],
)
def test_a_file_given_to_the_wrong_importer_is_refused_with_the_right_command(
    tmp_path: Path, fmt: str, file: str, right: str
) -> None:
    result = CliRunner().invoke(
        cli, ["import", fmt, str(REAL / file), "--out", str(tmp_path / "o"), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert right in result.stderr
    assert not (tmp_path / "o").exists()


def test_cli_lists_columns_used_and_classes_and_writes_a_plannable_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "import",
            "xlsx",
            str(REAL / "equipment" / "设备台账.xlsx"),
            "--out",
            str(tmp_path),
            "--owner",
            "灾备中心",
            "--region",
            "海州市",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "'设备类型' → _role" in result.stdout
    assert "classified: servers 3, network and security devices 3, storage 1, other 1" in result.stdout
    assert "'开始U位' is known to carry nothing the ledger keeps" in result.stderr
    written = yaml.safe_load((tmp_path / "设备台账.yaml").read_text(encoding="utf-8"))
    assert written["region"]["name"] == "海州市"
    assert [d["name"] for d in written["departments"]] == ["灾备中心"]
    checked = CliRunner().invoke(cli, ["validate", str(tmp_path), "--lang", "en"])
    assert checked.exit_code == 0, checked.output
    assert "import-assumption" in checked.output


def test_the_ledger_does_not_depend_on_where_the_source_sits(tmp_path: Path) -> None:
    here = REAL / "equipment" / "设备台账.xlsx"
    there = tmp_path / "别处" / "设备台账.xlsx"
    there.parent.mkdir()
    there.write_bytes(here.read_bytes())
    first = run.run("xlsx", [here], plannable.Options(here.name)).document
    second = run.run("xlsx", [there], plannable.Options(there.name)).document
    assert first is not None
    assert dump.yaml_text(first) == dump.yaml_text(second or {})
    assert str(REAL) not in dump.yaml_text(first)


@pytest.mark.parametrize(
    ("fmt", "kind"), [("azure-migrate", "Azure Migrate"), ("aws-cmf", "AWS Cloud Migration")]
)
def test_an_error_names_the_kind_of_file_expected(tmp_path: Path, fmt: str, kind: str) -> None:
    ledger = tmp_path / "台账.csv"
    ledger.write_text("主机名,CPU\na,2\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["import", fmt, str(ledger), "--out", str(tmp_path / "o"), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert f"does not look like an {kind}" in result.stderr or f"does not look like {kind}" in result.stderr
    assert not (tmp_path / "o").exists()


def test_an_xls_ledger_imports_and_plans(tmp_path: Path) -> None:
    source = REAL / "xls" / "服务器台账.xls"
    outcome = run.run("xls", [source], plannable.Options(source.name, owner="海州市教育局"))
    assert outcome.document is not None
    assert outcome.counts["servers"] == 2
    assert outcome.counts["network"] == 1
    db = next(s for s in outcome.document["servers"] if s["hostname"] == "jy-db01")
    assert (db["ips"], db["storage_gb"], db["purchase_date"]) == (
        ["10.3.1.12", "10.3.1.13"],
        4096,
        "2020-07-15",
    )
    (tmp_path / "i.yaml").write_text(dump.yaml_text(outcome.document), encoding="utf-8")
    loaded = load(tmp_path)
    assert loaded.ledger is not None
    assert moved(loaded.ledger) == 2


def test_the_entry_point_returns_what_the_command_prints_and_writes_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """``run_import`` is the whole job of ``govcloud import``: the file to write and its text,
    the columns used, the counts, and with ``into`` what changes; it writes nothing itself."""
    source = REAL / "equipment" / "设备台账.xlsx"
    imported = run.run_import("xlsx", [source], out=tmp_path, owner="灾备中心", region="海州市")
    assert imported.target == tmp_path / "设备台账.yaml"
    assert imported.text is not None
    assert yaml.safe_load(imported.text)["region"]["name"] == "海州市"
    assert imported.changes is None  # --out: nothing to compare with
    assert imported.outcome.counts["servers"] == 3
    assert any("→ _role" in c for cols in imported.used_columns().values() for c in cols)
    assert not imported.errors
    assert not list(tmp_path.iterdir())
    region = tmp_path / "region"
    into = run.run_import("xlsx", [source], into=region, owner="灾备中心", region="海州市")
    assert into.target == region / "departments" / "设备台账.yaml"
    assert into.changes is not None
    assert (
        "servers",
        sorted(s["id"] for s in yaml.safe_load(into.text or "")["servers"])[0],
    ) in into.changes.added
    refused = run.run_import("netbox", [REAL / "rvtools-csv" / "RVTools_tabvInfo.csv"], out=tmp_path)
    assert refused.text is None
    assert refused.outcome.usage
