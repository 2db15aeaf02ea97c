"""Findings do not depend on ids, on the order files are read, or on how a department's
ledger is split into files (up to ids)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.analysis import analyse, kind_names
from govcloud.ledger import dump, load, model
from tests.analysis.builders import dept, ledger, line, server, site, system


def planted() -> model.Ledger:
    """A small region with one planted finding of every kind."""
    ap = model.AccessPoint("ap", "接入点", 10_000, region_code="990100")
    return ledger(
        dept("a"),
        dept("b"),
        dept("c"),
        ap,
        model.CloudNode("prov", "省云", "alicloud", "cn-hangzhou", (model.Zone("h"),), 3),
        site("ra", "a", address="解放路 1 号", district="海东区", racks=4, region_code="990102"),
        site("rb", "b", address="解放路1号 2楼", district="海东区", racks=4, region_code="990102"),
        site("rb2", "b", name="rb 数据中心", address="解放路1号 3楼", district="海东区", racks=4),
        site("rc", "c", address="滨江路", district="滨江区", racks=40, racks_used=30, region_code="990105"),
        server("a1", "a", "ra", serial="SN-1", hostname="HZ-A-DB01", cpu_p95_pct=1, mem_p95_pct=2),
        server("b1", "b", "rb", serial="sn1", hostname="hz-a-db01.local"),
        server("c1", "c", "rc", cpu_p95_pct=50, mem_p95_pct=50),
        model.Network("pa", "甲专网", "a", "private", cidrs=("192.168.1.0/24",), sites=("ra",)),
        model.Network("pb", "乙专网", "b", "private", cidrs=("192.168.1.0/24",), sites=("rb",)),
        model.Network("gaw", "公安网", "c", "national_vertical", ministry="公安部"),
        line(
            "la",
            "a",
            model.LineEnd(site="ra"),
            model.LineEnd(access_point="ap"),
            network="pa",
            monthly_fee_cny=3000,
        ),
        line(
            "lb",
            "b",
            model.LineEnd(site="rb"),
            model.LineEnd(access_point="ap"),
            network="pb",
            monthly_fee_cny=3000,
        ),
        line(
            "r1",
            "c",
            model.LineEnd(site="rc"),
            model.LineEnd(address="公安部节点"),
            carrier="telecom",
            redundancy_group="c-dual",
        ),
        line(
            "r2",
            "c",
            model.LineEnd(site="rc"),
            model.LineEnd(address="公安部节点"),
            carrier="unicom",
            redundancy_group="c-dual",
        ),
        system("oa-a", "a", category="oa", servers=("a1",), users=50),
        system("oa-b", "b", category="oa", servers=("b1",)),
        system("oa-c", "c", category="oa", servers=("c1",), classification="secret"),
        address_plan=("10.64.0.0/16",),
    )


def signature(led: model.Ledger, back: dict[str, str] | None = None) -> list[tuple[Any, ...]]:
    """Findings without ids: kind, status, reason, members (mapped back to original ids), saving."""
    back = back or {}

    def original(member: str) -> str:
        kind, ident = member.split(":", 1)
        return f"{kind}:{back.get(ident, ident)}"

    return sorted(
        (f.kind, f.status, f.reason, tuple(sorted(original(m) for m in f.members)), round(f.saving_cny, 2))
        for f in analyse(led).findings
    )


def test_every_kind_is_planted() -> None:
    kinds = {k for k, *_ in signature(planted())}
    assert kinds == set(kind_names())


def rename(led: model.Ledger, new: dict[str, str]) -> model.Ledger:
    """The same ledger with every id (and every reference to it) renamed by ``new``."""
    r = lambda x: new.get(x, x) if isinstance(x, str) else x  # noqa: E731

    def fix(entity: Any) -> Any:
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(entity):
            value = getattr(entity, f.name)
            if f.name in ("id", "owner", "site", "parent", "network", "access_point", "cloud_node", "system"):
                changes[f.name] = r(value)
            elif f.name in ("sites", "servers", "networks"):
                changes[f.name] = tuple(r(v) for v in value)
            elif f.name in ("a_end", "z_end") or f.name == "dependencies":
                changes[f.name] = fix(value) if f.name != "dependencies" else tuple(fix(d) for d in value)
        return dataclasses.replace(entity, **changes)

    maps = {kind: {r(k): fix(e) for k, e in getattr(led, kind).items()} for kind in model.ENTITY_KINDS}
    return model.Ledger(region=led.region, prices=led.prices, **maps)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_renaming_ids_does_not_change_findings(rnd: Any) -> None:
    led = planted()
    ids = sorted({e.id for _, e in led.entities()})  # type: ignore[attr-defined]
    shuffled = [f"x{rnd.randrange(10**9)}-{i}" for i in range(len(ids))]
    rnd.shuffle(shuffled)
    new = dict(zip(ids, shuffled, strict=True))
    back = {v: k for k, v in new.items()}
    assert signature(rename(led, new), back) == signature(led)


def test_reordering_and_splitting_files_does_not_change_findings() -> None:
    led = planted()
    expected = [f.id for f in analyse(led).findings]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        dump.write_layout(led, root)
        # read department files in another order
        for i, path in enumerate(sorted((root / "departments").iterdir(), reverse=True)):
            path.rename(path.with_name(f"{i}-{path.name}"))
        # and split department b's ledger in two: its systems go to a file of their own
        [b_file] = [p for p in (root / "departments").iterdir() if p.name.endswith("-b.yaml")]
        doc = yaml.safe_load(b_file.read_text(encoding="utf-8"))
        systems = [{**s, "owner": "b"} for s in doc.pop("systems")]
        b_file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        (root / "departments" / "乙局-系统.yaml").write_text(
            yaml.safe_dump({"systems": systems}, allow_unicode=True), encoding="utf-8"
        )
        reloaded = load(root)
        assert reloaded.ledger is not None, [p.render("en") for p in reloaded.problems]
        assert [f.id for f in analyse(reloaded.ledger).findings] == expected
