"""What the HTML report is drawn from: the JSON documents ``govcloud plan`` writes.

The report never reads the ledger, so ``govcloud report out/plan.json`` redraws it from the
plan's folder alone, and ``govcloud plan`` hands over the same documents in memory.  Each file
is checked against its shipped schema before it is used, so a hand-edited or stale file gets a
message naming it instead of a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import orjson

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.i18n import Lang, t
from govcloud.report import analysis as analysis_report

_REPORT_DIR = Path(__file__).resolve().parent.parent

#: document → (file beside plan.json, its schema next to its writer)
FILES = {
    "plan": ("plan.json", "plan.schema.json"),
    "summary": ("ledger-summary.json", None),
    "analysis": ("analysis.json", "analysis.schema.json"),
    "baseline": ("baseline.json", "baseline.schema.json"),
    "topology": ("topology.json", "topology.schema.json"),
}


_TOTALS = (
    "sites",
    "servers",
    "physical_servers",
    "cores",
    "memory_gb",
    "storage_gb",
    "networks",
    "lines",
    "bandwidth_mbps",
    "systems",
    "room_cost_cny",
    "line_cost_cny",
    "depreciation_cny",
    "maintenance_cny",
    "yearly_cost_cny",
)
_TOTALS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": list(_TOTALS),
    "properties": {k: {"type": "number", "minimum": 0} for k in _TOTALS},
}
#: what the report reads of ledger-summary.json (written by govcloud.ledger.summary.to_json)
SUMMARY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schema_version", "region", "departments", "total"],
    "properties": {
        "schema_version": {"const": 1},
        "region": {
            "type": "object",
            "required": ["id", "name", "as_of"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "as_of": {"type": "string"}},
        },
        "departments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "totals"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "name_en": {"type": ["string", "null"]},
                    "totals": _TOTALS_SCHEMA,
                },
            },
        },
        "total": _TOTALS_SCHEMA,
    },
}


class ReportInputError(GovcloudError):
    """A document the report needs is missing or not what ``govcloud plan`` writes."""

    kind = "report"

    def __init__(self, path: Path, detail: str, code: str = "", **params: object) -> None:
        super().__init__(f"{path}: {detail}", code=code)
        self.params = params
        self.path = path
        self.detail = detail

    def render(self, lang: Lang) -> str:
        """``path: what is wrong`` in ``lang`` (``report-input.<code>`` in the catalogues)."""
        refusal = self.params.get("refusal")
        if isinstance(refusal, safeio.UnsafeInput):  # the refusal's own words, without its path
            return f"{self.path}: {refusal.render(lang).split(': ', 1)[-1]}"
        params = dict(self.params)
        if isinstance(params.get("words"), str):  # what the schema says, in lang
            params["message"] = t(str(params["words"]), lang, **params)
        return f"{self.path}: {t(self.code, lang, **params)}" if self.code else str(self)


@dataclass(frozen=True)
class ReportInputs:
    plan: dict[str, Any]
    summary: dict[str, Any]
    analysis: dict[str, Any]
    baseline: dict[str, Any]
    topology: dict[str, Any]


def _schema(name: str) -> dict[str, Any]:
    if name == "analysis.schema.json":  # its kind enum is the registry's (govcloud.analysis.kinds)
        return analysis_report.schema()
    return _shipped_schema(name)


@cache
def _shipped_schema(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((_REPORT_DIR / name).read_text(encoding="utf-8"))
    return value


def _read(path: Path, schema: str | None) -> dict[str, Any]:
    try:
        value = safeio.read_json(path, "plan")  # a regular file, bounded, plain JSON, not deep
    except safeio.UnsafeInput as exc:
        if exc.code == "missing":
            raise ReportInputError(path, "missing", "report-input.missing") from None
        if exc.code == "not-json":
            line, column = exc.params["line"], exc.params["column"]
            detail = f"is not JSON (line {line}, column {column})"
            raise ReportInputError(path, detail, "report-input.not-json", line=line, column=column) from None
        # the refusal itself, in the reader's language, without its own path
        raise ReportInputError(path, exc.render("en").split(": ", 1)[-1], refusal=exc) from None
    if not isinstance(value, dict):
        raise ReportInputError(path, "is not a JSON object", "report-input.not-object")
    # every document is checked; ledger-summary.json against SUMMARY_SCHEMA
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(_schema(schema) if schema else SUMMARY_SCHEMA).iter_errors(value)
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        message = error.message[:300]
        words, params = safeio.schema_words(error.message)
        raise ReportInputError(
            path, f"at {where}: {message}", "report-input.schema", where=where, words=words, **params
        )
    return value


#: the top-level members of plan.json and baseline.json the report draws; the others (at 100k
#: servers plan.json's placements, operators, recovery and retests, 27 of its 72 MB, and
#: baseline.json's list of every subject, 20 of its 60 MB) are left out of
#: :class:`ReportInputs`, and :func:`from_texts` does not even parse them
DRAWN: dict[str, frozenset[str]] = {
    "plan": frozenset(
        {
            "as_is_basis",
            "cashflow",
            "confidence",
            "costs",
            "decisions",
            "kpis",
            "prices_are_examples",
            "region",
            "verified",
            "violations",
            "waves",
        }
    ),
    "baseline": frozenset({"schema_version", "summary", "rules", "findings", "not_evaluated", "residual"}),
}


def drawn(key: str, document: dict[str, Any]) -> dict[str, Any]:
    """What the report draws of the document ``key``: the members of :data:`DRAWN`, and of
    baseline.json's neither each rule's runs of subjects nor the residual's retained
    subjects, which the page counts elsewhere and never lists."""
    members = DRAWN.get(key)
    if members is None:
        return document
    kept = {k: v for k, v in document.items() if k in members}
    if key == "baseline":
        kept["rules"] = [{k: v for k, v in r.items() if k != "subjects"} for r in document["rules"]]
        if isinstance(document.get("residual"), dict):
            kept["residual"] = {k: v for k, v in document["residual"].items() if k != "retained"}
    return kept


#: every digit as a 0, so that a run of them is found by ``bytes.find``
_DIGITS = bytes.maketrans(b"0123456789", b"0" * 10)
#: digits enough to be an integer beyond 64 bits, which orjson reads as a float
_LONG = b"0" * 19


def _loads(text: bytes) -> Any:
    """``json.loads(text)``, by orjson where it reads the text as json does: not where it may
    hold an integer beyond 64 bits (19 digits in a row, in a string too), which orjson reads
    as a float; orjson refuses the rest of what it would read otherwise (NaN, lone
    surrogates, text that is not UTF-8)."""
    if text.translate(_DIGITS).find(_LONG) == -1:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


#: the start of a top-level member's line in the layout json_text writes: two spaces and its
#: key (a JSON text has no raw line break inside a string, and every deeper line is indented
#: further)
_MEMBER = re.compile(rb'\n  "')  # a regular expression finds it faster than bytes.find
_KEY = re.compile(rb'"(?:[^"\\]|\\.)*": ')


def members(text: str | bytes, keys: Collection[str] | None = None) -> Any:
    """``json.loads(text)``, or with ``keys`` only the members of the object named in ``keys``,
    in the text's order.  Of a text laid out as :func:`~govcloud.outputs.json_text` writes it
    (what ``govcloud plan`` hands over), only those members are parsed: each top-level member
    starts a line indented by two spaces, so the others are skipped unread.  Any other text is
    parsed whole."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if keys is None:
        return _loads(data)
    spans = _spans(data)
    if spans is None:
        document = _loads(data)
        if not isinstance(document, dict):
            return document
        return {k: v for k, v in document.items() if k in keys}
    found: dict[str, Any] = {}
    for key, start, end in spans:
        if key in keys:
            found[key] = _loads(data[start:end])
    return found


