"""The ledger summary as a terminal table and as Markdown."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from govcloud.i18n import Lang, number, t
from govcloud.ledger.summary import COLUMNS, Summary, column_value, to_json
from govcloud.outputs import json_text
from govcloud.registry import OutputFormat, output_formats
from govcloud.text import md_escape, plain


def _cell(value: float, lang: Lang) -> str:
    return number(value, lang) if abs(value) >= 100 or float(value).is_integer() else number(value, lang, 1)


def _title(summary: Summary, lang: Lang) -> str:
    name = summary.region_name_en if lang == "en" and summary.region_name_en else summary.region_name
    return t("summary.title", lang, region=name, as_of=summary.as_of)


def table(summary: Summary, lang: Lang) -> Table:
    """A rich table: one row per department, then the total."""
    out = Table(title=plain(_title(summary, lang)), show_footer=True, title_justify="left")
    out.add_column(t("summary.department", lang), footer=t("summary.total", lang))
    for column in COLUMNS:
        footer = _cell(column_value(summary.total, column), lang)
        out.add_column(t(f"summary.{column}", lang), justify="right", footer=footer, no_wrap=True)
    for row in summary.rows:
        cells = [_cell(column_value(row.totals, c), lang) for c in COLUMNS]
        out.add_row(Text(plain(row.display_name(lang))), *cells)
    out.caption = t("summary.targets", lang, nodes=summary.cloud_nodes, aps=summary.access_points)
    return out


def markdown(summary: Summary, lang: Lang) -> str:
    """The same table in Markdown; inventory text is escaped."""
    header = [t("summary.department", lang), *(t(f"summary.{c}", lang) for c in COLUMNS)]
    lines = [
        f"# {md_escape(_title(summary, lang))}",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" + "---:|" * len(COLUMNS),
    ]
    for row in summary.rows:
        cells = [_cell(column_value(row.totals, c), lang) for c in COLUMNS]
        lines.append(f"| {md_escape(row.display_name(lang))} | " + " | ".join(cells) + " |")
    total = [_cell(column_value(summary.total, c), lang) for c in COLUMNS]
    lines.append(f"| **{t('summary.total', lang)}** | " + " | ".join(total) + " |")
    lines += ["", t("summary.targets", lang, nodes=summary.cloud_nodes, aps=summary.access_points), ""]
    return "\n".join(lines)


#: ``govcloud ledger --format``: a terminal table, JSON, Markdown
FORMATS = output_formats(
    "ledger summary output format",
    OutputFormat[Summary]("table", markdown, show=table),
    OutputFormat[Summary]("json", lambda summary, lang: json_text(to_json(summary))),
    OutputFormat[Summary]("md", markdown),
)
