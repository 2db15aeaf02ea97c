"""Evaluate baseline rules against the as-is inventory and the to-be stacks, apply waivers."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.baseline.conditions import holds
from govcloud.baseline.rules import SEVERITIES, Rule
from govcloud.baseline.views import Subject
from govcloud.settings import ConfigError, read_yaml


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

    @property
    def waived(self) -> bool:
        return bool(self.waived_by)


@dataclass(frozen=True)
class Waiver:
    rule: str
    target: str  # a subject id; * and ? match
    reason: str
    approver: str
    expires: dt.date
    where: str


@dataclass
class Result:
    findings: list[Finding]
    checked: dict[str, int] = field(default_factory=dict)  # rule → subjects it applied to

    def open(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def at_or_above(self, threshold: str) -> list[Finding]:
        limit = SEVERITIES.index(threshold)
        return [f for f in self.open() if SEVERITIES.index(f.severity) <= limit]


def evaluate(rules: Iterable[Rule], subjects: Iterable[Subject], state: str) -> Result:
    """Findings of every rule of ``state`` on every subject it applies to."""
    by_kind: dict[str, list[Subject]] = {}
    for subject in subjects:
        by_kind.setdefault(subject.kind, []).append(subject)
    result = Result([])
    for rule in rules:
        if rule.state != state:
            continue
        applicable = [
            s for s in by_kind.get(rule.applies_to, []) if s.level in rule.levels or 0 in rule.levels
        ]
        applicable = [s for s in applicable if rule.when is None or holds(rule.when, s.view)]
        result.checked[rule.id] = len(applicable)
        for subject in applicable:
            if not holds(rule.require, subject.view):
                result.findings.append(
                    Finding(
                        rule.id,
                        rule.severity,
                        state,
                        subject.id,
                        subject.kind,
                        subject.file,
                        subject.path,
                        line=subject.line,
                    )
                )
    result.findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.rule, f.subject))
    return result


def load_waivers(path: Path | None) -> list[Waiver]:
    if path is None:
        return []
    data = read_yaml(path)
    items = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f"{path}: expected a list under 'waivers:'")
    out = []
    for i, item in enumerate(items):
        where = f"{path} waivers[{i}]"
        _check_waiver(item, where)
        try:
            out.append(
                Waiver(
                    str(item["rule"]),
                    str(item["target"]),
                    str(item["reason"]),
                    str(item["approver"]),
                    dt.date.fromisoformat(str(item["expires"])),
                    where,
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"{where}: needs rule, target, reason, approver and expires (YYYY-MM-DD): {exc}"
            ) from exc
    return out


#: the longest text a waiver field may hold
WAIVER_TEXT_MAX = 500


def _check_waiver(item: object, where: str) -> None:
    """A waiver is a mapping of short, printable texts, and a real date within reach."""
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a mapping with rule, target, reason, approver and expires")
    for key in ("rule", "target", "reason", "approver", "expires"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                f"{where}.{key}: expected a non-empty text, got {safeio.terminal(repr(value))[:80]}"
            )
        if len(value) > WAIVER_TEXT_MAX:
            raise ConfigError(f"{where}.{key}: longer than {WAIVER_TEXT_MAX} characters")
        bad = safeio.invisible(value) if key in ("rule", "target", "expires") else None
        if bad:
            raise ConfigError(f"{where}.{key}: {safeio.terminal(value)!r} contains {bad}")
    unknown = sorted(set(item) - {"rule", "target", "reason", "approver", "expires"})
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]}: unknown key")
    try:
        expires = dt.date.fromisoformat(item["expires"])
    except ValueError:
        raise ConfigError(f"{where}.expires: {item['expires']!r} is not a real date (YYYY-MM-DD)") from None
    if not 2000 <= expires.year <= 2200:
        raise ConfigError(f"{where}.expires: {expires} is not a date a waiver can expire on (2000–2200)")


def apply_waivers(result: Result, waivers: list[Waiver], today: dt.date, rule_ids: set[str]) -> Result:
    """Waived findings are marked; an expired waiver, or one that matches nothing, is itself a finding."""
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
            finding = replace(
                finding,
                waived_by=f"{waivers[match].approver}: {waivers[match].reason} (until {waivers[match].expires})",
            )
        findings.append(finding)
    for i, waiver in enumerate(waivers):
        if waiver.expires < today:
            findings.append(
                Finding(
                    "waiver-expired",
                    "high",
                    "waivers",
                    f"{waiver.rule} {waiver.target}",
                    "waivers",
                    waiver.where,
                    "",
                )
            )
        elif waiver.rule not in rule_ids:
            findings.append(
                Finding(
                    "waiver-unknown-rule",
                    "medium",
                    "waivers",
                    f"{waiver.rule} {waiver.target}",
                    "waivers",
                    waiver.where,
                    "",
                )
            )
        elif i not in used:
            findings.append(
                Finding(
                    "waiver-unused",
                    "low",
                    "waivers",
                    f"{waiver.rule} {waiver.target}",
                    "waivers",
                    waiver.where,
                    "",
                )
            )
    return Result(findings, result.checked)


def merge(*results: Result) -> Result:
    findings: list[Finding] = []
    checked: dict[str, Any] = {}
    for r in results:
        findings += r.findings
        checked.update(r.checked)
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.rule, f.subject))
    return Result(findings, checked)
