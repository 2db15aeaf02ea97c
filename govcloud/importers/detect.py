"""What kind of file a source is, from its content: so a NetBox export given to ``import csv``
is refused with the command that reads it, instead of becoming a ledger of nothing.

Kinds: ``netbox`` (database dump, REST pages, UI CSV exports), ``rvtools`` (xlsx or a per-tab
CSV), ``azure-migrate``, ``aws-cmf`` (Cloud Migration Factory intake form), ``ledger`` (a
spreadsheet ledger of any other shape), or None when the file cannot be read at all.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from govcloud import safeio
from govcloud.importers import header_key
from govcloud.importers.formats import IMPORT_FORMATS, ImportFormat
from govcloud.tabular.sheets import SheetError, read

#: the size limit (:data:`safeio.LIMITS`) a source is checked against, by suffix
_LIMIT_KIND = {".json": "netbox", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx"}


def headers_kind(headers: list[str]) -> str | None:
    """The kind a header row says (English export headers, folded by :func:`header_key`), by
    the registered formats' header tests (:mod:`govcloud.importers.formats`)."""
    keys = {header_key(str(h)) for h in headers if h is not None and str(h).strip()}
    return next((f.kind for f in _ranked() if f.headers is not None and f.headers(keys)), None)


def _ranked() -> list[ImportFormat]:
    """The registered formats in the order their tests are tried."""
    return sorted(IMPORT_FORMATS.entries(), key=lambda f: f.detect_rank)


def kind_of(path: Path) -> str | None:
    """The kind of one source file; None for a file refused at the door (a FIFO, a device, a
    file over its size limit, a zip bomb): the format's own reader then says why."""
    suffix = path.suffix.casefold()
    try:  # never open what is not a regular file within its limit: a FIFO blocks the open
        safeio.check_file(path, _LIMIT_KIND.get(suffix, "csv"))
    except safeio.UnsafeInput:
        return None
    if suffix == ".json":
        return _json_kind(path)
    if suffix in (".xlsx", ".xlsm"):
        try:
            safeio.check_xlsx(path)  # the same limits as the reader's, before unzipping
            with zipfile.ZipFile(path) as book:
                names = book.read("xl/workbook.xml").decode("utf-8", "replace").casefold()
        except (OSError, KeyError, zipfile.BadZipFile, safeio.UnsafeInput):
            return None
        told = next((f.kind for f in _ranked() if f.workbook is not None and f.workbook(names)), None)
        if told:
            return told
    try:
        sheets = read(path)
    except (SheetError, OSError):
        return None
    for sheet in sheets:
        for _, cells in sheet.rows[:3]:
            kind = headers_kind([str(c) for c in cells if c is not None])
            if kind:
                return kind
    return "ledger"


def _json_kind(path: Path) -> str | None:
    """From the first bytes only (the importer parses the document with its limits)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192).decode("utf-8-sig", "replace").lstrip()
    except OSError:
        return None
    return next((f.kind for f in _ranked() if f.json_head is not None and f.json_head(head)), None)
