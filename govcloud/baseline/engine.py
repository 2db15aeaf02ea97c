"""Evaluate baseline rules against the as-is inventory and the to-be stacks, apply waivers.

Every rule has a state on every subject of the kind it applies to (:data:`STATUSES`):

- ``pass`` / ``fail``: the rule's condition holds or does not;
- ``waived``: it fails, and a waiver in force accepts that, with its approver, reason,
  ticket and expiry;
- ``not-evaluated``: the inventory does not record a field the condition needs (named in
  ``missing``) — an unknown never passes or fails silently;
- ``not-applicable``: the subject's MLPS level is not one of the rule's, or its ``when`` does
  not hold.

The to-be stacks are complete by construction (an unset property is the provider's default,
which is what will be built), so to-be rules answer pass or fail.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.baseline.conditions import Condition, Holds, compile_holds, compile_judge
from govcloud.baseline.rules import SEVERITIES, Rule
from govcloud.baseline.views import Subject
from govcloud.ledger.yamlio import Locator
from govcloud.settings import read_yaml, refused

#: the states of a rule on a subject, in the order reports show them
STATUSES = ("pass", "fail", "waived", "not-evaluated", "not-applicable")
#: what every waiver must say
WAIVER_FIELDS = ("rule", "target", "reason", "approver", "ticket", "expires")


@dataclass(frozen=True)
class Waiver:
    rule: str
    target: str  # a subject id; * and ? match
    reason: str
    approver: str
    expires: dt.date
    where: str
    ticket: str = ""

    def describe(self) -> str:
        """``approver: reason [ticket] (until date)``, for a finding's ``waived_by``."""
        ticket = f" [{self.ticket}]" if self.ticket else ""
        return f"{self.approver}: {self.reason}{ticket} (until {self.expires})"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    state: str
    subject: str
    kind: str
    file: str
    path: str
    waived_by: str = ""
    line: int | None = None
    #: ``fail`` or ``not-evaluated``
    outcome: str = "fail"
    #: not evaluated: the fields the rule needs that are not recorded
    missing: tuple[str, ...] = ()
    waiver: Waiver | None = None

    @property
    def waived(self) -> bool:
        return bool(self.waived_by)

    @property
    def status(self) -> str:
        return "waived" if self.waived else self.outcome


