"""The registry of import formats: every format complete, and ``govcloud import`` read from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.i18n import t
from govcloud.importers import detect
from govcloud.importers.formats import IMPORT_FORMATS, Imported, ImportFormat, Request, command_for
from govcloud.tabular.sheets import read

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", IMPORT_FORMATS.names())
def test_every_format_is_complete(name: str) -> None:
    fmt = IMPORT_FORMATS[name]
    assert fmt.name == name
    assert callable(fmt.read)
    code = f"kind.import-{fmt.kind}"
    assert CJK.search(t(code, "zh")), f"{code} has no Chinese text"
    assert t(code, "en") != code, f"{code} has no English text"
    assert not CJK.search(t(code, "en"))
    assert command_for(fmt.kind) in IMPORT_FORMATS  # a refusal names a command that exists


def test_cli_choices_are_the_registry() -> None:
    help_text = CliRunner().invoke(cli, ["import", "--help"], terminal_width=400).output
    assert f"[{'|'.join(IMPORT_FORMATS.names())}]" in help_text


def _read_dummy(request: Request) -> Imported:
    servers = []
    for path in request.sources:
        for sheet in read(path):
            for _, cells in sheet.rows[1:]:
                servers.append({"id": str(cells[0]), "cpu_cores": int(str(cells[1]))})
    return Imported({"version": 1, "servers": servers})


def test_a_format_registered_at_run_time_imports_detects_and_is_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registering is all it takes: the CLI offers it, files of its kind are recognised (and
    refused by another importer, naming it), and its rows become a plannable ledger.  (Its
    ``kind.import-…`` name is not in the catalogues: the strict test setting would refuse it.)"""
    monkeypatch.setenv("GOVCLOUD_STRICT_MESSAGES", "0")
    source = tmp_path / "dummy.csv"
    source.write_text("dummy host,dummy cores\nvm-a,4\nvm-b,2\n", encoding="utf-8")
    entry = ImportFormat(
        "test-dummy", "test-dummy", _read_dummy, headers=lambda keys: "dummy host" in keys, detect_rank=1
    )
    runner = CliRunner()
    with IMPORT_FORMATS.extended("test-dummy", entry):
        assert "test-dummy" in runner.invoke(cli, ["import", "--help"], terminal_width=400).output
        assert detect.kind_of(source) == "test-dummy"
        refused = runner.invoke(cli, ["import", "csv", str(source), "--out", str(tmp_path), "--lang", "en"])
        assert refused.exit_code == 2
        assert "govcloud import test-dummy dummy.csv" in refused.output
        done = runner.invoke(
            cli, ["import", "test-dummy", str(source), "--out", str(tmp_path), "--owner", "X", "--lang", "en"]
        )
        assert done.exit_code == 0, done.output
        document = yaml.safe_load((tmp_path / "dummy.yaml").read_text(encoding="utf-8"))
        assert sorted(s["id"] for s in document["servers"]) == ["vm-a", "vm-b"]
    assert "test-dummy" not in IMPORT_FORMATS
    assert detect.kind_of(source) == "ledger"
