"""先立后破 in the verifier: each principle broken at and just past its limit, on the sample's plan."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govcloud.analysis import analyse
from govcloud.ledger import load, model
from govcloud.plan import MOVING, Plan, build, verify
from govcloud.plan.principles import needs_readdressing
from govcloud.plan.rules import PlanRules
from govcloud.plan.scenario import Scenario
from govcloud.samples import default_inventory


@functools.cache
def _sample_plan() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


def plan() -> Plan:
    """A private copy of the sample's plan that a test may break."""
    return copy.deepcopy(_sample_plan())


#: 交通运输厅中心机房 (6 racks, 2 in use) consolidates, so its systems leave; a scenario that
#: keeps hy-jtt-sys03 (on the room's extranet) in place is what holds the room for its equipment
_KEEP_JTT_SYS03 = Scenario(force=(("hy-jtt-sys03", "retain"),))


@functools.cache
def _kept_plan() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger), scenario=_KEEP_JTT_SYS03)


def kept_plan() -> Plan:
    """A private copy of the sample's plan with hy-jtt-sys03 kept in its room."""
    return copy.deepcopy(_kept_plan())


def codes(p: Plan, code: str) -> list[tuple[str, str]]:
    return [(v.subject, v.detail) for v in verify(p) if v.code == code]


def test_the_sample_keeps_every_principle() -> None:
    p = plan()
    assert verify(p) == []
    ends = {e.wave.number: e.window.end for e in p.schedule if e.window}
    moves = {s: e.wave.number for e in p.schedule for s in e.wave.systems}
    retired_onto = [d for d in p.decisions.values() if d.action == "retire" and d.platform]
    assert retired_onto, "the sample retires duplicates onto platforms"
    for d in retired_onto:
        retires = next(e.wave.number for e in p.schedule if d.system in e.retired_systems)
        platform = p.decisions[d.platform or ""]
        live = ends[moves[platform.system]] if platform.action in MOVING else p.ledger.region.as_of
        assert ends[retires] >= live + dt.timedelta(weeks=4)
    closed = {r for e in p.schedule for r in e.closed_rooms}
    assert not closed & set(p.room_holds)
    # no idle server is placed: idle servers that host nothing are reclaimed in the first wave
    # (those of a moving system when it moves)
    assert p.acted.idle_servers
    assert not p.acted.idle_servers & {x.server for x in p.placements}
    hosting = {s for system in p.ledger.systems.values() for s in system.servers}
    unhosted = p.acted.idle_servers - hosting
    assert unhosted
    assert unhosted <= set(p.schedule[0].reclaimed_servers)
    assert {"classified", "national-network"} <= {why for whys in p.room_holds.values() for why in whys}
    # the weak room of the transport department closes: no system of its own stays behind
    assert "hy-jtt-room1" in closed
    assert "hy-jtt-room1" not in p.room_holds


def test_a_room_whose_equipment_serves_a_staying_system_is_held() -> None:
    p = kept_plan()
    assert verify(p) == []
    assert "equipment-in-use" in p.room_holds["hy-jtt-room1"]
    assert "hy-jtt-room1" not in {r for e in p.schedule for r in e.closed_rooms}


def _retired_onto_moving(p: Plan) -> tuple[str, str, int, int]:
    """A duplicate retired onto a platform that moves: (system, platform, retire wave, platform wave)."""
    for entry in p.schedule:
        for system_id, platform in entry.switched_users:
            for other in p.schedule:
                if platform in other.wave.systems:
                    return system_id, platform, entry.wave.number, other.wave.number
    raise AssertionError("no duplicate retires onto a moving platform")


def _end(p: Plan, number: int) -> dt.date:
    window = next(e.window for e in p.schedule if e.wave.number == number)
    assert window is not None
    return window.end


