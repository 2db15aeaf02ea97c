"""Idle by evidence: measured CPU and network over a stated period, or a recorded status;
moderate memory does not make a server busy; the standby of an HA or DR pair is not idle."""

from __future__ import annotations

from govcloud.analysis import Thresholds, analyse
from govcloud.analysis.idle import idle_reason
from govcloud.ledger import model
from tests.analysis.builders import dept, ledger, server, site, system


def _by_reason(led: model.Ledger) -> dict[str, tuple[str, ...]]:
    return {f.reason: f.members for f in analyse(led, kinds=["idle-capacity"]).findings}


def test_reasons() -> None:
    th = Thresholds()

    def srv(**kw: object) -> model.Server:
        return server("x", "a", "r", **kw)

    assert idle_reason(srv(cpu_p95_pct=2, mem_p95_pct=45), th) == "idle-servers"  # moderate memory
    assert idle_reason(srv(cpu_p95_pct=2, mem_p95_pct=92), th) is None  # memory is all in use
    assert idle_reason(srv(cpu_p95_pct=2, net_p95_mbps=40), th) is None  # it serves traffic
    assert idle_reason(srv(cpu_p95_pct=2, net_p95_mbps=0.2, metrics_days=30), th) == "idle-servers"
    assert idle_reason(srv(cpu_p95_pct=2, metrics_days=3), th) is None  # too short to tell
    assert idle_reason(srv(cpu_p95_pct=30), th) is None
    assert idle_reason(srv(), th) is None  # no evidence
    assert idle_reason(srv(status="powered_off"), th) == "stopped-servers"
    assert idle_reason(srv(status="stopped", cpu_p95_pct=50), th) == "stopped-servers"


def test_stopped_servers_are_a_candidate_of_their_own() -> None:
    led = ledger(dept("a"), site("r", "a"), server("off", "a", "r", status="powered_off"))
    [finding] = analyse(led, kinds=["idle-capacity"]).findings
    assert (finding.reason, finding.status, finding.recommendation) == (
        "stopped-servers",
        "candidate",
        "reclaim-servers",
    )
    assert finding.evidence["servers"][0]["status"] == "powered_off"
    assert finding.confidence == 0.9
    assert "stopped" in finding.reason_text("en")


def test_a_standby_by_role_is_kept_not_idle() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server("bak", "a", "r", role="standby", cpu_p95_pct=1, mem_p95_pct=10),
        server("dr", "a", "r", role="dr", status="powered_off"),
    )
    [finding] = analyse(led, kinds=["idle-capacity"]).findings
    assert (finding.reason, finding.status, finding.recommendation) == (
        "standby-servers",
        "kept",
        "keep-standby",
    )
    assert finding.members == ("server:bak", "server:dr")
    assert finding.saving_cny == 0


def test_the_quiet_server_of_an_ha_system_is_its_standby() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server("p", "a", "r", cpu_p95_pct=40),
        server("s", "a", "r", cpu_p95_pct=1),
        system("app", "a", servers=("p", "s"), ha="cold", users=5000),
    )
    assert _by_reason(led) == {"standby-servers": ("server:s",)}


def test_an_ha_system_whose_servers_are_all_quiet_is_idle() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server("p", "a", "r", cpu_p95_pct=1),
        server("s", "a", "r", cpu_p95_pct=1),
        system("app", "a", servers=("p", "s"), ha="cold", users=5000),
    )
    assert _by_reason(led) == {"idle-servers": ("server:p", "server:s")}


def test_a_quiet_server_without_ha_is_idle() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server("p", "a", "r", cpu_p95_pct=40),
        server("s", "a", "r", cpu_p95_pct=1),
        system("app", "a", servers=("p", "s"), ha="none", users=5000),
    )
    assert _by_reason(led) == {"idle-servers": ("server:s",)}
