"""The report's documents: of a text json_text wrote, only the members the report draws are
parsed, and what is read is what ``json.loads`` reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from govcloud.outputs import json_text
from govcloud.report.html.inputs import DRAWN, FILES, drawn, from_texts, members, read

# texts that look like the layout's own lines, quotes and escapes, and text beyond ASCII
_TEXT = st.text(alphabet=st.sampled_from('ab "\\:,\n{}[]\u2028中\ud800'), max_size=8) | st.sampled_from(
    ['\n  "', '": ', '\\"', "NaN"]
)
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)  # beyond 64 bits too
    | st.floats(allow_nan=False)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)
_DOCUMENTS = st.dictionaries(_TEXT, _VALUES, max_size=6)


def _wanted(text: str, keys: set[str]) -> list[tuple[str, Any]]:
    document = json.loads(text)
    return [(k, v) for k, v in document.items() if k in keys]


@given(_DOCUMENTS, st.sets(_TEXT, max_size=4), st.data())
def test_the_members_read_are_json_loads_members(
    document: dict[str, Any], extra: set[str], data: st.DataObject
) -> None:
    text = json_text(document)
    keys = extra | set(
        data.draw(st.lists(st.sampled_from(sorted(document)), max_size=4) if document else st.just([]))
    )
    expected = _wanted(text, keys)
    for given_text in (text, text.encode("utf-8", "surrogatepass")):
        assert list(members(given_text, keys).items()) == expected
        # every member, and the whole document, as json.loads reads it
        assert list(members(given_text, set(document)).items()) == list(json.loads(text).items())
        assert members(given_text) == json.loads(text)
    # another layout is parsed whole, with the same members
    compact = json.dumps(document, ensure_ascii=False)
    assert list(members(compact, keys).items()) == _wanted(compact, keys)


def test_a_text_that_is_no_object_or_not_in_the_layout_is_parsed_whole() -> None:
    assert members("[1, 2]", {"a"}) == [1, 2]
    assert members("{}\n", {"a"}) == {}
    assert members('{\n  "a": 1\n}', {"a"}) == {"a": 1}  # no final newline
    # not json_text's layout: a member whose line does not end in a comma is not split there
    odd = '{\n  "a": [\n1\n  "b"\n  ]\n}\n'
    assert members(odd.replace('\n  "b"', ', "b"'), {"a"}) == {"a": [1, "b"]}
    assert members('{\n  "a": NaN,\n  "b": 1\n}\n', {"a"})["a"] != 0  # NaN: read by json


def test_the_documents_handed_over_are_read_as_from_their_files(sample_out: Path) -> None:
    texts = {name: (sample_out / name).read_bytes() for name, _ in FILES.values()}
    handed = from_texts(texts)
    assert handed == read(sample_out / "plan.json")
    for key, (name, _) in FILES.items():
        assert getattr(handed, key) == drawn(key, json.loads(texts[name]))
    plan = json.loads(texts["plan.json"])
    assert set(handed.plan) == DRAWN["plan"] & set(plan)
    assert "placements" in plan
    assert "placements" not in handed.plan
    assert "subjects" not in handed.baseline


def test_the_page_drawn_from_what_is_kept_is_the_page_drawn_from_everything(sample_out: Path) -> None:
    """A member the page reads but :data:`DRAWN` leaves out would break or change the page:
    drawn from the whole documents it must be the same bytes."""
    from govcloud.report.html import render
    from govcloud.report.html.inputs import ReportInputs

    texts = {name: (sample_out / name).read_bytes() for name, _ in FILES.values()}
    whole = ReportInputs(**{key: json.loads(texts[name]) for key, (name, _) in FILES.items()})
    for lang in ("en", "zh"):
        assert render(from_texts(texts), lang) == render(whole, lang)
