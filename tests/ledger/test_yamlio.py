"""govcloud.ledger.yamlio: decoding, safe loading, and where nodes are."""

from __future__ import annotations

import codecs
import itertools
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.ledger import yamlio
from govcloud.ledger.yamlio import Locator, YamlProblem, decode, loads
from tests.ledger.helpers import locate, write

# ---- decode -------------------------------------------------------------------------------------


def test_decode_plain_utf8() -> None:
    assert decode("name: 测试省\n".encode()) == "name: 测试省\n"
    assert decode(b"") == ""


def test_decode_strips_a_utf8_bom() -> None:
    assert decode(codecs.BOM_UTF8 + "name: 测试省\n".encode()) == "name: 测试省\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_a_bom(encoding: str) -> None:
    text = "version: 1\nname: 测试省\n"
    bom = (
        b""
        if encoding == "utf-16"
        else (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE)
    )
    assert decode(bom + text.encode(encoding)) == text


def test_decode_broken_utf16() -> None:
    data = codecs.BOM_UTF16_LE + "version: 1\n".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    with pytest.raises(YamlProblem) as raised:
        decode(data)
    assert (raised.value.code, raised.value.detail, raised.value.line) == ("encoding-invalid", "UTF-16", None)


def test_decode_utf16_without_a_bom_is_binary() -> None:
    """Without a BOM UTF-16 is not recognised: its NUL bytes make it a binary file."""
    with pytest.raises(YamlProblem) as raised:
        decode("version: 1\n".encode("utf-16-le"))
    assert (raised.value.code, raised.value.line) == ("binary-file", 1)


def test_decode_nul_byte_is_binary_with_its_line() -> None:
    with pytest.raises(YamlProblem) as raised:
        decode(b"version: 1\nregion:\n  id: \x00x\n")
    assert (raised.value.code, raised.value.line, raised.value.column) == ("binary-file", 3, None)


def test_decode_gbk_names_gb18030_and_the_first_bad_byte() -> None:
    text = "version: 1\ndepartment:\n  name: 测试局\n"
    with pytest.raises(YamlProblem) as raised:
        decode(text.encode("gbk"))
    problem = raised.value
    assert problem.code == "encoding-not-utf8"
    assert problem.detail == "GB18030/GBK"
    assert (problem.line, problem.column) == locate(text, "测试局") == (3, 9)


def test_decode_other_encodings_are_unknown() -> None:
    with pytest.raises(YamlProblem) as raised:
        decode("name: café\n".encode("latin-1"))
    assert (raised.value.code, raised.value.detail) == ("encoding-not-utf8", "encoding.unknown")
    assert (raised.value.line, raised.value.column) == (1, 10)


# ---- loads: plain values --------------------------------------------------------------------------


def test_loads_plain_types() -> None:
    text = (
        "s: text\n"
        "quoted: '42'\n"
        "i: 42\n"
        "neg: -7\n"
        "f: 1.5\n"
        "t: true\n"
        "n: ~\n"
        "empty:\n"
        "seq: [1, two, 3.0]\n"
        "map: {a: 1, b: [x]}\n"
        "中文: 测试\n"
    )
    assert loads(text) == {
        "s": "text",
        "quoted": "42",
        "i": 42,
        "neg": -7,
        "f": 1.5,
        "t": True,
        "n": None,
        "empty": None,
        "seq": [1, "two", 3.0],
        "map": {"a": 1, "b": ["x"]},
        "中文": "测试",
    }
    assert type(loads("i: 42")["i"]) is int
    assert type(loads("t: true")["t"]) is bool


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("d: 2026-06-30", "2026-06-30"),
        ("d: 2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        ("d: 2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"),
        ("d: 2023-02-30", "2023-02-30"),  # not a date at all: the ledger reports it later
        ("d: !!timestamp 2026-06-30", "2026-06-30"),
    ],
)
def test_loads_keeps_timestamps_as_strings(text: str, value: str) -> None:
    loaded = loads(text)["d"]
    assert loaded == value
    assert type(loaded) is str


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: no", False),  # YAML 1.1 booleans
        ("v: On", True),
        ("v: 010", 8),  # YAML 1.1 octal
        ("v: 0x1F", 31),
        ("v: 1_000", 1000),
        ("v: 1:30", 90),  # YAML 1.1 base 60
        ("v: !!str 5", "5"),
        ("v: !!null whatever", None),
    ],
)
def test_loads_follows_the_yaml_1_1_resolver(text: str, value: object) -> None:
    loaded = loads(text)["v"]
    assert loaded == value
    assert type(loaded) is type(value)


