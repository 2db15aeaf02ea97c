"""What a placement costs: the catalogue, a relocation, no fitting type, no catalogue."""

from __future__ import annotations

import pytest

from govcloud.ledger import model
from govcloud.plan.placement import Placement
from govcloud.plan.pricing import price

PRICES = model.Prices(
    instance_types=(
        model.InstanceType("prov", "small", 2, 4, 100),
        model.InstanceType("prov", "big", 16, 64, 1000),
        model.InstanceType("prov", "arm", 8, 32, 500, arch="arm64"),
    ),
    storage=(model.StoragePrice("prov", "ssd", 0.5),),
)


def _placement(
    vcpus: int, memory_gb: float, *, fits: bool, arch: str = "x86_64", node: str = "prov"
) -> Placement:
    monthly = 100 + 100 * 0.5 if fits else 100 * 0.5  # the placer's price: type + storage, or storage only
    return Placement(
        "s", "x", node, "z", "small" if fits else None, vcpus, memory_gb, 100, monthly, arch, fits
    )


def test_a_catalogue_fit_is_priced_as_placed() -> None:
    assert price(_placement(2, 4, fits=True), "rehost", PRICES).monthly_cny == 150
    assert price(_placement(2, 4, fits=True), "rehost", PRICES).rule == "catalogue"


def test_a_relocated_server_is_not_paid_as_an_instance() -> None:
    priced = price(_placement(2, 4, fits=True), "relocate", PRICES)
    assert (priced.monthly_cny, priced.rule) == (0, "relocated")


@pytest.mark.parametrize(
    ("vcpus", "memory", "count"),
    [(40, 64, 3), (16, 200, 4), (17, 1, 2), (16, 64, 1)],
)
def test_no_fitting_type_is_priced_as_multiples_of_the_largest_never_storage_only(
    vcpus: int, memory: float, count: int
) -> None:
    priced = price(_placement(vcpus, memory, fits=False), "rehost", PRICES)
    assert priced.rule == "largest-type"
    assert priced.monthly_cny == count * 1000 + 50
    assert priced.monthly_cny > 50  # more than its storage


def test_no_catalogue_for_the_architecture_is_unpriced() -> None:
    priced = price(_placement(4, 8, fits=False, arch="loongarch64"), "rehost", PRICES)
    assert priced.rule == "unpriced"
    assert price(_placement(64, 8, fits=False, arch="arm64"), "rehost", PRICES).monthly_cny == 8 * 500 + 50


def test_a_hot_standby_costs_like_its_primary_and_a_cold_one_its_storage() -> None:
    from govcloud.plan.pricing import standby_monthly

    p = _placement(2, 4, fits=True)
    priced = price(p, "rehost", PRICES)
    assert standby_monthly(p, priced, "hot", PRICES) == 150
    assert standby_monthly(p, priced, "cold", PRICES) == 50  # 100 GB at 0.5
    assert standby_monthly(p, priced, None, PRICES) == 0
    assert standby_monthly(p, price(p, "relocate", PRICES), "cold", PRICES) == 0
