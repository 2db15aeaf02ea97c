"""Writing outputs so that a reader never sees a half-written file.

Each file is written to a temporary file in the same directory, flushed to disk and renamed
over the target: the rename is atomic, so an interrupted run leaves the previous output intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` atomically (text is written as UTF-8, ``\\n`` newlines)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """:func:`write_atomic` unless ``path`` already holds exactly ``data``; True when written.

    A re-run that changes nothing then costs a read instead of a write and an fsync per file
    (a plan at 100k servers writes thousands), and leaves the files' times alone."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.stat().st_size == len(payload) and path.read_bytes() == payload:
            return False
    except OSError:
        pass  # missing or unreadable: write it (and let that report a real problem)
    write_atomic(path, payload)
    return True


def _mode_for(path: Path) -> int:
    """The existing file's mode, or what a plain ``open()`` would give (mkstemp's is 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def json_text(value: Any) -> str:
    """Canonical JSON text of an output: sorted keys, UTF-8 kept readable, trailing newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
