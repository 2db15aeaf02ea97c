"""Problems found in input: where they are, what is wrong, and how to fix it, in zh and en."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from govcloud.errors import GovcloudError
from govcloud.i18n import Lang, join_list, t
from govcloud.safeio import UnsafeInput, terminal

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
    #: parameters that are lists (also in ``params``, joined with ``, ``), written as a list of
    #: the reader's language when rendered (``a, b`` / ``a、b``)
    lists: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.path, self.code)

    def message(self, lang: Lang) -> str:
        return t(self.code, lang, **self._params(lang)).rstrip()

    def hint(self, lang: Lang) -> str:
        return t(f"{self.code}.hint", lang, **self._params(lang)).rstrip()

    def _params(self, lang: Lang) -> dict[str, str]:
        values = dict(self.params)
        values.update((key, join_list(items, lang)) for key, items in self.lists)
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
        elif "detail" in values and values["detail"].startswith((_SAFEIO, _MESSAGE)):
            values["detail"] = _render_detail(values, lang)
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


#: how :func:`detail` marks a detail that is an error of its own, rendered in the reader's
#: language: ``safeio:<code>`` (a refusal of :mod:`govcloud.safeio`, with its hint) or
#: ``message:<id>``, its parameters as ``detail.<name>``
_SAFEIO, _MESSAGE, _PARAM = "safeio:", "message:", "detail."


def _detail(exc: BaseException) -> dict[str, str]:
    """The parameters that pass ``exc`` as a problem's ``detail``: its message code and
    parameters where it has them (a refusal of :mod:`govcloud.safeio`, itself or as the cause,
    or a :class:`GovcloudError` with a code), so the problem reads in either language;
    otherwise its text."""
    cause: BaseException | None = exc
    for _ in range(4):  # the refusal itself, or what it was raised from (or during)
        if cause is None or isinstance(cause, UnsafeInput):
            break
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, UnsafeInput):
        code, params, mark = cause.code, cause.params, _SAFEIO
    elif isinstance(exc, GovcloudError) and exc.code:
        code, params, mark = exc.code, exc.params, _MESSAGE
    else:
        return {"detail": str(exc)}
    return {"detail": mark + code, **{_PARAM + k: str(v) for k, v in params.items()}}


def coded_detail(code: str, **params: object) -> dict[str, str]:
    """The parameters that give a problem the message ``code`` with ``params`` as its
    ``detail``, rendered in the reader's language (for a detail that is no exception)."""
    return {"detail": _MESSAGE + code, **{_PARAM + k: str(v) for k, v in params.items()}}


def _render_detail(values: dict[str, str], lang: Lang) -> str:
    params = {k.removeprefix(_PARAM): v for k, v in values.items() if k.startswith(_PARAM)}
    mark, _, code = values["detail"].partition(":")
    if mark + ":" == _SAFEIO:
        return UnsafeInput(code, **params).render(lang)
    return t(code, lang, **params)


def _text(value: object) -> str:
    """A parameter as text; a list as its items joined with ``, `` (its form in the data, what
    :meth:`Problem.message` replaces with the list of the reader's language)."""
    return ", ".join(str(i) for i in value) if isinstance(value, list | tuple) else str(value)


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
    """A problem with its parameters stringified (so problems stay hashable and sortable).

    ``detail`` may be an exception: its message code and parameters are kept (see
    :func:`_detail`), so the detail is rendered in the reader's language.  A parameter given
    as a list or tuple is joined in the reader's language when rendered."""
    error = params.get("detail")
    if isinstance(error, BaseException):
        params = {**{k: v for k, v in params.items() if k != "detail"}, **_detail(error)}
    return Problem(
        file=file,
        line=line,
        column=column,
        path=path,
        code=code,
        severity=severity,
        params=tuple(sorted((k, _text(v)) for k, v in params.items())),
        lists=tuple(
            sorted((k, tuple(str(i) for i in v)) for k, v in params.items() if isinstance(v, list | tuple))
        ),
    )
