"""The cash flow month by month, on ledgers whose answers are known by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.analysis import analyse
from govcloud.ledger import load, model
from govcloud.plan import PlanRules, Scenario, build, verify
from govcloud.plan.cashflow import cash_flow, month_index, npv, payback
from govcloud.plan.contracts import exits as contract_exits
from govcloud.samples import default_inventory
from tests.analysis.builders import AS_OF, dept, ledger, line, server, site, system
from tests.plan.test_plan_properties import ledgers

CATALOGUE = model.Prices(
    instance_types=(model.InstanceType("prov", "small", 2, 4, 100),),
    storage=(model.StoragePrice("prov", "ssd", 0.0),),
    migration=model.MigrationPrices(
        per_server_cny=1000, per_system_cny=10_000, per_retired_system_cny=3000, per_ported_system_cny=7000
    ),
)
NODE = model.CloudNode("prov", "prov", "alicloud", "cn-hangzhou", (model.Zone("h"),), 3)
FIRST = dt.date(2026, 7, 1)  # the month after the builders' as-of date


def _one_room(
    *extra: object, line_end: dt.date | None = None, room_end: dt.date | None = None
) -> model.Ledger:
    ap = model.AccessPoint("ap", "ap", 1000)
    return ledger(
        dept("a"),
        NODE,
        ap,
        site("r", "a", yearly_cost_cny=120_000, contract_end=room_end),
        server(
            "s1", "a", "r", cpu_cores=2, memory_gb=4, cpu_p95_pct=50, mem_p95_pct=50, maintenance_cny=12_000
        ),
        system("x", "a", servers=("s1",), mlps_level=1),
        line(
            "la",
            "a",
            model.LineEnd(site="r"),
            model.LineEnd(access_point="ap"),
            monthly_fee_cny=2000,
            contract_end=line_end,
        ),
        *extra,
        prices=CATALOGUE,
    )  # type: ignore[arg-type]


def _plan(led: model.Ledger, **rules: object):  # type: ignore[no-untyped-def]
    return build(led, analyse(led), PlanRules(**rules))  # type: ignore[arg-type]


def test_saving_starts_at_the_cut_over() -> None:
    for parallel in (0, 2):
        plan = _plan(_one_room(), parallel_run_months=parallel)
        window = plan.schedule[0].window
        assert window is not None
        cut = month_index(FIRST, window.end) + 1 + parallel
        months = cash_flow(plan).months
        old_side = 10_000 + 1000 + 2000  # room, maintenance and line per month
        for m in months[:cut]:
            # double running: the cloud instance is paid from the wave's start, the old side too
            assert m.opex == pytest.approx(old_side + 100)
        for m in months[cut + 1 :]:
            assert m.opex == pytest.approx(100)
            assert m.saving == pytest.approx(old_side - 100)
        assert months[cut].saving > 0
        assert all(m.saving <= 0 for m in months[:cut])


def test_a_line_left_early_pays_the_calendars_penalty_and_one_kept_runs_to_its_end() -> None:
    """One notion of the early-exit penalty: the calendar leaves early only when the fees saved
    outweigh ``early_exit_penalty_months`` of the fee, and the cash flow books that penalty."""
    plan = _plan(_one_room(), parallel_run_months=0)
    window = plan.schedule[0].window
    assert window is not None
    cut = month_index(FIRST, window.end) + 1
    free_on = window.end + dt.timedelta(days=1)

    def exits(line_end: dt.date | None, months: float = 6.0) -> dict[str, float]:
        led = _one_room(line_end=line_end)
        p = _plan(led, parallel_run_months=0, early_exit_penalty_months=months)
        calendar = {x.id: x.penalty_cny for x in contract_exits(p) if x.kind == "line" and x.early}
        found = {o.id: o.cny for o in cash_flow(p).one_offs if o.kind == "line-exit"}
        assert found == calendar  # the cash flow pays what the calendar weighed
        return found

    # the contract runs three years on: leaving early saves more than the penalty
    later = dt.date(free_on.year + 3, free_on.month, 1)
    assert exits(later) == {"la": pytest.approx(6 * 2000)}
    assert exits(later, months=3) == {"la": pytest.approx(3 * 2000)}
    assert exits(free_on - dt.timedelta(days=1)) == {}  # ended before: nothing owed
    assert exits(None) == {}
    # the penalty is paid in the month the line goes, and its fee stops there
    cash = cash_flow(_plan(_one_room(line_end=later), parallel_run_months=0))
    assert cash.months[cut].one_off == pytest.approx(6 * 2000)
    # two months left: the penalty would cost as much as it saves, so the line runs to its end
    soon = free_on + dt.timedelta(days=60)
    assert exits(soon) == {}
    kept = cash_flow(_plan(_one_room(line_end=soon), parallel_run_months=0))
    end = month_index(FIRST, soon)
    assert kept.months[end].opex == pytest.approx(cash.months[end].opex + 2000)
    assert kept.months[end + 1].opex == pytest.approx(cash.months[end + 1].opex)


def test_a_room_left_before_its_lease_ends_pays_the_penalty() -> None:
    plan = _plan(_one_room(room_end=dt.date(2029, 12, 31)), parallel_run_months=0)
    window = plan.schedule[0].window
    assert window is not None
    cut = month_index(FIRST, window.end) + 1
    [lease] = [o for o in cash_flow(plan).one_offs if o.kind == "lease-exit"]
    assert lease.month == cut
    assert lease.cny == pytest.approx(plan.rules.early_exit_penalty_months * 10_000)
    [room] = [x for x in contract_exits(plan) if x.kind == "room"]
    assert room.early
    assert room.penalty_cny == pytest.approx(lease.cny)


def test_a_relocated_server_is_counted_once() -> None:
    led = _one_room()
    led = ledger(
        *[e for kind, e in led.entities() if kind != "servers"],
        server(
            "s1",
            "a",
            "r",
            cpu_cores=2,
            memory_gb=4,
            cpu_p95_pct=50,
            mem_p95_pct=50,
            maintenance_cny=12_000,
            purchase_date=AS_OF - dt.timedelta(days=365),
            purchase_value_cny=48_000,
        ),
        prices=CATALOGUE,
    )
    relocated = build(led, analyse(led), PlanRules(), Scenario(force=(("x", "relocate"),)))
    assert relocated.decisions["x"].action == "relocate"
    assert relocated.total.cloud_cny == 0  # not a cloud instance as well
    assert relocated.total.depreciation_cny == pytest.approx(8000)  # 48,000 over 6 years
    cash = cash_flow(relocated)
    last = cash.months[-1]
    assert last.depreciation == pytest.approx(8000 / 12)
    assert last.opex == pytest.approx(1000)  # its maintenance, no instance
    rehosted = build(led, analyse(led), PlanRules(), Scenario(force=(("x", "rehost"),)))
    assert cash_flow(rehosted).months[-1].opex == pytest.approx(100)  # the instance, no maintenance


def test_retirement_and_porting_are_one_off_costs() -> None:
    led = _one_room(
        server("s2", "a", "r"),
        system("old", "a", servers=("s2",), status="idle"),
        server("s3", "a", "r", cpu_cores=2, memory_gb=4, cpu_p95_pct=50, mem_p95_pct=50),
        system("port", "a", servers=("s3",), mlps_level=1),
    )
    plan = build(led, analyse(led), PlanRules(), Scenario(force=(("port", "replatform"),)))
    kinds = {(o.kind, o.id): o.cny for o in cash_flow(plan).one_offs}
    assert kinds[("retirement", "old")] == 3000
    assert kinds[("porting", "port")] == 7000
    assert plan.total.one_off_cny == pytest.approx(2 * 1000 + 2 * 10_000 + 3000 + 7000)


def test_npv_and_payback_follow_the_cash_flow() -> None:
    plan = _plan(_one_room(), parallel_run_months=0)
    cash = cash_flow(plan)
    savings = [m.saving for m in cash.months]
    assert cash.npv_cny == pytest.approx(sum(s / 1.08 ** ((i + 1) / 12) for i, s in enumerate(savings)))
    cumulative = [sum(savings[: i + 1]) for i in range(len(savings))]
    p = cash.payback_month
    assert p is not None
    assert cumulative[p] >= 0 > cumulative[p - 1]
    assert all(c >= -1e-6 for c in cumulative[p:])
    cheaper = cash_flow(_plan(_one_room(), parallel_run_months=0, discount_rate_pct=0))
    assert cheaper.npv_cny == pytest.approx(sum(savings))
    # a longer parallel run pays back later
    assert cash_flow(_plan(_one_room(), parallel_run_months=6)).payback_month > p  # type: ignore[operator]


def test_payback_and_npv_by_hand() -> None:
    assert payback([-100, 50, 50]) == 2
    assert payback([-100, 50, 60, -20]) is None
    assert payback([0, 0, 0]) is None
    assert payback([10, -5]) == 0
    assert npv([12, 12], 0) == 24
    assert npv([100], 100) == pytest.approx(100 / 2 ** (1 / 12))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=30))
def test_payback_is_where_the_cumulative_saving_stays_positive(savings: list[float]) -> None:
    p = payback(savings)
    cumulative = [sum(savings[: i + 1]) for i in range(len(savings))]
    if p is None:
        assert not cumulative or cumulative[-1] < 0 or all(s == 0 for s in savings)
    else:
        assert all(c >= -1e-6 for c in cumulative[p:])
        assert p == 0 or cumulative[p - 1] < -1e-6


def test_the_as_is_still_equals_the_ledgers_totals_on_the_sample() -> None:
    led = load(default_inventory()).ledger
    assert led is not None
    plan = build(led, analyse(led))
    cash = cash_flow(plan)
    yearly = led.totals().yearly_cost_cny
    assert plan.total.as_is_cny == pytest.approx(yearly, abs=1e-6)
    assert cash.months[0].as_is * 12 == pytest.approx(yearly, abs=1e-6)
    # each funding level adds up to the whole
    for i in (0, len(cash.months) // 2, len(cash.months) - 1):
        assert sum(ms[i].to_be for ms in cash.by_level.values()) == pytest.approx(cash.months[i].to_be)
    by_level = {d.level for d in led.departments.values()}
    assert set(cash.by_level) == by_level
    # once every wave is over, the month's run rate is the yearly to-be of the cost model
    # (less the depreciation written off by then)
    last = cash.months[-1]
    assert (last.opex + last.depreciation) * 12 <= plan.total.to_be_cny + 1e-6
    assert last.opex * 12 == pytest.approx(plan.total.to_be_cny - plan.total.depreciation_cny)
    years = cash.fiscal_years()
    assert sum(y["as_is_cny"] for y in years) == pytest.approx(sum(m.as_is for m in cash.months))


@st.composite
def _costed_ledgers(draw: st.DrawFn) -> model.Ledger:
    """The planner's generated ledgers with money, contracts and recovery copies in rooms."""
    led = draw(ledgers())
    money = st.integers(0, 2_000_000).map(float)
    sites = {
        k: dataclasses.replace(
            s,
            yearly_cost_cny=draw(money),
            contract_end=draw(st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31))),
        )
        for k, s in led.sites.items()
    }
    servers = {
        k: dataclasses.replace(
            s,
            maintenance_cny=draw(money),
            purchase_value_cny=draw(st.none() | money) if s.purchase_date else None,
        )
        for k, s in led.servers.items()
    }
    rooms = sorted(sites)
    systems = {
        k: dataclasses.replace(
            s,
            backup=model.Backup(offsite=True, site=draw(st.sampled_from(rooms)))
            if draw(st.booleans())
            else None,
            ha=draw(st.sampled_from([None, "none", "cold", "hot"])),
            ops_outsourcing_cny=draw(money),
        )
        for k, s in led.systems.items()
    }
    return dataclasses.replace(led, sites=sites, servers=servers, systems=systems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_costed_ledgers())
