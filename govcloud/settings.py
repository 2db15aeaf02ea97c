"""Numbers people tune (thresholds, planning rules) as frozen dataclasses with overrides.

Each setting group is a dataclass with documented defaults; a YAML file overrides any subset
under its section key (``analysis:``, ``rules:``).  Unknown names and non-numbers are errors
that name the file and the field.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, TypeVar

from govcloud.ledger import yamlio

T = TypeVar("T")


class ConfigError(ValueError):
    """A settings file that cannot be used; the message names the file and the field."""


def read_yaml(path: Path) -> Any:
    """The plain value of a settings YAML file; unreadable or malformed files raise
    :class:`ConfigError` naming the file and, where known, the line."""
    try:
        return yamlio.read_file(path)
    except yamlio.YamlProblem as exc:
        raise ConfigError(f"{path}:{exc.line or 0}: {exc.code} {exc.detail}".strip()) from exc
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror}") from exc


def apply_overrides(base: T, values: dict[str, Any], section: str, where: str = "") -> T:
    """``base`` with ``values`` applied, each checked to be a number ≥ 0 of the field's type."""
    fields = {f.name for f in dataclasses.fields(base)}  # type: ignore[arg-type]
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in fields:
            raise ConfigError(
                f"{where}: {section}.{key}: unknown setting; known: {', '.join(sorted(fields))}"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{where}: {section}.{key}: expected a number ≥ 0, got {value!r}")
        changes[key] = type(getattr(base, key))(value)
    return dataclasses.replace(base, **changes)  # type: ignore[type-var]
