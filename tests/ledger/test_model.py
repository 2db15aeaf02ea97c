"""Totals, depreciation and equality of the ledger model."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest

from govcloud.ledger import load, model
from tests.analysis import builders as b
from tests.conftest import MINI


def _server(**changes: object) -> model.Server:
    base = model.Server("s", "d", "site", "h", purchase_value_cny=60_000, purchase_date=dt.date(2022, 1, 1))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bought", "as_of", "expected"),
    [
        (dt.date(2022, 1, 1), dt.date(2026, 6, 30), 10_000.0),  # in service
        (dt.date(2020, 6, 30), dt.date(2026, 6, 30), 0.0),  # written off on the day
        (dt.date(2020, 7, 1), dt.date(2026, 6, 30), 10_000.0),  # one day left
        (dt.date(2027, 1, 1), dt.date(2026, 6, 30), 0.0),  # bought after the ledger date
        (dt.date(2020, 2, 29), dt.date(2026, 2, 27), 10_000.0),  # leap day, not yet written off
        (dt.date(2020, 2, 29), dt.date(2026, 2, 28), 0.0),
    ],
)
def test_yearly_depreciation(bought: dt.date, as_of: dt.date, expected: float) -> None:
    assert model.yearly_depreciation(_server(purchase_date=bought), as_of, 6) == expected


def test_depreciation_needs_value_and_date() -> None:
    assert model.yearly_depreciation(_server(purchase_value_cny=None), dt.date(2026, 1, 1), 6) == 0.0
    assert model.yearly_depreciation(_server(purchase_date=None), dt.date(2026, 1, 1), 6) == 0.0


def test_add_years_handles_leap_day() -> None:
    assert model.add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert model.add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_totals_of_mini_ledger() -> None:
    ledger = load(MINI).ledger
    assert ledger is not None
    gat = ledger.totals("gat")
    assert (gat.sites, gat.servers, gat.physical_servers, gat.cores, gat.lines, gat.systems) == (
        1,
        1,
        1,
        16,
        1,
        1,
    )
    assert gat.line_cost_cny == 36_000  # 3,000 a month
    assert gat.yearly_cost_cny == 400_000 + 36_000  # the server was written off in 2026-02
    assert ledger.totals("nobody") == model.Totals()
    total = ledger.totals()
    assert total == ledger.totals("gat") + ledger.totals("wjw")
    assert total.servers == len(ledger.servers) == 2


def test_equality_ignores_where_entities_were_read() -> None:
    a = model.Department("d", "名", "province", "990000", source=model.Source("a.yaml", ("department",)))
    b = dataclasses.replace(a, source=model.Source("b.yaml", ("departments", 3)))
    assert a == b
    assert a != dataclasses.replace(a, name="别名")


def test_ledger_maps_are_sorted_and_read_only() -> None:
    ledger = load(MINI).ledger
    assert ledger is not None
    assert list(ledger.servers) == sorted(ledger.servers)
    with pytest.raises(TypeError):
        ledger.servers["x"] = ledger.servers["gat-srv-01"]  # type: ignore[index]


def test_owned_by_and_entities() -> None:
    ledger = load(MINI).ledger
    assert ledger is not None
    owned = ledger.owned_by("wjw")
    assert [s.id for s in owned["servers"]] == ["wjw-srv-01"]  # type: ignore[attr-defined]
    kinds = [kind for kind, _ in ledger.entities()]
    assert kinds == sorted(kinds, key=model.ENTITY_KINDS.index)
    assert len(kinds) == 12


def test_line_end_names_one_thing() -> None:
    assert model.LineEnd(site="s").ref() == ("site", "s")
    assert model.LineEnd(address="海东区", region_code="990102").ref() == ("address", "海东区")
    with pytest.raises(ValueError, match="names nothing"):
        model.LineEnd().ref()


def test_source_pointer() -> None:
    assert model.Source("f", ("servers", 3, "ips", 0)).pointer() == "servers[3].ips[0]"


def _totals_one_entity_at_a_time(ledger: model.Ledger) -> dict[str, model.Totals]:
    """The department totals as Totals added one entity at a time (the reference)."""
    region = ledger.region
    out: dict[str, model.Totals] = {}

    def add(owner: str, **values: float) -> None:
        out[owner] = out.get(owner, model.Totals()) + model.Totals(**values)  # type: ignore[arg-type]

    for site in ledger.sites.values():
        add(site.owner, sites=1, room_cost_cny=site.yearly_cost_cny or 0.0)
    for s in ledger.servers.values():
        add(
            s.owner,
            servers=1,
            physical_servers=int(s.kind == "physical"),
            cores=s.cpu_cores,
            memory_gb=s.memory_gb,
            storage_gb=s.storage_gb,
            depreciation_cny=model.yearly_depreciation(s, region.as_of, region.depreciation_years),
            maintenance_cny=s.maintenance_cny,
        )
    for network in ledger.networks.values():
        add(network.owner, networks=1)
    for line in ledger.lines.values():
        add(line.owner, lines=1, bandwidth_mbps=line.bandwidth_mbps, line_cost_cny=line.yearly_fee_cny)
    for system in ledger.systems.values():
        add(system.owner, systems=1, operations_cny=model.operations_cny(system, ledger.prices))
    return dict(sorted(out.items()))


@pytest.mark.parametrize("seed", [1, 2])
def test_department_totals_are_the_sums_entity_by_entity(seed: int) -> None:
    from govcloud.generate import generate

    ledger = generate(servers=400, seed=seed)
    got = ledger.totals_by_department()
    expected = _totals_one_entity_at_a_time(ledger)
    assert list(got) == list(expected)
    for owner, totals in got.items():  # the same numbers, of the same types, to the last bit
        for field in dataclasses.fields(model.Totals):
            mine, theirs = getattr(totals, field.name), getattr(expected[owner], field.name)
            assert (type(mine), repr(mine)) == (type(theirs), repr(theirs)), (owner, field.name)


def test_the_totals_by_department_are_summed_once_and_handed_out_as_copies() -> None:
    led = b.ledger(
        b.dept("a"),
        b.site("r", "a"),
        b.server("s1", "a", "r", cpu_cores=4),
        b.system("x", "a", servers=("s1",)),
    )
    first = led.totals_by_department()
    assert (first["a"].servers, first["a"].cores, first["a"].systems) == (1, 4, 1)
    first.clear()  # a caller's copy: what the ledger keeps does not change
    again = led.totals_by_department()
    assert again == {"a": led.totals("a")}
    assert again["a"].sites == 1
    # a changed ledger (a new object) sums its own
    more = dataclasses.replace(led, servers={**led.servers, "s2": b.server("s2", "a", "r", cpu_cores=2)})
    assert (more.totals("a").cores, led.totals("a").cores) == (6, 4)
    assert copy.deepcopy(led).totals_by_department() == again  # a copy sums its own, the same
