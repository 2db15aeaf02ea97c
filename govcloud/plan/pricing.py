"""What a placement costs per month, with the rule that priced it.

Three cases the placement alone does not settle:

- a **relocated** server moves as hardware into the cloud node's hall: it keeps its
  depreciation and maintenance contract and is not paid a second time as a cloud instance;
- a server **no catalogue type fits** (bigger than the largest type) is priced as as many of
  the node's largest type of its architecture as it takes to hold its vCPUs and memory, plus
  its storage — never as storage only;
- a node with **no catalogue** for the architecture cannot be priced: the placement is
  ``unpriced`` and the plan lists it as a problem to fix in ``prices.yaml``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from govcloud.ledger import model
from govcloud.plan.placement import Placement, storage_price

Rule = Literal["catalogue", "relocated", "largest-type", "unpriced"]


@dataclass(frozen=True)
class Priced:
    """A placement's monthly cost and the rule that gave it."""

    monthly_cny: float
    rule: Rule


def standby_monthly(placement: Placement, priced: Priced, mode: str | None, prices: model.Prices) -> float:
    """What a placement's standby costs a month: a hot standby runs like the primary; a cold
    one is created stopped and pays its storage only."""
    if mode == "hot":
        return priced.monthly_cny
    if mode == "cold" and priced.rule != "relocated":
        return placement.storage_gb * storage_price(prices, placement.node)
    return 0.0


def price(placement: Placement, action: str, prices: model.Prices) -> Priced:
    """The monthly cost of ``placement`` for a system decided ``action``."""
    if action == "relocate":
        return Priced(0.0, "relocated")
    if placement.fits:
        return Priced(placement.monthly_cny, "catalogue")
    storage = placement.storage_gb * storage_price(prices, placement.node)
    types = [t for t in prices.instance_types if t.cloud_node == placement.node and t.arch == placement.arch]
    if not types:
        return Priced(storage, "unpriced")
    largest = max(types, key=lambda t: (t.vcpus, t.memory_gb, -t.monthly_cny, t.name))
    count = max(
        math.ceil(placement.vcpus / largest.vcpus) if largest.vcpus else 1,
        math.ceil(placement.memory_gb / largest.memory_gb) if largest.memory_gb else 1,
        1,
    )
    return Priced(count * largest.monthly_cny + storage, "largest-type")