@pytest.mark.parametrize("text", ["v: .inf", "v: -.inf", "v: .nan", "v: .NaN"])
def test_loads_refuses_infinity_and_nan(text: str) -> None:
    """They would slip through every range check of the schema."""
    with pytest.raises(YamlProblem) as problem:
        loads(text)
    assert (problem.value.code, problem.value.line, problem.value.column) == ("yaml-syntax", 1, 4)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "--- ~\n"])
def test_loads_empty_documents_are_none(text: str) -> None:
    assert loads(text) is None


def test_loads_small_aliases_are_expanded() -> None:
    assert loads("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


# ---- loads: what a ledger must not contain -------------------------------------------------------


def _problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as raised:
        loads(text)
    return raised.value


def test_merge_keys_are_refused() -> None:
    text = "base: &b {kind: vm}\nservers:\n  - <<: *b\n    id: s1\n"
    problem = _problem(text)
    assert problem.code == "yaml-key"
    assert (problem.line, problem.column) == locate(text, "<<")
    assert problem.path == ("servers", 0)


def test_a_quoted_merge_key_is_plain_text() -> None:
    assert loads('"<<": 1\n') == {"<<": 1}


@pytest.mark.parametrize(
    ("text", "token", "path"),
    [
        ("a: 1\n[x, y]: 2\n", "[x, y]", ()),
        ("a:\n  ? {x: 1}\n  : 2\n", "{x: 1}", ("a",)),
    ],
)
def test_complex_keys_are_refused(text: str, token: str, path: tuple[str, ...]) -> None:
    problem = _problem(text)
    assert problem.code == "yaml-key"
    assert (problem.line, problem.column) == locate(text, token)
    assert problem.path == path


def test_scalar_keys_that_are_not_strings_become_their_text() -> None:
    assert loads("1: a\ntrue: b\n~: c\n1.5: d\n") == {"1": "a", "true": "b", "~": "c", "1.5": "d"}


def test_duplicate_keys_point_at_the_second() -> None:
    text = "servers:\n  - id: s1\n    hostname: a\n    hostname: b\n"
    problem = _problem(text)
    assert problem.code == "duplicate-key"
    assert problem.detail == "hostname"
    assert (problem.line, problem.column) == locate(text, "hostname", nth=2)
    assert problem.path == ("servers", 0, "hostname")


def test_keys_equal_as_text_are_duplicates() -> None:
    text = "1: a\n'1': b\n"
    problem = _problem(text)
    assert (problem.code, problem.line, problem.column) == ("duplicate-key", 2, 1)


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system [ls]", "tag:yaml.org,2002:python/object/apply:os.system"),
        ("!!python/object:builtins.dict {}", "tag:yaml.org,2002:python/object:builtins.dict"),
        ("!!python/name:os.system ''", "tag:yaml.org,2002:python/name:os.system"),
        ("!foo bar", "!foo"),
        ("!foo [1]", "!foo"),
        ("!foo {a: 1}", "!foo"),
        ("!!binary aGk=", "tag:yaml.org,2002:binary"),
        ("!!set {a}", "tag:yaml.org,2002:set"),
        ("!!omap [a: 1]", "tag:yaml.org,2002:omap"),
        ("!<tag:example.com,2026:x> y", "tag:example.com,2026:x"),
    ],
)
def test_tags_are_refused(value: str, tag: str) -> None:
    text = f"version: 1\nsites:\n  - name: {value}\n"
    problem = _problem(text)
    assert problem.code == "yaml-tag"
    assert problem.detail == tag
    assert (problem.line, problem.column) == locate(text, "!", after="name: ")
    assert problem.path == ("sites", 0, "name")


@pytest.mark.parametrize("value", ["!!int abc", "!!float x"])
def test_explicit_types_that_do_not_fit_are_syntax_errors(value: str) -> None:
    text = f"a:\n  b: {value}\n"
    problem = _problem(text)
    assert problem.code == "yaml-syntax"
    assert (problem.line, problem.column) == (2, 6)
    assert problem.path == ("a", "b")


