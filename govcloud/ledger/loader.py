"""Load a ledger: read files, check each against the schema, assemble, check the whole.

Every problem found on the way is collected, so a user sees all of them at once; the
:class:`~govcloud.ledger.model.Ledger` is returned only when there are no errors.

Each file is read and checked on its own into a :class:`FilePart` (its problems and its entries
built), which depends only on the file's name and bytes; :class:`_Assembler` then puts the
parts together, finding duplicates across files, and :func:`validate.check` checks the whole.
A :class:`PartStore` (the warm cache's per-file entries) can hand back the part of a file
loaded before, so an edit to one file re-reads that file only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from govcloud import forked
from govcloud.errors import GovcloudError
from govcloud.ledger import build, model, schema_check, validate
from govcloud.ledger.files import Finding, LedgerFile, discover, finalise, read
from govcloud.problems import Problem

#: ``progress(stage, done, total)``: ``load`` once per file (and when all are read), then
#: ``validate`` at its start and end
Progress = Callable[[str, int, int], None]


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass
class LoadResult:
    """What loading found: the ledger when valid, and every problem."""

    ledger: model.Ledger | None
    problems: list[Problem]
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.ledger is not None


class LedgerInvalid(GovcloudError):
    """Raised by :func:`load_or_raise` when a ledger has errors."""

    kind = "inventory"

    def __init__(self, result: LoadResult) -> None:
        super().__init__(f"{len(result.errors)} errors in the ledger")
        self.result = result


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are built.

    Parsing creates no reference cycles, but the collector still walks every young object
    each time allocations pass its threshold; on a 100k-server ledger that costs a third of
    the load time and grows faster than the input.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class PartStore(Protocol):
    """Where loaded files are kept between runs (:class:`govcloud.cache.FileParts`): a file's
    part is looked up by its name as shown in messages and its bytes.  ``has`` says whether
    one may be kept without reading it back (a miss when not; ``get`` may still miss)."""

    def has(self, name: str, data: bytes) -> bool: ...

    def get(self, name: str, data: bytes) -> FilePart | None: ...

    def put(self, name: str, data: bytes, part: FilePart) -> None: ...


def load(path: Path | str, progress: Progress | None = None, parts: PartStore | None = None) -> LoadResult:
    """Load the ledger at ``path`` (a directory of YAML files, or one file).

    With ``parts``, a file whose name and bytes were loaded before is not read or checked
    again: its part (entities, problems) is taken from the store, and the checks across files
    run on the assembled ledger as always, so the result is the same."""
    with collector_paused():
        return _load(Path(path), progress, parts)


def _load(path: Path, progress: Progress | None, parts: PartStore | None) -> LoadResult:
    files, findings = discover(path)
    if not files:  # nothing to read: say so, without the follow-on "no region" noise
        return LoadResult(None, finalise(findings, files), [])
    assembler = _Assembler()
    report = progress or _quiet
    for part in _parts(files, parts, report):
        findings += part.findings
        assembler.add(part)
        findings += part.assumptions
    report("load", len(files), len(files))
    report("validate", 0, 1)
    ledger = assembler.ledger(str(path))
    findings += assembler.findings
    findings += validate.check(ledger, assembler.known)
    problems = finalise(findings, files)
    report("validate", 1, 1)
    valid = ledger is not None and assembler.region is not None
    has_errors = any(p.severity == "error" for p in problems)
    return LoadResult(ledger if valid and not has_errors else None, problems, [f.name for f in files])


#: from this many bytes of files to read on, a forked child reads about half of them
#: (:mod:`govcloud.forked`; about 8 MB is a region of 20,000 servers, read in a second or two)
FORK_MIN_BYTES = 8 * 1024 * 1024
#: the share of the bytes the child reads: it also pickles its parts, and the parent reads them
CHILD_SHARE = 0.45
#: from this many bytes of files whose parts are kept on, a forked child reads the files that
#: are not while this process reads the parts back (a part read back costs about a tenth of
#: reading its file; at 100k servers the 16 parts of an edit take a second, the file 0.8 s)
FORK_MIN_HELD = 8 * 1024 * 1024


def _parts(files: list[LedgerFile], parts: PartStore | None, report: Progress) -> list[FilePart]:
    """Every file's part in the files' order: from ``parts`` when its name and bytes were
    loaded before, else read and checked (and kept there, unless the file changed while it
    was read).  With :data:`FORK_MIN_BYTES` or more to read, a forked child reads about half;
    with parts to take from the store (:data:`FORK_MIN_HELD` bytes of their files) and a file
    or more to read, the child reads them all while this process takes the parts (after one
    department's file is edited, the other files' parts are read back while it is read)."""
    done: list[FilePart | None] = [None] * len(files)
    keys = [f"{f.name}\n{f.relative}" for f in files]  # the name relative to the root too
    data: list[bytes | None] = [None] * len(files)
    held: list[tuple[int, bytes]] = []  # the files whose parts are kept, and their bytes
    for i, ledger_file in enumerate(files):
        if parts is not None:
            data[i] = raw = _bytes(ledger_file.path)
            if raw is not None and parts.has(keys[i], raw):
                held.append((i, raw))
    kept = {i for i, _ in held}
    todo = [i for i in range(len(files)) if i not in kept]
    sizes = {i: _size(files[i]) for i in todo}
    theirs = _child_share(sizes) if sum(sizes.values()) >= FORK_MIN_BYTES else []
    if not theirs and todo and sum(len(raw) for _, raw in held) >= FORK_MIN_HELD:
        theirs = list(todo)
    child = forked.call(lambda: [read_part(files[i]) for i in theirs]) if theirs else None
    if child is None:
        theirs = []
    skip = set(theirs)
    try:
        if parts is not None:
            for i, raw in held:
                done[i] = parts.get(keys[i], raw)
                if done[i] is None:  # its entry is unreadable after all: read the file
                    todo.append(i)
        for n, i in enumerate(i for i in todo if i not in skip):
            report("load", n, len(files))
            done[i] = read_part(files[i])
        if child is not None:
            for i, part in zip(theirs, child.result(), strict=True):
                done[i] = part
    finally:
        if child is not None:
            child.cancel()
    if parts is not None:
        for i in todo:
            _keep(parts, files[i], keys[i], data[i], done[i])
    return [part for part in done if part is not None]


def _size(ledger_file: LedgerFile) -> int:
    try:
        return ledger_file.path.stat().st_size
    except OSError:
        return 0


def _child_share(sizes: dict[int, int]) -> list[int]:
    """The files a child reads, in file order: the largest first, each to the side that is
    less loaded so far, the child's bytes weighing as if it had :data:`CHILD_SHARE` of the
    work to do.

    >>> _child_share({0: 10, 1: 50, 2: 40, 3: 5})
    [0, 2]
    """
    mine = theirs = 0.0
    chosen = []
    for i in sorted(sizes, key=lambda i: (-sizes[i], i)):
        if theirs / CHILD_SHARE < mine / (1 - CHILD_SHARE):
            theirs += sizes[i]
            chosen.append(i)
        else:
            mine += sizes[i]
    return sorted(chosen)


def _keep(
    parts: PartStore, ledger_file: LedgerFile, key: str, data: bytes | None, part: FilePart | None
) -> None:
    """Keep a part just read, unless its file was unreadable or changed while it was read."""
    if data is None or part is None:
        return
    unreadable = any(f.code == "file-unreadable" for f in part.findings)
    if not unreadable and _bytes(ledger_file.path) == data:
        parts.put(key, data, part)


def _bytes(path: Path) -> bytes | None:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        return path.read_bytes()
    except (OSError, ValueError):
        return None


@dataclass
class Item:
    """One entry of a file as read and built, before it meets the other files' entries."""

    kind: str
    #: the id written in the file (None when it is not text)
    ident: str | None
    source: model.Source
    #: the built entity; None when it was not built (rejected by the schema)
    entity: Any = None
    #: what building it found (unreal dates), reported only when the entry is kept
    built: list[Finding] = field(default_factory=list)
    #: False: remembered for duplicates but not added (a rejected ``department:``)
    add: bool = True
    #: an owned entry with no owner and no ``department:`` in its file
    owner_missing: bool = False


