"""Scenarios change the plan the expected way; diff says what changed and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from govcloud.cli import cli
from govcloud.plan import load_scenario
from govcloud.settings import ConfigError
from tests.conftest import MINI


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "情景.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_scenario(tmp_path: Path) -> None:
    s = load_scenario(
        _write(
            tmp_path,
            "scenario:\n  name: 暂缓\n  keep_departments: [gat]\n  force: {wjw-portal: retain}\n  rules: {wave_max_servers: 5}\n",
        )
    )
    assert s.keep_departments == ("gat",)
    assert s.force == (("wjw-portal", "retain"),)
    assert s.rules == {"wave_max_servers": 5}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scenario:\n  keep: [a]\n", "scenario.keep: unknown key"),
        ("scenario:\n  force: {x: teleport}\n", "scenario.force.x"),
        ("scenario:\n  keep_departments: gat\n", "keep_departments"),
        ("nothing: here\n", "scenario:"),
    ],
)
def test_bad_scenarios(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_scenario(_write(tmp_path, text))


def _plan(tmp_path: Path, name: str, *extra: str) -> dict[str, object]:
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["plan", str(MINI), "--out", str(out), "--lang", "en", *extra])
    assert result.exit_code == 0, result.output + result.stderr
    data: dict[str, object] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return data


def _diff(tmp_path: Path) -> Result:
    """``govcloud diff`` of the plans :func:`_plan` wrote as ``base`` and ``what-if``."""
    plans = [str(tmp_path / name / "plan.json") for name in ("base", "what-if")]
    return CliRunner().invoke(cli, ["diff", *plans, "--lang", "en"])


def test_scenario_keeps_a_department_and_diff_explains(tmp_path: Path) -> None:
    base = _plan(tmp_path, "base")
    scenario = _write(
        tmp_path, "scenario:\n  keep_departments: [gat]\n  prices: {migration: {per_server_cny: 9000}}\n"
    )
    what_if = _plan(tmp_path, "what-if", "--scenario", str(scenario))
    actions = {d["system"]: d["action"] for d in what_if["decisions"]}  # type: ignore[attr-defined]
    assert actions == {"gat-oa": "retain", "wjw-portal": "rehost"}
    assert what_if["verified"] is True
    result = _diff(tmp_path)
    assert result.exit_code == 0
    assert "gat-oa: rehost cloud-prov (wave 1) → retain" in result.stdout
    assert "keeps department gat" in result.stdout
    assert "one-off cost" in result.stdout
    same = CliRunner().invoke(
        cli,
        ["diff", str(tmp_path / "base" / "plan.json"), str(tmp_path / "base" / "plan.json"), "--lang", "zh"],
    )
    assert "两个计划相同" in same.stdout
    assert base["verified"] is True


def test_scenario_naming_an_unknown_system_exits_2(tmp_path: Path) -> None:
    scenario = _write(tmp_path, "scenario:\n  force: {no-such-system: retire}\n")
    result = CliRunner().invoke(
        cli, ["plan", str(MINI), "--out", str(tmp_path / "o"), "--scenario", str(scenario), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "no-such-system" in result.stderr
    assert not (tmp_path / "o").exists()


def test_diff_refuses_files_that_are_not_plans(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(bad), str(bad)])
    assert result.exit_code == 2
    assert "plan.json" in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        {"rules": {"duplicate_min_confidence": 7}},
        {"rules": {"wave_max_servers": 0}},
        {"rules": {"wave_max_servers": 1e300}},
        {"rules": {"wave_max_servers": 2.5}},
        {"rules": {"comfort_factor": float("nan")}},
        {"analysis": {"name_similarity": 1.5}},
        {"prices": {"extranet_mbps_month_cny": float("inf")}},
        {"prices": {"migration": {"per_server_cny": -1}}},
        {"prices": {"as_is": {"default_pue": 9}}},
        {"prices": {"as_is": {"room_year_cny": float("inf")}}},
        {"prices": {"as_is": 5}},
        {"keep_departments": ["hy-gat\u202e"]},
    ],
)
def test_scenario_numbers_and_ids_are_checked_before_use(tmp_path: Path, body: dict[str, object]) -> None:
    import yaml

    from govcloud.settings import ConfigError

    path = tmp_path / "情景.yaml"
    path.write_text(yaml.safe_dump({"scenario": body}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"情景\.yaml"):
        load_scenario(path)


def test_a_scenario_changes_the_cash_flow_and_diff_names_its_npv(tmp_path: Path) -> None:
    """issue 23: the cash flow's rules are scenario settings; diff shows the NPV that moved."""
    _plan(tmp_path, "base")
    scenario = _write(tmp_path, "scenario:\n  rules: {discount_rate_pct: 3, parallel_run_months: 4}\n")
    what_if = _plan(tmp_path, "what-if", "--scenario", str(scenario))
    assert what_if["cashflow"]["discount_rate_pct"] == 3  # type: ignore[index]
    result = _diff(tmp_path)
    assert result.exit_code == 0
    assert "net present value of the cash flow" in result.stdout


def test_a_scenario_sets_the_as_is_unit_costs_and_diff_names_the_estimate(tmp_path: Path) -> None:
    """The mini ledger's virtual server records no cost: a what-if with a unit cost per vCPU
    estimates it, and diff shows the estimated part of the as-is that moved."""
    base = _plan(tmp_path, "base")
    assert base["as_is_basis"]["unrecorded_servers"] == ["wjw-srv-01"]  # type: ignore[index]
    scenario = _write(tmp_path, "scenario:\n  prices: {as_is: {vcpu_year_cny: 1000}}\n")
    what_if = _plan(tmp_path, "what-if", "--scenario", str(scenario))
    basis = what_if["as_is_basis"]
    assert basis["entries"] == ["prices.as_is.vcpu_year_cny"]  # type: ignore[index]
    assert list(basis["servers"]) == ["wjw-srv-01"]  # type: ignore[index]
    result = _diff(tmp_path)
    assert result.exit_code == 0, result.output
    assert "estimated part of the as-is yearly cost" in result.stdout
    bad = _write(tmp_path, "scenario:\n  prices: {as_is: {no_such_cost: 1}}\n")
    refused = CliRunner().invoke(
        cli, ["plan", str(MINI), "--out", str(tmp_path / "o"), "--scenario", str(bad), "--lang", "en"]
    )
    assert refused.exit_code == 2
    assert "scenario.prices.as_is.no_such_cost" in refused.stderr
