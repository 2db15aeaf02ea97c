"""The shared input checks: file types and sizes, JSON limits, numbers, ids, terminal and
spreadsheet text."""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govcloud import safeio
from govcloud.i18n import t


def test_regular_files_within_their_limit_are_read(tmp_path: Path) -> None:
    path = tmp_path / "设置.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert safeio.read_text(path, "settings") == "a: 1\n"


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_special_files_are_refused_without_opening_them(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.json"
    if kind == "fifo":
        os.mkfifo(path)  # opening it would block until a writer came
    elif kind == "device":
        path.symlink_to("/dev/zero")  # reading it would never end
    else:
        path.mkdir()
    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio.read_bytes(path, "plan")
    assert caught.value.code == "not-regular"
    assert "x.json" in str(caught.value)
    assert "不是普通文件" in caught.value.render("zh")


def test_a_file_over_its_kinds_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:
        handle.truncate(safeio.LIMITS["settings"] + 1)
    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio.read_bytes(path, "settings")
    assert caught.value.code == "too-large"


def test_a_file_that_grows_while_read_is_cut_at_the_limit() -> None:
    handle = io.BytesIO(b"x" * 5000)
    assert len(safeio.read_bounded(handle, 10, 100)) == 101  # one past the limit: refused by the caller
    assert safeio.read_bounded(io.BytesIO(b"abc"), 3, 100) == b"abc"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"a": NaN}', "json-constant"),
        ('{"a": Infinity}', "json-constant"),
        ('{"a": -Infinity}', "json-constant"),
        ('{"a": 1e400}', "json-constant"),
        ('{"a": ' + "9" * 31 + "}", "json-huge-int"),
        ('{"a": ' + "[" * 65 + "]" * 65 + "}", "too-deep"),
        ("[" * 100_000 + "]" * 100_000, "too-deep"),
        ('{"a": ', "not-json"),
    ],
)
def test_json_that_no_document_is_refused(text: str, code: str) -> None:
    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio.parse_json(text, "plan.json")
    assert caught.value.code == code
    assert "plan.json" in str(caught.value)


def test_json_within_limits_is_read() -> None:
    assert safeio.parse_json('{"a": [1, 2.5, "中"], "b": ' + "9" * 30 + "}", "x") == {
        "a": [1, 2.5, "中"],
        "b": int("9" * 30),
    }
    deep = '{"a": ' + "[" * 63 + "]" * 63 + "}"
    assert safeio.parse_json(deep, "x")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (math.inf, "not-finite"),
        (math.nan, "not-finite"),
        (-1, "out-of-range"),
        (7, "out-of-range"),
        (True, "not-number"),
        ("8", "not-number"),  # text only where text=True
        ([1], "not-number"),
        (2.5, "not-integer"),
    ],
)
def test_numbers_must_be_finite_whole_and_in_range(value: object, code: str) -> None:
    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio.number(value, where="rules.x", low=0, high=5, integer=code == "not-integer")
    assert caught.value.code == code
    assert "rules.x" in str(caught.value)


@pytest.mark.parametrize("text", ["inf", "nan", "1e400", "0x10", "八", "1e", "--1", "", " "])
def test_number_texts_are_plain_decimals(text: str) -> None:
    with pytest.raises(safeio.UnsafeInput):
        safeio.number(text, where="cores", low=0, high=1e12, text=True)


def test_number_texts_that_are_numbers_are_read() -> None:
    assert safeio.number(" 1,024 ", where="x", high=1e6, text=True) == 1024.0
    assert safeio.number("2.5e3", where="x", high=1e6, text=True) == 2500.0
    assert safeio.number("8", where="x", high=10, integer=True, text=True) == 8


