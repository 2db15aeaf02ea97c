"""Reading emitted stacks back from their folders (``resources.json``), so the to-be baseline
can check the stacks ops are about to apply — including any hand edit — not only the plan's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.settings import ConfigError, refused
from govcloud.stacks.emit import MARKER
from govcloud.stacks.spec import SPEC_SCHEMA_VERSION, Resource, Stack


def read_stacks(root: Path) -> list[Stack]:
    """Every stack under ``root`` (one folder per project), foundations first, then waves in
    order, per node.  A folder without ``resources.json`` is not a stack and is skipped; an
    unreadable one raises :class:`ConfigError` naming the file, line and field."""
    files = sorted(root.glob(f"*/{MARKER}"))
    if not files:
        raise refused("stacks.none", str(root), marker=MARKER)
    stacks = [_stack(path) for path in files]
    return sorted(stacks, key=lambda s: (s.node, s.kind != "foundation", s.wave or 0, s.project))


def _stack(path: Path) -> Stack:
    try:  # a regular file within the size limit, plain JSON: no NaN, huge integers or deep nesting
        data = safeio.read_json(path, "resources")
    except safeio.UnsafeInput as exc:
        if exc.code == "not-json":
            where = f"{path}:{exc.params['line']}"
            raise refused("stacks.not-json", where, detail=exc.params["detail"]) from None
        raise ConfigError(str(exc)) from exc
    if not isinstance(data, dict):
        raise refused("stacks.expected-stack", str(path))
    if data.get("schema_version") != SPEC_SCHEMA_VERSION:
        raise refused(
            "stacks.schema-version",
            str(path),
            "schema_version",
            found=repr(data.get("schema_version")),
            expected=SPEC_SCHEMA_VERSION,
        )
    try:
        stack = Stack(
            project=_text(data, "project", path),
            stack=_text(data, "stack", path),
            provider=_text(data, "provider", path),
            kind=_text(data, "kind", path),
            node=_text(data, "node", path),
            wave=data.get("wave"),
            outputs=dict(data.get("outputs") or {}),
        )
        for i, item in enumerate(data.get("resources") or []):
            where = f"resources[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("props"), dict):
                raise refused("stacks.expected-resource", str(path), where)
            options = item.get("options") or {}
            stack.resources.append(
                Resource(
                    _text(item, "name", path, where),
                    _text(item, "type", path, where),
                    item["props"],
                    bool(options.get("protect")),
                )
            )
    except (TypeError, AttributeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return stack


def _text(data: dict[str, Any], key: str, path: Path, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise refused("stacks.expected-text", str(path), f"{where + '.' if where else ''}{key}")
    return value
