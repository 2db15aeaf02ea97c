"""The ports of administration are one list in the rule data, read by the stacks and the
baseline alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcloud.baseline.views import as_is
from govcloud.stacks.ports import AdminPorts, admin_ports
from tests.analysis.builders import dept, ledger, server, site, system
from tests.stacks.test_stacks import _plan


def test_the_bundled_list_logs_in_on_ssh_and_rdp_and_names_database_ports() -> None:
    ports = admin_ports()
    assert ports.login == (22, 3389)
    assert set(ports.login) <= set(ports.all)
    assert {23, 1433, 1521, 3306, 5432, 6379} <= set(ports.all)
    assert list(ports.all) == sorted(ports.all)


def test_the_baseline_reads_every_admin_port_a_system_exposes_from_the_list() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server("s1", "a", "r"),
        system("web", "a", servers=("s1",), internet_facing=True, exposed_ports=(443, 3306, 22, 8080)),
    )
    [view] = [s.view for s in as_is(led) if s.kind == "systems"]
    assert view["admin_ports_exposed"] == [22, 3306]


def _write(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "admin-ports.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_list_of_its_own_is_read_and_a_broken_one_is_named(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine", "ports:\n- {port: 2222, name: SSH, login: true}\n- {port: 9000}\n")
    assert admin_ports(mine).all == (2222, 9000)
    assert admin_ports(mine).login == (2222,)
    for i, text in enumerate(
        [
            "ports: []\n",
            "ports:\n- {port: 0}\n",
            "ports:\n- {port: 22}\n- {port: 22}\n",
            "ports:\n- {port: 22, login: 1}\n",
        ]
    ):
        broken = _write(tmp_path / f"broken{i}", text)
        with pytest.raises(ValueError, match=r"admin-ports\.yaml"):
            admin_ports(broken)


def test_the_stacks_open_the_login_ports_of_the_list_from_the_bastion_subnet_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govcloud.stacks import layout as layout_module

    monkeypatch.setattr(layout_module, "admin_ports", lambda: AdminPorts((2222, 9000), (2222,)))
    [layout] = layout_module.layouts(_plan())
    rules = {(r.department, r.port, r.source) for rs in layout.rules_by_wave.values() for r in rs}
    assert ("a", 2222, layout.mgmt_subnet) in rules
    assert not any(port in (22, 3389, 9000) and src == layout.mgmt_subnet for _, port, src in rules)
