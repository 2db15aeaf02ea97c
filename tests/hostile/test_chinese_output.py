"""Under ``--lang zh`` what a command says is Chinese: no English word (four letters or more)
outside names that are legitimately ASCII — parameters, file names, field paths, codes,
command and option names, and values taken from the input.  Checked on every case of the
hostile doors corpus (``tests/hostile/doors.py``) and on the error paths that have no door
there: stacks read back by ``govcloud check --stacks`` and the evidence bundle."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import govcloud.ledger
from govcloud.cli import cli
from tests.hostile.corpus import base
from tests.hostile.doors import DoorCase, all_cases, planned

CASES = list(all_cases())
#: doors whose standard output is only checked on stderr (none: ``stacks diff`` lists in the
#: reader's language too)
LISTING_DOORS: tuple[str, ...] = ()

#: words that are names, not English: products, formats, JSON's own tokens
ALLOWED = {
    "json", "yaml", "netbox", "rvtools", "cidr", "utf", "gbk", "govcloud", "plan", "xlsx", "csv",
    "nan", "infinity", "none", "true", "false", "null", "docs",
    # the keys a waiver is written with
    "waivers", "rule", "target", "reason", "approver", "ticket", "expires", "yyyy",
    # the keys of the thresholds and mapping files
    "analysis", "sheets", "columns",
    # products and formats named in messages, units
    "azure", "migrate", "aws", "cloud", "migration", "factory", "excel", "wps", "mbps", "unicode",
}  # fmt: skip
#: Python's JSON decoder says what it expected in its own words; they are passed through as a
#: parameter, in parentheses after the line and column
DECODER = re.compile(r"JSON（[^）]*）")
#: parameters in other words of their own: a character's Unicode name, the YAML parser's message
UNICODE_NAME = re.compile(r"U\+[0-9A-F]{4,6}[A-Z -]*")
YAML_PARSER = re.compile(r"YAML 语法错误：.*")
#: the values a setting may take, listed as they are written
CHOICES = re.compile(r"（[\w, ]+）")


#: a problem's code in brackets, a command line, an option
CODE = re.compile(r"\[[a-z0-9.-]+\]")
COMMAND = re.compile(r"govcloud(?: [a-z-]+)+")
OPTION = re.compile(r"--[a-z-]+")
#: a field path with an index (``servers[0].site``, ``systems[1]``)
INDEXED = re.compile(r"[\w.-]*\[\d+\][\w.\[\]-]*")
#: a cell named by its header, which comes from the input: ``单元格 memory in mb 的值`` and
#: the same header before the detail (``无法使用：memory in mb：…``)
CELL = re.compile(r"单元格 .*? 的值|无法使用：[^：]*：")
#: the class of a reader's own error, named in parentheses
EXCEPTION = re.compile(r"（?\(?[A-Z][A-Za-z]+(?:Error|File|Exception)\)?）?")
#: a character a terminal would act on, shown escaped (``\\ufeff``, ``\\x1b``)
ESCAPED = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2})")
#: an id with hyphens (``nb-circuit-HZ-1``), a rule's code (``mlps-filed``)
HYPHENATED = re.compile(r"\w+(?:-\w+)+")
#: the keys or values a setting may take, listed after the words that introduce them
KNOWN = re.compile(r"(可用的键|只能修改|应为以下取值的列表)：?\s*[\w, 、]+")
#: the headers a format needs, named as that format writes them
MISSING_COLUMNS = re.compile(r"缺少 .*? 列")
#: the header → field pairs an import says it used: the header comes from the input
USED = re.compile(r"[A-Z]+\d+ '[^']*' → [\w.]+")


def english_words(line: str, folder: Path) -> list[str]:
    line = line.replace(str(folder), "")
    line = ESCAPED.sub(" ", line)
    line = INDEXED.sub("", line)
    line = CODE.sub("", line)
    line = COMMAND.sub("", line)
    line = OPTION.sub("", line)
    line = USED.sub("", line)
    line = KNOWN.sub("", line)
    line = MISSING_COLUMNS.sub("", line)
    line = HYPHENATED.sub("", line)
    line = CELL.sub("", line)
    line = EXCEPTION.sub("", line)
    line = DECODER.sub("JSON", line)
    line = UNICODE_NAME.sub("", line)
    line = YAML_PARSER.sub("", line)
    line = CHOICES.sub("", line)
    line = re.sub(r"'[^']*'|\"[^\"]*\"", "", line)  # quoted values
    line = re.sub(r"[\w-]+(?:[./][\w\[\]-]+)+", "", line)  # field paths and file names
    line = re.sub(r"[\w\[\]/-]+ ?(处)?：", "：", line)  # the field a message is about
    line = re.sub(r"[\w\[\].-]+: ", "", line)  # the same, or a key, before an ASCII colon
    line = re.sub(r"^\S+：", "", line)  # the refused file
    words = re.findall(r"\b[A-Za-z]{4,}\b", line)
    return [w for w in words if w.lower() not in ALLOWED]


def test_the_checker_finds_english() -> None:
    assert english_words("无法生成报告：x.json is not a JSON object", Path("/x")) == ["object"]
    assert english_words("无法生成报告：x.json 不是 JSON 对象", Path("/x")) == []


@cache
def field_names() -> frozenset[str]:
    """Every field name of the ledger (its JSON Schema's property names): a check names the
    fields it could not find (``台账未记录：bastion``)."""
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            names.update(k.lower() for k in (node.get("properties") or {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    schema = Path(govcloud.ledger.__file__).parent / "ledger.schema.json"
    walk(json.loads(schema.read_text(encoding="utf-8")))
    return frozenset(names)


def input_words(folder: Path) -> set[str]:
    """The ASCII words of the files a case wrote: values from the input are repeated as given."""
    words: set[str] = set()
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 2_000_000:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", path.read_bytes().decode("latin-1")))
    return words


def said_in_english(result: Result, folder: Path, listing: bool = False) -> list[tuple[str, list[str]]]:
    """The lines of ``result`` with English words, and those words."""
    allowed = field_names() | input_words(folder)
    texts = [result.stderr] if listing else [result.stdout, result.stderr]
    found = []
    for line in "\n".join(texts).splitlines():
        words = [w for w in english_words(line, folder) if w.lower() not in allowed]
        if words:
            found.append((line, words))
    return found


def invoke_zh(args: list[str]) -> Result:
    """Run the command line in Chinese: ``--lang zh`` (and ``GOVCLOUD_LANG``, which a command
    falls back on)."""
    runner = CliRunner(env={"GOVCLOUD_LANG": "zh"})
    return runner.invoke(cli, [*args, "--lang", "zh"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_what_a_door_says_reads_in_chinese(tmp_path: Path, case: DoorCase) -> None:
    args = case.make(tmp_path)
    result = invoke_zh(args)
    found = said_in_english(result, tmp_path, listing=case.door in LISTING_DOORS)
    assert not found, found[:3]


def _ledger(tmp: Path) -> str:
    base(tmp / "台账")
    return str(tmp / "台账")


def _stacks(tmp: Path, edit: Callable[[dict[str, object]], object]) -> list[str]:
    stacks = tmp / "stacks"
    shutil.copytree(planned() / "stacks", stacks)
    first = sorted(stacks.glob("*/*/resources.json"))[0]
    doc = json.loads(first.read_text(encoding="utf-8"))
    changed = edit(doc)
    first.write_text(json.dumps(changed if changed is not None else doc), encoding="utf-8")
    return ["check", _ledger(tmp), "--stacks", str(first.parent.parent)]


def _bundle_over_other_files(tmp: Path) -> list[str]:
    (tmp / "证据包").mkdir()
    (tmp / "证据包" / "别的.txt").write_text("x", encoding="utf-8")
    return ["evidence", _ledger(tmp), "--out", str(tmp / "证据包")]


def _bundle_tampered(tmp: Path) -> list[str]:
    (tmp / "包").mkdir()
    (tmp / "包" / "a.txt").write_text("x", encoding="utf-8")
    (tmp / "包" / "extra.txt").write_text("y", encoding="utf-8")
    lines = ["0" * 64 + "  a.txt", "0" * 64 + "  gone.txt", "a broken line"]
    (tmp / "包" / "MANIFEST.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["evidence", "--verify", str(tmp / "包")]


def _bundle_without_manifest(tmp: Path) -> list[str]:
    (tmp / "包").mkdir()
    return ["evidence", "--verify", str(tmp / "包")]


PATHS: dict[str, tuple[Callable[[Path], list[str]], tuple[int, ...], str]] = {
    "stacks.not-an-object": (lambda tmp: _stacks(tmp, lambda doc: [1]), (2,), "应为包含"),
    "stacks.schema-version": (lambda tmp: _stacks(tmp, lambda doc: doc.update(schema_version=99)), (2,), "重新生成"),
    "stacks.resource": (lambda tmp: _stacks(tmp, lambda doc: doc.update(resources=[1])), (2,), "props"),
    "stacks.text": (lambda tmp: _stacks(tmp, lambda doc: doc.update(project="")), (2,), "应为文本"),
    "bundle.other-files": (_bundle_over_other_files, (2,), "不属于证据包"),
    "bundle.tampered": (_bundle_tampered, (1,), "不在清单中"),
    "bundle.no-manifest": (_bundle_without_manifest, (2,), "无法读取清单"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PATHS))
def test_an_error_path_without_a_door_reads_in_chinese(tmp_path: Path, name: str) -> None:
    make, exits, expected = PATHS[name]
    result = invoke_zh(make(tmp_path))
    assert result.exit_code in exits, (result.exit_code, result.output[-1500:])
    assert expected in result.output, result.output[-1500:]
    found = said_in_english(result, tmp_path)
    assert not found, found[:3]


@pytest.mark.parametrize(
    "name", ["stacks.schema-version", "stacks.text", "bundle.tampered", "bundle.other-files"]
)
def test_the_same_paths_in_english_are_caught(tmp_path: Path, name: str) -> None:
    """The allow-lists (field names, words of the input) do not hide English: the same run
    in English is flagged."""
    make, _, _ = PATHS[name]
    args = make(tmp_path)
    result = CliRunner(env={"GOVCLOUD_LANG": "en"}).invoke(cli, [*args, "--lang", "en"])
    assert said_in_english(result, tmp_path), result.output[-1500:]


@pytest.mark.parametrize(
    "name",
    ["netbox.rest.no-results", "netbox.shape.top-object", "scenario.shape.prices-migration-list", "csv.nul"],
)
def test_doors_in_english_are_caught(tmp_path: Path, name: str) -> None:
    (case,) = [c for c in CASES if c.name == name]
    result = CliRunner().invoke(cli, [*case.make(tmp_path), "--lang", "en"])
    assert said_in_english(result, tmp_path), result.output[-1500:]
