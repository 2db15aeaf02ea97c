"""Reading emitted stacks back from their folders (``resources.json``), so the to-be baseline
can check the stacks ops are about to apply — including any hand edit — not only the plan's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govcloud import safeio
from govcloud.settings import ConfigError
from govcloud.stacks.emit import MARKER
from govcloud.stacks.spec import SPEC_SCHEMA_VERSION, Resource, Stack


def read_stacks(root: Path) -> list[Stack]:
    """Every stack under ``root`` (one folder per project), foundations first, then waves in
    order, per node.  A folder without ``resources.json`` is not a stack and is skipped; an
    unreadable one raises :class:`ConfigError` naming the file, line and field."""
    files = sorted(root.glob(f"*/{MARKER}"))
    if not files:
        raise ConfigError(
            f"{root}: no stack folder (*/{MARKER}) here; give the folder govcloud plan wrote the stacks to"
        )
    stacks = [_stack(path) for path in files]
    return sorted(stacks, key=lambda s: (s.node, s.kind != "foundation", s.wave or 0, s.project))


def _stack(path: Path) -> Stack:
    try:  # a regular file within the size limit, plain JSON: no NaN, huge integers or deep nesting
        data = safeio.read_json(path, "resources")
    except safeio.UnsafeInput as exc:
        if exc.code == "not-json":
            detail = f"{path}:{exc.params['line']}: not JSON ({exc.params['detail']}); emit the stacks again with govcloud plan"
            raise ConfigError(detail) from None
        raise ConfigError(str(exc)) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected an object with project, kind and resources")
    if data.get("schema_version") != SPEC_SCHEMA_VERSION:
        raise ConfigError(
            f"{path}: schema_version {data.get('schema_version')!r}, expected {SPEC_SCHEMA_VERSION}; emit the stacks again"
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
                raise ConfigError(f"{path}: {where}: expected name, type and props")
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
        raise ConfigError(f"{path}: {where + '.' if where else ''}{key}: expected text")
    return value
