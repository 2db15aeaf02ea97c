"""Findings reach the plan: idle servers reclaimed, one asset planned once, shared lines
scheduled; the verifier rejects each when broken, at and just past its limit."""

from __future__ import annotations

import dataclasses

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import Plan, build, verify
from govcloud.plan.findings import Acted
from tests.analysis.builders import cloud, dept, line, priced_ledger, server, site, system


def _codes(plan: Plan, code: str) -> list[tuple[str, str]]:
    return [(v.subject, v.detail) for v in verify(plan) if v.code == code]


def _busy(ident: str, **kw: object) -> model.Server:
    return server(ident, "a", "r", cpu_cores=4, memory_gb=8, cpu_p95_pct=60, mem_p95_pct=70, **kw)  # type: ignore[arg-type]


def _idle(ident: str, cpu: float = 1.0, **kw: object) -> model.Server:
    return server(ident, "a", "r", cpu_cores=4, memory_gb=8, cpu_p95_pct=cpu, mem_p95_pct=2, **kw)  # type: ignore[arg-type]


def test_idle_servers_of_a_moving_system_are_reclaimed_not_placed() -> None:
    led = priced_ledger(
        dept("a"), cloud("prov"), site("r", "a"), _busy("busy"), _idle("idle"),
        system("app", "a", servers=("busy", "idle")),
    )  # fmt: skip
    plan = build(led, analyse(led))
    assert plan.decisions["app"].action == "rehost"
    assert [p.server for p in plan.placements] == ["busy"]
    assert [s for e in plan.schedule for s in e.reclaimed_servers] == ["idle"]
    assert verify(plan) == []
    # just past the limit: the idle server placed as well
    extra = dataclasses.replace(plan.placements[0], server="idle")
    broken = dataclasses.replace(plan, placements=[*plan.placements, extra])
    assert _codes(broken, "idle-placed") == [("idle", "app on prov")]


def test_a_system_whose_servers_are_all_idle_keeps_its_busiest() -> None:
    led = priced_ledger(
        dept("a"), cloud("prov"), site("r", "a"), _idle("i1", cpu=1.0), _idle("i2", cpu=3.0),
        system("app", "a", servers=("i1", "i2")),
    )  # fmt: skip
    plan = build(led, analyse(led))
    assert [p.server for p in plan.placements] == ["i2"]  # at the limit: one server stays
    assert _codes(plan, "idle-placed") == []
    assert verify(plan) == []


def test_two_records_of_one_asset_are_placed_once() -> None:
    led = priced_ledger(
        dept("a"), dept("b"), cloud("prov"), site("r", "a"),
        _busy("rec-a", serial="SN-1", hostname="db01"),
        server("rec-b", "b", "r", cpu_cores=4, memory_gb=8, cpu_p95_pct=60, mem_p95_pct=70, serial="SN-1", hostname="db01"),
        system("x", "a", servers=("rec-a",)),
        system("y", "b", servers=("rec-b",)),
    )  # fmt: skip
    plan = build(led, analyse(led))
    assert plan.acted.alias_of == {"rec-b": "rec-a"}
    assert [p.server for p in plan.placements] == ["rec-a"]
    assert verify(plan) == []
    twice = dataclasses.replace(plan.placements[0], server="rec-b", system="y")
    broken = dataclasses.replace(plan, placements=[*plan.placements, twice])
    assert _codes(broken, "record-placed-twice") == [("rec-b", "the same asset as rec-a")]


def test_shared_line_upgraded_before_the_parallel_lines_are_cancelled() -> None:
    ends = (model.LineEnd(address="科技路9号 IDC"), model.LineEnd(address="省政务外网接入点"))
    led = priced_ledger(
        dept("a"), dept("b"), dept("c"), cloud("prov"), site("r", "a"),
        _busy("s"), system("x", "a", servers=("s",)),
        line("la", "a", *ends, monthly_fee_cny=5000, bandwidth_mbps=100),
        line("lb", "b", *ends, monthly_fee_cny=5000, bandwidth_mbps=100),
        line("lc", "c", *ends, monthly_fee_cny=5000, bandwidth_mbps=100),
    )  # fmt: skip
    plan = build(led, analyse(led))
    upgraded = {ln: e.wave.number for e in plan.schedule for ln in e.upgraded_lines}
    cancelled = {ln: e.wave.number for e in plan.schedule for ln in e.cancelled_lines}
    assert len(upgraded) == 1
    ((keep, up),) = upgraded.items()
    assert set(cancelled) == {"la", "lb", "lc"} - {keep}
    assert all(w == up + 1 for w in cancelled.values())  # the next wave: just after the upgrade
    assert verify(plan) == []
    # at the limit (the same wave as the upgrade) the verifier rejects it
    victim = min(cancelled)
    for e in plan.schedule:
        if victim in e.cancelled_lines:
            e.cancelled_lines.remove(victim)
        if e.wave.number == up:
            e.cancelled_lines.append(victim)
    assert _codes(plan, "line-cancelled-before-upgrade") == [
        (victim, f"cancelled in wave {up}, {keep} upgraded in wave {up}")
    ]


def test_reclaimed_servers_are_worked_out_again_for_another_ledger_or_findings() -> None:
    led = priced_ledger(
        dept("a"), cloud("prov"), site("r", "a"), _busy("busy"), _idle("idle"),
        system("app", "a", servers=("busy", "idle")),
    )  # fmt: skip
    acted = Acted(idle_servers=frozenset({"idle"}))
    assert acted.reclaimed(led.systems["app"], led) == {"idle"}
    assert acted.reclaimed(led.systems["app"], led) == {"idle"}  # asked again: the same
    # the same findings, another ledger where the idle server is not the system's
    other = dataclasses.replace(led, systems={"app": system("app", "a", servers=("busy",))})
    assert acted.reclaimed(other.systems["app"], other) == frozenset()
    # other findings (a copy does not keep what the first worked out)
    assert (
        dataclasses.replace(acted, idle_servers=frozenset()).reclaimed(led.systems["app"], led) == frozenset()
    )
    # a system that is not the ledger's own (changed by the caller) is not answered from memory
    changed = dataclasses.replace(led.systems["app"], servers=("busy",))
    assert acted.reclaimed(changed, led) == frozenset()
    assert acted.reclaimed(led.systems["app"], led) == {"idle"}
