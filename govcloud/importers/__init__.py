"""Importers of other tools' data: NetBox dumps and Azure Migrate discovery CSVs.

Spreadsheets people keep by hand are imported by :mod:`govcloud.tabular`.
"""

import re


def header_key(header: str) -> str:
    """An English export header compared without case, units and punctuation
    (``Memory (In MB)`` → ``memory in mb``)."""
    return re.sub(r"[^a-z0-9]+", " ", header.casefold()).strip()
