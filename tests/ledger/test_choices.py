"""Enumerations normalise the Chinese and English spellings people write."""

from __future__ import annotations

import pytest

from govcloud.ledger import choices


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("carrier", "中国电信", "telecom"),
        ("carrier", "China Telecom", "telecom"),
        ("carrier", " 联通 ", "unicom"),
        ("line_technology", "ＭＳＴＰ", "mstp"),  # full-width letters
        ("line_technology", "MPLS-VPN", "mpls_vpn"),
        ("network_kind", "专网", "private"),
        ("network_kind", "电子政务外网", "extranet"),
        ("classification", "机密", "secret"),
        ("classification", "绝密", "top_secret"),
        ("data_class", "重要", "important"),
        ("admin_level", "省级", "province"),
        ("site_kind", "自建", "self_built"),
        ("server_kind", "虚拟机", "vm"),
        ("cloud_provider", "阿里云", "alicloud"),
        ("equipment_kind", "交换机", "network"),
        ("equipment_kind", "路由器", "network"),
        ("equipment_kind", "防火墙", "security"),
        ("equipment_kind", "加密机", "security"),
        ("equipment_kind", "IPS", "security"),
        ("equipment_kind", "存储", "storage"),
        ("equipment_kind", "PDU", "other"),
    ],
)
def test_normalise(name: str, raw: str, value: str) -> None:
    assert choices.ALL[name].normalise(raw) == value


@pytest.mark.parametrize("raw", ["电讯公司", "", 3, None])
def test_unknown_spellings_are_not_guessed(raw: object) -> None:
    assert choices.ALL["carrier"].normalise(raw) is None


def test_every_set_has_unique_values_and_labels_in_both_languages() -> None:
    for cs in choices.ALL.values():
        assert len(set(cs.values)) == len(cs.values)
        for choice in cs.choices:
            assert choice.zh
            assert choice.en
            assert cs.normalise(choice.value) == choice.value
            assert cs.label(choice.value, "zh") == choice.zh


def test_ambiguous_spellings_are_rejected_when_declared() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        choices.ChoiceSet("x", (choices.Choice("a", "甲", "A"), choices.Choice("b", "乙", "a")))
