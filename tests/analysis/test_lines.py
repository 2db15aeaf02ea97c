"""Parallel dedicated lines, intended redundancy, and isolated networks' lines."""

from __future__ import annotations

import pytest

from govcloud.analysis import analyse
from govcloud.ledger import model
from tests.analysis.builders import dept, ledger, line, site

AP = model.AccessPoint("ap", "省级接入点", 10_000)


def _base(*extra: object) -> model.Ledger:
    return ledger(
        dept("a"),
        dept("b"),
        dept("c"),
        AP,
        site("a-r", "a", address="海东区解放路 1 号"),
        site("b-r", "b", address="海东区解放路1号 5楼"),  # the same building
        site("c-r", "c", address="海西区"),
        *extra,  # type: ignore[arg-type]
    )


def _end(**kw: str) -> model.LineEnd:
    return model.LineEnd(**kw)


def test_lines_of_two_departments_between_the_same_places() -> None:
    led = _base(
        line("la", "a", _end(site="a-r"), _end(access_point="ap"), bandwidth_mbps=100, monthly_fee_cny=3000),
        line("lb", "b", _end(access_point="ap"), _end(site="b-r"), bandwidth_mbps=50, monthly_fee_cny=2000),
        line("lc", "c", _end(site="c-r"), _end(access_point="ap"), monthly_fee_cny=2000),
    )
    [finding] = analyse(led, kinds=["parallel-lines"]).findings
    assert finding.members == ("line:la", "line:lb")
    assert finding.evidence["keep"] == "la"
    # cancel lb (24,000 a year); 50 Mbps more on la at half lb's 40 CNY/Mbps/month
    assert finding.saving_cny == pytest.approx(24_000 - 50 * 40 * 12 * 0.5)


def test_declared_redundancy_is_kept_not_flagged() -> None:
    led = _base(
        line(
            "r1", "a", _end(site="a-r"), _end(access_point="ap"), carrier="telecom", redundancy_group="a-dual"
        ),
        line(
            "r2", "a", _end(site="a-r"), _end(access_point="ap"), carrier="unicom", redundancy_group="a-dual"
        ),
    )
    [finding] = analyse(led, kinds=["parallel-lines"]).findings
    assert finding.status == "kept"
    assert finding.reason == "lines-redundancy"
    assert finding.evidence["carriers"] == ["telecom", "unicom"]


def test_redundancy_with_one_carrier_is_kept_with_a_warning() -> None:
    led = _base(
        line("r1", "a", _end(site="a-r"), _end(access_point="ap"), redundancy_group="g"),
        line("r2", "a", _end(site="a-r"), _end(access_point="ap"), redundancy_group="g"),
    )
    [finding] = analyse(led, kinds=["parallel-lines"]).findings
    assert finding.reason == "lines-redundancy-one-carrier"


def test_lines_of_isolated_networks_are_never_merged() -> None:
    led = _base(
        model.Network("gaw", "公安网", "a", "national_vertical", ministry="公安部"),
        line("la", "a", _end(site="a-r"), _end(address="公安部节点"), network="gaw"),
        line("lb", "b", _end(site="b-r"), _end(address="公安部节点")),
    )
    [finding] = analyse(led, kinds=["parallel-lines"]).findings
    assert finding.status == "kept"
    assert finding.members == ("line:la",)


def test_one_department_alone_is_not_parallel() -> None:
    led = _base(
        line("l1", "a", _end(site="a-r"), _end(access_point="ap")),
        line("l2", "a", _end(site="a-r"), _end(access_point="ap")),
    )
    assert analyse(led, kinds=["parallel-lines"]).findings == ()


def test_redundancy_pair_beside_other_departments_lines_is_left_out_of_the_parallel_group() -> None:
    led = _base(
        line(
            "r1", "a", _end(site="a-r"), _end(access_point="ap"), carrier="telecom", redundancy_group="dual"
        ),
        line("r2", "a", _end(site="a-r"), _end(access_point="ap"), carrier="unicom", redundancy_group="dual"),
        line("lb", "b", _end(site="b-r"), _end(access_point="ap")),
        line("lc", "c", _end(site="a-r"), _end(access_point="ap")),
    )
    findings = {f.status: f.members for f in analyse(led, kinds=["parallel-lines"]).findings}
    assert findings == {"kept": ("line:r1", "line:r2"), "candidate": ("line:lb", "line:lc")}


def test_one_building_written_two_ways_is_one_end() -> None:
    """府前路1号 / 府前路一号, 三〇五 / 305, 省府 / 省政府, with and without the city: one place."""
    led = ledger(
        dept("a", region_code="990102"),
        dept("b", region_code="990103"),
        site("a-r", "a", address="海州市府前路1号省政府大楼三〇五室", region_code="990102"),
        line("la", "a", _end(site="a-r"), _end(address="海岳省海州市滨江区江滨大道 20 号 电信IDC")),
        line("lb", "b", _end(address="府前路一号 省府大楼 305"), _end(address="江滨大道二十号")),
    )
    [finding] = analyse(led, kinds=["parallel-lines"]).findings
    assert finding.members == ("line:la", "line:lb")
    assert finding.evidence["places"] == ["府前路1号", "江滨大道20号"]


def test_one_street_number_in_two_prefectures_is_two_buildings() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        line("la", "a", _end(address="人民路1号", region_code="990100"), _end(address="政务大道8号")),
        line("lb", "b", _end(address="人民路1号", region_code="990200"), _end(address="政务大道8号")),
    )
    assert analyse(led, kinds=["parallel-lines"]).findings == ()
