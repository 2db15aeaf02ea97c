"""Baseline findings for auditors and CI: table, JSON, Markdown, SARIF 2.1.0 and JUnit XML.

Every format carries the count of each state (pass, fail, waived, not evaluated, not
applicable), every waiver's approver, reason, ticket and expiry, the fields that kept a rule
from being evaluated, and the number of classified systems assessed separately (never their
details: :func:`annex` writes those, only on request).

What needs action (a failure, a waiver, a rule that could not be evaluated) is one entry per
subject with its location in every format.  The evidence of every subject's state, passes and
subjects a rule does not apply to included, is ``baseline.json``'s alone, in a compact form:
the document's ``subjects`` (each subject once, sorted) and, per rule and state, the positions
of its subjects in that list as runs (``"0-4 7 9-12"``: :func:`subjects_of` reads them back).
At 100k servers listing them as strings per rule took most of the file, and SARIF's per-rule
pass results naming each subject as a logical location more than half of that file."""

from __future__ import annotations

import itertools
import operator
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text

from govcloud import __version__
from govcloud.baseline import STATUSES, Finding, Result, Rule, Waiver, load_coverage
from govcloud.baseline.classified import REGIME
from govcloud.i18n import Lang, join_list, t
from govcloud.outputs import JsonArray, json_text
from govcloud.registry import OutputFormat, output_formats
from govcloud.text import md_escape, md_escape_all, plain

#: 2: each rule's subjects per state as runs of positions in ``subjects`` (1: ``passed`` and
#: ``not_applicable`` as lists of ids); a finding's title and fix are its rule's, in both
#: languages, no longer repeated in the run's language on every finding
BASELINE_SCHEMA_VERSION = 2
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
#: a state's SARIF result kind (waived: a failure with an accepted suppression)
_SARIF_KIND = {
    "pass": "pass",
    "fail": "fail",
    "waived": "fail",
    "not-evaluated": "review",
    "not-applicable": "notApplicable",
}
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


def _waiver(waiver: Waiver | None) -> dict[str, str] | None:
    if waiver is None:
        return None
    return {
        "approver": waiver.approver,
        "reason": waiver.reason,
        "ticket": waiver.ticket,
        "expires": waiver.expires.isoformat(),
        "where": waiver.where,
    }


def _missing(finding: Finding, lang: Lang, *, data: bool = False) -> str:
    """The fields a finding could not be checked without; ``data`` keeps the list as SARIF has
    always carried it (a machine output: its bytes do not change with the list style)."""
    fields = (", ".join(finding.missing) or "-") if data else join_list(finding.missing, lang, empty="-")
    return t("baseline.missing", lang, fields=fields)


def to_json(
    rules: list[Rule],
    result: Result,
    lang: Lang,
    residual: dict[str, Any] | None = None,
    *,
    lazy: bool = False,
    subjects: bool = True,
) -> dict[str, Any]:
    """baseline.json.  ``lazy``: the findings and the rules not evaluated as
    :class:`~govcloud.outputs.JsonArray` made as they are written, not lists (see :func:`sarif`).
    Without ``subjects``, the document less the list of every subject checked and each rule's
    runs of them (what the HTML report draws of it, made without them: 1 s at 100k servers);
    every other member is as in the whole document.  ``lang`` is not used (every format is
    called alike): the document's only texts are its rules', in both languages."""
    del lang
    findings = (
        {
            "rule": f.rule,
            "severity": f.severity,
            "state": f.state,
            "status": f.status,
            "subject": f.subject,
            "kind": f.kind,
            "file": f.file,
            "line": f.line,
            "path": f.path,
            "waived": f.waived,
            "waived_by": f.waived_by or None,
            "waiver": _waiver(f.waiver),
        }
        for f in result.findings
    )
    unevaluated = (
        {
            "rule": f.rule,
            "severity": f.severity,
            "state": f.state,
            "subject": f.subject,
            "kind": f.kind,
            "file": f.file,
            "line": f.line,
            "path": f.path,
            "missing": list(f.missing),
        }
        for f in result.unevaluated
    )
    listed, states = subject_runs(rules, result) if subjects else ([], {})
    counts = Counter(f.severity for f in result.open())
    document: dict[str, Any] = {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "summary": {
            "open": len(result.open()),
            "waived": sum(1 for f in result.findings if f.waived),
            "by_severity": dict(sorted(counts.items())),
            "states": result.counts(),
            "assessed_separately": dict(sorted(result.separately.items())),
        },
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "fix": r.fix,
                "standard": r.standard,
                "clause": r.clause,
                "severity": r.severity,
                "state": r.state,
                "levels": list(r.levels),
                "checked": result.checked.get(r.id, 0),
                "states": result.rule_counts(r.id),
                **({"subjects": states[r.id]} if subjects else {}),
                "equivalents": r.equivalents,
            }
            for r in rules
        ],
        **({"subjects": listed} if subjects else {}),
        "findings": JsonArray(findings) if lazy else list(findings),
        "not_evaluated": JsonArray(unevaluated) if lazy else list(unevaluated),
    }
    if residual is not None:
        document["residual"] = residual
    return document


