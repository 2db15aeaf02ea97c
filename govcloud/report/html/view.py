"""The report's content as plain values for the template: every label already in the
report's language, every number formatted, every link target a safe anchor.

Inventory text stays raw here; the template escapes it (Jinja's autoescape).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from typing import Any

from govcloud.analysis import FINDING_KINDS
from govcloud.i18n import Lang, number, t
from govcloud.plan import ACTIONS, basis
from govcloud.report.html import compliance as audit
from govcloud.report.html.charts import money_scale, wave_name
from govcloud.report.html.inputs import ReportInputs

_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")
SEVERITIES = ("critical", "high", "medium", "low")
#: the page lists this many findings of a rule; baseline.md and baseline.sarif have them all
MAX_FINDINGS_PER_RULE = 100


def anchor(prefix: str, ident: str) -> str:
    """A fragment id for ``ident``: readable when the id is plain ASCII, else a short hash."""
    if _SAFE_ID.fullmatch(ident):
        return f"{prefix}-{ident}"
    return f"{prefix}-x{hashlib.sha1(ident.encode('utf-8')).hexdigest()[:12]}"  # noqa: S324 - an anchor, not security


def localised(item: dict[str, Any], lang: Lang) -> str:
    """An entity's name in ``lang`` (English falls back to the Chinese name)."""
    return str(item.get("name_en") or item["name"]) if lang == "en" else str(item["name"])


def money(value: float | None, lang: Lang) -> str:
    """An amount, or "-" when it is not known (a saving without today's cost)."""
    return "-" if value is None else number(value, lang)


class Names:
    """Display names of the ids the documents mention."""

    def __init__(self, inputs: ReportInputs, lang: Lang) -> None:
        self.departments: dict[str, str] = {
            d["id"]: localised(d, lang) for d in inputs.topology["departments"]
        }
        self.nodes: dict[str, str] = {n["id"]: localised(n, lang) for n in inputs.topology["nodes"]}
        self.lines = _unique_names(
            {
                link["id"].split(":", 1)[1]: str(link.get("name") or link["id"].split(":", 1)[1])
                for link in inputs.topology["links"]
                if link["type"] == "line"
            },
            lang,
        )
        self.networks: dict[str, str] = {n["id"]: localised(n, lang) for n in inputs.topology["networks"]}
        self.systems: dict[str, str] = {d["system"]: localised(d, lang) for d in inputs.plan["decisions"]}

    def member(self, key: str) -> str:
        """A finding's member ``kind:id`` as a name where one is known."""
        kind, _, ident = key.partition(":")
        if kind == "site":
            return self.nodes.get(key, ident)
        table = {"system": self.systems, "line": self.lines, "network": self.networks}.get(kind, {})
        return table.get(ident, ident)

    def room(self, ident: str) -> str:
        return self.nodes.get(f"site:{ident}", ident)


def _unique_names(names: dict[str, str], lang: Lang) -> dict[str, str]:
    """Names that several ids share get their id, so a list of them tells the ids apart
    (departments often call their lines the same, e.g. 机房至省级外网接入点专线)."""
    shared = {name for name, n in Counter(names.values()).items() if n > 1}
    pattern = "{name}（{id}）" if lang == "zh" else "{name} ({id})"
    return {
        i: pattern.format(name=name, id=i) if name in shared and name != i else name
        for i, name in names.items()
    }


def glance(inputs: ReportInputs, lang: Lang) -> list[dict[str, str]]:
    """The region at a glance: a few numbers a leader reads first, each linking to its section."""
    total = inputs.summary["total"]
    cost = inputs.plan["costs"]["total"]
    analysis = inputs.analysis["totals"]
    payback = cost["payback_years"]
    known = inputs.plan["as_is_basis"]["saving_known"]
    estimated = cost["as_is_estimated_cny"]
    open_findings = inputs.baseline["summary"]["open"]
    return [
        {
            "label": t("report.glance.assets", lang),
            "value": t(
                "report.glance.assets_value", lang, servers=total["servers"], systems=total["systems"]
            ),
            "note": t(
                "report.glance.assets_note",
                lang,
                sites=total["sites"],
                lines=total["lines"],
                networks=total["networks"],
            ),
            "href": "#topology",
        },
        {
            "label": t("report.glance.as_is", lang),
            "value": money(cost["as_is_cny"] if known else None, lang),
            "note": t("report.glance.as_is_unknown", lang)
            if not known
            else t("report.glance.cny_year_estimated", lang, estimated=money(estimated, lang))
            if estimated
            else t("report.glance.cny_year", lang),
            "href": "#costs",
        },
        {
            "label": t("report.glance.duplication", lang),
            "value": t("report.glance.duplication_value", lang, count=analysis["candidates"]),
            "note": t(
                "report.glance.duplication_note",
                lang,
                kept=analysis["kept"],
                saving=money(analysis["saving_cny"], lang),
            ),
            "href": "#findings",
        },
        {
            "label": t("report.glance.saving", lang),
            "value": money(cost["yearly_saving_cny"], lang),
            "note": t("report.glance.saving_note", lang, to_be=money(cost["to_be_cny"], lang)),
            "href": "#costs",
        },
        {
            "label": t("report.glance.payback", lang),
            "value": "-"
            if not known
            else t("plan.never", lang)
            if payback is None
            else t("report.glance.years", lang, years=f"{payback:.1f}"),
            "note": t("report.glance.one_off", lang, one_off=money(cost["one_off_cny"], lang)),
            "href": "#costs",
        },
        {
            "label": t("report.glance.waves", lang),
            "value": str(len(inputs.plan["waves"])),
            "note": _span(inputs.plan["waves"], lang),
            "href": "#waves",
        },
        {
            "label": t("report.glance.compliance", lang),
            "value": t("report.glance.compliance_value", lang, count=open_findings),
            "note": _severity_note(inputs.baseline["summary"]["by_severity"], lang),
            "href": "#compliance",
        },
    ]


