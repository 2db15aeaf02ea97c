"""Helpers shared by the ledger tests: a private copy of the mini ledger, writing and editing
its files, finding where a token sits in a text, and checking how a problem renders."""

from __future__ import annotations

import re
import shutil
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.i18n import LANGS, MESSAGES
from govcloud.ledger import LoadResult
from govcloud.problems import Problem

MINI: Path = Path(__file__).resolve().parents[1] / "fixtures" / "mini"

#: a placeholder left unfilled by str.format, e.g. ``{field}``
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")

#: the smallest region a ledger needs, for tests that do not start from the mini ledger
REGION = 'version: 1\nregion: {id: r, name: 测试省, region_code: "990000", as_of: "2026-06-30"}\n'


def copy_mini(tmp_path: Path, name: str = "ledger") -> Path:
    """A private copy of ``tests/fixtures/mini`` under ``tmp_path`` that a test may change."""
    target = tmp_path / name
    shutil.copytree(MINI, target)
    return target


def write(root: Path, relative: str, content: str | bytes) -> Path:
    """Write ``content`` (UTF-8 when text) to ``root / relative``, creating folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def edit(root: Path, relative: str, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` by ``new`` in a file (``old`` must occur exactly ``count`` times);
    returns the new text."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {relative}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def locate(text: str, token: str, *, nth: int = 1, after: str = "") -> tuple[int, int]:
    """1-based ``(line, column)`` of the ``nth`` occurrence of ``token`` in ``text``.

    With ``after``, the search starts at the end of the first occurrence of that anchor, so a
    token that occurs more than once can be told apart by what comes before it.  Columns count
    characters (as editors and YAML parsers do), not bytes.
    """
    start = 0
    if after:
        anchor = text.index(after)
        start = anchor + len(after)
    index = start - 1
    for _ in range(nth):
        index = text.find(token, index + 1)
        assert index >= 0, f"{token!r} (occurrence {nth}) not found"
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def with_code(result: LoadResult, code: str) -> list[Problem]:
    """The problems of ``result`` that have ``code``."""
    return [p for p in result.problems if p.code == code]


def only(result: LoadResult, code: str) -> Problem:
    """The single problem with ``code`` (fails listing every problem when there is not one)."""
    found = with_code(result, code)
    assert len(found) == 1, [p.render("en") for p in result.problems]
    return found[0]


def assert_renders(problem: Problem) -> None:
    """The problem's message and hint render in every language with every placeholder filled."""
    assert problem.code in MESSAGES, problem.code
    assert f"{problem.code}.hint" in MESSAGES, problem.code
    for lang in LANGS:
        for text in (problem.message(lang), problem.hint(lang), problem.render(lang)):
            assert text.strip(), (problem.code, lang)
            assert not PLACEHOLDER.search(text), text
        as_json = problem.to_json(lang)
        assert as_json["message"] == problem.message(lang)
        assert as_json["hint"] == problem.hint(lang)
    # the two languages differ: the message was really translated, not echoed
    assert problem.hint("zh") != problem.hint("en")


@dataclass(frozen=True)
class CliOutcome:
    """What a command printed and how it ended; ``crash`` holds any traceback text."""

    exit_code: int
    stdout: str
    stderr: str
    crash: str

    @property
    def everything(self) -> str:
        return self.stdout + self.stderr + self.crash


def run_cli(args: Sequence[str]) -> CliOutcome:
    """Run ``govcloud ARGS`` in-process.

    CliRunner swallows exceptions (and gives exit code 1 for them, like a real error), so any
    exception other than SystemExit is turned back into the traceback a user would see.
    """
    result = CliRunner().invoke(cli, list(args))
    crash = ""
    if (
        result.exc_info is not None
        and result.exception is not None
        and not isinstance(result.exception, SystemExit)
    ):
        crash = "".join(traceback.format_exception(*result.exc_info))
    return CliOutcome(result.exit_code, result.stdout, result.stderr, crash)
