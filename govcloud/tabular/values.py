"""Cell values ↔ ledger values, tolerant of how people fill spreadsheets.

Numbers may carry units ("100M", "2T", "16核", "1.5万元", "35%"), booleans are 是/否, levels
are 三级, dates are written with slashes, dots or 年月日, lists are separated by any of
; ； , ， 、 or line breaks.  A value that cannot be read raises :class:`CellError` with the
reason, which the importer reports with the cell's place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from govcloud.errors import GovcloudError
from govcloud.tabular.columns import Column


class CellError(GovcloudError, ValueError):
    """A cell whose value cannot become the field's value; the message says why."""

    kind = "import"


_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*([^\d\s]*)\s*$")
_LIST_SPLIT = re.compile(r"[;；,，、\n]+")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}

#: unit multipliers by the field's unit (the suffix of its name)
_UNITS: dict[str, dict[str, float]] = {
    "mbps": {
        "": 1,
        "m": 1,
        "mb": 1,
        "mbps": 1,
        "兆": 1,
        "g": 1000,
        "gb": 1000,
        "gbps": 1000,
        "k": 0.001,
        "kbps": 0.001,
    },
    "gb": {
        "": 1,
        "g": 1,
        "gb": 1,
        "t": 1024,
        "tb": 1024,
        "p": 1024**2,
        "pb": 1024**2,
        "m": 1 / 1024,
        "mb": 1 / 1024,
    },
    "cny": {"": 1, "元": 1, "万": 10_000, "万元": 10_000, "k": 1000},
    "pct": {"": 1, "%": 1},
    "count": {
        "": 1,
        "核": 1,
        "c": 1,
        "个": 1,
        "台": 1,
        "天": 1,
        "小时": 1,
        "h": 1,
        "年": 1,
        "人": 1,
        "kw": 1,
        "千瓦": 1,
    },
}
_TRUE = {"是", "有", "true", "yes", "y", "1", "√", "✓", "开启", "启用"}
_FALSE = {"否", "无", "false", "no", "n", "0", "×", "关闭", "未启用", ""}


def _unit_family(field: str) -> str:
    last = field.rsplit(".", 1)[-1]
    for suffix, family in (("_mbps", "mbps"), ("_gb", "gb"), ("_cny", "cny"), ("_pct", "pct")):
        if last.endswith(suffix):
            return family
    return "count"


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def from_cell(column: Column, raw: Any, scale: float = 1.0) -> Any:
    """The ledger value of a non-blank cell; ``scale`` converts a unit the header stated
    (``内存(MB)``) when the cell itself has none."""
    kind = column.type
    if kind in ("integer", "number"):
        return _number(column, raw, scale)
    if kind == "boolean":
        return _boolean(raw)
    if kind == "date":
        return _date(raw)
    if column.field in ("ips", "mgmt_ip", "_public_ip", "_ips"):
        found = ips(raw)
        return found if kind == "list" else found[0]
    if kind == "list":
        return [part.strip() for part in _LIST_SPLIT.split(_text(raw)) if part.strip()]
    if kind == "list-int":
        return [_integer(part) for part in _LIST_SPLIT.split(_text(raw)) if part.strip()]
    if kind == "dependencies":
        return [_dependency(part.strip()) for part in _LIST_SPLIT.split(_text(raw)) if part.strip()]
    if kind == "zones":
        return [_zone(part.strip()) for part in _LIST_SPLIT.split(_text(raw)) if part.strip()]
    if kind == "equipment":
        return [_equipment(part.strip()) for part in _ITEM_SPLIT.split(_text(raw)) if part.strip()]
    if kind == "end":
        return _end(_text(raw))
    return _text(raw)


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a code typed into a number cell: 990000.0
    return str(raw).strip()


def _number(column: Column, raw: Any, scale: float = 1.0) -> int | float:
    if isinstance(raw, bool):
        raise CellError("a number is expected, not a yes/no value", code="cell.bool-for-number")
    if isinstance(raw, int | float):
        value: float = float(raw) * scale
    else:
        text = _text(raw).replace(",", "").replace("，", "")
        if column.field.endswith("mlps_level"):
            return _level(text)
        value = _measure(column, text, scale)
    if not math.isfinite(value):  # 1e400, or a cell holding NaN
        raise CellError(f"{raw!s:.40} is not a finite number", code="cell.not-finite", value=f"{raw!s:.40}")
    if column.type == "integer":
        if scale != 1.0 and not value.is_integer():
            value = float(round(value))
        if not value.is_integer():
            raise CellError(f"{value:g} is not a whole number", code="cell.not-whole", value=f"{value:g}")
        return int(value)
    return int(value) if value.is_integer() else value