def test_retired_before_the_parallel_run_is_over() -> None:
    p = plan()
    system_id, platform, retires, platform_wave = _retired_onto_moving(p)
    gap = (_end(p, retires) - _end(p, platform_wave)).days
    assert gap % 7 == 0
    at_limit = dataclasses.replace(p, rules=PlanRules(parallel_run_weeks=gap // 7))
    assert codes(at_limit, "retired-before-parallel-run") == []
    past = dataclasses.replace(p, rules=PlanRules(parallel_run_weeks=gap // 7 + 1))
    live = _end(p, platform_wave).isoformat()
    found = [c for c in codes(past, "retired-before-parallel-run") if c[0] == system_id]
    assert found == [
        (system_id, f"{_end(p, retires).isoformat()} < {platform} live {live} + {gap // 7 + 1} weeks")
    ]


def test_retired_in_the_wave_its_platform_moves() -> None:
    p = plan()
    system_id, platform, retires, platform_wave = _retired_onto_moving(p)
    for entry in p.schedule:
        if entry.wave.number == retires:
            entry.retired_systems.remove(system_id)
            entry.switched_users.remove((system_id, platform))
        if entry.wave.number == platform_wave:
            entry.retired_systems.append(system_id)
            entry.switched_users.append((system_id, platform))
    found = [c for c in codes(p, "retired-before-parallel-run") if c[0] == system_id]
    end = _end(p, platform_wave).isoformat()
    assert found == [(system_id, f"{end} < {platform} live {end} + 4 weeks")]


def test_users_not_switched() -> None:
    p = plan()
    system_id, platform, retires, _ = _retired_onto_moving(p)
    assert codes(p, "users-not-switched") == []
    for entry in p.schedule:
        if (system_id, platform) in entry.switched_users:
            entry.switched_users.remove((system_id, platform))
    assert codes(p, "users-not-switched") == [(system_id, f"{platform} in wave {retires}")]


def test_platform_not_live() -> None:
    p = plan()
    system_id, platform, _, _ = _retired_onto_moving(p)
    p.decisions[platform] = dataclasses.replace(p.decisions[platform], action="retire", target=None)
    assert (system_id, f"{platform}: retire") in codes(p, "platform-not-live")


def test_cut_over_before_or_with_its_readdressing() -> None:
    p = plan()
    needed = needs_readdressing(p.ledger)
    cut = {n: e.wave.number for e in p.schedule for n in e.cutover_networks}
    done = {n: e.wave.number for e in p.schedule for n in e.readdressed_networks}
    network_id = min(n for n in cut if n in needed)
    assert done[network_id] == cut[network_id] - 1  # just before: allowed
    assert codes(p, "cutover-before-readdress") == []
    entries = {e.wave.number: e for e in p.schedule}
    entries[done[network_id]].readdressed_networks.remove(network_id)
    entries[cut[network_id]].readdressed_networks.append(network_id)  # the same wave: too late
    assert codes(p, "cutover-before-readdress") == [
        (network_id, f"cut over in wave {cut[network_id]}, re-addressed wave {cut[network_id]}")
    ]
    entries[cut[network_id]].readdressed_networks.remove(network_id)
    assert codes(p, "cutover-before-readdress") == [
        (network_id, f"cut over in wave {cut[network_id]}, re-addressed -")
    ]


def _close(p: Plan, site: str, wave: int) -> None:
    for entry in p.schedule:
        if site in entry.closed_rooms:
            entry.closed_rooms.remove(site)
        if entry.wave.number == wave:
            entry.closed_rooms.append(site)


def test_room_closed_with_a_classified_system_or_a_national_network() -> None:
    p = plan()
    classified = min(s for s, why in p.room_holds.items() if "classified" in why)
    national = min(s for s, why in p.room_holds.items() if "national-network" in why)
    last = p.schedule[-1].wave.number
    _close(p, classified, last)
    _close(p, national, last)
    assert (classified, f"wave {last}") in codes(p, "room-closed-classified")
    assert any(s == national for s, _ in codes(p, "room-closed-national-network"))


def test_room_closed_while_a_server_still_runs_there_at_and_past_the_limit() -> None:
    p = plan()
    ledger = p.ledger
    moves = {s: e.wave.number for e in p.schedule for s in e.wave.systems}
    closes = {r: e.wave.number for e in p.schedule for r in e.closed_rooms}
    # a closed room whose last system leaves in exactly the wave it closes (the limit)
    for site, wave in sorted(closes.items()):
        leaving = [
            (s.id, sid)
            for s in ledger.servers.values()
            if s.site == site
            for sid in (x.id for x in ledger.systems.values() if s.id in x.servers)
            if moves.get(sid) == wave
        ]
        if leaving and wave > 1:
            break
    else:
        raise AssertionError("no room closes in the wave its last system moves")
    assert codes(p, "room-closed-running") == []
    _close(p, site, wave - 1)  # one wave too early
    found = codes(p, "room-closed-running")
    assert found
    assert {s for s, _ in found} == {site}
    server_id, system_id = leaving[0]
    action = p.decisions[system_id].action
    assert (
        site,
        f"{server_id} of {system_id} ({action}, leaves {wave}), room closes in wave {wave - 1}",
    ) in found


def test_room_closed_while_a_line_is_still_in_use() -> None:
    p = plan()
    site = min(s for s, why in p.room_holds.items() if why == ("line-in-use",))
    last = p.schedule[-1].wave.number
    _close(p, site, last)
    found = codes(p, "room-closed-line-in-use")
    assert found
    assert {s for s, _ in found} == {site}
    assert all("(" in detail and ":" in detail for _, detail in found)


def _equipment_cut_over(p: Plan) -> list[tuple[str, model.Equipment, str, int]]:
    """(room, equipment, network, cut-over wave) for equipment in a closed room serving a
    network the plan cuts over."""
    cut = {n: e.wave.number for e in p.schedule for n in e.cutover_networks}
    closed = sorted({r for e in p.schedule for r in e.closed_rooms})
    return [
        (site_id, gear, n, cut[n])
        for site_id in closed
        for gear in p.ledger.sites[site_id].equipment
        for n in gear.networks
        if n in cut
    ]


def test_room_closed_while_its_equipment_serves_a_network_not_cut_over() -> None:
    p = plan()
    site, gear, network_id, cut = min(_equipment_cut_over(p), key=lambda x: x[0])
    closes = next(e.wave.number for e in p.schedule if site in e.closed_rooms)
    assert closes == cut  # the room would close earlier: its servers have left (the limit)
    assert codes(p, "room-closed-equipment-in-use") == []
    _close(p, site, cut - 1)  # one wave too early
    assert codes(p, "room-closed-equipment-in-use") == [
        (
            site,
            f"{gear.count} {gear.kind} serving {network_id} (cut over in wave {cut}), "
            f"room closes in wave {cut - 1}",
        )
    ]


def test_room_closed_while_its_equipment_serves_a_network_a_staying_system_uses() -> None:
    p = kept_plan()
    site = min(s for s, why in p.room_holds.items() if "equipment-in-use" in why)
    last = p.schedule[-1].wave.number
    _close(p, site, last)
    found = codes(p, "room-closed-equipment-in-use")
    assert found
    assert {s for s, _ in found} == {site}
    staying = sorted(
        s.id
        for s in p.ledger.systems.values()
        if p.decisions[s.id].action not in MOVING | {"retire"} and "hy-jtt-extranet" in s.networks
    )
    assert staying
    assert (
        site,
        f"1 security serving hy-jtt-extranet (not cut over: {', '.join(staying)}), room closes in wave {last}",
    ) in found


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_plans_that_try_to_break_a_principle_are_rejected(data: st.DataObject) -> None:
    """Generated breakings of the sample's plan: a retirement moved into a wave that ends
    before the parallel run is over, a held room closed in any wave, a cut-over moved to or
    before its re-addressing.  The verifier names each, with its subject."""
    p = plan()
    entries = {e.wave.number: e for e in p.schedule}
    moves = {s: e.wave.number for e in p.schedule for s in e.wave.systems}
    kind = data.draw(st.sampled_from(["retire", "room", "cutover", "equipment"]))
    if kind == "retire":
        pairs = sorted((s, pf, e.wave.number) for e in p.schedule for s, pf in e.switched_users)
        system_id, platform, retires = data.draw(st.sampled_from(pairs))
        live = _end(p, moves[platform]) if platform in moves else p.ledger.region.as_of
        early = [n for n in entries if _end(p, n) < live + dt.timedelta(weeks=4)]
        assume(early)
        wave = data.draw(st.sampled_from(early))
        entries[retires].retired_systems.remove(system_id)
        entries[wave].retired_systems.append(system_id)
        assert system_id in {s for s, _ in codes(p, "retired-before-parallel-run")}
    elif kind == "equipment":  # a room closed before a network its equipment serves is cut over
        site, _, _, cut = data.draw(st.sampled_from(_equipment_cut_over(p)))
        _close(p, site, data.draw(st.sampled_from([n for n in entries if n < cut])))
        assert site in {s for s, _ in codes(p, "room-closed-equipment-in-use")}
    elif kind == "room":
        site = data.draw(st.sampled_from(sorted(p.room_holds)))
        _close(p, site, data.draw(st.sampled_from(sorted(entries))))
        found = {
            v.subject
            for v in verify(p)
            if v.code.startswith("room-closed-") and v.code != "room-closed-running"
        }
        assert site in found
    else:
        needed = needs_readdressing(p.ledger)
        cut = sorted(n for e in p.schedule for n in e.cutover_networks if n in needed)
        network_id = data.draw(st.sampled_from(cut))
        done = next(e.wave.number for e in p.schedule if network_id in e.readdressed_networks)
        for e in p.schedule:
            if network_id in e.cutover_networks:
                e.cutover_networks.remove(network_id)
        entries[data.draw(st.sampled_from([n for n in entries if n <= done]))].cutover_networks.append(
            network_id
        )
        assert network_id in {s for s, _ in codes(p, "cutover-before-readdress")}
