"""Escaping inventory text: a column of texts escaped at once is each text escaped."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from govcloud.text import md_escape, md_escape_all

# markup, control characters, line separators and the joiner md_escape_all uses itself
_TEXT = st.text(alphabet=st.sampled_from("ab |*_`[]<>~\\\n\r\x00\x7f\u2028\u202e\ufeff\ue000中"), max_size=12)


@given(_TEXT)
def test_markup_is_escaped_by_a_backslash_and_control_characters_are_spaces(text: str) -> None:
    """As the regular expressions the escape was first written with did."""
    control = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u2028-\u202e\u2066-\u2069\ufeff]")
    assert md_escape(text) == re.sub(r"([\\`*_\[\]<>|~])", r"\\\1", control.sub(" ", text))


@given(st.lists(_TEXT, max_size=8))
def test_a_column_escaped_at_once_is_each_text_escaped(texts: list[str]) -> None:
    assert md_escape_all(texts) == [md_escape(text) for text in texts]


def test_escaping_replaces_markup_and_control_characters() -> None:
    assert md_escape_all(["a|b", "x\ny", ""]) == ["a\\|b", "x y", ""]
    assert md_escape_all(["\ue000|", "*"]) == ["\ue000\\|", "\\*"]  # the joiner in a text itself
    assert md_escape_all([]) == []
