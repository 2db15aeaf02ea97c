"""The migration plan as JSON (``plan.json``), Markdown (``plan.md``) and terminal tables."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from govcloud.i18n import Lang, join_list, number, t
from govcloud.ledger import model
from govcloud.outputs import JsonArray
from govcloud.plan import ACTIONS, Plan, basis, confidence, retest
from govcloud.plan.contracts import Exit, exits, fiscal_years
from govcloud.plan.cost import Cost
from govcloud.plan.decide import Decision
from govcloud.plan.paths import Path
from govcloud.plan.placement import Placement
from govcloud.plan.runbook import Step, runbook
from govcloud.report import plan_money
from govcloud.text import md_escape, plain

#: 2: ``as_is_basis`` (what of the as-is was estimated), ``as_is_estimated_cny`` in every
#: cost, and a saving of ``null`` when nothing of today's cost is known
PLAN_SCHEMA_VERSION = 2


def _money(value: float) -> float:
    return round(value, 2)


def cost_json(cost: Cost, saving_known: bool = True) -> dict[str, Any]:
    """A department's or the region's cost; ``saving_known`` False: the ledger records nothing
    of today's cost and nothing estimates it, so the saving and payback are unknown (null)."""
    payback = cost.payback_years if saving_known else None
    return {
        "as_is_cny": _money(cost.as_is_cny),
        "as_is_estimated_cny": _money(cost.as_is_estimated_cny),
        "to_be_cny": _money(cost.to_be_cny),
        "to_be": {
            "cloud_cny": _money(cost.cloud_cny),
            "rooms_cny": _money(cost.rooms_cny),
            "lines_cny": _money(cost.lines_cny),
            "extranet_cny": _money(cost.extranet_cny),
            "depreciation_cny": _money(cost.depreciation_cny),
            "maintenance_cny": _money(cost.maintenance_cny),
            "operations_cny": _money(cost.operations_cny),
        },
        "yearly_saving_cny": _money(cost.yearly_saving_cny) if saving_known else None,
        "one_off_cny": _money(cost.one_off_cny),
        "payback_years": None if payback is None else round(payback, 2),
        "moving_servers": cost.moving_servers,
        "moving_systems": cost.moving_systems,
        "data_tb": round(cost.data_tb, 2),
        "five_years": [{k: _money(v) for k, v in year.items()} for year in cost.five_years()],
    }


def basis_json(plan: Plan) -> dict[str, Any]:
    """``as_is_basis``: the rooms and servers whose yearly cost the plan estimated (assumed,
    not recorded) and by which ``prices.as_is`` entries, those it could not, and whether the
    saving is known at all (:mod:`govcloud.plan.basis`)."""
    found = plan.basis()
    return {
        "estimated_cny": _money(found.total_cny()),
        "entries": [f"prices.as_is.{e}" for e in found.entries],
        "rooms": {r: _money(cny) for r, cny in sorted(found.rooms.items())},
        "servers": {s: _money(e.yearly_cny) for s, e in sorted(found.servers.items())},
        "unrecorded_rooms": list(found.unrecorded_rooms),
        "unrecorded_servers": list(found.unrecorded_servers),
        "saving_known": found.saving_known,
    }


def basis_lines(plan: Plan, lang: Lang) -> list[str]:
    """What of the as-is is estimated and what is not counted (none when all is recorded)."""
    found = plan.basis()
    return basis.notes(
        found.total_cny(),
        [f"prices.as_is.{e}" for e in found.entries],
        len(found.rooms),
        len(found.servers),
        len(found.unrecorded_rooms),
        len(found.unrecorded_servers),
        lang,
    )


def _reasons(decision: Decision) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "params": r.as_dict(),
            "zh": t(f"reason.{r.code}", "zh", **r.as_dict()),
            "en": t(f"reason.{r.code}", "en", **r.as_dict()),
        }
        for r in decision.reasons
    ]


