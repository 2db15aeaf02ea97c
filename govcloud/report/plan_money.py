"""The cash flow and the KPIs of a plan, as JSON (parts of ``plan.json``) and Markdown
(sections of ``plan.md``).  See :mod:`govcloud.plan.cashflow` and :mod:`govcloud.plan.kpi`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from govcloud.i18n import Lang, join_list, number, percent, t
from govcloud.ledger.choices import ADMIN_LEVEL, OPERATOR_KIND
from govcloud.plan import Plan
from govcloud.plan.cashflow import ONE_OFF_KINDS, CashFlow, Month, cash_flow, npv, payback
from govcloud.plan.kpi import Indicator, Value, indicators
from govcloud.plan.operators import handovers, operations
from govcloud.plan.recovery import holds, plan_recovery
from govcloud.text import md_escape

#: the cash flow of the last plan written (plan.json, plan.md in two languages and the terminal
#: all show it; a plan does not change once built)
_LAST: list[tuple[Plan, CashFlow]] = []


def cash_of(plan: Plan) -> CashFlow:
    """The plan's cash flow, worked out once per plan."""
    if not _LAST or _LAST[0][0] is not plan:
        _LAST[:] = [(plan, cash_flow(plan))]
    return _LAST[0][1]


def _money(value: float) -> float:
    return round(value, 2)


def _month(m: Month) -> str:
    return f"{m.start.year:04d}-{m.start.month:02d}"


def _months_json(months: list[Month]) -> list[dict[str, Any]]:
    out, cumulative = [], 0.0
    for m in months:
        cumulative += m.saving
        out.append(
            {
                "month": _month(m),
                "as_is_cny": _money(m.as_is),
                "to_be_cny": _money(m.to_be),
                "opex_cny": _money(m.opex),
                "depreciation_cny": _money(m.depreciation),
                "one_off_cny": _money(m.one_off),
                "saving_cny": _money(m.saving),
                "cumulative_saving_cny": _money(cumulative),
            }
        )
    return out


def _years_json(cash: CashFlow, months: list[Month]) -> list[dict[str, Any]]:
    return [
        {"year": int(y["year"]), **{k: _money(v) for k, v in y.items() if k != "year"}}
        for y in cash.fiscal_years(months)
    ]


def _payback_json(months: list[Month]) -> dict[str, Any] | None:
    index = payback(m.saving for m in months)
    return None if index is None else {"month": _month(months[index]), "months": index + 1}


def cashflow_json(plan: Plan, cash: CashFlow) -> dict[str, Any]:
    """The ``cashflow`` part of ``plan.json``."""
    totals: dict[str, float] = defaultdict(float)
    for o in cash.one_offs:
        totals[o.kind] += o.cny
    levels = {
        level: {
            "npv_cny": _money(npv((m.saving for m in months), cash.discount_rate_pct)),
            "payback": _payback_json(months),
            "fiscal_years": _years_json(cash, months),
        }
        for level, months in sorted(cash.by_level.items())
    }
    known = plan.basis().saving_known  # else today's cost is not known: no NPV, no payback
    return {
        "start": _month(cash.months[0]) if cash.months else None,
        "discount_rate_pct": cash.discount_rate_pct,
        "npv_cny": _money(cash.npv_cny) if known else None,
        "payback": _payback_json(cash.months) if known else None,
        "months": _months_json(cash.months),
        "fiscal_years": _years_json(cash, cash.months),
        "funding_levels": levels,
        "one_offs": {kind: _money(totals.get(kind, 0.0)) for kind in ONE_OFF_KINDS},
        "contract_exits": [
            {
                "kind": o.kind,
                "id": o.id,
                "owner": o.owner,
                "month": _month(cash.months[o.month]),
                "cny": _money(o.cny),
            }
            for o in cash.one_offs
            if o.kind in ("line-exit", "lease-exit") and o.month < len(cash.months)
        ],
        "priced_by_rule": [
            {"server": server, "rule": rule, "monthly_cny": _money(monthly)}
            for server, rule, monthly in cash.priced_by_rule
        ],
        "sunk_cost_rooms": [
            {
                "room": r.room,
                "servers": list(r.servers),
                "until": r.until.isoformat(),
                "book_value_cny": _money(r.book_value_cny),
                "room_cost_cny": _money(r.room_cost_cny),
                "close_early": r.close_early,
            }
            for r in cash.sunk_cost_rooms
        ],
    }


