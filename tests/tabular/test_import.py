"""Import from files made the way real exports look; export and import round trip."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from govcloud.cli import cli
from govcloud.ledger import dump, load
from govcloud.samples import default_inventory
from govcloud.tabular import import_files, template, workbook

REGION = "version: 1\nregion: {id: r, name: 测试省, region_code: '990000', as_of: '2026-06-30'}\n"


def _ledger_dir(tmp_path: Path, document: dict[str, object]) -> Path:
    root = tmp_path / "ledger"
    root.mkdir(exist_ok=True)
    (root / "region.yaml").write_text(REGION, encoding="utf-8")
    (root / "imported.yaml").write_text(dump.yaml_text(document), encoding="utf-8")
    return root


def test_sample_exported_and_imported_back_is_the_same_ledger(tmp_path: Path) -> None:
    original = load(default_inventory()).ledger
    assert original is not None
    book = tmp_path / "海岳省台账.xlsx"
    book.write_bytes(workbook(original))
    assert book.read_bytes() == workbook(original)  # same ledger, same bytes
    result = import_files([book])
    assert result.problems == []
    root = tmp_path / "back"
    root.mkdir()
    (root / "台账.yaml").write_text(dump.yaml_text(result.document), encoding="utf-8")
    back = load(root)
    assert back.problems == []
    assert back.ledger == original


def test_gbk_csv_with_chinese_headers_units_blank_and_total_rows(tmp_path: Path) -> None:
    csv_text = (
        "所属单位,主机名,序列号,所在机房,IP地址,CPU核数,内存(G),硬盘,操作系统,购置日期,资产原值(元)\n"
        "d,教育-db01,SN-001,room,10.0.0.1,16核,64G,2T,麒麟V10,2019/3/1,8.5万\n"
        ",,,,,,,,,,\n"
        "d,教育-app02,SN-002,room,10.0.0.2;10.0.0.3,8,32,500G,UOS 20,2021年6月1日,40000\n"
        "合计,,,,,24,96,,,,125000\n"
    )
    path = tmp_path / "服务器台账.csv"
    path.write_bytes(csv_text.encode("gbk"))
    result = import_files([path])
    assert result.problems == []
    servers = result.document["servers"]
    assert [s["hostname"] for s in servers] == ["教育-db01", "教育-app02"]
    assert servers[0]["storage_gb"] == 2048
    assert servers[0]["purchase_value_cny"] == 85_000
    assert servers[1]["ips"] == ["10.0.0.2", "10.0.0.3"]
    assert servers[1]["purchase_date"] == "2021-06-01"
    assert servers[0]["id"].startswith("srv-")
    # the same source imported twice gives the same ids
    assert import_files([path]).document == result.document
    doc = dict(result.document)
    doc["departments"] = [{"id": "d", "name": "甲局", "level": "province", "region_code": "990000"}]
    doc["sites"] = [{"id": "room", "name": "机房", "kind": "self_built", "owner": "d"}]
    assert load(_ledger_dir(tmp_path, doc)).ledger is not None


def test_workbook_with_title_row_merged_headers_and_bad_cells(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "专线清单"
    ws.append(["海州市各部门专线台账（2026年）"])
    ws.merge_cells("A1:G1")
    ws.append(["编号", "所属部门", "运营商", "带宽(M)", "A端", "Z端", "月租费(元)", "经办人"])
    ws.append(["l1", "d", "中国电信", "100M", "机房:room", "ap", "3000", "张三"])
    ws.append(["l2", "d", "联通", "一百兆", "room", "海州市人民路 1 号", "2,000元", "李四"])
    path = tmp_path / "专线.xlsx"
    book.save(path)
    result = import_files([path])
    codes = sorted((p.code, p.line, p.column) for p in result.problems)
    assert codes == [("import-bad-cell", 4, 4), ("import-unmapped-column", 2, 8)]
    bad = next(p for p in result.problems if p.code == "import-bad-cell")
    assert bad.file.endswith("专线.xlsx#专线清单")
    assert "D4" in bad.message("en")
    assert bad.path == "lines.bandwidth_mbps"
    lines = result.document["lines"]
    assert lines[0]["a_end"] == {"site": "room"}
    assert lines[1]["z_end"] == {"address": "海州市人民路 1 号"}
    assert lines[1]["monthly_fee_cny"] == 2000
    assert "bandwidth_mbps" not in lines[1]  # the bad cell is left out, the rest of the row is kept


def test_mapping_file_adds_headers_and_sheets(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["资产标签", "机器名", "放置地点"])
    ws.append(["A-1", "web01", "room"])
    path = tmp_path / "杂表.xlsx"
    book.save(path)
    mapping = {
        "sheets": {"Sheet1": "servers"},
        "columns": {"servers": {"资产标签": "id", "放置地点": "site"}},
    }
    result = import_files([path], mapping)
    assert result.document["servers"] == [{"id": "A-1", "hostname": "web01", "site": "room"}]


def test_cli_export_import_and_template(tmp_path: Path) -> None:
    runner = CliRunner()
    book = tmp_path / "台账.xlsx"
    assert runner.invoke(cli, ["export", "xlsx", "-o", str(book)]).exit_code == 0
    result = runner.invoke(
        cli, ["import", "xlsx", str(book), "--out", str(tmp_path / "导入"), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stdout
    assert load(tmp_path / "导入").ledger == load(default_inventory()).ledger
    blank = tmp_path / "模板.xlsx"
    assert runner.invoke(cli, ["import", "--template", "xlsx", "-o", str(blank)]).exit_code == 0
    sheets = load_workbook(blank).sheetnames
    assert "服务器 servers" in sheets
    headers = [c.value for c in load_workbook(blank)["服务器 servers"][1]]
    assert "主机名 / hostname" in headers
    assert runner.invoke(cli, ["import", "xlsx"]).exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("主机名,CPU核数\nh,八核\n", encoding="utf-8")
    failed = runner.invoke(cli, ["import", "csv", str(bad), "--out", str(tmp_path / "o"), "--lang", "en"])
    assert failed.exit_code == 1
    assert "bad.csv:2:2" in failed.stderr
    written = yaml.safe_load((tmp_path / "o" / "bad.yaml").read_text(encoding="utf-8"))
    assert written["servers"][0]["hostname"] == "h"
    assert template()[:2] == b"PK"


def test_a_csv_that_is_nothing_known_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "天气.csv"
    path.write_text("日期,气温\n2026-01-01,5\n", encoding="utf-8")
    [problem] = import_files([path]).problems
    assert (problem.code, problem.severity) == ("import-unknown-sheet", "error")


# ---- issue 18: headers people write


def test_required_markers_units_in_brackets_and_helpers(tmp_path: Path) -> None:
    path = tmp_path / "虚拟机台账.csv"
    path.write_text(
        "主机名称*,业务系统[必填],内存(MiB),硬盘（T）,虚拟核数vCPU（个）,内网IP,机柜\n"
        "jy-web01,教育平台,16384,0.5,8,10.3.0.11/12,A01\n",
        encoding="utf-8",
    )
    result = import_files([path], helpers=True)
    [server] = result.document["servers"]
    assert (server["memory_gb"], server["storage_gb"], server["cpu_cores"]) == (16, 512, 8)
    assert server["ips"] == ["10.3.0.11", "10.3.0.12"]
    assert (server["_system"], server["_rack"]) == ("教育平台", "A01")
    assert {u[3] for u in result.used} == {
        "hostname",
        "_system",
        "memory_gb",
        "storage_gb",
        "cpu_cores",
        "ips",
        "_rack",
    }
    assert "_system" not in import_files([path]).document["servers"][0]  # helpers only when asked


def test_mapping_is_scoped_per_sheet_and_states_units(tmp_path: Path) -> None:
    book = tmp_path / "资产.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "甲"
    ws.append(["主机", "容量", "部门"])
    ws.append(["a1", 2048, "d"])
    other = wb.create_sheet("乙")
    other.append(["主机", "容量", "部门"])
    other.append(["b1", 3, "d"])
    wb.save(book)
    mapping = {
        "sheets": {
            "甲": {"list": "servers", "columns": {"主机": "hostname", "容量": "storage_gb (MiB)"}},
            "乙": {
                "list": "servers",
                "columns": {"主机": "hostname", "容量": {"field": "storage_gb", "unit": "TB"}},
            },
        }
    }
    result = import_files([book], mapping)
    sizes = {s["hostname"]: s["storage_gb"] for s in result.document["servers"]}
    assert sizes == {"a1": 2, "b1": 3072}


def test_unknown_headers_are_named_with_their_cell_and_a_suggested_mapping(tmp_path: Path) -> None:
    path = tmp_path / "服务器.csv"
    path.write_text("主机名,内存(G),开始U位,天气\nh,8,3,晴\n", encoding="utf-8")
    problems = {p.code: p for p in import_files([path]).problems}
    assert dict(problems["import-ignored-column"].params)["cell"] == "C1"
    unmapped = dict(problems["import-unmapped-column"].params)
    assert unmapped["cell"] == "D1"
    assert "columns: {servers: {'天气': FIELD}}" in unmapped["mapping"]


def test_a_second_column_for_the_same_field_is_named_not_merged_silently(tmp_path: Path) -> None:
    path = tmp_path / "服务器.csv"
    path.write_text("主机名,带内管理IP,带外管理IP\nh,10.0.0.1,10.9.0.1\n", encoding="utf-8")
    result = import_files([path])
    assert result.document["servers"][0]["mgmt_ip"] == "10.0.0.1"
    [twin] = [p for p in result.problems if p.code == "import-duplicate-column"]
    assert dict(twin.params)["cell"] == "C1"


def test_an_english_server_inventory(tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_text(
        "Hostname;IP Address;vCPU;RAM (GB);Disk (TB);OS;Department;Location;Application;Environment\n"
        "web01;10.0.0.1;4;16;1;RHEL 8;Education Bureau;DC-1;Portal;prod\n",
        encoding="utf-8-sig",
    )
    result = import_files([path], helpers=True)
    [server] = result.document["servers"]
    assert (server["hostname"], server["cpu_cores"], server["memory_gb"], server["storage_gb"]) == (
        "web01",
        4,
        16,
        1024,
    )
    assert (server["owner"], server["site"], server["_system"]) == ("Education Bureau", "DC-1", "Portal")
    assert [p.code for p in result.problems] == ["import-ignored-column"]  # Environment


def test_a_yes_no_virtual_machine_column_gives_the_kind(tmp_path: Path) -> None:
    from govcloud.importers import plannable, run

    path = tmp_path / "服务器台账.csv"
    path.write_text("服务器名称,是否虚拟机,CPU(核),内存(G)\nv1,是,2*4,16\np1,否,32,256\n", encoding="gbk")
    outcome = run.run("csv", [path], plannable.Options(path.name, owner="d", site="s"))
    assert outcome.document is not None
    kinds = {s["hostname"]: (s["kind"], s["cpu_cores"]) for s in outcome.document["servers"]}
    assert kinds == {"v1": ("vm", 8), "p1": ("physical", 32)}


def test_a_sheet_of_network_devices_is_devices_not_networks(tmp_path: Path) -> None:
    from govcloud.importers import plannable, run

    book = tmp_path / "资产.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "网络设备"
    ws.append(["设备名称", "设备类型", "管理IP"])
    ws.append(["core-sw", "交换机", "10.0.0.1"])
    servers = wb.create_sheet("服务器")
    servers.append(["主机名", "IP地址", "CPU"])
    servers.append(["app01", "10.0.1.1", 8])
    wb.save(book)
    outcome = run.run("xlsx", [book], plannable.Options(book.name, owner="d", site="s"))
    assert outcome.document is not None
    assert "networks" not in outcome.document
    assert [s["hostname"] for s in outcome.document["servers"]] == ["app01"]
    assert outcome.counts["network"] == 1


def test_optional_markers_and_a_per_month_unit_do_not_hide_a_column(tmp_path: Path) -> None:
    servers = tmp_path / "服务器.csv"
    servers.write_text("主机名,内存（GB）（选填）,负责人（非必填）\nweb01,16,张三\n", encoding="utf-8")
    result = import_files([servers], helpers=True)
    [server] = result.document["servers"]
    assert (server["hostname"], server["memory_gb"], server["_contact"]) == ("web01", 16, "张三")
    lines = tmp_path / "线路.csv"
    lines.write_text("运营商,带宽（Mbps）,月租（元/月）\n电信,100,3000\n", encoding="utf-8")
    [line] = import_files([lines]).document["lines"]
    assert (line["carrier"], line["bandwidth_mbps"], line["monthly_fee_cny"]) == ("电信", 100, 3000)
