"""Every case of the hostile corpus gives clean, located errors: no exception, no traceback,
a non-zero exit, and a bomb refused fast."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.ledger import load
from tests.hostile.corpus import Case, cases

CASES = list(cases())


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 150
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_gives_a_clean_located_error(tmp_path: Path, case: Case) -> None:
    root = tmp_path / "台账"
    case.write(root)
    result = load(root)
    problems = result.errors if case.expect == "error" else result.warnings
    assert problems, f"{case.name}: accepted"
    assert (result.ledger is None) == (case.expect == "error")
    for problem in problems:
        assert problem.file, problem
        assert problem.message("zh")
        assert problem.hint("en")
    if case.located:
        assert any(p.line is not None for p in problems), [p.render("en") for p in problems]


@pytest.mark.parametrize("command", ["validate", "ledger", "analyze", "plan", "graph"])
def test_cli_commands_exit_1_without_traceback(tmp_path: Path, command: str) -> None:
    runner = CliRunner()
    for case in [c for c in CASES if c.expect == "error"][::7]:  # a spread of the corpus
        root = tmp_path / case.name.replace("/", "_")
        case.write(root)
        args = [command, str(root), "--lang", "en"] + (
            ["--out", str(tmp_path / "out")] if command == "plan" else []
        )
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (case.name, result.output, result.stderr)
        assert "Traceback" not in result.output + result.stderr
        assert not (tmp_path / "out").exists()


def test_billion_laughs_is_refused_fast_with_bounded_memory(tmp_path: Path) -> None:
    [case] = [c for c in CASES if c.name == "billion-laughs"]
    root = tmp_path / "bomb"
    case.write(root)
    tracemalloc.start()
    start = time.perf_counter()
    result = load(root)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.code for p in result.errors] == ["alias-bomb"]
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024


def test_a_line_end_whose_only_field_is_rejected(tmp_path: Path) -> None:
    from tests.hostile.corpus import base, department

    doc = department()
    doc["lines"][0]["a_end"] = {"site": ":room"}  # not an id: the schema strips it, leaving {}
    base(tmp_path / "r", doc)
    result = load(tmp_path / "r")
    assert result.ledger is None
    assert [p.code for p in result.errors] == ["schema-pattern"]