def _value_json(value: Value) -> dict[str, Any]:
    v = value.value
    return {
        "value": None if v is None else round(v, 4),
        "numerator": _money(value.amount),
        "denominator": value.denominator,
    }


def kpis_json(plan: Plan, kpis: list[Indicator]) -> list[dict[str, Any]]:
    """The ``kpis`` part of ``plan.json``: every indicator with its formula in both languages."""
    return [
        {
            "code": k.code,
            "unit": k.unit,
            "zh": t(f"kpi.{k.code}", "zh"),
            "en": t(f"kpi.{k.code}", "en"),
            "formula_zh": t(f"kpi.{k.code}.formula", "zh"),
            "formula_en": t(f"kpi.{k.code}.formula", "en"),
            "baseline": _value_json(k.baseline),
            "targets": [
                {"wave": e.wave.number, **_value_json(v)}
                for e, v in zip(plan.schedule, k.targets, strict=True)
            ],
            "achieved": None if k.achieved is None else _value_json(k.achieved),
        }
        for k in kpis
    ]


def recovery_json(plan: Plan) -> dict[str, Any]:
    """The ``recovery`` part of ``plan.json``: each system's recovery today and in the plan,
    and the rooms that hold recovery copies until their replacement is live."""
    return {
        "systems": [
            {
                "system": r.system,
                "level": r.level,
                "node": r.node,
                "wave": r.wave,
                "today": {"offsite": r.offsite_today, "standby": r.standby_today, "site": r.site_today},
                "rpo_hours": r.rpo_hours,
                "rto_hours": r.rto_hours,
                "offsite": r.offsite,
                "offsite_region": r.offsite_region,
                "copy_every_hours": r.copy_every_hours,
                "standby": r.standby,
                "standby_zone": r.standby_zone,
                "rpo_met": r.rpo_met,
                "problems": list(r.problems),
            }
            for r in plan_recovery(plan)
        ],
        "holds": [
            {
                "room": h.room,
                "system": h.system,
                "closes_after_wave": h.closes_after_wave,
                "live_after_wave": h.live_after_wave,
                "ok": h.ok,
            }
            for h in holds(plan)
        ],
    }


def operators_json(plan: Plan) -> dict[str, Any]:
    """The ``operators`` part of ``plan.json``: who runs each system before and after, the
    handover per wave and the operations cost as-is and to-be."""
    ops = operations(plan.ledger, plan.decisions, plan.wave_of, plan.rules)
    return {
        "systems": [
            {
                "system": op.system,
                "owner": op.owner,
                "action": op.action,
                "wave": op.wave,
                "before": {"operator": op.before, "name": op.before_name},
                "after": {
                    "infrastructure": op.infrastructure,
                    "infrastructure_name": op.infrastructure_name,
                    "application": op.application,
                    "application_name": op.application_name,
                },
                "as_is_cny": _money(op.as_is_cny),
                "to_be_cny": _money(op.to_be_cny),
            }
            for op in ops
        ],
        "handovers": [
            {
                "wave": wave,
                "to_ops_centre": sorted(op.system for op in items if op.infrastructure == "ops_centre"),
                "retired": sorted(op.system for op in items if op.action == "retire"),
            }
            for wave, items in handovers(ops).items()
        ],
        "as_is_cny": _money(sum(op.as_is_cny for op in ops)),
        "to_be_cny": _money(sum(op.to_be_cny for op in ops)),
    }


def money_json(plan: Plan) -> dict[str, Any]:
    """``cashflow``, ``kpis``, ``recovery`` and ``operators`` for ``plan.json``."""
    cash = cash_of(plan)
    return {
        "cashflow": cashflow_json(plan, cash),
        "kpis": kpis_json(plan, indicators(plan, cash)),
        "recovery": recovery_json(plan),
        "operators": operators_json(plan),
    }


def format_value(value: Value, unit: str, lang: Lang) -> str:
    v = value.value
    if v is None:
        return "-"
    if unit == "rate":
        return percent(v, lang, 1)
    if unit == "cny":
        return number(v, lang)
    return number(v, lang) if unit == "count" else number(v, lang, 1)


def cashflow_line(plan: Plan, lang: Lang) -> str:
    """The cash flow's net present value and payback month, in one line."""
    cash = cash_of(plan)
    if not plan.basis().saving_known:
        return t("cashflow.unknown", lang, rate=f"{cash.discount_rate_pct:g}")
    pay = cash.payback_month
    payback_text = (
        t("cashflow.never", lang)
        if pay is None
        else t("cashflow.payback", lang, month=_month(cash.months[pay]), months=pay + 1)
    )
    return t(
        "cashflow.summary",
        lang,
        rate=f"{cash.discount_rate_pct:g}",
        npv=number(cash.npv_cny, lang),
        payback=payback_text,
    )


