"""A stack as data: resources added by name, each name once."""

from __future__ import annotations

import pytest

from govcloud.stacks.spec import Resource, Stack


def _stack() -> Stack:
    stack = Stack("p", "prod", "alicloud", "wave", "node", 1)
    stack.add("a", "t:a", {})
    stack.add("b", "t:b", {})
    return stack


def test_a_name_is_refused_a_second_time() -> None:
    stack = _stack()
    with pytest.raises(ValueError, match="two resources named a"):
        stack.add("a", "t:x", {})
    assert [r.name for r in stack.resources] == ["a", "b"]
    assert stack.names() == {"a", "b"}


def test_the_names_follow_resources_changed_without_add() -> None:
    # the builders replace the list (foundations protect every resource) and the reader of
    # emitted stacks appends to it: the names the stack keeps are taken again
    stack = _stack()
    stack.resources.append(Resource("c", "t:c", {}))
    with pytest.raises(ValueError, match="two resources named c"):
        stack.add("c", "t:c", {})
    stack.resources = [Resource("x", "t:x", {})]
    stack.add("a", "t:a", {})  # no longer there
    with pytest.raises(ValueError, match="two resources named x"):
        stack.add("x", "t:x", {})
    del stack.resources[0]
    stack.add("x", "t:x", {})
    assert [r.name for r in stack.resources] == ["a", "x"]


def test_the_kept_names_take_no_part_in_equality() -> None:
    one, other = _stack(), _stack()
    one.names()
    assert one == other
