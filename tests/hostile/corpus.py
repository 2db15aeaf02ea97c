"""A corpus of broken and hostile ledgers, generated from one valid ledger.

Each case is a name and a function that writes a ledger directory; every one of them must
give a clean, located error: no exception, a non-zero exit, the file and (for content
problems) the line and field path.
"""

from __future__ import annotations

import codecs
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REGION = {
    "version": 1,
    "region": {"id": "r", "name": "测试省", "region_code": "990000", "as_of": "2026-06-30"},
}
TARGETS = {
    "cloud_nodes": [
        {
            "id": "c",
            "name": "省云",
            "provider": "alicloud",
            "region": "cn-hangzhou",
            "zones": [{"id": "z"}],
            "certified_mlps_level": 3,
        }
    ],
    "access_points": [{"id": "ap", "name": "接入点", "bandwidth_mbps": 1000}],
}


def department() -> dict[str, Any]:
    return {
        "department": {"id": "d", "name": "甲局", "level": "province", "region_code": "990000"},
        "sites": [
            {
                "id": "room",
                "name": "机房",
                "kind": "self_built",
                "racks": 4,
                "racks_used": 2,
                "pue": 1.8,
                "yearly_cost_cny": 1000,
            }
        ],
        "servers": [
            {
                "id": "s1",
                "site": "room",
                "hostname": "h1",
                "serial": "SN1",
                "ips": ["10.0.0.1"],
                "kind": "physical",
                "cpu_cores": 8,
                "memory_gb": 32,
                "storage_gb": 500,
                "cpu_p95_pct": 10,
                "mem_p95_pct": 20,
                "purchase_date": "2020-01-01",
                "purchase_value_cny": 10000,
            }
        ],
        "networks": [
            {
                "id": "n",
                "name": "专网",
                "kind": "private",
                "cidrs": ["10.1.0.0/16"],
                "sites": ["room"],
                "vlans": [10],
            }
        ],
        "lines": [
            {
                "id": "l",
                "carrier": "telecom",
                "bandwidth_mbps": 100,
                "a_end": {"site": "room"},
                "z_end": {"access_point": "ap"},
                "monthly_fee_cny": 100,
                "network": "n",
            }
        ],
        "systems": [
            {
                "id": "x",
                "name": "系统",
                "mlps_level": 2,
                "servers": ["s1"],
                "networks": ["n"],
                "dependencies": [{"system": "y", "port": 443}],
            },
            {"id": "y", "name": "系统乙", "mlps_level": 3},
        ],
    }


Writer = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    write: Writer
    located: bool = True  # the problem has a line number
    expect: str = "error"  # or "warning": the ledger still loads, and says what it skipped


def _dump(path: Path, doc: Any) -> None:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def base(root: Path, dept: dict[str, Any] | None = None) -> None:
    root.mkdir(parents=True, exist_ok=True)
    _dump(root / "region.yaml", REGION)
    _dump(root / "targets.yaml", TARGETS)
    _dump(root / "甲局.yaml", dept if dept is not None else department())


