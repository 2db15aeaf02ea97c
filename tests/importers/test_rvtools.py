"""RVTools → VMs and their hosts, by stated rules."""

from __future__ import annotations

from pathlib import Path

from govcloud.importers import plannable, run
from govcloud.importers.rvtools import import_rvtools

REAL = Path(__file__).parents[1] / "fixtures" / "real"


def test_xlsx_vms_hosts_templates_and_powered_off() -> None:
    doc, problems = import_rvtools([REAL / "rvtools" / "SizingWorkshop-RVTools-excerpt.xlsx"])
    servers = doc["servers"]
    hosts = [s for s in servers if s["kind"] == "physical"]
    vms = [s for s in servers if s["kind"] == "vm"]
    assert (len(hosts), len(vms)) == (3, 12)
    wowas1 = next(s for s in vms if s["hostname"] == "wowas1")
    assert (wowas1["cpu_cores"], wowas1["memory_gb"]) == (6, 16)  # Memory is MB
    assert wowas1["storage_gb"] == round(139434 / 1024, 2)  # Provisioned MB → GB
    assert wowas1["ips"] == ["10.0.0.1"]  # from vNetwork
    assert "bovmsp-04.customer.com" in wowas1["notes"]  # its host
    host = hosts[0]
    assert (host["cpu_cores"], host["cpu_p95_pct"]) == (16, 38)
    assert host["_system"] == "虚拟化平台 Cluster1"
    codes = [p.code for p in problems]
    assert "import-skipped-templates" in codes
    assert "import-skipped-rows" in codes  # one powered-off VM
    with_off, _ = import_rvtools([REAL / "rvtools" / "SizingWorkshop-RVTools-excerpt.xlsx"], include_off=True)
    assert len(with_off["servers"]) == 16  # the template stays out


def test_csv_tabs_mib_folder_and_custom_attribute() -> None:
    files = [REAL / "rvtools-csv" / "RVTools_tabvInfo.csv", REAL / "rvtools-csv" / "RVTools_tabvHost.csv"]
    outcome = run.run("rvtools", files, plannable.Options("RVTools_tabvInfo.csv", owner="海州市人社局"))
    doc = outcome.document
    assert doc is not None
    app = next(s for s in doc["servers"] if s["hostname"] == "社保-app01")
    assert app["storage_gb"] == 100  # 102400 MiB
    assert "社保前置\n（双机）" in app["notes"]  # a quoted multi-line cell survives
    systems = {s["name"]: s for s in doc["systems"]}
    assert set(systems) == {"社保核心", "虚拟化平台 集群1"}
    assert len(systems["社保核心"]["servers"]) == 2
    assert len(systems["虚拟化平台 集群1"]["servers"]) == 2
    # the hosts' platform is marked as one, so the plan retires it once its VMs have moved
    assert systems["虚拟化平台 集群1"]["category"] == "virtualisation"
    assert "category" not in systems["社保核心"]
    assert [s["name"] for s in doc["sites"]] == ["海州数据中心"]


def test_vdisk_gives_the_disk_when_vinfo_has_no_provisioned_column(tmp_path: Path) -> None:
    info = tmp_path / "RVTools_tabvInfo.csv"
    info.write_text(
        "VM,Powerstate,Template,CPUs,Memory\n社保-app01,poweredOn,False,4,8192\n", encoding="utf-8"
    )
    doc, _ = import_rvtools([info, REAL / "rvtools-csv" / "RVTools_tabvDisk.csv"])
    [vm] = doc["servers"]
    assert (vm["cpu_cores"], vm["memory_gb"], vm["storage_gb"]) == (4, 8, 100)  # 2 × 51200 MiB
