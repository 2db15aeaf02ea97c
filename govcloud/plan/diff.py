"""``govcloud diff PLAN_A PLAN_B``: what changed between two plans, and why."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.i18n import Lang, number, t
from govcloud.outputs import json_text
from govcloud.registry import OutputFormat, output_formats


class PlanFileError(GovcloudError, ValueError):
    """A file that is not a plan.json this version understands."""

    kind = "plan"


@functools.cache
def _schema() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_SCHEMA.read_text(encoding="utf-8"))
    return value


_SCHEMA = Path(__file__).resolve().parent.parent / "report" / "plan.schema.json"


def read(path: Path) -> dict[str, Any]:
    """A plan.json, refused unless it is a regular file within the size limit, plain JSON
    (no NaN, no absurd integers, not deeply nested) and valid against plan.schema.json."""
    try:
        data = safeio.read_json(path, "plan")
    except safeio.UnsafeInput as exc:
        raise PlanFileError(str(exc)) from exc
    version = _schema()["properties"]["schema_version"]["const"]
    if not isinstance(data, dict) or data.get("schema_version") != version or "decisions" not in data:
        raise PlanFileError(
            f"{path}: not a plan.json of schema version {version} (written by govcloud plan)",
            code="plan-file.not-plan",
            path=path,
            version=version,
        )
    try:
        safeio.check_schema(data, _schema(), path)
    except safeio.UnsafeInput as exc:
        raise PlanFileError(str(exc)) from exc
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
        k: _change(ta.get(k), tb.get(k))
        for k in ("as_is_cny", "as_is_estimated_cny", "to_be_cny", "yearly_saving_cny", "one_off_cny")
        if ta.get(k) != tb.get(k)
    }
    ca, cb = a.get("cashflow"), b.get("cashflow")  # issue 23: the cash flow's net present value
    if ca and cb and ca["npv_cny"] != cb["npv_cny"]:
        costs["npv_cny"] = _change(ca["npv_cny"], cb["npv_cny"])
    return {
        "schema_version": 1,
        "decisions": changed,
        "waves": {"before": len(a["waves"]), "after": len(b["waves"])},
        "costs": costs,
        "rooms": _when(a, b, "closed_rooms"),
        "lines": _when(a, b, "cancelled_lines"),
        "dates": {k: v for k, v in _dates(a, b).items() if v["before"] != v["after"]},
        "compliance": _compliance(a, b),
    }


def _change(before: float | None, after: float | None) -> dict[str, Any]:
    """An amount before and after, and the change (None when either is unknown: a saving or
    net present value without today's cost).

    >>> _change(10.0, 12.5), _change(None, 3.0)
    ({'before': 10.0, 'after': 12.5, 'change': 2.5}, {'before': None, 'after': 3.0, 'change': None})
    """
    change = None if before is None or after is None else round(after - before, 2)
    return {"before": before, "after": after, "change": change}


def _when(a: dict[str, Any], b: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Rooms (or lines) whose closing wave changed: None when it is not closed in that plan."""

    def of(plan: dict[str, Any]) -> dict[str, Any]:
        return {i: w["number"] for w in plan["waves"] for i in w.get(key, [])}

    wa, wb = of(a), of(b)
    return [
        {"id": i, "before": wa.get(i), "after": wb.get(i)}
        for i in sorted(wa.keys() | wb.keys())
        if wa.get(i) != wb.get(i)
    ]


def _dates(a: dict[str, Any], b: dict[str, Any]) -> dict[str, dict[str, Any]]:
    def ends(plan: dict[str, Any]) -> tuple[Any, Any]:
        days = [w["end"] for w in plan["waves"] if w.get("end")]
        starts = [w["start"] for w in plan["waves"] if w.get("start")]
        return (min(starts, default=None), max(days, default=None))

    (sa, ea), (sb, eb) = ends(a), ends(b)
    return {"start": {"before": sa, "after": sb}, "end": {"before": ea, "after": eb}}


def _compliance(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Whether each plan passes its verifier, and the violations only one of them has."""

    def of(plan: dict[str, Any]) -> set[tuple[str, str]]:
        return {(v["code"], v["subject"]) for v in plan.get("violations", [])}

    va, vb = of(a), of(b)
    return {
        "verified": {"before": a.get("verified"), "after": b.get("verified")},
        "new": [{"code": c, "subject": s} for c, s in sorted(vb - va)],
        "gone": [{"code": c, "subject": s} for c, s in sorted(va - vb)],
    }


def text(changes: dict[str, Any], lang: Lang) -> str:
    lines = []
    for c in changes["decisions"]:
        before = c["before"] or {"action": "-", "target": None, "wave": None}
        after = c["after"] or {"action": "-", "target": None, "wave": None}
        why = safeio.terminal(t("list.groups", lang).join(r[lang] for r in c["reasons"]))
        lines.append(
            f"{safeio.terminal(c['system'])}: {_decision(before, lang)} → {_decision(after, lang)}"
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
                before="-" if v["before"] is None else number(v["before"], lang),
                after="-" if v["after"] is None else number(v["after"], lang),
                change="-" if v["change"] is None else f"{v['change']:+,.0f}",
            )
        )
    for key in ("rooms", "lines"):
        for c in changes.get(key, []):
            lines.append(
                t(
                    f"diff.{key}",
                    lang,
                    id=c["id"],
                    before=_wave(c["before"], lang),
                    after=_wave(c["after"], lang),
                )
            )
    for key, v in changes.get("dates", {}).items():
        lines.append(t(f"diff.date.{key}", lang, before=v["before"] or "-", after=v["after"] or "-"))
    compliance = changes.get("compliance", {})
    verified = compliance.get("verified", {})
    if verified.get("before") != verified.get("after"):
        lines.append(t("diff.verified", lang, before=verified.get("before"), after=verified.get("after")))
    for c in compliance.get("new", []):
        lines.append(t("diff.violation", lang, rule=c["code"], subject=c["subject"]))
    if not lines:
        lines.append(t("diff.same", lang))
    return "\n".join(lines) + "\n"


def _decision(d: dict[str, Any], lang: Lang) -> str:
    action = t(f"action.{d['action']}", lang) if d["action"] != "-" else "-"
    where = f" {safeio.terminal(d['target'])}" if d.get("target") else ""
    wave = f" ({t('plan.wave', lang, number=d['wave'])})" if d.get("wave") else ""
    return f"{action}{where}{wave}"


def _wave(number: int | None, lang: Lang) -> str:
    return t("plan.wave", lang, number=number) if number else t("diff.never", lang)


#: ``govcloud diff --format``: the changes as text, or as JSON
FORMATS = output_formats(
    "plan diff output format",
    OutputFormat[dict[str, Any]]("text", text),
    OutputFormat[dict[str, Any]]("json", lambda changes, lang: json_text(changes)),
)
