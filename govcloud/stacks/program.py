"""The Pulumi program of every govcloud stack (written as each stack's ``__main__.py``).

It is the same small generic code for every stack: it reads ``resources.json`` beside it and
registers each resource it lists.  Everything that comes from an inventory is in that data
file; nothing of it is ever code.
"""

import importlib
import json
from pathlib import Path
from typing import Any

import pulumi

HERE = Path(__file__).resolve().parent


def _class(token: str) -> Any:
    """``alicloud:vpc/network:Network`` → ``pulumi_alicloud.vpc.Network``."""
    package, module, name = token.split(":")
    mod = importlib.import_module(f"pulumi_{package}.{module.split('/')[0]}")
    return getattr(mod, name)


def _item(key: str) -> Any:
    """A function picking one key of a map output."""

    def pick(mapping: dict[str, Any]) -> Any:
        return mapping[key]

    return pick


class Resolver:
    def __init__(self, config: pulumi.Config, stack_reference: pulumi.StackReference | None) -> None:
        self.config = config
        self.reference = stack_reference
        self.resources: dict[str, Any] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "$ref" in value:
            return getattr(self.resources[value["$ref"]], value.get("attr", "id"))
        if "$foundation" in value:
            if self.reference is None:
                raise ValueError("a foundation output is used outside a wave stack")
            output = self.reference.get_output(value["$foundation"])
            key = value.get("key")
            return output if key is None else output.apply(_item(key))
        if "$config" in value:
            key = value["$config"]
            config = pulumi.Config(key.split(":")[0]) if ":" in key else self.config
            name = key.split(":")[-1]
            return config.require_int(name) if value.get("type") == "int" else config.require(name)
        if "$secret" in value:
            return self.config.require_secret(value["$secret"])
        if "$concat" in value:
            return pulumi.Output.concat(*[self(part) for part in value["$concat"]])
        return {k: self(v) for k, v in value.items()}


def main() -> None:
    spec = json.loads((HERE / "resources.json").read_text(encoding="utf-8"))
    config = pulumi.Config()
    reference = None
    if spec["kind"] == "wave":
        reference = pulumi.StackReference(config.require("foundationStack"))
    resolve = Resolver(config, reference)
    for item in spec["resources"]:
        cls = _class(item["type"])
        options = pulumi.ResourceOptions(protect=bool(item.get("options", {}).get("protect")))
        resolve.resources[item["name"]] = cls(item["name"], **resolve(item["props"]), opts=options)
    for name, value in spec["outputs"].items():
        pulumi.export(name, resolve(value))


main()
