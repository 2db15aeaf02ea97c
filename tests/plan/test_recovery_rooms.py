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