def subject_runs(rules: list[Rule], result: Result) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Every subject a rule was checked on, each once and sorted, and per rule and state the
    positions of its subjects in that list as runs (:func:`runs`)."""
    by_rule: dict[str, dict[str, list[str]]] = {r.id: {s: [] for s in STATUSES} for r in rules}
    for status, table in (("pass", result.passed), ("not-applicable", result.not_applicable)):
        for rule_id, names in table.items():
            if rule_id in by_rule:
                by_rule[rule_id][status] = names
    for f in (*result.findings, *result.unevaluated):
        if f.rule in by_rule:  # not a waiver's own problem: those are findings, of no rule
            by_rule[f.rule][f.status].append(f.subject)
    # a subject per item, looked up in C (map, zip, filterfalse): at 100k servers two million
    # rule and subject pairs
    subjects = _union(names for states in by_rule.values() for names in states.values())
    position = dict(zip(subjects, range(len(subjects)), strict=True))
    return subjects, {
        rule_id: {status: _table_runs(names, subjects, position) for status, names in states.items()}
        for rule_id, states in by_rule.items()
    }


def _union(tables: Iterable[list[str]]) -> list[str]:
    """The names of all ``tables``, each once, sorted.  Each table's names not in a larger one
    are kept in its order, and sorted together: the checker's tables are sorted, so this
    merges a few dozen runs instead of sorting 400,000 names at 100k servers."""
    seen: set[str] = set()
    fresh: list[list[str]] = []
    for names in sorted(tables, key=len, reverse=True):
        if new := list(itertools.filterfalse(seen.__contains__, names)):
            seen.update(new)
            fresh.append(new)
    union = sorted(itertools.chain.from_iterable(fresh))
    return union if len(union) == len(seen) else sorted(seen)  # a table that repeats a name


def _table_runs(names: list[str], subjects: list[str], position: dict[str, int]) -> str:
    """:func:`runs` of the positions of ``names`` (some of ``subjects``, sorted, each once).

    A table sorted as the checker makes it is walked a run at a time: a run's first name is
    looked up, and its length found by comparing slices of the table and of the subjects,
    doubled while equal, then halved (at 100k servers most of two million names are in runs
    of 30 to 70).  Any other table is looked up name by name."""
    count = len(names)
    if not all(map(operator.lt, names, itertools.islice(names, 1, None))):
        return runs(map(position.__getitem__, names))
    parts: list[str] = []
    at = 0
    while at < count:
        first = position[names[at]]
        if at + 1 == count or names[at + 1] != subjects[first + 1]:
            parts.append(str(first))
            at += 1
            continue
        size = step = 2  # names[at : at + size] == subjects[first : first + size]
        while (
            at + size + step <= count
            and names[at + size : at + size + step] == subjects[first + size : first + size + step]
        ):
            size += step
            step *= 2
        while step > 1:
            step //= 2
            if (
                at + size + step <= count
                and names[at + size : at + size + step] == subjects[first + size : first + size + step]
            ):
                size += step
        parts.append(f"{first}-{first + size - 1}")
        at += size
    return " ".join(parts)


def runs(positions: Iterable[int]) -> str:
    """Positions as sorted runs: ``[0, 1, 2, 4, 7, 8]`` → ``"0-2 4 7-8"`` (``""``: none)."""
    parts: list[str] = []
    ordered = list(positions)
    if not all(map(operator.lt, ordered, itertools.islice(ordered, 1, None))):  # as checked: sorted
        ordered = sorted(set(ordered))
    start = 0
    for i, here in enumerate(ordered):
        if i + 1 == len(ordered) or ordered[i + 1] != here + 1:
            first = ordered[start]
            parts.append(str(here) if first == here else f"{first}-{here}")
            start = i + 1
    return " ".join(parts)


def positions(text: str) -> Iterator[int]:
    """The positions of :func:`runs`' text, in order."""
    for part in text.split():
        first, _, last = part.partition("-")
        yield from range(int(first), int(last or first) + 1)


