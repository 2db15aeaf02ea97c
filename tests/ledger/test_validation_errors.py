"""Every problem code the loader can produce, each pinned to its file, line, column and field.

Each case starts from a private copy of ``tests/fixtures/mini`` (a valid ledger), breaks one
thing, and says where the problem must point by naming the offending token in the text it
wrote; the expected line and column are computed from that text.  Every case also goes through
``govcloud validate`` (text and JSON) to check exit codes and that nothing crashes.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import govcloud.ledger
from govcloud import cli as cli_module
from govcloud.i18n import MESSAGES, Lang
from govcloud.ledger import load, yamlio
from govcloud.problems import Problem, Severity
from tests.ledger.helpers import (
    MINI,
    assert_renders,
    copy_mini,
    edit,
    locate,
    only,
    run_cli,
    with_code,
    write,
)

GAT = "departments/公安厅.yaml"
WJW = "departments/卫健委.yaml"

Setup = Callable[[Path], str]


@dataclass(frozen=True)
class Case:
    """One way to break the mini ledger and what the loader must say about it.

    ``setup`` changes the ledger at ``root`` and returns the text of ``file`` (relative to
    ``root``; ``""`` means the ledger path itself).  ``token`` is the text the problem points
    at (its ``nth`` occurrence after ``after``); ``None`` when the problem has no position.
    ``en``/``zh`` are fragments the message or hint must contain; ``<root>`` stands for the
    ledger folder.
    """

    id: str
    code: str
    setup: Setup
    file: str
    token: str | None
    path: str
    severity: Severity = "error"
    nth: int = 1
    after: str = ""
    line_only: bool = False
    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    target: str = ""  # load root / target instead of root
    max_file_bytes: int | None = None


# ---- setups ----------------------------------------------------------------------------------


def _no_region(root: Path) -> str:
    (root / "region.yaml").unlink()
    return ""


def _empty_dir(root: Path) -> str:
    shutil.rmtree(root)
    root.mkdir()
    write(root, ".hidden.yaml", "version: 1\n")
    write(root, "notes.txt", "version: 1\n")
    write(root, ".git/config.yaml", "version: 1\n")
    return ""


def _dangling_link(root: Path) -> str:
    os.symlink(root / "departments" / "gone.yaml", root / "departments" / "断链.yaml")
    return ""


def _outside_link(root: Path) -> str:
    outside = root.parent / "outside.yaml"
    outside.write_text(
        'department: {id: x, name: 外, level: city, region_code: "990100"}\n', encoding="utf-8"
    )
    os.symlink(outside, root / "departments" / "外部.yaml")
    return ""


def _too_large(root: Path) -> str:
    write(root, "big.yaml", "# " + "x" * (1024 * 1024) + "\n")
    return ""


GBK_TEXT = 'version: 1\ndepartment:\n  id: gat2\n  name: 测试局\n  level: 省级\n  region_code: "990000"\n'


def _gbk(root: Path) -> str:
    write(root, "departments/测试局.yaml", GBK_TEXT.encode("gbk"))
    return GBK_TEXT


def _utf16_broken(root: Path) -> str:
    data = "\ufeffversion: 1\n".encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate
    write(root, "u16.yaml", data)
    return ""


BINARY_TEXT = "version: 1\nregion:\n\x00\x01\x02\n"


def _binary(root: Path) -> str:
    write(root, "bin.yaml", BINARY_TEXT.encode())
    return BINARY_TEXT


def _new(relative: str, text: str) -> Setup:
    def setup(root: Path) -> str:
        write(root, relative, text)
        return text

    return setup


def _edit(relative: str, old: str, new: str) -> Setup:
    def setup(root: Path) -> str:
        return edit(root, relative, old, new)

    return setup


def _parent_cycle(root: Path) -> str:
    edit(root, WJW, "  level: province\n", "  level: province\n  parent: gat\n")
    return edit(root, GAT, "  level: 省级\n", "  level: 省级\n  parent: wjw\n")


def _bomb() -> str:
    """Nine levels of ten aliases each: 10^8 values from 19 nodes."""
    keys = "abcdefghi"
    lines = ["a: &a x"]
    for prev, key in itertools.pairwise(keys):
        lines.append(f"{key}: &{key} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


BOMB = _bomb()
DEEP = "a: " + "[" * 70 + "]" * 70 + "\n"
MERGE = "base: &base {kind: vm, site: wjw-room}\nservers:\n  - <<: *base\n    id: m1\n    hostname: m1\n"
LOOSE = "networks:\n  - {id: 无主网, name: 无主专网, kind: private}\n"
DUP_SERVER = "servers:\n  - {id: gat-srv-01, owner: wjw, site: wjw-room, hostname: 重复}\n"
DUP_DEPT = 'department: {id: gat, name: 又一个公安厅, level: 省级, region_code: "990000"}\n'
REGION2 = 'region: {id: r2, name: 又一个省, region_code: "990000", as_of: "2026-06-30"}\n'


CASES: list[Case] = [
    # ---- the ledger path and its files
    Case(
        "path-missing",
        "path-missing",
        lambda root: "",
        "nowhere",
        None,
        "",
        target="nowhere",
        en=("path does not exist: <root>/nowhere",),
        zh=("路径不存在：<root>/nowhere",),
    ),
    Case(
        "no-files",
        "no-files",
        _empty_dir,
        "",
        None,
        "",
        en=("no .yaml/.yml files under <root>",),
        zh=("在 <root> 下没有找到 .yaml/.yml 文件",),
    ),
    Case(
        "file-unreadable-dangling-link",
        "file-unreadable",
        _dangling_link,
        "departments/断链.yaml",
        None,
        "",
        en=("cannot read the file: No such file or directory",),
        zh=("无法读取文件",),
    ),
    Case(
        "outside-root",
        "outside-root",
        _outside_link,
        "departments/外部.yaml",
        None,
        "",
        en=("file is a link that leads outside the inventory directory: <root>/../outside.yaml",),
        zh=("文件是指向台账目录之外的链接",),
    ),
    Case(
        "file-too-large",
        "file-too-large",
        _too_large,
        "big.yaml",
        None,
        "",
        max_file_bytes=1024 * 1024,
        en=("file is larger than 1 MiB", "split it into one file per department"),
        zh=("文件超过 1 MiB",),
    ),
    Case(
        "encoding-not-utf8-gbk",
        "encoding-not-utf8",
        _gbk,
        "departments/测试局.yaml",
        "测试局",
        "",
        en=("file is not UTF-8 (it looks like GB18030/GBK)", "iconv -f GB18030 -t UTF-8"),
        zh=("文件不是 UTF-8 编码（看起来像 GB18030/GBK）", "iconv -f GB18030 -t UTF-8"),
    ),
    Case(
        "encoding-invalid-utf16",
        "encoding-invalid",
        _utf16_broken,
        "u16.yaml",
        None,
        "",
        en=("the file's UTF-16 encoding is broken",),
        zh=("文件的 UTF-16 编码已损坏",),
    ),
    Case(
        "binary-file",
        "binary-file",
        _binary,
        "bin.yaml",
        "\x00",
        "",
        line_only=True,
        en=("file contains NUL bytes", "govcloud import"),
        zh=("不是文本文件",),
    ),
    # ---- YAML
    Case(
        "yaml-syntax-colon",
        "yaml-syntax",
        _edit(WJW, "    name: 卫健委门户网站\n", "    name: 卫健委: 门户网站\n"),
        WJW,
        ": 门户网站",
        "",
        en=("YAML syntax error: mapping values are not allowed",),
        zh=("YAML 语法错误：",),
    ),
    Case(
        "yaml-syntax-tab",
        "yaml-syntax",
        _edit(WJW, "    hostname: wjw-web-01\n", "\thostname: wjw-web-01\n"),
        WJW,
        "\thostname",
        "",
        en=("YAML syntax error:", "indent with spaces (no tabs)"),
    ),
    Case(
        "yaml-syntax-bad-int",
        "yaml-syntax",
        _edit(GAT, "cpu_cores: 16", "cpu_cores: !!int sixteen"),
        GAT,
        "!!int",
        "servers[0].cpu_cores",
        en=("YAML syntax error:", "sixteen"),
    ),
    Case(
        "duplicate-key",
        "duplicate-key",
        _edit(GAT, "    serial: SN-GAT-0001\n", "    serial: SN-GAT-0001\n    hostname: gat-app-02\n"),
        GAT,
        "hostname: gat-app-02",
        "servers[0].hostname",
        en=("key 'hostname' appears twice in one mapping",),
        zh=("同一映射中键 'hostname' 出现了两次",),
    ),
    Case(
        "yaml-tag-python",
        "yaml-tag",
        _edit(WJW, "internet_facing: true", "internet_facing: !!python/object/apply:os.system [ls]"),
        WJW,
        "!!python",
        "systems[0].internet_facing",
        en=("YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",),
        zh=("不允许使用 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system",),
    ),
    Case(
        "yaml-tag-custom",
        "yaml-tag",
        _edit(WJW, "category: 门户", "category: !foo 门户"),
        WJW,
        "!foo",
        "systems[0].category",
        en=("YAML tag !foo is not allowed", "remove the tag"),
    ),
    Case(
        "yaml-tag-binary",
        "yaml-tag",
        _edit(GAT, "serial: SN-GAT-0001", "serial: !!binary U04tR0FULTAwMDE="),
        GAT,
        "!!binary",
        "servers[0].serial",
        en=("YAML tag tag:yaml.org,2002:binary is not allowed",),
    ),
    Case(
        "yaml-key-complex",
        "yaml-key",
        _edit(WJW, "    kind: vm\n", "    kind: vm\n    [a, b]: 1\n"),
        WJW,
        "[a, b]",
        "servers[0]",
        en=("mapping keys must be plain text",),
        zh=("映射的键必须是普通文本",),
    ),
    Case(
        "yaml-key-merge",
        "yaml-key",
        _new("merge.yaml", MERGE),
        "merge.yaml",
        "<<",
        "servers[0]",
        en=("no '<<' merge keys",),
    ),
    Case(
        "alias-bomb",
        "alias-bomb",
        _new("bomb.yaml", BOMB),
        "bomb.yaml",
        # aliases share their anchor's node: the budget of 10 000 values runs out on the 10 001st,
        # an `x` reached through e[7] (8th d) → [8] (9th c) → [8] (9th b) → [8] (9th x)
        "&a x",
        "e[7][8][8][8]",
        en=("billion laughs",),
        zh=("十亿笑声",),
    ),
    Case(
        "too-deep",
        "too-deep",
        _new("deep.yaml", DEEP),
        "deep.yaml",
        "[",
        "a" + "[0]" * 64,
        nth=yamlio.MAX_DEPTH + 1,
        en=("nested deeper than 64 levels",),
        zh=("嵌套超过 64 层",),
    ),
    Case(
        "empty-file",
        "empty-file",
        _new("departments/空.yaml", ""),
        "departments/空.yaml",
        None,
        "",
        severity="warning",
        en=("file is empty",),
        zh=("文件为空",),
    ),
    Case(
        "empty-file-comment-only",
        "empty-file",
        _new("departments/待填.yaml", "# 待填写\n---\n"),
        "departments/待填.yaml",
        None,
        "",
        severity="warning",
    ),
    Case(
        "not-a-mapping-list",
        "not-a-mapping",
        _new("list.yaml", "- gat\n- wjw\n"),
        "list.yaml",
        "- gat",
        "",
        en=("the top level must be a mapping",),
        zh=("顶层必须是映射",),
    ),
    Case(
        "not-a-mapping-scalar",
        "not-a-mapping",
        _new("text.yaml", "只是一段文字\n"),
        "text.yaml",
        "只是",
        "",
    ),
    # ---- the schema
    Case(
        "schema-required",
        "schema-required",
        _edit(WJW, "    hostname: wjw-web-01\n", ""),
        WJW,
        "id: wjw-srv-01",
        "servers[0].hostname",
        en=("required field 'hostname' is missing", "add hostname: …"),
        zh=("缺少必填字段 'hostname'", "添加 hostname: …"),
    ),
    Case(
        "schema-unknown-field-typo",
        "schema-unknown-field",
        _edit(GAT, "hostname: gat-app-01", "hostnmae: gat-app-01"),
        GAT,
        "hostnmae",
        "servers[0].hostnmae",
        en=("unknown field 'hostnmae'", "did you mean 'hostname'?", "allowed fields: arch, asset_tag"),
        zh=("未知字段 'hostnmae'", "是否想写 'hostname'？"),
    ),
    Case(
        "schema-unknown-field-top-level",
        "schema-unknown-field",
        _edit(WJW, "systems:\n", "serveres: []\nsystems:\n"),
        WJW,
        "serveres",
        "serveres",
        en=("did you mean 'servers'?",),
    ),
    Case(
        "schema-type-integer",
        "schema-type",
        _edit(GAT, "cpu_cores: 16", "cpu_cores: many"),
        GAT,
        "many",
        "servers[0].cpu_cores",
        en=("expected a whole number, found text", "write a whole number"),
        zh=("应为 整数，实际是 文本",),
    ),
    Case(
        "schema-type-unquoted-region-code",
        "schema-type",
        _edit("region.yaml", 'region_code: "990000"', "region_code: 990000"),
        "region.yaml",
        "990000",
        "region.region_code",
        en=("expected text, found a whole number",),
    ),
    Case(
        "schema-enum-typo",
        "schema-enum",
        _edit(GAT, "kind: 自建", "kind: self_biult"),
        GAT,
        "self_biult",
        "sites[0].kind",
        en=("'self_biult' is not a known", "did you mean 'self_built'?", "self_built, co_located"),
        zh=("'self_biult' 不是有效的", "是否想写 'self_built'？"),
    ),
    Case(
        "schema-enum-chinese-typo",
        "schema-enum",
        _edit(GAT, "kind: 物理机", "kind: 物理鸡"),
        GAT,
        "物理鸡",
        "servers[0].kind",
        en=("'物理鸡' is not a known", "did you mean 'physical'?"),
    ),
    Case(
        "schema-range-maximum",
        "schema-range",
        _edit(GAT, "cpu_p95_pct: 12", "cpu_p95_pct: 140"),
        GAT,
        "140",
        "servers[0].cpu_p95_pct",
        en=("140 is out of range (≤ 100)",),
        zh=("140 超出范围（≤ 100）",),
    ),
    Case(
        "schema-range-minimum",
        "schema-range",
        _edit(GAT, "pue: 1.9", "pue: 0.5"),
        GAT,
        "0.5",
        "sites[0].pue",
        en=("0.5 is out of range (≥ 1)",),
    ),
    Case(
        "schema-pattern-date",
        "schema-pattern",
        _edit(GAT, '"2020-02-29"', '"2020/02/29"'),
        GAT,
        '"2020/02/29"',
        "servers[0].purchase_date",
        en=("'2020/02/29' is not in the expected form: a date, YYYY-MM-DD",),
        zh=("'2020/02/29' 格式不对：日期格式 YYYY-MM-DD",),
    ),
    Case(
        "schema-pattern-region-code",
        "schema-pattern",
        _edit(WJW, '  region_code: "990000"', '  region_code: "99000"'),
        WJW,
        '"99000"',
        "department.region_code",
        en=("'99000' is not in the expected form: a 6-digit region code",),
        zh=("6 位行政区划代码",),
    ),
    Case(
        "schema-pattern-id",
        "schema-pattern",
        _edit(WJW, "  - id: wjw-portal\n", "  - id: wjw portal\n"),
        WJW,
        "wjw portal",
        "systems[0].id",
        en=("'wjw portal' is not in the expected form: an id that does not start with .",),
    ),
    Case(
        "schema-other-line-end",
        "schema-other",
        _edit(GAT, "a_end: {site: gat-room}", "a_end: {site: gat-room, address: 解放路 1 号}"),
        GAT,
        "{site: gat-room, address",
        "lines[0].a_end",
        en=("a line end names exactly one of site, access_point, cloud_node, address",),
        zh=("专线端点必须且只能写",),
    ),
    Case(
        "schema-other-version",
        "schema-other",
        _edit("prices.yaml", "version: 1", "version: 2"),
        "prices.yaml",
        "2",
        "version",
        en=("must be 1",),
        zh=("必须是 1",),
    ),
    Case(
        "schema-other-unique",
        "schema-other",
        _edit(WJW, "servers: [wjw-srv-01]", "servers: [wjw-srv-01, wjw-srv-01]"),
        WJW,
        "[wjw-srv-01, wjw-srv-01]",
        "systems[0].servers",
        en=("the list has repeated items: ['wjw-srv-01', 'wjw-srv-01']",),
    ),
    # ---- the ledger as a whole
    Case(
        "region-missing",
        "region-missing",
        _no_region,
        "",
        None,
        "",
        en=("no region: is defined", "region: {id, name, region_code, as_of}"),
        zh=("没有定义 region:",),
    ),
    Case(
        "region-duplicate",
        "region-duplicate",
        _new("zz.yaml", REGION2),
        "zz.yaml",
        "{id: r2",
        "region",
        en=("region: is defined more than once (also at <root>/region.yaml region)",),
        zh=("region: 定义了多次（另见 <root>/region.yaml region）",),
    ),
    Case(
        "prices-duplicate",
        "prices-duplicate",
        _new("zz.yaml", "prices:\n  currency: CNY\n"),
        "zz.yaml",
        "currency: CNY",
        "prices",
        en=("prices: is defined more than once (also at <root>/prices.yaml prices)",),
    ),
    Case(
        "duplicate-id-across-files",
        "duplicate-id",
        _new("departments/重复.yaml", DUP_SERVER),
        "departments/重复.yaml",
        "gat-srv-01",
        "servers[0].id",
        en=(
            "server id 'gat-srv-01' is defined more than once "
            "(also at <root>/departments/公安厅.yaml servers[0])",
        ),
        zh=("服务器 的 id 'gat-srv-01' 重复（另见 <root>/departments/公安厅.yaml servers[0]）",),
    ),
    Case(
        "duplicate-id-same-file",
        "duplicate-id",
        _edit(WJW, "servers:\n", "  - {id: wjw-room, name: 又一个机房, kind: self_built}\nservers:\n"),
        WJW,
        "wjw-room",
        "sites[1].id",
        after="  - {id: ",
        en=(
            "site id 'wjw-room' is defined more than once (also at <root>/departments/卫健委.yaml sites[0])",
        ),
    ),
    Case(
        "duplicate-id-department",
        "duplicate-id",
        _new("departments/又一个.yaml", DUP_DEPT),
        "departments/又一个.yaml",
        "gat",
        "department.id",
        en=(
            "department id 'gat' is defined more than once (also at <root>/departments/公安厅.yaml department)",
        ),
    ),
    Case(
        "unknown-reference-server-site",
        "unknown-reference",
        _edit(WJW, "site: wjw-room", "site: wjw-rom"),
        WJW,
        "wjw-rom",
        "servers[0].site",
        en=("no site has the id 'wjw-rom'", "did you mean 'wjw-room'?"),
        zh=("没有 id 为 'wjw-rom' 的机房", "是否想写 'wjw-room'？"),
    ),
    Case(
        "unknown-reference-site-equipment-network",
        "unknown-reference",
        _edit(
            WJW,
            '    contract_end: "2027-12-31"\n',
            '    contract_end: "2027-12-31"\n    equipment: [{kind: 交换机, count: 2, networks: [gat-privat]}]\n',
        ),
        WJW,
        "gat-privat",
        "sites[0].equipment[0].networks[0]",
        en=("no network has the id 'gat-privat'", "did you mean 'gat-private'?"),
    ),
    Case(
        "unknown-reference-dependency",
        "unknown-reference",
        _edit(GAT, "{system: wjw-portal,", "{system: wjw-portl,"),
        GAT,
        "wjw-portl",
        "systems[0].dependencies[0].system",
        en=("no system has the id 'wjw-portl'", "did you mean 'wjw-portal'?"),
    ),
    Case(
        "unknown-reference-line-access-point",
        "unknown-reference",
        _edit(GAT, "z_end: {access_point: ap-prov}", "z_end: {access_point: 县级接入点}"),
        GAT,
        "县级接入点",
        "lines[0].z_end.access_point",
        en=("no extranet access point has the id '县级接入点'",),
        zh=("没有 id 为 '县级接入点' 的外网接入点",),
    ),
    Case(
        "unknown-reference-department-parent",
        "unknown-reference",
        _edit(WJW, "  level: province\n", "  level: province\n  parent: gta\n"),
        WJW,
        "gta",
        "department.parent",
        en=("no department has the id 'gta'", "did you mean 'gat'?"),
    ),
    Case(
        "owner-missing",
        "owner-missing",
        _new("loose.yaml", LOOSE),
        "loose.yaml",
        "{id: 无主网",
        "networks[0].owner",
        en=("no owner: this file has no department:", "add owner: <department id>"),
        zh=("没有归属部门",),
    ),
    Case(
        "invalid-cidr-host-bits",
        "invalid-cidr",
        _edit(GAT, "cidrs: [10.64.1.0/24]", "cidrs: [10.64.1.1/24]"),
        GAT,
        "10.64.1.1/24",
        "networks[0].cidrs[0]",
        en=(
            "'10.64.1.1/24' is not a valid CIDR (10.64.1.1/24 has host bits set)",
            "did you mean '10.64.1.0/24'?",
        ),
        zh=("'10.64.1.1/24' 不是有效的 CIDR", "是否想写 '10.64.1.0/24'？"),
    ),
    Case(
        "invalid-cidr-prefix",
        "invalid-cidr",
        _edit("region.yaml", "address_plan: [10.64.0.0/10]", "address_plan: [10.64.0.0/33]"),
        "region.yaml",
        "10.64.0.0/33",
        "region.address_plan[0]",
        en=("'10.64.0.0/33' is not a valid CIDR",),
    ),
    Case(
        "invalid-ip",
        "invalid-ip",
        _edit(GAT, "ips: [10.64.1.10]", "ips: [10.64.1.300]"),
        GAT,
        "10.64.1.300",
        "servers[0].ips[0]",
        en=("'10.64.1.300' is not a valid IP address",),
        zh=("'10.64.1.300' 不是有效的 IP 地址",),
    ),
    Case(
        "invalid-ip-mgmt",
        "invalid-ip",
        _edit(WJW, "    kind: vm\n", "    kind: vm\n    mgmt_ip: 10.64.2\n"),
        WJW,
        "10.64.2",
        "servers[0].mgmt_ip",
    ),
    Case(
        "folded-width-ip",
        "folded-width",
        _edit(GAT, "ips: [10.64.1.10]", "ips: [１０．６４．１．１０]"),
        GAT,
        "１０．６４．１．１０",
        "servers[0].ips[0]",
        severity="warning",
        en=("'１０．６４．１．１０' has full-width characters; read as '10.64.1.10'",),
        zh=("已按 '10.64.1.10' 读取",),
    ),
    Case(
        "folded-width-number",
        "folded-width",
        _edit(GAT, "cpu_cores: 16", "cpu_cores: １６"),
        GAT,
        "１６",
        "servers[0].cpu_cores",
        severity="warning",
    ),
    Case(
        "folded-width-cidr",
        "folded-width",
        _edit(GAT, "cidrs: [10.64.1.0/24]", "cidrs: [10。64。1。0／24]"),
        GAT,
        "10。64。1。0／24",
        "networks[0].cidrs[0]",
        severity="warning",
        en=("read as '10.64.1.0/24'",),
    ),
    Case(
        "id-confusable",
        "id-confusable",
        _edit(GAT, "networks:\n", "networks:\n  - id: gat-vіdeo\n    name: 视频专网\n    kind: 专网\n"),
        GAT,
        "gat-vіdeo",
        "networks[0].id",
        severity="warning",
        en=("looks like 'gat-video'", "і (U+0456)"),
        zh=("看起来像 'gat-video'",),
    ),
    Case(
        "invalid-date",
        "invalid-date",
        _edit(GAT, '"2020-02-29"', '"2023-02-30"'),
        GAT,
        '"2023-02-30"',
        "servers[0].purchase_date",
        en=("'2023-02-30' is not a real date", "write YYYY-MM-DD"),
        zh=("'2023-02-30' 不是真实存在的日期",),
    ),
    Case(
        "invalid-date-not-leap-year",
        "invalid-date",
        _edit(WJW, '"2027-12-31"', '"2026-02-29"'),
        WJW,
        '"2026-02-29"',
        "sites[0].contract_end",
    ),
    Case(
        "date-out-of-range",
        "date-out-of-range",
        _edit(GAT, '"2020-02-29"', '"9999-12-31"'),
        GAT,
        '"9999-12-31"',
        "servers[0].purchase_date",
        en=("date 9999-12-31 is not between the years 1900 and 2200",),
        zh=("不在 1900 至 2200 年之间",),
    ),
    Case(
        "id-invisible-bidi",
        "id-invisible",
        _edit(GAT, "  - id: gat-srv-01\n", '  - id: "gat-srv-01\\u202e"\n'),
        GAT,
        '"gat-srv-01\\u202e"',
        "servers[0].id",
        en=("U+202E RIGHT-TO-LEFT OVERRIDE", "gat-srv-01\\u202e"),
        zh=("不可见字符",),
    ),
    Case(
        "not-regular-file-fifo",
        "not-regular-file",
        lambda root: (os.mkfifo(root / "departments" / "管道.yaml"), "")[1],
        "departments/管道.yaml",
        None,
        "",
        en=("not a regular file (type p",),
        zh=("不是普通文件",),
    ),
    Case(
        "self-dependency",
        "self-dependency",
        _edit(GAT, "{system: wjw-portal,", "{system: gat-oa,"),
        GAT,
        "{system: gat-oa",
        "systems[0].dependencies[0]",
        en=("the system depends on itself",),
        zh=("系统依赖它自己",),
    ),
    Case(
        "parent-cycle",
        "parent-cycle",
        _parent_cycle,
        GAT,
        "wjw",
        "department.parent",
        after="parent: ",
        en=("the parent chain of departments loops: gat → wjw → gat",),
        zh=("上级部门关系成环：gat → wjw → gat",),
    ),
    Case(
        "racks-used-exceeds",
        "racks-used-exceeds",
        _edit(GAT, "racks_used: 4", "racks_used: 12"),
        GAT,
        "12",
        "sites[0].racks_used",
        severity="warning",
        en=("racks used (12) exceed racks (10)",),
        zh=("已用机柜 12 多于机柜总数 10",),
    ),
    Case(
        "line-loop",
        "line-loop",
        _edit(GAT, "z_end: {access_point: ap-prov}", "z_end: {site: gat-room}"),
        GAT,
        "{site: gat-room}",
        "lines[0].z_end",
        nth=2,
        severity="warning",
        en=("both ends of the line are the same place",),
        zh=("专线两端是同一个地点",),
    ),
    Case(
        "price-unknown-node-instance",
        "price-unknown-node",
        _edit("prices.yaml", "{cloud_node: cloud-prov, name:", "{cloud_node: cloud-city, name:"),
        "prices.yaml",
        "cloud-city",
        "prices.instance_types[0].cloud_node",
        en=("the price table refers to cloud node 'cloud-city', which does not exist",),
        zh=("价格表引用的云节点 'cloud-city' 不存在",),
    ),
    Case(
        "price-unknown-node-storage",
        "price-unknown-node",
        _edit("prices.yaml", "{cloud_node: cloud-prov, tier:", "{cloud_node: 市级云, tier:"),
        "prices.yaml",
        "市级云",
        "prices.storage[0].cloud_node",
    ),
    Case(
        "import-assumption",
        "import-assumption",
        _new(
            "departments/导入.yaml",
            "version: 1\nassumptions:\n  - {field: servers.site, value: 未知机房, why: 台账没有机房列, at: [台账.xlsx:3]}\n",
        ),
        "departments/导入.yaml",
        "{field: servers.site",
        "assumptions[0]",
        severity="warning",
        en=("the import assumed servers.site = 未知机房 (1 places, e.g. 台账.xlsx:3)",),
        zh=("导入时假定 servers.site = 未知机房",),
    ),
    Case(
        "zone-duplicate",
        "zone-duplicate",
        _edit(
            "targets.yaml",
            "      - {id: cn-hangzhou-i, name: 杭州 I 可用区}\n",
            "      - {id: cn-hangzhou-i, name: 杭州 I 可用区}\n      - {id: cn-hangzhou-h, name: 又一个 H}\n",
        ),
        "targets.yaml",
        "{id: cn-hangzhou-h, name: 又一个 H}",
        "cloud_nodes[0].zones[2]",
        en=("zone 'cn-hangzhou-h' is listed twice",),
        zh=("可用区 'cn-hangzhou-h' 重复",),
    ),
    Case(
        "zone-recovery-unknown",
        "zone-recovery-unknown",
        _edit(
            "targets.yaml",
            "      - {id: cn-hangzhou-i, name: 杭州 I 可用区}\n",
            "      - {id: cn-hangzhou-i, name: 杭州 I 可用区, recovery_zone: 灾备区}\n",
        ),
        "targets.yaml",
        "灾备区",
        "cloud_nodes[0].zones[1].recovery_zone",
        en=("the paired recovery zone '灾备区' is not another zone of this node",),
        zh=("配对的灾备可用区 '灾备区' 不是本节点的另一个可用区",),
    ),
    Case(
        "node-recovery-self",
        "node-recovery-self",
        _edit(
            "targets.yaml",
            "    certified_mlps_level: 3\n",
            "    certified_mlps_level: 3\n    recovery_node: cloud-prov\n",
        ),
        "targets.yaml",
        "cloud-prov",
        "cloud_nodes[0].recovery_node",
        after="recovery_node",
        en=("a cloud node cannot be its own recovery node",),
        zh=("云节点不能作为自己的灾备节点",),
    ),
]


@dataclass(frozen=True)
class Prepared:
    """A case's ledger written out: what to load, and what the problem must say."""

    target: Path
    file: str
    line: int | None
    column: int | None
    en: tuple[str, ...]
    zh: tuple[str, ...]


