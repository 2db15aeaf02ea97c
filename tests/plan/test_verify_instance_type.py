"""The verifier's ``no-instance-type`` check: a placed server no instance type fits fails the
plan with a message naming what it needs, instead of reaching a stack as a placeholder."""

from __future__ import annotations

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import build, verify
from tests.analysis.builders import dept, ledger, server, site, system


def _plan(memory_gb: float):  # type: ignore[no-untyped-def]
    node = model.CloudNode(
        "prov", "省云", "alicloud", "cn-hangzhou", (model.Zone("h"),), 3, archs=("x86_64",)
    )
    prices = model.Prices(instance_types=(model.InstanceType("prov", "ecs.g7.large", 2, 8, 300),))
    led = ledger(
        dept("a"),
        node,
        site("r", "a"),
        server("s1", "a", "r", cpu_cores=1, memory_gb=memory_gb),
        system("web", "a", servers=("s1",)),
        prices=prices,
    )
    return build(led, analyse(led))


def test_a_server_no_type_fits_is_a_violation() -> None:
    plan = _plan(memory_gb=512)
    [placement] = plan.placements
    assert placement.instance_type is None
    [violation] = [v for v in verify(plan) if v.code == "no-instance-type"]
    assert violation.subject == "s1"
    assert "prov" in violation.detail
    assert "x86_64" in violation.detail
    assert "GB" in violation.detail


def test_a_server_that_fits_is_not() -> None:
    plan = _plan(memory_gb=4)
    assert plan.placements[0].instance_type == "ecs.g7.large"
    assert not [v for v in verify(plan) if v.code == "no-instance-type"]
