"""Every message exists in Chinese and English and fills its placeholders."""

from __future__ import annotations

import re
import string

import pytest

from govcloud import i18n


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for code, (zh, en) in i18n.MESSAGES.items():
        assert zh, code
        assert en, code
        fields = {name for _, name, _, _ in string.Formatter().parse(zh) if name}
        assert fields == {name for _, name, _, _ in string.Formatter().parse(en) if name}, code


def test_every_problem_code_has_a_hint() -> None:
    codes = [c for c in i18n.MESSAGES if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", c) and c != "did-you-mean"]
    for code in codes:
        if code in {"output-failed"}:
            continue
        assert f"{code}.hint" in i18n.MESSAGES, code


@pytest.mark.parametrize(("env", "expected"), [("en", "en"), ("zh", "zh"), ("zh_CN.UTF-8", "zh")])
def test_default_lang_from_environment(monkeypatch: pytest.MonkeyPatch, env: str, expected: str) -> None:
    monkeypatch.setenv("GOVCLOUD_LANG", env)
    assert i18n.default_lang() == expected


def test_a_missing_id_raises_in_strict_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVCLOUD_STRICT_MESSAGES", "1")
    with pytest.raises(i18n.MissingMessage):
        i18n.t("no.such.message", "zh")


def test_a_missing_id_falls_back_to_english_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("GOVCLOUD_STRICT_MESSAGES", "0")
    zh, en = i18n._catalogue("zh")[0], i18n._catalogue("en")[0]
    monkeypatch.delitem(zh, "plan.wrote")
    assert i18n.t("plan.wrote", "zh", path="p") == i18n.t("plan.wrote", "en", path="p")
    assert en["plan.wrote"]
    assert "plan.wrote" in caplog.text
    assert i18n.t("no.such.message", "en") == "no.such.message"


@pytest.mark.parametrize(
    ("n", "en", "zh"), [(0, "0 errors", "0 个错误"), (1, "1 error", "1 个错误"), (2, "2 errors", "2 个错误")]
)
def test_counted_messages_take_the_plural_form_of_their_language(n: int, en: str, zh: str) -> None:
    assert i18n.tn("count.errors", n, "en") == en
    assert i18n.tn("count.errors", n, "zh") == zh


def test_plural_entries_have_one_chinese_and_two_english_forms() -> None:
    for code in ("count.errors", "count.warnings", "count.files", "count.entries", "count.rows"):
        assert len(i18n._catalogue("zh")[0][code]) == 1, code
        assert len(i18n._catalogue("en")[0][code]) == 2, code


@pytest.mark.parametrize(
    ("value", "digits", "en", "zh"),
    [
        (1234567.891, 0, "1,234,568", "1,234,568"),
        (1234.56, 1, "1,234.6", "1,234.6"),
        (-9876543, 0, "-9,876,543", "-9,876,543"),
        (0.5, 0, "0", "0"),  # half to even, as Python's format does
        (2.5, 0, "2", "2"),
        (0.35, 1, "0.3", "0.3"),  # 0.35 is 0.34999… in binary: the exact value is rounded
        (999.95, 2, "999.95", "999.95"),
    ],
)
def test_number_groups_thousands_and_rounds_like_python(value: float, digits: int, en: str, zh: str) -> None:
    assert i18n.number(value, "en", digits) == en
    assert i18n.number(value, "zh", digits) == zh
    assert i18n.number(value, "en", digits) == f"{value:,.{digits}f}"


def test_number_agrees_with_pythons_format_on_many_values() -> None:
    values = [x / 8 for x in range(-4000, 4000, 7)] + [x * 1.37 for x in range(0, 10**7, 99991)]
    for value in values:
        for digits in (0, 1, 2):
            assert i18n.number(value, "en", digits) == f"{value:,.{digits}f}", (value, digits)


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(0.256, 0, "26%"), (0.2567, 1, "25.7%"), (1, 0, "100%"), (12.5, 0, "1,250%")],
)
def test_percent(value: float, digits: int, text: str) -> None:
    assert i18n.percent(value, "en", digits) == text
    assert i18n.percent(value, "zh", digits) == text


@pytest.mark.parametrize(
    ("items", "en", "zh"),
    [
        (["a"], "a", "a"),
        (["a", "b"], "a, b", "a、b"),
        (["甲", "乙", "丙"], "甲, 乙, 丙", "甲、乙、丙"),
    ],
)
def test_join_list_uses_the_enumeration_separator_of_each_language(
    items: list[str], en: str, zh: str
) -> None:
    assert i18n.join_list(items, "en") == en
    assert i18n.join_list(items, "zh") == zh


def test_join_list_with_a_conjunction_and_when_empty() -> None:
    assert i18n.join_list(["a", "b", "c"], "en", conjunction=True) == "a, b, and c"
    assert i18n.join_list(["a", "b", "c"], "zh", conjunction=True) == "a、b和c"
    assert i18n.join_list(["a", "b"], "zh", conjunction=True) == "a和b"
    assert i18n.join_list([], "zh") == ""
    assert i18n.join_list(iter(()), "en", empty="-") == "-"
    assert i18n.join_list((n for n in (1, 2)), "en") == "1, 2"


def test_figures_kept_by_value_read_as_made_afresh() -> None:
    """number() and percent() keep the text of ints and non-zero floats: the same text as
    Babel makes each time, and values that are equal but written apart (0.0 and -0.0,
    Decimals of other exponents) are never taken for each other."""
    from decimal import Decimal

    from govcloud import i18n

    values: list[float | int | Decimal] = [0.0, -0.0, 0, 1, 1.0, -1.5, 1234567.891, 0.125, 2.5, 3.5, 1e-7]
    values += [Decimal("1.0"), Decimal("1.00"), Decimal("-0"), Decimal("0")]
    for lang in ("zh", "en"):
        for digits in (0, 1, 2):
            for value in values * 2:  # the second time from what was kept
                assert i18n.number(value, lang, digits) == i18n._number(value, lang, digits)
                assert i18n.percent(value, lang, digits) == i18n._percent(value, lang, digits)
    assert i18n.number(-0.0, "en") == "-0"
    assert i18n.number(0.0, "en") == "0"
