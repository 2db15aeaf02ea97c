"""The main job, ``govcloud plan``, as a library call: load → validate → … → write outputs.

Later stages (graph, analysis, plan, stacks, baseline, report) plug in here; the CLI only
parses options and prints what this returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govcloud.analysis import Analysis, Thresholds, analyse
from govcloud.i18n import Lang
from govcloud.ledger import LoadResult, load
from govcloud.ledger.summary import Summary, summarise, to_json
from govcloud.outputs import json_text, write_atomic
from govcloud.report import analysis as analysis_report
from govcloud.report import summary as summary_report

Progress = Callable[[str, int, int], None]


@dataclass
class PlanRun:
    """What one run of the main job produced."""

    load: LoadResult
    summary: Summary | None = None
    analysis: Analysis | None = None
    written: list[Path] = field(default_factory=list)


def run_plan(
    inventory: Path,
    out: Path,
    lang: Lang,
    progress: Progress | None = None,
    thresholds: Thresholds | None = None,
) -> PlanRun:
    """Load and validate ``inventory``; when valid, write the plan outputs into ``out``.

    Nothing is written when the ledger has errors.
    """
    result = load(inventory, progress=progress)
    run = PlanRun(result)
    if result.ledger is None:
        return run
    ledger = result.ledger
    run.summary = summarise(ledger)
    run.analysis = analyse(ledger, thresholds)
    outputs = {
        "ledger-summary.json": json_text(to_json(run.summary)),
        "ledger-summary.md": summary_report.markdown(run.summary, lang),
        "analysis.json": json_text(analysis_report.to_json(run.analysis, ledger)),
        "analysis.md": analysis_report.markdown(run.analysis, ledger, lang),
    }
    for name, text in sorted(outputs.items()):
        path = out / name
        write_atomic(path, text)
        run.written.append(path)
    return run
