"""Problems found in input: where they are, what is wrong, and how to fix it, in zh and en."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from govcloud.i18n import Lang, t
from govcloud.safeio import terminal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem with the input.

    ``code`` names a message in :mod:`govcloud.i18n`; ``params`` fill it.  Reports list
    problems by :meth:`sort_key`, in file order.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    code: str
    severity: Severity = "error"
    params: tuple[tuple[str, str], ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.path, self.code)

    def message(self, lang: Lang) -> str:
        return t(self.code, lang, **self._params(lang)).rstrip()

    def hint(self, lang: Lang) -> str:
        return t(f"{self.code}.hint", lang, **self._params(lang)).rstrip()

    def _params(self, lang: Lang) -> dict[str, str]:
        values = dict(self.params)
        # a few parameters are codes of words that are themselves translated
        for key in ("kind", "expected", "found", "suggestion"):
            if key in values and values[key].startswith(("kind.", "type.", "pattern.")):
                values[key] = t(values[key], lang)
        if "suggestion" in values:
            values["suggestion"] = (
                t("did-you-mean", lang, value=values["suggestion"]) if values["suggestion"] else ""
            )
        else:
            values["suggestion"] = ""
        if "detail" in values and values["detail"].startswith(("pattern.", "other.", "encoding.")):
            values["detail"] = t(values["detail"], lang, **values)
        return values

    def place(self) -> str:
        """``file:line:column`` as far as known."""
        out = self.file or "-"
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def render(self, lang: Lang) -> str:
        """One problem as compilers print them, so editors can jump to it."""
        where = f" {self.path}:" if self.path else ""
        severity = t(f"severity.{self.severity}", lang)
        # file names, paths and parameters come from the input: escape what a terminal acts on
        return terminal(
            f"{self.place()}: {severity} [{self.code}]{where} {self.message(lang)}\n    → {self.hint(lang)}"
        )

    def to_json(self, lang: Lang) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
            "hint": self.hint(lang),
        }


def make(
    code: str,
    *,
    file: str = "",
    line: int | None = None,
    column: int | None = None,
    path: str = "",
    severity: Severity = "error",
    **params: object,
) -> Problem:
    """A problem with its parameters stringified (so problems stay hashable and sortable)."""
    return Problem(
        file=file,
        line=line,
        column=column,
        path=path,
        code=code,
        severity=severity,
        params=tuple(sorted((k, str(v)) for k, v in params.items())),
    )
