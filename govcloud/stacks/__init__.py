"""Pulumi stacks of the plan: a foundation per cloud node and one stack per wave.

``build_stacks(plan)`` gives the stacks as data (:class:`~govcloud.stacks.spec.Stack`, what the
to-be security baseline reads); ``write_stacks`` writes them as Pulumi projects.
"""

from govcloud.stacks.build import build_stacks
from govcloud.stacks.emit import write_stacks
from govcloud.stacks.spec import Resource, Stack

__all__ = ["Resource", "Stack", "build_stacks", "write_stacks"]
