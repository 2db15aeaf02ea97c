"""Images by OS family and architecture: the family a recorded OS name belongs to, and the
catalogue of the price list."""

from __future__ import annotations

import pytest

from govcloud.ledger import model
from govcloud.stacks import images
from tests.analysis.builders import ledger


@pytest.mark.parametrize(
    ("os_name", "family"),
    [
        ("Windows Server 2012 R2", "windows"),
        ("Kylin V10 SP2", "kylin"),
        ("银河麒麟高级服务器操作系统 V10", "kylin"),
        ("UOS 20", "uos"),
        ("统信服务器操作系统 V20", "uos"),
        ("openEuler 22.03", "openeuler"),
        ("CentOS 7.9", "centos"),
        ("RHEL 6.10", "rhel"),
        ("Ubuntu 20.04", "ubuntu"),
        ("Debian 12", "linux"),
        (None, "linux"),
    ],
)
def test_os_family(os_name: str | None, family: str) -> None:
    assert images.os_family(os_name) == family
    assert family in images.families()


def test_catalogue_is_per_node() -> None:
    prices = model.Prices(
        images=(
            model.Image("prov", "kylin", "arm64", "m-kylin-arm"),
            model.Image("city", "kylin", "arm64", "img-city"),
        )
    )
    led = ledger(prices=prices)
    assert images.catalogue(led, "prov") == {("kylin", "arm64"): "m-kylin-arm"}
    assert images.config_key("kylin", "arm64") == "imageId-kylin-arm64"