def _path_json(path: Path) -> dict[str, Any]:
    return {
        "from": path.source,
        "to": path.target,
        "hops": list(path.hops),
        "bottleneck_mbps": path.bottleneck_mbps,
        "data_gb": round(path.data_gb, 1),
        "hours": path.hours,
        "advice": path.advice,
    }


def confidence_json(plan: Plan) -> dict[str, Any]:
    """How sure the plan is, overall and per system (:mod:`govcloud.plan.confidence`)."""
    per_system, whole = _confidence(plan)
    return {
        "pct": whole.pct,
        "stars": whole.stars,
        "assumed": list(whole.assumed),
        "systems": {
            s: {"pct": c.pct, "stars": c.stars, "assumed": list(c.assumed)} for s, c in per_system.items()
        },
    }


#: the last ledger's confidence and the systems it was rated for (all it depends on):
#: plan.json, plan.md and the terminal each ask for it, and it goes through every system
_CONFIDENCE: list[tuple[model.Ledger, tuple[str, ...], Any]] = []


def _confidence(plan: Plan) -> Any:
    systems = tuple(plan.decisions)
    if _CONFIDENCE and _CONFIDENCE[0][0] is plan.ledger and _CONFIDENCE[0][1] == systems:
        return _CONFIDENCE[0][2]
    factors = confidence.factors_of(plan.ledger, list(systems))
    per_system = {s: confidence.rate(f) for s, f in factors.items()}
    found = (per_system, confidence.overall(plan.ledger, per_system, factors))
    _CONFIDENCE[:] = [(plan.ledger, systems, found)]
    return found


def confidence_line(plan: Plan, lang: Lang) -> str:
    """The plan's confidence in one line, and what was assumed most."""
    found = confidence_json(plan)
    return confidence.line(found["pct"], found["stars"], found["assumed"], lang)


def _exit_json(x: Exit) -> dict[str, Any]:
    return {
        "kind": x.kind,
        "id": x.id,
        "wave": x.wave,
        "free_on": x.free_on.isoformat(),
        "contract_end": x.contract_end.isoformat() if x.contract_end else None,
        "closes_on": x.closes_on.isoformat(),
        "early": x.early,
        "saving_cny": _money(x.saving_cny),
        "penalty_cny": _money(x.penalty_cny),
    }


def _step_json(step: Step) -> dict[str, Any]:
    params = step.as_dict()
    return {
        "step": step.code,
        "params": params,
        "zh": t(f"runbook.{step.code}", "zh", **params),
        "en": t(f"runbook.{step.code}", "en", **params),
    }


#: a placement's fields, every one a plain value: read as they are, where ``dataclasses.asdict``
#: would copy each of them (half a second for 50k servers' placements)
_PLACEMENT_FIELDS = tuple(field.name for field in dataclasses.fields(Placement))


