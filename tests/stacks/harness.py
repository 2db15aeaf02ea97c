"""Run an emitted stack's program in-process under Pulumi's mocks and collect every resource
it registers (the Pulumi CLI and provider plugins are not needed)."""

from __future__ import annotations

import asyncio
import json
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml

from govcloud.stacks.spec import Setting

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # noqa: S105  Pulumi's secret marker, not a secret


@dataclass
class Registered:
    type: str
    name: str
    inputs: dict[str, Any]
    protect: bool = False


@dataclass
class Mocks(pulumi.runtime.Mocks):
    foundation_outputs: dict[str, Any] = field(default_factory=dict)
    registered: list[Registered] = field(default_factory=list)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(Registered(args.typ, args.name, dict(args.inputs)))
        if args.typ == "pulumi:pulumi:StackReference":
            return f"{args.name}-id", {"name": args.name, "outputs": self.foundation_outputs}
        state = dict(args.inputs)
        # outputs the providers compute, which other resources of the stacks read
        if args.typ == "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer":
            state.setdefault("address", f"{args.name}-address")
        if args.typ == "openstack:loadbalancer/loadBalancer:LoadBalancer":
            state.setdefault("vipPortId", f"{args.name}-vip-port")
        if args.typ == "openstack:networking/floatingIp:FloatingIp":
            state.setdefault("address", f"{args.name}-address")
        state.setdefault("name", args.name)
        state.setdefault("projectName", args.inputs.get("projectName", args.name))
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


class Monitor(pulumi.runtime.mocks.MockMonitor):  # type: ignore[misc]
    """The mock engine, also recording which resources are registered with ``protect``."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.protected: set[str] = set()

    def RegisterResource(self, request: Any) -> Any:
        if request.protect:
            self.protected.add(request.name)
        return super().RegisterResource(request)


def fake_outputs(spec: dict[str, Any]) -> dict[str, Any]:
    """What a foundation stack would export, with made-up ids in the right shape."""

    def fake(name: str, value: Any) -> Any:
        if isinstance(value, dict) and "$ref" not in value:
            return {k: fake(f"{name}.{k}", v) for k, v in value.items()}
        return value if isinstance(value, str) else f"{name}-id"

    return {k: fake(k, v) for k, v in spec["outputs"].items()}


def run_program(
    folder: Path,
    foundation_outputs: dict[str, Any] | None = None,
    settings: dict[str, Setting] | None = None,
) -> list[Registered]:
    """Register everything the program in ``folder`` creates; raises if it fails.  ``settings``
    are the configuration keys ops set (their examples are used, secrets as secrets)."""
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8"))["name"]
    [stack_file] = sorted(folder.glob("Pulumi.*.yaml"))
    stack = stack_file.name.split(".")[1]
    config = yaml.safe_load(stack_file.read_text(encoding="utf-8"))["config"]
    for key, setting in (settings or {}).items():
        config[f"{project}:{key}"] = setting.example
    secrets = [f"{project}:{k}" for k, s in (settings or {}).items() if s.secret]
    mocks = Mocks(foundation_outputs or {})
    pulumi.runtime.settings._set_config_secret_keys = None  # type: ignore[attr-defined]
    pulumi.runtime.set_all_config({k: str(v) for k, v in config.items()}, secrets)
    monitor = Monitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    runpy.run_path(str(folder / "__main__.py"), run_name="__main__")
    asyncio.get_event_loop().run_until_complete(pulumi.runtime.stack.wait_for_rpcs())
    for r in mocks.registered:
        r.protect = r.name in monitor.protected
    return mocks.registered


def spec_of(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "resources.json").read_text(encoding="utf-8"))
    return data
