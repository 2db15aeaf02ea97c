"""Numbers people tune (thresholds, planning rules) as frozen dataclasses with overrides.

Each setting group is a dataclass with documented defaults; a YAML file overrides any subset
under its section key (``analysis:``, ``rules:``).  Unknown names and non-numbers are errors
that name the file and the field.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, TypeVar

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.i18n import Lang, t
from govcloud.ledger import yamlio

T = TypeVar("T")


class ConfigError(GovcloudError, ValueError):
    """A settings file that cannot be used; the message names the file and the field."""

    kind = "thresholds"

    def render(self, lang: Lang) -> str:
        """The message in ``lang``: a YAML problem in the ledger's words for it, naming the
        file and line; any other as it reads."""
        problem = self.params.get("problem")
        if isinstance(problem, str):
            return f"{self.params['where']}: {t(problem, lang, detail=self.params.get('detail', ''))}"
        if self.code:
            return _said(lang, self.code, **self.params)
        return super().render(lang)


def refused(code: str, where: str, field: str = "", **params: object) -> ConfigError:
    """A :class:`ConfigError` saying the ``settings.<what>`` message ``code`` of ``field`` in
    the file ``where``; its English text is the one it renders in English."""
    values: dict[str, object] = {"where": where, "field": field, **params}
    error = ConfigError(_said("en", code, **values), code=code)
    error.params = values
    return error


def _said(lang: Lang, code: str, **params: object) -> str:
    place = f"{params['where']}: {params['field']}" if params.get("field") else str(params["where"])
    if isinstance(params.get("words"), str):  # a detail that is a message of its own
        params = {**params, "detail": t(str(params["words"]), lang, **params)}
    return f"{place}: {t(code, lang, **params)}"


def read_yaml(path: Path) -> Any:
    """The plain value of a settings YAML file; unreadable or malformed files raise
    :class:`ConfigError` naming the file and, where known, the line."""
    try:
        safeio.check_file(path, "settings")  # a FIFO or a device would block; a huge file is no setting
        return yamlio.read_file(path)
    except safeio.UnsafeInput as exc:
        raise ConfigError(str(exc)) from exc
    except yamlio.YamlProblem as exc:
        where = f"{path}:{exc.line or 0}"
        raise ConfigError(
            f"{where}: {exc.code} {exc.detail}".strip(), where=where, problem=exc.code, detail=exc.detail
        ) from exc
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror}") from exc


#: the range of a setting that has none of its own: finite and not absurd
DEFAULT_BOUNDS = (0.0, 1e9)


def apply_overrides(
    base: T,
    values: dict[str, Any],
    section: str,
    where: str = "",
    bounds: dict[str, tuple[float, float]] | None = None,
) -> T:
    """``base`` with ``values`` applied, each checked to be a finite number within the
    field's ``bounds`` (else :data:`DEFAULT_BOUNDS`), and whole for whole-number fields."""
    fields = {f.name for f in dataclasses.fields(base)}  # type: ignore[arg-type]
    changes: dict[str, Any] = {}
    if not isinstance(values, dict):
        raise refused("settings.expected-numbers", where, section)
    for key, value in values.items():
        if key not in fields:
            raise refused(
                "settings.unknown-setting", where, f"{section}.{key}", known=", ".join(sorted(fields))
            )
        current = getattr(base, key)
        low, high = (bounds or {}).get(key, DEFAULT_BOUNDS)
        try:
            checked = safeio.number(
                value, where=f"{where}: {section}.{key}", low=low, high=high, integer=isinstance(current, int)
            )
        except safeio.UnsafeInput as exc:
            raise ConfigError(str(exc)) from exc
        changes[key] = type(current)(checked)
    return dataclasses.replace(base, **changes)  # type: ignore[type-var]


def check_mapping(document: Any, where: str, lists: Any) -> dict[str, Any]:
    """A ``--mapping`` file's document, checked to be ``sheets: {sheet name: list}`` and
    ``columns: {list: {header: field}}`` with lists among ``lists`` (texts only)."""
    if not isinstance(document, dict):
        raise refused("settings.expected-sheets-columns", where)
    known = set(lists)
    unknown = sorted(set(document) - {"sheets", "columns"})
    if unknown:
        raise refused("settings.unknown-key", where, unknown[0], known="columns, sheets")
    sheets = document.get("sheets") or {}
    columns = document.get("columns") or {}
    if not isinstance(sheets, dict):
        raise refused("settings.expected-sheets", where, "sheets")
    for name, key in sheets.items():
        if not isinstance(key, str) or key not in known:
            raise refused(
                "settings.not-one-of",
                where,
                f"sheets.{safeio.terminal(name)}",
                value=safeio.terminal(repr(key))[:80],
                choices=", ".join(sorted(known)),
            )
    if not isinstance(columns, dict):
        raise refused("settings.expected-columns", where, "columns")
    for key, headers in columns.items():
        if key not in known:
            raise refused(
                "settings.not-a-list",
                where,
                f"columns.{safeio.terminal(key)}",
                choices=", ".join(sorted(known)),
            )
        if not isinstance(headers, dict) or not all(
            isinstance(h, str) and isinstance(f, str) for h, f in headers.items()
        ):
            raise refused("settings.expected-headers", where, f"columns.{key}")
    return {"sheets": dict(sheets), "columns": {k: dict(v) for k, v in columns.items()}}
