"""When rooms close and lines are cancelled, by their contracts.

A room is empty, or a line unused, the day after the wave that frees it.  Its lease or line
contract may run on: leaving early costs a penalty (``early_exit_penalty_months`` of its fee),
waiting costs the fees until the contract ends.  The plan leaves early only when the fees
saved outweigh the penalty, and shows both; without a contract end date it leaves at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govcloud.ledger import model
from govcloud.plan.planner import Plan

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Exit:
    kind: str  # room | line
    id: str
    wave: int
    free_on: dt.date
    contract_end: dt.date | None
    closes_on: dt.date
    early: bool
    #: fees until the contract ends, saved by leaving early
    saving_cny: float
    #: what leaving early costs
    penalty_cny: float


def _exit(
    kind: str,
    ident: str,
    wave: int,
    free_on: dt.date,
    contract_end: dt.date | None,
    monthly: float,
    months: float,
) -> Exit:
    if contract_end is None or contract_end <= free_on:
        return Exit(kind, ident, wave, free_on, contract_end, free_on, False, 0.0, 0.0)
    remaining = (contract_end - free_on).days / DAYS_PER_MONTH
    saving = round(remaining * monthly, 2)
    penalty = round(min(remaining, months) * monthly, 2)
    early = saving > penalty
    return Exit(
        kind, ident, wave, free_on, contract_end, free_on if early else contract_end, early, saving, penalty
    )


def exits(plan: Plan) -> list[Exit]:
    """Every room closed and line cancelled, with the day it really closes."""
    ledger: model.Ledger = plan.ledger
    months = plan.rules.early_exit_penalty_months
    out = []
    for entry in plan.schedule:
        if entry.window is None:
            continue
        free_on = entry.window.end + dt.timedelta(days=1)
        for site_id in sorted(entry.closed_rooms):
            site = ledger.sites[site_id]
            out.append(
                _exit(
                    "room",
                    site_id,
                    entry.wave.number,
                    free_on,
                    site.contract_end,
                    plan.basis().room_cny(site) / 12,
                    months,
                )
            )
        for line_id in sorted(entry.cancelled_lines):
            line = ledger.lines[line_id]
            out.append(
                _exit(
                    "line",
                    line_id,
                    entry.wave.number,
                    free_on,
                    line.contract_end,
                    line.monthly_fee_cny,
                    months,
                )
            )
    return out


def fiscal_years(start: dt.date, end: dt.date) -> list[int]:
    """The fiscal years a window touches (China's fiscal year is the calendar year)."""
    return list(range(start.year, end.year + 1))