def prepare(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Prepared:
    root = copy_mini(tmp_path)
    text = case.setup(root)
    if case.max_file_bytes is not None:
        monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", case.max_file_bytes)
    line = column = None
    if case.token is not None:
        line, column = locate(text, case.token, nth=case.nth, after=case.after)
        if case.line_only:
            column = None
    target = root / case.target if case.target else root
    file = str(root / case.file) if case.file else str(root)

    def fill(fragments: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(
            f.replace("<root>/..", str(root.parent.resolve())).replace("<root>", str(root)) for f in fragments
        )

    return Prepared(target, file, line, column, fill(case.en), fill(case.zh))


def test_every_code_the_loader_uses_has_a_case() -> None:
    """A new problem code written in govcloud/ledger must come with a case here."""
    sources = Path(govcloud.ledger.__file__).parent.glob("*.py")
    text = "".join(source.read_text(encoding="utf-8") for source in sources)
    loader_codes = {c for c in MESSAGES if f"{c}.hint" in MESSAGES and f'"{c}"' in text}
    assert len(loader_codes) >= 38
    assert {case.code for case in CASES} == loader_codes


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_problem(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared = prepare(case, tmp_path, monkeypatch)
    result = load(prepared.target)
    problem = only(result, case.code)
    assert problem.severity == case.severity
    assert problem.file == prepared.file
    assert (problem.line, problem.column) == (prepared.line, prepared.column), problem.render("en")
    assert problem.path == case.path
    assert_renders(problem)
    expected: tuple[tuple[Lang, tuple[str, ...]], ...] = (("en", prepared.en), ("zh", prepared.zh))
    for lang, fragments in expected:
        said = problem.message(lang) + "\n" + problem.hint(lang)
        for fragment in fragments:
            assert fragment in said, said
    # errors stop the ledger; warnings alone do not
    if case.severity == "error":
        assert result.ledger is None
        assert not result.ok
    else:
        assert result.errors == [], [p.render("en") for p in result.errors]
        assert result.ledger is not None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_problem_through_the_cli(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No traceback, exit 1 for errors (0 for warnings), and JSON with the same problem."""
    prepared = prepare(case, tmp_path, monkeypatch)
    if case.code == "path-missing":  # click checks the path first: a usage error
        outcome = run_cli(["validate", str(prepared.target), "--lang", "en"])
        assert outcome.exit_code == 2
        assert "does not exist" in outcome.stderr
        assert "Traceback" not in outcome.everything
        return
    expected_exit = 1 if case.severity == "error" else 0
    for lang in ("en", "zh"):
        outcome = run_cli(["validate", str(prepared.target), "--lang", lang])
        assert "Traceback" not in outcome.everything, outcome.everything
        assert outcome.exit_code == expected_exit, outcome.everything
        assert f"[{case.code}]" in outcome.stdout
    outcome = run_cli(["validate", str(prepared.target), "--format", "json", "--lang", "zh"])
    assert "Traceback" not in outcome.everything, outcome.everything
    assert outcome.exit_code == expected_exit
    payload = json.loads(outcome.stdout)
    assert payload["valid"] is (case.severity == "warning")
    matching = [p for p in payload["problems"] if p["code"] == case.code]
    assert len(matching) == 1, payload["problems"]
    [found] = matching
    assert set(found) == {"file", "line", "column", "path", "code", "severity", "message", "hint"}
    assert (found["file"], found["line"], found["column"], found["path"], found["severity"]) == (
        prepared.file,
        prepared.line,
        prepared.column,
        case.path,
        case.severity,
    )
    assert found["message"]
    assert found["hint"]


# ---- file problems that need more than a case -------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    secret = write(root, "departments/保密.yaml", "version: 1\n")
    secret.chmod(0)
    try:
        problem = only(load(root), "file-unreadable")
    finally:
        secret.chmod(0o644)
    assert problem.file == str(secret)
    assert (problem.line, problem.column, problem.path) == (None, None, "")
    assert "Permission denied" in problem.message("en")
    assert_renders(problem)


def test_encoding_not_utf8_names_an_unknown_encoding(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    text = "version: 1\ndepartment:\n  name: café\n"
    write(root, "latin1.yaml", text.encode("latin-1"))
    problem = only(load(root), "encoding-not-utf8")
    assert (problem.line, problem.column) == locate(text, "é")
    assert "it looks like an unknown encoding" in problem.message("en")
    assert_renders(problem)


def test_encoding_not_utf8_unknown_encoding_is_translated(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    write(root, "latin1.yaml", "version: 1\nname: café\n".encode("latin-1"))
    problem = only(load(root), "encoding-not-utf8")
    assert "unknown encoding" not in problem.message("zh")


def test_encoding_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    # a UTF-8 file with one GBK-encoded word pasted in after Chinese text on the same line
    data = "version: 1\nname: 测试 ".encode() + "局".encode("gbk") + b"\n"
    write(root, "mixed.yaml", data)
    problem = only(load(root), "encoding-not-utf8")
    assert (problem.line, problem.column) == (2, len("name: 测试 ") + 1)  # (2, 10), not (2, 14)


def test_symlink_inside_the_root_is_read(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    os.symlink(root / "departments" / "卫健委.yaml", root / "卫健委-link.yaml")
    result = load(root)
    # read twice, so every entity of that file is a duplicate, but it is not refused
    assert with_code(result, "outside-root") == []
    assert {p.code for p in result.problems} == {"duplicate-id"}
    assert all(p.file == str(root / "卫健委-link.yaml") for p in result.problems)


def test_symlink_loop_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    os.symlink("loop.yaml", root / "loop.yaml")
    result = load(root)  # RuntimeError: Symlink loop from '.../loop.yaml'
    [problem] = result.problems
    assert problem.file == str(root / "loop.yaml")
    assert problem.code in {"file-unreadable", "outside-root"}


def test_symlink_loop_through_the_cli(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    os.symlink("loop.yaml", root / "loop.yaml")
    outcome = run_cli(["validate", str(root)])
    assert "Traceback" not in outcome.everything
    assert outcome.exit_code == 1


def test_not_a_mapping_after_a_comment_points_at_the_node(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    text = "# 部门清单\n\n- gat\n- wjw\n"
    write(root, "list.yaml", text)
    problem = only(load(root), "not-a-mapping")
    assert (problem.line, problem.column) == locate(text, "- gat")  # (3, 1), reported as (1, 1)


def test_bad_explicit_bool_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    text = edit(root, WJW, "internet_facing: true", "internet_facing: !!bool maybe")
    problem = only(load(root), "yaml-syntax")  # KeyError: 'maybe'
    assert (problem.line, problem.column) == locate(text, "!!bool")
    assert problem.path == "systems[0].internet_facing"


@pytest.mark.parametrize("tag", ["!foo", "!!python/name:os.system"])
def test_tag_on_a_key_is_refused(tag: str, tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    text = edit(root, WJW, "    kind: vm\n", f"    {tag} kind: vm\n")
    result = load(root)  # loads as if the tag were not there
    problem = only(result, "yaml-tag")
    assert (problem.line, problem.column) == locate(text, tag)


@pytest.mark.xfail(strict=True, reason="bug: a duplicate key written as an alias is located at its anchor")
def test_duplicate_key_through_an_alias_points_at_the_alias(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    text = "&k version: 1\n*k : 1\n"
    write(root, "alias-key.yaml", text)
    problem = only(load(root), "duplicate-key")
    assert (problem.line, problem.column) == locate(text, "*k")  # (2, 1), reported as (1, 1)


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("cpu_p95_pct: 12", "cpu_p95_pct: .nan", "servers[0].cpu_p95_pct"),
        ("yearly_cost_cny: 400000", "yearly_cost_cny: .inf", "sites[0].yearly_cost_cny"),
    ],
)
def test_nan_and_infinity_are_refused(old: str, new: str, path: str, tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    edit(root, GAT, old, new)
    result = load(root)
    assert result.ledger is None
    assert [p.path for p in result.errors] == [path]


def test_duplicate_id_is_reported_even_when_one_entry_has_another_problem(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    text = edit(root, WJW, "servers:\n", "  - {id: wjw-room, name: 又一个机房, kind: bogus}\nservers:\n")
    result = load(root)
    assert only(result, "schema-enum").path == "sites[1].kind"
    problem = only(result, "duplicate-id")  # not reported until the kind is fixed
    assert (problem.line, problem.column) == locate(text, "wjw-room", after="  - {id: ")


def test_very_deep_nesting_is_refused_without_crashing(tmp_path: Path) -> None:
    """50 000 nested brackets (100 kB) kill the process before the depth check runs."""
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    script = (
        "import sys\n"
        "from govcloud.ledger import load\n"
        "result = load(sys.argv[1])\n"
        "print(sorted({p.code for p in result.problems}))\n"
    )
    done = subprocess.run(  # a subprocess: a segfault must not take pytest down
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert "too-deep" in done.stdout


# ---- many problems at once, and the command line ----------------------------------------------


def test_all_problems_are_reported_at_once_in_file_order(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    region = edit(root, "region.yaml", 'region_code: "990000"', 'region_code: "99"')
    prices = edit(root, "prices.yaml", "{cloud_node: cloud-prov, tier:", "{cloud_node: cloud-x, tier:")
    targets = edit(root, "targets.yaml", "level: 省级", "level: 乡级")
    gat = edit(root, GAT, "ips: [10.64.1.10]", "ips: [10.64.1.300]")
    wjw = edit(root, WJW, "site: wjw-room", "site: wjw-rom")
    result = load(root)
    found = [(p.file, p.line, p.column, p.path, p.code) for p in result.problems]
    assert found == [
        (str(root / GAT), *locate(gat, "10.64.1.300"), "servers[0].ips[0]", "invalid-ip"),
        (str(root / WJW), *locate(wjw, "wjw-rom"), "servers[0].site", "unknown-reference"),
        (
            str(root / "prices.yaml"),
            *locate(prices, "cloud-x"),
            "prices.storage[0].cloud_node",
            "price-unknown-node",
        ),
        (str(root / "region.yaml"), *locate(region, '"99"'), "region.region_code", "schema-pattern"),
        (str(root / "targets.yaml"), *locate(targets, "乡级"), "access_points[0].level", "schema-enum"),
    ]
    assert result.problems == sorted(result.problems, key=Problem.sort_key)
    assert result.ledger is None


def test_problems_in_one_file_are_sorted_by_line(tmp_path: Path) -> None:
    """Found in different passes (references after the schema), reported in file order."""
    root = copy_mini(tmp_path)
    edit(root, GAT, "    site: gat-room\n", "    site: gat-rooom\n")  # line 20, found late
    text = edit(root, GAT, "mem_p95_pct: 30", "mem_p95_pct: 300")  # line 32, found early
    problems = load(root).problems
    assert [(p.line, p.code) for p in problems] == [
        (locate(text, "gat-rooom")[0], "unknown-reference"),
        (locate(text, "300")[0], "schema-range"),
    ]


def test_cli_exit_codes_through_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli_module.main(["validate", str(MINI), "--lang", "en"])
    assert done.value.code == 0
    assert "ledger is valid: 5 files, 12 entries" in capsys.readouterr().out

    root = copy_mini(tmp_path)
    edit(root, GAT, "ips: [10.64.1.10]", "ips: [10.64.1.300]")
    with pytest.raises(SystemExit) as done:
        cli_module.main(["validate", str(root), "--lang", "en"])
    assert done.value.code == 1
    out = capsys.readouterr().out
    line, column = locate((root / GAT).read_text(encoding="utf-8"), "10.64.1.300")
    assert f"{root / GAT}:{line}:{column}: error [invalid-ip] servers[0].ips[0]:" in out
    assert "ledger has 1 error and 0 warnings" in out

    for usage in (["validate", str(MINI), "--bogus"], ["validate", str(MINI), "--format", "xml"]):
        with pytest.raises(SystemExit) as done:
            cli_module.main(usage)
        assert done.value.code == 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        assert "Usage:" in captured.err


def test_cli_json_for_a_valid_ledger() -> None:
    outcome = run_cli(["validate", str(MINI), "--format", "json"])
    assert outcome.exit_code == 0
    payload = json.loads(outcome.stdout)
    assert payload["valid"] is True
    assert payload["problems"] == []
    assert [Path(f).relative_to(MINI).as_posix() for f in payload["files"]] == [
        GAT,
        WJW,
        "prices.yaml",
        "region.yaml",
        "targets.yaml",
    ]


def test_cli_warnings_only_exit_0_and_are_shown(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    edit(root, GAT, "racks_used: 4", "racks_used: 12")
    outcome = run_cli(["validate", str(root), "--lang", "zh"])
    assert outcome.exit_code == 0
    assert "警告 [racks-used-exceeds]" in outcome.stdout
    assert "台账有 0 个错误、1 个警告" in outcome.stdout
    assert "台账有效：5 个文件，12 个条目" in outcome.stdout
