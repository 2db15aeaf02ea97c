"""Every problem the loader reports names the file, line, column and field path.

Each case writes a small ledger in which ``⟨`` marks where the problem must point; the marker
is removed before the files are written, and its line and column are what the test expects.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from govcloud.i18n import MESSAGES
from govcloud.ledger import load, yamlio
from govcloud.problems import Problem

MARK = "⟨"
REGION = 'version: 1\nregion: {id: r, name: 测试省, region_code: "990000", as_of: "2026-06-30"}\n'
DEPT = 'department: {id: d, name: 甲局, level: province, region_code: "990000"}\n'
SITE = "sites:\n  - {id: room, name: 机房, kind: self_built}\n"


@dataclass
class Case:
    code: str
    files: dict[str, str]
    path: str
    severity: str = "error"
    without_region: bool = False
    extra: dict[str, bytes] = field(default_factory=dict)


CASES = [
    Case("yaml-syntax", {"d.yaml": DEPT + "sites: [\n  {id: a\n⟨"}, ""),  # where libyaml gives up
    Case(
        "duplicate-key",
        {"d.yaml": DEPT + "sites:\n  - id: a\n    name: x\n    kind: self_built\n    ⟨name: y\n"},
        "sites[0].name",
    ),
    Case("yaml-tag", {"d.yaml": DEPT + "sites: ⟨!!python/object/apply:os.system [ls]\n"}, "sites"),
    Case("yaml-key", {"d.yaml": DEPT + "⟨[a]: 1\n"}, ""),
    Case("empty-file", {"d.yaml": ""}, "", severity="warning"),
    Case("not-a-mapping", {"d.yaml": "⟨- a\n- b\n"}, ""),
    Case("schema-required", {"d.yaml": DEPT + "sites:\n  - ⟨{id: a, name: x}\n"}, "sites[0].kind"),
    Case(
        "schema-unknown-field",
        {"d.yaml": DEPT + SITE + "servers:\n  - {id: s, site: room, ⟨hostnmae: h, hostname: h}\n"},
        "servers[0].hostnmae",
    ),
    Case(
        "schema-type",
        {"d.yaml": DEPT + SITE + "servers:\n  - {id: s, site: room, hostname: h, cpu_cores: ⟨many}\n"},
        "servers[0].cpu_cores",
    ),
    Case("schema-enum", {"d.yaml": DEPT + "sites:\n  - {id: a, name: x, kind: ⟨bogus}\n"}, "sites[0].kind"),
    Case(
        "schema-range",
        {"d.yaml": DEPT + SITE + "servers:\n  - {id: s, site: room, hostname: h, cpu_p95_pct: ⟨140}\n"},
        "servers[0].cpu_p95_pct",
    ),
    Case(
        "schema-pattern",
        {"d.yaml": DEPT + "sites:\n  - {id: a, name: x, kind: self_built, contract_end: ⟨2027/01/01}\n"},
        "sites[0].contract_end",
    ),
    Case("schema-other", {"d.yaml": "version: ⟨2\n" + DEPT}, "version"),
    Case("region-missing", {"d.yaml": DEPT}, "", without_region=True),
    Case(
        "region-duplicate",
        {"z.yaml": 'region: ⟨{id: r2, name: 又一个, region_code: "990000", as_of: "2026-06-30"}\n'},
        "region",
    ),
    Case(
        "prices-duplicate",
        {"p1.yaml": "prices: {currency: CNY}\n", "p2.yaml": "prices: ⟨{currency: CNY}\n"},
        "prices",
    ),
    Case(
        "duplicate-id",
        {"d.yaml": DEPT + SITE + "  - {id: ⟨room, name: 又一个, kind: self_built}\n"},
        "sites[1].id",
    ),
    Case(
        "unknown-reference",
        {"d.yaml": DEPT + SITE + "servers:\n  - {id: s, site: ⟨rooom, hostname: h}\n"},
        "servers[0].site",
    ),
    Case(
        "owner-missing", {"loose.yaml": "sites:\n  - ⟨{id: a, name: x, kind: self_built}\n"}, "sites[0].owner"
    ),
    Case(
        "invalid-cidr",
        {"d.yaml": DEPT + "networks:\n  - {id: n, name: 专网, kind: private, cidrs: [⟨10.1.1.1/24]}\n"},
        "networks[0].cidrs[0]",
    ),
    Case(
        "invalid-ip",
        {"d.yaml": DEPT + SITE + "servers:\n  - {id: s, site: room, hostname: h, ips: [⟨10.1.300.1]}\n"},
        "servers[0].ips[0]",
    ),
    Case(
        "invalid-date",
        {"d.yaml": DEPT + 'sites:\n  - {id: a, name: x, kind: self_built, contract_end: ⟨"2023-02-30"}\n'},
        "sites[0].contract_end",
    ),
    Case(
        "self-dependency",
        {"d.yaml": DEPT + "systems:\n  - {id: x, name: 系统, mlps_level: 2, dependencies: [⟨{system: x}]}\n"},
        "systems[0].dependencies[0]",
    ),
    Case(
        "parent-cycle",
        {
            "d.yaml": 'departments:\n  - {id: a, name: 甲, level: city, region_code: "990100", parent: ⟨b}\n  - {id: b, name: 乙, level: city, region_code: "990100", parent: a}\n'
        },
        "departments[0].parent",
    ),
    Case(
        "racks-used-exceeds",
        {"d.yaml": DEPT + "sites:\n  - {id: a, name: x, kind: self_built, racks: 4, racks_used: ⟨9}\n"},
        "sites[0].racks_used",
        severity="warning",
    ),
    Case(
        "line-loop",
        {
            "d.yaml": DEPT
            + SITE
            + "lines:\n  - {id: l, carrier: telecom, bandwidth_mbps: 10, a_end: {site: room}, z_end: ⟨{site: room}}\n"
        },
        "lines[0].z_end",
        severity="warning",
    ),
    Case(
        "price-unknown-node",
        {
            "p.yaml": "prices:\n  instance_types:\n    - {cloud_node: ⟨nowhere, name: t, vcpus: 2, memory_gb: 4, monthly_cny: 1}\n"
        },
        "prices.instance_types[0].cloud_node",
    ),
    Case(
        "zone-duplicate",
        {
            "t.yaml": "cloud_nodes:\n  - {id: c, name: 云, provider: alicloud, region: cn-hangzhou, certified_mlps_level: 3, zones: [{id: z}, ⟨{id: z}]}\n"
        },
        "cloud_nodes[0].zones[1]",
    ),
]


def _write(root: Path, case: Case) -> tuple[str, int, int]:
    """Write the case's files; returns (file, line, column) of the marker."""
    where = ("", 0, 0)
    if not case.without_region:
        (root / "region.yaml").write_text(REGION, encoding="utf-8")
    for name, text in case.files.items():
        if MARK in text:
            before = text[: text.index(MARK)]
            where = (name, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        (root / name).write_text(text.replace(MARK, ""), encoding="utf-8")
    return where


def _problem(root: Path, code: str) -> Problem:
    result = load(root)
    found = [p for p in result.problems if p.code == code]
    assert found, [p.render("en") for p in result.problems]
    return found[0]


def _renders(problem: Problem) -> None:
    for lang in ("zh", "en"):
        for text in (problem.message(lang), problem.hint(lang), problem.render(lang)):
            assert text
            assert not re.search(r"\{[a-z_]+\}", text), text  # every placeholder filled
    assert problem.code in MESSAGES
    assert f"{problem.code}.hint" in MESSAGES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.code)
