"""The security baseline (等保 2.0, GB/T 39786) as data, checked on the estate as it is and
on the stacks the plan will build.

``check(ledger, plan, stacks, state)`` evaluates the rules in ``policies/rules`` and returns
their findings; waivers mark accepted findings.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace
from pathlib import Path

from govcloud.baseline import views
from govcloud.baseline.engine import Finding, Result, Waiver, apply_waivers, evaluate, load_waivers, merge
from govcloud.baseline.rules import SEVERITIES, Rule, load_coverage, load_packs, load_rules
from govcloud.ledger import model
from govcloud.ledger.files import relative_name
from govcloud.ledger.loader import collector_paused
from govcloud.ledger.yamlio import Locator
from govcloud.plan import Plan
from govcloud.stacks import Stack

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _with_lines(result: Result) -> Result:
    """Findings on inventory entities get the line their entity starts on: the one the loader
    saw, else (an entity not read from a file by the loader) the file is composed, once, only
    when it has such findings."""
    locators: dict[str, Locator | None] = {}
    findings = []
    with collector_paused():
        findings = _located(result, locators)
    return Result(findings, result.checked)


def _located(result: Result, locators: dict[str, Locator | None]) -> list[Finding]:
    findings = []
    for f in result.findings:
        if f.state == "as-is" and f.file and f.path and f.line is None:
            if f.file not in locators:
                try:
                    locators[f.file] = Locator(Path(f.file).read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    locators[f.file] = None
            locator = locators[f.file]
            parts = tuple(m.group(1) or int(m.group(2)) for m in _PART.finditer(f.path))
            position = locator.position(parts) if locator else None
            if position:
                f = replace(f, line=position[0])
        findings.append(f)
    return findings


__all__ = [
    "SEVERITIES",
    "Finding",
    "Result",
    "Rule",
    "Waiver",
    "check",
    "load_coverage",
    "load_packs",
    "load_rules",
    "load_waivers",
]


def check(
    ledger: model.Ledger,
    plan: Plan | None,
    stacks: list[Stack] | None,
    state: str = "both",
    *,
    level: int | None = None,
    waivers: list[Waiver] | None = None,
    rules_root: Path | None = None,
    today: dt.date | None = None,
    inventory: Path | None = None,
) -> tuple[list[Rule], Result]:
    """Findings of the rules for ``state`` (as-is, to-be or both); ``level`` keeps the rules
    that apply at that MLPS level.  With ``inventory``, findings name files relative to it, so
    reports do not depend on where the ledger sits on disk."""
    rules = [r for r in load_rules(rules_root) if level is None or level in r.levels or 0 in r.levels]
    results = []
    if state in ("as-is", "both"):
        results.append(evaluate(rules, views.as_is(ledger, plan), "as-is"))
    if state in ("to-be", "both") and plan is not None and stacks is not None:
        results.append(evaluate(rules, views.to_be(stacks, plan), "to-be"))
    result = _with_lines(merge(*results))
    if inventory is not None:
        relative = functools.lru_cache(maxsize=None)(lambda file: relative_name(file, inventory))
        result = Result([replace(f, file=relative(f.file)) for f in result.findings], result.checked)
    if waivers:
        result = apply_waivers(result, waivers, today or dt.date.today(), {r.id for r in rules})
    return rules, result
