"""The main job, ``govcloud plan``, as a library call: load → validate → graph → analyse →
plan → write outputs.

Later stages (stacks, baseline, report) plug in here; the CLI only parses options and prints
what this returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govcloud import baseline
from govcloud.analysis import Analysis, Thresholds, analyse
from govcloud.analysis.config import with_overrides
from govcloud.i18n import Lang
from govcloud.ledger import LoadResult, load
from govcloud.ledger.summary import Summary, summarise, to_json
from govcloud.outputs import json_text, write_atomic
from govcloud.plan import Plan, PlanRules, Scenario, build
from govcloud.plan.rules import with_overrides as rules_with_overrides
from govcloud.plan.scenario import apply_prices, check_ids
from govcloud.report import analysis as analysis_report
from govcloud.report import baseline as baseline_report
from govcloud.report import plan as plan_report
from govcloud.report import summary as summary_report
from govcloud.report import topology as topology_report
from govcloud.stacks import Stack, build_stacks, write_stacks
from govcloud.stacks.common import slug

Progress = Callable[[str, int, int], None]


@dataclass
class PlanRun:
    """What one run of the main job produced."""

    load: LoadResult
    summary: Summary | None = None
    analysis: Analysis | None = None
    plan: Plan | None = None
    stacks: list[Stack] = field(default_factory=list)
    baseline: baseline.Result | None = None
    written: list[Path] = field(default_factory=list)


def run_plan(
    inventory: Path,
    out: Path,
    lang: Lang,
    progress: Progress | None = None,
    thresholds: Thresholds | None = None,
    scenario: Scenario | None = None,
    scenario_file: str = "",
) -> PlanRun:
    """Load and validate ``inventory``; when valid, analyse and plan it and write the outputs
    into ``out``.  Nothing is written when the ledger has errors.

    A scenario's ids are checked against the ledger (:class:`~govcloud.settings.ConfigError`).
    """
    # the HTML report brings matplotlib: imported when a plan is made, not by every command
    from govcloud.report import html as html_report

    result = load(inventory, progress=progress)
    run = PlanRun(result)
    if result.ledger is None:
        return run
    scenario = scenario or Scenario()
    check_ids(scenario, result.ledger, scenario_file)
    ledger = apply_prices(result.ledger, scenario.prices, scenario_file)
    thresholds = with_overrides(thresholds or Thresholds(), scenario.analysis, scenario_file)
    rules = rules_with_overrides(PlanRules(), scenario.rules, scenario_file)
    run.summary = summarise(ledger)
    run.analysis = analyse(ledger, thresholds)
    run.plan = build(ledger, run.analysis, rules, scenario)
    texts = {
        "ledger-summary.json": json_text(to_json(run.summary)),
        "analysis.json": json_text(analysis_report.to_json(run.analysis, ledger, inventory)),
        "plan.json": json_text(plan_report.to_json(run.plan)),
        "topology.json": json_text(topology_report.to_json(run.plan)),
    }
    outputs = {
        **texts,
        "ledger-summary.md": summary_report.markdown(run.summary, lang),
        "analysis.md": analysis_report.markdown(run.analysis, ledger, lang),
        "plan.md": plan_report.markdown(run.plan, lang),
    }
    _write(out, outputs, run)
    run.stacks = build_stacks(run.plan)
    checked_rules, run.baseline = baseline.check(ledger, run.plan, run.stacks, inventory=inventory)
    texts["baseline.json"] = json_text(baseline_report.to_json(checked_rules, run.baseline, lang))
    _write(
        out,
        {
            "baseline.json": texts["baseline.json"],
            "baseline.sarif": json_text(baseline_report.sarif(checked_rules, run.baseline, lang)),
            "baseline.md": baseline_report.markdown(checked_rules, run.baseline, lang),
            # drawn from the documents as written, so `govcloud report` redraws the same bytes
            "report.html": html_report.render(html_report.from_texts(texts), lang),
        },
        run,
    )
    stacks_root = out / "stacks" / slug(ledger.region.id)
    write_stacks(run.stacks, stacks_root)
    run.written.append(stacks_root)
    return run


def _write(out: Path, outputs: dict[str, str], run: PlanRun) -> None:
    for name, text in sorted(outputs.items()):
        write_atomic(out / name, text)
        run.written.append(out / name)
