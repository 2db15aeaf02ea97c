"""The report's charts as inline SVG: the cost-benefit curve and the wave calendar.

(The topology has a module of its own: ``topology_chart.py``.)
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from govcloud.i18n import Lang, t
from govcloud.report.html import svg
from govcloud.report.plan import wave_label


def money_scale(lang: Lang) -> tuple[float, str]:
    """Chinese reports count in 万元, English ones in millions of CNY."""
    return (1e4, t("report.unit.wan", lang)) if lang == "zh" else (1e6, t("report.unit.million", lang))


def cost_chart(total: dict[str, Any], lang: Lang) -> str:
    """Cumulative cost of keeping the estate as it is against the plan over five years, with
    the one-off migration cost in year 0 and the payback point."""
    scale, unit = money_scale(lang)
    years = [0] + [int(y["year"]) for y in total["five_years"]]
    as_is = [0.0] + [y["as_is_cny"] / scale for y in total["five_years"]]
    to_be = [total["one_off_cny"] / scale] + [y["to_be_cny"] / scale for y in total["five_years"]]
    with svg.drawing():
        fig = svg.figure(7.2, 3.4)
        ax = fig.add_subplot()
        ax.plot(years, as_is, color=svg.RED, marker="o", linewidth=2, label=t("report.cost.as_is", lang))
        ax.plot(years, to_be, color=svg.BLUE, marker="s", linewidth=2, label=t("report.cost.to_be", lang))
        ax.fill_between(
            years,
            as_is,
            to_be,
            where=[a >= b for a, b in zip(as_is, to_be, strict=True)],
            color=svg.GREEN,
            alpha=0.12,
            interpolate=True,
        )
        payback = total.get("payback_years")
        if payback is not None and payback <= years[-1]:
            y = total["as_is_cny"] * payback / scale
            ax.plot([payback], [y], marker="D", color=svg.GREEN, markersize=8, zorder=5)
            ax.annotate(
                t("report.cost.payback", lang, years=f"{payback:.1f}"),
                (payback, y),
                xytext=(12, -18),
                textcoords="offset points",
                color=svg.GREEN,
                fontweight="bold",
            )
        ax.set_xlabel(t("report.cost.years", lang))
        ax.set_ylabel(t("report.cost.axis", lang, unit=unit))
        ax.set_xticks(years)
        ax.grid(axis="y", color=svg.LIGHT, linewidth=0.6)
        ax.legend(loc="upper left", frameon=False)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.16)
        return svg.to_svg(fig, t("report.cost.title", lang), "chart chart-cost")


def _date(text: str) -> float:
    """A date as days since 1970-01-01, the chart's x axis."""
    return float(dt.date.fromisoformat(text).toordinal() - _EPOCH)


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _quarter_ticks(first: float, last: float) -> tuple[list[float], list[str]]:
    """The first day of every quarter between two chart days, and its label (YYYY-MM)."""
    day = dt.date.fromordinal(int(first) + _EPOCH)
    month = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    ticks: list[float] = []
    labels: list[str] = []
    while month.toordinal() - _EPOCH <= last:
        if month.toordinal() - _EPOCH >= first:
            ticks.append(float(month.toordinal() - _EPOCH))
            labels.append(f"{month.year}-{month.month:02d}")
        month = dt.date(month.year + (month.month + 2) // 12, (month.month + 2) % 12 + 1, 1)
    return ticks, labels


def wave_name(wave: dict[str, Any], lang: Lang) -> str:
    """A wave of plan.json as the plan's other reports name it ("wave 1 (pilot)")."""
    return wave_label(wave["number"], bool(wave.get("pilot")), lang)


#: more waves than this are drawn as rows of consecutive waves
MAX_GANTT_ROWS = 36


def gantt_rows(waves: list[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """One row per wave, or, for a long plan, one row per run of consecutive waves (with
    their totals), so the calendar stays readable for a whole province."""
    dated = [w for w in waves if w.get("start") and w.get("end")]
    size = max(1, math.ceil(len(dated) / MAX_GANTT_ROWS))
    rows = []
    for i in range(0, len(dated), size):
        run = dated[i : i + size]
        name = (
            wave_name(run[0], lang)
            if size == 1
            else t("report.gantt.waves", lang, first=run[0]["number"], last=run[-1]["number"])
        )
        rows.append(
            {
                "name": name,
                "pilot": size == 1 and bool(run[0].get("pilot")),
                "start": run[0]["start"],
                "end": run[-1]["end"],
                "systems": sum(len(w["systems"]) for w in run),
                "servers": sum(w["servers"] for w in run),
                "rooms": sum(len(w["closed_rooms"]) for w in run),
                "lines": sum(len(w["cancelled_lines"]) for w in run),
            }
        )
    return rows


def gantt_chart(waves: list[dict[str, Any]], lang: Lang) -> str:
    """The waves as bars on a calendar; a diamond after a wave marks the rooms it closes and
    the lines it cancels."""
    rows = gantt_rows(waves, lang)
    with svg.drawing():
        fig = svg.figure(7.2, 0.9 + 0.42 * max(len(rows), 1))
        ax = fig.add_subplot()
        for number, row in enumerate(rows):
            start, end = _date(row["start"]), _date(row["end"]) + 1
            colour = svg.ORANGE if row["pilot"] else svg.BLUE
            ax.barh(number, end - start, left=start, height=0.6, color=colour, alpha=0.85)
            text = t("report.gantt.bar", lang, systems=row["systems"], servers=row["servers"])
            if row["rooms"] or row["lines"]:
                ax.plot([end], [number], marker="D", color=svg.RED, markersize=6)
                text += " · " + t("report.gantt.retired", lang, rooms=row["rooms"], lines=row["lines"])
            # labels of the later waves go left of their bar, so none runs off the chart
            right = number < len(rows) / 2
            ax.text(
                end + 6 if right else start - 6,
                number,
                text,
                va="center",
                ha="left" if right else "right",
                fontsize=8,
                color="#1f2937",
            )
        ax.set_yticks(range(len(rows)), [row["name"] for row in rows])
        ax.invert_yaxis()
        if rows:
            first, last = _date(rows[0]["start"]), _date(rows[-1]["end"])
            ax.set_xlim(first - 7, last + (last - first) * 0.08)
            ax.set_xticks(*_quarter_ticks(first - 7, last + (last - first) * 0.08))
        ax.grid(axis="x", color=svg.LIGHT, linewidth=0.6)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        fig.subplots_adjust(left=0.16, right=0.99, top=0.98, bottom=0.5 / (0.9 + 0.42 * max(len(rows), 1)))
        return svg.to_svg(fig, t("report.gantt.title", lang), "chart chart-waves")