def to_json(plan: Plan, *, lazy: bool = False) -> dict[str, Any]:
    """The plan as a JSON value; its schema ships as ``plan.schema.json``.  ``lazy``: the
    decisions, placements and waves (most of its bytes: about 100 MB at 100k servers) as
    :class:`~govcloud.outputs.JsonArray` items made as they are written."""
    ledger = plan.ledger
    violations = plan.violations()
    listed: Callable[[Iterable[Any]], Any] = JsonArray if lazy else list
    known = plan.basis().saving_known
    return {
        "schema_version": PLAN_SCHEMA_VERSION,
        "region": {
            "id": ledger.region.id,
            "name": ledger.region.name,
            "as_of": ledger.region.as_of.isoformat(),
        },
        "prices_are_examples": ledger.prices.example,
        "rules": dataclasses.asdict(plan.rules),
        "verified": not violations,
        "violations": [dataclasses.asdict(v) for v in violations],
        "decisions": listed(
            {
                "system": d.system,
                "name": ledger.systems[d.system].name,
                "name_en": ledger.systems[d.system].name_en,
                "owner": ledger.systems[d.system].owner,
                "action": d.action,
                "target": d.target,
                "until": d.until.isoformat() if d.until else None,
                "platform": d.platform,
                "wave": plan.wave_of.get(d.system),
                "reasons": _reasons(d),
            }
            for d in sorted(plan.decisions.values(), key=lambda d: d.system)
        ),
        "placements": listed(
            {name: getattr(p, name) for name in _PLACEMENT_FIELDS}
            for p in sorted(plan.placements, key=lambda p: p.server)
        ),
        "waves": listed(
            {
                "number": entry.wave.number,
                "pilot": entry.wave.pilot,
                "start": entry.window.start.isoformat() if entry.window else None,
                "end": entry.window.end.isoformat() if entry.window else None,
                "move_groups": [list(g.systems) for g in entry.wave.groups],
                "systems": entry.wave.systems,
                "servers": entry.wave.servers,
                "data_tb": round(entry.wave.data_gb / 1024, 2),
                "retired_systems": sorted(entry.retired_systems),
                "closed_rooms": sorted(entry.closed_rooms),
                "cancelled_lines": sorted(entry.cancelled_lines),
                "cutover_networks": sorted(entry.cutover_networks),
                "confirm_servers": sorted(entry.confirm_servers),
                "paths": [_path_json(p) for p in entry.paths],
                "id": f"wave{entry.wave.number}",
                "fiscal_years": fiscal_years(entry.window.start, entry.window.end) if entry.window else [],
                "done": entry.done,
                "readdressed_networks": sorted(entry.readdressed_networks),
                "upgraded_lines": sorted(entry.upgraded_lines),
                "reclaimed_servers": sorted(entry.reclaimed_servers),
                "switched_users": [{"system": s, "platform": p} for s, p in sorted(entry.switched_users)],
                "runbook": [_step_json(step) for step in runbook(plan, entry)],
            }
            for entry in plan.schedule
        ),
        "room_holds": {site: list(why) for site, why in sorted(plan.room_holds.items())},
        "rewired": [dataclasses.asdict(r) for r in plan.rewired],
        "exits": [_exit_json(x) for x in exits(plan)],
        "unassigned_servers": plan.unassigned_servers,
        "confidence": confidence_json(plan),
        "costs": {
            "departments": {d: cost_json(c, known) for d, c in sorted(plan.costs.items())},
            "total": cost_json(plan.total, known),
        },
        "as_is_basis": basis_json(plan),
        **plan_money.money_json(plan),  # issue 23: cash flow and KPIs
        "retests": retests_json(plan),  # issue 22: the re-tests (测评) the moves call for
    }


def _retests(plan: Plan) -> list[retest.Retest]:
    """The scheduled re-tests; a classified system never moves, and is dropped here again
    so that no writer of the plan can list one."""
    systems = plan.ledger.systems
    return [r for r in retest.schedule(plan) if r.system in systems and not systems[r.system].classified]


def retests_json(plan: Plan) -> dict[str, Any]:
    """The re-tests (测评) the plan's moves call for, scheduled after the waves
    (:mod:`govcloud.plan.retest`); each system with why it needs one, in both languages."""
    found = retest.to_json(_retests(plan))
    systems: list[dict[str, Any]] = found["systems"]  # type: ignore[assignment]
    return {
        "per_wave": found["per_wave"],
        "last_wave": len(plan.schedule),
        "systems": [
            r
            | {
                "zh": t(f"baseline.retests.why.{r['why']}", "zh"),
                "en": t(f"baseline.retests.why.{r['why']}", "en"),
            }
            for r in systems
        ],
    }


def retests_markdown(plan: Plan, lang: Lang) -> list[str]:
    """The re-tests as a section of plan.md, one list per wave they follow."""
    found = _retests(plan)
    if not found:
        return []
    last = len(plan.schedule)
    out = [
        "",
        f"## {t('plan.retests', lang, count=len(found), per_wave=retest.RetestRules().per_wave)}",
    ]
    systems = plan.ledger.systems
    by_slot: dict[int, list[retest.Retest]] = {}
    for r in found:  # in their order within a slot
        by_slot.setdefault(r.slot, []).append(r)
    for slot in sorted(by_slot):
        key = "plan.retests.after" if slot <= last else "plan.retests.after_plan"
        out += ["", f"### {t(key, lang, slot=slot, last=last)}", ""]
        for r in by_slot[slot]:
            item = t(
                "plan.retests.item",
                lang,
                level=r.level,
                wave=r.moved_in,
                why=t(f"baseline.retests.why.{r.why}", lang),
            )
            sep = "：" if lang == "zh" else ": "
            out.append(f"- `{r.system}` {md_escape(systems[r.system].name)}{sep}{md_escape(item)}")
    return out


