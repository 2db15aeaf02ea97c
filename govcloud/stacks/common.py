"""Naming and tagging shared by the provider modules."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from govcloud.ledger import model
from govcloud.plan.placement import Placement

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def slug(text: str) -> str:
    """A resource-name-safe form of an id (ids may hold characters providers refuse).

    Ids that are already safe keep their form; any other (upper case, Chinese, ``_`` or
    ``.``) gets a short digest of the id, so ids that differ only by case or by characters
    a provider refuses (``hy-D`` and ``hy-d``, ``甲局`` and ``乙局``) never share a name."""
    safe = _UNSAFE.sub("-", text).strip("-").lower() or "x"
    if safe == text:
        return safe
    return f"{safe}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:6]}"


def plan_id(ledger: model.Ledger) -> str:
    return slug(ledger.region.id)


def project_name(ledger: model.Ledger, node: str, kind: str) -> str:
    return f"govcloud-{plan_id(ledger)}-{slug(node)}-{kind}"


def tags(ledger: model.Ledger, **extra: Any) -> dict[str, str]:
    """Tags on every resource: the plan, and what the resource serves."""
    out = {"govcloud-plan": plan_id(ledger), "managed-by": "govcloud"}
    out.update({k.replace("_", "-"): str(v) for k, v in sorted(extra.items()) if v is not None})
    return out


def server_tags(ledger: model.Ledger, placement: Placement, wave: int) -> dict[str, str]:
    system = ledger.systems[placement.system]
    return tags(
        ledger,
        department=system.owner,
        system=system.id,
        mlps_level=system.mlps_level,
        wave=wave,
        source_server=placement.server,
    )
