"""Headers as people write them: width, case, spacing, required markers and units.

``内存（GB）``, ``*Memory (In MB)``, ``业务系统[必填]``, ``Provisioned MiB`` and ``虚拟核数vCPU（个）``
all come apart into the name a synonym is looked up by and the unit the column's values are in;
the unit then converts each value to the ledger field's unit (MiB → GB).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_REQUIRED = re.compile(
    r"[\[【(（<《]\s*(?:必填|必选|必须|required)\s*[\]】)）>》]|^\s*\*+|\*+\s*$|必填项?", re.I
)
#: the opposite marker: dropped like a required one, and taken out first, or ``（非必填）``
#: would read as required with a stray ``非`` left in the name
_OPTIONAL = re.compile(r"[\[【(（<《]\s*(?:非必填|选填|可选|optional)\s*[\]】)）>》]|非必填项?", re.I)
_BRACKET = re.compile(r"[(（\[【]([^)）\]】]*)[)）\]】]")
_FOLD_DROP = re.compile(r"[\s_\-.·:：()（）\[\]【】/\\*#＃№]+")

#: units a header may state, by family, as multipliers to the ledger's unit of that family
UNITS: dict[str, dict[str, float]] = {
    "gb": {
        "kb": 1 / 1024**2,
        "kib": 1 / 1024**2,
        "mb": 1 / 1024,
        "mib": 1 / 1024,
        "m": 1 / 1024,
        "兆": 1 / 1024,
        "gb": 1,
        "gib": 1,
        "g": 1,
        "tb": 1024,
        "tib": 1024,
        "t": 1024,
    },
    "mbps": {"kbps": 0.001, "k": 0.001, "mbps": 1, "m": 1, "mb": 1, "兆": 1, "gbps": 1000, "g": 1000},
    "cny": {"元": 1, "万元": 10_000, "万": 10_000, "千元": 1000, "元月": 1, "元年": 1, "cny": 1, "rmb": 1},
    "pct": {"%": 1, "％": 1, "百分比": 1, "percent": 1, "percentage": 1},
    "count": {"个": 1, "台": 1, "核": 1, "颗": 1, "天": 1, "小时": 1, "h": 1, "年": 1, "人": 1, "u": 1},
}
_ALL_UNITS = {u for family in UNITS.values() for u in family}
#: a unit written as the last word of a header, without brackets ("Provisioned MiB")
_WORD_UNITS = ("kib", "mib", "gib", "tib", "kb", "mb", "gb", "tb")


@dataclass(frozen=True)
class Header:
    """A header cell taken apart: the folded name synonyms are matched on, and its unit."""

    text: str
    name: str
    unit: str | None
    required: bool


def _unit_of(text: str) -> str | None:
    folded = re.sub(r"[\s/]+", "", text.casefold())  # 元/月 is 元月
    folded = folded.removeprefix("in").removeprefix("单位")
    folded = folded.lstrip(":：")
    return folded if folded in _ALL_UNITS else None


def parse(text: object) -> Header:
    """The name and unit of a header cell."""
    # № before NFKC, which would make it the letters "No" (编号№ → 编号no)
    raw = _OPTIONAL.sub("", unicodedata.normalize("NFKC", str(text).replace("№", "#")).strip())
    required = bool(_REQUIRED.search(raw))
    body = _REQUIRED.sub("", raw)
    unit: str | None = None
    kept: list[str] = []
    last = 0
    for match in _BRACKET.finditer(body):
        kept.append(body[last : match.start()])
        found = _unit_of(match.group(1))
        if found and unit is None:
            unit = found
        elif not found:
            kept.append(match.group(1))  # 归属部门（一级）: the bracket is part of the name
        last = match.end()
    kept.append(body[last:])
    body = " ".join(kept).strip()
    words = body.split()
    if unit is None and len(words) > 1 and words[-1].casefold() in _WORD_UNITS:
        unit = words[-1].casefold()
        body = " ".join(words[:-1])
    return Header(str(text), _FOLD_DROP.sub("", body.casefold()), unit, required)


def fold(text: object) -> str:
    """What headers (and sheet names) compare by: width, case, spacing, punctuation, markers
    and units folded away."""
    return parse(text).name


def factor(unit: str | None, family: str) -> float | None:
    """The multiplier from ``unit`` to the ledger's unit of ``family``; None when the unit
    does not belong to the family (a header that states MB over a count column)."""
    if unit is None:
        return 1.0
    return UNITS.get(family, {}).get(unit)
