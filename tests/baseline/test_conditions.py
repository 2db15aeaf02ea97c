"""The three-valued judge: an unrecorded field makes a comparison unknown, never true or false."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.baseline.conditions import holds, judge

GE = {"field": "days", "op": ">=", "value": 180}


def test_a_missing_field_is_unknown_and_named() -> None:
    missing: set[str] = set()
    assert judge(GE, {}, missing) is None
    assert missing == {"days"}
    assert judge(GE, {"days": 200}) is True
    assert judge(GE, {"days": 10}) is False


def test_exists_and_missing_still_answer() -> None:
    assert judge({"field": "x", "op": "exists"}, {}) is False
    assert judge({"field": "x", "op": "missing"}, {}) is True


def test_kleene_logic() -> None:
    unknown = {"field": "u", "op": "==", "value": 1}
    true = {"field": "t", "op": "==", "value": 1}
    false = {"field": "t", "op": "==", "value": 2}
    view = {"t": 1}
    assert judge({"all": [unknown, false]}, view) is False  # a false decides
    assert judge({"all": [unknown, true]}, view) is None
    assert judge({"any": [unknown, true]}, view) is True  # a true decides
    assert judge({"any": [unknown, false]}, view) is None
    assert judge({"not": unknown}, view) is None


def test_lists_items_and_a_missing_list() -> None:
    cond = {"each": "servers", "require": {"field": "eol", "op": "==", "value": False}}
    missing: set[str] = set()
    assert judge(cond, {"servers": [{"eol": False}, {}]}, missing) is None
    assert missing == {"servers[].eol"}
    assert judge(cond, {"servers": [{"eol": True}, {}]}) is False
    assert judge(cond, {"servers": []}) is True
    gaps: set[str] = set()
    assert judge(cond, {}, gaps) is None
    assert gaps == {"servers"}
    some = {"some": "servers", "require": {"field": "eol", "op": "==", "value": True}}
    assert judge(some, {"servers": [{}, {"eol": True}]}) is True
    assert judge(some, {"servers": [{}, {"eol": False}]}) is None


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3)))
def test_a_definite_answer_agrees_with_holds(view: dict[str, int]) -> None:
    cond = {
        "any": [
            {"field": "a", "op": ">", "value": 1},
            {"not": {"field": "b", "op": "==", "value": 2}},
        ]
    }
    answer = judge(cond, view)
    if answer is not None:
        assert answer == holds(cond, view)
    else:
        assert not {"a", "b"} <= set(view)
