"""Rooms that hold a system's recovery copy (``backup.site``) stay open until the system's
replacement is live: the end of its wave when it moves (its copy is then in the cloud, see
:mod:`govcloud.plan.recovery`), for good when it stays (its copy has nowhere else to go).  A retired system needs no copy."""

from __future__ import annotations

from govcloud.ledger import model
from govcloud.plan.decide import MOVING

#: decisions whose system gets a recovery copy in the cloud when it moves
_RECOVERED = MOVING


def hold_recovery_rooms(
    ledger: model.Ledger, actions: dict[str, str], wave_of: dict[str, int], room_closes: dict[str, int]
) -> dict[str, int]:
    """``room_closes`` with the rooms holding recovery copies kept open as long as needed."""
    out = dict(room_closes)
    for system in ledger.systems.values():
        site = system.backup.site if system.backup else None
        if not site or site not in out:
            continue
        action = actions.get(system.id, "retain")
        if action == "retire":
            continue
        if action in _RECOVERED:
            out[site] = max(out[site], wave_of.get(system.id, 1))
        else:
            del out[site]
    return out


def recovery_room_holds(ledger: model.Ledger, actions: dict[str, str]) -> set[str]:
    """Rooms that hold the only recovery copy of a system that stays: they cannot close
    (the ``recovery-copy`` reason of ``plan.json`` ``room_holds``)."""
    out = set()
    for system in ledger.systems.values():
        site = system.backup.site if system.backup else None
        if site and actions.get(system.id, "retain") not in _RECOVERED | {"retire"}:
            out.add(site)
    return out
