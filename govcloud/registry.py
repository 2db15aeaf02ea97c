"""One registry per extension axis (finding kinds, importers, cloud providers, output formats).

A registry holds the entries of one axis by name, in the order they were added: every list,
enumeration and command-line choice of that axis is read from it, so an entry added here shows
up everywhere at once, and a test per registry checks each entry is complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from govcloud.i18n import Lang

T = TypeVar("T")


class Registry(Generic[T]):
    """The entries of one extension axis by name, in registration order."""

    def __init__(self, axis: str) -> None:
        self.axis = axis
        self._entries: dict[str, T] = {}

    def add(self, name: str, entry: T) -> T:
        """Register ``entry`` as ``name``; a name already taken is a programming error."""
        if name in self._entries:
            raise ValueError(f"{self.axis} {name!r} is registered twice")
        self._entries[name] = entry
        return entry

    def names(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def entries(self) -> tuple[T, ...]:
        return tuple(self._entries.values())

    def index(self, name: str) -> int:
        """The position of ``name`` (report order); unknown names sort last."""
        names = self.names()
        return names.index(name) if name in self._entries else len(names)

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._entries)

    @contextmanager
    def extended(self, name: str, entry: T) -> Iterator[T]:
        """``entry`` registered for the duration of a ``with`` block (tests, plug-ins trying
        an entry out), removed again after it."""
        self.add(name, entry)
        try:
            yield entry
        finally:
            del self._entries[name]


D = TypeVar("D")


@dataclass(frozen=True)
class OutputFormat(Generic[D]):
    """One ``--format`` of a document ``D``: its text (printed, or written with ``--output``)
    and, for a terminal table, how it is drawn instead when printed."""

    name: str
    text: Callable[[D, Lang], str]
    #: a rich renderable drawn on the terminal instead of ``text`` when printing
    show: Callable[[D, Lang], object] | None = None


def output_formats(axis: str, *formats: OutputFormat[D]) -> Registry[OutputFormat[D]]:
    """A registry of a document's output formats, in the order ``--format`` lists them."""
    registry: Registry[OutputFormat[D]] = Registry(axis)
    for fmt in formats:
        registry.add(fmt.name, fmt)
    return registry
