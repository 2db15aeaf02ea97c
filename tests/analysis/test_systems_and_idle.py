"""Duplicate-function systems and idle or stranded capacity."""

from __future__ import annotations

import datetime as dt

import pytest

from govcloud.analysis import Thresholds, analyse
from tests.analysis.builders import dept, ledger, server, site, system


def test_departments_running_their_own_oa() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        dept("c", "city", "990100"),
        system("a-oa", "a", category="oa", users=300, mlps_level=2),
        system("b-oa", "b", category="oa", users=900, mlps_level=3),
        system("c-oa", "c", category="oa", users=5000, mlps_level=3),
        system("b-mail", "b", category="email"),
        system("a-secret-oa", "a", category="oa", classification="secret"),
    )
    findings = analyse(led, kinds=["duplicate-systems"]).findings
    candidate = next(f for f in findings if f.status == "candidate")
    assert candidate.members == ("system:a-oa", "system:b-oa", "system:c-oa")
    assert candidate.evidence["platform"] == "b-oa"  # provincial, level 3, most users among those
    assert candidate.saving_cny == pytest.approx(2 * 150_000 * 0.5)
    kept = [f for f in findings if f.status == "kept"]
    assert [f.members for f in kept] == [("system:a-secret-oa",)]


def test_business_systems_match_by_similar_names_only() -> None:
    led = ledger(
        dept("a", name="教育厅"),
        dept("b", name="人社厅"),
        system("a1", "a", name="教育厅档案数字化管理系统"),
        system("b1", "b", name="人社厅档案数字化加工系统"),
        system("b2", "b", name="社保卡发卡系统"),
    )
    [finding] = analyse(led, kinds=["duplicate-systems"]).findings
    assert finding.members == ("system:a1", "system:b1")
    assert not analyse(led, Thresholds(name_similarity=0.99), kinds=["duplicate-systems"]).findings


def test_one_department_with_two_oa_systems_is_not_duplication_across_departments() -> None:
    led = ledger(dept("a"), system("o1", "a", category="oa"), system("o2", "a", category="oa"))
    assert analyse(led, kinds=["duplicate-systems"]).findings == ()


def test_idle_and_retired_servers_with_sunk_cost() -> None:
    led = ledger(
        dept("a"),
        site("r", "a", pue=2.0),
        server("idle-new", "a", "r", cpu_p95_pct=2, mem_p95_pct=8, purchase_date=dt.date(2025, 9, 1)),
        server("busy", "a", "r", cpu_p95_pct=60, mem_p95_pct=70),
        server("unknown", "a", "r"),
        server("old-vm", "a", "r", kind="vm", cpu_p95_pct=50, mem_p95_pct=50),
        system("gone", "a", status="decommissioning", servers=("old-vm",)),
        system("live", "a", servers=("busy",), users=5000),
    )
    findings = {f.reason: f for f in analyse(led, kinds=["idle-capacity"]).findings}
    assert sorted(findings) == ["idle-servers", "retired-servers"]
    idle = findings["idle-servers"]
    assert idle.members == ("server:idle-new",)
    assert idle.evidence["not_yet_written_off"] == ["idle-new"]
    assert idle.saving_cny == pytest.approx(0.35 * 2.0 * 8760 * 0.85 + 3000)
    assert findings["retired-servers"].saving_cny == 0  # a VM: capacity, not power


def test_room_for_one_small_system() -> None:
    led = ledger(
        dept("a"),
        site("r", "a", yearly_cost_cny=100_000),
        server("s", "a", "r"),
        system("tiny", "a", servers=("s",), users=40),
    )
    [finding] = analyse(led, kinds=["idle-capacity"]).findings
    assert finding.reason == "site-single-system"
    assert finding.saving_cny == pytest.approx(60_000)


def test_a_room_kept_for_a_latency_bound_system_is_not_a_candidate() -> None:
    led = ledger(
        dept("a"),
        site("r", "a", yearly_cost_cny=100_000),
        server("s", "a", "r"),
        system("signals", "a", servers=("s",), users=40, latency_bound=True),
    )
    assert analyse(led, kinds=["idle-capacity"]).findings == ()


def test_a_system_without_category_takes_the_function_its_name_names() -> None:
    """The category column left empty reads as business: 会议电视 and 视频会议 are one job,
    the 视频会商指挥调度 and 视频监控 systems do another, 市场监管局 is a department's name."""
    led = ledger(
        dept("a", name="市场监管局"),
        dept("b", name="交通局"),
        dept("c", name="应急局"),
        system("a-vc", "a", name="市场监管局视频会议系统"),
        system("b-vc", "b", name="会议电视", category="video_conference"),
        system("c-cmd", "c", name="视频会商指挥调度系统"),
        system("c-cam", "c", name="视频监控平台"),
        system("a-oa", "a", name="协同办公平台"),
        system("b-oa", "b", name="移动OA"),
        system("c-goal", "c", name="Goal tracker"),
    )
    groups = sorted(f.members for f in analyse(led, kinds=["duplicate-systems"]).findings)
    assert groups == [("system:a-oa", "system:b-oa"), ("system:a-vc", "system:b-vc")]