def _span(waves: list[dict[str, Any]], lang: Lang) -> str:
    dated = [w for w in waves if w.get("start")]
    if not dated:
        return ""
    return t("report.glance.span", lang, start=dated[0]["start"], end=dated[-1]["end"])


def _severity_note(by_severity: dict[str, int], lang: Lang) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(
        f"{t(f'baseline.severity.{s}', lang)} {by_severity[s]}" for s in SEVERITIES if by_severity.get(s)
    )


def decision_counts(plan: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    counts = Counter(d["action"] for d in plan["decisions"])
    return [{"action": a, "label": t(f"action.{a}", lang), "count": counts[a]} for a in ACTIONS if counts[a]]


def waves(inputs: ReportInputs, names: Names, lang: Lang) -> list[dict[str, Any]]:
    """Each wave: its dates, the systems it moves, and what closes after it."""
    decisions = {d["system"]: d for d in inputs.plan["decisions"]}
    out = []
    for wave in inputs.plan["waves"]:
        moved = [
            {
                "id": s,
                "name": names.systems.get(s, s),
                "href": "#" + anchor("sys", s),
                "action": t(f"action.{decisions[s]['action']}", lang),
                "target": decisions[s]["target"] or "",
            }
            for s in wave["systems"]
        ]
        out.append(
            {
                "anchor": anchor("wave", str(wave["number"])),
                "name": wave_name(wave, lang),
                "start": wave.get("start") or "",
                "end": wave.get("end") or "",
                "servers": wave["servers"],
                "data_tb": f"{wave['data_tb']:.1f}",
                "systems": moved,
                "retired": [
                    {"id": s, "name": names.systems.get(s, s), "href": "#" + anchor("sys", s)}
                    for s in wave["retired_systems"]
                ],
                "rooms": [names.room(r) for r in wave["closed_rooms"]],
                "lines": [names.lines.get(ln, ln) for ln in wave["cancelled_lines"]],
                "networks": [names.networks.get(n, n) for n in wave["cutover_networks"]],
                "paths": [_path(p, names, lang) for p in wave["paths"]],
                # the runbook (older plan.json files have none)
                "runbook": [step[lang] for step in wave.get("runbook", [])],
            }
        )
    return out


def _path(path: dict[str, Any], names: Names, lang: Lang) -> str:
    hops = path["hops"] or [path["from"], path["to"]]
    route = " → ".join(names.nodes.get(h, h.split(":", 1)[-1]) for h in hops)
    advice = t(f"plan.path.{path['advice']}", lang, hours=path["hours"])
    return f"{route}: {path['bottleneck_mbps']:g} Mbps, {path['data_gb'] / 1024:.2f} TB; {advice}"


def costs(inputs: ReportInputs, names: Names, lang: Lang) -> dict[str, Any]:
    """The cost-benefit totals and the table per department."""
    scale, unit = money_scale(lang)
    rows = []
    for dept_id, cost in sorted(inputs.plan["costs"]["departments"].items()):
        payback = cost["payback_years"]
        rows.append(
            {
                "name": names.departments.get(dept_id, dept_id),
                "as_is": money(cost["as_is_cny"], lang),
                "to_be": money(cost["to_be_cny"], lang),
                "saving": money(cost["yearly_saving_cny"], lang),
                "one_off": money(cost["one_off_cny"], lang),
                "payback": "-" if payback is None else f"{payback:.1f}",
            }
        )
    total = inputs.plan["costs"]["total"]
    five = total["five_years"][-1]
    found = inputs.plan["as_is_basis"]
    known = found["saving_known"]
    return {
        "rows": rows,
        "total": total,
        "five_year_saving": f"{number((five['as_is_cny'] - five['to_be_cny']) / scale, lang, 1)} {unit}"
        if known
        else "-",
        "examples": inputs.plan["prices_are_examples"],
        # what of the as-is was estimated (assumed) and what is not counted
        "basis": basis.notes(
            found["estimated_cny"],
            found["entries"],
            len(found["rooms"]),
            len(found["servers"]),
            len(found["unrecorded_rooms"]),
            len(found["unrecorded_servers"]),
            lang,
        ),
    }


def findings(inputs: ReportInputs, names: Names, lang: Lang) -> dict[str, Any]:
    """Duplication findings: the summary by kind and every finding, grouped by kind."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in inputs.analysis["findings"]:
        by_kind[f["kind"]].append(
            {
                "anchor": anchor("finding", f["id"]),
                "id": f["id"],
                "status": f["status"],
                "status_label": t(f"analysis.status.{f['status']}", lang),
                "members": [names.member(m) for m in f["members"]],
                "departments": [names.departments.get(d, d) for d in f["departments"]],
                "reason": f["reason"][lang],
                "recommendation": (f.get("recommendation") or {}).get(lang, ""),
                "saving": money(f["saving_cny"], lang) if f["saving_cny"] else "",
            }
        )
    kinds = []
    by_kind_totals = inputs.analysis["totals"]["by_kind"]
    for kind in sorted(by_kind_totals, key=lambda k: (FINDING_KINDS.index(k), k)):
        totals = by_kind_totals[kind]
        kinds.append(
            {
                "kind": kind,
                "anchor": anchor("findings", kind),
                "label": t(f"analysis.kind.{kind}", lang),
                "candidates": totals["candidates"],
                "kept": totals["kept"],
                "saving": money(totals["saving_cny"], lang),
                "items": by_kind.get(kind, []),
            }
        )
    return {"kinds": kinds, "totals": inputs.analysis["totals"]}


def compliance(inputs: ReportInputs, lang: Lang) -> dict[str, Any]:
    """The baseline: counts by state and severity, each rule with its open findings."""
    # both languages of each rule's fix are in baseline.json: the policy files are not read
    fixes = {r["id"]: r["fix"] for r in inputs.baseline["rules"]}
    # the first findings of each rule as the page lists them; all of them counted (80,000 at
    # 100k servers, of which the page lists a few thousand)
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    found: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    table: Counter[tuple[str, str]] = Counter()
    for f in inputs.baseline["findings"]:
        rule = f["rule"]
        found[rule] += 1
        if not f["waived"]:
            failed[rule] += 1
            table[(f["state"], f["severity"])] += 1
        listed = by_rule[rule]
        if len(listed) == MAX_FINDINGS_PER_RULE:
            continue
        fix = fixes.get(rule, {})
        listed.append(
            {
                "subject": f["subject"],
                "where": f"{f['file']}:{f['line']}" if f.get("line") else f["file"],
                "path": f["path"],
                "severity": f["severity"],
                "severity_label": t(f"baseline.severity.{f['severity']}", lang),
                "fix": fix.get(lang) or fix.get("en", ""),
                "waived": f["waived"],
                "waiver": audit.waiver_text(f.get("waiver"), lang),
            }
        )
    rules = []
    for r in inputs.baseline["rules"]:
        rules.append(
            {
                "id": r["id"],
                "anchor": anchor("rule", r["id"]),
                "title": r["title"].get(lang) or r["title"].get("en", r["id"]),
                "standard": f"{r['standard']} {r['clause']}",
                "state": r["state"],
                "severity": r["severity"],
                "severity_label": t(f"baseline.severity.{r['severity']}", lang),
                "checked": r["checked"],
                "failed": failed[r["id"]],
                "findings": by_rule.get(r["id"], []),
                "more": max(0, found[r["id"]] - MAX_FINDINGS_PER_RULE),
            }
        )
    rules.sort(
        key=lambda r: (
            -r["failed"],
            SEVERITIES.index(r["severity"]) if r["severity"] in SEVERITIES else 9,
            r["id"],
        )
    )
    states = [
        {
            "state": s,
            "label": t(f"report.state.{s}", lang),
            "counts": [table[(s, sev)] for sev in SEVERITIES],
            "total": sum(table[(s, sev)] for sev in SEVERITIES),
        }
        for s in ("as-is", "to-be")
    ]
    return {
        "states": states,
        "severities": [t(f"baseline.severity.{s}", lang) for s in SEVERITIES],
        "rules": rules,
        "summary": inputs.baseline["summary"],
        **audit.details(inputs.baseline, lang),
    }


def decisions(inputs: ReportInputs, names: Names, lang: Lang) -> list[dict[str, Any]]:
    """Every system's decision and its reasons, for the searchable table."""
    return [
        {
            "anchor": anchor("sys", d["system"]),
            "id": d["system"],
            "name": names.systems.get(d["system"], d["system"]),
            "department": names.departments.get(d["owner"], d["owner"]),
            "action": d["action"],
            "action_label": t(f"action.{d['action']}", lang),
            "target": d["target"] or "",
            "wave": d["wave"] or "",
            "wave_href": "#" + anchor("wave", str(d["wave"])) if d["wave"] else "",
            "reasons": [r[lang] for r in d["reasons"]],
        }
        for d in inputs.plan["decisions"]
    ]