def _spans(data: bytes) -> list[tuple[str, int, int]] | None:
    """Each top-level member's key and where the text of its value starts and ends, if
    ``data`` is an object in json_text's layout (else None)."""
    if not (data.startswith(b'{\n  "') and data.endswith((b"\n}\n", b"\n}"))):
        return None
    close = data.rindex(b"\n}")
    spans: list[tuple[str, int, int]] = []
    at: int | None = 1
    while at is not None:
        key = _KEY.match(data, at + 3)
        if key is None:
            return None
        following = _MEMBER.search(data, key.end(), close)
        at = None if following is None else following.start()
        if at is None:
            end = close
        elif data[at - 1 : at] == b",":
            end = at - 1
        else:
            return None
        spans.append((json.loads(key.group()[:-2]), key.end(), end))
    return spans


def from_texts(texts: Mapping[str, str | bytes]) -> ReportInputs:
    """The documents from their JSON texts, keyed by file name (as ``govcloud plan`` has them;
    other files in ``texts`` are not read), as far as the report draws them (:func:`drawn`):
    the members it does not draw are not even parsed (:func:`members`)."""
    return ReportInputs(
        **{key: drawn(key, members(texts[name], DRAWN.get(key))) for key, (name, _) in FILES.items()}
    )


def read(plan_json: Path) -> ReportInputs:
    """The documents of the plan whose ``plan.json`` is ``plan_json``, from its folder."""
    folder = plan_json.parent
    documents = {
        key: drawn(key, _read(plan_json if key == "plan" else folder / name, schema))
        for key, (name, schema) in FILES.items()
    }
    region = documents["plan"]["region"]["id"]
    for key, (name, _) in FILES.items():
        place = documents[key].get("region", {})
        other = place.get("id", region) if isinstance(place, dict) else place
        if other != region:
            raise ReportInputError(
                folder / name,
                f"is of region {other!r}, plan.json of {region!r}",
                "report-input.region",
                other=repr(other),
                region=repr(region),
            )
    return ReportInputs(**documents)