@dataclass
class FilePart:
    """What one file contributes to a ledger: everything found reading and checking it on its
    own, and its entries built.  It depends only on the file's name and bytes (and govcloud's
    code), so it can be kept between runs; :class:`_Assembler` puts the parts together."""

    findings: list[Finding] = field(default_factory=list)
    region_written: bool = False
    region: Item | None = None
    prices: Item | None = None
    department: Item | None = None
    items: list[Item] = field(default_factory=list)
    #: what an import assumed (field → ids) and the warnings saying so
    assumed: dict[str, set[str]] = field(default_factory=dict)
    assumptions: list[Finding] = field(default_factory=list)


def read_part(ledger_file: LedgerFile) -> FilePart:
    """Read and check one file on its own and build its entries (:class:`FilePart`)."""
    part = FilePart(findings=read(ledger_file))
    doc = ledger_file.document
    if doc is None:
        return part
    name, lines, relative = ledger_file.name, ledger_file.lines, ledger_file.relative
    schema_check.normalise_enums(doc)
    part.findings += build.fold_widths(name, doc)
    part.findings += schema_check.check(name, doc)
    invalid = schema_check.invalid_items(f for f in part.findings if f.severity == "error")
    top_level_bad = {f.path[0] for f in part.findings if f.path and f.path[0] in _SINGLE_OBJECTS}
    builder = build.Builder()

    def built(kind: str, cls: type[Any], data: dict[str, Any], source: model.Source, ident: Any) -> Item:
        before = len(builder.findings)
        try:
            entity = builder.entity(cls, data, source)
        except (TypeError, AttributeError):
            entity = None  # a required field was rejected by the schema and already reported
        return Item(kind, _text(ident), source, entity, builder.findings[before:])

    part.region_written = "region" in doc
    for key, cls in (("region", model.Region), ("prices", model.Prices)):
        if isinstance(doc.get(key), dict) and key not in top_level_bad:
            source = model.Source(name, (key,), lines.get((key,)), relative)
            setattr(part, key, built(key, cls, doc[key], source, None))
    owner: str | None = None
    department = doc.get("department")
    if isinstance(department, dict):
        owner = department.get("id") if isinstance(department.get("id"), str) else None
        source = model.Source(name, ("department",), lines.get(("department",)), relative)
        if "department" in top_level_bad:
            part.department = Item("departments", _text(department.get("id")), source, add=False)
        else:
            part.department = built("departments", model.Department, department, source, department.get("id"))
    for kind in model.ENTITY_KINDS:
        items = doc.get(kind)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            source = model.Source(name, (kind, i), lines.get((kind, i)), relative)
            ident = item.get("id")  # duplicates are found on the raw entry
            if (kind, i) in invalid:
                # keep checking the rest of the entry; the ledger is not returned anyway
                item = schema_check.without(item, invalid[(kind, i)])
            if kind in model.OWNED_KINDS and "owner" not in item:
                if owner is None:
                    part.items.append(Item(kind, _text(ident), source, owner_missing=True))
                    continue
                item = {**item, "owner": owner}
            part.items.append(built(kind, build.ENTITY_CLASSES[kind], item, source, ident))
    part.assumptions = _assumptions(ledger_file, part.assumed)
    # the part holds what the rest of the run needs: the parsed document can go
    ledger_file.document = None
    ledger_file.lines = {}
    return part


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _assumptions(ledger_file: LedgerFile, assumed: dict[str, set[str]]) -> list[Finding]:
    """What an import assumed (the file's ``assumptions:`` list), as warnings to confirm;
    the entries each names are noted in ``assumed`` (how sure the plan is depends on them)."""
    items = (ledger_file.document or {}).get("assumptions")
    out: list[Finding] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            continue  # the schema check reports it
        if isinstance(item.get("ids"), list):
            assumed.setdefault(item["field"], set()).update(str(x) for x in item["ids"])
        at = [str(a) for a in item.get("at", [])] if isinstance(item.get("at"), list) else []
        params: dict[str, object] = {
            "field": item["field"],
            "value": item.get("value"),
            "why": item.get("why", ""),
            "count": item.get("count", len(at) or 1),
            "at": ", ".join(at[:3]) + (", …" if len(at) > 3 else "") or "-",
        }
        out.append(
            Finding(
                ledger_file.name,
                ("assumptions", i),
                "import-assumption",
                severity="warning",
                params=params,
            )
        )
    return out


