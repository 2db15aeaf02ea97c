"""``govcloud import``: one source format → a plannable ledger document, or a refusal.

The command is thin; this is the whole job, behind one entry point (:func:`run_import`):
recognise what each file is (and refuse a file given to the wrong importer, naming the right
command), run the format's importer, make the result plannable
(:mod:`govcloud.importers.plannable`), fail — with nothing to write — when no row could be
imported, and with ``--into`` say where in the region the file goes and what it changes
(:mod:`govcloud.importers.merge`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud.importers import MAPPED, detect, extra, header_key, merge, plannable
from govcloud.importers.formats import IMPORT_FORMATS, Request, command_for
from govcloud.ledger.dump import yaml_text
from govcloud.problems import Problem, make
from govcloud.settings import check_mapping, read_yaml
from govcloud.tabular.columns import SHEETS


@dataclass
class Outcome:
    """What an import produced: the document to write (None when nothing may be written)."""

    document: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    #: (sheet, cell, header, field) of every column used, for the spreadsheet importers
    used: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: exit as a usage error (a file given to the wrong importer)
    usage: bool = False


def refuse_wrong_kind(fmt: str, sources: list[Path]) -> list[Problem]:
    """A problem for each source that is another importer's file."""
    problems = []
    for path in sources:
        kind = detect.kind_of(path)
        if kind is None or kind == IMPORT_FORMATS[fmt].kind:
            continue
        if kind == "ledger":
            continue  # no other importer's file: the format's own reader says what it lacks
        command = f"{command_for(kind)} {path.name}"
        problems.append(
            make(
                "import-wrong-kind",
                file=str(path),
                name=path.name,
                kind=f"kind.import-{kind}",
                expected=f"govcloud import {fmt}",
                command=command,
            )
        )
    return problems


def run(
    fmt: str,
    sources: list[Path],
    options: plannable.Options,
    mapping: dict[str, Any] | None = None,
    known: plannable.Known | None = None,
    include_off: bool = False,
) -> Outcome:
    """Import ``sources`` of format ``fmt`` (a name in :data:`IMPORT_FORMATS`) into a plannable
    ledger document."""
    wrong = refuse_wrong_kind(fmt, sources)
    if wrong:
        return Outcome(None, wrong, usage=True)
    entry = IMPORT_FORMATS[fmt]
    mapped = ((mapping or {}).get("columns") or {}).get("servers") or {}
    token = MAPPED.set(frozenset(header_key(str(h)) for h in mapped))
    try:
        imported = entry.read(Request(sources, options, mapping, include_off))
    except entry.refusals as exc:
        return Outcome(None, [make("import-unreadable", file=", ".join(map(str, sources)), detail=exc)])
    finally:
        MAPPED.reset(token)
    document, problems, used = imported.document, imported.problems, imported.used
    if not entry.ledger_columns:
        problems += extra.apply(document, sources, mapping)
    rows = sum(len(document.get(k, [])) for k in ("servers", "sites", "networks", "lines", "systems"))
    if rows == 0:
        problems.append(
            make("import-no-rows", file=", ".join(map(str, sources)), source=[p.name for p in sources])
        )
        return Outcome(None, problems, used=used)
    roles = (mapping or {}).get("roles") or {}
    options.roles = {str(k): str(v) for k, v in roles.items()} if isinstance(roles, dict) else {}
    completed = plannable.complete(document, options, known)
    problems += completed.problems
    return Outcome(completed.document, problems, rows, completed.counts, used)


@dataclass
class ImportRun:
    """What ``govcloud import`` prints and writes: the outcome (columns used, problems,
    counts), the file to write and its text (None when nothing may be written), and with
    ``--into`` what the file changes in the region."""

    outcome: Outcome
    target: Path
    text: str | None = None
    #: entries added, changed and removed against the file an earlier import wrote (``--into``)
    changes: merge.Changes | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.outcome.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.outcome.problems if p.severity == "warning"]

    def used_columns(self) -> dict[str, list[str]]:
        """Sheet → ``cell 'header' → field`` of every column read, in reading order."""
        used: dict[str, list[str]] = {}
        for sheet, cell, header, field_name in self.outcome.used:
            used.setdefault(sheet, []).append(f"{cell} '{header}' → {field_name}")
        return used


def read_mapping(path: Path | None) -> dict[str, Any] | None:
    """The ``--mapping`` file's content, checked; a file that cannot be used raises
    :class:`govcloud.settings.ConfigError` naming it."""
    if path is None:
        return None
    return check_mapping(read_yaml(path), str(path), [key for key, _ in SHEETS])


def run_import(
    fmt: str,
    sources: list[Path],
    *,
    out: Path | None = None,
    into: Path | None = None,
    mapping: dict[str, Any] | None = None,
    region: str | None = None,
    owner: str | None = None,
    site: str | None = None,
    include_off: bool = False,
) -> ImportRun:
    """Import ``sources`` of format ``fmt`` as the file ``<first source>.yaml`` in ``out``, or
    as ``departments/<first source>.yaml`` of the region folder ``into`` (referring to the
    departments and rooms the region already has); the caller writes :attr:`ImportRun.text`
    to :attr:`ImportRun.target` when it is not None."""
    target = merge.target(into, sources[0]) if into else (out or Path()) / f"{sources[0].stem}.yaml"
    known = merge.known(into, target) if into else None
    options = plannable.Options(sources[0].name, region=region, owner=owner, site=site)
    outcome = run(fmt, sources, options, mapping, known, include_off)
    if outcome.document is None:
        return ImportRun(outcome, target)
    change = merge.changes(merge.previous(target), outcome.document) if into else None
    return ImportRun(outcome, target, yaml_text(outcome.document), change)
