"""govcloud.ledger.files: which files make up a ledger, in what order, and reading them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govcloud.ledger import load
from govcloud.ledger.files import Finding, LedgerFile, discover, finalise, read
from tests.ledger.helpers import MINI, REGION, copy_mini, locate, write

DEPT = 'department: {id: d, name: 甲局, level: province, region_code: "990000"}\n'


def _names(files: list[LedgerFile], root: Path) -> list[str]:
    return [Path(f.name).relative_to(root).as_posix() for f in files]


def test_discover_order_is_sorted_by_relative_path(tmp_path: Path) -> None:
    root = tmp_path / "台账"
    # written in reverse so the order cannot come from the directory
    for relative in reversed(
        [
            "a-b.yaml",
            "a.yml",
            "b.yaml",
            "b/c.yaml",
            "b/d/e.yaml",
            "region.yaml",
            "z.yaml",
            "部门/公安厅.yaml",
            "部门/卫健委.yml",
            "部门/市级/教育局.yaml",
        ]
    ):
        write(root, relative, "version: 1\n")
    files, problems = discover(root)
    assert problems == []
    # '-' < '.' < '/' < letters < CJK, compared by code point over the whole relative path
    assert _names(files, root) == [
        "a-b.yaml",
        "a.yml",
        "b.yaml",
        "b/c.yaml",
        "b/d/e.yaml",
        "region.yaml",
        "z.yaml",
        "部门/公安厅.yaml",
        "部门/卫健委.yml",
        "部门/市级/教育局.yaml",
    ]
    assert all(f.name == str(f.path) for f in files)
    assert all(f.document is None for f in files)  # discovering reads nothing


def test_discover_skips_hidden_and_other_files(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write(root, "region.yaml", REGION)
    for skipped in (
        ".hidden.yaml",
        ".git/config.yaml",
        "部门/.草稿/公安厅.yaml",
        ".部门/卫健委.yaml",
        "notes.txt",
        "region.yaml.bak",
        "region.yaml~",
        "data.json",
        "README",
        "UPPER.YAML",  # suffixes are matched as written
    ):
        write(root, skipped, "version: 1\n")
    files, problems = discover(root)
    assert (_names(files, root), problems) == (["region.yaml"], [])


def test_discover_mini(tmp_path: Path) -> None:
    files, problems = discover(MINI)
    assert problems == []
    assert _names(files, MINI) == [
        "departments/公安厅.yaml",
        "departments/卫健委.yaml",
        "prices.yaml",
        "region.yaml",
        "targets.yaml",
    ]


def test_discover_a_relative_root_names_files_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_mini(tmp_path, "海岳省")
    monkeypatch.chdir(tmp_path)
    files, _ = discover(Path("海岳省"))
    assert [f.name for f in files][:2] == ["海岳省/departments/公安厅.yaml", "海岳省/departments/卫健委.yaml"]
    result = load("海岳省")
    assert result.ok
    assert result.files == [f.name for f in files]
    # what outputs show is made relative to the root once, here, and carried by each source
    assert [f.relative for f in files][:2] == ["departments/公安厅.yaml", "departments/卫健委.yaml"]
    assert result.ledger is not None
    site = result.ledger.sites["wjw-room"].source
    assert (site.file, site.relative, site.shown) == (
        "海岳省/departments/卫健委.yaml",
        "departments/卫健委.yaml",
        "departments/卫健委.yaml",
    )


def test_problems_name_chinese_paths_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_mini(tmp_path, "海岳省台账")
    (root / "departments").rename(root / "部门")
    path = root / "部门" / "卫健委.yaml"
    text = path.read_text(encoding="utf-8").replace("site: wjw-room", "site: 不存在的机房")
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [problem] = load("海岳省台账").problems
    line, column = locate(text, "不存在的机房")
    assert problem.file == "海岳省台账/部门/卫健委.yaml"
    assert problem.render("zh").startswith(
        f"海岳省台账/部门/卫健委.yaml:{line}:{column}: 错误 [unknown-reference]"
    )


# ---- a single file --------------------------------------------------------------------------------


SINGLE = (
    REGION
    + DEPT
    + "sites:\n  - {id: room, name: 机房, kind: self_built}\n"
    + "servers:\n  - {id: s1, site: room, hostname: 主机}\n"
)


@pytest.mark.parametrize("name", ["ledger.yaml", "ledger.yml", "台账.yaml", "ledger.txt", ".hidden.yaml"])
def test_single_file_path(tmp_path: Path, name: str) -> None:
    """A file named on the command line is read whatever its name."""
    path = write(tmp_path, name, SINGLE)
    write(tmp_path, "other.yaml", "this: is not read\n")
    files, problems = discover(path)
    assert problems == []
    assert [(f.name, f.path, f.relative) for f in files] == [(str(path), path, name)]
    result = load(path)
    assert result.problems == []
    assert result.files == [str(path)]
    assert result.ledger is not None
    assert sorted(result.ledger.servers) == ["s1"]
    assert result.ledger.servers["s1"].source.shown == name  # a one-file ledger: its name


def test_single_file_problems_name_that_file(tmp_path: Path) -> None:
    text = SINGLE.replace("site: room", "site: rooom")
    path = write(tmp_path, "一本账.yaml", text)
    [problem] = load(path).problems
    assert (problem.file, problem.code, problem.path) == (str(path), "unknown-reference", "servers[0].site")
    assert (problem.line, problem.column) == locate(text, "rooom")


def test_single_file_without_a_region(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", DEPT)
    [problem] = load(path).problems
    assert (problem.code, problem.file, problem.line) == ("region-missing", str(path), None)


# ---- what is not a ledger -------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "没有"
    files, problems = discover(missing)
    assert files == []
    assert problems == [Finding(str(missing), (), "path-missing", params={"where": str(missing)})]


@pytest.mark.parametrize("contents", [[], [".hidden.yaml", "notes.txt", ".git/x.yaml"]])
def test_no_files(tmp_path: Path, contents: list[str]) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    for relative in contents:
        write(root, relative, "version: 1\n")
    files, problems = discover(root)
    assert files == []
    assert problems == [Finding(str(root), (), "no-files", params={"where": str(root)})]
    [problem] = load(root).problems  # and no follow-on "no region"
    assert problem.code == "no-files"


def test_links(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write(root, "region.yaml", REGION)
    outside = write(tmp_path, "outside.yaml", DEPT)
    os.symlink(outside, root / "外部.yaml")
    os.symlink(root / "region.yaml", root / "inside.yaml")
    os.symlink("../ledger/region.yaml", root / "relative-inside.yaml")
    files, problems = discover(root)
    assert _names(files, root) == ["inside.yaml", "region.yaml", "relative-inside.yaml"]
    assert problems == [
        Finding(str(root / "外部.yaml"), (), "outside-root", params={"detail": str(outside.resolve())})
    ]


def test_only_links_outside_is_not_no_files(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    root.mkdir()
    outside = write(tmp_path, "outside.yaml", DEPT)
    os.symlink(outside, root / "a.yaml")
    files, problems = discover(root)
    assert files == []
    assert [p.code for p in problems] == ["outside-root"]


def test_linked_folder_outside_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write(root, "region.yaml", REGION)
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere, "卫健委.yaml", DEPT)
    os.symlink(elsewhere, root / "departments")
    result = load(root)
    # today: no problem at all, and the department silently missing from the ledger
    assert [p.code for p in result.problems] == ["outside-root"]
    assert result.problems[0].file.startswith(str(root / "departments"))


# ---- read and finalise ------------------------------------------------------------------------------


def test_read_sets_the_document(tmp_path: Path) -> None:
    ledger_file = LedgerFile("d.yaml", write(tmp_path, "d.yaml", DEPT))
    assert read(ledger_file) == []
    assert ledger_file.document == {
        "department": {"id": "d", "name": "甲局", "level": "province", "region_code": "990000"}
    }


@pytest.mark.parametrize(
    ("content", "code", "severity", "line", "column"),
    [
        ("", "empty-file", "warning", None, None),
        ("- a\n", "not-a-mapping", "error", None, None),  # positioned when the problems are finalised
        ("a: [\n", "yaml-syntax", "error", 2, 1),
        ("a: 1\na: 2\n", "duplicate-key", "error", 2, 1),
        ("名称: 测试".encode("gbk"), "encoding-not-utf8", "error", 1, 1),
    ],
)
def test_read_problems(
    tmp_path: Path, content: str | bytes, code: str, severity: str, line: int | None, column: int | None
) -> None:
    ledger_file = LedgerFile("f.yaml", write(tmp_path, "f.yaml", content))
    [finding] = read(ledger_file)
    assert (finding.file, finding.code, finding.severity) == ("f.yaml", code, severity)
    assert (finding.line, finding.column) == (line, column)
    assert ledger_file.document is None


def test_read_a_file_that_went_away(tmp_path: Path) -> None:
    [finding] = read(LedgerFile("gone.yaml", tmp_path / "gone.yaml"))
    assert finding.code == "file-unreadable"
    assert finding.params == {"detail": "No such file or directory"}


def test_finalise_locates_sorts_and_deduplicates(tmp_path: Path) -> None:
    text = DEPT + "sites:\n  - {id: a, name: x, kind: self_built}\n  - {id: b, name: y, kind: bogus}\n"
    files = [LedgerFile("b.yaml", write(tmp_path, "b.yaml", text)), LedgerFile("a.yaml", tmp_path / "a.yaml")]
    findings = [
        Finding("b.yaml", ("sites", 1, "kind"), "schema-enum", params={"value": "bogus"}),
        Finding("b.yaml", ("sites", 0, "extra"), "schema-unknown-field", at_key=True),
        Finding("b.yaml", ("sites", 1, "kind"), "schema-enum", params={"value": "bogus"}),  # same again
        Finding("a.yaml", ("x",), "yaml-syntax", line=7, column=3),  # a position already known
        Finding("b.yaml", (), "empty-file", severity="warning"),
        Finding("c.yaml", ("sites", 0), "schema-type"),  # a file it does not know
    ]
    problems = finalise(findings, files)
    assert [(p.file, p.line, p.column, p.path, p.code) for p in problems] == [
        ("a.yaml", 7, 3, "x", "yaml-syntax"),
        ("b.yaml", None, None, "", "empty-file"),
        ("b.yaml", *locate(text, "{id: a"), "sites[0].extra", "schema-unknown-field"),
        ("b.yaml", *locate(text, "bogus"), "sites[1].kind", "schema-enum"),
        ("c.yaml", None, None, "sites[0]", "schema-type"),
    ]
