"""Load a ledger: read files, check each against the schema, assemble, check the whole.

Every problem found on the way is collected, so a user sees all of them at once; the
:class:`~govcloud.ledger.model.Ledger` is returned only when there are no errors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def load(path: Path | str, progress: Progress | None = None) -> LoadResult:
    """Load the ledger at ``path`` (a directory of YAML files, or one file)."""
    with collector_paused():
        return _load(Path(path), progress)


def _load(path: Path, progress: Progress | None) -> LoadResult:
    files, findings = discover(path)
    if not files:  # nothing to read: say so, without the follow-on "no region" noise
        return LoadResult(None, finalise(findings, files), [])
    assembler = _Assembler()
    report = progress or _quiet
    for i, ledger_file in enumerate(files):
        report("load", i, len(files))
        file_findings = read(ledger_file)
        if ledger_file.document is not None:
            schema_check.normalise_enums(ledger_file.document)
            file_findings += build.fold_widths(ledger_file.name, ledger_file.document)
            file_findings += schema_check.check(ledger_file.name, ledger_file.document)
            invalid = schema_check.invalid_items(f for f in file_findings if f.severity == "error")
            assembler.add(ledger_file, invalid, file_findings)
            file_findings += _assumptions(ledger_file, assembler.assumed)
        findings += file_findings
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
    """Collects entities from every file into one ledger, noting duplicates and gaps."""

    def __init__(self) -> None:
        self.builder = build.Builder()
        self.region: model.Region | None = None
        #: a file wrote ``region:``, even if it was rejected (then that is the problem reported)
        self.region_written = False
        self.prices: model.Prices | None = None
        self.entities: dict[str, dict[str, Any]] = {kind: {} for kind in model.ENTITY_KINDS}
        self.known: dict[str, set[str]] = {kind: set() for kind in model.ENTITY_KINDS}
        self.first_seen: dict[str, dict[str, str]] = {kind: {} for kind in model.ENTITY_KINDS}
        self.own_findings: list[Finding] = []
        self.assumed: dict[str, set[str]] = {}

    @property
    def findings(self) -> list[Finding]:
        return self.own_findings + self.builder.findings

    def add(
        self,
        ledger_file: LedgerFile,
        invalid: dict[tuple[str, int], list[tuple[str | int, ...]]],
        file_findings: list[Finding],
    ) -> None:
        doc = ledger_file.document or {}
        name = ledger_file.name
        lines = ledger_file.lines
        top_level_bad = {f.path[0] for f in file_findings if f.path and f.path[0] in _SINGLE_OBJECTS}
        self.region_written = self.region_written or "region" in doc
        if isinstance(doc.get("region"), dict) and "region" not in top_level_bad:
            self._add_region(doc["region"], model.Source(name, ("region",), lines.get(("region",))))
        if isinstance(doc.get("prices"), dict) and "prices" not in top_level_bad:
            self._add_prices(doc["prices"], model.Source(name, ("prices",), lines.get(("prices",))))
        owner: str | None = None
        department = doc.get("department")
        if isinstance(department, dict):
            owner = department.get("id") if isinstance(department.get("id"), str) else None
            fresh = self._remember(
                "departments", department, model.Source(name, ("department",), lines.get(("department",)))
            )
            if fresh and "department" not in top_level_bad:
                self._add(
                    "departments", department, model.Source(name, ("department",), lines.get(("department",)))
                )
        for kind in model.ENTITY_KINDS:
            items = doc.get(kind)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                source = model.Source(name, (kind, i), lines.get((kind, i)))
                if not self._remember(kind, item, source):
                    continue
                if (kind, i) in invalid:
                    # keep checking the rest of the entry; the ledger is not returned anyway
                    item = schema_check.without(item, invalid[(kind, i)])
                self._add_item(kind, item, source, owner)

    def _remember(self, kind: str, item: dict[str, Any], source: model.Source | None = None) -> bool:
        """Note an entry's id; False (and a duplicate-id problem) when another entry has it.

        Checked on the raw entry, so a duplicate is reported even when the entry has other
        problems that keep it out of the model."""
        ident = item.get("id")
        if not isinstance(ident, str):
            return True
        self.known[kind].add(ident)
        if source is None:
            return True
        other = self.first_seen[kind].get(ident)
        if other is not None:
            params: dict[str, object] = {"kind": f"kind.{kind}", "id": ident, "other": other}
            self.own_findings.append(
                Finding(source.file, (*source.path, "id"), "duplicate-id", params=params)
            )
            return False
        self.first_seen[kind][ident] = f"{source.file} {source.pointer()}"
        return True

    def _add_item(self, kind: str, item: dict[str, Any], source: model.Source, owner: str | None) -> None:
        if kind in model.OWNED_KINDS and "owner" not in item:
            if owner is None:
                self.own_findings.append(Finding(source.file, (*source.path, "owner"), "owner-missing"))
                return
            item = {**item, "owner": owner}
        self._add(kind, item, source)

    def _add(self, kind: str, item: dict[str, Any], source: model.Source) -> None:
        try:
            entity = self.builder.entity(build.ENTITY_CLASSES[kind], item, source)
        except (TypeError, AttributeError):
            return  # a required field was rejected by the schema and already reported

        existing = self.entities[kind].get(entity.id)
        if existing is not None:
            where = f"{existing.source.file} {existing.source.pointer()}"
            self.own_findings.append(
                Finding(
                    source.file,
                    (*source.path, "id"),
                    "duplicate-id",
                    params={"kind": f"kind.{kind}", "id": entity.id, "other": where},
                )
            )
            return
        self.entities[kind][entity.id] = entity

    def _add_region(self, data: dict[str, Any], source: model.Source) -> None:
        if self.region is not None:
            where = f"{self.region.source.file} region"
            self.own_findings.append(
                Finding(source.file, source.path, "region-duplicate", params={"other": where})
            )
            return
        self.region = self.builder.entity(model.Region, data, source)

    def _add_prices(self, data: dict[str, Any], source: model.Source) -> None:
        if self.prices is not None:
            where = f"{self.prices.source.file} prices"
            self.own_findings.append(
                Finding(source.file, source.path, "prices-duplicate", params={"other": where})
            )
            return
        self.prices = build.prices(self.builder, data, source)

    def ledger(self, root: str) -> model.Ledger:
        if self.region is None and not self.region_written:
            self.own_findings.append(Finding(root, (), "region-missing"))
        return model.Ledger(
            region=self.region or _PLACEHOLDER_REGION,
            prices=self.prices or model.Prices(),
            assumed={k: frozenset(v) for k, v in self.assumed.items()},
            **self.entities,
        )
