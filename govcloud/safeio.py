"""Reading untrusted input safely: one place for the checks every door makes.

Every file govcloud reads comes from people or from other tools, so each reader first asks
this module:

- :func:`check_file`: the path is a regular file (a FIFO, a character device or a folder
  would block or never end) no larger than the cap of its kind (:data:`LIMITS`);
- :func:`read_bytes`, :func:`read_text`, :func:`read_json`: the same, then the content,
  with JSON's ``NaN``/``Infinity`` refused, huge integers refused, and nesting limited to
  :data:`MAX_DEPTH` levels;
- :func:`number`: a value (or its text) that must be a finite number within bounds;
- :func:`invisible`: the first control, bidi, zero-width or BOM character of an id;
- :func:`terminal`: inventory text made harmless for a terminal (escape sequences shown as
  ``\\x1b``, never interpreted);
- :func:`cell`: a value made harmless for a spreadsheet cell (no control characters; a
  leading ``=``, ``+``, ``-``, ``@`` is marked as text by the writer).

A refusal is an :class:`UnsafeInput`: a code with parameters rendered in Chinese or English
(``safeio.<code>`` in :mod:`govcloud.i18n`), naming the file, the place and the fix.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import IO, Any

from govcloud.errors import GovcloudError
from govcloud.i18n import Lang, t

MiB = 1024 * 1024

#: the largest file of each kind that is read at all (bytes)
LIMITS: dict[str, int] = {
    "ledger": 256 * MiB,  # one YAML file of the ledger (yamlio.MAX_FILE_BYTES)
    "settings": 1 * MiB,  # thresholds, scenario, waivers, mapping
    "plan": 2048 * MiB,  # plan.json and the documents beside it (a few hundred MB at 100k servers)
    "resources": 256 * MiB,  # one stack's resources.json
    "csv": 256 * MiB,
    "xlsx": 64 * MiB,  # compressed; the uncompressed size has its own limit (tabular.limits)
    "netbox": 1024 * MiB,  # a database dump or a REST page
    "azure": 256 * MiB,
}
#: how deeply a JSON document may nest arrays and objects
MAX_DEPTH = 64
#: the longest integer written in a JSON document (digits); larger ones are not counts or sizes
MAX_INT_DIGITS = 30


class UnsafeInput(GovcloudError, ValueError):
    """An input refused before use; ``code`` names ``safeio.<code>`` in :mod:`govcloud.i18n`."""

    kind = "inventory"

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = {k: terminal(str(v)) for k, v in params.items()}
        super().__init__(self.render("en"))

    def render(self, lang: Lang) -> str:
        """The message and how to fix it."""
        params = dict(self.params)
        if "words" in params:  # a detail that has words of its own in the catalogues
            params["detail"] = t(str(params["words"]), lang, **params)
        if self.code == "not-regular":  # the kind of file, in lang
            params["type"] = t(f"file-type.{params['type']}", lang)
        if self.code == "csv-limit" and params.get("what") in ("cell", "columns"):  # which limit, in lang
            params["what"] = t(
                "safeio.csv-limit.cell" if params["what"] == "cell" else "safeio.csv-limit.columns", lang
            )
        if self.code == "too-large" and params.get("kind") in LIMITS:  # whose limit, in lang
            params["kind"] = t(f"file-kind.{params['kind']}", lang)
        message = t(f"safeio.{self.code}", lang, **params)
        if params.get("where") == "":  # a value checked on its own: no place to name before it
            message = message.removeprefix(": ").removeprefix("：")
        return f"{message} → {t(f'safeio.{self.code}.hint', lang, **params)}"


def localized(exc: BaseException, lang: Lang) -> str:
    """The message of an error in ``lang``: a refusal of this module (the error itself, or
    what it was raised from) in that language, any other error as it reads."""
    cause = exc if isinstance(exc, UnsafeInput) else exc.__cause__
    if isinstance(cause, UnsafeInput):
        return cause.render(lang)
    return exc.render(lang) if isinstance(exc, GovcloudError) else str(exc)


# ---- files


def check_file(path: Path, kind: str) -> int:
    """The size of ``path``, a regular file no larger than the limit of ``kind``.

    Symbolic links are followed; the file's type is checked without opening it, so a FIFO
    is refused instead of blocking the run."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnsafeInput("missing", path=path) from None
    except OSError as exc:
        raise UnsafeInput("unreadable", path=path, error=exc.strerror or exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeInput("not-regular", path=path, type=_type_name(info.st_mode))
    limit = LIMITS[kind]
    if info.st_size > limit:
        raise UnsafeInput("too-large", path=path, size=info.st_size, limit=limit, kind=kind)
    return info.st_size


def _type_name(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISCHR, "character-device"),
        (stat.S_ISBLK, "block-device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special"  # pragma: no cover - every type is named above


def read_bytes(path: Path, kind: str) -> bytes:
    """The bytes of a regular file of ``kind`` (see :func:`check_file`); a file that grows
    past the limit while it is read is refused too."""
    size = check_file(path, kind)
    limit = LIMITS[kind]
    try:
        with open(path, "rb") as handle:
            data = read_bounded(handle, size, limit)
    except OSError as exc:
        raise UnsafeInput("unreadable", path=path, error=exc.strerror or exc) from None
    if len(data) > limit:
        raise UnsafeInput("too-large", path=path, size=len(data), limit=limit, kind=kind)
    return data


def read_bounded(handle: IO[bytes], size: int, limit: int) -> bytes:
    """What ``handle`` holds, expected to be ``size`` bytes, never more than ``limit + 1``
    (a file that grew while being read is read on in small chunks, not in one huge buffer)."""
    data = handle.read(size + 1)
    if len(data) <= size:
        return data
    chunks = [data]
    total = len(data)
    while total <= limit:
        chunk = handle.read(min(MiB, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_text(path: Path, kind: str) -> str:
    """The UTF-8 text (a BOM is allowed) of a regular file of ``kind``."""
    data = read_bytes(path, kind)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnsafeInput("not-utf8", path=path, line=line) from None
    if "\x00" in text:
        raise UnsafeInput("binary", path=path, line=text.count("\n", 0, text.index("\x00")) + 1)
    return text


def read_json(path: Path, kind: str) -> Any:
    """The JSON document in ``path``: no ``NaN``/``Infinity``, no integer longer than
    :data:`MAX_INT_DIGITS` digits, nesting at most :data:`MAX_DEPTH` levels."""
    return parse_json(read_text(path, kind), path)


def parse_json(text: str, path: Path | str) -> Any:
    """:func:`read_json` of a text already read."""

    def constant(name: str) -> Any:
        raise UnsafeInput("json-constant", path=path, value=name)

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise UnsafeInput("json-huge-int", path=path, digits=len(digits), limit=MAX_INT_DIGITS)
        return int(digits)

    def real(digits: str) -> float:
        value = float(digits)
        if not math.isfinite(value):
            raise UnsafeInput("json-constant", path=path, value=digits[:40])
        return value

    try:
        value = json.loads(text, parse_constant=constant, parse_int=integer, parse_float=real)
    except json.JSONDecodeError as exc:
        raise UnsafeInput("not-json", path=path, line=exc.lineno, column=exc.colno, detail=exc.msg) from None
    except RecursionError:
        raise UnsafeInput("too-deep", path=path, where="(top)", limit=MAX_DEPTH) from None
    check_depth(value, path)
    return value


def check_depth(value: Any, path: Path | str, limit: int = MAX_DEPTH) -> None:
    """Refuse a document whose arrays and objects nest deeper than ``limit`` (no recursion)."""
    stack: list[tuple[Any, int, str]] = [(value, 0, "")]
    while stack:
        node, depth, where = stack.pop()
        if depth > limit:
            raise UnsafeInput("too-deep", path=path, where=where or "(top)", limit=limit)
        if isinstance(node, dict):
            stack.extend(
                (v, depth + 1, f"{where}/{k}") for k, v in node.items() if isinstance(v, dict | list)
            )
        elif isinstance(node, list):
            stack.extend(
                (v, depth + 1, f"{where}/{i}") for i, v in enumerate(node) if isinstance(v, dict | list)
            )


def check_schema(value: Any, schema: dict[str, Any], path: Path | str) -> None:
    """Refuse ``value`` unless it matches the JSON Schema ``schema``; the message names the
    place in the document and what is wrong there."""
    import jsonschema  # only the readers of JSON documents pay for it

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(value))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        words, params = schema_words(error.message)
        raise UnsafeInput(
            "bad-shape", where=f"{path}: {where}", detail=error.message[:300], words=words, **params
        )


#: JSON Schema's messages (jsonschema's wording) → the code of the same words in the catalogues
#: (``schema.<what>``), whose English text rebuilds the message from the parts
_SCHEMA_WORDS = (
    ("required", re.compile(r"(?P<field>.+) is a required property")),
    ("type", re.compile(r"(?P<value>.+) is not of type (?P<expected>.+)")),
    (
        "additional-one",
        re.compile(r"Additional properties are not allowed \((?P<fields>.+) was unexpected\)"),
    ),
    (
        "additional-many",
        re.compile(r"Additional properties are not allowed \((?P<fields>.+) were unexpected\)"),
    ),
    ("minimum", re.compile(r"(?P<value>.+) is less than the minimum of (?P<limit>.+)")),
    ("maximum", re.compile(r"(?P<value>.+) is greater than the maximum of (?P<limit>.+)")),
    ("exclusive-minimum", re.compile(r"(?P<value>.+) is less than or equal to the minimum of (?P<limit>.+)")),
    (
        "exclusive-maximum",
        re.compile(r"(?P<value>.+) is greater than or equal to the maximum of (?P<limit>.+)"),
    ),
    ("enum", re.compile(r"(?P<value>.+) is not one of (?P<allowed>.+)")),
    ("const", re.compile(r"(?P<expected>.+) was expected")),
    ("pattern", re.compile(r"(?P<value>.+) does not match (?P<pattern>.+)")),
    ("too-short", re.compile(r"(?P<value>.+) is too short")),
    ("too-long", re.compile(r"(?P<value>.+) is too long")),
    ("non-empty", re.compile(r"(?P<value>.+) should be non-empty")),
    ("unique", re.compile(r"(?P<value>.+) has non-unique elements")),
    ("multiple", re.compile(r"(?P<value>.+) is not a multiple of (?P<factor>.+)")),
    ("none-valid", re.compile(r"(?P<value>.+) is not valid under any of the given schemas")),
    ("many-valid", re.compile(r"(?P<value>.+) is valid under each of (?P<schemas>.+)")),
    ("format", re.compile(r"(?P<value>.+) is not a '(?P<format>[^']+)'")),
    ("not", re.compile(r"(?P<value>.+) should not be valid under (?P<schema>.+)")),
    ("dependency", re.compile(r"(?P<field>.+) is a dependency of (?P<other>.+)")),
    ("few-properties", re.compile(r"(?P<value>.+) does not have enough properties")),
    ("many-properties", re.compile(r"(?P<value>.+) has too many properties")),
    ("contains", re.compile(r"(?P<value>.+) does not contain items matching the given schema")),
    ("false-schema", re.compile(r"False schema does not allow (?P<value>.+)")),
    (
        "unevaluated-one",
        re.compile(r"Unevaluated properties are not allowed \((?P<fields>.+) was unexpected\)"),
    ),
    (
        "unevaluated-many",
        re.compile(r"Unevaluated properties are not allowed \((?P<fields>.+) were unexpected\)"),
    ),
)


def schema_words(message: str) -> tuple[str, dict[str, str]]:
    """The catalogue code and parameters that say a JSON Schema ``message`` in either language
    (``schema.other`` with the message itself when it is of another kind, or too long)."""
    if len(message) <= 300:
        for what, pattern in _SCHEMA_WORDS:
            match = pattern.fullmatch(message)
            if match:
                return f"schema.{what}", match.groupdict()
    return "schema.other", {"message": message[:300]}


# ---- workbooks

#: what a workbook may unpack to, and hold, before it is parsed
XLSX_LIMITS = {
    "entries": 2_000,  # files inside the archive
    "uncompressed": 128 * MiB,  # all of them together
    "ratio": 200,  # uncompressed / compressed for one entry over 1 MiB (zip bombs)
    "cells": 10_000_000,  # rows × columns of a sheet's used grid, merged cells spread
    "merged": 100_000,  # merged ranges in one sheet
    "merged_cells": 1_000_000,  # cells they cover together (openpyxl makes an object for each)
}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


def check_xlsx(path: Path) -> None:
    """Refuse a workbook that would unpack or spread beyond :data:`XLSX_LIMITS`, before
    openpyxl parses it: too many entries, too much uncompressed data, an entry compressed
    beyond any real sheet, a declared dimension with too many cells."""
    import zipfile

    check_file(path, "xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > XLSX_LIMITS["entries"]:
                raise UnsafeInput(
                    "xlsx-limit", path=path, what="entries", value=len(infos), limit=XLSX_LIMITS["entries"]
                )
            total = sum(info.file_size for info in infos)
            if total > XLSX_LIMITS["uncompressed"]:
                raise UnsafeInput(
                    "xlsx-limit", path=path, what="bytes", value=total, limit=XLSX_LIMITS["uncompressed"]
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MiB and ratio > XLSX_LIMITS["ratio"]:
                    raise UnsafeInput(
                        "xlsx-limit",
                        path=f"{path}#{info.filename}",
                        what="ratio",
                        value=int(ratio),
                        limit=XLSX_LIMITS["ratio"],
                    )
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with archive.open(info) as handle:
                        _check_sheet(handle, f"{path}#{info.filename}")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
    ) as exc:
        if isinstance(exc, UnsafeInput):
            raise
        raise UnsafeInput("not-xlsx", path=path, detail=type(exc).__name__) from None


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _check_sheet(handle: IO[bytes], where: str) -> None:
    """The declared dimension (in the sheet's head) and every merged range (after its data),
    read in chunks: openpyxl makes an object per merged cell, so a merge over a whole sheet
    must be refused before it parses."""
    head = handle.read(4096)
    _check_dimension(head, where)
    merges = area = 0
    tail = b""
    chunk = head
    while chunk:
        text = tail + chunk
        last = 0
        for match in _MERGE.finditer(text):
            first_col, first_row, last_col, last_row = match.groups()
            rows = abs(int(last_row) - int(first_row)) + 1
            columns = abs(_column_number(last_col.decode()) - _column_number(first_col.decode())) + 1
            merges += 1
            area += rows * columns
            last = match.end()
        if merges > XLSX_LIMITS["merged"] or area > XLSX_LIMITS["merged_cells"]:
            what, value = ("merged", merges) if merges > XLSX_LIMITS["merged"] else ("merged_cells", area)
            raise UnsafeInput("xlsx-limit", path=where, what=what, value=value, limit=XLSX_LIMITS[what])
        tail = text[max(last, len(text) - 200) :]
        chunk = handle.read(MiB)


def _check_dimension(head: bytes, where: str) -> None:
    match = _DIMENSION.search(head)
    if not match or not match.group(3):
        return
    first_col, first_row, last_col, last_row = match.groups()
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col.decode()) - _column_number(first_col.decode()) + 1
    check_grid(max(rows, 1), max(columns, 1), where)


def check_grid(rows: int, columns: int, where: str) -> None:
    """Refuse a sheet grid of more than ``XLSX_LIMITS['cells']`` cells (or past the format's
    1,048,576 rows and 16,384 columns)."""
    cells = rows * columns
    if rows > 1_048_576 or columns > 16_384 or cells > XLSX_LIMITS["cells"]:
        raise UnsafeInput("xlsx-limit", path=where, what="cells", value=cells, limit=XLSX_LIMITS["cells"])


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


# ---- numbers

_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")


def number(
    value: Any,
    *,
    where: str,
    low: float = 0.0,
    high: float = 1e12,
    integer: bool = False,
    text: bool = False,
) -> int | float:
    """``value`` if it is a finite number within ``[low, high]``; with ``integer``, also
    whole; with ``text``, a number's text (``"8"``, ``"1,024"``, ``"2.5e3"``) is read too.
    Booleans are not numbers."""
    if text and isinstance(value, str):
        digits = value.strip().replace(",", "")
        if not _NUMBER_TEXT.match(digits):
            raise UnsafeInput("not-number", where=where, value=value[:40])
        value = float(digits)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnsafeInput("not-number", where=where, value=repr(value)[:40])
    if isinstance(value, float) and not math.isfinite(value):
        raise UnsafeInput("not-finite", where=where, value=value)
    if not low <= value <= high:
        raise UnsafeInput(
            "out-of-range", where=where, value=_short(value), low=_short(low), high=_short(high)
        )
    if integer:
        if isinstance(value, float) and not value.is_integer():
            raise UnsafeInput("not-integer", where=where, value=value)
        return int(value)
    return value


def _short(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# ---- text

#: characters that change how text is shown without being seen: bidi embeddings, overrides
#: and isolates, zero-width spaces and joiners, word joiner, the BOM, the soft hyphen
_INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
)


def invisible(text: str) -> str | None:
    """The first character of ``text`` that an id must not contain, as ``U+XXXX NAME``:
    control characters, bidi and zero-width characters, the BOM, unassigned code points and
    surrogates; ``None`` when there is none."""
    for char in text:
        category = unicodedata.category(char)
        if char in _INVISIBLE or category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return describe(char)
    return None


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}"


#: what a terminal acts on or that reorders text: C0 controls but tab and line feed, DEL, C1
#: controls, line and paragraph separators, bidi embeddings, overrides and isolates, the
#: zero-width space and the BOM (marks that scripts need, such as ZWJ or RLM, stay)
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028-\u202e\u2066-\u2069\ufeff]")


def terminal(text: str) -> str:
    """``text`` with every character a terminal would act on (escape sequences, carriage
    returns, bells, bidi overrides) written as a visible escape such as ``\\x1b``;
    tabs and line ends stay."""
    if not TERMINAL_UNSAFE.search(text):
        return text
    return TERMINAL_UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: characters the xlsx format cannot hold (openpyxl refuses them); tab and line ends are kept
_CELL_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: a cell starting with one of these is a formula to a spreadsheet that re-reads it
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell(value: Any) -> Any:
    """``value`` for a spreadsheet cell: control characters stripped from text."""
    if isinstance(value, str) and _CELL_ILLEGAL.search(value):
        return _CELL_ILLEGAL.sub("", value)
    return value


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet would take for a formula (and so must be written as text)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