def test_any_plans_cash_flow_reconciles_and_its_plan_passes_the_verifier(led: model.Ledger) -> None:
    plan = build(led, analyse(led))
    assert verify(plan) == []  # rooms holding recovery copies included
    cash = cash_flow(plan)
    assert cash.months[0].as_is * 12 == pytest.approx(led.totals().yearly_cost_cny, abs=1e-3)
    assert plan.total.as_is_cny == pytest.approx(led.totals().yearly_cost_cny, abs=1e-3)
    for m in (0, len(cash.months) - 1):
        assert sum(ms[m].to_be for ms in cash.by_level.values()) == pytest.approx(cash.months[m].to_be)
    assert sum(m.one_off for m in cash.months) == pytest.approx(
        sum(o.cny for o in cash.one_offs if o.month < len(cash.months))
    )
    assert cash.npv_cny == pytest.approx(npv([m.saving for m in cash.months], cash.discount_rate_pct))


def test_a_room_kept_only_for_young_hardware_is_weighed_against_its_book_value() -> None:
    young = AS_OF - dt.timedelta(days=365)

    def rooms(room_cost: float, *extra: object) -> list[tuple[str, bool, float]]:
        led = ledger(
            dept("a"),
            NODE,
            site("r", "a", yearly_cost_cny=room_cost),
            server("new", "a", "r", purchase_date=young, purchase_value_cny=48_000),
            system("x", "a", servers=("new",)),
            *extra,
            prices=CATALOGUE,
        )  # type: ignore[arg-type]
        plan = build(led, analyse(led))
        assert plan.decisions["x"].action == "retain"  # the sunk-cost rule keeps it
        return [(r.room, r.close_early, r.book_value_cny) for r in cash_flow(plan).sunk_cost_rooms]

    book = pytest.approx(48_000 * (1 - 365 / 365.25 / 6))  # a year of six written off
    # 1.15 M a year for two more years against 40,000 of book value: close it early
    assert rooms(1_150_000) == [("r", True, book)]
    assert rooms(1_000) == [("r", False, book)]
    # a room something else keeps open anyway is not the young hardware's cost
    assert (
        rooms(1_150_000, server("hsm", "a", "r"), system("y", "a", servers=("hsm",), hardware_bound=True))
        == []
    )
