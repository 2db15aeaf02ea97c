"""``govcloud stacks diff OLD NEW``: resource changes between two emissions of the stacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govcloud.stacks.emit import MARKER


def _read(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """project → resource name → resource, for every stack folder under ``root``."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for spec_file in sorted(root.glob(f"*/{MARKER}")):
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        out[spec["project"]] = {r["name"]: r for r in spec["resources"]}
    return out


def compare(old: Path, new: Path) -> dict[str, Any]:
    """Per stack: resources added, removed, and changed (with the properties that changed)."""
    a, b = _read(old), _read(new)
    stacks: dict[str, Any] = {}
    for project in sorted(a.keys() | b.keys()):
        before, after = a.get(project, {}), b.get(project, {})
        changed = {}
        for name in sorted(before.keys() & after.keys()):
            props_a, props_b = before[name]["props"], after[name]["props"]
            keys = sorted(k for k in props_a.keys() | props_b.keys() if props_a.get(k) != props_b.get(k))
            if keys or before[name]["type"] != after[name]["type"]:
                changed[name] = keys
        entry = {
            "added": sorted(after.keys() - before.keys()),
            "removed": sorted(before.keys() - after.keys()),
            "changed": changed,
        }
        if any(entry.values()) or project not in a or project not in b:
            entry["stack"] = "added" if project not in a else ("removed" if project not in b else "changed")
            stacks[project] = entry
    return {"schema_version": 1, "stacks": stacks}


def text(changes: dict[str, Any]) -> str:
    if not changes["stacks"]:
        return "no changes\n"
    lines = []
    for project, entry in changes["stacks"].items():
        lines.append(f"{project} ({entry['stack']}): +{len(entry['added'])} -{len(entry['removed'])} ~{len(entry['changed'])}")
        lines += [f"  + {name}" for name in entry["added"]]
        lines += [f"  - {name}" for name in entry["removed"]]
        lines += [f"  ~ {name}: {', '.join(keys)}" for name, keys in entry["changed"].items()]
    return "\n".join(lines) + "\n"
