"""The runbook of each wave: steps in the order work is done, in both languages."""

from __future__ import annotations

import functools

from govcloud.analysis import analyse
from govcloud.i18n import t
from govcloud.ledger import load
from govcloud.plan import Plan, build
from govcloud.plan.runbook import runbook
from govcloud.samples import default_inventory


@functools.cache
def _plan() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


ORDER = (
    "done",
    "foundation",
    "readdress",
    "transfer",
    "cutover",
    "parallel-run",
    "retire",
    "cutover-network",
    "close-room",
    "cancel-line",
)


def test_every_wave_has_its_steps_in_order() -> None:
    plan = _plan()
    for entry in plan.schedule:
        steps = runbook(plan, entry)
        codes = [s.code for s in steps]
        # each system moved: cut-over, acceptance, rollback, one after the other
        pairs = [(s.code, s.as_dict()) for s in steps]
        for system_id in entry.wave.systems:
            i = pairs.index(("cutover", {"node": plan.decisions[system_id].target, "system": system_id}))
            assert pairs[i + 1 : i + 3] == [
                ("acceptance", {"system": system_id}),
                ("rollback", {"system": system_id}),
            ]
        # a retired duplicate: parallel run and switch of its users come before it retires
        for retired, platform in entry.switched_users:
            params = [(s.code, s.as_dict()) for s in steps]
            run = params.index(("parallel-run", {"platform": platform, "system": retired, "weeks": 4}))
            switch = params.index(("switch-users", {"platform": platform, "system": retired}))
            retire = params.index(("retire", {"system": retired}))
            assert run < switch < retire
        phases = [c.replace("-online", "").replace("-offline", "") for c in codes]
        phases = [c for c in phases if c in ORDER and c != "retire"]
        assert phases == sorted(phases, key=ORDER.index)
        assert codes.count("close-room") == len(entry.closed_rooms)
        assert codes.count("cancel-line") == len(entry.cancelled_lines)
        assert codes.count("readdress") == len(entry.readdressed_networks)
        assert codes.count("retire") + codes.count("retire-idle") == len(entry.retired_systems)
        for step in steps:
            for lang in ("zh", "en"):
                assert "{" not in t(f"runbook.{step.code}", lang, **step.as_dict())


def test_the_sample_shows_every_kind_of_step() -> None:
    plan = _plan()
    codes = {s.code for e in plan.schedule for s in runbook(plan, e)}
    assert {
        "foundation",
        "readdress",
        "cutover",
        "acceptance",
        "rollback",
        "parallel-run",
        "switch-users",
        "retire",
        "retire-idle",
        "cutover-network",
        "close-room",
        "cancel-line",
    } <= codes
    assert "done" not in codes  # nothing is recorded as done in the sample


def test_a_closing_room_lists_its_equipment_by_kind_and_count() -> None:
    plan = _plan()
    seen = 0
    for entry in plan.schedule:
        steps = runbook(plan, entry)
        for site_id in entry.closed_rooms:
            site = plan.ledger.sites[site_id]
            removes = [
                s.as_dict() for s in steps if s.code == "remove-equipment" and s.as_dict()["room"] == site_id
            ]
            if not site.equipment:
                assert removes == []
                continue
            seen += 1
            expected = {"room": site_id, "network": 0, "security": 0, "storage": 0, "other": 0}
            for gear in site.equipment:
                expected[gear.kind] += gear.count
            assert removes == [expected]
            # decommissioned just before the room closes
            codes = [(s.code, s.as_dict().get("room")) for s in steps]
            assert codes.index(("remove-equipment", site_id)) + 1 == codes.index(("close-room", site_id))
    assert seen >= 2  # the sample closes rooms with equipment
    step = next(s for e in plan.schedule for s in runbook(plan, e) if s.code == "remove-equipment")
    assert "台" in t("runbook.remove-equipment", "zh", **step.as_dict())
