"""Rooms holding a recovery copy close no earlier than the copy's replacement is live."""

from __future__ import annotations

from govcloud.ledger import model
from govcloud.plan.recovery_rooms import hold_recovery_rooms
from tests.analysis.builders import dept, ledger, site, system

COPY = model.Backup(offsite=True, site="idc")


def _ledger() -> model.Ledger:
    return ledger(
        dept("a"),
        site("idc", "a"),
        site("r", "a"),
        system("moves", "a", backup=COPY),
        system("plain", "a"),
    )


def test_a_moving_system_holds_its_recovery_room_until_its_wave() -> None:
    closes = {"idc": 1, "r": 2}
    held = hold_recovery_rooms(_ledger(), {"moves": "rehost", "plain": "rehost"}, {"moves": 3}, closes)
    assert held == {"idc": 3, "r": 2}
    assert closes == {"idc": 1, "r": 2}  # the input is not changed
    # a room closing after the wave anyway keeps its date
    assert hold_recovery_rooms(_ledger(), {"moves": "rehost"}, {"moves": 1}, {"idc": 2})["idc"] == 2


def test_a_system_that_stays_keeps_its_room_and_a_retired_one_does_not() -> None:
    assert "idc" not in hold_recovery_rooms(_ledger(), {"moves": "retain"}, {}, {"idc": 1})
    assert hold_recovery_rooms(_ledger(), {"moves": "retire"}, {"moves": 2}, {"idc": 1}) == {"idc": 1}


def test_the_only_recovery_copy_of_a_staying_system_is_a_room_hold_of_the_plan() -> None:
    """Since issue 25's room holds: a room holding the copy of a system that stays is held for
    that reason too (``recovery-copy``) and never closes; one of a moving system waits for it."""
    from govcloud.analysis import analyse
    from govcloud.ledger import load
    from govcloud.plan import MOVING, build, verify
    from govcloud.samples import default_inventory

    led = load(default_inventory()).ledger
    assert led is not None
    plan = build(led, analyse(led))
    closes = {r: e.wave.number for e in plan.schedule for r in e.closed_rooms}
    staying = {
        s.backup.site
        for s in led.systems.values()
        if s.backup and s.backup.site and plan.decisions[s.id].action not in MOVING | {"retire"}
    }
    assert staying  # the sample has such rooms
    for room in staying:
        assert "recovery-copy" in plan.room_holds[room]
        assert room not in closes
    for s in led.systems.values():
        if s.backup and s.backup.site in closes and plan.decisions[s.id].action in MOVING:
            assert plan.wave_of[s.id] <= closes[s.backup.site]
    assert not [v for v in verify(plan) if v.code == "recovery-room-closed"]
    assert not hold_recovery_rooms(led, dict.fromkeys(led.systems, "retain"), {}, dict.fromkeys(staying, 1))