def subjects_of(document: dict[str, Any], rule_id: str, status: str) -> list[str]:
    """The subjects of ``baseline.json`` (schema 2) on which the rule ``rule_id`` is in the state
    ``status`` (one of :data:`~govcloud.baseline.STATUSES`), sorted."""
    rule = next(r for r in document["rules"] if r["id"] == rule_id)
    names: list[str] = document["subjects"]
    return [names[i] for i in positions(rule["subjects"][status])]


def _status(f: Finding, lang: Lang) -> str:
    return t(f"baseline.severity.{f.severity}", lang) + (
        f" ({t('baseline.waived', lang)})" if f.waived else ""
    )


def _waiver_text(f: Finding, lang: Lang) -> str:
    w = f.waiver
    if w is None:
        return ""
    return t(
        "baseline.waiver.text", lang, approver=w.approver, reason=w.reason, ticket=w.ticket, expires=w.expires
    )


def table(rules: list[Rule], result: Result, lang: Lang) -> Table:
    by_id = _rules(rules)
    out = Table(title=t("baseline.title", lang), title_justify="left")
    for column in ("severity", "rule", "subject", "where", "fix", "waiver"):
        out.add_column(t(f"baseline.col.{column}", lang))
    for f in result.findings:
        out.add_row(
            _status(f, lang),
            Text(f"{f.rule}: {_title(f.rule, by_id, lang)}"),
            Text(plain(f.subject)),
            Text(plain(_where(f))),
            Text(_fix(f.rule, by_id, lang)),
            Text(plain(_waiver_text(f, lang))),
        )
    for f in result.unevaluated:
        out.add_row(
            t("baseline.status.not-evaluated", lang),
            Text(f"{f.rule}: {_title(f.rule, by_id, lang)}"),
            Text(plain(f.subject)),
            Text(plain(_where(f))),
            Text(plain(_missing(f, lang))),
            Text(""),
        )
    out.caption = summary_line(result, lang)
    return out


def states_line(result: Result, lang: Lang) -> str:
    """Rule and subject pairs per state, and the classified systems assessed separately."""
    counts = result.counts()
    line = t(
        "baseline.states",
        lang,
        passed=counts["pass"],
        failed=counts["fail"],
        waived=counts["waived"],
        unevaluated=counts["not-evaluated"],
        inapplicable=counts["not-applicable"],
    )
    apart = result.separately.get("systems", 0)
    if apart:
        line += t("baseline.separately", lang, count=apart)
    return line


def summary_line(result: Result, lang: Lang) -> str:
    counts = Counter(f.severity for f in result.open())
    parts = join_list(
        (
            f"{t(f'baseline.severity.{s}', lang)} {counts[s]}"
            for s in ("critical", "high", "medium", "low")
            if counts[s]
        ),
        lang,
    )
    first = t(
        "baseline.summary",
        lang,
        open=len(result.open()),
        waived=sum(1 for f in result.findings if f.waived),
        counts=parts or "-",
    )
    return t("baseline.summary.both", lang, summary=first, states=states_line(result, lang))


def markdown(rules: list[Rule], result: Result, lang: Lang, residual: dict[str, Any] | None = None) -> str:
    by_id = _rules(rules)
    lines = [f"# {t('baseline.title', lang)}", "", md_escape(summary_line(result, lang)), ""]
    lines += _md_findings(result.findings, by_id, lang)
    lines += _md_unevaluated(result.unevaluated, by_id, lang)
    lines += _md_waivers(result, lang)
    states = [t(f"baseline.status.{s}", lang) for s in STATUSES]
    lines += [
        "",
        f"## {t('baseline.coverage', lang)}",
        "",
        "| rule | standard | clause | state | checked | " + " | ".join(states) + " |",
        "|---|---|---|---|---:|" + "---:|" * len(STATUSES),
    ]
    for r in rules:
        per = result.rule_counts(r.id)
        lines.append(
            f"| `{r.id}` | {md_escape(r.standard)} | {md_escape(r.clause)} | {r.state} | {result.checked.get(r.id, 0)} | "
            + " | ".join(str(per[s]) for s in STATUSES)
            + " |"
        )
    lines += ["", *matrix_markdown(lang)]
    if residual is not None:
        lines += ["", *residual_markdown(residual, lang)]
    return "\n".join(lines) + "\n"