def load_or_raise(path: Path | str) -> model.Ledger:
    """The ledger at ``path``; :class:`LedgerInvalid` when it has errors."""
    result = load(path)
    if result.ledger is None:
        raise LedgerInvalid(result)
    return result.ledger


_SINGLE_OBJECTS = ("region", "department", "prices")
_PLACEHOLDER_REGION = model.Region(id="", name="", region_code="000000", as_of=dt.date(1970, 1, 1))


class _Assembler:
    """Puts the files' parts together into one ledger, noting duplicates and gaps."""

    def __init__(self) -> None:
        self.region: model.Region | None = None
        #: a file wrote ``region:``, even if it was rejected (then that is the problem reported)
        self.region_written = False
        self.prices: model.Prices | None = None
        self.entities: dict[str, dict[str, Any]] = {kind: {} for kind in model.ENTITY_KINDS}
        self.known: dict[str, set[str]] = {kind: set() for kind in model.ENTITY_KINDS}
        self.first_seen: dict[str, dict[str, str]] = {kind: {} for kind in model.ENTITY_KINDS}
        self.own_findings: list[Finding] = []
        self.built_findings: list[Finding] = []
        self.assumed: dict[str, set[str]] = {}

    @property
    def findings(self) -> list[Finding]:
        return self.own_findings + self.built_findings

    def add(self, part: FilePart) -> None:
        self.region_written = self.region_written or part.region_written
        if part.region is not None:
            self._add_region(part.region)
        if part.prices is not None:
            self._add_prices(part.prices)
        if part.department is not None:
            self._add_item(part.department)
        for item in part.items:
            self._add_item(item)
        for key, ids in part.assumed.items():
            self.assumed.setdefault(key, set()).update(ids)

    def _add_item(self, item: Item) -> None:
        if not self._remember(item) or not item.add:
            return
        if item.owner_missing:
            self.own_findings.append(Finding(item.source.file, (*item.source.path, "owner"), "owner-missing"))
            return
        self.built_findings += item.built
        entity = item.entity
        if entity is None:
            return
        existing = self.entities[item.kind].get(entity.id)
        if existing is not None:
            where = f"{existing.source.file} {existing.source.pointer()}"
            self._duplicate(item, entity.id, where)
            return
        self.entities[item.kind][entity.id] = entity

    def _remember(self, item: Item) -> bool:
        """Note an entry's id; False (and a duplicate-id problem) when another entry has it.

        Checked on the raw entry, so a duplicate is reported even when the entry has other
        problems that keep it out of the model."""
        if item.ident is None:
            return True
        self.known[item.kind].add(item.ident)
        other = self.first_seen[item.kind].get(item.ident)
        if other is not None:
            self._duplicate(item, item.ident, other)
            return False
        self.first_seen[item.kind][item.ident] = f"{item.source.file} {item.source.pointer()}"
        return True

    def _duplicate(self, item: Item, ident: str, other: str) -> None:
        params: dict[str, object] = {"kind": f"kind.{item.kind}", "id": ident, "other": other}
        self.own_findings.append(
            Finding(item.source.file, (*item.source.path, "id"), "duplicate-id", params=params)
        )

    def _add_region(self, item: Item) -> None:
        if self.region is not None:
            where = f"{self.region.source.file} region"
            self.own_findings.append(
                Finding(item.source.file, item.source.path, "region-duplicate", params={"other": where})
            )
            return
        self.built_findings += item.built
        self.region = item.entity

    def _add_prices(self, item: Item) -> None:
        if self.prices is not None:
            where = f"{self.prices.source.file} prices"
            self.own_findings.append(
                Finding(item.source.file, item.source.path, "prices-duplicate", params={"other": where})
            )
            return
        self.built_findings += item.built
        self.prices = item.entity

    def ledger(self, root: str) -> model.Ledger:
        if self.region is None and not self.region_written:
            self.own_findings.append(Finding(root, (), "region-missing"))
        return model.Ledger(
            region=self.region or _PLACEHOLDER_REGION,
            prices=self.prices or model.Prices(),
            assumed={k: frozenset(v) for k, v in self.assumed.items()},
            **self.entities,
        )
