"""Building keys: the spellings of one building share one key, other buildings do not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.analysis.places import (
    Places,
    address_parts,
    building_key,
    leading_city,
    numerals_to_digits,
    without_divisions,
)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("一号", "1号"),
        ("三〇五", "305"),
        ("十二", "12"),
        ("二十", "20"),
        ("二十三", "23"),
        ("一百零五", "105"),
    ],
)
def test_chinese_numerals(text: str, digits: str) -> None:
    assert numerals_to_digits(text) == digits


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "府前路1号",
            "府前路一号",
            "府前路１号",
            "海州市府前路 1 号",
            "海岳省海州市海东区府前路1号省政府大楼3楼",
        ],
        ["省府大楼", "省政府大楼", "海岳省省政府", "省政府 305室"],
        ["海州市政府", "海州市人民政府", "市府大楼"],
        ["长江路278号", "长江路二百七十八号 1楼", "长江路 278 号 三〇五室"],
        ["市民中心", "海州市市民服务中心"],
        ["府前路1-3号", "府前路一至三号院", "府前路１－３号", "府前路1号"],
    ],
)
def test_spellings_of_one_building_share_a_key(spellings: list[str]) -> None:
    assert len({building_key(s) for s in spellings}) == 1, {s: building_key(s) for s in spellings}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("府前路1号", "府前路2号"),
        ("府前路1号", "府后路1号"),
        ("省政府", "市政府"),
        ("长江路278号", "黄河路278号"),
    ],
)
def test_other_buildings_have_other_keys(one: str, other: str) -> None:
    assert building_key(one) != building_key(other)


def test_divisions_come_off_the_front() -> None:
    assert without_divisions("海州市府前路") == "府前路"
    assert without_divisions("玉溪市市场监管局") == "市场监管局"
    assert without_divisions("海州市政府") == "市政府"


def test_nothing_gives_nothing() -> None:
    assert building_key(None) == building_key("") == ""


def test_places_tell_one_key_apart_by_prefecture_only_where_the_ledger_needs_it() -> None:
    one = Places([("人民路1号", "9901"), ("人民路1号", None)])
    assert one.place("人民路1号", None) == one.place("人民路1号", "9901") == "人民路1号"
    two = Places([("人民路1号", "9901"), ("人民路1号", "9902")])
    assert two.place("人民路1号", "9901") != two.place("人民路1号", "9902")
    assert two.place("人民路1号", None) == "?|人民路1号"


_ROADS = st.sampled_from(["府前路", "长江路", "解放大道", "文化街"])


@settings(max_examples=60, deadline=None)
@given(
    road=_ROADS, number=st.integers(1, 999), city=st.booleans(), floor=st.integers(1, 30), wide=st.booleans()
)
def test_prefix_floor_and_width_do_not_change_the_key(
    road: str, number: int, city: bool, floor: int, wide: bool
) -> None:
    plain = f"{road}{number}号"
    digits = (
        str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９")) if wide else str(number)
    )
    messy = f"{'海州市海东区' if city else ''}{road} {digits} 号 {floor}楼"
    assert building_key(messy) == building_key(plain) == plain


def test_address_parts_and_leading_city() -> None:
    assert address_parts("海州市府前路一号省府大楼3楼") == ("府前路1号", "省政府")
    assert address_parts("城关区省府大楼 六层") == ("", "省政府")
    assert address_parts("府前路1号 综合办公楼") == ("府前路1号", "综合")
    assert leading_city("海州市府前路1号") == leading_city("海岳省海州市海东区长江路") == "海州市"
    assert leading_city("东城区政务中心") == leading_city("府前路1号") == ""


def test_a_building_name_is_the_one_street_the_ledger_writes_it_with() -> None:
    places = Places([("海州市府前路1号省政府大楼", "9901"), ("省府大楼", None)])
    assert places.place("省政府", None) == "府前路1号"
    assert places.place("省政府", "9901") == "府前路1号"
    # one name on two streets of one prefecture: ambiguous, the name stays itself
    two = Places([("府前路1号政务服务中心", "9901"), ("人民路8号政务服务中心", "9901")])
    assert two.place("政务服务中心", "9901") == "政务服务中心"
    # a name written with a street in another prefecture only: unknown prefecture is ambiguous
    cities = Places([("府前路1号市政府", "9901"), ("人民路8号市政府", "9902")])
    assert cities.place("市政府", "9902") == "人民路8号"
    assert cities.place("市政府", None) == "市政府"
