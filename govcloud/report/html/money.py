"""The report's cash-flow curve with its payback month, and the KPI targets per wave, drawn
from the ``cashflow`` and ``kpis`` parts of plan.json (issue 23)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from govcloud.i18n import Lang, number, percent, t
from govcloud.report.html import svg
from govcloud.report.html.charts import money_scale, wave_name


def _day(month: str) -> dt.date:
    return dt.date.fromisoformat(f"{month}-01")


def cashflow_chart(plan: dict[str, Any], lang: Lang) -> str:
    """Cumulative saving month by month (negative while the plan spends), the months' net
    saving as bars, each wave's cut-over as a tick and the payback month marked; empty when
    plan.json has no cash flow."""
    cash = plan.get("cashflow")
    if not cash or not cash["months"]:
        return ""
    scale, unit = money_scale(lang)
    months = cash["months"]
    x = [_day(m["month"]).toordinal() for m in months]
    cumulative = [m["cumulative_saving_cny"] / scale for m in months]
    saving = [m["saving_cny"] / scale for m in months]
    with svg.drawing():
        fig = svg.figure(7.2, 3.4)
        ax = fig.add_subplot()
        ax.bar(x, saving, width=24, color=[svg.GREEN if s >= 0 else svg.ORANGE for s in saving], alpha=0.5)
        ax.plot(x, cumulative, color=svg.BLUE, linewidth=2, label=t("report.cashflow.cumulative", lang))
        ax.axhline(0, color=svg.LIGHT, linewidth=0.8)
        # a line per cut-over day, not per wave: waves share days (at 100k servers 2,700
        # waves end on 114 days), and lines drawn over each other look as one
        _cutovers(
            ax, sorted({dt.date.fromisoformat(w["end"]).toordinal() for w in plan["waves"] if w.get("end")})
        )
        payback = cash.get("payback")
        if payback:
            px = _day(payback["month"]).toordinal()
            py = cumulative[payback["months"] - 1]
            ax.plot([px], [py], marker="D", color=svg.GREEN, markersize=8, zorder=5)
            ax.annotate(
                t("report.cashflow.payback", lang, month=payback["month"]),
                (px, py),
                xytext=(10, -18),
                textcoords="offset points",
                color=svg.GREEN,
                fontweight="bold",
            )
        years = sorted({_day(m["month"]).year for m in months})
        ticks = [dt.date(y, 1, 1).toordinal() for y in years if dt.date(y, 1, 1).toordinal() >= x[0]]
        ax.set_xticks(ticks, [str(dt.date.fromordinal(tk).year) for tk in ticks])
        ax.set_ylabel(t("report.cashflow.axis", lang, unit=unit))
        ax.grid(axis="y", color=svg.LIGHT, linewidth=0.6)
        ax.legend(loc="upper left", frameon=False)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.12)
        return svg.to_svg(fig, t("report.cashflow.title", lang), "chart chart-cashflow")


def _cutovers(ax: Axes, days: list[int]) -> None:
    """A thin line across the chart at each of ``days``: ``ax.axvline``'s line.  Those inside
    the x range of what is drawn so far are added as they are (``axvline`` would check the
    view's bounds and widen the data's limits, which they leave as they are): axvline took
    more time than drawing them."""
    low, high = ax.dataLim.intervalx
    margin = (high - low) * 1e-9  # far above any rounding in axvline's own limits update
    across = ax.get_xaxis_transform(which="grid")
    for day in days:
        if low + margin < day < high - margin:
            ax.add_artist(Line2D([day, day], [0, 1], transform=across, color=svg.LIGHT, linewidth=0.5))
        else:
            ax.axvline(day, color=svg.LIGHT, linewidth=0.5)


def _format(value: dict[str, Any], unit: str, lang: Lang) -> str:
    v = value["value"]
    if v is None:
        return "-"
    if unit == "rate":
        return percent(v, lang, 1)
    return number(v, lang) if unit in ("cny", "count") else number(v, lang, 1)


#: the KPI table shows at most this many waves (evenly spaced, the last always); plan.md has all
MAX_KPI_WAVES = 24


def shown_waves(count: int) -> list[int]:
    """Indexes of the waves the KPI table shows."""
    if count <= MAX_KPI_WAVES:
        return list(range(count))
    step = count / (MAX_KPI_WAVES - 1)
    return sorted({min(count - 1, round(i * step)) for i in range(MAX_KPI_WAVES - 1)} | {count - 1})


def money(plan: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The cash-flow summary and the KPI table for the template (empty without them)."""
    cash = plan.get("cashflow")
    kpis = plan.get("kpis") or []
    if not cash:
        return {"present": False}
    payback = cash.get("payback")
    summary = (
        t("cashflow.unknown", lang, rate=f"{cash['discount_rate_pct']:g}")
        if cash["npv_cny"] is None  # today's cost is not known
        else t(
            "cashflow.summary",
            lang,
            rate=f"{cash['discount_rate_pct']:g}",
            npv=number(cash["npv_cny"], lang),
            payback=t("cashflow.never", lang)
            if payback is None
            else t("cashflow.payback", lang, month=payback["month"], months=payback["months"]),
        )
    )
    sep = "，" if lang == "zh" else ", "
    one_offs = sep.join(
        f"{t(f'cashflow.one_off.{kind}', lang)} {number(amount, lang)}"
        for kind, amount in cash["one_offs"].items()
        if amount
    )
    shown = shown_waves(len(plan["waves"]))
    waves = [wave_name(plan["waves"][i], lang) for i in shown]
    rows = [
        {
            "name": k[lang],
            "formula": k[f"formula_{lang}"],
            "baseline": _format(k["baseline"], k["unit"], lang),
            "targets": [_format(k["targets"][i], k["unit"], lang) for i in shown],
            "achieved": t("kpi.not_recorded", lang)
            if k["achieved"] is None
            else _format(k["achieved"], k["unit"], lang),
        }
        for k in kpis
    ]
    years = [
        {
            "year": y["year"],
            "as_is": number(y["as_is_cny"], lang),
            "to_be": number(y["to_be_cny"], lang),
            "opex": number(y["opex_cny"], lang),
            "capex": number(y["capex_cny"], lang),
            "saving": "-" if cash["npv_cny"] is None else number(y["as_is_cny"] - y["to_be_cny"], lang),
        }
        for y in cash["fiscal_years"]
    ]
    return {
        "present": True,
        "summary": summary,
        "one_offs": t("cashflow.one_offs", lang, items=one_offs) if one_offs else "",
        "years": years,
        "waves": waves,
        "kpis": rows,
    }
