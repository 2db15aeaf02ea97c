"""``govcloud stacks diff OLD NEW``: resource changes between two emissions of the stacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.i18n import Lang, join_list, t
from govcloud.outputs import json_text
from govcloud.registry import OutputFormat, output_formats
from govcloud.stacks.emit import MARKER


class StacksFileError(GovcloudError, ValueError):
    """A stack folder whose resources.json is not what ``govcloud plan`` writes."""

    kind = "stacks"


#: what ``compare`` reads of a resources.json; other keys are not looked at
SPEC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["project", "resources"],
    "properties": {
        "project": {"type": "string", "minLength": 1, "maxLength": 200},
        "resources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "type", "props"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "type": {"type": "string"},
                    "props": {"type": "object"},
                },
            },
        },
    },
}


def _read(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """project → resource name → resource, for every stack folder under ``root``; a
    resources.json that is not a regular file, not JSON or not of the shape
    :data:`SPEC_SCHEMA` raises :class:`StacksFileError` naming it."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for spec_file in sorted(root.glob(f"*/{MARKER}")):
        try:
            spec = safeio.read_json(spec_file, "resources")
            safeio.check_schema(spec, SPEC_SCHEMA, spec_file)
        except safeio.UnsafeInput as exc:
            raise StacksFileError(str(exc)) from exc
        if spec["project"] in out:
            raise StacksFileError(f"{spec_file}: project {spec['project']!r} is in two folders")
        resources: dict[str, dict[str, Any]] = {}
        for i, resource in enumerate(spec["resources"]):
            if resource["name"] in resources:
                raise StacksFileError(
                    f"{spec_file}: resources/{i}: name {resource['name']!r} appears twice",
                    code="stacks.name-twice",
                    path=spec_file,
                    index=i,
                    name=repr(resource["name"]),
                )
            resources[resource["name"]] = resource
        out[spec["project"]] = resources
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


def text(changes: dict[str, Any], lang: Lang = "en") -> str:
    """The changes for a reader: per stack, whether it was added, removed or changed and its
    counts, then each resource (``+`` added, ``-`` removed, ``~`` changed: its properties)."""
    if not changes["stacks"]:
        return t("stacks-diff.none", lang) + "\n"
    esc = safeio.terminal
    lines = []
    for project, entry in changes["stacks"].items():
        state = t(f"stacks-diff.stack.{entry['stack']}", lang)
        lines.append(
            f"{esc(project)} ({state}): +{len(entry['added'])} -{len(entry['removed'])} ~{len(entry['changed'])}"
        )
        lines += [f"  + {esc(name)}" for name in entry["added"]]
        lines += [f"  - {esc(name)}" for name in entry["removed"]]
        lines += [f"  ~ {esc(name)}: {esc(join_list(keys, lang))}" for name, keys in entry["changed"].items()]
    return "\n".join(lines) + "\n"


#: ``govcloud stacks diff --format``
FORMATS = output_formats(
    "stacks diff output format",
    OutputFormat[dict[str, Any]]("text", text),
    OutputFormat[dict[str, Any]]("json", lambda changes, lang: json_text(changes)),
)