def _set(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


def field_case(name: str, path: tuple[Any, ...], value: Any) -> Case:
    return Case(name, lambda root: base(root, _set(department(), path, value)))


def text_case(name: str, text: str | bytes, located: bool = True, expect: str = "error") -> Case:
    def write(root: Path) -> None:
        base(root)
        target = root / "坏文件.yaml"
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return Case(name, write, located, expect)


#: fields and values of the wrong type, out of range or absurd
_BAD_VALUES: list[tuple[str, tuple[Any, ...], Any]] = []
for entity, index, fields in (
    (
        "sites",
        0,
        {
            "racks": ["x", -1, 1.5, True],
            "pue": [0.5, 50, "高"],
            "yearly_cost_cny": [-1, "一百"],
            "kind": ["机房", 3, None],
            "contract_end": ["2027/1/1", "2027-13-01", 20270101],
        },
    ),
    (
        "servers",
        0,
        {
            "cpu_cores": [0, -4, 10**9, "八核", 2.5],
            "memory_gb": [-1, "32G", 10**12],
            "cpu_p95_pct": [101, -5, "高"],
            "ips": ["10.0.0.1", [1, 2], ["300.1.1.1"], ["::g"]],
            "kind": ["bare-metal"],
            "arch": ["sparc"],
            "purchase_date": ["昨天", "2023-02-30", 2020],
            "hostname": ["", 5, None],
            "site": [7, ["room"]],
        },
    ),
    (
        "networks",
        0,
        {
            "cidrs": ["10.0.0.0/8", ["10.0.0.0/33"], ["10.1.1.1/24"], ["fd00::/129"], ["not a cidr"]],
            "vlans": [[0], [4095], ["ten"], [10, 10]],
            "kind": ["dark"],
            "sites": [["nowhere"]],
        },
    ),
    (
        "lines",
        0,
        {
            "bandwidth_mbps": [0, -10, "100M"],
            "carrier": ["中国铁通"],
            "a_end": [{}, {"site": "room", "address": "x"}, "room", {"site": "nowhere"}],
            "monthly_fee_cny": [-1],
            "network": ["ghost"],
        },
    ),
    (
        "systems",
        0,
        {
            "mlps_level": [0, 6, "三级", 2.5],
            "dependencies": [
                [{"system": "x"}],
                [{"system": "ghost"}],
                [{"port": 80}],
                [{"system": "y", "port": 70000}],
                "y",
            ],
            "classification": ["top secret!"],
            "servers": [["ghost"], ["s1", "s1"]],
        },
    ),
):
    for field_name, values in fields.items():
        for i, value in enumerate(values):
            _BAD_VALUES.append((f"{entity}.{field_name}#{i}", (entity, index, field_name), value))


def _other_file_case(name: str, file: str, path: tuple[Any, ...], value: Any) -> Case:
    def write(root: Path) -> None:
        base(root)
        doc = copy.deepcopy(REGION if file == "region.yaml" else TARGETS)
        _dump(root / file, _set(doc, path, value))

    return Case(name, write)


_OTHER_FILES: list[tuple[str, str, tuple[Any, ...], Any]] = [
    ("region.as_of-format", "region.yaml", ("region", "as_of"), "30/06/2026"),
    ("region.as_of-unreal", "region.yaml", ("region", "as_of"), "2026-02-30"),
    ("region.code-short", "region.yaml", ("region", "region_code"), "9900"),
    ("region.depreciation-zero", "region.yaml", ("region", "depreciation_years"), 0),
    ("region.address-plan-bad", "region.yaml", ("region", "address_plan"), ["10.0.0.0/40"]),
    ("region.unknown-field", "region.yaml", ("region", "省份"), "x"),
    ("region.not-mapping", "region.yaml", ("region",), ["r"]),
    ("cloud.provider-unknown", "targets.yaml", ("cloud_nodes", 0, "provider"), "aws"),
    ("cloud.level-high", "targets.yaml", ("cloud_nodes", 0, "certified_mlps_level"), 9),
    ("cloud.zones-empty", "targets.yaml", ("cloud_nodes", 0, "zones"), []),
    ("cloud.zones-duplicate", "targets.yaml", ("cloud_nodes", 0, "zones"), [{"id": "z"}, {"id": "z"}]),
    ("cloud.region-spaces", "targets.yaml", ("cloud_nodes", 0, "region"), "cn hangzhou"),
    ("cloud.arch-unknown", "targets.yaml", ("cloud_nodes", 0, "archs"), ["mips"]),
    ("cloud.capacity-negative", "targets.yaml", ("cloud_nodes", 0, "capacity"), {"vcpus": -1}),
    ("cloud.site-missing", "targets.yaml", ("cloud_nodes", 0, "site"), "ghost"),
    ("ap.bandwidth-string", "targets.yaml", ("access_points", 0, "bandwidth_mbps"), "1G"),
    ("ap.level-unknown", "targets.yaml", ("access_points", 0, "level"), "乡镇"),
    ("ap.missing-name", "targets.yaml", ("access_points", 0), {"id": "ap", "bandwidth_mbps": 1}),
    ("prices.currency", "targets.yaml", ("prices",), {"currency": "USD"}),
    (
        "prices.unknown-node",
        "targets.yaml",
        ("prices",),
        {
            "instance_types": [
                {"cloud_node": "ghost", "name": "t", "vcpus": 1, "memory_gb": 1, "monthly_cny": 1}
            ]
        },
    ),
    ("prices.negative", "targets.yaml", ("prices",), {"extranet_mbps_month_cny": -3}),
    (
        "prices.tier-unknown",
        "targets.yaml",
        ("prices",),
        {"storage": [{"cloud_node": "c", "tier": "tape", "gb_month_cny": 1}]},
    ),
]


def cases() -> Iterator[Case]:
    for name, path, value in _BAD_VALUES:
        yield field_case(name, path, value)
    for name, file, path, value in _OTHER_FILES:
        yield _other_file_case(name, file, path, value)
    for key in ("id", "name", "kind"):
        doc = department()
        del doc["sites"][0][key]
        yield Case(f"site-missing-{key}", lambda root, d=doc: base(root, d))
    for unknown in ("hostnmae", "owner_dept", "备注"):
        yield field_case(f"unknown-field-{unknown}", ("servers", 0, unknown), "x")
    yield field_case("duplicate-server-id", ("servers",), [department()["servers"][0]] * 2)
    yield field_case("department-parent-missing", ("department", "parent"), "ghost")
    yield field_case("department-self-parent", ("department", "parent"), "d")
    yield field_case("very-long-chinese-name", ("sites", 0, "name"), "超长名称" * 300)
    yield field_case("control-characters-in-id", ("sites", 0, "id"), "room\x07\x1b[31m")
    yield field_case("path-like-id", ("sites", 0, "id"), "../../etc/passwd")
    yield field_case("hidden-id", ("sites", 0, "id"), ".room")
    yield field_case("injection-in-id", ("servers", 0, "id"), '"); import os; os.system("x") #')
    yield field_case("region-code-letters", ("department", "region_code"), "99000A")
    yield field_case("list-instead-of-mapping", ("sites", 0), ["room"])
    yield field_case("null-entity", ("servers", 0), None)
    yield field_case("scalar-instead-of-list", ("servers",), "s1")
    yield from _text_cases()
    yield from _file_cases()
    yield from _invisible_id_cases()
    yield from _date_limit_cases()


#: characters an id must not hold: they hide, reorder or fake text (issue 21)
INVISIBLE = {
    "rlo": "\u202e",
    "lri": "\u2066",
    "zwsp": "\u200b",
    "zwj": "\u200d",
    "bom": "\ufeff",
    "shy": "\u00ad",
    "bell": "\x07",
    "esc": "\x1b",
    "line-sep": "\u2028",
    "word-joiner": "\u2060",
}


def _invisible_id_cases() -> Iterator[Case]:
    places: list[tuple[str, tuple[Any, ...]]] = [
        ("site", ("sites", 0, "id")),
        ("server", ("servers", 0, "id")),
        ("network", ("networks", 0, "id")),
        ("line", ("lines", 0, "id")),
        ("system", ("systems", 1, "id")),
        ("department", ("department", "id")),
    ]
    for label, char in INVISIBLE.items():
        for kind, path in places:
            yield field_case(f"id-{kind}-{label}", path, f"a{char}b")


def _date_limit_cases() -> Iterator[Case]:
    for value in ("0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2026-02-30", "2100-02-29"):
        yield _other_file_case(f"region.as_of={value}", "region.yaml", ("region", "as_of"), value)
        yield field_case(f"servers.purchase_date={value}", ("servers", 0, "purchase_date"), value)
        yield field_case(f"sites.contract_end={value}", ("sites", 0, "contract_end"), value)


def _text_cases() -> Iterator[Case]:
    dept_text = yaml.safe_dump(department(), allow_unicode=True, sort_keys=False)
    yield text_case("tab-indentation", "sites:\n\t- {id: a}\n")
    yield text_case("wrong-indentation", "sites:\n  - id: a\n   name: b\n")
    yield text_case("unclosed-bracket", "sites: [{id: a\n")
    yield text_case("unclosed-quote", 'sites: "abc\n')
    yield text_case("duplicate-key-top", "sites: []\nsites: []\n")
    yield text_case("duplicate-key-nested", "department: {id: a, id: b}\n")
    yield text_case("python-tag", "sites: !!python/object/apply:os.system ['echo hi']\n")
    yield text_case("custom-tag", "sites: !include other.yaml\n")
    yield text_case("binary-tag", "sites: !!binary aGVsbG8=\n")
    yield text_case("set-tag", "sites: !!set {a, b}\n")
    yield text_case("merge-key", "base: &b {kind: self_built}\nsites:\n  - <<: *b\n    id: a\n    name: n\n")
    yield text_case("complex-key", "? [a, b]\n: c\n")
    yield text_case("integer-key", "1: a\n")
    yield text_case("null-key", "~: a\n")
    yield text_case("multi-document", "sites: []\n---\nsites: []\n")
    yield text_case("top-level-list", "- a\n- b\n")
    yield text_case("top-level-scalar", "just text\n")
    yield text_case("only-comments", "# nothing here\n", located=False, expect="warning")
    yield text_case("empty", "", located=False, expect="warning")
    yield text_case("whitespace-only", "   \n\n", located=False, expect="warning")
    lol = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join('*' + p for _ in range(10))}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    yield text_case("billion-laughs", lol)
    yield text_case("deep-nesting-flow", "a: " + "[" * 500 + "]" * 500 + "\n")
    yield text_case(
        "deep-nesting-block", "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n"
    )
    yield text_case(
        "huge-scalar",
        "department: {id: d2, name: " + "名" * 2_000_000 + ", level: province, region_code: '990000'}\n",
    )
    yield text_case("gbk-encoded", dept_text.encode("gbk", errors="replace"))
    yield text_case("gb18030-encoded", "name: 𠀀测试\n".encode("gb18030"))
    yield text_case(
        "utf16-le-bom", codecs.BOM_UTF16_LE + "sites: []\n".encode("utf-16-le") + b"\x00", located=False
    )
    yield text_case("utf8-bom-broken", codecs.BOM_UTF8 + b"sites: [\n")
    yield text_case("latin1", "name: caf\xe9\n".encode("latin-1"))
    yield text_case("binary-garbage", bytes(range(256)) * 4)
    yield text_case("nul-in-text", b"sites: []\n\x00\n")
    yield text_case("truncated-utf8", "name: 测".encode()[:-1])
    yield text_case("anchor-undefined", "sites: *nothing\n")
    yield text_case("very-long-line", "sites: [" + ", ".join(["{id: a}"] * 20000) + "\n")
    yield text_case("version-wrong", "version: 2\n")
    yield text_case("version-string", "version: '1'\n")
    yield text_case("entity-list-of-numbers", "servers: [1, 2, 3]\n")
    yield text_case("cross-file-duplicate-id", dept_text.replace("id: d\n", "id: d2\n", 1))


def _file_cases() -> Iterator[Case]:
    def no_region(root: Path) -> None:
        base(root)
        (root / "region.yaml").unlink()

    def two_regions(root: Path) -> None:
        base(root)
        _dump(root / "又一个.yaml", REGION)

    def symlink_out(root: Path) -> None:
        base(root)
        outside = root.parent / f"{root.name}-outside.yaml"
        _dump(outside, department())
        (root / "link.yaml").symlink_to(outside)

    def dir_symlink_loop(root: Path) -> None:
        base(root)
        (root / "loop").symlink_to(root, target_is_directory=True)
        _dump(root / "dup.yaml", {"sites": [{"id": "room", "name": "x", "kind": "self_built", "owner": "d"}]})

    def directory_named_yaml(root: Path) -> None:
        base(root)
        (root / "假文件.yaml").mkdir()
        _dump(root / "dup.yaml", {"sites": [{"id": "room", "name": "x", "kind": "self_built", "owner": "d"}]})

    yield Case("no-region", no_region, located=False)
    yield Case("two-regions", two_regions)
    yield Case("symlink-outside-root", symlink_out, located=False)
    yield Case("symlink-loop", dir_symlink_loop)
    yield Case("directory-named-yaml", directory_named_yaml)
