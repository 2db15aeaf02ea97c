"""Escaping inventory text for the formats govcloud writes."""

from __future__ import annotations

import re

# characters that start markup anywhere in a line (emphasis, code, links, HTML, tables);
# block markers such as "#" or "-" only matter at the start of a line, which a cell never is
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def md_escape(text: str) -> str:
    """Inventory text made safe for a Markdown table cell: no markup, no line breaks."""
    return _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", text))


def plain(text: str) -> str:
    """Inventory text made safe for a terminal: control characters shown as spaces."""
    return _CONTROL.sub(" ", text)
