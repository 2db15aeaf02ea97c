"""The registries of output formats: each command's --format choices are its document's
registry, every format writes the sample, and a format registered at run time is offered."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govcloud import graph, tabular
from govcloud.cli import cli
from govcloud.ledger import model
from govcloud.plan import diff
from govcloud.registry import OutputFormat, Registry
from govcloud.report import analysis, baseline, status, summary, validation
from govcloud.stacks import diff as stacks_diff

#: command → (its document's formats, arguments that make the command quick on the sample)
COMMANDS: dict[str, tuple[Registry[Any], list[str]]] = {
    "analyze": (analysis.FORMATS, ["--kind", "address-conflict"]),
    "ledger": (summary.FORMATS, []),
    "check": (baseline.FORMATS, ["--state", "as-is"]),
    "graph": (graph.FORMATS, []),
    "status": (status.FORMATS, []),
    "validate": (validation.FORMATS, []),
}
#: and commands whose formats are only checked against their choices here (``diff`` needs two
#: plan.json files: tests/plan/test_scenario_targets.py runs it; ``stacks diff`` two emissions:
#: tests/stacks/test_diff.py)
CHOICES = {**COMMANDS, "diff": (diff.FORMATS, []), "stacks diff": (stacks_diff.FORMATS, [])}


@pytest.mark.parametrize("command", CHOICES)
def test_format_choices_are_the_registry(command: str) -> None:
    formats, _ = CHOICES[command]
    text = CliRunner().invoke(cli, [*command.split(), "--help"], terminal_width=400).output
    assert f"[{'|'.join(formats.names())}]" in text


@pytest.mark.parametrize(("command", "fmt"), [(c, f) for c, (r, _) in COMMANDS.items() for f in r.names()])
def test_every_format_writes_the_sample(command: str, fmt: str) -> None:
    formats, args = COMMANDS[command]
    result = CliRunner().invoke(cli, [command, *args, "--format", fmt, "--lang", "en"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    if fmt in ("json", "sarif"):
        json.loads(result.output)
    elif fmt in ("junit", "graphml"):
        ET.fromstring(result.output)  # noqa: S314 - our own output
    assert (formats[fmt].show is not None) == (
        fmt in ("table", "text") and command not in ("diff", "validate")
    )


def test_a_format_registered_at_run_time_is_offered_and_written() -> None:
    def lines(document: analysis.Document, lang: str) -> str:
        return "".join(f"{f.id}\t{f.kind}\n" for f in document.analysis.findings)

    with analysis.FORMATS.extended("test-tsv", OutputFormat("test-tsv", lines)):
        runner = CliRunner()
        assert "test-tsv" in runner.invoke(cli, ["analyze", "--help"], terminal_width=400).output
        out = runner.invoke(cli, ["analyze", "--kind", "address-conflict", "--format", "test-tsv"])
        assert out.exit_code == 0, out.output
        rows = [line.split("\t") for line in out.output.splitlines()]
        assert rows
        assert all(kind == "address-conflict" for _, kind in rows)
    assert CliRunner().invoke(cli, ["analyze", "--format", "test-tsv"]).exit_code == 2


def test_workbook_choices_are_the_registry_and_a_new_one_is_written(tmp_path: Path) -> None:
    """``export`` and ``import --template`` offer the spreadsheet forms registered in
    ``tabular.WORKBOOK_FORMATS`` and write with the entry chosen."""
    names = "|".join(tabular.WORKBOOK_FORMATS.names())
    runner = CliRunner()
    assert f"{{{names}}}" in runner.invoke(cli, ["export", "--help"], terminal_width=400).output
    assert f"[{names}]" in runner.invoke(cli, ["import", "--help"], terminal_width=400).output

    def listing(ledger: model.Ledger) -> bytes:
        return "".join(f"{s}\n" for s in ledger.servers).encode()

    entry = tabular.WorkbookFormat("test-list", listing, lambda: b"id\n")
    with tabular.WORKBOOK_FORMATS.extended("test-list", entry):
        out = runner.invoke(cli, ["export", "test-list", "-o", str(tmp_path / "servers.txt")])
        assert out.exit_code == 0, out.output
        assert len((tmp_path / "servers.txt").read_text().splitlines()) > 10
        out = runner.invoke(cli, ["import", "--template", "test-list", "-o", str(tmp_path / "t.txt")])
        assert out.exit_code == 0, out.output
        assert (tmp_path / "t.txt").read_bytes() == b"id\n"
    assert runner.invoke(cli, ["export", "test-list", "-o", str(tmp_path / "x")]).exit_code == 2
