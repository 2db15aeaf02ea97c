"""Every door other than the ledger's YAML holds against the corpus in ``doors.py``: a
documented exit code, no exception but SystemExit, no traceback, no raw escape sequence,
a few seconds at most, and the refused file named."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.cli import cli
from tests.hostile.corpus import cases as ledger_cases
from tests.hostile.doors import DoorCase, all_cases

CASES = list(all_cases())
#: a door may take this long on its worst input (seconds; the machine is shared)
BUDGET = 10.0


def test_the_corpus_covers_every_door_and_class() -> None:
    assert len(CASES) + len(list(ledger_cases())) >= 500
    assert len({c.name for c in CASES}) == len(CASES)
    doors = Counter(c.door for c in CASES)
    for door in (
        "scenario",
        "config",
        "waivers",
        "mapping",
        "diff",
        "report",
        "stacks-diff",
        "csv",
        "xlsx",
        "netbox",
        "azure",
        "rvtools",
        "aws-cmf",
        "xls",
        "export",
        "terminal",
    ):
        assert doors[door] >= 10, door
    assert {c.klass for c in CASES} >= {"traceback", "hang", "accepted", "injection"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_door_refuses_cleanly(tmp_path: Path, case: DoorCase) -> None:
    args = case.make(tmp_path)
    start = time.perf_counter()
    result = CliRunner().invoke(cli, [*args, "--lang", "en"] if args[0] != "stacks" else args)
    elapsed = time.perf_counter() - start
    said = result.output + result.stderr
    assert result.exit_code in case.exits, (result.exit_code, said[-2000:], repr(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in said
    assert "\x1b" not in said, said[-500:]
    assert "\u202e" not in said, said[-500:]
    assert elapsed < BUDGET, f"{case.name}: {elapsed:.1f} s"
    if case.names:
        assert case.names in said, said[-2000:]
    if case.after is not None:
        case.after(tmp_path)
