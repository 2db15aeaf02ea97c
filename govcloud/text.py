"""Escaping inventory text for the formats govcloud writes."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: characters that start markup anywhere in a line (emphasis, code, links, HTML, tables), each
#: escaped by a backslash before it (the backslash itself first); block markers such as "#" or
#: "-" only matter at the start of a line, which a cell never is
_MD_SPECIAL = "\\`*_[]<>|~"
# control characters (C0, DEL, C1), line separators, bidi overrides and isolates, the
# zero-width space and the BOM: shown as a space, never acted on (safeio.TERMINAL_UNSAFE and \t\n)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u2028-\u202e\u2066-\u2069\ufeff]")


def md_escape(text: str) -> str:
    """Inventory text made safe for a Markdown table cell: no markup, no line breaks."""
    text = _CONTROL.sub(" ", text)
    # str.replace per character, in C: a regular expression's replacement template is expanded
    # in Python at every match, and Markdown cells of file paths have many
    for char in _MD_SPECIAL:
        if char in text:
            text = text.replace(char, "\\" + char)
    return text


#: joins texts escaped together: a private-use character, neither markup nor a control character,
#: so that escaping the joined text escapes each of them (both escapes replace one character at
#: a time, whatever surrounds it)
_JOIN = "\ue000"


def md_escape_all(texts: Sequence[str]) -> list[str]:
    """:func:`md_escape` of each of ``texts``, in one escape of them all instead of one per
    text (a table of 80,000 rows, a column at a time)."""
    if not texts:
        return []
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) != len(texts) - 1:  # a text holds the joiner itself
        return [md_escape(text) for text in texts]
    return md_escape(joined).split(_JOIN)


def plain(text: str) -> str:
    """Inventory text made safe for a terminal: control characters shown as spaces."""
    return _CONTROL.sub(" ", text)
