"""``govcloud validate``'s outputs: the problems of a load and its verdict, as text or JSON."""

from __future__ import annotations

import json

from govcloud.i18n import Lang, t, tn
from govcloud.ledger import LoadResult
from govcloud.registry import OutputFormat, output_formats


def problems_text(result: LoadResult, lang: Lang) -> str:
    """Each problem on its line (file, position, code, message and hint), then how many errors
    and warnings there are; nothing when there are none."""
    lines = [problem.render(lang) for problem in result.problems]
    if result.errors or result.warnings:
        errors = tn("count.errors", len(result.errors), lang)
        warnings = tn("count.warnings", len(result.warnings), lang)
        lines.append(t("validate.failed", lang, errors=errors, warnings=warnings))
    return "".join(f"{line}\n" for line in lines)


def text(result: LoadResult, lang: Lang) -> str:
    """The problems, then, when the ledger can be used, how many files and entries it has."""
    out = problems_text(result, lang)
    if result.ledger is not None:
        entities = tn("count.entries", sum(1 for _ in result.ledger.entities()), lang)
        out += (
            t("validate.ok", lang, files=tn("count.files", len(result.files), lang), entities=entities) + "\n"
        )
    return out


def to_json(result: LoadResult, lang: Lang) -> str:
    payload = {
        "valid": result.ok,
        "files": result.files,
        "problems": [p.to_json(lang) for p in result.problems],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


#: ``govcloud validate --format``
FORMATS = output_formats(
    "validation output format",
    OutputFormat[LoadResult]("text", text),
    OutputFormat[LoadResult]("json", to_json),
)
