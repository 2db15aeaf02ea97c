"""Baseline rules as data: one YAML file per rule under ``policies/rules/``, packs under
``policies/packs/``.  Adding a rule means adding a file (with its passing and failing examples);
the engine never changes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcloud.baseline.conditions import ConditionError, check
from govcloud.ledger import yamlio
from govcloud.samples import bundled
from govcloud.stacks.providers import PROVIDERS

SEVERITIES = ("critical", "high", "medium", "low")
STATES = ("as-is", "to-be")
_REQUIRED = (
    "id",
    "title",
    "rationale",
    "standard",
    "clause",
    "levels",
    "severity",
    "state",
    "applies_to",
    "require",
    "fix",
    "examples",
)


@dataclass(frozen=True)
class Rule:
    id: str
    title: dict[str, str]
    rationale: dict[str, str]
    standard: str
    clause: str
    levels: tuple[int, ...]
    severity: str
    state: str
    applies_to: str  # an inventory list (systems, sites, …) or a resource type token
    when: dict[str, Any] | None
    require: dict[str, Any]
    fix: dict[str, str]
    equivalents: dict[str, str]
    examples: dict[str, Any]
    source: str
    #: the rule reads facts govcloud derives from the whole set of stacks (views.py), which a
    #: CrossGuard policy seeing one resource cannot: it is left out of the exported pack
    stack_facts: bool = False

    def text(self, field: str, lang: str) -> str:
        value: dict[str, str] = getattr(self, field)
        return value.get(lang) or value.get("en", "")


def policies_dir() -> Path:
    return bundled("policies")


def load_rules(root: Path | None = None) -> list[Rule]:
    """Every rule, in id order; a malformed rule file raises ConditionError naming it."""
    folder = (root or policies_dir()) / "rules"
    rules = [_rule(path) for path in sorted(folder.glob("*.yaml"))]
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ConditionError(f"{folder}: duplicate rule ids")
    return sorted(rules, key=lambda r: r.id)


def _rule(path: Path) -> Rule:
    data = yamlio.read_file(path)
    if not isinstance(data, dict):
        raise ConditionError(f"{path}: a rule file is a mapping")
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise ConditionError(f"{path}: missing {', '.join(missing)}")
    if data["severity"] not in SEVERITIES or data["state"] not in STATES:
        raise ConditionError(f"{path}: severity must be one of {SEVERITIES}, state one of {STATES}")
    if data.get("when") is not None:
        check(data["when"], f"{path}: when")
    check(data["require"], f"{path}: require")
    return Rule(
        id=data["id"],
        title=data["title"],
        rationale=data["rationale"],
        standard=data["standard"],
        clause=str(data["clause"]),
        levels=tuple(data["levels"]),
        severity=data["severity"],
        state=data["state"],
        applies_to=data["applies_to"],
        when=data.get("when"),
        require=data["require"],
        fix=data["fix"],
        equivalents=data.get("equivalents") or {},
        examples=data["examples"],
        source=str(path),
        stack_facts=bool(data.get("stack_facts")),
    )


def load_coverage(root: Path | None = None) -> list[dict[str, Any]]:
    """Per clause: the rules that check it automatically and the evidence to collect by hand."""
    data = yamlio.read_file((root or policies_dir()) / "coverage.yaml")
    clauses: list[dict[str, Any]] = data["clauses"]
    return clauses


def load_packs(root: Path | None = None) -> dict[str, list[str]]:
    """Pack name → rule ids."""
    folder = (root or policies_dir()) / "packs"
    packs = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yamlio.read_file(path)
        packs[data["id"]] = list(data["rules"])
    return packs


def unchecked_types(
    rules: list[Rule], packs: dict[str, list[str]], pack: str = "cloud-to-be"
) -> dict[str, list[str]]:
    """Per registered cloud provider (:mod:`govcloud.stacks.providers`), the resource types it
    says the baseline must check that no to-be rule of ``pack`` applies to; empty when every
    provider's stacks are checked."""
    in_pack = set(packs.get(pack, []))
    checked = {r.applies_to for r in rules if r.state == "to-be" and r.id in in_pack}
    out: dict[str, list[str]] = {}
    for provider in PROVIDERS.entries():
        missing = [t for t in provider.checked_types if t not in checked]
        if missing:
            out[provider.name] = missing
    return out
