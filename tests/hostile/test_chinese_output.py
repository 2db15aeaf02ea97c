"""Under ``--lang zh`` a refusal is Chinese: no English word (four letters or more) outside
parameters, file names and field paths.  Checked on every case of the doors whose refusals have
structured details so far (``govcloud report``, ``govcloud diff``, ``--waivers``, ``--config`` and ``--mapping``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.cli import cli
from tests.hostile.doors import DoorCase, all_cases

#: doors whose every refusal reads in Chinese; the others still carry English details
#: (settings and importer details, YAML parser messages)
CHINESE_DOORS = ("report", "diff", "waivers", "config", "mapping")
CASES = [c for c in all_cases() if c.door in CHINESE_DOORS]

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
#: the header → field pairs an import says it used: the header comes from the input
USED = re.compile(r"[A-Z]+\d+ '[^']*' → [\w.]+")


def english_words(line: str, folder: Path) -> list[str]:
    line = line.replace(str(folder), "")
    line = INDEXED.sub("", line)
    line = CODE.sub("", line)
    line = COMMAND.sub("", line)
    line = OPTION.sub("", line)
    line = USED.sub("", line)
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


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_refusal_reads_in_chinese(tmp_path: Path, case: DoorCase) -> None:
    args = case.make(tmp_path)
    result = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    said = result.output + result.stderr
    found = [(line, words) for line in said.splitlines() if (words := english_words(line, tmp_path))]
    assert not found, found[:3]
