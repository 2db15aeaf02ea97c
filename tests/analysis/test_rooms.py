"""Machine rooms to consolidate."""

from __future__ import annotations

import pytest

from govcloud.analysis import Thresholds, analyse
from govcloud.ledger import model
from tests.analysis.builders import cloud, dept, ledger, server, site, system


def _rooms(*extra: object, th: Thresholds | None = None) -> list[object]:
    led = ledger(
        dept("a"),
        dept("b"),
        dept("c"),
        dept("city-edu", "city", "990100"),
        cloud("prov"),
        cloud("city", "city", "990100"),
        site("a-r", "a", district="海东区", racks=10, racks_used=2, yearly_cost_cny=100_000),
        site("b-r", "b", district="海东区", utilisation_pct=20, yearly_cost_cny=200_000),
        site(
            "c-r",
            "c",
            district="海东区",
            racks=40,
            racks_used=35,
            utilisation_pct=80,
            yearly_cost_cny=900_000,
        ),
        site("c-colo", "c", kind="co_located", district="海东区", racks=2, yearly_cost_cny=50_000),
        *extra,  # type: ignore[arg-type]
    )
    return list(analyse(led, th, kinds=["room-consolidation"]).findings)


def test_weak_self_built_rooms_in_one_district() -> None:
    [finding] = _rooms()
    assert finding.members == ("site:a-r", "site:b-r")  # type: ignore[attr-defined]
    assert finding.saving_cny == pytest.approx(0.6 * 300_000)  # type: ignore[attr-defined]
    assert finding.evidence["targets"] == ["prov"]  # type: ignore[attr-defined]
    assert finding.evidence["district"] == "海东区"  # type: ignore[attr-defined]


def test_threshold_is_configuration() -> None:
    # at 90 % the busy room is weak too
    [finding] = _rooms(th=Thresholds(room_low_utilisation_pct=90))
    assert finding.members == ("site:a-r", "site:b-r", "site:c-r")  # type: ignore[attr-defined]


def test_rooms_with_classified_systems_are_kept() -> None:
    findings = _rooms(
        server("s1", "a", "a-r"),
        system("secret", "a", classification="secret", servers=("s1",)),
    )
    statuses = sorted((f.status, f.members) for f in findings)  # type: ignore[attr-defined]
    assert statuses == [("kept", ("site:a-r",))]


def test_city_department_rooms_go_to_the_city_node() -> None:
    led = ledger(
        dept("e", "city", "990100"),
        cloud("prov"),
        cloud("city", "city", "990100"),
        site("e1", "e", district="滨江区", region_code="990105", racks=4),
        site("e2", "e", district="海西区", region_code="990103", racks=4),
    )
    [finding] = analyse(led, kinds=["room-consolidation"]).findings
    assert finding.reason == "rooms-weak-city"
    assert finding.evidence["targets"] == ["city"]


def test_a_single_weak_room_is_not_a_group() -> None:
    led = ledger(dept("a"), site("a-r", "a", racks=2))
    assert analyse(led, kinds=["room-consolidation"]).findings == ()
    assert isinstance(led, model.Ledger)


def test_a_room_without_a_rack_count_but_few_racks_in_use_is_small() -> None:
    led = ledger(dept("a"), dept("b"), site("a-r", "a", racks_used=3), site("b-r", "b", racks=4))
    [finding] = analyse(led, kinds=["room-consolidation"]).findings
    assert finding.members == ("site:a-r", "site:b-r")


def test_a_room_is_in_the_city_its_address_says() -> None:
    """Without a region code, a room's city comes from its district, not its owner's city."""
    led = ledger(
        dept("a", "city", "990100"),
        dept("b", "city", "990300"),
        site("a-r", "a", region_code="990203", district="海西区", racks=4),
        site("b-r", "b", district="海西区", racks=4),
    )
    assert analyse(led, kinds=["room-consolidation"]).findings


def test_a_room_alone_in_its_district_moves_with_its_city() -> None:
    """海东区 has two weak rooms; the weak room in 海西区 of the same city is not left behind."""
    findings = _rooms(site("d-r", "c", district="海西区", racks=4))
    groups = sorted((f.reason, f.members) for f in findings)  # type: ignore[attr-defined]
    assert groups == [("room-weak-alone", ("site:d-r",)), ("rooms-weak", ("site:a-r", "site:b-r"))]


def test_a_room_alone_in_a_city_without_other_weak_rooms_stays_out() -> None:
    """The lone room of another city has no weak neighbour: no finding for it."""
    findings = _rooms(site("d-r", "c", region_code="990301", district="海西区", racks=4))
    assert [f.members for f in findings] == [("site:a-r", "site:b-r")]  # type: ignore[attr-defined]


def test_a_room_is_in_the_city_of_its_building() -> None:
    """No region code, and a district name no record codes: the room's building, coded in
    another room's record, places it (not its owner's city)."""
    led = ledger(
        dept("a", "city", "990100"),
        dept("b", "city", "990300"),
        dept("c", "city", "990300"),
        site("a-r", "a", region_code="990203", address="府前路1号", racks=4),
        site("b-r", "b", district="江口区", address="江口区府前路一号综合楼", racks=4),
        site("c-r", "c", region_code="990301", racks=4),
    )
    [finding] = analyse(led, kinds=["room-consolidation"]).findings
    assert finding.members == ("site:a-r", "site:b-r")


def _twice(*extra: model.Site) -> list[object]:
    """hy-a's room recorded twice: the rack count in one record, the racks in use in the other."""
    led = ledger(
        dept("a", "province", "990000", name="海岳省教育厅"),
        dept("b", "province", "990000", name="海岳省民政厅"),
        site("a-r", "a", name="教育厅主机房", address="海州市府前路1号", region_code="990102", racks=20),
        site(
            "a-old", "a", name="教育厅数据中心", address="府前路一号3楼", region_code="990102", racks_used=3
        ),
        *extra,
    )
    return list(analyse(led, kinds=["same-asset", "room-consolidation"]).findings)


def test_a_room_recorded_twice_is_one_room_what_each_record_says() -> None:
    findings = _twice(site("b-r", "b", region_code="990102", district="海东区", racks=4))
    [same] = [f for f in findings if f.kind == "same-asset"]  # type: ignore[attr-defined]
    assert same.members == ("site:a-old", "site:a-r")  # type: ignore[attr-defined]
    [rooms] = [f for f in findings if f.kind == "room-consolidation"]  # type: ignore[attr-defined]
    # 3 of 20 racks in use: underused, though neither record says so alone
    assert rooms.members == ("site:a-old", "site:a-r", "site:b-r")  # type: ignore[attr-defined]
    assert rooms.params["count"] == 2  # type: ignore[attr-defined]
    assert rooms.evidence["one_room"] == [["a-old", "a-r"]]  # type: ignore[attr-defined]


def test_a_room_recorded_twice_is_not_its_own_neighbour() -> None:
    """Both records of one weak room, and no other weak room in the city: nothing to group."""
    findings = _twice()
    assert [f.kind for f in findings] == ["same-asset"]  # type: ignore[attr-defined]