@pytest.mark.parametrize(
    ("text", "token", "fragment"),
    [
        ("version: 1\nname: a: b\n", ": b", "mapping values are not allowed"),
        ("version: 1\nregion:\n\tid: x\n", "\tid", "found character that cannot start any token"),
        ("a: 1\n---\nb: 2\n", "---", "expected a single document"),
        ("名称: 测试: 值\n", ": 值", "mapping values are not allowed"),
    ],
)
def test_syntax_errors_have_positions(text: str, token: str, fragment: str) -> None:
    problem = _problem(text)
    assert problem.code == "yaml-syntax"
    assert (problem.line, problem.column) == locate(text, token)
    assert fragment in problem.detail


def test_an_unclosed_flow_sequence_points_where_the_parser_gave_up() -> None:
    problem = _problem("version: 1\nsites: [a, b\n")
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 3, 1)
    assert "did not find expected ',' or ']'" in problem.detail


# ---- the alias budget and the depth limit ---------------------------------------------------------


def _aliases(count: int) -> str:
    """5 nodes (root, 2 keys, x, the list) and ``3 + count`` values once aliases expand."""
    return "a: &a x\nb: [" + ", ".join(["*a"] * count) + "]\n"


def test_alias_budget_floor_is_exact() -> None:
    assert yamlio.ALIAS_EXPANSION_FLOOR == 10_000
    assert len(loads(_aliases(9_997))["b"]) == 9_997
    problem = _problem(_aliases(9_998))
    assert problem.code == "alias-bomb"
    assert problem.path == ("b", 9_997)
    assert (problem.line, problem.column) == (1, 4)  # an alias shares its anchor's node


def test_alias_budget_grows_with_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "ALIAS_EXPANSION_FLOOR", 0)
    # budget = 10 × 5 nodes = 50 values
    assert len(loads(_aliases(47))["b"]) == 47
    assert _problem(_aliases(48)).code == "alias-bomb"


def test_billion_laughs_is_refused() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, key in itertools.pairwise("abcdefghi"):
        lines.append(f"{key}: &{key} [" + ", ".join([f"*{prev}"] * 9) + "]")
    assert _problem("\n".join(lines) + "\n").code == "alias-bomb"


def test_depth_limit_is_exact() -> None:
    depth = yamlio.MAX_DEPTH
    assert depth == 64
    assert loads("a: " + "[" * depth + "]" * depth) is not None
    text = "a: " + "[" * (depth + 1) + "]" * (depth + 1)
    problem = _problem(text)
    assert problem.code == "too-deep"
    assert problem.detail == "64"
    assert (problem.line, problem.column) == locate(text, "[", nth=depth + 1) == (1, 68)
    assert problem.path == ("a", *[0] * 64)


def test_depth_counts_mappings_too() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(70))
    problem = _problem(text)
    assert problem.code == "too-deep"
    assert problem.path == tuple(f"k{i}" for i in range(65))
    # the 65th value is the mapping that starts with key k65
    assert (problem.line, problem.column) == locate(text, "k65:")


# ---- read_file -------------------------------------------------------------------------------------


def test_read_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", codecs.BOM_UTF8 + "名称: 测试\n".encode())
    assert yamlio.read_file(path) == {"名称": "测试"}


def test_read_file_size_limit_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    fits = write(tmp_path, "fits.yaml", "a: " + "x" * (2 * 1024 * 1024 - 4) + "\n")
    assert fits.stat().st_size == 2 * 1024 * 1024
    assert len(yamlio.read_file(fits)["a"]) == 2 * 1024 * 1024 - 4
    big = write(tmp_path, "big.yaml", "a: " + "x" * (2 * 1024 * 1024 - 3) + "\n")
    with pytest.raises(YamlProblem) as raised:
        yamlio.read_file(big)
    assert (raised.value.code, raised.value.detail) == ("file-too-large", "2")


def test_default_size_limit() -> None:
    assert yamlio.MAX_FILE_BYTES == 256 * 1024 * 1024


# ---- Locator ---------------------------------------------------------------------------------------

LEDGER = (
    "# 注释\n"
    "department: {id: gat, name: 测试省公安厅, level: 省级}\n"
    "servers:\n"
    "  - id: s1\n"
    "    hostname: 主机一\n"
    "    ips: [10.0.0.1, 10.0.0.2]\n"
    "  - id: s2\n"
    '    site: "机房"\n'
)


