"""Checking one ledger file against the JSON Schema, with messages people can act on.

Before the check, enumerated values written in any accepted spelling (``中国电信``,
``Telecom``, ``ＴＥＬＥＣＯＭ``) are replaced by their canonical value, guided by the schema's
``x-choices`` annotations.  jsonschema's errors are then turned into :class:`Finding` values
with a field path, a translated message and a suggestion.
"""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Callable, Iterable
from typing import Any

import fastjsonschema
import jsonschema

from govcloud.ledger import choices, schema
from govcloud.ledger.files import Finding
from govcloud.problems import coded_detail
from govcloud.safeio import schema_words

Path_ = tuple[str | int, ...]
JSON = dict[str, Any]

_PATTERN_WORDS = {
    schema.DATE_PATTERN: "pattern.date",
    schema.REGION_CODE_PATTERN: "pattern.region_code",
    schema.ID_PATTERN: "pattern.id",
}

_RANGE_WORDS = {
    "minimum": "≥ {0}",
    "maximum": "≤ {0}",
    "exclusiveMinimum": "> {0}",
    "exclusiveMaximum": "< {0}",
    "minLength": "length ≥ {0}",
    "maxLength": "length ≤ {0}",
    "minItems": "items ≥ {0}",
    "maxItems": "items ≤ {0}",
}


@functools.cache
def _schema() -> JSON:
    return schema.build_schema()


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(_schema())
    return cls(_schema())


@functools.cache
def _fast_validator() -> Callable[[Any], Any]:
    """The schema compiled to Python code: ~10× faster, but its errors say little.

    Every keyword the ledger schema uses means the same in draft-07, which fastjsonschema
    compiles; valid documents pass here and never reach the slower validator, whose errors are
    the ones users read.
    """
    return fastjsonschema.compile({**_schema(), "$schema": "http://json-schema.org/draft-07/schema#"})


def normalise_enums(document: Any, node_schema: JSON | None = None) -> None:
    """Replace accepted spellings of enumerated values by canonical ones, in place."""
    node_schema = node_schema or _schema()
    if isinstance(document, dict):
        properties = node_schema.get("properties", {})
        for key, value in document.items():
            sub = properties.get(key)
            if sub is None:
                continue
            if "x-choices" in sub:
                canonical = choices.ALL[sub["x-choices"]].normalise(value)
                if canonical is not None:
                    document[key] = canonical
            elif type(value) is dict or type(value) is list:  # a scalar has nothing below it
                normalise_enums(value, sub)
    elif isinstance(document, list):
        items = node_schema.get("items")
        if not items:
            return
        if "x-choices" in items:
            cs = choices.ALL[items["x-choices"]]
            document[:] = [cs.normalise(v) or v for v in document]
        else:
            for value in document:
                if type(value) is dict or type(value) is list:
                    normalise_enums(value, items)


def check(file: str, document: JSON) -> list[Finding]:
    """Schema problems of one (normalised) ledger document."""
    try:
        _fast_validator()(document)
    except fastjsonschema.JsonSchemaValueException:
        pass
    else:
        return []
    findings: list[Finding] = []
    for error in _validator().iter_errors(document):
        findings.extend(_translate(file, error))
    return findings


def invalid_items(findings: Iterable[Finding]) -> dict[tuple[str, int], list[Path_]]:
    """Schema problems of top-level list items: ``(list key, index)`` → paths inside the item."""
    bad: dict[tuple[str, int], list[Path_]] = {}
    for finding in findings:
        path = finding.path
        if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
            bad.setdefault((path[0], path[1]), []).append(path[2:])
    return bad


def without(item: JSON, paths: Iterable[Path_]) -> JSON:
    """A copy of ``item`` with the values at ``paths`` removed (what the schema rejected)."""
    out = copy.deepcopy(item)
    # remove the deepest and last list items first so earlier indices stay right
    for path in sorted(paths, key=lambda p: (len(p), [str(x) for x in p]), reverse=True):
        if not path:
            continue
        parent: Any = out
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        last = path[-1]
        if isinstance(parent, dict) and isinstance(last, str):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = None
    cleaned: dict[str, Any] = _drop_nones(out)
    return cleaned


def _drop_nones(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nones(v) for v in value if v is not None]
    return value


def _translate(file: str, error: jsonschema.ValidationError) -> list[Finding]:
    path: Path_ = tuple(error.absolute_path)
    kind: Any = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    if kind == "required":
        missing = [r for r in value if isinstance(instance, dict) and r not in instance]
        return [Finding(file, (*path, m), "schema-required", params={"field": m}) for m in missing]
    if kind == "additionalProperties":
        allowed = sorted(_schema_of(error).get("properties", {}))
        extras = sorted(k for k in instance if k not in allowed)
        return [
            Finding(
                file,
                (*path, extra),
                "schema-unknown-field",
                params={
                    "field": extra,
                    "allowed": ", ".join(allowed),
                    "suggestion": _closest(extra, allowed),
                },
                at_key=True,
            )
            for extra in extras
        ]
    if kind == "type":
        expected = value if isinstance(value, str) else value[0]
        params: dict[str, object] = {"expected": f"type.{expected}", "found": f"type.{_json_type(instance)}"}
        return [Finding(file, path, "schema-type", params=params)]
    if kind == "enum":
        return [_enum_finding(file, path, error)]
    if kind in _RANGE_WORDS:
        params = {"value": _short(instance), "detail": _RANGE_WORDS[kind].format(value)}
        return [Finding(file, path, "schema-range", params=params)]
    if kind == "pattern":
        params = {"value": _short(instance), "detail": _PATTERN_WORDS.get(value, value)}
        return [Finding(file, path, "schema-pattern", params=params)]
    return [Finding(file, path, "schema-other", params=_other(error))]


def _schema_of(error: jsonschema.ValidationError) -> dict[str, Any]:
    """The (sub)schema an error was raised by; jsonschema types it loosely."""
    return error.schema if isinstance(error.schema, dict) else {}


def _enum_finding(file: str, path: Path_, error: jsonschema.ValidationError) -> Finding:
    name = _schema_of(error).get("x-choices")
    cs: choices.ChoiceSet | None = None
    if name:
        cs = choices.ALL[name]
        allowed: list[str] = list(cs.values)
        spellings = cs.spellings()
        kind_word = name
    else:
        allowed = spellings = [str(v) for v in error.validator_value]  # type: ignore[union-attr]
        kind_word = str(path[-1]) if path else "value"
    text = str(error.instance)
    closest = _closest(text, spellings)
    suggestion = (cs.normalise(closest) or closest) if cs and closest else closest
    params: dict[str, object] = {
        "value": _short(error.instance),
        "kind": kind_word,
        "allowed": ", ".join(allowed),
        "suggestion": suggestion,
    }
    return Finding(file, path, "schema-enum", params=params)


def _other(error: jsonschema.ValidationError) -> dict[str, object]:
    """Parameters of a schema-other problem; ``detail`` names a translated explanation."""
    if error.validator == "oneOf" and "site" in _schema_of(error).get("properties", {}):
        return {"detail": "other.line-end"}
    if error.validator == "uniqueItems":
        return {"detail": "other.unique", "items": _short(error.instance)}
    if error.validator == "const":
        return {"detail": "other.const", "expected": repr(error.validator_value)}
    # any other JSON Schema message: in the catalogue's words where it has them
    words, params = schema_words(error.message)
    return dict(coded_detail(words, **params))


def _closest(text: str, candidates: list[str]) -> str:
    matches = difflib.get_close_matches(text, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else ""


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
