"""Baseline findings for auditors and CI: table, JSON, Markdown, SARIF 2.1.0 and JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

from rich.table import Table
from rich.text import Text

from govcloud import __version__
from govcloud.baseline import Finding, Result, Rule, load_coverage
from govcloud.i18n import Lang, t
from govcloud.report.text import md_escape, plain

BASELINE_SCHEMA_VERSION = 1
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
_WAIVER_RULES = {
    "waiver-expired": ("high", "an expired waiver", "renew or remove the waiver"),
    "waiver-unused": ("low", "a waiver that matches no finding", "remove the waiver"),
    "waiver-unknown-rule": ("medium", "a waiver of a rule that does not exist", "correct the rule id"),
}


def _rules(rules: list[Rule]) -> dict[str, Rule]:
    return {r.id: r for r in rules}


def _title(rule_id: str, rules: dict[str, Rule], lang: Lang) -> str:
    if rule_id in rules:
        return rules[rule_id].text("title", lang)
    return _WAIVER_RULES.get(rule_id, ("", rule_id, ""))[1]


def _fix(rule_id: str, rules: dict[str, Rule], lang: Lang) -> str:
    if rule_id in rules:
        return rules[rule_id].text("fix", lang)
    return _WAIVER_RULES.get(rule_id, ("", "", ""))[2]


def _where(finding: Finding) -> str:
    """``file:line path`` as far as known."""
    place = f"{finding.file}:{finding.line}" if finding.line else finding.file
    return f"{place} {finding.path}".strip()


def to_json(rules: list[Rule], result: Result, lang: Lang) -> dict[str, Any]:
    by_id = _rules(rules)
    counts = Counter(f.severity for f in result.open())
    return {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "summary": {
            "open": len(result.open()),
            "waived": sum(1 for f in result.findings if f.waived),
            "by_severity": dict(sorted(counts.items())),
        },
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "standard": r.standard,
                "clause": r.clause,
                "severity": r.severity,
                "state": r.state,
                "levels": list(r.levels),
                "checked": result.checked.get(r.id, 0),
                "equivalents": r.equivalents,
            }
            for r in rules
        ],
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "state": f.state,
                "subject": f.subject,
                "kind": f.kind,
                "file": f.file,
                "line": f.line,
                "path": f.path,
                "waived": f.waived,
                "waived_by": f.waived_by or None,
                "title": _title(f.rule, by_id, lang),
                "fix": _fix(f.rule, by_id, lang),
            }
            for f in result.findings
        ],
    }


def table(rules: list[Rule], result: Result, lang: Lang) -> Table:
    by_id = _rules(rules)
    out = Table(title=t("baseline.title", lang), title_justify="left")
    for column in ("severity", "rule", "subject", "where", "fix"):
        out.add_column(t(f"baseline.col.{column}", lang))
    for f in result.findings:
        severity = t(f"baseline.severity.{f.severity}", lang) + (
            f" ({t('baseline.waived', lang)})" if f.waived else ""
        )
        out.add_row(
            severity,
            Text(f"{f.rule}: {_title(f.rule, by_id, lang)}"),
            Text(plain(f.subject)),
            Text(plain(_where(f))),
            Text(_fix(f.rule, by_id, lang)),
        )
    out.caption = summary_line(result, lang)
    return out


def summary_line(result: Result, lang: Lang) -> str:
    counts = Counter(f.severity for f in result.open())
    parts = ", ".join(
        f"{t(f'baseline.severity.{s}', lang)} {counts[s]}"
        for s in ("critical", "high", "medium", "low")
        if counts[s]
    )
    return t(
        "baseline.summary",
        lang,
        open=len(result.open()),
        waived=sum(1 for f in result.findings if f.waived),
        counts=parts or "-",
    )


def markdown(rules: list[Rule], result: Result, lang: Lang) -> str:
    by_id = _rules(rules)
    lines = [f"# {t('baseline.title', lang)}", "", md_escape(summary_line(result, lang)), ""]
    lines += [
        "| "
        + " | ".join(t(f"baseline.col.{c}", lang) for c in ("severity", "rule", "subject", "where", "fix"))
        + " |",
        "|---|---|---|---|---|",
    ]
    for f in result.findings:
        severity = t(f"baseline.severity.{f.severity}", lang) + (
            f" ({t('baseline.waived', lang)})" if f.waived else ""
        )
        cells = [
            severity,
            f"`{f.rule}` {md_escape(_title(f.rule, by_id, lang))}",
            md_escape(f.subject),
            md_escape(_where(f)),
            md_escape(_fix(f.rule, by_id, lang)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        f"## {t('baseline.coverage', lang)}",
        "",
        "| rule | standard | clause | state | checked |",
        "|---|---|---|---|---:|",
    ]
    for r in rules:
        lines.append(
            f"| `{r.id}` | {md_escape(r.standard)} | {md_escape(r.clause)} | {r.state} | {result.checked.get(r.id, 0)} |"
        )
    lines += [
        "",
        f"## {t('baseline.matrix', lang)}",
        "",
        "| clause | | automatic | manual evidence |",
        "|---|---|---|---|",
    ]
    for clause in load_coverage():
        auto = ", ".join(f"`{r}`" for r in clause.get("automatic", [])) or "-"
        manual = md_escape(clause.get("manual", {}).get(lang, "")) or "-"
        lines.append(
            f"| {md_escape(clause['clause'])} | {md_escape(clause['title'][lang])} | {auto} | {manual} |"
        )
    return "\n".join(lines) + "\n"


def sarif(rules: list[Rule], result: Result, lang: Lang) -> dict[str, Any]:
    """SARIF 2.1.0: one run, the rules as reportingDescriptors, waived findings suppressed."""
    by_id = _rules(rules)
    descriptors = [
        {
            "id": r.id,
            "name": r.id.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": r.text("title", lang)},
            "fullDescription": {"text": r.text("rationale", lang)},
            "help": {"text": r.text("fix", lang)},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "properties": {
                "standard": r.standard,
                "clause": r.clause,
                "severity": r.severity,
                "tags": [r.state],
            },
        }
        for r in rules
    ] + [
        {
            "id": rid,
            "shortDescription": {"text": text},
            "help": {"text": fix},
            "defaultConfiguration": {"level": _SARIF_LEVEL[sev]},
        }
        for rid, (sev, text, fix) in sorted(_WAIVER_RULES.items())
    ]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for f in result.findings:
        item: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f"{f.subject}: {_title(f.rule, by_id, lang)} → {_fix(f.rule, by_id, lang)}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file or "ledger"},
                        **({"region": {"startLine": f.line}} if f.line else {}),
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.subject, "kind": "resource"}],
                }
            ],
        }
        if f.waived:
            item["suppressions"] = [{"kind": "external", "justification": f.waived_by}]
        results.append(item)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "govcloud",
                        "version": __version__,
                        "informationUri": "https://govcloud.invalid",
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }


def junit(rules: list[Rule], result: Result, lang: Lang) -> str:
    """JUnit XML: one test case per rule; a failure per open finding."""
    by_rule: dict[str, list[Any]] = {}
    for f in result.open():
        by_rule.setdefault(f.rule, []).append(f)
    suite = ET.Element(
        "testsuite",
        name="govcloud-baseline",
        tests=str(len(rules)),
        failures=str(sum(1 for r in rules if r.id in by_rule)),
    )
    for r in rules:
        case = ET.SubElement(
            suite, "testcase", classname=f"baseline.{r.state}", name=f"{r.id}: {r.text('title', lang)}"
        )
        findings = by_rule.get(r.id, [])
        if findings:
            failure = ET.SubElement(case, "failure", type=r.severity, message=f"{len(findings)} findings")
            failure.text = "\n".join(f"{f.subject} ({f.file} {f.path})".strip() for f in findings)
    suites = ET.Element("testsuites")
    suites.append(suite)
    return ET.tostring(suites, encoding="unicode") + "\n"