def kpi_line(plan: Plan, lang: Lang) -> str:
    """The KPIs' baseline and target after the last wave, in one line (the terminal's view)."""
    kpis = indicators(plan, cash_of(plan))
    sep = "，" if lang == "zh" else ", "
    items = sep.join(
        f"{t(f'kpi.{k.code}', lang)} {format_value(k.baseline, k.unit, lang)} → "
        f"{format_value(k.targets[-1], k.unit, lang) if k.targets else '-'}"
        for k in kpis
    )
    return t("kpi.line", lang, items=items)


def markdown(plan: Plan, lang: Lang) -> list[str]:
    """The cash flow and KPI sections of ``plan.md``."""
    cash = cash_of(plan)
    out = ["", f"## {t('cashflow.title', lang)}", "", md_escape(cashflow_line(plan, lang)), ""]
    totals: dict[str, float] = defaultdict(float)
    for o in cash.one_offs:
        totals[o.kind] += o.cny
    sep = "，" if lang == "zh" else ", "
    items = sep.join(
        f"{t(f'cashflow.one_off.{k}', lang)} {number(totals[k], lang)}" for k in ONE_OFF_KINDS if totals[k]
    )
    if items:
        out += [md_escape(t("cashflow.one_offs", lang, items=items)), ""]
    known = plan.basis().saving_known  # else the as-is is unknown: so is every saving

    def diff(a: float, b: float) -> str:
        return number(a - b, lang) if known else "-"

    cols = ("year", "as_is", "to_be", "opex", "depreciation", "capex", "saving")
    out += [
        "| " + " | ".join(t(f"cashflow.col.{c}", lang) for c in cols) + " |",
        "|---" + "|---:" * (len(cols) - 1) + "|",
    ]
    for y in cash.fiscal_years():
        out.append(
            f"| {int(y['year'])} | {number(y['as_is_cny'], lang)} | {number(y['to_be_cny'], lang)} | {number(y['opex_cny'], lang)} | "
            f"{number(y['depreciation_cny'], lang)} | {number(y['capex_cny'], lang)} | {diff(y['as_is_cny'], y['to_be_cny'])} |"
        )
    out += [
        "",
        "| " + " | ".join(t(f"cashflow.col.{c}", lang) for c in ("level", "as_is", "to_be", "saving")) + " |",
        "|---|---:|---:|---:|",
    ]
    for level, months in sorted(cash.by_level.items()):
        a, b = sum(m.as_is for m in months), sum(m.to_be for m in months)
        out.append(
            f"| {ADMIN_LEVEL.label(level, lang)} | {number(a, lang)} | {number(b, lang)} | {diff(a, b)} |"
        )
    by_rule = defaultdict(list)
    for server, rule, _ in cash.priced_by_rule:
        by_rule[rule].append(server)
    for rule, code in (("largest-type", "cashflow.priced_by_rule"), ("unpriced", "cashflow.unpriced")):
        if by_rule[rule]:
            servers = join_list((f"`{s}`" for s in by_rule[rule]), lang)
            out += ["", t(code, lang, count=len(by_rule[rule]), servers=servers)]
    if cash.sunk_cost_rooms:
        out.append("")
    for r in cash.sunk_cost_rooms:
        verdict = t("cashflow.close_early" if r.close_early else "cashflow.keep", lang)
        text = t(
            "cashflow.sunk_cost_room",
            lang,
            room=r.room,
            servers=len(r.servers),
            until=r.until.isoformat(),
            room_cost=number(r.room_cost_cny, lang),
            book=number(r.book_value_cny, lang),
            verdict=verdict,
        )
        out += [f"- {md_escape(text)}"]
    out += _kpi_markdown(plan, indicators(plan, cash), lang)
    out += _recovery_markdown(plan, lang)
    out += _operators_markdown(plan, lang)
    return out


def _operator(kind: str | None, name: str | None, lang: Lang) -> str:
    if kind is None:
        return "-"
    label = OPERATOR_KIND.label(kind, lang)
    return f"{label}（{name}）" if name and lang == "zh" else (f"{label} ({name})" if name else label)


