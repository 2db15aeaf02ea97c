"""What each stack will create, as data: the library value the emitter writes and the
security baseline reads (the to-be state), with no Pulumi involved.

Property values are plain JSON, or references the generic program resolves:

- ``{"$ref": "NAME", "attr": "id"}``: an output of another resource of the same stack;
- ``{"$foundation": "OUTPUT", "key": "K"}``: an output of the foundation stack (StackReference),
  optionally one key of a map output;
- ``{"$config": "KEY"}`` / ``{"$secret": "KEY"}``: stack configuration (a secret stays secret);
- ``{"$concat": [...]}``: the parts joined into one string.

A value ops must supply (an image id, a circuit's VLAN, a pre-shared key) is never written as
a placeholder: it is a configuration key the stack :meth:`~Stack.needs`, listed with an example
in the stack's README; the program stops with Pulumi's "missing required configuration" until
it is set.  Resources that must never be deleted by accident carry ``protect``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPEC_SCHEMA_VERSION = 1


def ref(name: str, attr: str = "id") -> dict[str, str]:
    return {"$ref": name, "attr": attr}


def foundation(output: str, key: str | None = None) -> dict[str, str]:
    # a literal each way: a stack holds one or more of these per resource
    if key is None:
        return {"$foundation": output}
    return {"$foundation": output, "key": key}


def config(key: str, kind: str = "str") -> dict[str, str]:
    """Stack configuration; ``kind="int"`` for a number (``pulumi config set`` stores text)."""
    if kind == "str":
        return {"$config": key}
    return {"$config": key, "type": kind}


def secret(key: str) -> dict[str, str]:
    """A secret stack configuration value (``pulumi config set --secret``): encrypted in state."""
    return {"$secret": key}


def concat(*parts: Any) -> dict[str, list[Any]]:
    return {"$concat": list(parts)}


@dataclass(frozen=True)
class Resource:
    """One resource: its logical name in the stack, its Pulumi type token and its inputs."""

    name: str
    type: str
    props: dict[str, Any]
    #: ``pulumi.ResourceOptions(protect=True)``: ``pulumi destroy`` and replacements stop on it
    protect: bool = False

    def __init__(self, name: str, type: str, props: dict[str, Any], protect: bool = False) -> None:
        # the fields written into the instance's dict: a frozen dataclass's own __init__ sets
        # each through object.__setattr__, more than half of making one of the hundreds of
        # thousands of resources a region has (tests/stacks/test_spec.py keeps the two alike)
        fields = self.__dict__
        fields["name"] = name
        fields["type"] = type
        fields["props"] = props
        fields["protect"] = protect

    def to_json(self) -> dict[str, Any]:
        out = {"name": self.name, "type": self.type, "props": self.props}
        if self.protect:
            out["options"] = {"protect": True}
        return out


@dataclass(frozen=True)
class Setting:
    """A configuration value ops supply before ``pulumi up``: an example and what it is."""

    example: str
    why: str
    secret: bool = False


@dataclass
class Stack:
    """One Pulumi stack: a foundation per cloud node, or one wave on one node."""

    project: str
    stack: str
    provider: str  # alicloud | openstack
    kind: str  # foundation | wave
    node: str
    wave: int | None = None
    config: dict[str, Any] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: configuration keys (without the project prefix) ops must set, with an example each
    settings: dict[str, Setting] = field(default_factory=dict)
    #: the names of ``resources``, and the list and length they were taken from: a stack is
    #: built a resource at a time, and asking every resource's name on each addition made
    #: building grow with the square of a stack's size.  Taken again when ``resources`` was
    #: replaced, or grew or shrank other than by :meth:`add`.
    _names: set[str] = field(default_factory=set, init=False, repr=False, compare=False)
    _named: tuple[list[Resource] | None, int] = field(
        default=(None, 0), init=False, repr=False, compare=False
    )

    def names(self) -> set[str]:
        """The names of the stack's resources (a set the stack keeps: do not change it)."""
        seen, count = self._named
        if seen is not self.resources or count != len(self.resources):
            self._names = {r.name for r in self.resources}
            self._named = (self.resources, len(self.resources))
        return self._names

    def add(self, name: str, type_: str, props: dict[str, Any], *, protect: bool = False) -> str:
        resources = self.resources
        seen, count = self._named
        # names() without the call when they are current (a stack's every resource comes here)
        names = self._names if seen is resources and count == len(resources) else self.names()
        if name in names:
            raise ValueError(f"{self.project}: two resources named {name}")
        resources.append(Resource(name, type_, props, protect))
        names.add(name)
        self._named = (resources, len(resources))
        return name

    def needs(self, key: str, example: str, why: str, *, secret: bool = False) -> str:
        """Declare a configuration key ops must set; returns the key."""
        self.settings[key] = Setting(example, why, secret)
        return key

    def of_type(self, type_: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SPEC_SCHEMA_VERSION,
            "project": self.project,
            "stack": self.stack,
            "provider": self.provider,
            "kind": self.kind,
            "node": self.node,
            "wave": self.wave,
            "resources": [r.to_json() for r in self.resources],
            "outputs": self.outputs,
        }
