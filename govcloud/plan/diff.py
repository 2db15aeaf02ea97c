"""``govcloud diff PLAN_A PLAN_B``: what changed between two plans, and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govcloud.i18n import Lang, t


class PlanFileError(ValueError):
    """A file that is not a plan.json this version understands."""


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanFileError(f"{path}: not a readable plan.json ({exc})") from exc
    if not isinstance(data, dict) or data.get("schema_version") != 1 or "decisions" not in data:
        raise PlanFileError(f"{path}: not a plan.json of schema version 1 (written by govcloud plan)")
    return data


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Decisions, waves and costs that differ; each changed decision carries B's reasons."""
    da = {d["system"]: d for d in a["decisions"]}
    db = {d["system"]: d for d in b["decisions"]}
    changed = []
    for system in sorted(da.keys() | db.keys()):
        x, y = da.get(system), db.get(system)
        before = (x["action"], x["target"], x["wave"]) if x else None
        after = (y["action"], y["target"], y["wave"]) if y else None
        if before != after:
            changed.append(
                {
                    "system": system,
                    "before": dict(zip(("action", "target", "wave"), before, strict=True))
                    if before
                    else None,
                    "after": dict(zip(("action", "target", "wave"), after, strict=True)) if after else None,
                    "reasons": y["reasons"] if y else [],
                }
            )
    ta, tb = a["costs"]["total"], b["costs"]["total"]
    costs = {
        k: {"before": ta[k], "after": tb[k], "change": round((tb[k] or 0) - (ta[k] or 0), 2)}
        for k in ("as_is_cny", "to_be_cny", "yearly_saving_cny", "one_off_cny")
        if ta[k] != tb[k]
    }
    ca, cb = a.get("cashflow"), b.get("cashflow")  # issue 23: the cash flow's net present value
    if ca and cb and ca["npv_cny"] != cb["npv_cny"]:
        costs["npv_cny"] = {
            "before": ca["npv_cny"],
            "after": cb["npv_cny"],
            "change": round(cb["npv_cny"] - ca["npv_cny"], 2),
        }
    return {
        "schema_version": 1,
        "decisions": changed,
        "waves": {"before": len(a["waves"]), "after": len(b["waves"])},
        "costs": costs,
    }


def text(changes: dict[str, Any], lang: Lang) -> str:
    lines = []
    for c in changes["decisions"]:
        before = c["before"] or {"action": "-", "target": None, "wave": None}
        after = c["after"] or {"action": "-", "target": None, "wave": None}
        why = "; ".join(r[lang] for r in c["reasons"])
        lines.append(
            f"{c['system']}: {_decision(before, lang)} → {_decision(after, lang)}"
            + (f"  ({why})" if why else "")
        )
    w = changes["waves"]
    if w["before"] != w["after"]:
        lines.append(t("diff.waves", lang, before=w["before"], after=w["after"]))
    for key, v in changes["costs"].items():
        lines.append(
            t(
                "diff.cost",
                lang,
                item=t(f"diff.{key}", lang),
                before=f"{v['before']:,.0f}",
                after=f"{v['after']:,.0f}",
                change=f"{v['change']:+,.0f}",
            )
        )
    if not lines:
        lines.append(t("diff.same", lang))
    return "\n".join(lines) + "\n"


def _decision(d: dict[str, Any], lang: Lang) -> str:
    action = t(f"action.{d['action']}", lang) if d["action"] != "-" else "-"
    where = f" {d['target']}" if d.get("target") else ""
    wave = f" ({t('plan.wave', lang, number=d['wave'])})" if d.get("wave") else ""
    return f"{action}{where}{wave}"
