"""The report's cash-flow curve with its payback month, and the KPI targets per wave."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from govcloud.report.html import money, svg
from govcloud.report.html.inputs import read
from govcloud.report.html.render import render


def test_the_report_shows_the_cash_flow_with_payback_and_the_kpis_per_wave(sample_out: Path) -> None:
    page = (sample_out / "report.html").read_text(encoding="utf-8")
    plan = json.loads((sample_out / "plan.json").read_text(encoding="utf-8"))
    assert '<section id="cashflow"' in page
    assert '<section id="kpis"' in page
    assert re.search(r'<figure id="cashflow-chart"><svg class="chart chart-cashflow', page)
    payback = plan["cashflow"]["payback"]
    assert payback is not None
    assert f"{payback['month']} 回收" in page  # the marker's label on the curve
    kpis = page.split('<section id="kpis"', 1)[1].split("</section>", 1)[0]
    assert kpis.count("<tr>") == 1 + len(plan["kpis"])  # the head and a row per indicator
    for k in plan["kpis"]:
        assert k["zh"] in kpis
        assert k["formula_zh"] in kpis
    assert kpis.count('<th scope="col" class="num">') == 1 + len(plan["waves"])  # baseline and every wave


def test_a_plan_without_a_cash_flow_draws_no_section(sample_out: Path) -> None:
    inputs = read(sample_out / "plan.json")
    plan = copy.deepcopy(inputs.plan)
    del plan["cashflow"], plan["kpis"]
    page = render(replace(inputs, plan=plan), "en")
    assert '<section id="cashflow"' not in page
    assert money.cashflow_chart(plan, "en") == ""


def test_a_long_plan_shows_evenly_spaced_waves_and_the_last() -> None:
    assert money.shown_waves(5) == [0, 1, 2, 3, 4]
    shown = money.shown_waves(300)
    assert len(shown) <= money.MAX_KPI_WAVES
    assert shown[0] == 0
    assert shown[-1] == 299
    assert shown == sorted(set(shown))


@pytest.mark.parametrize("days", [[5, 20, 40], [-30, 5, 5, 90], [0, 60, 61], []])
def test_the_cutover_lines_are_axvlines(days: list[int]) -> None:
    """Lines inside the bars' range, at their edges and outside it: the same picture as
    ``axvline`` draws, byte for byte."""

    def chart(draw: Callable[[Any, list[int]], None]) -> str:
        with svg.drawing():
            fig = svg.figure(4, 2)
            ax = fig.add_subplot()
            ax.bar([12, 36, 48], [1.0, -2.0, 3.0], width=24)
            ax.plot([12, 48], [0.5, 1.5])
            draw(ax, days)
            ax.plot([30], [1.0], marker="D")
            ax.set_xticks([0, 30, 60])
            return svg.to_svg(fig, "t", "chart")

    def axvlines(ax: Any, days: list[int]) -> None:
        for day in days:
            ax.axvline(day, color=svg.LIGHT, linewidth=0.5)

    assert chart(money._cutovers) == chart(axvlines)


def test_waves_that_cut_over_on_one_day_draw_one_line(sample_out: Path) -> None:
    """Each cut-over day is drawn once, however many waves end on it: the same picture as a
    line per wave (lines drawn over each other), in fewer lines."""
    plan = copy.deepcopy(read(sample_out / "plan.json").plan)
    days = {w["end"] for w in plan["waves"] if w.get("end")}
    assert days
    once = money.cashflow_chart(plan, "en")
    plan["waves"] = plan["waves"] + copy.deepcopy(plan["waves"])  # every day twice as many waves
    assert money.cashflow_chart(plan, "en") == once
    assert once.count("stroke: #") > len(days)  # the lines are in the picture
