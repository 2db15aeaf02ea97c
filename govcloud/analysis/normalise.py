"""Keys that make two spellings of the same thing compare equal.

Ledgers are typed by hand in different departments: full-width and half-width characters,
upper and lower case, spaces, hyphens, domain suffixes and the words people append to room
names (机房, 数据中心, 中心) all vary for the same asset.  Serial, MAC and hostname keys live
with the matching in :mod:`govcloud.analysis.same_asset`, addresses in
:mod:`govcloud.analysis.places`.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-_.·・,，、/\\()（）\[\]【】#:：]+")
#: words appended to room names that do not tell rooms apart
_SITE_SUFFIXES = ("数据中心", "信息中心", "中心机房", "机房", "中心", "datacenter", "datacentre", "room")
#: floor and room designations that vary between ledgers of the same room
_FLOOR = re.compile(r"(第?[0-9一二三四五六七八九十]+(楼|层|f|号楼|室))$")


def text_key(text: str | None) -> str:
    """Width-, case- and separator-insensitive form of ``text`` ("" for nothing).

    >>> text_key("ＷＥＢ-Server 01")
    'webserver01'
    >>> text_key(None)
    ''
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub("", folded)


def site_name_key(name: str | None) -> str:
    """A room's name without the words and floor numbers that vary between ledgers.

    >>> site_name_key("省政务数据中心3楼") == site_name_key("市 政务 机房") == "政务"
    True
    """
    key = text_key(name)
    changed = True
    while changed and key:
        changed = False
        floor = _FLOOR.search(key)
        if floor and floor.start() > 0:
            key, changed = key[: floor.start()], True
        for suffix in _SITE_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key.removeprefix("省").removeprefix("市") or text_key(name)