def _md_findings(findings: list[Finding], by_id: dict[str, Rule], lang: Lang) -> list[str]:
    lines = [
        "| "
        + " | ".join(
            t(f"baseline.col.{c}", lang) for c in ("severity", "rule", "subject", "where", "fix", "waiver")
        )
        + " |",
        "|---|---|---|---|---|---|",
    ]
    # a row per finding (80,000 at 100k servers): the inventory's texts escaped a column at a
    # time, a rule's cells and a state's label once
    subjects = md_escape_all([f.subject for f in findings])
    wheres = md_escape_all([_where(f) for f in findings])
    waivers = md_escape_all([_waiver_text(f, lang) for f in findings])
    statuses: dict[tuple[str, bool], str] = {}
    rules: dict[str, tuple[str, str]] = {}
    for f, subject, where, waiver in zip(findings, subjects, wheres, waivers, strict=True):
        waived = f.waived
        status = statuses.get((f.severity, waived))
        if status is None:
            status = statuses[f.severity, waived] = _status(f, lang)
        rule = rules.get(f.rule)
        if rule is None:
            rule = rules[f.rule] = (
                f"`{f.rule}` {md_escape(_title(f.rule, by_id, lang))}",
                md_escape(_fix(f.rule, by_id, lang)),
            )
        lines.append(f"| {status} | {rule[0]} | {subject} | {where} | {rule[1]} | {waiver or '-'} |")
    return lines


def _md_unevaluated(unevaluated: list[Finding], by_id: dict[str, Rule], lang: Lang) -> list[str]:
    if not unevaluated:
        return []
    lines = [
        "",
        f"## {t('baseline.not-evaluated', lang)}",
        "",
        "| "
        + " | ".join(t(f"baseline.col.{c}", lang) for c in ("rule", "subject", "where", "missing"))
        + " |",
        "|---|---|---|---|",
    ]
    for f in unevaluated:
        lines.append(
            f"| `{f.rule}` {md_escape(_title(f.rule, by_id, lang))} | {md_escape(f.subject)} | "
            f"{md_escape(_where(f))} | {md_escape(', '.join(f.missing))} |"
        )
    return lines


def _md_waivers(result: Result, lang: Lang) -> list[str]:
    """Every waiver the run used or refused: who approved it, why, the ticket, until when."""
    rows: dict[str, tuple[Waiver, str]] = {}
    for f in result.findings:
        if f.waiver is not None:
            verdict = t("baseline.status.waived", lang) if f.waived else t(f"baseline.waiver.{f.rule}", lang)
            key = f.waiver.where
            previous = rows.get(key)
            if previous is None or not f.waived:
                rows[key] = (f.waiver, verdict)
    if not rows:
        return []
    lines = [
        "",
        f"## {t('baseline.waivers', lang)}",
        "",
        "| "
        + " | ".join(
            t(f"baseline.waiver.col.{c}", lang)
            for c in ("rule", "target", "approver", "reason", "ticket", "expires", "verdict")
        )
        + " |",
        "|---|---|---|---|---|---|---|",
    ]
    for _, (w, verdict) in sorted(rows.items()):
        cells = [w.rule, w.target, w.approver, w.reason, w.ticket, w.expires.isoformat(), verdict]
        lines.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
    return lines


def matrix_markdown(lang: Lang) -> list[str]:
    """The clause coverage matrix: each clause's automatic rules and the evidence to collect by hand."""
    lines = [
        f"## {t('baseline.matrix', lang)}",
        "",
        "| clause | | automatic | manual evidence |",
        "|---|---|---|---|",
    ]
    for clause in load_coverage():
        auto = join_list((f"`{r}`" for r in clause.get("automatic", [])), lang, empty="-")
        manual = md_escape(clause.get("manual", {}).get(lang, "")) or "-"
        lines.append(
            f"| {md_escape(clause['clause'])} | {md_escape(clause['title'][lang])} | {auto} | {manual} |"
        )
    return lines


