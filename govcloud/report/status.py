"""``govcloud status``: planned against done, per wave, and the KPIs (baseline, target after
the last wave, achieved from the progress records), as terminal tables or JSON."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.table import Table

from govcloud.i18n import Lang, t
from govcloud.outputs import json_text
from govcloud.plan.kpi import Indicator, Value
from govcloud.plan.status import KINDS, WaveStatus
from govcloud.registry import OutputFormat, output_formats
from govcloud.report.plan_money import format_value


def _value(value: Value | None) -> dict[str, Any] | None:
    if value is None:
        return None
    v = value.value
    return {
        "value": None if v is None else round(v, 4),
        "numerator": round(value.amount, 2),
        "denominator": value.denominator,
    }


def kpis_json(kpis: list[Indicator]) -> list[dict[str, Any]]:
    """Each KPI with its baseline, its target after the last wave and what is achieved
    (``null`` while the ledger records no progress)."""
    return [
        {
            "code": k.code,
            "unit": k.unit,
            "zh": t(f"kpi.{k.code}", "zh"),
            "en": t(f"kpi.{k.code}", "en"),
            "baseline": _value(k.baseline),
            "target": _value(k.targets[-1] if k.targets else None),
            "achieved": _value(k.achieved),
        }
        for k in kpis
    ]


def to_json(waves: list[WaveStatus], kpis: list[Indicator] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"waves": [w.as_json() for w in waves]}
    if kpis is not None:
        out["kpis"] = kpis_json(kpis)
    return out


def kpi_table(kpis: list[Indicator], lang: Lang) -> Table:
    """One row per KPI: baseline, target after the last wave, achieved so far."""
    out = Table(title=t("kpi.title", lang), title_justify="left")
    out.add_column(t("kpi.col.indicator", lang))
    out.add_column(t("kpi.col.baseline", lang), justify="right")
    out.add_column(t("kpi.col.target", lang), justify="right")
    out.add_column(t("kpi.col.achieved", lang), justify="right")
    for k in kpis:
        out.add_row(
            t(f"kpi.{k.code}", lang),
            format_value(k.baseline, k.unit, lang),
            format_value(k.targets[-1], k.unit, lang) if k.targets else "-",
            t("kpi.not_recorded", lang) if k.achieved is None else format_value(k.achieved, k.unit, lang),
        )
    return out


def table(waves: list[WaveStatus], title: str, lang: Lang) -> Table:
    """One row per wave: its state and window, and done/planned for each kind of work."""
    out = Table(title=title, title_justify="left")
    out.add_column(t("plan.col.wave", lang))
    out.add_column(t("status.col.state", lang))
    out.add_column(t("status.col.window", lang))
    for kind in KINDS:
        out.add_column(t(f"status.col.{kind}", lang), justify="right")
    for wave in waves:
        window = f"{wave.start} – {wave.end}" if wave.start and wave.end else "-"
        out.add_row(
            t("plan.wave", lang, number=wave.number),
            t(f"status.state.{wave.state}", lang),
            window,
            *(f"{len(wave.done[k])}/{len(wave.planned[k])}" for k in KINDS),
        )
    return out


def _tables(d: Document, lang: Lang) -> Group:
    return Group(table(d.waves, d.title, lang), kpi_table(d.kpis, lang))


def _plain(renderable: Group) -> str:
    """The tables as plain text (no colour, 120 columns), for writing to a file."""
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(renderable)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return text


@dataclass(frozen=True)
class Document:
    """What ``govcloud status`` writes: the waves, the KPIs and the tables' title."""

    waves: list[WaveStatus]
    kpis: list[Indicator]
    title: str


#: ``govcloud status --format``: terminal tables, or JSON
FORMATS = output_formats(
    "status output format",
    OutputFormat[Document](
        "text",
        lambda d, lang: _plain(_tables(d, lang)),
        show=lambda d, lang: _tables(d, lang),
    ),
    OutputFormat[Document]("json", lambda d, lang: json_text(to_json(d.waves, d.kpis))),
)