def test_problem_points_at_the_right_place(tmp_path: Path, case: Case) -> None:
    name, line, column = _write(tmp_path, case)
    problem = _problem(tmp_path, case.code)
    assert problem.severity == case.severity
    assert problem.path == case.path
    if name:
        assert Path(problem.file).name == name
        assert (problem.line, problem.column) == (line, column), problem.render("en")
    _renders(problem)
    result = load(tmp_path)
    assert (result.ledger is None) == (case.severity == "error")


def test_all_problems_are_reported_at_once_in_file_order(tmp_path: Path) -> None:
    (tmp_path / "region.yaml").write_text(REGION, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        DEPT + SITE + "servers:\n  - {id: s, site: nowhere, hostname: h, ips: [1.2.3]}\n", encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text(
        "sites:\n  - {id: x, name: x, kind: bogus, owner: d}\n  - {id: room, name: y, kind: self_built, owner: d}\n",
        encoding="utf-8",
    )
    codes = [(Path(p.file).name, p.code) for p in load(tmp_path).problems]
    assert codes == [
        ("a.yaml", "unknown-reference"),
        ("a.yaml", "invalid-ip"),
        ("b.yaml", "schema-enum"),
        ("b.yaml", "duplicate-id"),
    ]


def test_file_level_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _problem(tmp_path / "missing", "path-missing").line is None
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _problem(empty, "no-files").file == str(empty)
    root = tmp_path / "root"
    root.mkdir()
    (root / "region.yaml").write_text(REGION, encoding="utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text(DEPT, encoding="utf-8")
    os.symlink(outside, root / "link.yaml")
    assert Path(_problem(root, "outside-root").file).name == "link.yaml"
    (root / "link.yaml").unlink()
    (root / "gbk.yaml").write_bytes(("name: 测试\n").encode("gbk"))
    gbk = _problem(root, "encoding-not-utf8")
    assert (gbk.line, gbk.column) == (1, 7)
    assert "GB18030" in gbk.message("en")
    (root / "gbk.yaml").unlink()
    (root / "bin.yaml").write_bytes(b"version: 1\n\x00\x01\x02")
    assert _problem(root, "binary-file").line == 2
    (root / "bin.yaml").unlink()
    (root / "u16.yaml").write_bytes(b"\xff\xfeA\x00\x00\xd8")
    assert _problem(root, "encoding-invalid").code == "encoding-invalid"
    (root / "u16.yaml").unlink()
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 10)
    (root / "big.yaml").write_text(DEPT, encoding="utf-8")
    assert _problem(root, "file-too-large").code == "file-too-large"


def test_hostile_yaml_is_refused_fast(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join('*' + chr(97 + i) for _ in range(9))}]\n"
        for i in range(8)
    )
    (tmp_path / "bomb.yaml").write_text(bomb, encoding="utf-8")
    assert _problem(tmp_path, "alias-bomb").code == "alias-bomb"
    (tmp_path / "bomb.yaml").unlink()
    (tmp_path / "deep.yaml").write_text("a: " + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    assert _problem(tmp_path, "too-deep").code == "too-deep"


def test_chinese_directory_and_file_names_in_messages(tmp_path: Path) -> None:
    root = tmp_path / "海岳省台账"
    (root / "部门").mkdir(parents=True)
    (root / "region.yaml").write_text(REGION, encoding="utf-8")
    (root / "部门" / "省公安厅.yaml").write_text(
        DEPT + "sites:\n  - {id: a, name: x, kind: 机房}\n", encoding="utf-8"
    )
    problem = _problem(root, "schema-enum")
    assert problem.file.endswith("部门/省公安厅.yaml")
    assert "省公安厅.yaml:3:" in problem.render("zh")
    shutil.rmtree(root)
