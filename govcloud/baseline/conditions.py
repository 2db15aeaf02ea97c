"""The small, safe condition language of baseline rules (no ``eval`` of rule text).

A condition is data::

    {all: [c1, c2]}  {any: [c1, c2]}  {not: c}
    {field: backup.offsite, op: "==", value: true}
    {each: servers, require: c}      # every item of a list field satisfies c
    {some: servers, require: c}      # at least one item does

Operators: ``== != > >= < <= in not_in exists missing contains``.  A field is a dotted path
into the view of an entity or resource the engine builds; a path that is not there is
``None``.

:func:`holds` answers yes or no (a missing field compares false).  :func:`judge` answers yes,
no or *unknown*: a comparison on a field that is not recorded is unknown (``exists`` and
``missing`` still answer), and the unknown propagates as in Kleene's three-valued logic, with
the fields that were missing, so an unrecorded field never passes or fails a rule silently.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

Condition = Mapping[str, Any]


class ConditionError(ValueError):
    """A rule's condition that does not follow the language; found when rules load."""


def _num(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        return a is not None and b is not None and op(a, b)

    return compare


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": _num(operator.gt),
    ">=": _num(operator.ge),
    "<": _num(operator.lt),
    "<=": _num(operator.le),
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "exists": lambda a, _b: a is not None,
    "missing": lambda a, _b: a is None,
    "contains": lambda a, b: isinstance(a, list | tuple | str) and b in a,
}


def get(view: Mapping[str, Any], path: str) -> Any:
    node: Any = view
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def holds(condition: Condition, view: Mapping[str, Any]) -> bool:
    """Whether ``condition`` holds for ``view``."""
    if "all" in condition:
        return all(holds(c, view) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, view) for c in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], view)
    if "each" in condition:
        items = get(view, condition["each"]) or []
        return all(holds(condition["require"], item) for item in items)
    if "some" in condition:
        items = get(view, condition["some"]) or []
        return any(holds(condition["require"], item) for item in items)
    return OPERATORS[condition["op"]](get(view, condition["field"]), condition.get("value"))


def judge(condition: Condition, view: Mapping[str, Any], missing: set[str] | None = None) -> bool | None:
    """Whether ``condition`` holds for ``view``: True, False, or None when it depends on a
    field that is not recorded; those fields are added to ``missing`` (dotted, a list's items
    as ``list[].field``)."""
    gaps = missing if missing is not None else set()
    return _judge(condition, view, gaps, "")


def _judge(condition: Condition, view: Mapping[str, Any], gaps: set[str], prefix: str) -> bool | None:
    if "all" in condition or "any" in condition:
        wanted = "all" not in condition  # all: a False decides; any: a True decides
        parts = condition["all"] if "all" in condition else condition["any"]
        unknown = False
        for part in parts:
            answer = _judge(part, view, gaps, prefix)
            if answer is wanted:
                return wanted
            unknown = unknown or answer is None
        return None if unknown else not wanted
    if "not" in condition:
        answer = _judge(condition["not"], view, gaps, prefix)
        return None if answer is None else not answer
    if "each" in condition or "some" in condition:
        name = condition["each"] if "each" in condition else condition["some"]
        items = get(view, name)
        if items is None:
            gaps.add(prefix + name)
            return None
        inner = {"all" if "each" in condition else "any": [condition["require"]]}
        answers = [_judge(inner, item, gaps, f"{prefix}{name}[].") for item in items]
        if "each" in condition:
            return False if False in answers else (None if None in answers else True)
        return True if True in answers else (None if None in answers else False)
    value = get(view, condition["field"])
    if value is None and condition["op"] not in ("exists", "missing"):
        gaps.add(prefix + condition["field"])
        return None
    return OPERATORS[condition["op"]](value, condition.get("value"))


def roots(condition: Condition) -> set[str]:
    """The names at the top of a view that ``condition`` reads (a field's first part, a
    list's name): on two views that hold the same under these names it answers the same."""
    if "all" in condition or "any" in condition:
        return set().union(*(roots(c) for c in condition.get("all", condition.get("any"))))
    if "not" in condition:
        return roots(condition["not"])
    name = condition["each"] if "each" in condition else condition.get("some", condition.get("field"))
    return {str(name).split(".")[0]}


