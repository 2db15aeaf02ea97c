"""Safe YAML reading with exact positions for error messages.

The happy path builds plain Python values straight from libyaml's parse events, with no node
tree and no position kept but the line each entity starts on, so a large ledger pays little
more than parsing for good error messages.  A document that is not plain (a syntax error, a
tag, an anchor, a duplicate key, ...) is composed into a node tree instead, which refuses it
with its exact position or builds it; when a later problem needs a line and column,
:class:`Locator` composes that one file again and walks to the node.

Safety: only plain YAML types are built (no tags, no Python objects); duplicate keys are an
error; an alias may not expand a document beyond a fixed budget (the "billion laughs"
bomb); timestamps stay strings so dates are parsed, and reported, by the ledger itself.
"""

from __future__ import annotations

import codecs
import math
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from govcloud.safeio import read_bounded

try:  # libyaml when available, the pure-Python parser otherwise
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: how many values one document may expand to, relative to its node count, through aliases
ALIAS_EXPANSION_FACTOR = 10
#: and in absolute terms, for tiny documents
ALIAS_EXPANSION_FLOOR = 10_000
MAX_DEPTH = 64
MAX_FILE_BYTES = 256 * 1024 * 1024

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

Path_ = tuple[str | int, ...]


@dataclass
class YamlProblem(Exception):
    """A file that cannot be read as a ledger document; ``code`` names the message."""

    code: str
    line: int | None = None
    column: int | None = None
    path: Path_ = ()
    detail: str = ""


