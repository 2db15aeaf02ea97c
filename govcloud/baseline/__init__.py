"""The security baseline (等保 2.0, GB/T 39786) as data, checked on the estate as it is and
on the stacks the plan will build.

``check(ledger, plan, stacks, state)`` evaluates the rules in ``policies/rules`` and returns
the state of every rule on every subject (pass, fail, waived, not evaluated, not applicable);
waivers mark accepted failures.  ``ledger_part(ledger)`` is the as-is check of what depends
on the ledger alone, made on its own (before the plan exists) and merged by
``check(..., ledger_part=...)`` into the same result.  Classified systems are left out and
assessed apart (:mod:`govcloud.baseline.classified`); their result is ``Result.annex``.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from govcloud.baseline import classified, views
from govcloud.baseline.conditions import roots
from govcloud.baseline.engine import (
    STATUSES,
    Finding,
    Result,
    Waiver,
    apply_waivers,
    evaluate,
    joined,
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
    "LEDGER_KINDS",
    "PART_KINDS",
    "SEVERITIES",
    "STATUSES",
    "Finding",
    "LedgerPart",
    "Result",
    "Rule",
    "Waiver",
    "check",
    "ledger_part",
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
    ledger_part: LedgerPart | None = None,
) -> tuple[list[Rule], Result]:
    """Findings of the rules for ``state`` (as-is, to-be or both); ``level`` keeps the rules
    that apply at that MLPS level.  Findings name files as the ledger's sources show them
    (relative to its root when it was loaded), so reports do not depend on where it sits.

    ``ledger_part``, :func:`ledger_part` of the same ledger with the same ``level`` and
    rules, stands for the as-is check of what depends on the ledger alone (the
    :data:`LEDGER_KINDS` subjects, and the systems by the rules that read nothing of the
    plan): the result is the same as without it."""
    rules = _rules(level, rules_root)
    results = []
    annex = Result([])
    if state in ("as-is", "both"):
        if ledger_part is None:
            as_is, annex = _as_is(ledger, plan, rules, views.AS_IS_KINDS, views.AS_IS_KINDS)
        else:
            if ledger_part.rules != tuple(r.id for r in rules if _in_part(r)):
                raise ValueError("the ledger's part of the baseline was checked with other rules")
            rest = [r for r in rules if r.state == "as-is" and not _in_part(r)]
            wanted = {r.applies_to for r in rest}
            kinds = [k for k in views.AS_IS_KINDS if k not in PART_KINDS or k in wanted]
            counted = [k for k in views.AS_IS_KINDS if k not in PART_KINDS]
            as_is, annex = _as_is(ledger, plan, rest, kinds, counted)
            as_is = joined(rules, ledger_part.ordinary, as_is)
            annex = joined(rules, ledger_part.annex, annex)
        results.append(as_is)
    if state in ("to-be", "both") and plan is not None and stacks is not None:
        # views of the resources some rule is checked on: no other would be looked at
        checked = {r.applies_to for r in rules if r.state == "to-be"}
        results.append(evaluate(rules, views.to_be(stacks, plan, checked), "to-be"))
    result, annex = _with_lines(merge(*results), ledger), _with_lines(annex, ledger)
    if waivers:
        result, annex = _waived(result, annex, waivers, today or dt.date.today(), {r.id for r in rules})
    result.annex = annex
    return rules, result


#: the kinds of as-is subjects whose views depend on the ledger alone: not on the plan (a
#: system's view says whether and where it moves) nor on a scenario (its targets change the
#: cloud nodes); at 100k servers they are most of the subjects
LEDGER_KINDS = frozenset({"sites", "servers", "lines", "networks"})
#: the kinds :func:`ledger_part` checks: the systems too, by the rules that read none of
#: the fields of their views that depend on the plan (:data:`~govcloud.baseline.views.PLAN_FIELDS`)
PART_KINDS = LEDGER_KINDS | {"systems"}


@dataclass
class LedgerPart:
    """The as-is check of what depends on a ledger alone (:func:`ledger_part`), made before
    the plan exists (in another process, or read from a cache) and merged by :func:`check`.
    It holds the engine's results, not the subjects' views: findings and, per rule, the ids
    of the subjects in each state (small to pickle), before lines are looked up and waivers
    applied, which :func:`check` does after the merge."""

    #: the ids of the rules checked, in order (:func:`check` refuses a part of other rules)
    rules: tuple[str, ...]
    #: the ordinary subjects' result (counting the classified ones left out), and the
    #: classified systems' and their servers' (the annex)
    ordinary: Result
    annex: Result

    def __getstate__(self) -> tuple[Any, ...]:
        # findings as tuples of their fields, not pickled dataclasses: at 100k servers (about
        # 80,000 findings) 6.7 MB instead of 9.3, read back in 0.15 s instead of 0.18
        return self.rules, _packed(self.ordinary), _packed(self.annex)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.rules, ordinary, annex = state
        self.ordinary, self.annex = _unpacked(ordinary), _unpacked(annex)


_FINDING = operator.attrgetter(*(f.name for f in fields(Finding)))


def _packed(result: Result) -> tuple[Any, ...]:
    tables = (result.checked, result.passed, result.not_applicable, result.separately)
    return ([_FINDING(f) for f in result.findings], [_FINDING(f) for f in result.unevaluated], *tables)


def _unpacked(state: tuple[Any, ...]) -> Result:
    findings, unevaluated, checked, passed, not_applicable, separately = state
    return Result(
        [Finding(*f) for f in findings],
        checked,
        [Finding(*f) for f in unevaluated],
        passed,
        not_applicable,
        separately,
    )


def ledger_part(
    ledger: model.Ledger, *, level: int | None = None, rules_root: Path | None = None
) -> LedgerPart:
    """The as-is check of the subjects whose views depend on ``ledger`` alone
    (:data:`LEDGER_KINDS`), and of its systems by the rules that do not look at the plan,
    for :func:`check`'s ``ledger_part``."""
    mine = [r for r in _rules(level, rules_root) if _in_part(r)]
    kinds = [k for k in views.AS_IS_KINDS if k in PART_KINDS]
    ordinary, annex = _as_is(ledger, None, mine, kinds, kinds)
    return LedgerPart(tuple(r.id for r in mine), ordinary, annex)