def residual_markdown(residual: dict[str, Any], lang: Lang) -> list[str]:
    """What the plan removes and what remains after the last wave, by clause."""
    lines = [
        f"## {t('baseline.residual', lang)}",
        "",
        md_escape(
            t("baseline.residual.line", lang, removed=residual["removed"], remaining=residual["remaining"])
        ),
        "",
        "| clause | rule | "
        + t("baseline.residual.col.removed", lang)
        + " | "
        + t("baseline.residual.col.remaining", lang)
        + " |",
        "|---|---|---:|---|",
    ]
    for row in residual["by_clause"]:
        remaining = join_list(row["remaining"], lang, empty="-")
        lines.append(
            f"| {md_escape(row['clause'])} | `{row['rule']}` | {row['removed']} | {md_escape(remaining)} |"
        )
    retests = residual.get("retests")
    if retests:
        lines += [
            "",
            f"## {t('baseline.retests', lang, count=len(retests['systems']), per_wave=retests['per_wave'])}",
            "",
            "| "
            + " | ".join(
                t(f"baseline.retests.col.{c}", lang) for c in ("system", "level", "moved_in", "slot", "why")
            )
            + " |",
            "|---|---:|---:|---:|---|",
        ]
        for r in retests["systems"]:
            lines.append(
                f"| {md_escape(r['system'])} | {r['level']} | {r['moved_in']} | {r['slot']} | "
                f"{t('baseline.retests.why.' + r['why'], lang)} |"
            )
    return lines


def sarif(rules: list[Rule], result: Result, lang: Lang, *, lazy: bool = False) -> dict[str, Any]:
    """SARIF 2.1.0: one run, the rules as reportingDescriptors; a result of its kind per rule
    and subject that fails (waived ones suppressed with their approver, ticket and expiry) or
    could not be evaluated (``review``), and per rule one ``pass`` and one ``notApplicable``
    result with the number of its subjects (``properties.subjects``): which subjects those are
    is ``baseline.json``'s evidence (:func:`to_json`), not what a code-scanning tool or a CI
    gate acts on.  Every result has its ``message.text`` in the run's language: a message by
    ``id`` from the rule's ``messageStrings`` would be shorter, but code scanning refuses a
    result without its text.

    ``lazy``: the results as a :class:`~govcloud.outputs.JsonArray` made as it is written
    (:func:`~govcloud.outputs.json_bytes`), not a list: at 100k servers the list of results
    as dictionaries took more memory than everything else the plan holds."""
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
    index: dict[str, int] = {str(d["id"]): i for i, d in enumerate(descriptors)}
    results = _sarif_results(result, by_id, index, lang)
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
                "results": JsonArray(results) if lazy else list(results),
                "properties": {
                    "states": result.counts(),
                    "assessedSeparately": dict(sorted(result.separately.items())),
                },
            }
        ],
    }


def _sarif_results(
    result: Result, by_id: dict[str, Rule], index: dict[str, int], lang: Lang
) -> Iterator[dict[str, Any]]:
    for f in result.findings:
        item = _sarif_result(
            f, index, f"{f.subject}: {_title(f.rule, by_id, lang)} → {_fix(f.rule, by_id, lang)}"
        )
        item["level"] = _SARIF_LEVEL[f.severity]
        if f.waived and f.waiver is not None:
            item["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f.waived_by,
                    "properties": _waiver(f.waiver),
                }
            ]
        yield item
    for f in result.unevaluated:
        item = _sarif_result(
            f, index, f"{f.subject}: {_title(f.rule, by_id, lang)}: {_missing(f, lang, data=True)}"
        )
        item["properties"] = {"status": "not-evaluated", "missing": list(f.missing)}
        yield item
    # passes and subjects a rule does not apply to: one result per rule and kind with their
    # number (naming them was most of the file at 100k servers; baseline.json lists them)
    for status, table in (("pass", result.passed), ("not-applicable", result.not_applicable)):
        for rule_id, subjects in sorted(table.items()):
            if not subjects:
                continue
            yield (
                {
                    "ruleId": rule_id,
                    "ruleIndex": index[rule_id],
                    "kind": _SARIF_KIND[status],
                    "level": "none",
                    "message": {"text": f"{_title(rule_id, by_id, lang)}: {len(subjects)}"},
                    "properties": {"status": status, "subjects": len(subjects)},
                }
            )