def decision_counts(plan: Plan, lang: Lang) -> str:
    counts = Counter(d.action for d in plan.decisions.values())
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{t(f'action.{a}', lang)} {counts[a]}" for a in ACTIONS if counts[a])


def totals_line(plan: Plan, lang: Lang) -> str:
    total = plan.total
    if not plan.basis().saving_known:
        return t(
            "plan.totals.unknown",
            lang,
            to_be=number(total.to_be_cny, lang),
            one_off=number(total.one_off_cny, lang),
        )
    payback = total.payback_years
    return t(
        "plan.totals",
        lang,
        as_is=number(total.as_is_cny, lang),
        to_be=number(total.to_be_cny, lang),
        saving=number(total.yearly_saving_cny, lang),
        one_off=number(total.one_off_cny, lang),
        payback=t("plan.never", lang)
        if payback is None
        else t("plan.payback_years", lang, years=f"{payback:.1f}"),
    )


def wave_label(number: int, pilot: bool, lang: Lang) -> str:
    label = t("plan.wave", lang, number=number)
    return (
        f"{label}（{t('plan.pilot', lang)}）"
        if pilot and lang == "zh"
        else (f"{label} ({t('plan.pilot', lang)})" if pilot else label)
    )


def _wave_rows(plan: Plan, lang: Lang) -> list[list[str]]:
    return [
        [
            wave_label(e.wave.number, e.wave.pilot, lang),
            str(len(e.wave.systems)),
            str(e.wave.servers),
            f"{e.wave.data_gb / 1024:.1f}",
            str(len(e.closed_rooms)),
            str(len(e.cancelled_lines)),
            str(len(e.cutover_networks)),
        ]
        for e in plan.schedule
    ]


_WAVE_COLUMNS = ("wave", "systems", "servers", "data_tb", "closed_rooms", "cancelled_lines", "cutover")


def _title(plan: Plan, lang: Lang) -> str:
    region = plan.ledger.region
    name = region.name_en if lang == "en" and region.name_en else region.name
    return t("plan.title", lang, region=name, as_of=region.as_of.isoformat())


#: the terminal shows at most this many waves (the first ones and the last); plan.md and
#: report.html have them all
TABLE_WAVES = 30


