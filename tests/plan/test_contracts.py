"""Rooms and lines close by their contracts: early only when the fees saved outweigh the penalty."""

from __future__ import annotations

import datetime as dt
import functools

from govcloud.analysis import analyse
from govcloud.ledger import load
from govcloud.plan import Plan, build
from govcloud.plan.contracts import DAYS_PER_MONTH, _exit, exits, fiscal_years
from govcloud.samples import default_inventory

FREE = dt.date(2027, 1, 1)


def test_early_only_when_the_saving_outweighs_the_penalty() -> None:
    # six months of penalty: a contract ending exactly six months later is waited out …
    at_limit = FREE + dt.timedelta(days=int(6 * DAYS_PER_MONTH))
    x = _exit("room", "机房甲", 3, FREE, at_limit, 1000.0, 6.0)
    assert not x.early
    assert x.closes_on == at_limit
    assert x.saving_cny == x.penalty_cny
    # … one more month and leaving early saves more than it costs
    past = FREE + dt.timedelta(days=round(7 * DAYS_PER_MONTH))
    y = _exit("room", "机房甲", 3, FREE, past, 1000.0, 6.0)
    assert y.early
    assert y.closes_on == FREE
    assert y.saving_cny > y.penalty_cny == 6000.0
    # no contract end, or one already past: closes when empty, nothing to pay
    assert _exit("line", "l", 1, FREE, None, 1000.0, 6.0).closes_on == FREE
    assert _exit("line", "l", 1, FREE, FREE - dt.timedelta(days=1), 1000.0, 6.0).penalty_cny == 0.0


@functools.cache
def _plan() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


def test_every_closed_room_and_cancelled_line_has_its_exit() -> None:
    plan = _plan()
    found = exits(plan)
    closed = {r for e in plan.schedule for r in e.closed_rooms} | {
        ln for e in plan.schedule for ln in e.cancelled_lines
    }
    assert {x.id for x in found} == closed
    assert any(x.early for x in found)
    assert any(x.contract_end and not x.early and x.closes_on == x.contract_end for x in found)
    for x in found:
        assert x.closes_on >= x.free_on


def test_fiscal_years() -> None:
    assert fiscal_years(dt.date(2026, 11, 18), dt.date(2027, 1, 12)) == [2026, 2027]
    assert fiscal_years(dt.date(2026, 7, 1), dt.date(2026, 9, 22)) == [2026]