@dataclass
class Result:
    #: failures (open or waived) and problems of the waivers themselves
    findings: list[Finding]
    checked: dict[str, int] = field(default_factory=dict)  # rule → subjects it applied to
    #: rule and subject pairs the rule could not judge, with the missing fields
    unevaluated: list[Finding] = field(default_factory=list)
    #: rule → the subjects it passed on
    passed: dict[str, list[str]] = field(default_factory=dict)
    #: rule → the subjects of its kind it does not apply to (level or ``when``)
    not_applicable: dict[str, list[str]] = field(default_factory=dict)
    #: subject kind → how many were left out of this result to be assessed separately (涉密)
    separately: dict[str, int] = field(default_factory=dict)
    #: the classified subjects' own assessment (never in the ordinary outputs)
    annex: Result | None = None
    #: each rule's counts per state, computed once when first asked (not copied by ``replace``)
    _tallies: dict[str, dict[str, int]] | None = field(default=None, init=False, repr=False, compare=False)

    def open(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def at_or_above(self, threshold: str) -> list[Finding]:
        limit = SEVERITIES.index(threshold)
        return [f for f in self.open() if SEVERITIES.index(f.severity) <= limit]

    def expired_waivers(self) -> list[Finding]:
        return [f for f in self.findings if f.rule == "waiver-expired"]

    def counts(self) -> dict[str, int]:
        """Rule and subject pairs per state (waiver problems count as failures)."""
        return {
            "pass": sum(len(v) for v in self.passed.values()),
            "fail": len(self.open()),
            "waived": sum(1 for f in self.findings if f.waived),
            "not-evaluated": len(self.unevaluated),
            "not-applicable": sum(len(v) for v in self.not_applicable.values()),
        }

    def rule_counts(self, rule: str) -> dict[str, int]:
        """One rule's subjects per state."""
        if self._tallies is None:
            tallies: dict[str, Counter[str]] = {}
            for f in self.findings:
                tallies.setdefault(f.rule, Counter())[f.status] += 1
            for f in self.unevaluated:
                tallies.setdefault(f.rule, Counter())["not-evaluated"] += 1
            for name, table in (("pass", self.passed), ("not-applicable", self.not_applicable)):
                for rule_id, subjects in table.items():
                    tallies.setdefault(rule_id, Counter())[name] += len(subjects)
            self._tallies = {r: {s: c[s] for s in STATUSES} for r, c in tallies.items()}
        return dict(self._tallies.get(rule) or dict.fromkeys(STATUSES, 0))

    def relocate(self, change: Any) -> Result:
        """The same result with ``change(finding)`` applied to every finding and unevaluated pair."""
        return replace(
            self,
            findings=[change(f) for f in self.findings],
            unevaluated=[change(f) for f in self.unevaluated],
        )


def _finding(
    rule: Rule, subject: Subject, state: str, outcome: str, missing: set[str] | None = None
) -> Finding:
    return Finding(
        rule.id,
        rule.severity,
        state,
        subject.id,
        subject.kind,
        subject.file,
        subject.path,
        line=subject.line,
        outcome=outcome,
        missing=tuple(sorted(missing or ())),
    )


def evaluate(rules: Iterable[Rule], subjects: Iterable[Subject], state: str) -> Result:
    """The state of every rule of ``state`` on every subject of its kind.  Each condition is
    compiled once per rule, not interpreted once per subject: two answers for the complete
    to-be stacks, three (unknown) for the as-is inventory."""
    mine = [rule for rule in rules if rule.state == state]
    if state == "to-be":
        return _held(mine, subjects)
    by_kind: dict[str, list[Subject]] = {}
    for subject in subjects:
        by_kind.setdefault(subject.kind, []).append(subject)
    result = Result([])
    for rule in mine:
        passed: list[str] = []
        skipped: list[str] = []
        result.checked[rule.id] = _judged(
            rule, by_kind.get(rule.applies_to, []), state, result, passed, skipped
        )
        result.passed[rule.id] = sorted(passed)
        result.not_applicable[rule.id] = sorted(skipped)
    result.findings.sort(key=_order)
    result.unevaluated.sort(key=_order)
    return result


def _held(rules: list[Rule], subjects: Iterable[Subject]) -> Result:
    """:func:`evaluate` of to-be rules, on subjects that record every field (the to-be
    stacks): each subject, as it comes, by every rule of its kind, while its view is at
    hand (at a province's scale hundreds of thousands of views: asked one rule after
    another, each view is fetched from memory again by each rule, which costs more than the
    rules).  The subjects a rule passed on or does not apply to are listed in order of id,
    its failures are findings.  A rule that raises raises at the end, as asked one rule at
    a time: the first such rule's error on the first subject it raised on."""
    Append = Callable[[str], None]
    # per kind, the rules of every level without a ``when`` (most: they apply to every
    # subject of their kind, and what they pass on is the others than those they fail on,
    # the places of which they keep), and the other rules
    plain: dict[str, list[tuple[Holds, list[int], Rule]]] = {}
    other: dict[str, list[tuple[tuple[int, ...] | None, Holds | None, Holds, Append, Append, Rule]]] = {}
    failing: dict[int, list[int]] = {}  # a plain rule's (by its place in ``rules``)
    result = Result([])
    for place, rule in enumerate(rules):
        passed: list[str] = []
        skipped: list[str] = []
        result.passed[rule.id], result.not_applicable[rule.id] = passed, skipped
        holds = compile_holds(rule.require)
        if 0 in rule.levels and rule.when is None:
            failing[place] = []
            plain.setdefault(rule.applies_to, []).append((holds, failing[place], rule))
            other.setdefault(rule.applies_to, [])
        else:
            when = None if rule.when is None else compile_holds(rule.when)
            levels = None if 0 in rule.levels else rule.levels  # None: every level
            other.setdefault(rule.applies_to, []).append(
                (levels, when, holds, passed.append, skipped.append, rule)
            )
            plain.setdefault(rule.applies_to, [])
    ids: dict[str, list[str]] = {kind: [] for kind in plain}  # of the subjects of each kind
    # all the plain rules of a kind as one condition: where it holds (most subjects), each
    # of them does; where it does not or raises, they are asked one by one
    together = {
        kind: compile_holds({"all": _parts(r.require for _, _, r in of_kind)})
        for kind, of_kind in plain.items()
    }
    errors: dict[str, Exception] = {}
    failed = result.findings
    for subject in subjects:
        of_kind = ids.get(subject.kind)
        if of_kind is None:
            continue
        kind, view, ident, at = subject.kind, subject.view, subject.id, len(of_kind)
        of_kind.append(ident)
        try:
            clean = together[kind](view)
        except Exception:  # asked one by one below, which keeps the error of each
            clean = False
        for holds, fails, rule in () if clean else plain[kind]:
            try:
                if not holds(view):
                    fails.append(at)
                    failed.append(_finding(rule, subject, "to-be", "fail"))
            except Exception as error:  # raised below, in the rules' order
                errors.setdefault(rule.id, error)
        for levels, when, holds, passes, skips, rule in other[kind]:
            try:
                if (levels is not None and subject.level not in levels) or (
                    when is not None and not when(view)
                ):
                    skips(ident)
                elif holds(view):
                    passes(ident)
                else:
                    failed.append(_finding(rule, subject, "to-be", "fail"))
            except Exception as error:  # raised below, in the rules' order
                errors.setdefault(rule.id, error)
    in_order = {kind: sorted(of_kind) for kind, of_kind in ids.items()}  # once for its rules
    for place, rule in enumerate(rules):
        if rule.id in errors:
            raise errors[rule.id]
        of_kind = ids.get(rule.applies_to, [])
        if place not in failing:
            result.passed[rule.id].sort()
        elif failing[place]:
            failed_at = set(failing[place])
            result.passed[rule.id] = sorted(i for at, i in enumerate(of_kind) if at not in failed_at)
        else:
            result.passed[rule.id] = list(in_order[rule.applies_to])
        result.checked[rule.id] = len(of_kind) - len(result.not_applicable[rule.id])
        result.not_applicable[rule.id].sort()
    failed.sort(key=_order)
    return result


def _parts(conditions: Iterable[Condition]) -> list[Condition]:
    """The parts of a condition that all of ``conditions`` hold, each ``all`` laid flat."""
    return [part for c in conditions for part in c.get("all", [c])]


def _judged(
    rule: Rule, subjects: list[Subject], state: str, result: Result, passed: list[str], skipped: list[str]
) -> int:
    """:func:`_held` with three answers (the as-is inventory may not record a field): a
    subject it cannot judge goes into ``result``'s unevaluated pairs with the fields missing."""
    every_level = 0 in rule.levels
    levels = rule.levels
    when = None if rule.when is None else compile_judge(rule.when)
    require = compile_judge(rule.require)
    applied = 0
    # the fields a subject lacks: one set, emptied before each subject after one that left some
    missing: set[str] = set()
    for subject in subjects:
        if not (every_level or subject.level in levels):
            skipped.append(subject.id)
            continue
        if missing:
            missing.clear()
        applies = True if when is None else when(subject.view, missing)
        if applies is False:
            skipped.append(subject.id)
            continue
        applied += 1
        verdict = None if applies is None else require(subject.view, missing)
        if verdict is None:
            result.unevaluated.append(_finding(rule, subject, state, "not-evaluated", missing))
        elif verdict:
            passed.append(subject.id)
        else:
            result.findings.append(_finding(rule, subject, state, "fail"))
    return applied


def _order(f: Finding) -> tuple[int, str, str]:
    return (SEVERITIES.index(f.severity), f.rule, f.subject)


def load_waivers(path: Path | None) -> list[Waiver]:
    """The waivers in ``path``: each names its rule, target, reason, approver, ticket and
    expiry (YYYY-MM-DD); a waiver that lacks one is refused, naming the file, line and field."""
    if path is None:
        return []
    data = read_yaml(path)
    items = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise refused("settings.expected-waivers", str(path))
    locator: Locator | None = None
    out = []
    for i, item in enumerate(items):
        where = f"{path.name} waivers[{i}]"
        problem = _waiver_problem(item)
        if problem:
            field_name, words, params = problem
            if locator is None:
                locator = Locator(path.read_text(encoding="utf-8"))
            position = locator.position(("waivers", i, field_name))
            line = f":{position[0]}" if position else ""
            raise refused(
                "settings.waiver",
                f"{path}{line}",
                f"waivers[{i}].{field_name}",
                words=words,
                fields=", ".join(WAIVER_FIELDS),
                **params,
            )
        out.append(
            Waiver(
                str(item["rule"]),
                str(item["target"]),
                str(item["reason"]).strip(),
                str(item["approver"]).strip(),
                dt.date.fromisoformat(str(item["expires"])),
                where,
                str(item["ticket"]).strip(),
            )
        )
    return out


#: the longest text a waiver field may hold
WAIVER_TEXT_MAX = 500
#: the years a waiver may expire in
WAIVER_YEARS = (2000, 2200)


def _waiver_problem(item: Any) -> tuple[str, str, dict[str, object]] | None:
    """The first field of a waiver that cannot be used, and why: every field a short text
    (numbers are taken as their text), rule, target, ticket and expiry printable, the expiry
    a real date within :data:`WAIVER_YEARS`."""
    if not isinstance(item, dict):
        return "rule", "waiver.not-mapping", {}
    for name in WAIVER_FIELDS:
        value = item.get(name)
        if value is None or not str(value).strip():
            return name, "waiver.missing", {}
        if isinstance(value, bool | list | dict):
            return name, "waiver.not-text", {"value": safeio.terminal(repr(value))[:60]}
        if len(str(value)) > WAIVER_TEXT_MAX:
            return name, "waiver.too-long", {"limit": WAIVER_TEXT_MAX}
        bad = safeio.invisible(str(value)) if name in ("rule", "target", "ticket", "expires") else None
        if bad:
            return name, "waiver.invisible", {"value": repr(safeio.terminal(str(value))), "bad": bad}
    try:
        expires = dt.date.fromisoformat(str(item["expires"]))
    except ValueError:
        return "expires", "waiver.not-date", {"value": safeio.terminal(repr(item["expires"]))[:60]}
    if not WAIVER_YEARS[0] <= expires.year <= WAIVER_YEARS[1]:
        return "expires", "waiver.year", {"value": expires, "low": WAIVER_YEARS[0], "high": WAIVER_YEARS[1]}
    return None


def apply_waivers(result: Result, waivers: list[Waiver], today: dt.date, rule_ids: set[str]) -> Result:
    """Waived failures are marked; an expired waiver waives nothing and is itself a finding
    (high), as is one of an unknown rule or one that matches nothing."""
    findings = []
    used: set[int] = set()
    for finding in result.findings:
        match = next(
            (
                i
                for i, w in enumerate(waivers)
                if w.rule == finding.rule
                and fnmatch.fnmatchcase(finding.subject, w.target)
                and w.expires >= today
            ),
            None,
        )
        if match is not None:
            used.add(match)
            waiver = waivers[match]
            finding = replace(finding, waived_by=waiver.describe(), waiver=waiver)
        findings.append(finding)
    for i, waiver in enumerate(waivers):
        if waiver.expires < today:
            code, severity = "waiver-expired", "high"
        elif waiver.rule not in rule_ids:
            code, severity = "waiver-unknown-rule", "medium"
        elif i not in used:
            code, severity = "waiver-unused", "low"
        else:
            continue
        findings.append(
            Finding(
                code,
                severity,
                "waivers",
                f"{waiver.rule} {waiver.target}",
                "waivers",
                waiver.where,
                "",
                waiver=waiver,
            )
        )
    return replace(result, findings=findings)


def merge(*results: Result) -> Result:
    out = Result([])
    for r in results:
        out.findings += r.findings
        out.unevaluated += r.unevaluated
        out.checked.update(r.checked)
        out.passed.update(r.passed)
        out.not_applicable.update(r.not_applicable)
        for kind, n in r.separately.items():
            out.separately[kind] = out.separately.get(kind, 0) + n
    out.findings.sort(key=_order)
    out.unevaluated.sort(key=_order)
    return out


def joined(rules: Iterable[Rule], *parts: Result) -> Result:
    """The result :func:`evaluate` gives on all the subjects, from its results on parts of
    them of kinds no other part has, each by the rules of its kinds: every rule's tables in
    the order of ``rules``, the findings in :func:`evaluate`'s order, the subjects left out
    counted in the parts' order."""
    out = merge(*parts)
    order = [r.id for r in rules]
    out.checked = {r: out.checked[r] for r in order if r in out.checked}
    out.passed = {r: out.passed[r] for r in order if r in out.passed}
    out.not_applicable = {r: out.not_applicable[r] for r in order if r in out.not_applicable}
    return out
