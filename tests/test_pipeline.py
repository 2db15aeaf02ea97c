"""The pipeline's entry points for the commands that run several stages: each is one call, so
the library does what the CLI does without it (``govcloud plan`` itself: test_cache.py,
test_progress.py)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from govcloud.analysis import analyse
from govcloud.baseline import check
from govcloud.cli import cli
from govcloud.ledger import load, model
from govcloud.pipeline import plan_ledger, run_check, run_status
from govcloud.plan import build
from govcloud.plan import status as plan_status
from govcloud.report import status as status_report
from govcloud.stacks import build_stacks
from govcloud.stacks.emit import write_stacks
from tests.conftest import MINI


def _mini() -> model.Ledger:
    ledger = load(MINI).ledger
    assert ledger is not None
    return ledger


def test_plan_ledger_analyses_plans_and_builds_the_stacks_reporting_each_stage() -> None:
    ledger = _mini()
    stages: list[str] = []
    planned = plan_ledger(ledger, lambda stage, _done, _total: stages.append(stage))
    assert planned.plan.decisions == build(ledger, analyse(ledger)).decisions
    assert [s.project for s in planned.stacks] == [s.project for s in build_stacks(planned.plan)]
    assert planned.plan.violations() == ()
    assert stages.index("plan") < stages.index("stacks")
    assert stages[0] != "plan"  # the analysis reported first


def test_run_check_as_is_needs_no_plan_and_both_states_carry_the_residual() -> None:
    ledger = _mini()
    as_is = run_check(ledger, "as-is")
    assert as_is.plan is None
    assert as_is.residual is None
    assert {f.state for f in as_is.result.findings} <= {"as-is"}
    both = run_check(ledger)
    assert both.plan is not None
    assert both.residual is not None
    rules, result = check(ledger, both.plan, build_stacks(both.plan))
    assert [r.id for r in both.rules] == [r.id for r in rules]
    assert both.result.findings == result.findings
    assert any(r.state == "to-be" and both.result.checked.get(r.id) for r in both.rules)  # stacks checked
    assert not any(r.state == "to-be" and as_is.result.checked.get(r.id) for r in as_is.rules)


def test_run_check_reads_the_stacks_folder_when_given_one(tmp_path: Path) -> None:
    ledger = _mini()
    built = run_check(ledger, "to-be")
    assert built.plan is not None
    write_stacks(build_stacks(built.plan), tmp_path / "stacks")
    read = run_check(ledger, "to-be", stacks_dir=tmp_path / "stacks")
    assert read.result.findings == built.result.findings
    assert read.result.passed == built.result.passed


def test_run_status_measures_the_replan_or_the_given_waves_and_the_cli_prints_it() -> None:
    ledger = _mini()
    result, kpis = run_status(ledger)
    current = build(ledger, analyse(ledger))
    assert result == plan_status.status(ledger, plan_status.waves_of_plan(current))
    assert kpis
    assert run_status(ledger, [])[0] == []  # no planned waves: nothing to measure
    printed = CliRunner().invoke(cli, ["status", str(MINI), "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == json.loads(json.dumps(status_report.to_json(result, kpis)))
