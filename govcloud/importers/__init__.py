"""Importers of other tools' data: NetBox, RVTools, Azure Migrate, AWS Cloud Migration Factory.

Spreadsheets people keep by hand are imported by :mod:`govcloud.tabular`; every importer's
result is made plannable by :mod:`govcloud.importers.plannable`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path

from openpyxl.utils import get_column_letter

from govcloud.problems import Problem, make
from govcloud.tabular.columns import header_lookup
from govcloud.tabular.headers import fold
from govcloud.tabular.sheets import Sheet, SheetError, read


def first_sheet(path: Path, kind: str, missing: str) -> tuple[Sheet | None, list[Problem]]:
    """The sheet a one-sheet export keeps its rows in (a CSV, or a workbook's first sheet), or
    the problem that says why there is none: unreadable, or no header row (``kind`` names the
    export, ``missing`` the columns it needs)."""
    try:
        sheets = read(path)
    except SheetError as exc:
        return None, [make("import-unreadable", file=str(path), detail=exc)]
    if not sheets:
        return None, [make("import-unreadable", file=str(path), detail="no sheet")]
    if not sheets[0].rows:
        return None, [
            make("import-missing-columns", file=str(path), name=path.name, kind=kind, missing=missing)
        ]
    return sheets[0], []


def header_key(header: str) -> str:
    """An English export header compared without case, units and punctuation
    (``Memory (In MB)`` → ``memory in mb``)."""
    return re.sub(r"[^a-z0-9\u00c0-\u024f\u4e00-\u9fff]+", " ", str(header).casefold()).strip()


#: headers (header_key forms) a mapping file maps for the importer being run: used, not ignored
MAPPED: ContextVar[frozenset[str]] = ContextVar("MAPPED", default=frozenset())


def ignored_columns(place: str, row: int, headers: Iterable[object], used: set[str]) -> Problem | None:
    """One warning naming every header of a sheet the importer did not use, with its cell;
    None when all were used.  ``used`` holds :func:`header_key` forms."""
    known = header_lookup("servers")
    ignored = []
    for i, h in enumerate(headers):
        if h is None or not str(h).strip() or header_key(str(h)) in used | MAPPED.get():
            continue
        cell = f"{get_column_letter(i + 1)}{row} '{h}'"
        twin = known.get(fold(str(h)))
        # a header spreadsheet ledgers know: say which field it would be (a suggested mapping)
        ignored.append(f"{cell} (≈ {twin.field})" if twin else cell)
    if not ignored:
        return None
    return make(
        "import-ignored-columns",
        file=place,
        line=row,
        severity="warning",
        count=len(ignored),
        columns=ignored,
    )
