"""Building keys: the spellings of one building share one key, other buildings do not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.analysis.places import Places, building_key, numerals_to_digits, without_divisions


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
