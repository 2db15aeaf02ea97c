"""Finding and reading the files of a ledger.

A ledger is a directory of YAML files (one per department plus region-level files) or a single
file.  Problems are collected as :class:`Finding` values that carry a path inside the file;
their line and column are looked up only when the problems are reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcloud.ledger.model import format_path
from govcloud.ledger.yamlio import Locator, YamlProblem, decode, read_file_with_lines
from govcloud.problems import Problem, Severity, make

YAML_SUFFIXES = (".yaml", ".yml")

Path_ = tuple[str | int, ...]


@dataclass
class Finding:
    """A problem before its position is looked up."""

    file: str
    path: Path_
    code: str
    severity: Severity = "error"
    params: dict[str, object] = field(default_factory=dict)
    at_key: bool = False
    line: int | None = None
    column: int | None = None


@dataclass
class LedgerFile:
    """One file of a ledger: its name as shown to people, and its content once read."""

    name: str
    path: Path
    document: dict[str, Any] | None = None
    #: the name relative to the ledger's root (:func:`relative_name`), what outputs show
    relative: str = ""
    #: the line each top-level value and each entity starts on (:func:`read_file_with_lines`)
    lines: dict[Path_, int] = field(default_factory=dict)


def relative_name(file: str, root: Path) -> str:
    """``file`` as a POSIX path relative to the inventory ``root`` (a one-file ledger: its
    name), so that outputs do not depend on where the inventory sits; unchanged when outside."""
    base = root.resolve()
    if base.is_file():
        base = base.parent
    try:
        return Path(file).resolve().relative_to(base).as_posix()
    except ValueError:
        return file


def discover(root: Path) -> tuple[list[LedgerFile], list[Finding]]:
    """The ledger files under ``root`` in a stable order, and problems with the set of files.

    Hidden files and directories are skipped; links that lead outside ``root`` are refused.
    """
    if not root.exists():
        return [], [Finding(str(root), (), "path-missing", params={"where": str(root)})]
    if root.is_file():
        return [LedgerFile(str(root), root, relative=relative_name(str(root), root))], []
    real_root = root.resolve()
    found: list[LedgerFile] = []
    problems: list[Finding] = []
    for path in _walk(root):
        name = str(path)
        if not _inside(path, real_root):
            problems.append(Finding(name, (), "outside-root", params={"detail": _target(path)}))
            continue
        if path.is_dir():
            continue  # a linked folder inside the ledger: its files are walked where they are
        found.append(LedgerFile(name, path, relative=relative_name(name, root)))
    if not found and not problems:
        problems.append(Finding(str(root), (), "no-files", params={"where": str(root)}))
    return found, problems


def _walk(root: Path) -> Iterator[Path]:
    entries: list[tuple[str, Path]] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in dirnames:  # a linked folder is not walked; one leading outside is refused
            linked = Path(directory) / name
            if linked.is_symlink():
                entries.append((linked.relative_to(root).as_posix(), linked))
        for filename in filenames:
            if filename.startswith(".") or not filename.endswith(YAML_SUFFIXES):
                continue
            path = Path(directory) / filename
            entries.append((path.relative_to(root).as_posix(), path))
    for _, path in sorted(entries):
        yield path


def _target(path: Path) -> str:
    """Where a link leads, for the message (a loop leads nowhere)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return f"{path} (a link that loops)"


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False
    return True


def read(ledger_file: LedgerFile) -> list[Finding]:
    """Read one file into ``ledger_file.document``; the problems that stopped it, if any."""
    name = ledger_file.name
    try:
        value, lines = read_file_with_lines(ledger_file.path)
    except YamlProblem as exc:
        params: dict[str, object] = {"detail": exc.detail}
        return [Finding(name, exc.path, exc.code, params=params, line=exc.line, column=exc.column)]
    except OSError as exc:
        return [Finding(name, (), "file-unreadable", params={"detail": exc.strerror or str(exc)})]
    if value is None:
        return [Finding(name, (), "empty-file", severity="warning")]
    if not isinstance(value, dict):
        return [Finding(name, (), "not-a-mapping")]
    ledger_file.document = value
    ledger_file.lines = lines
    return []


def finalise(findings: list[Finding], files: list[LedgerFile]) -> list[Problem]:
    """Problems with their line and column, each file composed at most once, in file order."""
    by_name = {f.name: f for f in files}
    locators: dict[str, Locator | None] = {}
    problems: list[Problem] = []
    for finding in findings:
        line, column = finding.line, finding.column
        if line is None and (finding.path or finding.code == "not-a-mapping"):
            locator = locators.get(finding.file)
            if finding.file not in locators:
                locator = _locator(by_name.get(finding.file))
                locators[finding.file] = locator
            position = locator.position(finding.path, key=finding.at_key) if locator else None
            if position:
                line, column = position
        problems.append(
            make(
                finding.code,
                file=finding.file,
                line=line,
                column=column,
                path=_dotted(finding.path),
                severity=finding.severity,
                **finding.params,
            )
        )
    return sorted(set(problems), key=Problem.sort_key)


def _locator(ledger_file: LedgerFile | None) -> Locator | None:
    if ledger_file is None:
        return None
    try:
        return Locator(decode(ledger_file.path.read_bytes()))
    except (OSError, YamlProblem):
        return None


def _dotted(path: Path_) -> str:
    return format_path(path)
