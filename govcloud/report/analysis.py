"""The duplication analysis as JSON, a terminal table and Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from govcloud.analysis import Analysis, Finding, kind_names
from govcloud.i18n import Lang, join_list, number, t
from govcloud.ledger import model
from govcloud.outputs import json_text
from govcloud.registry import OutputFormat, output_formats
from govcloud.text import md_escape, plain

ANALYSIS_SCHEMA_VERSION = 1
_SCHEMA_FILE = Path(__file__).with_name("analysis.schema.json")


def schema() -> dict[str, Any]:
    """The schema of ``analysis.json``: the shipped file, with the finding kinds registered
    now (:data:`govcloud.analysis.FINDING_KINDS`) as the ``kind`` enum."""
    out = _shipped()
    out["$defs"]["kind"] = {"enum": list(kind_names())}
    return out


@cache
def _shipped_text() -> str:
    return _SCHEMA_FILE.read_text(encoding="utf-8")


def _shipped() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_shipped_text())
    return value


def to_json(analysis: Analysis, ledger: model.Ledger) -> dict[str, Any]:
    """The findings as a JSON value; its schema ships as ``analysis.schema.json``.  The records
    a finding cites name their files relative to the ledger's root (made so when it was loaded),
    so the output does not depend on where the inventory sits."""
    by_kind = {
        kind: {
            "candidates": sum(1 for f in analysis.of_kind(kind) if f.status == "candidate"),
            "kept": sum(1 for f in analysis.of_kind(kind) if f.status == "kept"),
            "saving_cny": round(sum(f.saving_cny for f in analysis.of_kind(kind) if f.status == "candidate")),
        }
        for kind in kind_names()
    }
    return {
        "schema_version": ANALYSIS_SCHEMA_VERSION,
        "region": {
            "id": ledger.region.id,
            "name": ledger.region.name,
            "as_of": ledger.region.as_of.isoformat(),
        },
        "thresholds": analysis.thresholds.to_json(),
        "totals": {
            "candidates": sum(v["candidates"] for v in by_kind.values()),
            "kept": sum(v["kept"] for v in by_kind.values()),
            "saving_cny": round(analysis.saving_cny),
            "by_kind": by_kind,
        },
        "findings": [f.to_json() for f in analysis.findings],
    }


def _title(ledger: model.Ledger, lang: Lang) -> str:
    region = ledger.region
    name = region.name_en if lang == "en" and region.name_en else region.name
    return t("analysis.title", lang, region=name, as_of=region.as_of.isoformat())


def _departments(finding: Finding, ledger: model.Ledger, lang: Lang) -> str:
    names = []
    for dept_id in finding.departments:
        dept = ledger.departments.get(dept_id)
        names.append(
            (dept.name_en if lang == "en" and dept and dept.name_en else dept.name) if dept else dept_id
        )
    return join_list(names, lang)


def _members(finding: Finding) -> str:
    return ", ".join(m.split(":", 1)[1] for m in finding.members)


def total_line(analysis: Analysis, lang: Lang) -> str:
    candidates = sum(1 for _ in analysis.candidates())
    return t(
        "analysis.total",
        lang,
        candidates=candidates,
        kept=len(analysis.findings) - candidates,
        saving=number(analysis.saving_cny, lang),
    )


def table(analysis: Analysis, ledger: model.Ledger, lang: Lang) -> Group:
    """One rich table per finding kind, then the totals."""
    parts: list[Any] = [Text(plain(_title(ledger, lang)), style="bold")]
    for kind in kind_names():
        findings = analysis.of_kind(kind)
        if not findings:
            continue
        out = Table(title=t(f"analysis.kind.{kind}", lang), title_justify="left", show_lines=False)
        for column in ("status", "departments", "members", "saving", "reason"):
            out.add_column(
                t(f"analysis.col.{column}", lang), justify="right" if column == "saving" else "left"
            )
        for f in findings:
            out.add_row(
                t(f"analysis.status.{f.status}", lang),
                Text(plain(_departments(f, ledger, lang))),
                Text(plain(_members(f))),
                number(f.saving_cny, lang) if f.status == "candidate" else "-",
                Text(plain(f"{f.reason_text(lang)} → {f.recommendation_text(lang)}")),
            )
        parts.append(out)
    parts.append(Text(total_line(analysis, lang) if analysis.findings else t("analysis.none", lang)))
    return Group(*parts)


def markdown(analysis: Analysis, ledger: model.Ledger, lang: Lang) -> str:
    """The findings in Markdown, one section per kind; inventory text is escaped."""
    lines = [f"# {md_escape(_title(ledger, lang))}", "", md_escape(total_line(analysis, lang)), ""]
    header = [
        t(f"analysis.col.{c}", lang)
        for c in ("id", "status", "departments", "members", "saving", "reason", "recommendation")
    ]
    for kind in kind_names():
        findings = analysis.of_kind(kind)
        if not findings:
            continue
        lines += [
            f"## {t(f'analysis.kind.{kind}', lang)}",
            "",
            "| " + " | ".join(header) + " |",
            "|---|---|---|---|---:|---|---|",
        ]
        for f in findings:
            cells = [
                f"`{f.id}`",
                t(f"analysis.status.{f.status}", lang),
                md_escape(_departments(f, ledger, lang)),
                md_escape(_members(f)),
                number(f.saving_cny, lang) if f.status == "candidate" else "-",
                md_escape(f.reason_text(lang)),
                md_escape(f.recommendation_text(lang)),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class Document:
    """What the analysis' output formats write: the findings and the ledger they are of."""

    analysis: Analysis
    ledger: model.Ledger


#: ``govcloud analyze --format``: a terminal table, JSON (``analysis.schema.json``), Markdown
FORMATS = output_formats(
    "analysis output format",
    OutputFormat[Document](
        "table",
        lambda d, lang: markdown(d.analysis, d.ledger, lang),
        show=lambda d, lang: table(d.analysis, d.ledger, lang),
    ),
    OutputFormat[Document]("json", lambda d, lang: json_text(to_json(d.analysis, d.ledger))),
    OutputFormat[Document]("md", lambda d, lang: markdown(d.analysis, d.ledger, lang)),
)
