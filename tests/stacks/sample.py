"""The sample province's plan, its stacks emitted once per test run, and each program run once
under Pulumi's mocks (shared by the stack tests)."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from govcloud.analysis import analyse
from govcloud.ledger import load
from govcloud.plan import Plan, build
from govcloud.samples import default_inventory
from govcloud.stacks import Stack, build_stacks, write_stacks
from tests.stacks.harness import Registered, fake_outputs, run_program, spec_of

ALICLOUD = "govcloud-haiyue-hy-cloud-prov"
OPENSTACK = "govcloud-haiyue-hz-cloud-city"


@functools.cache
def plan() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


@functools.cache
def stacks() -> dict[str, Stack]:
    return {s.project: s for s in build_stacks(plan())}


@functools.cache
def emitted() -> Path:
    root = Path(tempfile.mkdtemp(prefix="govcloud-stacks-")) / "haiyue"
    write_stacks(list(stacks().values()), root)
    return root


def folders() -> list[str]:
    return sorted(stacks())


def waves(prefix: str) -> list[str]:
    return [p for p in folders() if p.startswith(prefix + "-wave")]


def foundation_folder(project: str) -> Path:
    return emitted() / (project.rsplit("-wave", 1)[0] + "-foundation")


@functools.cache
def _registered(project: str) -> tuple[Registered, ...]:
    folder = emitted() / project
    spec = spec_of(folder)
    outputs = fake_outputs(spec_of(foundation_folder(project))) if spec["kind"] == "wave" else None
    return tuple(run_program(folder, outputs, stacks()[project].settings))


def run(project: str) -> list[Registered]:
    """What the program of ``project`` registers (run once, then remembered)."""
    return list(_registered(project))


def of_type(project: str, token: str) -> list[Registered]:
    return [r for r in run(project) if r.type == token]