def _operators_markdown(plan: Plan, lang: Lang) -> list[str]:
    ops = operations(plan.ledger, plan.decisions, plan.wave_of, plan.rules)
    as_is, to_be = sum(op.as_is_cny for op in ops), sum(op.to_be_cny for op in ops)
    out = [
        "",
        f"## {t('operators.title', lang)}",
        "",
        md_escape(t("operators.summary", lang, as_is=number(as_is, lang), to_be=number(to_be, lang))),
        "",
    ]
    for wave, items in handovers(ops).items():
        moved = [op for op in items if op.infrastructure == "ops_centre"]
        retired = [op for op in items if op.action == "retire"]
        parts = []
        if moved:
            parts.append(
                t("operators.to_centre", lang, systems=join_list((f"`{op.system}`" for op in moved), lang))
            )
        if retired:
            parts.append(
                t("operators.retired", lang, systems=join_list((f"`{op.system}`" for op in retired), lang))
            )
        out.append(f"- {t('plan.wave', lang, number=wave)}: " + "；".join(parts))
    cols = ("system", "before", "infrastructure", "application", "as_is", "to_be")
    out += [
        "",
        "| " + " | ".join(t(f"operators.col.{c}", lang) for c in cols) + " |",
        "|---|---|---|---|---:|---:|",
    ]
    for op in ops:
        out.append(
            f"| `{op.system}` | {md_escape(_operator(op.before, op.before_name, lang))} | "
            f"{md_escape(op.infrastructure_name if op.infrastructure == 'ops_centre' and op.infrastructure_name else _operator(op.infrastructure, op.infrastructure_name, lang))} | "
            f"{md_escape(_operator(op.application, op.application_name, lang))} | {number(op.as_is_cny, lang)} | {number(op.to_be_cny, lang)} |"
        )
    return out


def _recovery_markdown(plan: Plan, lang: Lang) -> list[str]:
    recoveries = plan_recovery(plan)
    if not recoveries:
        return []
    cols = ("system", "today", "offsite", "standby", "rpo", "problems")
    out = [
        "",
        f"## {t('recovery.title', lang)}",
        "",
        "| " + " | ".join(t(f"recovery.col.{c}", lang) for c in cols) + " |",
        "|---" * len(cols) + "|",
    ]
    for r in recoveries:
        today = [t("recovery.offsite", lang)] if r.offsite_today else []
        if r.standby_today:
            today.append(t(f"recovery.standby.{r.standby_today}", lang))
        standby = "-" if not r.standby else f"{t(f'recovery.standby.{r.standby}', lang)} `{r.standby_zone}`"
        every = f"{r.copy_every_hours:g} h" if r.copy_every_hours else "-"
        rpo = "-" if r.rpo_hours is None else f"{r.rpo_hours:g} h"
        problems = "；".join(t(f"recovery.problem.{p}", lang) for p in r.problems) or "-"
        out.append(
            f"| `{r.system}` | {', '.join(today) or '-'} | {f'`{r.offsite}`' if r.offsite else '-'} | {standby} | "
            f"{rpo} / {every} | {problems} |"
        )
    kept = holds(plan)
    if kept:
        out += [""]
        for h in kept:
            code = "recovery.hold" if h.ok else "recovery.hold_broken"
            out.append(
                "- "
                + t(
                    code,
                    lang,
                    room=f"`{h.room}`",
                    system=f"`{h.system}`",
                    wave=h.closes_after_wave,
                    live=h.live_after_wave or "-",
                )
            )
    return out


def _kpi_markdown(plan: Plan, kpis: list[Indicator], lang: Lang) -> list[str]:
    waves = [e.wave.number for e in plan.schedule]
    head = [t("kpi.col.indicator", lang), t("kpi.col.baseline", lang)]
    head += [t("plan.wave", lang, number=n) for n in waves] + [t("kpi.col.achieved", lang)]
    out = [
        "",
        f"## {t('kpi.title', lang)}",
        "",
        "| " + " | ".join(head) + " |",
        "|---" + "|---:" * (len(head) - 1) + "|",
    ]
    for k in kpis:
        cells = [t(f"kpi.{k.code}", lang), format_value(k.baseline, k.unit, lang)]
        cells += [format_value(v, k.unit, lang) for v in k.targets]
        cells.append(
            t("kpi.not_recorded", lang) if k.achieved is None else format_value(k.achieved, k.unit, lang)
        )
        out.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
    out += ["", f"{t('kpi.col.formula', lang)}:", ""]
    out += [
        f"- {md_escape(t(f'kpi.{k.code}', lang))}: {md_escape(t(f'kpi.{k.code}.formula', lang))}"
        for k in kpis
    ]
    return out
