"""The compliance section's audit details, from ``baseline.json``: counts per state, every
waiver with its approver, reason, ticket and expiry, what could not be evaluated and why,
and the residual view (what the plan removes, what remains, the re-tests it calls for)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from govcloud.baseline.engine import STATUSES
from govcloud.i18n import Lang, t

#: the page lists this many subjects a rule could not evaluate; baseline.md has them all
MAX_UNEVALUATED_PER_RULE = 50


def details(baseline: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The values the template's compliance section adds to the severity tables."""
    summary = baseline["summary"]
    states = summary.get("states") or {}
    apart = (summary.get("assessed_separately") or {}).get("systems", 0)
    return {
        "status_counts": [
            {"status": s, "label": t(f"baseline.status.{s}", lang), "count": states.get(s, 0)}
            for s in STATUSES
        ],
        "status_labels": [t(f"baseline.status.{s}", lang) for s in STATUSES],
        "rule_states": {
            r["id"]: [r.get("states", {}).get(s, 0) for s in STATUSES] for r in baseline["rules"]
        },
        "separately": t("baseline.separately", lang, count=apart).lstrip("；; ") if apart else "",
        "waivers": _waivers(baseline, lang),
        "unevaluated": _unevaluated(baseline, lang),
        "residual": _residual(baseline.get("residual"), lang),
    }


def waiver_text(waiver: dict[str, Any] | None, lang: Lang) -> str:
    if not waiver:
        return ""
    return t(
        "baseline.waiver.text",
        lang,
        approver=waiver["approver"],
        reason=waiver["reason"],
        ticket=waiver["ticket"],
        expires=waiver["expires"],
    )


def _waivers(baseline: dict[str, Any], lang: Lang) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for f in baseline["findings"]:
        w = f.get("waiver")
        if not w:
            continue
        verdict = (
            t("baseline.status.waived", lang) if f["waived"] else t(f"baseline.waiver.{f['rule']}", lang)
        )
        if w["where"] in rows and f["waived"]:
            continue
        rule, _, target = (
            f["subject"] if f["state"] == "waivers" else f"{f['rule']} {f['subject']}"
        ).partition(" ")
        rows[w["where"]] = {
            "rule": rule,
            "target": target,
            "approver": w["approver"],
            "reason": w["reason"],
            "ticket": w["ticket"],
            "expires": w["expires"],
            "verdict": verdict,
            "ok": "ok" if f["waived"] else "bad",
        }
    return [rows[k] for k in sorted(rows)]


def _unevaluated(baseline: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    titles = {r["id"]: r["title"] for r in baseline["rules"]}
    by_rule: dict[str, list[dict[str, str]]] = defaultdict(list)
    for f in baseline.get("not_evaluated", []):
        by_rule[f["rule"]].append(
            {
                "subject": f["subject"],
                "where": f"{f['file']}:{f['line']}" if f.get("line") else f["file"],
                "missing": ", ".join(f["missing"]),
            }
        )
    return [
        {
            "rule": rule,
            "title": titles.get(rule, {}).get(lang) or titles.get(rule, {}).get("en", rule),
            "entries": items[:MAX_UNEVALUATED_PER_RULE],
            "more": max(0, len(items) - MAX_UNEVALUATED_PER_RULE),
        }
        for rule, items in sorted(by_rule.items())
    ]


def _residual(residual: dict[str, Any] | None, lang: Lang) -> dict[str, Any] | None:
    if not residual:
        return None
    retests = residual.get("retests") or {"per_wave": 0, "systems": []}
    return {
        "line": t(
            "baseline.residual.line", lang, removed=residual["removed"], remaining=residual["remaining"]
        ),
        "by_clause": residual["by_clause"],
        "retests_title": t(
            "baseline.retests", lang, count=len(retests["systems"]), per_wave=retests["per_wave"]
        ),
        "retests": [
            r | {"why_label": t(f"baseline.retests.why.{r['why']}", lang)} for r in retests["systems"]
        ],
    }
