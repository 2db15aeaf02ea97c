"""govcloud's to-be baseline rules as CrossGuard policies (written by
``govcloud policies export-pack``).  The rules are data (``rules.json``); the conditions are
evaluated by ``conditions.py``, the same small language govcloud itself uses."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conditions import holds
from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

HERE = Path(__file__).resolve().parent
_SEVERITY = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(value: Any, top: bool = True) -> Any:
    """Pulumi's camelCase property names → the snake_case names the rules use (tag keys stay)."""
    if isinstance(value, list):
        return [snake(v, False) for v in value]
    if isinstance(value, dict):
        # tag keys are data ("mlps-level"), not property names: they stay as written
        return {_CAMEL.sub("_", k).lower(): (v if k == "tags" else snake(v, False)) for k, v in value.items()}
    return value


def view(args: ResourceValidationArgs) -> dict[str, Any]:
    """The resource's props as govcloud's to-be views have them: snake_case, and a rule's
    port and source derived from the provider's own fields."""
    props = snake(dict(args.props))
    if "port_range" in props or "port_range_min" in props:
        port = props.get("port_range_min") or str(props.get("port_range", "0/0")).split("/")[0]
        props["port"] = int(float(port)) if str(port).replace(".", "", 1).isdigit() else 0
    if "cidr_ip" in props or "remote_ip_prefix" in props:
        props["source"] = props.get("cidr_ip") or props.get("remote_ip_prefix")
    return props


def _validator(rule: dict[str, Any]) -> Callable[[ResourceValidationArgs, Callable[..., None]], None]:
    def validate(args: ResourceValidationArgs, report_violation: Callable[..., None]) -> None:
        if args.resource_type != rule["applies_to"]:
            return
        props = view(args)
        if rule.get("when") and not holds(rule["when"], props):
            return
        if not holds(rule["require"], props):
            report_violation(f"{rule['title']['zh']} / {rule['title']['en']}: {rule['fix']['en']}", None)

    return validate


def policies() -> list[ResourceValidationPolicy]:
    rules = json.loads((HERE / "rules.json").read_text(encoding="utf-8"))
    return [
        ResourceValidationPolicy(
            name=rule["id"],
            description=f"{rule['title']['en']} ({rule['standard']} {rule['clause']})",
            validate=_validator(rule),
            enforcement_level=EnforcementLevel.MANDATORY,
            severity=_SEVERITY[rule["severity"]],
            framework=PolicyComplianceFramework(
                name="MLPS 2.0", version="GB/T 22239-2019", reference=rule["clause"]
            ),
            remediation_steps=rule["fix"]["en"],
        )
        for rule in rules
    ]
