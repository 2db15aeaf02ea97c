"""A stack as data: resources added by name, each name once."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from govcloud.stacks.layout import Rule
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


@pytest.mark.parametrize("cls", [Resource, Rule])
def test_the_written_out_init_takes_the_fields_in_order_and_keeps_the_instance_frozen(cls: type) -> None:
    signature = inspect.signature(cls.__init__)
    fields = dataclasses.fields(cls)
    assert [p.name for p in list(signature.parameters.values())[1:]] == [f.name for f in fields]
    for f in fields:  # the same defaults
        assert signature.parameters[f.name].default == (
            inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        )
    values = {f.name: f"v-{f.name}" for f in fields}
    made = cls(**values)
    assert {f.name: getattr(made, f.name) for f in fields} == values
    assert made == cls(*values.values())
    assert hash(made) == hash(cls(**values))
    first = fields[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, first, "other")
    assert getattr(dataclasses.replace(made, **{first: "x"}), first) == "x"
