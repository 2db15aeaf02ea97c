"""Coverability by reach: every site of a private network within reach of a wide enough
access point, else kept with the site out of reach named."""

from __future__ import annotations

from govcloud.analysis import Thresholds, analyse
from govcloud.analysis.common import Facts
from govcloud.analysis.private_networks import reaching
from govcloud.ledger import model
from tests.analysis.builders import dept, ledger, line, site


def _led(*extra: object, ap_region: str = "990102", ap_mbps: float = 1000) -> model.Ledger:
    return ledger(
        dept("a", region_code="990100"),
        site("s1", "a", name="甲机房", region_code="990102", district="海东区"),
        site("s2", "a", name="乙机房", region_code="990103", district="海西区"),
        model.AccessPoint("ap-hd", "海东区接入点", ap_mbps, level="county", region_code=ap_region),
        model.Network("pn", "专网", "a", "private", sites=("s1", "s2")),
        line("l1", "a", model.LineEnd(site="s1"), model.LineEnd(site="s2"), bandwidth_mbps=100, network="pn"),
        *extra,  # type: ignore[arg-type]
    )


def test_a_site_in_a_district_without_an_access_point_is_out_of_reach() -> None:
    [finding] = analyse(_led(), kinds=["private-network"]).findings
    assert (finding.status, finding.reason, finding.recommendation) == (
        "kept",
        "network-out-of-reach",
        "extend-extranet",
    )
    assert finding.evidence["site"] == "s2"
    assert "乙机房" in finding.reason_text("zh")
    assert "海西区" in finding.reason_text("zh")
    assert "乙机房" in finding.reason_text("en")


def test_every_site_reached_makes_a_candidate() -> None:
    other = model.AccessPoint("ap-hx", "海西区接入点", 500, level="county", region_code="990103")
    [finding] = analyse(_led(other), kinds=["private-network"]).findings
    assert finding.status == "candidate"
    assert finding.evidence["access_points"] == {"s1": "ap-hd", "s2": "ap-hx"}


def test_an_access_point_too_narrow_for_the_peak_is_named() -> None:
    other = model.AccessPoint("ap-hx", "海西区接入点", 120, level="county", region_code="990103")
    [finding] = analyse(_led(other), kinds=["private-network"]).findings
    assert finding.reason == "network-ap-too-narrow"
    assert finding.evidence == {
        "site": "s2",
        "region_code": "990103",
        "need_mbps": 150.0,
        "access_point": "ap-hx",
        "access_point_mbps": 120,
    }
    assert "120" in finding.reason_text("en")
    assert "150" in finding.reason_text("en")


def test_a_stated_reach_rule_widens_reach() -> None:
    city = model.AccessPoint("ap-hz", "海州市接入点", 2000, level="city", region_code="990100")
    assert analyse(_led(city), kinds=["private-network"]).findings[0].status == "kept"
    wide = Thresholds(extranet_reach_digits=4)
    assert analyse(_led(city), wide, kinds=["private-network"]).findings[0].status == "candidate"


def test_an_access_point_in_the_same_building_reaches_the_room() -> None:
    led = ledger(
        dept("a", region_code="990100"),
        site("s1", "a", address="府前路1号 3楼"),
        site("ap-room", "a", address="海州市府前路一号省政府大楼", kind="co_located"),
        model.AccessPoint("ap", "接入点", 1000, site="ap-room"),
    )
    facts = Facts.of(led)
    assert [ap.id for ap in reaching(facts, led.sites["s1"], Thresholds())] == ["ap"]
