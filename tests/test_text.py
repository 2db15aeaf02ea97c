"""Escaping inventory text: a column of texts escaped at once is each text escaped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govcloud.text import md_escape, md_escape_all

# markup, control characters, line separators and the joiner md_escape_all uses itself
_TEXT = st.text(alphabet=st.sampled_from("ab |*_`[]<>~\\\n\r\x00\x7f\u2028\u202e\ufeff\ue000中"), max_size=12)


@given(st.lists(_TEXT, max_size=8))
def test_a_column_escaped_at_once_is_each_text_escaped(texts: list[str]) -> None:
    assert md_escape_all(texts) == [md_escape(text) for text in texts]


def test_escaping_replaces_markup_and_control_characters() -> None:
    assert md_escape_all(["a|b", "x\ny", ""]) == ["a\\|b", "x y", ""]
    assert md_escape_all(["\ue000|", "*"]) == ["\ue000\\|", "\\*"]  # the joiner in a text itself
    assert md_escape_all([]) == []
