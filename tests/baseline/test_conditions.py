"""The condition language of baseline rules: every operator at its boundary, ``not``/``some``/
``each``, load-time checks, and the three-valued judge (an unrecorded field makes a comparison
unknown, never true or false)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.baseline.conditions import (
    OPERATORS,
    ConditionError,
    check,
    compile_holds,
    compile_judge,
    get,
    holds,
    judge,
    roots,
)

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


def _cmp(op: str, actual: Any, value: Any = None) -> bool:
    condition = {"field": "x", "op": op, "value": value}
    check(condition, "rule")
    return holds(condition, {"x": actual})


def test_the_operators_are_those_documented() -> None:
    assert list(OPERATORS) == [
        "==",
        "!=",
        ">",
        ">=",
        "<",
        "<=",
        "in",
        "not_in",
        "exists",
        "missing",
        "contains",
    ]


@pytest.mark.parametrize(
    ("op", "below", "at", "above"),
    [
        ("==", False, True, False),
        ("!=", True, False, True),
        (">", False, False, True),
        (">=", False, True, True),
        ("<", True, False, False),
        ("<=", True, True, False),
    ],
)
def test_comparisons_just_below_at_and_just_above_the_value(
    op: str, below: bool, at: bool, above: bool
) -> None:
    assert (_cmp(op, 179, 180), _cmp(op, 180, 180), _cmp(op, 181, 180)) == (below, at, above)
    # fractions close to the boundary too
    assert (_cmp(op, 0.99, 1.0), _cmp(op, 1.0, 1.0), _cmp(op, 1.01, 1.0)) == (below, at, above)


@pytest.mark.parametrize("op", [">", ">=", "<", "<="])
def test_an_ordering_against_a_missing_field_or_value_is_false_not_an_error(op: str) -> None:
    assert _cmp(op, None, 180) is False
    assert _cmp(op, 180, None) is False
    assert _cmp(op, None, None) is False
    assert holds({"field": "absent", "op": op, "value": 0}, {"x": 1}) is False


def test_equality_with_a_missing_field() -> None:
    assert _cmp("==", None, None) is True
    assert _cmp("==", None, False) is False
    assert _cmp("!=", None, False) is True
    assert _cmp("!=", None, None) is False


def test_in_and_not_in() -> None:
    allowed = ["sm4", "aes256"]
    assert _cmp("in", "sm4", allowed) is True
    assert _cmp("in", "des", allowed) is False
    assert _cmp("not_in", "sm4", allowed) is False
    assert _cmp("not_in", "des", allowed) is True
    assert _cmp("not_in", None, allowed) is True
    assert _cmp("in", None, allowed) is False


def test_exists_and_missing_tell_none_from_falsy_values() -> None:
    for falsy in (0, False, "", []):
        assert _cmp("exists", falsy) is True
        assert _cmp("missing", falsy) is False
    assert _cmp("exists", None) is False
    assert _cmp("missing", None) is True
    assert holds({"field": "a.b", "op": "missing"}, {"a": {}}) is True


def test_contains_on_lists_tuples_and_text_only() -> None:
    assert _cmp("contains", [22, 3389], 22) is True
    assert _cmp("contains", [22, 3389], 23) is False
    assert _cmp("contains", (22, 3389), 3389) is True
    assert _cmp("contains", "密码 SM4 加密", "SM4") is True
    assert _cmp("contains", "密码 SM4 加密", "AES") is False
    assert _cmp("contains", None, 22) is False
    assert _cmp("contains", {22: "ssh"}, 22) is False  # a mapping is not a list
    assert _cmp("contains", 22, 22) is False


def test_get_follows_dotted_paths_and_returns_none_off_the_path() -> None:
    view = {"backup": {"offsite": True, "days": 0}, "name": "政务OA"}
    assert get(view, "backup.offsite") is True
    assert get(view, "backup.days") == 0
    assert get(view, "name") == "政务OA"
    assert get(view, "backup.missing") is None
    assert get(view, "name.length") is None  # text has no fields
    assert get(view, "nothing.at.all") is None
    assert holds({"field": "backup.offsite", "op": "==", "value": True}, view) is True
    assert holds({"field": "backup.offsite", "op": "==", "value": False}, view) is False


YES = {"field": "x", "op": "==", "value": 1}
NO = {"field": "x", "op": "==", "value": 2}


@pytest.mark.parametrize(
    ("parts", "all_", "any_"),
    [([YES], True, True), ([NO], False, False), ([YES, NO], False, True), ([NO, YES], False, True)],
)
def test_all_and_any(parts: list[dict[str, Any]], all_: bool, any_: bool) -> None:
    view = {"x": 1}
    assert holds({"all": parts}, view) is all_
    assert holds({"any": parts}, view) is any_


def test_not_negates_its_condition() -> None:
    assert holds({"not": YES}, {"x": 1}) is False
    assert holds({"not": NO}, {"x": 1}) is True
    assert holds({"not": {"not": YES}}, {"x": 1}) is True


ITEM_OK = {"field": "encrypted", "op": "==", "value": True}


@pytest.mark.parametrize(
    ("items", "each", "some"),
    [
        ([{"encrypted": True}, {"encrypted": True}], True, True),
        ([{"encrypted": True}, {"encrypted": False}], False, True),
        ([{"encrypted": False}, {"encrypted": True}], False, True),
        ([{"encrypted": False}, {}], False, False),
        ([], True, False),  # every one of none holds; none is not some
        (None, True, False),  # a missing list is an empty one
    ],
)
def test_each_and_some_over_list_items(items: list[dict[str, Any]] | None, each: bool, some: bool) -> None:
    view = {"disks": items}
    assert holds({"each": "disks", "require": ITEM_OK}, view) is each
    assert holds({"some": "disks", "require": ITEM_OK}, view) is some


def test_each_and_some_reach_nested_lists() -> None:
    view = {"system": {"servers": [{"os": "kylin"}, {"os": "centos"}]}}
    centos = {"field": "os", "op": "==", "value": "centos"}
    assert holds({"some": "system.servers", "require": centos}, view) is True
    assert holds({"each": "system.servers", "require": centos}, view) is False
    assert holds({"not": {"some": "system.servers", "require": centos}}, view) is False


def test_well_formed_conditions_pass_the_check() -> None:
    check(
        {
            "all": [
                {"field": "a", "op": "exists"},
                {"any": [YES, {"not": NO}]},
                {"each": "items", "require": ITEM_OK},
                {"some": "items", "require": {"not": ITEM_OK}},
            ]
        },
        "r",
    )


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("x == 1", "rule: a condition must be a mapping"),
        ({}, "rule: a condition must be a mapping"),
        ({"all": YES}, "rule: all/any takes a non-empty list"),
        ({"any": []}, "rule: all/any takes a non-empty list"),
        ({"all": [YES, {}]}, "rule[1]: a condition must be a mapping"),
        ({"any": [YES, NO, {"field": "x", "op": "~"}]}, "rule[2]: unknown operator '~'"),
        ({"not": {}}, "rule.not: a condition must be a mapping"),
        ({"not": {"not": {"field": "x"}}}, "rule.not.not: unknown operator None"),
        ({"each": "servers"}, "rule.require: a condition must be a mapping"),
        ({"some": "servers"}, "rule.require: a condition must be a mapping"),
        ({"some": "servers", "require": {"op": "=="}}, "rule.require: a comparison needs a field"),
        (
            {"each": "servers", "require": {"any": [{"field": 3, "op": "=="}]}},
            "rule.require[0]: a comparison needs a field",
        ),
        (
            {"field": "x", "op": "eq"},
            "use one of ==, !=, >, >=, <, <=, in, not_in, exists, missing, contains",
        ),
        ({"field": ["x"], "op": "=="}, "rule: a comparison needs a field"),
    ],
)
def test_malformed_conditions_are_refused_at_load_with_where_they_are(condition: Any, message: str) -> None:
    with pytest.raises(ConditionError) as caught:
        check(condition, "rule")
    assert message in str(caught.value)
    assert str(caught.value).startswith("rule")


def test_the_judge_on_lists_whose_items_all_answer() -> None:
    some = {"some": "servers", "require": {"field": "eol", "op": "==", "value": True}}
    each = {"each": "servers", "require": {"field": "eol", "op": "==", "value": True}}
    assert judge(some, {"servers": [{"eol": False}, {"eol": False}]}) is False
    assert judge(some, {"servers": []}) is False
    assert judge(each, {"servers": [{"eol": True}, {"eol": True}]}) is True
    assert judge(each, {"servers": [{"eol": True}, {"eol": False}]}) is False


# -- compiled conditions answer exactly what the interpreter answers --------------------------

_FIELDS = ("a", "b", "a.b", "b.c.d", "items")
_VALUES = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["x", "y", ""])
_OPERANDS = _VALUES | st.lists(_VALUES, max_size=3) | st.text(alphabet="xy", max_size=2)


def _comparison(op: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"field": st.sampled_from(_FIELDS), "op": st.just(op)}, optional={"value": _OPERANDS}
    )


_conditions = st.recursive(
    st.sampled_from(sorted(OPERATORS)).flatmap(_comparison),
    lambda inner: (
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"all": parts})
        | st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"any": parts})
        | inner.map(lambda c: {"not": c})
        | st.tuples(st.sampled_from(["each", "some"]), st.sampled_from(_FIELDS), inner).map(
            lambda t: {t[0]: t[1], "require": t[2]}
        )
    ),
    max_leaves=8,
)
_views = st.recursive(
    st.dictionaries(st.sampled_from(["a", "b", "c", "d", "items"]), _VALUES, max_size=4),
    lambda inner: st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "items"]),
        _VALUES | inner | st.lists(inner | _VALUES, max_size=3),
        max_size=4,
    ),
    max_leaves=10,
)


def _outcome(function: Any, *args: Any) -> Any:
    try:
        return ("answer", function(*args))
    except TypeError as exc:  # an operator applied to what it cannot compare
        return ("error", str(exc))


def test_every_operator_is_drawn_by_the_comparison() -> None:
    for op in OPERATORS:
        condition = {"field": "a", "op": op, "value": [1]}
        assert _outcome(compile_holds(condition), {"a": 1}) == _outcome(holds, condition, {"a": 1})


@settings(max_examples=400, deadline=None)
@given(_conditions, _views)
def test_compiled_conditions_answer_as_the_interpreter(
    condition: dict[str, Any], view: dict[str, Any]
) -> None:
    check(condition, "test")
    assert _outcome(compile_holds(condition), view) == _outcome(holds, condition, view)
    compiled_missing: set[str] = set()
    interpreted_missing: set[str] = set()
    compiled = _outcome(compile_judge(condition), view, compiled_missing)
    assert compiled == _outcome(judge, condition, view, interpreted_missing)
    assert compiled_missing == interpreted_missing
    assert _outcome(compile_judge(condition), view) == _outcome(judge, condition, view)


@pytest.mark.parametrize("op", sorted(OPERATORS))
@pytest.mark.parametrize("actual", [None, 0, 1, 2, "x", [1], (1, 2), "", True])
def test_each_operator_compiled_at_its_boundary(op: str, actual: Any) -> None:
    for value in (None, 1, "x", [1, 2], ""):
        condition = {"field": "f.g", "op": op, "value": value}
        view = {"f": {"g": actual}}
        assert _outcome(compile_holds(condition), view) == _outcome(holds, condition, view)
        assert _outcome(compile_judge(condition), view) == _outcome(judge, condition, view)


def test_roots_are_the_names_a_condition_reads_at_the_top_of_a_view() -> None:
    assert roots(GE) == {"days"}
    assert roots({"field": "backup.offsite", "op": "==", "value": True}) == {"backup"}
    nested = {
        "all": [
            {"not": {"field": "a.b", "op": "exists"}},
            {"any": [{"each": "servers", "require": {"field": "os", "op": "exists"}}, GE]},
            {"some": "lines.items", "require": GE},
        ]
    }
    # an item's fields are read inside the list, not at the top
    assert roots(nested) == {"a", "servers", "days", "lines"}