def _rules(level: int | None, rules_root: Path | None) -> list[Rule]:
    return [r for r in load_rules(rules_root) if level is None or level in r.levels or 0 in r.levels]


def _reads(rule: Rule) -> set[str]:
    """The fields at the top of a subject's view that ``rule`` reads."""
    return roots(rule.require) | (roots(rule.when) if rule.when is not None else set())


def _in_part(rule: Rule) -> bool:
    """Whether :func:`ledger_part` checks ``rule``: an as-is rule of a kind whose views
    depend on the ledger alone, or of the systems that reads nothing of the plan."""
    if rule.state != "as-is":
        return False
    if rule.applies_to == "systems":
        return not _reads(rule) & views.PLAN_FIELDS
    return rule.applies_to in LEDGER_KINDS


def _as_is(
    ledger: model.Ledger,
    plan: Plan | None,
    rules: list[Rule],
    kinds: Collection[str],
    counted: Collection[str],
) -> tuple[Result, Result]:
    """The as-is check of the subjects of ``kinds`` by ``rules``: the ordinary subjects'
    result (counting the classified ones of ``counted`` kinds left out) and the classified
    ones' (the annex).  A system's view holds the fields its rules read, no other."""
    apart = classified.subjects(ledger)
    read = set().union(*(_reads(r) for r in rules if r.applies_to == "systems"))
    ordinary: list[views.Subject] = []
    secret: list[views.Subject] = []
    for subject in views.as_is(ledger, plan, kinds, fields=read):
        (secret if (subject.kind, subject.id) in apart else ordinary).append(subject)
    as_is = evaluate(rules, ordinary, "as-is")
    for subject in secret:
        if subject.kind in counted:
            as_is.separately[subject.kind] = as_is.separately.get(subject.kind, 0) + 1
    return as_is, evaluate(rules, secret, "as-is")


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
