"""``govcloud import``: one source format → a plannable ledger document, or a refusal.

The command is thin; this is the whole job: recognise what each file is (and refuse a file
given to the wrong importer, naming the right command), run the format's importer, make the
result plannable (:mod:`govcloud.importers.plannable`), and fail — writing nothing — when no
row could be imported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud import tabular
from govcloud.importers import (
    MAPPED,
    aws_cmf,
    azure_migrate,
    detect,
    extra,
    header_key,
    netbox,
    plannable,
    rvtools,
)
from govcloud.problems import Problem, make

#: formats of ``govcloud import FORMAT`` and the kinds of file (:mod:`detect`) each reads
FORMATS: dict[str, tuple[str, ...]] = {
    "xlsx": ("ledger",),
    "xls": ("ledger",),
    "csv": ("ledger",),
    "netbox": ("netbox",),
    "rvtools": ("rvtools",),
    "azure-migrate": ("azure-migrate",),
    "aws-cmf": ("aws-cmf",),
}


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
        if kind is None or kind in FORMATS[fmt]:
            continue
        if kind == "ledger":
            continue  # no other importer's file: the format's own reader says what it lacks
        command = f"{detect.COMMAND[kind]} {path.name}"
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
    """Import ``sources`` of format ``fmt`` into a plannable ledger document."""
    wrong = refuse_wrong_kind(fmt, sources)
    if wrong:
        return Outcome(None, wrong, usage=True)
    used: list[tuple[str, str, str, str]] = []
    mapped = ((mapping or {}).get("columns") or {}).get("servers") or {}
    token = MAPPED.set(frozenset(header_key(str(h)) for h in mapped))
    try:
        if fmt in ("xlsx", "xls", "csv"):
            result = tabular.import_files(sources, mapping, helpers=True)
            document, problems, used = result.document, result.problems, result.used
        elif fmt == "netbox":
            document, problems = netbox.import_any(sources)
        elif fmt == "rvtools":
            document, problems = rvtools.import_rvtools(sources, include_off)
        elif fmt == "azure-migrate":
            document, problems = _one(azure_migrate.import_csv, sources, options)
        else:
            document, problems = aws_cmf.import_intake(sources[0]) if len(sources) == 1 else _many(sources)
    except (netbox.NetboxError, rvtools.RvtoolsError) as exc:
        return Outcome(None, [make("import-unreadable", file=", ".join(map(str, sources)), detail=str(exc))])
    finally:
        MAPPED.reset(token)
    if fmt not in ("xlsx", "xls", "csv"):
        problems += extra.apply(document, sources, mapping)
    rows = sum(len(document.get(k, [])) for k in ("servers", "sites", "networks", "lines", "systems"))
    if rows == 0:
        problems.append(make("import-no-rows", file=", ".join(map(str, sources)), source=_names(sources)))
        return Outcome(None, problems, used=used)
    roles = (mapping or {}).get("roles") or {}
    options.roles = {str(k): str(v) for k, v in roles.items()} if isinstance(roles, dict) else {}
    completed = plannable.complete(document, options, known)
    problems += completed.problems
    return Outcome(completed.document, problems, rows, completed.counts, used)


def _names(sources: list[Path]) -> str:
    return ", ".join(p.name for p in sources)


def _one(
    importer: Any, sources: list[Path], options: plannable.Options
) -> tuple[dict[str, Any], list[Problem]]:
    """Azure Migrate reads one file at a time; several are imported one after the other."""
    doc: dict[str, Any] = {"version": 1}
    problems: list[Problem] = []
    for path in sources:
        found, more = importer(path)
        doc.setdefault("servers", []).extend(found.get("servers", []))
        problems += more
    if not doc["servers"]:
        del doc["servers"]
    return doc, problems


def _many(sources: list[Path]) -> tuple[dict[str, Any], list[Problem]]:
    doc: dict[str, Any] = {"version": 1}
    problems: list[Problem] = []
    for path in sources:
        found, more = aws_cmf.import_intake(path)
        doc.setdefault("servers", []).extend(found.get("servers", []))
        problems += more
    if not doc["servers"]:
        del doc["servers"]
    return doc, problems
