"""Small hand-built ledgers for the analysis tests: answers are known by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govcloud.ledger import model

AS_OF = dt.date(2026, 6, 30)


def dept(
    ident: str, level: str = "province", region_code: str = "990000", name: str | None = None
) -> model.Department:
    return model.Department(ident, name or f"{ident}局", level, region_code)


def site(ident: str, owner: str, **kw: Any) -> model.Site:
    kw.setdefault("kind", "self_built")
    return model.Site(ident, kw.pop("name", f"{ident} 机房"), owner, kw.pop("kind"), **kw)


def server(ident: str, owner: str, site_id: str, **kw: Any) -> model.Server:
    return model.Server(ident, owner, site_id, kw.pop("hostname", ident), **kw)


def line(ident: str, owner: str, a: model.LineEnd, z: model.LineEnd, **kw: Any) -> model.Line:
    kw.setdefault("carrier", "telecom")
    kw.setdefault("bandwidth_mbps", 100)
    return model.Line(ident, owner, kw.pop("carrier"), kw.pop("bandwidth_mbps"), a, z, **kw)


def system(ident: str, owner: str, **kw: Any) -> model.System:
    return model.System(ident, kw.pop("name", ident), owner, kw.pop("mlps_level", 2), **kw)


def cloud(ident: str = "cloud", kind: str = "provincial", region_code: str | None = None) -> model.CloudNode:
    return model.CloudNode(
        ident, ident, "alicloud", "cn-hangzhou", (model.Zone("z"),), 3, kind=kind, region_code=region_code
    )


def ledger(
    *entities: Any,
    address_plan: tuple[str, ...] = ("10.64.0.0/10",),
    prices: model.Prices | None = None,
) -> model.Ledger:
    kinds: dict[type, str] = {
        model.Department: "departments",
        model.Site: "sites",
        model.Server: "servers",
        model.Network: "networks",
        model.Line: "lines",
        model.System: "systems",
        model.CloudNode: "cloud_nodes",
        model.AccessPoint: "access_points",
    }
    maps: dict[str, dict[str, Any]] = {k: {} for k in kinds.values()}
    for entity in entities:
        maps[kinds[type(entity)]][entity.id] = entity
    region = model.Region("r", "测试省", "990000", AS_OF, address_plan=address_plan)
    return model.Ledger(region=region, prices=prices or model.Prices(), **maps)


def priced_ledger(*entities: Any, **kw: Any) -> model.Ledger:
    """A ledger whose price list has a generous instance type on every cloud node, so a plan's
    verifier finds a type for every placed server and only the rule under test can fail."""
    nodes = [e for e in entities if isinstance(e, model.CloudNode)]
    types = tuple(model.InstanceType(n.id, "test.64xlarge", 64, 512, 1000) for n in nodes)
    return ledger(*entities, prices=kw.pop("prices", None) or model.Prices(instance_types=types), **kw)
