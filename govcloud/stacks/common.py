"""Naming and tagging shared by the provider modules."""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Any

from govcloud.ledger import model
from govcloud.plan.placement import Placement
from govcloud.text import md_escape

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
#: an id that is its own safe form: lower-case letters, digits and inner hyphens
_SAFE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


#: a stack names a server's resources after it several times over (its instance, port, disks,
#: the load balancer's members and the outputs), close together: the last ids are kept
@functools.lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """A resource-name-safe form of an id (ids may hold characters providers refuse).  An id
    with Chinese (or other non-ASCII) characters keeps a short digest of itself, so 公安厅 and
    教育厅 never become the same name; so does an ASCII id the safe form changes (upper case,
    ``_``, ``.``), so ``hy-D`` and ``hy-d`` never share a name either."""
    if _SAFE.fullmatch(text):
        return text  # what the steps below would give back (most ids: checked in one match)
    out = _UNSAFE.sub("-", text).strip("-").lower()
    if not text.isascii() or (out and out != text):
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        out = f"{out}-{digest}" if out else f"id-{digest}"
    return out or "x"


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
    """:func:`tags` of a server's resources: its department, system, MLPS level, wave and
    source server.  Written out in :func:`tags`'s order (its keys sorted, none of them None):
    a stack asks once per server, and sorting keyword arguments each time cost more than the
    rest of the tags."""
    system = ledger.systems[placement.system]
    return {
        "govcloud-plan": plan_id(ledger),
        "managed-by": "govcloud",
        "department": str(system.owner),
        "mlps-level": str(system.mlps_level),
        "source-server": str(placement.server),
        "system": str(system.id),
        "wave": str(wave),
    }


def group_key(department: str, level: int) -> str:
    """The key of a security group in the foundation's outputs: one per department and MLPS
    level, so systems of different levels never share a group."""
    return f"{department}|L{level}"


def group_name(department: str, level: int) -> str:
    return f"sg-{slug(department)}-l{level}"


def bounded(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, without a trailing hyphen."""
    return text[:limit].rstrip("-") or "x"


#: sizes of the operations bastion's licence, in assets (servers it can manage)
BASTION_ASSET_TIERS = (50, 100, 200, 500, 1000, 2000, 5000, 10000)
#: ports of the bastion administrators use from the operations network: web console, SSH and
#: RDP operations
BASTION_PORTS = (443, 60022, 63389)


def bastion_assets(instances: int) -> int:
    """The smallest licence tier that covers ``instances`` servers (the largest if none does)."""
    return next((tier for tier in BASTION_ASSET_TIERS if tier >= instances), BASTION_ASSET_TIERS[-1])


def typed(placements: list[Placement]) -> tuple[list[Placement], list[Placement]]:
    """The placements with an instance type, and those no type of the price list fits (the
    plan's verifier reports them as ``no-instance-type``; their servers are not created)."""
    return [p for p in placements if p.instance_type], [p for p in placements if not p.instance_type]


def untyped_note(missing: list[Placement]) -> str:
    servers = ", ".join(md_escape(p.server) for p in missing)
    return (
        f"Not created here: {servers} — no instance type of the price list fits "
        "(the plan's verifier reports `no-instance-type`); add a larger type and emit the stacks again."
    )
