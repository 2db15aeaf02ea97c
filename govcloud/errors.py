"""One base for the errors that stop a command, and the one place exit codes are decided.

Every error a command reports and exits on derives from :class:`GovcloudError`: it carries a
message ``code`` (an id of the catalogues) with its ``params`` where it has one, and the
``kind`` of file it concerns.  The kind decides the exit code (docs/hostile-input.md states
the rule): 1 for problems in the inventory or in anything ``govcloud import`` reads, 2 for a
settings file, a document read back, an output that cannot be written, and usage errors.
"""

from __future__ import annotations

from typing import Literal

from govcloud.i18n import Lang, t

#: the kinds of file an error can concern
FileKind = Literal[
    "inventory",  # the ledger's YAML
    "import",  # a source file of govcloud import (CSV, xlsx, xls, an intake form)
    "netbox",  # a NetBox dump, REST export or CSV
    "rvtools",  # an RVTools export
    "thresholds",  # --config
    "scenario",  # --scenario
    "waivers",  # --waivers
    "mapping",  # --mapping
    "stacks",  # a folder of emitted stacks read back (--stacks, stacks diff)
    "plan",  # a plan.json read back (diff, status --plan)
    "report",  # the outputs govcloud report reads back
    "bundle",  # an evidence bundle
    "output",  # where outputs go
    "usage",  # the command line itself
]

EXIT_OK = 0
#: the inventory or an imported source has errors (or a check found what it gates on)
EXIT_INPUT = 1
#: a settings file, a document read back or the command line cannot be used
EXIT_USAGE = 2

#: the one place exit codes are decided, by the kind of file
EXIT_CODES: dict[FileKind, int] = {
    "inventory": EXIT_INPUT,
    "import": EXIT_INPUT,
    "netbox": EXIT_INPUT,
    "rvtools": EXIT_INPUT,
    "thresholds": EXIT_USAGE,
    "scenario": EXIT_USAGE,
    "waivers": EXIT_USAGE,
    "mapping": EXIT_USAGE,
    "stacks": EXIT_USAGE,
    "plan": EXIT_USAGE,
    "report": EXIT_USAGE,
    "bundle": EXIT_USAGE,
    "output": EXIT_USAGE,
    "usage": EXIT_USAGE,
}


def exit_code(kind: FileKind) -> int:
    """The exit code of an error concerning a file of ``kind``."""
    return EXIT_CODES[kind]


class GovcloudError(Exception):
    """An error that stops a command: a message ``code`` with ``params`` (when it has one),
    the ``kind`` of file it concerns and, from that, its exit code.

    Subclasses set ``kind`` for their file; a caller that knows better (the same settings
    reader serves thresholds, scenarios and mappings) passes ``kind=`` or calls
    :meth:`concerning`.
    """

    kind: FileKind = "usage"
    code: str = ""
    params: dict[str, object] = {}  # noqa: RUF012 - read-only default; instances get their own

    def __init__(
        self, *args: object, kind: FileKind | None = None, code: str | None = None, **params: object
    ):
        super().__init__(*args)
        if kind is not None:
            self.kind = kind
        if code is not None:
            self.code = code
        if params:
            self.params = params

    @property
    def exit_code(self) -> int:
        return exit_code(self.kind)

    def concerning(self, kind: FileKind) -> GovcloudError:
        """This error, as concerning a file of ``kind``."""
        self.kind = kind
        return self

    def render(self, lang: Lang) -> str:
        """What is wrong, in ``lang``: the error's message where it has a code, else its text."""
        return t(self.code, lang, **self.params) if self.code else str(self)

    def invalid(self, lang: Lang, detail: str) -> str:
        """``invalid <kind of file>: detail`` in ``lang``."""
        return t(f"invalid.{self.kind}", lang, detail=detail)
