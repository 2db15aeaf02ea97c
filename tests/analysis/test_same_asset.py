"""The same asset in two ledgers, matched by blocking keys and union-find."""

from __future__ import annotations

from govcloud.analysis import Thresholds, analyse
from tests.analysis.builders import dept, ledger, server, site


def _same(led: object) -> list[tuple[str, ...]]:
    return [f.members for f in analyse(led, kinds=["same-asset"]).findings]  # type: ignore[arg-type]


def test_serial_matches_across_departments_despite_spelling() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("a-1", "a", "r", serial="SN-0001 ", hostname="HZ-EDU-DB01"),
        server("b-7", "b", "r", serial="sn0001", hostname="other"),
        server("b-8", "b", "r", serial="SN-0002"),
    )
    [finding] = analyse(led, kinds=["same-asset"]).findings
    assert finding.members == ("server:a-1", "server:b-7")
    assert finding.departments == ("a", "b")
    assert finding.reason == "same-asset"
    assert finding.evidence["matched_on"] == ["serial"]


def test_hostname_variants_match_within_a_site_and_chain_transitively() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="HZ-EDU-DB01"),
        server("x2", "b", "r", hostname="hz-edu-db01.local", mgmt_ip="10.0.0.5"),
        server("x3", "b", "r", hostname="unrelated", mgmt_ip="10.0.0.5"),
    )
    [finding] = analyse(led, kinds=["same-asset"]).findings
    assert finding.members == ("server:x1", "server:x2", "server:x3")
    assert finding.evidence["matched_on"] == ["hostname", "hostname@site", "mgmt_ip"]


def test_full_width_hostname_matches() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server("x1", "a", "r", hostname="ＷＥＢ－０１"),
        server("x2", "a", "r", hostname="web01"),
    )
    [finding] = analyse(led, kinds=["same-asset"]).findings
    assert finding.reason == "same-asset-one-ledger"


def test_short_hostnames_in_different_rooms_are_not_matched() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r1", "a"),
        site("r2", "b"),
        server("x1", "a", "r1", hostname="web01"),
        server("x2", "b", "r2", hostname="web01"),
    )
    assert _same(led) == []


def test_room_recorded_twice_with_name_variants() -> None:
    led = ledger(
        dept("wjw"),
        site("r1", "wjw", name="省卫健委机房", address="海州市海东区健康路 8 号"),
        site("r2", "wjw", name="卫健委 数据中心 一楼", address="海州市海东区健康路8号"),
        site("r3", "wjw", name="卫健委机房", address="海州市海西区另一条路 1 号"),
    )
    assert _same(led) == [("site:r1", "site:r2")]


def test_rooms_of_different_departments_in_one_building_are_not_one_room() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r1", "a", name="甲局机房", address="电信 IDC 3 楼"),
        site("r2", "b", name="乙局机房", address="电信 IDC 3 楼"),
    )
    assert _same(led) == []


def test_thresholds_do_not_change_exact_matches() -> None:
    led = ledger(
        dept("a"), site("r", "a"), server("x1", "a", "r", serial="S1"), server("x2", "a", "r", serial="S1")
    )
    assert analyse(led, Thresholds(name_similarity=0.99), kinds=["same-asset"]).findings


def test_different_serials_veto_a_hostname_match() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r1", "a"),
        site("r2", "b"),
        server("x1", "a", "r1", hostname="hy-wjw-app012", serial="S-1"),
        server("x2", "b", "r2", hostname="hy-wjw-app012", serial="S-2"),
    )
    assert _same(led) == []