@pytest.mark.parametrize(
    ("text", "char"),
    [
        ("a\u202eb", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\ufeffa", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("a\u200bb", "U+200B ZERO WIDTH SPACE"),
        ("a\x07", "U+0007 UNNAMED"),
        ("a\u2066b", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("a\u00adb", "U+00AD SOFT HYPHEN"),
    ],
)
def test_invisible_characters_in_ids_are_named(text: str, char: str) -> None:
    assert safeio.invisible(text) == char


@pytest.mark.parametrize("text", ["hy-gat", "海州市公安局", "gat_srv.01", "ئۇيغۇر", "Ab9"])
def test_visible_ids_pass(text: str) -> None:
    assert safeio.invisible(text) is None


def test_terminal_text_shows_what_a_terminal_would_act_on() -> None:
    assert safeio.terminal("名\x1b[2J\u202e称\t\n") == "名\\x1b[2J\\u202e称\t\n"
    assert safeio.terminal("\r\x07\x9b") == "\\x0d\\x07\\x9b"
    assert safeio.terminal("中文 ok") == "中文 ok"


@given(st.text())
def test_terminal_text_never_holds_an_escape(text: str) -> None:
    shown = safeio.terminal(text)
    assert not safeio.TERMINAL_UNSAFE.search(shown)


def test_cells_lose_control_characters_and_formulas_are_recognised() -> None:
    assert safeio.cell("a\x00b\x1bc\td") == "abc\td"
    assert safeio.cell(5) == 5
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "＝1"):
        assert safeio.is_formula_like(text)
    assert not safeio.is_formula_like("机房 = 1")
    assert not safeio.is_formula_like(-1)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in entries.items():
            archive.writestr(name, payload)
    return out.getvalue()


@pytest.mark.parametrize(
    ("entries", "what"),
    [
        ({"xl/worksheets/sheet1.xml": b" " * (4 * 1024 * 1024)}, "ratio"),
        ({f"x/{i}": b"" for i in range(safeio.XLSX_LIMITS["entries"] + 1)}, "entries"),
        ({"xl/worksheets/sheet1.xml": b'<worksheet><dimension ref="A1:XFD1048576"/></worksheet>'}, "cells"),
        (
            {
                "xl/worksheets/sheet1.xml": b'<worksheet><sheetData/><mergeCells><mergeCell ref="A1:Z100000"/></mergeCells></worksheet>'
            },
            "merged_cells",
        ),
    ],
)
def test_workbooks_beyond_the_limits_are_refused_before_parsing(
    tmp_path: Path, entries: dict[str, bytes], what: str
) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(_zip(entries))
    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio.check_xlsx(path)
    assert caught.value.code == "xlsx-limit"
    assert caught.value.params["what"] == what


def test_a_merge_split_across_read_chunks_is_still_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    merges = b"".join(b'<mergeCell ref="A%d:J%d"/>' % (i, i + 9) for i in range(1, 12_000, 10))
    body = (
        b"<worksheet><sheetData>"
        + b" " * (1024 * 1024 - 7)
        + b"</sheetData><mergeCells>"
        + merges
        + b"</mergeCells></worksheet>"
    )
    safeio._check_sheet(io.BytesIO(body), "x")  # 1,200 merges of 100 cells: within the limit
    monkeypatch.setitem(safeio.XLSX_LIMITS, "merged_cells", 119_999)  # one cell less than they cover
    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio._check_sheet(io.BytesIO(body), "x")
    assert caught.value.params["what"] == "merged_cells"
    assert caught.value.params["value"] == "120000"


def test_refusals_read_in_the_users_language_through_the_errors_that_carry_them() -> None:
    from govcloud.settings import ConfigError

    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio.number(7, where="rules.duplicate_min_confidence", low=0, high=1)
    wrapped = ConfigError(str(caught.value))
    wrapped.__cause__ = caught.value  # what `raise ConfigError(...) from exc` does
    assert "超出允许范围" in safeio.localized(wrapped, "zh")
    assert "is outside 0–1" in safeio.localized(wrapped, "en")
    assert safeio.localized(ValueError("plain"), "zh") == "plain"


#: one document per JSON Schema keyword that can fail, each failing it
_FAILING: list[tuple[object, object]] = [
    ({"type": "integer"}, "8"),
    ({"required": ["a"]}, {}),
    ({"additionalProperties": False, "properties": {}}, {"a": 1}),
    ({"additionalProperties": False, "properties": {}}, {"a": 1, "b": 2}),
    ({"minimum": 2}, 1),
    ({"maximum": 1}, 2),
    ({"exclusiveMinimum": 1}, 1),
    ({"exclusiveMaximum": 1}, 1),
    ({"enum": ["a", "b"]}, "c"),
    ({"const": "a"}, "b"),
    ({"pattern": "^x$"}, "y"),
    ({"minLength": 3}, "ab"),
    ({"maxLength": 1}, "ab"),
    ({"minItems": 1}, []),
    ({"minItems": 2}, [1]),
    ({"maxItems": 1}, [1, 2]),
    ({"uniqueItems": True}, [1, 1]),
    ({"format": "date"}, "2020-13-45"),
    ({"multipleOf": 2}, 3),
    ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, 1.5),
    ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 1),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1.5),
    ({"not": {"type": "string"}}, "x"),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1}),
    ({"minProperties": 1}, {}),
    ({"minProperties": 2}, {"a": 1}),
    ({"maxProperties": 1}, {"a": 1, "b": 2}),
    (False, 1),
    ({"contains": {"type": "string"}}, [1]),
    ({"unevaluatedProperties": False}, {"a": 1}),
    ({"unevaluatedProperties": False}, {"a": 1, "b": 2}),
]


@pytest.mark.parametrize(("schema", "value"), _FAILING, ids=lambda v: json.dumps(v, sort_keys=True)[:40])
def test_every_json_schema_message_is_said_in_both_languages(schema: object, value: object) -> None:
    """What JSON Schema says of a document read back is in the catalogue's words: the English
    rebuilds jsonschema's own message and the Chinese has no English words of its own."""
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    [error] = list(validator.iter_errors(value))
    code, params = safeio.schema_words(error.message)
    assert code != "schema.other", error.message
    assert t(code, "en", **params) == error.message
    chinese = t(code, "zh", **params)
    for part in params.values():
        chinese = chinese.replace(part, "")
    assert not re.search(r"[A-Za-z]{3,}", chinese), chinese


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_value_checked_on_its_own_is_said_without_a_place(lang: str) -> None:
    """``where=""`` (a value checked apart from any file, as the NetBox importer's numbers are):
    the message starts with what is wrong, not with an empty place and its colon."""
    with pytest.raises(safeio.UnsafeInput) as caught:
        safeio.number("abc", where="", low=0, high=10, text=True)
    said = caught.value.render(lang)  # type: ignore[arg-type]
    assert not said.startswith((":", "："))
    assert "abc" in said
    with pytest.raises(safeio.UnsafeInput) as placed:
        safeio.number("abc", where="cpu", low=0, high=10, text=True)
    assert placed.value.render(lang).startswith("cpu")  # type: ignore[arg-type]