_PRODUCT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([^\d\s*×xX]*)\s*[*×xX]\s*(\d+(?:\.\d+)?)\s*([^\d\s]*)\s*$")
_LEADING = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*([^\d\s(（]*)[\s(（]")


def _measure(column: Column, text: str, scale: float) -> float:
    """A number with its unit: ``16G``, ``2T``; a product as ledgers write CPUs and memory
    (``2*8核``, ``2颗*8核``, ``16G×4``); or a leading amount before a note (``500G SSD``,
    ``16核（2路）``)."""
    factors = _UNITS[_unit_family(column.field)]

    def amount(number: str, unit: str) -> float:
        folded = unit.casefold().strip()
        if folded in ("颗", "路", "条", "块", "根"):  # counters of CPUs, DIMMs and disks
            folded = ""
        if folded not in factors:
            known = ", ".join(sorted(u for u in factors if u))
            raise CellError(
                f"unknown unit '{unit}' (known: {known})", code="cell.unit", unit=unit, known=known
            )
        return float(number) * (factors[folded] if folded else 1.0)

    match = _NUMBER.match(text)
    if match:
        unit = match.group(2).casefold()
        if unit in factors:
            return float(match.group(1)) * (factors[unit] if unit else scale)
    product = _PRODUCT.match(text)
    if product:
        left = amount(product.group(1), product.group(2))
        right = amount(product.group(3), product.group(4))
        has_unit = any(
            product.group(g).strip().casefold() in factors and product.group(g).strip() for g in (2, 4)
        )
        return left * right * (1.0 if has_unit else scale)
    leading = _LEADING.match(text)
    if leading and leading.group(2).casefold() in factors:
        unit = leading.group(2).casefold()
        return float(leading.group(1)) * (factors[unit] if unit else scale)
    if match:
        known = ", ".join(sorted(u for u in factors if u))
        unit = match.group(2)
        raise CellError(f"unknown unit '{unit}' (known: {known})", code="cell.unit", unit=unit, known=known)
    raise CellError(f"'{text}' is not a number", code="cell.not-number", value=text)


def _integer(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise CellError(
            f"'{text.strip()}' is not a whole number", code="cell.not-whole-text", value=text.strip()
        ) from exc


def _level(text: str) -> int:
    """等保级别 as people write it: 3, 三级, 第三级, 等保三级, 3级."""
    match = re.search(r"([1-5一二三四五])", text)
    if not match:
        raise CellError(f"'{text}' is not an MLPS level (1–5, e.g. 三级)", code="cell.level", value=text)
    digit = match.group(1)
    return _CN_DIGITS.get(digit) or int(digit)


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"'{text}' is not yes/no (是/否)", code="cell.yes-no", value=text)


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


def _date(raw: Any) -> str:
    """A date as people write it: a date cell, an Excel serial (43525), 2019-03-01, 2019/3/1,
    2019.3.1, 2019年3月1日, or a month alone (2019年3月, 2019-03: its first day); a time of day
    after the date is dropped."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2_958_466:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(raw))).isoformat()
    text = _text(raw)
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):  # an Excel serial kept as text
        return (_EXCEL_EPOCH + dt.timedelta(days=int(float(text)))).isoformat()
    match = _DATE.fullmatch(text)
    if not match:
        raise CellError(
            f"'{text}' is not a date (e.g. 2026-06-30, 2026/6/30, 2026年6月30日, 2026年6月)",
            code="cell.date",
            value=text,
        )
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3) or 1)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise CellError(f"'{text}' is not a date ({exc})", code="cell.no-such-day", value=text) from exc


_IPV4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})((?:/\d{1,3}(?:\.\d{1,3}){0,2})*)(?![\d.])")


def ips(raw: Any) -> list[str]:
    """The IPv4 addresses of a cell, primary first: several addresses in any separation,
    annotations (``10.1.1.5（内部地址）``) dropped, shorthand expanded (``10.1.1.61/62`` is
    10.1.1.61 and 10.1.1.62; ``192.168.110.62/10.62`` is 192.168.110.62 and 192.168.10.62);
    a prefix length after a network address (``10.0.0.0/24``) is not shorthand."""
    out: list[str] = []
    for match in _IPV4.finditer(_text(raw)):
        base = match.group(1).split(".")
        if any(int(p) > 255 for p in base):
            continue
        out.append(".".join(base))
        for tail in filter(None, match.group(2).split("/")):
            parts = tail.split(".")
            if len(parts) == 1 and base[3] == "0" and int(parts[0]) <= 32:
                continue  # a CIDR prefix length
            if any(int(p) > 255 for p in parts):
                continue
            out.append(".".join(base[: 4 - len(parts)] + parts))
    unique = list(dict.fromkeys(out))
    if not unique:
        raise CellError(
            f"'{_text(raw)[:60]}' holds no IPv4 address", code="cell.no-ipv4", value=_text(raw)[:60]
        )
    return unique


_DEP = re.compile(
    r"^(?P<system>[^\s/]+)(?:\s+(?P<protocol>[a-zA-Z]+))?(?:\s*/\s*(?P<port>\d+))?(?:\s+(?P<tight>tight|紧耦合|紧))?$"
)


def _dependency(text: str) -> dict[str, Any]:
    """``system [protocol][/port] [tight]``, e.g. ``hy-zsj-sys01 https/443 tight``."""
    match = _DEP.match(text)
    if not match:
        raise CellError(
            f"'{text}' is not 'system [protocol][/port] [tight]'", code="cell.dependency", value=text
        )
    out: dict[str, Any] = {"system": match.group("system")}
    if match.group("protocol"):
        out["protocol"] = match.group("protocol")
    if match.group("port"):
        out["port"] = int(match.group("port"))
    if match.group("tight"):
        out["tight"] = True
    return out


#: room equipment items are split only at semicolons and new lines: their notes may hold commas
_ITEM_SPLIT = re.compile(r"[;；\n]+")
_NOTES_SPLIT = re.compile(r"[:：]")
#: a count of equipment: ASCII digits, at most 7 (int() of '²' or of 5,000 digits raises)
_COUNT = re.compile(r"[0-9]{1,7}")


def _equipment(text: str) -> dict[str, Any]:
    """``kind [count] [@network …][: notes]``, e.g. ``交换机 4 @hy-jtt-private: 核心交换机``."""
    head, notes = _NOTES_SPLIT.split(text, maxsplit=1) if _NOTES_SPLIT.search(text) else (text, "")
    words = head.split()
    if not words:
        raise CellError(
            f"'{text}' is not 'kind [count] [@network …][: notes]'", code="cell.equipment", value=text
        )
    out: dict[str, Any] = {"kind": words[0]}
    for word in words[1:]:
        if word.startswith("@") and len(word) > 1:
            out.setdefault("networks", []).append(word[1:])
        elif _COUNT.fullmatch(word) and "count" not in out:
            out["count"] = int(word)
        else:
            raise CellError(
                f"'{text}' is not 'kind [count] [@network …][: notes]'", code="cell.equipment", value=text
            )
    if notes.strip():
        out["notes"] = notes.strip()
    return out


def _zone(text: str) -> dict[str, str]:
    """``id``, ``id=name``, and either followed by ``>paired-zone`` (its recovery zone)."""
    text, marker, pair = text.rpartition(">") if ">" in text else (text, "", "")
    ident, _, name = text.partition("=")
    out = {"id": ident.strip(), "name": name.strip()} if name.strip() else {"id": ident.strip()}
    if marker and pair.strip():
        out["recovery_zone"] = pair.strip()
    return out


_END_KINDS = {
    "site": "site",
    "机房": "site",
    "access_point": "access_point",
    "接入点": "access_point",
    "ap": "access_point",
    "cloud_node": "cloud_node",
    "云节点": "cloud_node",
    "address": "address",
    "地址": "address",
}


def _end(text: str) -> dict[str, str]:
    """``kind:value`` (site/机房, access_point/接入点, cloud_node/云节点, address/地址); a bare
    value is resolved against the workbook's ids later (see :func:`resolve_end`)."""
    kind, sep, value = text.partition(":")
    if not sep:
        kind, sep, value = text.partition("：")
    if sep and kind.strip().casefold() in _END_KINDS:
        return {_END_KINDS[kind.strip().casefold()]: value.strip()}
    return {"?": text}


def resolve_end(end: dict[str, str], ids: dict[str, set[str]]) -> dict[str, str]:
    """A bare line end becomes the site, access point or cloud node of that id, else an address."""
    if "?" not in end:
        return end
    value = end.pop("?")
    for kind in ("site", "access_point", "cloud_node"):
        if value in ids.get(f"{kind}s", set()):
            return {kind: value, **end}
    return {"address": value, **end}


def to_cell(column: Column, value: Any) -> Any:
    """The cell an export writes for a ledger value (the inverse of :func:`from_cell`)."""
    kind = column.type
    if kind in ("list", "list-int"):
        return "; ".join(str(v) for v in value)
    if kind == "dependencies":
        return "; ".join(_dependency_text(d) for d in value)
    if kind == "zones":
        return "; ".join(
            (f"{z['id']}={z['name']}" if z.get("name") else z["id"])
            + (f">{z['recovery_zone']}" if z.get("recovery_zone") else "")
            for z in value
        )
    if kind == "equipment":
        return "; ".join(_equipment_text(e) for e in value)
    if kind == "end":
        [(end_kind, end_value)] = [(k, v) for k, v in value.items() if k != "region_code"]
        return f"{end_kind}:{end_value}"
    if kind == "boolean":
        return "是" if value else "否"
    return value


def _equipment_text(gear: dict[str, Any]) -> str:
    text = " ".join(
        [str(gear["kind"]), str(gear.get("count", 1)), *(f"@{n}" for n in gear.get("networks", []))]
    )
    return f"{text}: {gear['notes']}" if gear.get("notes") else text


def _dependency_text(dep: dict[str, Any]) -> str:
    text = dep["system"]
    if "protocol" in dep:
        text += f" {dep['protocol']}"
    if "port" in dep:
        text += f"/{dep['port']}"
    if dep.get("tight"):
        text += " tight"
    return str(text)
