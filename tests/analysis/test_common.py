"""Facts: where a room is when its ledger does not say it in a region code."""

from __future__ import annotations

from govcloud.analysis.common import Facts
from govcloud.ledger import model
from tests.analysis.builders import dept, ledger, site


def _district(*extra: object, **room: object) -> str | None:
    led = ledger(dept("a", region_code="990100"), site("x", "a", **room), *extra)  # type: ignore[arg-type]
    return Facts.of(led).site_district(led.sites["x"])


def test_its_own_district_code() -> None:
    assert _district(region_code="990102") == "990102"
    assert _district(region_code="990100") is None  # only the prefecture: not a district


def test_by_district_name_as_other_rooms_code_it() -> None:
    other = site("o", "a", district="海东区", region_code="990102")
    assert _district(other, district="海东区") == "990102"
    assert _district(other, address="海州市海东区长江路1号") == "990102"


def test_by_an_access_point_named_for_the_district() -> None:
    ap = model.AccessPoint("ap", "海西区电子政务外网接入点", 100, region_code="990103")
    assert _district(ap, district="海西区") == "990103"


def test_by_another_room_in_the_building() -> None:
    other = site("o", "a", address="长江路一号 5楼", region_code="990102")
    assert _district(other, address="海州市长江路1号") == "990102"


def test_nothing_says() -> None:
    assert _district(address="长江路1号") is None
    ambiguous = [
        site("o1", "a", district="城关区", region_code="990102"),
        site("o2", "a", district="城关区", region_code="990202"),
    ]
    assert _district(*ambiguous, district="城关区") is None


def test_the_prefecture_of_an_address_without_a_region_code() -> None:
    led = ledger(
        dept("a", region_code="990100", name="海州市教育局"),
        site("o", "a", district="海东区", region_code="990102", address="长江路1号"),
    )
    facts = Facts.of(led)
    assert facts.prefecture_of("海州市府前路1号", None) == "9901"  # the city, as its departments are coded
    assert facts.prefecture_of("海东区府前路1号", None) == "9901"  # the district, as its rooms are coded
    assert facts.prefecture_of("府前路1号", None, district="海东区") == "9901"
    assert facts.prefecture_of("府前路1号", "990200") == "9902"
    assert facts.prefecture_of("府前路1号", None) is None


def test_facts_are_the_ledgers_index_and_more() -> None:
    from govcloud.ledger.index import Index

    led = ledger(dept("a", region_code="990100"), site("x", "a"))
    facts = Facts.of(led)
    assert isinstance(facts, Facts)
    assert isinstance(facts, Index)
    assert facts.site_region(led.sites["x"]) == "990100"
    assert facts.site_place(led.sites["x"]) == "site:x"  # no address recorded
