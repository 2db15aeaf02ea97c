"""The security baseline (等保 2.0, GB/T 39786) as data, checked on the estate as it is and
on the stacks the plan will build.

``check(ledger, plan, stacks, state)`` evaluates the rules in ``policies/rules`` and returns
the state of every rule on every subject (pass, fail, waived, not evaluated, not applicable);
waivers mark accepted failures.  Classified systems are left out and assessed apart
(:mod:`govcloud.baseline.classified`); their result is ``Result.annex``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from govcloud.baseline import classified, views
from govcloud.baseline.engine import (
    STATUSES,
    Finding,
    Result,
    Waiver,
    apply_waivers,
    evaluate,
    load_waivers,
    merge,
)
from govcloud.baseline.rules import SEVERITIES, Rule, load_coverage, load_packs, load_rules
from govcloud.ledger import model
from govcloud.ledger.loader import collector_paused
from govcloud.ledger.yamlio import Locator
from govcloud.plan import Plan
from govcloud.stacks import Stack

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _with_lines(result: Result, ledger: model.Ledger) -> Result:
    """Findings on inventory entities get the line their entity starts on: the one the loader
    saw, else (an entity without one) the file is composed, once, only when it has such
    findings; it is read where the ledger's source says it was (a finding names it as shown)."""
    locators: dict[str, Locator | None] = {}
    origins: dict[str, str] = {}

    def origin(shown: str) -> str:
        if not origins:
            origins.update(
                (e.source.shown, e.source.file) for _, e in ledger.entities() if hasattr(e, "source")
            )
        return origins.get(shown, shown)

    with collector_paused():
        return result.relocate(lambda f: _located(f, locators, origin))


def _located(f: Finding, locators: dict[str, Locator | None], origin: Callable[[str], str]) -> Finding:
    if f.state == "as-is" and f.file and f.path and f.line is None:
        if f.file not in locators:
            try:
                locators[f.file] = Locator(Path(origin(f.file)).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                locators[f.file] = None
        locator = locators[f.file]
        parts = tuple(m.group(1) or int(m.group(2)) for m in _PART.finditer(f.path))
        position = locator.position(parts) if locator else None
        if position:
            f = replace(f, line=position[0])
    return f


__all__ = [
    "SEVERITIES",
    "STATUSES",
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
) -> tuple[list[Rule], Result]:
    """Findings of the rules for ``state`` (as-is, to-be or both); ``level`` keeps the rules
    that apply at that MLPS level.  Findings name files as the ledger's sources show them
    (relative to its root when it was loaded), so reports do not depend on where it sits."""
    rules = [r for r in load_rules(rules_root) if level is None or level in r.levels or 0 in r.levels]
    results = []
    annex = Result([])
    if state in ("as-is", "both"):
        apart = classified.subjects(ledger)
        ordinary: list[views.Subject] = []
        secret: list[views.Subject] = []
        for subject in views.as_is(ledger, plan):
            (secret if (subject.kind, subject.id) in apart else ordinary).append(subject)
        as_is = evaluate(rules, ordinary, "as-is")
        for subject in secret:
            as_is.separately[subject.kind] = as_is.separately.get(subject.kind, 0) + 1
        results.append(as_is)
        annex = evaluate(rules, secret, "as-is")
    if state in ("to-be", "both") and plan is not None and stacks is not None:
        # views of the resources some rule is checked on: no other would be looked at
        checked = {r.applies_to for r in rules if r.state == "to-be"}
        results.append(evaluate(rules, views.to_be(stacks, plan, checked), "to-be"))
    result, annex = _with_lines(merge(*results), ledger), _with_lines(annex, ledger)
    if waivers:
        result, annex = _waived(result, annex, waivers, today or dt.date.today(), {r.id for r in rules})
    result.annex = annex
    return rules, result


def _waived(
    result: Result, annex: Result, waivers: list[Waiver], today: dt.date, rule_ids: set[str]
) -> tuple[Result, Result]:
    """Waivers applied to the ordinary and the classified failures together (a waiver of a
    classified system is used there); a waiver naming a classified system, and its problems,
    go to the annex."""
    both = apply_waivers(replace(result, findings=result.findings + annex.findings), waivers, today, rule_ids)
    secret = {f.subject for f in annex.findings + annex.unevaluated}
    secret.update(i for table in (annex.passed, annex.not_applicable) for ids in table.values() for i in ids)

    def in_annex(f: Finding) -> bool:
        if f.state == "waivers" and f.waiver is not None:
            return f.waiver.target in secret
        return f.subject in secret and f.state == "as-is"

    kept = [f for f in both.findings if not in_annex(f)]
    moved = [f for f in both.findings if in_annex(f)]
    return replace(result, findings=kept), replace(annex, findings=moved)