def check(condition: Any, where: str) -> None:
    """Raise :class:`ConditionError` unless ``condition`` is well formed."""
    if not isinstance(condition, Mapping) or not condition:
        raise ConditionError(f"{where}: a condition must be a mapping")
    if "all" in condition or "any" in condition:
        parts = condition.get("all", condition.get("any"))
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"{where}: all/any takes a non-empty list")
        for i, part in enumerate(parts):
            check(part, f"{where}[{i}]")
    elif "not" in condition:
        check(condition["not"], f"{where}.not")
    elif "each" in condition or "some" in condition:
        check(condition.get("require"), f"{where}.require")
    else:
        if condition.get("op") not in OPERATORS:
            raise ConditionError(
                f"{where}: unknown operator {condition.get('op')!r}; use one of {', '.join(OPERATORS)}"
            )
        if not isinstance(condition.get("field"), str):
            raise ConditionError(f"{where}: a comparison needs a field")


# -- compiled conditions ------------------------------------------------------------------
#
# The engine asks the same few dozen conditions about every subject (hundreds of thousands
# at a province's scale); interpreting the condition's mapping each time re-reads its keys
# and splits its field paths per subject.  ``compile_*`` turn a (checked) condition into
# closures once, built only from the operators above: no rule or inventory text is ever
# evaluated as code.  They answer exactly what :func:`holds` and :func:`judge` answer
# (``tests/baseline/test_conditions.py`` compares them on every operator).

Getter = Callable[[Any], Any]
Holds = Callable[[Any], bool]
#: ``judge(view, gaps, prefix)``, as :func:`_judge`
Judge = Callable[[Any, set[str], str], "bool | None"]


def _getter(path: str) -> Getter:
    """:func:`get` for one dotted path, split once."""
    parts = tuple(path.split("."))
    if len(parts) == 1:
        (name,) = parts

        def one(view: Any) -> Any:
            if type(view) is dict or isinstance(view, Mapping):
                return view.get(name)
            return None

        return one

    def many(view: Any) -> Any:
        node = view
        for part in parts:
            if not (type(node) is dict or isinstance(node, Mapping)):
                return None
            node = node.get(part)
        return node

    return many


#: operators a compiled comparison calls in C (the same answers as :data:`OPERATORS`';
#: ``exists`` and ``missing`` are given no value, which they ignore)
_IN_C: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "exists": operator.is_not,
    "missing": operator.is_,
}


def _comparison(condition: Condition) -> tuple[str, Callable[[Any, Any], bool], Any]:
    """A comparison's field, operator (in C when there is one) and value."""
    op = condition["op"]
    value = None if op in ("exists", "missing") else condition.get("value")
    return condition["field"], _IN_C.get(op, OPERATORS[op]), value


_COMBINED = frozenset({"all", "any", "not", "each", "some"})

#: a part of all/any: a comparison of a field at the top of the view, read in the loop
#: (``(field, operator, value)``), or any other condition compiled (``("", holds, None)``)
_Part = tuple[str, Callable[..., Any], Any]


def _part(condition: Condition) -> _Part:
    if "field" in condition and "." not in condition["field"] and not condition.keys() & _COMBINED:
        path, op, value = _comparison(condition)
        if path:
            return path, op, value
    return "", compile_holds(condition), None


def compile_holds(condition: Condition) -> Holds:
    """A function answering :func:`holds` for ``condition`` on any view (hundreds of
    thousands of to-be resources ask it: a comparison on a top-level field reads it itself,
    all/any read such comparisons' fields in their loop, and all/any/each/some loop without
    a generator)."""
    if "all" in condition or "any" in condition:
        parts = tuple(_part(c) for c in condition.get("all", condition.get("any")))
        return _all_holding(parts) if "all" in condition else _any_holding(parts)
    if "not" in condition:
        inner = compile_holds(condition["not"])
        return lambda view: not inner(view)
    if "each" in condition or "some" in condition:
        return _items_holding(
            _getter(condition["each"] if "each" in condition else condition["some"]),
            compile_holds(condition["require"]),
            every="each" in condition,
        )
    path, op, value = _comparison(condition)
    if "." in path:
        field = _getter(path)
        return lambda view: op(field(view), value)
    if condition["op"] == "in":

        def within(view: Any) -> bool:
            if type(view) is dict or isinstance(view, Mapping):
                return view.get(path) in value
            return None in value

        return within

    def compare(view: Any) -> bool:
        if type(view) is dict or isinstance(view, Mapping):
            return op(view.get(path), value)
        return op(None, value)

    return compare