@pytest.mark.parametrize(
    ("path", "token", "nth"),
    [
        (("department",), "{id: gat", 1),
        (("department", "level"), "省级", 1),
        (("servers",), "- id: s1", 1),
        (("servers", 0), "id: s1", 1),
        (("servers", 0, "hostname"), "主机一", 1),
        (("servers", 0, "ips", 1), "10.0.0.2", 1),
        (("servers", 1, "site"), '"机房"', 1),
        # missing parts: the nearest node that exists
        (("servers", 1, "hostname"), "id: s2", 1),
        (("servers", 5, "id"), "- id: s1", 1),
        (("servers", "id"), "- id: s1", 1),
        (("department", 0), "{id: gat", 1),
        (("nothing",), "department", 1),
        ((), "department", 1),
    ],
)
def test_locator_positions(path: tuple[str | int, ...], token: str, nth: int) -> None:
    assert Locator(LEDGER).position(path) == locate(LEDGER, token, nth=nth)


def test_locator_key_positions() -> None:
    locator = Locator(LEDGER)
    assert locator.position(("servers", 0, "hostname"), key=True) == locate(LEDGER, "hostname")
    assert locator.position(("department", "name"), key=True) == locate(LEDGER, "name:")
    # an absent key: its mapping
    assert locator.position(("servers", 0, "hostnmae"), key=True) == locate(LEDGER, "id: s1")
    # key=True with an index at the end is an ordinary lookup
    assert locator.position(("servers", 0, "ips", 0), key=True) == locate(LEDGER, "10.0.0.1")


def test_locator_crlf_and_lone_cr() -> None:
    text = "a: 1\r\nb:\r\n  - x\r\n  - y\r\n"
    assert Locator(text).position(("b", 1)) == (4, 5)
    assert Locator("a: 1\rb: 2\r").position(("b",)) == (2, 4)


def test_locator_after_a_decoded_bom_and_utf16() -> None:
    text = decode(codecs.BOM_UTF16_LE + "a: 1\nb: 测试\n".encode("utf-16-le"))
    assert Locator(text).position(("b",)) == (2, 4)
    text = decode(codecs.BOM_UTF8 + "a: 1\nb: 测试\n".encode())
    assert Locator(text).position(("b",)) == (2, 4)


@pytest.mark.parametrize("text", ["", "# nothing\n", "a: [\n", "a: 1\na: 2\n"])
def test_locator_without_a_tree(text: str) -> None:
    expected = (1, 4) if text == "a: 1\na: 2\n" else None  # duplicate keys still compose: the first
    assert Locator(text).position(("a",)) == expected


def test_locator_composes_once_and_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = yamlio.compose

    def counting(text: str) -> object:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(yamlio, "compose", counting)
    locator = Locator(LEDGER)
    assert calls == []
    locator.position(("servers",))
    locator.position(("department",))
    assert calls == [LEDGER]
    broken = Locator("a: [\n")
    assert broken.position(("a",)) is None
    assert broken.position(("a",)) is None
    assert calls == [LEDGER, "a: [\n"]


def test_read_file_with_lines_gives_where_each_entity_starts(tmp_path: Path) -> None:
    from govcloud.ledger.yamlio import read_file_with_lines

    path = tmp_path / "部门.yaml"
    path.write_text(
        "# 注释\ndepartment:\n  id: a\nservers:\n  - id: s1\n    site: r\n\n  - {id: s2}\n  -\n    id: s3\n",
        encoding="utf-8",
    )
    value, lines = read_file_with_lines(path)
    assert [s["id"] for s in value["servers"]] == ["s1", "s2", "s3"]
    assert lines == {
        ("department",): 3,
        ("servers",): 5,
        ("servers", 0): 5,
        ("servers", 1): 8,
        ("servers", 2): 10,
    }
    locator = Locator(path.read_text(encoding="utf-8"))
    for where, line in lines.items():
        position = locator.position(where)
        assert position is not None
        assert position[0] == line, where


