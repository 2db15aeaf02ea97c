"""Placing servers: each node and architecture sized from its own part of the catalogue."""

from __future__ import annotations

import pytest

from govcloud.ledger import model
from govcloud.plan import PlanRules
from govcloud.plan.placement import (
    Placer,
    _price_order,
    cheapest,
    first_fitting,
    needed,
    pick_instance,
    storage_price,
)
from tests.analysis.builders import dept, ledger, server, site, system

PRICES = model.Prices(
    instance_types=(
        model.InstanceType("east", "e-small", 2, 4, 100),
        model.InstanceType("east", "e-large", 8, 32, 600),
        model.InstanceType("east", "e-arm", 2, 4, 80, arch="arm64"),
        model.InstanceType("west", "w-small", 2, 4, 150),
        model.InstanceType("west", "w-large", 8, 32, 500),
    ),
    storage=(
        model.StoragePrice("east", "hdd", 0.5),
        model.StoragePrice("west", "ssd", 2.0),
        model.StoragePrice("west", "hdd", 0.4),
    ),
)


def _node(ident: str, archs: tuple[str, ...]) -> model.CloudNode:
    return model.CloudNode(ident, ident, "alicloud", "cn-hangzhou", (model.Zone("h"),), 3, archs=archs)


def test_each_node_and_architecture_sizes_from_its_own_types_and_storage() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        _node("east", ("x86_64", "arm64")),
        _node("west", ("x86_64",)),
        server("small", "a", "r", cpu_cores=1, memory_gb=2, storage_gb=100),
        server("big", "a", "r", cpu_cores=6, memory_gb=20, storage_gb=10),
        server("arm", "a", "r", cpu_cores=1, memory_gb=2, storage_gb=50, arch="arm64"),
        system("app", "a", servers=("small", "big", "arm")),
        prices=PRICES,
    )  # type: ignore[arg-type]
    placer = Placer(led, PlanRules())
    seen: dict[tuple[str, str], str | None] = {}
    # the same placer asked for several nodes in turn: what it keeps of one node is not used
    # for the other
    for node in ("east", "west", "east", "west"):
        for p in placer.size(led.systems["app"], node):
            expected = pick_instance(PRICES, node, p.arch, *needed(led.servers[p.server], placer.rules))
            assert p.instance_type == (expected.name if expected else None)
            monthly = (expected.monthly_cny if expected else 0.0) + p.storage_gb * storage_price(PRICES, node)
            assert p.monthly_cny == pytest.approx(monthly)
            seen[(node, p.server)] = p.instance_type
    assert seen == {
        ("east", "small"): "e-small",
        ("east", "big"): "e-large",
        ("east", "arm"): "e-arm",
        ("west", "small"): "w-small",
        ("west", "big"): "w-large",
        ("west", "arm"): "w-small",  # no arm64 on west: x86_64
    }


def test_the_first_big_enough_of_the_price_ordered_types_is_the_cheapest() -> None:
    # ties on price, then on size: of equal types ``cheapest`` takes the first in catalogue order
    types = [
        model.InstanceType("n", "b-4", 4, 8, 200),
        model.InstanceType("n", "a-4", 4, 8, 200),
        model.InstanceType("n", "c-2", 2, 16, 200),
        model.InstanceType("n", "d-2", 2, 4, 90),
        model.InstanceType("n", "e-8", 8, 32, 300),
        model.InstanceType("n", "e-8", 8, 32, 300, arch="x86_64"),
        model.InstanceType("n", "f-1", 1, 1, 10),
    ]
    by_price = sorted(types, key=_price_order)
    for vcpus in range(0, 10):
        for memory in (0.5, 1.0, 4.0, 4.5, 8.0, 16.0, 20.0, 32.0, 33.0):
            assert first_fitting(by_price, vcpus, memory) is cheapest(types, vcpus, memory)
    assert first_fitting(by_price, 4, 8.0) is types[1]  # a-4: the name settles the tie
    assert first_fitting(by_price, 9, 1.0) is None
