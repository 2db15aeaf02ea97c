"""The registry of import formats: ``govcloud import NAME`` for each, the kind of file it reads,
how a file of that kind is recognised, and its reader — all with one signature.

``govcloud import``'s choices, the refusal of a file given to the wrong importer (naming the
command that reads it, :mod:`govcloud.importers.detect`) and the dispatch in
:mod:`govcloud.importers.run` read :data:`IMPORT_FORMATS`.  A format's kind of file is named by
the message ``kind.import-<kind>`` (:mod:`govcloud.i18n`).  Adding a format: CONTRIBUTING.md,
"Adding an import header or format".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from govcloud import tabular
from govcloud.importers import aws_cmf, azure_migrate, netbox, plannable, rvtools
from govcloud.problems import Problem
from govcloud.registry import Registry


@dataclass(frozen=True)
class Request:
    """What every reader is given: the files, and the options of ``govcloud import``."""

    sources: list[Path]
    options: plannable.Options
    #: the ``--mapping`` file's content (columns, sheets, roles), or None
    mapping: dict[str, Any] | None = None
    #: ``--include-powered-off``
    include_off: bool = False


@dataclass
class Imported:
    """What a reader found: a ledger document (possibly without rows) and its problems."""

    document: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    #: (sheet, cell, header, field) of every column used, for readers that report them
    used: list[tuple[str, str, str, str]] = field(default_factory=list)


class Reader(Protocol):
    """The one signature of every importer."""

    def __call__(self, request: Request) -> Imported: ...


@dataclass(frozen=True)
class ImportFormat:
    name: str  #: ``govcloud import NAME``
    kind: str  #: the kind of file it reads (``kind.import-<kind>`` names it)
    read: Reader
    #: the reader maps the ledger's own columns itself; the others' documents get the
    #: mapping's extra columns (:mod:`govcloud.importers.extra`)
    ledger_columns: bool = False
    #: a header row (:func:`govcloud.importers.header_key` forms) that says a file is of this
    #: kind, tried in ``detect_rank`` order; None when the header row cannot tell
    headers: Callable[[set[str]], bool] | None = None
    detect_rank: int = 50
    #: the sheet list of an xlsx workbook (``xl/workbook.xml``, casefolded) says it is of this kind
    workbook: Callable[[str], bool] | None = None
    #: the first bytes of a JSON file (decoded, leading space stripped) say it is of this kind
    json_head: Callable[[str], bool] | None = None
    #: exceptions of the reader that mean "this file cannot be imported" (exit 1, nothing written)
    refusals: tuple[type[Exception], ...] = ()


def _ledger(request: Request) -> Imported:
    result = tabular.import_files(request.sources, request.mapping, helpers=True)
    return Imported(result.document, result.problems, result.used)


def _netbox(request: Request) -> Imported:
    return Imported(*netbox.import_any(request.sources))


def _rvtools(request: Request) -> Imported:
    return Imported(*rvtools.import_rvtools(request.sources, request.include_off))


def _azure_migrate(request: Request) -> Imported:
    """Azure Migrate reads one file at a time; several are imported one after the other."""
    return _servers_of_each(azure_migrate.import_csv, request.sources)


def _aws_cmf(request: Request) -> Imported:
    if len(request.sources) == 1:
        return Imported(*aws_cmf.import_intake(request.sources[0]))
    return _servers_of_each(aws_cmf.import_intake, request.sources)


def _servers_of_each(
    importer: Callable[[Path], tuple[dict[str, Any], list[Problem]]], sources: list[Path]
) -> Imported:
    doc: dict[str, Any] = {"version": 1}
    problems: list[Problem] = []
    for path in sources:
        found, more = importer(path)
        doc.setdefault("servers", []).extend(found.get("servers", []))
        problems += more
    if not doc["servers"]:
        del doc["servers"]
    return Imported(doc, problems)


#: header words only NetBox's exports carry (English and Portuguese)
_NETBOX_MARKS = {
    "tenant",
    "tenant group",
    "site",
    "rack",
    "role",
    "device role",
    "platform",
    "rack face",
    "airflow",
    "inquilino",
    "função",
    "local",
    "circuit id",
    "commit rate kbps",
    "vcpus",
    "cluster",
    "prefix",
    "vrf",
    "slug",
}


def _netbox_headers(keys: set[str]) -> bool:
    return bool(keys & {"name", "nome"}) and len(keys & _NETBOX_MARKS) >= 3


def _rvtools_headers(keys: set[str]) -> bool:
    vms = "vm" in keys and ("powerstate" in keys or "template" in keys)
    hosts = "host" in keys and ("esx version" in keys or "cores per cpu" in keys or "vms" in keys)
    return vms or hosts


def _rvtools_workbook(names: str) -> bool:
    """RVTools' workbooks hold a vInfo tab."""
    return 'name="vinfo"' in names


def _netbox_json(head: str) -> bool:
    """A database dump (a list of model objects) or a REST API page (an object with results)."""
    return (head.startswith("[") and '"model"' in head) or (head.startswith("{") and '"results"' in head)


def _azure_headers(keys: set[str]) -> bool:
    return {"server name", "cores"} <= keys or {"server name", "memory in mb"} <= keys


#: every import format, in the order ``govcloud import`` lists them
IMPORT_FORMATS: Registry[ImportFormat] = Registry("import format")

for _format in (
    ImportFormat("xlsx", "ledger", _ledger, ledger_columns=True),
    ImportFormat("xls", "ledger", _ledger, ledger_columns=True),
    ImportFormat("csv", "ledger", _ledger, ledger_columns=True),
    ImportFormat(
        "netbox",
        "netbox",
        _netbox,
        headers=_netbox_headers,
        detect_rank=40,
        json_head=_netbox_json,
        refusals=(netbox.NetboxError,),
    ),
    ImportFormat(
        "rvtools",
        "rvtools",
        _rvtools,
        headers=_rvtools_headers,
        detect_rank=30,
        workbook=_rvtools_workbook,
        refusals=(rvtools.RvtoolsError,),
    ),
    ImportFormat("azure-migrate", "azure-migrate", _azure_migrate, headers=_azure_headers, detect_rank=10),
    ImportFormat(
        "aws-cmf",
        "aws-cmf",
        _aws_cmf,
        headers=lambda keys: {"wave id", "app name", "server name"} <= keys,
        detect_rank=20,
    ),
):
    IMPORT_FORMATS.add(_format.name, _format)


def command_for(kind: str) -> str:
    """The format (``govcloud import NAME``) that reads files of ``kind``: the first registered."""
    return next(f.name for f in IMPORT_FORMATS.entries() if f.kind == kind)