@dataclasses.dataclass(frozen=True)
class TableText:
    """What :func:`table` shows, as plain text (kept with a cached run, so that a warm re-run
    prints it without the plan): the title, the columns (header, justification), the rows
    of waves and the lines under them."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[list[str]]
    lines: list[str]


def table_text(plan: Plan, lang: Lang) -> TableText:
    """The waves (at most :data:`TABLE_WAVES`) and the totals, as text."""
    columns = [
        (t(f"plan.col.{column}", lang), "left" if column == "wave" else "right") for column in _WAVE_COLUMNS
    ]
    rows = _wave_rows(plan, lang)
    if len(rows) > TABLE_WAVES:
        hidden = len(rows) - TABLE_WAVES + 1
        rows = [*rows[: TABLE_WAVES - 5], [t("plan.more_waves", lang, count=hidden)] + [""] * 6, *rows[-4:]]
    violations = plan.violations()
    lines = [
        t("plan.decisions", lang, counts=decision_counts(plan, lang)),
        totals_line(plan, lang),
        *basis_lines(plan, lang),
        plan_money.cashflow_line(plan, lang),  # issue 23: the cash flow's NPV and payback
        plan_money.kpi_line(plan, lang),  # issue 23: the KPIs, baseline → after the last wave
        t("plan.verified", lang) if not violations else t("plan.violations", lang, count=len(violations)),
        confidence_line(plan, lang),
    ]
    if plan.ledger.prices.example:
        lines.append(t("plan.examples", lang))
    return TableText(plain(_title(plan, lang)), columns, rows, lines)


def table_of(text: TableText) -> Group:
    """The rich table of :func:`table_text`, for the terminal."""
    waves = Table(title=text.title, title_justify="left")
    for header, justify in text.columns:
        waves.add_column(header, justify="left" if justify == "left" else "right")
    for row in text.rows:
        waves.add_row(*row)
    return Group(waves, *(Text(line) for line in text.lines))


def table(plan: Plan, lang: Lang) -> Group:
    """The waves and the totals, for the terminal."""
    return table_of(table_text(plan, lang))


def markdown(plan: Plan, lang: Lang) -> str:
    """The readable plan: waves, decisions with reasons, costs per department."""
    ledger = plan.ledger
    out = [f"# {md_escape(_title(plan, lang))}", "", md_escape(totals_line(plan, lang)), ""]
    out += [line for text in basis_lines(plan, lang) for line in (f"> {md_escape(text)}", "")]
    out.append(md_escape(t("plan.decisions", lang, counts=decision_counts(plan, lang))))
    violations = plan.violations()
    out += [
        "",
        t("plan.verified", lang) if not violations else t("plan.violations", lang, count=len(violations)),
        "",
    ]
    out += [md_escape(confidence_line(plan, lang)), ""]
    if ledger.prices.example:
        out += [f"> {t('plan.examples', lang)}", ""]
    out += [
        "| " + " | ".join(t(f"plan.col.{c}", lang) for c in _WAVE_COLUMNS) + " |",
        "|---" + "|---:" * 6 + "|",
    ]
    out += ["| " + " | ".join(row) + " |" for row in _wave_rows(plan, lang)]
    for entry in plan.schedule:
        heading = wave_label(entry.wave.number, entry.wave.pilot, lang)
        if entry.window:
            heading += f" {entry.window.start.isoformat()} – {entry.window.end.isoformat()}"
            years = "–".join(str(y) for y in sorted({entry.window.start.year, entry.window.end.year}))
            heading += f" ({t('plan.fiscal_year', lang, years=years)})"
        out += ["", f"## {heading}", ""]
        for system_id in entry.wave.systems:
            d = plan.decisions[system_id]
            out.append(
                f"- `{system_id}` {md_escape(ledger.systems[system_id].name)} → {t(f'action.{d.action}', lang)} `{d.target}`"
            )
        for key, ids in (
            ("closed_rooms", entry.closed_rooms),
            ("cancelled_lines", entry.cancelled_lines),
            ("readdress", entry.readdressed_networks),
            ("upgraded", entry.upgraded_lines),
            ("reclaimed", entry.reclaimed_servers),
            ("cutover", entry.cutover_networks),
            ("switch", [f"{s} → {p}" for s, p in entry.switched_users]),
            ("confirm", entry.confirm_servers),
        ):
            if ids:
                out.append(
                    f"- {t(f'plan.col.{key}', lang)}: " + join_list((f"`{i}`" for i in sorted(ids)), lang)
                )
        for path in entry.paths:
            advice = t(f"plan.path.{path.advice}", lang, hours=path.hours)
            ends = path.hops or (path.source, path.target)
            hops = " → ".join(h.split(":", 1)[1] for h in ends)
            out.append(
                f"- {md_escape(hops)}: {path.bottleneck_mbps:g} Mbps, {path.data_gb / 1024:.2f} TB; {advice}"
            )
        steps = runbook(plan, entry)
        if steps:
            out += ["", f"### {t('plan.runbook', lang)}", ""]
            out += [
                f"{i}. {md_escape(t(f'runbook.{s.code}', lang, **s.as_dict()))}"
                for i, s in enumerate(steps, 1)
            ]
    out += [
        "",
        f"## {t('plan.col.action', lang)}",
        "",
        f"| {t('plan.col.systems', lang)} | {t('plan.col.action', lang)} | {t('plan.col.target', lang)} | {t('plan.col.reason', lang)} |",
        "|---|---|---|---|",
    ]
    for d in sorted(plan.decisions.values(), key=lambda d: d.system):
        reasons = "；".join(t(f"reason.{r.code}", lang, **r.as_dict()) for r in d.reasons)
        name = md_escape(ledger.systems[d.system].name)
        out.append(
            f"| `{d.system}` {name} | {t(f'action.{d.action}', lang)} | {d.target or '-'} | {md_escape(reasons)} |"
        )
    cols = ("department", "as_is", "to_be", "saving", "one_off", "payback")
    out += [
        "",
        f"## {t('plan.col.as_is', lang)} / {t('plan.col.to_be', lang)}",
        "",
        "| " + " | ".join(t(f"plan.col.{c}", lang) for c in cols) + " |",
        "|---" + "|---:" * 5 + "|",
    ]
    known = plan.basis().saving_known
    for dept_id, c in sorted(plan.costs.items()):
        dept = ledger.departments[dept_id]
        name = dept.name_en if lang == "en" and dept.name_en else dept.name
        payback = "-" if c.payback_years is None or not known else f"{c.payback_years:.1f}"
        saving = number(c.yearly_saving_cny, lang) if known else "-"
        out.append(
            f"| {md_escape(name)} | {number(c.as_is_cny, lang)} | {number(c.to_be_cny, lang)} | {saving} | {number(c.one_off_cny, lang)} | {payback} |"
        )
    contract_exits = [x for x in exits(plan) if x.contract_end and x.contract_end > x.free_on]
    if contract_exits:
        out += [
            "",
            f"## {t('plan.exits', lang)}",
            "",
            "| "
            + " | ".join(
                t(f"plan.exit.{c}", lang)
                for c in ("id", "free_on", "contract_end", "closes_on", "saving", "penalty")
            )
            + " |",
            "|---|---|---|---|---:|---:|",
        ]
        for x in contract_exits:
            closes = x.closes_on.isoformat() + (f" ({t('plan.exit.early', lang)})" if x.early else "")
            out.append(
                f"| `{x.id}` | {x.free_on.isoformat()} | {x.contract_end.isoformat() if x.contract_end else '-'} | {closes} | {number(x.saving_cny, lang)} | {number(x.penalty_cny, lang)} |"
            )
    if plan.room_holds:
        out += ["", f"## {t('plan.col.holds', lang)}", ""]
        for site_id, why in sorted(plan.room_holds.items()):
            reasons = join_list((t(f"plan.hold.{w}", lang) for w in why), lang)
            out.append(f"- `{site_id}`: {md_escape(reasons)}")
    if plan.unassigned_servers:
        out += ["", md_escape(t("plan.unassigned", lang, count=len(plan.unassigned_servers)))]
    out += retests_markdown(plan, lang)  # issue 22: re-tests (测评) after the waves
    out += plan_money.markdown(plan, lang)  # issue 23: cash flow and KPIs
    out += confidence_markdown(plan, lang)
    out.append("")
    return "\n".join(out)


def confidence_markdown(plan: Plan, lang: Lang, limit: int = 20) -> list[str]:
    """The systems the plan is least sure of, with what was assumed for each."""
    found = confidence_json(plan)["systems"]
    least = sorted(found.items(), key=lambda item: (item[1]["pct"], item[0]))[:limit]
    if not least:
        return []
    out = [
        "",
        f"## {t('confidence.title', lang)}",
        "",
        f"| {t('confidence.col.system', lang)} | {t('confidence.col.stars', lang)} | {t('confidence.col.assumed', lang)} |",
        "|---|---:|---|",
    ]
    for system_id, c in least:
        assumed = join_list((t(f"confidence.factor.{f}", lang) for f in c["assumed"]), lang, empty="-")
        name = md_escape(plan.ledger.systems[system_id].name)
        out.append(f"| `{system_id}` {name} | {'★' * c['stars']} {c['pct']}% | {assumed} |")
    return out