def decode(data: bytes) -> str:
    """Text of a ledger file: UTF-8 (a BOM is allowed) or UTF-16 with a BOM.

    Raises :class:`YamlProblem` naming the encoding it looks like otherwise.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise YamlProblem("encoding-invalid", detail="UTF-16") from exc
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise YamlProblem("binary-file", line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        # the column in characters, as an editor shows it, not in bytes
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        looks_like = "GB18030/GBK" if _decodes(data, "gb18030") else "encoding.unknown"
        raise YamlProblem("encoding-not-utf8", line=line, column=column, detail=looks_like) from exc


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def read_file(path: Path) -> Any:
    """The plain Python value of the YAML file at ``path`` (``None`` for an empty file)."""
    return read_file_with_lines(path)[0]


def read_file_with_lines(path: Path) -> tuple[Any, dict[Path_, int]]:
    """:func:`read_file`, and the 1-based line each top-level value and each item of a
    top-level list starts on (``("servers", 3)``: where an entity is written), taken from the
    same composition, so exact positions of entities cost nothing more."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise YamlProblem("not-regular-file", detail=stat.filemode(info.st_mode)[0])
    if info.st_size > MAX_FILE_BYTES:
        raise YamlProblem("file-too-large", detail=str(MAX_FILE_BYTES // (1024 * 1024)))
    with open(path, "rb") as handle:  # read no more than the limit, should the file grow
        data = read_bounded(handle, info.st_size, MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem("file-too-large", detail=str(MAX_FILE_BYTES // (1024 * 1024)))
    return read_text_with_lines(decode(data))


def read_text_with_lines(text: str) -> tuple[Any, dict[Path_, int]]:
    """:func:`read_file_with_lines` of a decoded text: the plain value and the entity lines.

    A plain ledger document is built straight from libyaml's events (:func:`_from_events`);
    anything else — a syntax error, a tag, an anchor or alias, a duplicate or merge key,
    deep nesting, a number out of range, a root that is not a mapping — is composed into a
    node tree and built by :class:`_Builder`, which refuses it with the exact position, or
    builds it as it always has."""
    _refuse_deep_flow(text)
    try:
        return _from_events(text)
    except _Unusual:
        pass
    node = compose(text)
    if node is None:
        return None, {}
    builder = _Builder(node, aliases="*" in text)
    return builder.build(), builder.lines


def compose(text: str) -> yaml.Node | None:
    """The node tree of a single-document YAML text."""
    _refuse_deep_flow(text)
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlProblem(
            "yaml-syntax",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            detail=detail,
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml-syntax", detail=str(exc).splitlines()[0]) from exc
    finally:
        loader.dispose()


#: below this many brackets no flow collection can nest deep enough to matter; above it the
#: text is scanned before libyaml, whose recursive composer would overflow the C stack
_BRACKET_SCAN = 1000


def _refuse_deep_flow(text: str) -> None:
    """Refuse flow collections nested deeper than :data:`MAX_DEPTH` before composing them."""
    if text.count("[") + text.count("{") < _BRACKET_SCAN:
        return
    depth = line = 0
    column = 0
    quote = ""
    for char in text:
        column += 1
        if char == "\n":
            line, column, quote = line + 1, 0, ""
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem("too-deep", line + 1, column, detail=str(MAX_DEPTH))
        elif char in "]}":
            depth = max(0, depth - 1)


def loads(text: str) -> Any:
    """Plain Python value of a YAML text: dicts, lists, str, int, float, bool, None."""
    _refuse_deep_flow(text)
    try:
        return _from_events(text)[0]
    except _Unusual:
        pass
    node = compose(text)
    if node is None:
        return None
    return _Builder(node, aliases="*" in text).build()


class _Unusual(Exception):
    """The text is not a plain ledger document: the node tree path reads it (and refuses it
    with an exact position, if it must be refused)."""


_PLAIN_RESOLVERS: dict[str | None, list[tuple[str, Any]]] = _Loader.yaml_implicit_resolvers
_ANY_FIRST = _PLAIN_RESOLVERS.get(None, [])
_SCALAR_EVENT = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_SEQUENCE_END = yaml.SequenceEndEvent


def _from_events(text: str) -> tuple[Any, dict[Path_, int]]:
    """The value and entity lines of a plain ledger document, built from libyaml's parse
    events with no node tree: no second walk, no node objects, no per-node position kept.

    "Plain" is what every valid ledger file is: one document whose root is a mapping, no
    tag, anchor or alias, mapping keys that are scalars, each once and none a merge key,
    at most :data:`MAX_DEPTH` levels, numbers that convert and are finite.  On anything
    else this raises :class:`_Unusual` and :func:`compose` reads the text as before, so
    every refusal keeps its code, line, column and path, and every safety (alias budget,
    depth, duplicate keys, tags) stays where it is.  The values are those :class:`_Builder`
    gives (``tests/ledger/test_yamlio.py`` compares the two on random documents)."""
    loader = _Loader(text)
    try:
        return _EventBuilder(loader.get_event).document()
    except yaml.YAMLError as exc:
        raise _Unusual from exc
    finally:
        loader.dispose()


_UNSEEN = object()
_KEY_TAGS = _PLAIN_TAGS - {"tag:yaml.org,2002:merge"}


def _resolve(value: str) -> str:
    """The tag the loader's resolver gives a plain scalar (PyYAML's ``Resolver.resolve``)."""
    for tag, regexp in _PLAIN_RESOLVERS.get(value[:1], []) + _ANY_FIRST:
        if regexp.match(value):
            return tag
    return _STR


class _EventBuilder:
    """Plain values from a stream of parse events (see :func:`_from_events`)."""

    def __init__(self, next_event: Any) -> None:
        self.next = next_event
        self.lines: dict[Path_, int] = {}
        self.scalar = yaml.constructor.SafeConstructor()
        #: plain scalars that may not be texts (their first character has a resolver), by
        #: their text: numbers, bools, nulls and dates repeat, each is resolved once per file
        self.typed: dict[str, Any] = {}
        #: plain mapping keys already checked to resolve to a plain tag
        self.keys: set[str] = set()

    def document(self) -> tuple[Any, dict[Path_, int]]:
        self.next()  # stream start
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return None, {}
        root = self.next()  # after the document start
        if type(root) is not _MAPPING_START or root.anchor is not None or root.tag is not None:
            raise _Unusual
        value = self._root()
        if not isinstance(self.next(), yaml.DocumentEndEvent) or not isinstance(
            self.next(), yaml.StreamEndEvent
        ):
            raise _Unusual  # more than one document: refused by the composer
        return value, self.lines

    def _root(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lines = self.lines
        while True:
            event = self.next()
            if type(event) is _MAPPING_END:
                return out
            key = self._key(event)
            if key in out:
                raise _Unusual
            value = self.next()
            lines[(key,)] = value.start_mark.line + 1
            if type(value) is _SEQUENCE_START:
                if value.anchor is not None or value.tag is not None:
                    raise _Unusual
                items: list[Any] = []
                while True:
                    item = self.next()
                    if type(item) is _SEQUENCE_END:
                        break
                    lines[(key, len(items))] = item.start_mark.line + 1
                    items.append(self._value(item, 2))
                out[key] = items
            else:
                out[key] = self._value(value, 1)

    def _key(self, event: Any) -> str:
        if type(event) is not _SCALAR_EVENT or event.anchor is not None or event.tag is not None:
            raise _Unusual  # a collection as a key, an alias, a tagged key
        key: str = event.value
        if event.implicit[0] and key not in self.keys:
            if _resolve(key) not in _KEY_TAGS:  # a merge key "<<", or "=": refused by _Builder
                raise _Unusual
            self.keys.add(key)
        return key

    def _typed(self, value: str) -> Any:
        """A plain scalar that may be a number, a bool, a null or a date, as _Builder types it."""
        known = self.typed.get(value, _UNSEEN)
        if known is not _UNSEEN:
            return known
        tag = _resolve(value)
        result: Any
        if tag in (_STR, _TIMESTAMP):
            result = value
        elif tag == _NULL:
            result = None
        else:
            node = yaml.ScalarNode(tag, value)
            try:
                if tag == _INT:
                    result = self.scalar.construct_yaml_int(node)
                elif tag == _FLOAT:
                    result = self.scalar.construct_yaml_float(node)
                    if not math.isfinite(result):
                        raise _Unusual
                elif tag == _BOOL:
                    result = self.scalar.construct_yaml_bool(node)
                else:
                    raise _Unusual  # "=" and the like: refused by _Builder
            except (ValueError, OverflowError, KeyError) as exc:
                raise _Unusual from exc
        self.typed[value] = result
        return result

    def _value(self, event: Any, depth: int) -> Any:
        kind = type(event)
        if event.anchor is not None or event.tag is not None or depth > MAX_DEPTH:
            raise _Unusual  # an alias, an anchor, a tag, too deep
        if kind is _SCALAR_EVENT:
            value: str = event.value
            if not event.implicit[0]:  # quoted, or a block scalar: a string
                return value
            resolvers = _PLAIN_RESOLVERS.get(value[:1])
            if resolvers is None and not _ANY_FIRST:
                return value
            return self._typed(value)
        if kind is _MAPPING_START:
            out: dict[str, Any] = {}
            while True:
                inner = self.next()
                if type(inner) is _MAPPING_END:
                    return out
                key = self._key(inner)
                if key in out:
                    raise _Unusual
                out[key] = self._value(self.next(), depth + 1)
        if kind is _SEQUENCE_START:
            items: list[Any] = []
            while True:
                inner = self.next()
                if type(inner) is _SEQUENCE_END:
                    return items
                items.append(self._value(inner, depth + 1))
        raise _Unusual  # an alias


class _Builder:
    """Turns a node tree into plain values, refusing what a ledger must not contain."""

    def __init__(self, root: yaml.Node, *, aliases: bool = True) -> None:
        self.root = root
        # a text without '*' has no alias, so each node is built once and counting them (a
        # walk of the whole tree, seconds at 100k servers) cannot find a bomb
        nodes = _count_nodes(root) if aliases else 0
        self.budget: float = (
            max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes) if aliases else math.inf
        )
        self.scalar = yaml.constructor.SafeConstructor()
        #: lines of the top-level values and of the items of top-level lists
        self.lines: dict[Path_, int] = {}

    def build(self) -> Any:
        return self._value(self.root, (), 0)

    def _spend(self, node: yaml.Node, path: Path_) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise YamlProblem("alias-bomb", *_pos(node), path=path)

    def _value(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self._spend(node, path)
        if depth > MAX_DEPTH:
            raise YamlProblem("too-deep", *_pos(node), path=path, detail=str(MAX_DEPTH))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise YamlProblem("yaml-tag", *_pos(node), path=path, detail=node.tag)
            if len(path) == 1:
                self.lines.update(
                    ((*path, i), child.start_mark.line + 1) for i, child in enumerate(node.value)
                )
            return [self._value(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        raise YamlProblem("yaml-tag", *_pos(node), path=path, detail=str(node.tag))  # pragma: no cover

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag not in _PLAIN_TAGS:
            raise YamlProblem("yaml-tag", *_pos(node), path=path, detail=node.tag)
        if node.tag in (_STR, _TIMESTAMP):
            return node.value
        try:
            if node.tag == _INT:
                return self.scalar.construct_yaml_int(node)
            if node.tag == _FLOAT:
                value = self.scalar.construct_yaml_float(node)
                if not math.isfinite(value):  # .nan and .inf slip through every range check
                    raise ValueError(f"{node.value} is not a finite number")
                return value
            if node.tag == _BOOL:
                return self.scalar.construct_yaml_bool(node)
        except (ValueError, OverflowError, KeyError) as exc:  # KeyError: !!bool maybe
            raise YamlProblem("yaml-syntax", *_pos(node), path=path, detail=f"'{node.value}': {exc}") from exc
        return None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        if node.tag != _MAP:
            raise YamlProblem("yaml-tag", *_pos(node), path=path, detail=node.tag)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("yaml-key", *_pos(key_node), path=path)
            if key_node.tag not in _PLAIN_TAGS:
                raise YamlProblem("yaml-tag", *_pos(key_node), path=path, detail=key_node.tag)
            key = str(key_node.value)
            if key in out:
                raise YamlProblem("duplicate-key", *_pos(key_node), path=(*path, key), detail=key)
            if not path:
                self.lines[(key,)] = value_node.start_mark.line + 1
            out[key] = self._value(value_node, (*path, key), depth + 1)
        return out


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _count_nodes(root: yaml.Node) -> int:
    """Distinct nodes in the tree (aliases share nodes, so this is the size as written)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return len(seen)


class Locator:
    """Answers "where is this node?" for one file, composing it once and only when first asked."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = False

    def _tree(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = compose(self._text)
            except YamlProblem:
                self._root = None
        return self._root

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int] | None:
        """1-based ``(line, column)`` of the node at ``path``, or of its nearest existing parent.

        With ``key=True`` the position of the mapping key named by the last element is given
        (where an unknown field is written).
        """
        node = self._tree()
        if node is None:
            return None
        parts = path[:-1] if key and path and isinstance(path[-1], str) else path
        for part in parts:
            child = _child(node, part)
            if child is None:
                return _pos(node)
            node = child
        if key and path and isinstance(path[-1], str) and isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == path[-1]:
                    return _pos(key_node)
        return _pos(node)


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                found: yaml.Node = value_node
                return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item: yaml.Node = node.value[part]
        return item
    return None