def _all_holding(parts: tuple[_Part, ...]) -> Holds:
    def every(view: Any) -> bool:
        get = view.get if type(view) is dict or isinstance(view, Mapping) else _nothing
        for path, op, value in parts:  # noqa: SIM110 (all() would make a generator per view)
            if not (op(get(path), value) if path else op(view)):
                return False
        return True

    return every


def _any_holding(parts: tuple[_Part, ...]) -> Holds:
    def some(view: Any) -> bool:
        get = view.get if type(view) is dict or isinstance(view, Mapping) else _nothing
        for path, op, value in parts:  # noqa: SIM110 (any() would make a generator per view)
            if op(get(path), value) if path else op(view):
                return True
        return False

    return some


def _nothing(_path: str) -> None:
    """What a value that is not a mapping holds under any name: nothing."""


def _items_holding(items_of: Getter, require: Holds, every: bool) -> Holds:
    """each (``every``) or some of a list's items hold ``require``, in a loop."""
    if every:

        def each(view: Any) -> bool:
            for item in items_of(view) or ():  # noqa: SIM110 (all() would make a generator per view)
                if not require(item):
                    return False
            return True

        return each

    def some(view: Any) -> bool:
        for item in items_of(view) or ():  # noqa: SIM110 (any() would make a generator per view)
            if require(item):
                return True
        return False

    return some


def compile_judge(condition: Condition) -> Callable[[Any, set[str] | None], bool | None]:
    """A function answering :func:`judge` for ``condition`` on any view."""
    judged = _compile_judge(condition)

    def answer(view: Any, missing: set[str] | None = None) -> bool | None:
        return judged(view, missing if missing is not None else set(), "")

    return answer


def _compile_judge(condition: Condition) -> Judge:
    if "all" in condition or "any" in condition:
        wanted = "all" not in condition
        parts = tuple(
            _compile_judge(c) for c in (condition["all"] if "all" in condition else condition["any"])
        )

        def either(view: Any, gaps: set[str], prefix: str) -> bool | None:
            unknown = False
            for part in parts:
                answer = part(view, gaps, prefix)
                if answer is wanted:
                    return wanted
                unknown = unknown or answer is None
            return None if unknown else not wanted

        return either
    if "not" in condition:
        inner = _compile_judge(condition["not"])

        def negated(view: Any, gaps: set[str], prefix: str) -> bool | None:
            answer = inner(view, gaps, prefix)
            return None if answer is None else not answer

        return negated
    if "each" in condition or "some" in condition:
        each = "each" in condition
        name = condition["each"] if each else condition["some"]
        items_of = _getter(name)
        require = _compile_judge({"all" if each else "any": [condition["require"]]})
        below = f"{name}[]."

        def over(view: Any, gaps: set[str], prefix: str) -> bool | None:
            items = items_of(view)
            if items is None:
                gaps.add(prefix + name)
                return None
            inner_prefix = prefix + below
            answers = [require(item, gaps, inner_prefix) for item in items]
            if each:
                return False if False in answers else (None if None in answers else True)
            return True if True in answers else (None if None in answers else False)

        return over
    op_name = condition["op"]
    op = OPERATORS[op_name]
    path = condition["field"]
    field = _getter(path)
    value = condition.get("value")
    if op_name in ("exists", "missing"):
        return lambda view, _gaps, _prefix: op(field(view), value)

    def compare(view: Any, gaps: set[str], prefix: str) -> bool | None:
        found = field(view)
        if found is None:
            gaps.add(prefix + path)
            return None
        return op(found, value)

    return compare
