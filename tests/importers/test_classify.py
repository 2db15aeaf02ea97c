"""Only servers become servers: device types and roles through the role table."""

from __future__ import annotations

import pytest

from govcloud.importers.classify import classify


@pytest.mark.parametrize(
    ("role", "cls"),
    [
        ("服务器", "server"),
        ("小型机", "server"),
        ("裸金属", "server"),
        ("blade", "server"),
        ("Server", "server"),
        ("Storage Server", "server"),
        ("SERVIDOR", "server"),
        ("Hypervisor", "host"),
        ("compute node", "host"),
        ("虚拟化主机", "host"),
        ("虚拟机", "vm"),
        ("交换机", "network"),
        ("Access Switch", "network"),
        ("Core Switch", "network"),
        ("路由器", "network"),
        ("负载均衡", "network"),
        ("防火墙", "security"),
        ("Firewall", "security"),
        ("加密机", "security"),
        ("IPS", "security"),
        ("存储阵列", "storage"),
        ("磁带机", "storage"),
        ("PDU", "other"),
        ("Busplug", "other"),
        ("Laptop", "other"),
        ("blade chassis", "other"),
        ("其它设备", "other"),
    ],
)
def test_roles(role: str, cls: str) -> None:
    assert classify(role) == cls


def test_a_switch_given_a_clusters_role_is_a_switch() -> None:
    assert classify("cluster-g7", makers=("Nutanix", "Nutanix-G7")) == "host"
    assert classify("cluster-g7", makers=("Extreme Networks", "X620-16x")) == "network"


def test_a_mapping_file_overrides_the_table() -> None:
    assert classify("ACI", {"ACI": "server"}) == "server"
    assert classify("ACI") == "network"
    assert classify("不认识的东西") is None
