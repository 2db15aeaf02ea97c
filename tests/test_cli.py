"""The command line: thin over the library, exit codes 0/1/2, both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.cli import cli
from tests.conftest import MINI, PLAN_OUTPUTS


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_validate_valid_ledger() -> None:
    code, out, _ = run("validate", str(MINI), "--lang", "en")
    assert code == 0
    assert "ledger is valid: 5 files, 12 entries" in out


def test_validate_reports_in_chinese(mini: Path) -> None:
    (mini / "departments" / "卫健委.yaml").write_text(
        (mini / "departments" / "卫健委.yaml")
        .read_text(encoding="utf-8")
        .replace("site: wjw-room", "site: wjw-rom"),
        encoding="utf-8",
    )
    code, out, _ = run("validate", str(mini), "--lang", "zh")
    assert code == 1
    assert "卫健委.yaml:" in out
    assert "servers[0].site" in out
    assert "wjw-room" in out  # did-you-mean


def test_validate_json_format(mini: Path) -> None:
    (mini / "bad.yaml").write_text("version: 2\n", encoding="utf-8")
    code, out, _ = run("validate", str(mini), "--format", "json", "--lang", "en")
    assert code == 1
    payload = json.loads(out)
    assert payload["valid"] is False
    [problem] = payload["problems"]
    assert problem["file"].endswith("bad.yaml")
    assert (problem["line"], problem["column"], problem["path"]) == (1, 10, "version")
    assert problem["message"]
    assert problem["hint"]


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "xml"],
        ["validate", "/no/such/ledger"],
        ["ledger", "--lang", "fr"],
        ["plan", "--bogus"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _, _ = run(*args)
    assert code == 2


@pytest.mark.parametrize(
    ("fmt", "marker"), [("table", "合计"), ("md", "| **合计** |"), ("json", '"schema_version": 1')]
)
def test_ledger_formats(fmt: str, marker: str) -> None:
    code, out, _ = run("ledger", str(MINI), "--format", fmt, "--lang", "zh")
    assert code == 0
    assert marker in out
    assert "测试省公安厅" in out


def test_ledger_table_is_not_truncated_when_piped() -> None:
    _, out, _ = run("ledger", str(MINI), "--lang", "en")
    assert "…" not in out
    assert "636,000" in out  # the region's yearly cost


def test_ledger_on_invalid_input_exits_1(mini: Path) -> None:
    (mini / "region.yaml").unlink()
    code, _, err = run("ledger", str(mini), "--lang", "en")
    assert code == 1
    assert "[region-missing]" in err


def test_plan_writes_summary_atomically(tmp_path: Path) -> None:
    out = tmp_path / "输出"
    code, stdout, _ = run("plan", str(MINI), "--out", str(out), "--lang", "en")
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == PLAN_OUTPUTS
    summary = json.loads((out / "ledger-summary.json").read_text(encoding="utf-8"))
    assert summary["total"]["servers"] == 2
    assert "wrote" in stdout


def test_plan_is_deterministic(tmp_path: Path) -> None:
    run("plan", str(MINI), "--out", str(tmp_path / "a"), "--lang", "zh")
    run("plan", str(MINI), "--out", str(tmp_path / "b"), "--lang", "zh")
    for name in ("ledger-summary.json", "ledger-summary.md", "analysis.json", "analysis.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_plan_writes_nothing_for_an_invalid_ledger(mini: Path, tmp_path: Path) -> None:
    (mini / "region.yaml").write_text("region: [\n", encoding="utf-8")
    code, _, err = run("plan", str(mini), "--out", str(tmp_path / "out"), "--lang", "en")
    assert code == 1
    assert "[yaml-syntax]" in err
    assert not (tmp_path / "out").exists()


def test_plan_reports_an_unwritable_out_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run("plan", str(MINI), "--out", str(blocker / "out"), "--lang", "en")
    assert code == 2
    assert "cannot write" in err


def test_plan_without_path_uses_the_bundled_sample(tmp_path: Path) -> None:
    code, _, err = run("plan", "--out", str(tmp_path), "--lang", "en")
    assert code == 0, err
    summary = json.loads((tmp_path / "ledger-summary.json").read_text(encoding="utf-8"))
    assert summary["region"]["id"] == "haiyue"


def test_schema_command(tmp_path: Path) -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out)["$schema"].endswith("2020-12/schema")
    code, _, _ = run("schema", "-o", str(tmp_path / "ledger.schema.json"))
    assert code == 0
    assert (tmp_path / "ledger.schema.json").read_text(encoding="utf-8") == out


def test_module_entry_point() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "govcloud", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "govcloud" in done.stdout


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("table", "专网并入电子政务外网"), ("md", "## 专网并入电子政务外网"), ("json", '"schema_version": 1')],
)
def test_analyze_formats(fmt: str, marker: str) -> None:
    code, out, _ = run("analyze", str(MINI), "--format", fmt, "--lang", "zh")
    assert code == 0
    assert marker in out


def test_analyze_kind_filter_and_config(tmp_path: Path) -> None:
    config = tmp_path / "阈值.yaml"
    config.write_text("analysis:\n  small_system_users: 0\n", encoding="utf-8")
    code, out, _ = run(
        "analyze", str(MINI), "--format", "json", "--kind", "idle-capacity", "--config", str(config)
    )
    assert code == 0
    data = json.loads(out)
    assert data["thresholds"]["small_system_users"] == 0
    assert {f["kind"] for f in data["findings"]} <= {"idle-capacity"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("analysis:\n  room_small_rack: 3\n", "unknown setting"),
        ("analysis:\n  room_small_racks: many\n", "expected a number"),
        ("analysis: [\n", "YAML syntax error: "),
    ],
)
def test_analyze_bad_config_exits_2(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(content, encoding="utf-8")
    code, _, err = run("analyze", str(MINI), "--config", str(config), "--lang", "en")
    assert code == 2
    assert message in err
    assert "bad.yaml" in err


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_graph_export(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"图.{fmt}"
    code, _, _ = run("graph", str(MINI), "--format", fmt, "-o", str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert "department:gat" in text
    code, out, _ = run("graph", str(MINI), "--format", fmt)
    assert out == text


def test_plan_runs_without_the_cyclic_collector_and_gives_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from govcloud import cli as cli_module

    seen: list[bool] = []
    real = cli_module.run_plan

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_module, "run_plan", watched)
    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["plan", str(MINI), "--out", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert seen == [False]  # off while the run works (and never walks its objects)
    assert gc.isenabled()  # on again afterwards, for whoever called
    gc.unfreeze()  # what the command froze: this test session collects it as before