def _sarif_result(f: Finding, index: dict[str, int], message: str) -> dict[str, Any]:
    return {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "kind": _SARIF_KIND[f.status],
        "level": _SARIF_LEVEL[f.severity] if f.outcome == "fail" else "none",
        "message": {"text": message},
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


def junit(rules: list[Rule], result: Result, lang: Lang) -> str:
    """JUnit XML: one test suite per rule, one test case per subject it applies to: a failure
    per open finding, skipped (with the reason) when waived or not evaluated.  Subjects a rule
    does not apply to are not test cases; waiver problems are failures of their own suite."""
    by_rule: dict[str, list[tuple[str, str, str, str]]] = {r.id: [] for r in rules}
    for f in result.findings:
        if f.state == "waivers":
            continue
        if f.waived:
            by_rule[f.rule].append(
                (
                    f.subject,
                    "skipped",
                    t("baseline.status.waived", lang) + ": " + _waiver_text(f, lang),
                    _where(f),
                )
            )
        else:
            by_rule[f.rule].append((f.subject, "failure", _fix(f.rule, _rules(rules), lang), _where(f)))
    for f in result.unevaluated:
        by_rule[f.rule].append(
            (
                f.subject,
                "skipped",
                t("baseline.status.not-evaluated", lang) + ": " + _missing(f, lang),
                _where(f),
            )
        )
    for rule_id, subjects in result.passed.items():
        by_rule[rule_id].extend((s, "pass", "", "") for s in subjects)
    suites = ET.Element("testsuites", name="govcloud-baseline")
    totals = Counter[str]()
    for r in rules:
        cases = sorted(by_rule[r.id])
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"{r.id}: {r.text('title', lang)}",
            tests=str(len(cases)),
            failures=str(sum(1 for c in cases if c[1] == "failure")),
            skipped=str(sum(1 for c in cases if c[1] == "skipped")),
        )
        properties = ET.SubElement(suite, "properties")
        for status, count in result.rule_counts(r.id).items():
            ET.SubElement(properties, "property", name=status, value=str(count))
        for subject, outcome, message, where in cases:
            case = ET.SubElement(suite, "testcase", classname=f"baseline.{r.state}.{r.id}", name=subject)
            totals["tests"] += 1
            if outcome == "failure":
                totals["failures"] += 1
                failure = ET.SubElement(case, "failure", type=r.severity, message=message)
                failure.text = where
            elif outcome == "skipped":
                totals["skipped"] += 1
                ET.SubElement(case, "skipped", message=message)
    problems = [f for f in result.findings if f.state == "waivers"]
    if problems:
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="waivers",
            tests=str(len(problems)),
            failures=str(len(problems)),
            skipped="0",
        )
        for f in problems:
            case = ET.SubElement(
                suite, "testcase", classname="baseline.waivers", name=f"{f.rule}: {f.subject}"
            )
            ET.SubElement(case, "failure", type=f.severity, message=_title(f.rule, {}, lang)).text = f.file
            totals["tests"] += 1
            totals["failures"] += 1
    for key in ("tests", "failures", "skipped"):
        suites.set(key, str(totals[key]))
    return ET.tostring(suites, encoding="unicode") + "\n"


def annex(rules: list[Rule], result: Result, lang: Lang) -> str:
    """The classified systems' assessment, for the 分级保护 assessor only: Markdown, written
    only on request to a path of its own."""
    if result.annex is None:
        return ""
    by_id = _rules(rules)
    lines = [
        f"# {t('baseline.annex.title', lang, regime=REGIME)}",
        "",
        md_escape(t("baseline.annex.warning", lang)),
        "",
    ]
    lines.append(md_escape(states_line(result.annex, lang)))
    lines.append("")
    lines += _md_findings(result.annex.findings, by_id, lang)
    lines += _md_unevaluated(result.annex.unevaluated, by_id, lang)
    lines += _md_waivers(result.annex, lang)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Document:
    """What the baseline's output formats write: the rules, the result of checking them and
    what the plan leaves open (:func:`govcloud.baseline.residual.residual`), if planned."""

    rules: list[Rule]
    result: Result
    residual: dict[str, Any] | None = None


#: ``govcloud check --format``: a terminal table (Markdown when written to a file), JSON
#: (``baseline.schema.json``), Markdown, SARIF 2.1.0 and JUnit XML for CI
FORMATS = output_formats(
    "baseline output format",
    OutputFormat[Document](
        "table",
        lambda d, lang: markdown(d.rules, d.result, lang, d.residual),
        show=lambda d, lang: table(d.rules, d.result, lang),
    ),
    OutputFormat[Document]("json", lambda d, lang: json_text(to_json(d.rules, d.result, lang, d.residual))),
    OutputFormat[Document]("md", lambda d, lang: markdown(d.rules, d.result, lang, d.residual)),
    OutputFormat[Document]("sarif", lambda d, lang: json_text(sarif(d.rules, d.result, lang))),
    OutputFormat[Document]("junit", lambda d, lang: junit(d.rules, d.result, lang)),
)