def test_nodes_are_counted_for_the_alias_budget_only_when_there_can_be_aliases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted: list[object] = []
    real = yamlio._count_nodes
    monkeypatch.setattr(yamlio, "_count_nodes", lambda root: counted.append(root) or real(root))
    assert loads("a: [1, 2]\nb: 'no aliases here'\n") == {"a": [1, 2], "b": "no aliases here"}
    assert not counted
    assert loads("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    assert len(counted) == 1
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(YamlProblem) as problem:
        loads(bomb)
    assert problem.value.code == "alias-bomb"


# -- the event builder gives exactly what composing the node tree gives --------------------


def _via_nodes(text: str) -> object:
    """What the node-tree path makes of ``text``: the value and lines, or the problem."""
    try:
        node = yamlio.compose(text)
        if node is None:
            return repr((None, {}))
        builder = yamlio._Builder(node, aliases="*" in text)
        return repr((builder.build(), builder.lines))  # repr: True and 1, 1.0 and 1 differ
    except YamlProblem as problem:
        return problem


def _via_reader(text: str) -> object:
    try:
        return repr(yamlio.read_text_with_lines(text))
    except YamlProblem as problem:
        return problem


_TRICKY = [
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "null",
    "~",
    "Null",
    "",
    "0",
    "-0",
    "007",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "+12",
    "1:20",
    "190:20:30",
    "1e3",
    "1.5e-3",
    ".5",
    "-.inf",
    ".NaN",
    "1.",
    "2026-12-02",
    "2026-12-02 10:00:00",
    "2026-02-30",
    "<<",
    "=",
    "a b",
    "x:y",
    "-",
    "海岳",
    "9" * 30,
    "1" + "0" * 400 + ".0",
    "hz-wjw-srv001",
    "10.0.0.0/8",
]
_plain = st.sampled_from(_TRICKY) | st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)
_quoted = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)


def _scalar_text(plain: bool, value: str) -> str:
    if plain and value and value[0] not in "-?:,[]{}#&*!|>'\"%@`" and ": " not in value and " #" not in value:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_leaf = st.tuples(st.booleans(), _plain | _quoted).map(lambda t: _scalar_text(*t))
_trees = st.recursive(
    _leaf,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.tuples(st.booleans(), _plain).map(lambda t: _scalar_text(*t)), inner, max_size=4)
    ),
    max_leaves=30,
)


def _block(tree: object, indent: str) -> list[str]:
    """Block YAML lines of a tree whose leaves are already scalar texts."""
    lines: list[str] = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{indent}{key}:")
                lines += _block(value, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_flow(value)}")
    else:
        assert isinstance(tree, list)
        for value in tree:
            if isinstance(value, (dict, list)) and value:
                inner = _block(value, indent + "  ")
                lines.append(f"{indent}- {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                lines.append(f"{indent}- {_flow(value)}")
    return lines


def _flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["region", "servers", "systems", "a", "yes", "1", "<<"]), _trees, max_size=4
    ),
    st.booleans(),
)
def test_the_event_builder_reads_random_documents_as_the_node_tree(
    tree: dict[str, object], flow: bool
) -> None:
    text = _flow(tree) + "\n" if flow else "\n".join(_block(tree, "")) + "\n"
    expected = _via_nodes(text)
    assert _via_reader(text) == expected
    assert _via_reader(yaml.safe_dump(_values(tree), allow_unicode=True)) == _via_nodes(
        yaml.safe_dump(_values(tree), allow_unicode=True)
    )


def _values(tree: object) -> object:
    """The tree as Python values (its scalar texts as strings), for yaml.safe_dump to quote."""
    if isinstance(tree, dict):
        return {str(k): _values(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_values(v) for v in tree]
    return tree


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: !custom 1\n",
        "a: 1\na: 2\n",
        "<<: {b: 1}\n",
        "a:\n  <<: {b: 1}\n",
        "=: 1\n",
        "a: =\n",
        "? [a]\n: 1\n",
        "a: 1\n---\nb: 2\n",
        "- 1\n- 2\n",
        "plain\n",
        "a: .inf\n",
        "a: 0x\n",
        "a: [1, 2\n",
        "a:\n\tb: 1\n",
        "a: " + "[" * 70 + "]" * 70 + "\n",
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 70)) + "  " * 70 + "x: 1\n",
        "---\n",
        "",
        "# only a comment\n",
        "a: 1\n...\n",
        "servers:\n  - id: s1\n    cpu: 4\n  - {id: s2, cpu: 8}\n",
    ],
)
def test_unusual_documents_are_read_or_refused_as_before(text: str) -> None:
    assert _via_reader(text) == _via_nodes(text)


def test_a_plain_ledger_file_is_built_from_events_without_composing(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (Path(__file__).parents[2] / "inventories" / "haiyue" / "region.yaml").read_text(encoding="utf-8")
    expected = _via_nodes(text)

    def refuse(_text: str) -> None:
        raise AssertionError("composed a plain file")

    monkeypatch.setattr(yamlio, "compose", refuse)
    assert repr(yamlio.read_text_with_lines(text)) == expected
