"""A warm cache of what a run computed, keyed by the content of everything it read.

A key is a SHA-256 over length-prefixed parts, so no two different inputs can share one:

- :func:`inputs_digest`: every ledger file as :func:`govcloud.ledger.files.discover` finds it
  (name as shown in messages, path relative to the ledger's root, bytes);
- :func:`code_digest`: govcloud's version and the bytes of every file of the package, so any
  code change (or an upgrade) invalidates every entry;
- whatever else the cached stage depends on (thresholds, scenario, language, baseline
  rules), added by the caller with :func:`digest`.

Entries are pickles written atomically (temporary file in the same folder, then rename) with a
SHA-256 of the payload in front, so a truncated, corrupt or foreign entry is detected, removed
and rebuilt — never a traceback.  A run's entry carries its outputs' bytes after the pickle
(:meth:`Cache.put` with ``files``: copied from the files just written, piece by piece), and a
warm run reads them back as slices of the entry (:meth:`Cache.get_with_files`), so neither
holds a run's outputs (about 1 GB at 100k servers) in memory.  The cache is optional: a folder that cannot be created,
read or written, or that other users could write to (pickles are code), turns it off.  Its
size is bounded: after each write the least recently used entries beyond
:data:`MAX_ENTRIES` or :data:`MAX_BYTES` are removed.

Besides whole runs, the cache keeps each ledger file loaded on its own (:class:`FileParts`,
in the folder's ``files/`` subfolder, with bounds of its own): editing one department's file
re-plans without reading and checking the others again.  A file's entry is keyed by its name
as shown in messages, its bytes and :func:`code_digest` (the schema and the checks are part of
the code); loading a file depends on nothing else — thresholds, scenarios, baseline rules and
the language come after the ledger is assembled, and the checks across files run on the
assembled ledger every time.

The folder is ``$GOVCLOUD_CACHE_DIR``, else ``$XDG_CACHE_HOME/govcloud``, else
``~/.cache/govcloud``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import tempfile
import time
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from govcloud import __version__
from govcloud.ledger.files import discover
from govcloud.ledger.loader import FilePart, collector_paused
from govcloud.outputs import Slice

T = TypeVar("T")

ENV_DIR = "GOVCLOUD_CACHE_DIR"
#: entries kept at most (a ledger and a run per input; a few inputs and scenarios)
MAX_ENTRIES = 16
#: bytes kept at most (a 100k-server run and its ledger take a few hundred MB)
MAX_BYTES = 2 * 1024**3
#: temporary files older than this are left over from an interrupted write
STALE_TMP_SECONDS = 3600

#: per-file entries kept at most (a province has tens to a few hundred files; a few versions)
MAX_FILE_ENTRIES = 4096
#: per-file bytes kept at most (every file of a 100k-server ledger takes a few hundred MB)
MAX_FILE_BYTES = 1024**3
#: the subfolder of per-file entries
FILES_DIR = "files"

_MAGIC = b"govcloud-cache 2\n"
_SUFFIX = ".entry"
_PACKAGE = Path(__file__).resolve().parent


def default_dir() -> Path:
    """Where the cache lives: ``$GOVCLOUD_CACHE_DIR``, ``$XDG_CACHE_HOME/govcloud`` or
    ``~/.cache/govcloud``."""
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "govcloud"


def digest(*parts: str | bytes) -> str:
    """SHA-256 (hex) of ``parts``, each prefixed by its length so parts cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def tree_digest(root: Path, *, skip_dirs: tuple[str, ...] = ("__pycache__",)) -> str:
    """SHA-256 over every file under ``root``: its relative path and bytes, in sorted order."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not set(p.parts) & set(skip_dirs)):
        rel = path.relative_to(root).as_posix().encode("utf-8")
        data = path.read_bytes()
        h.update(len(rel).to_bytes(8, "big") + rel + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """govcloud's version and every file of the package (sources, schemas, templates)."""
    return digest("govcloud", __version__, tree_digest(_PACKAGE))


def inputs_digest(root: Path) -> str | None:
    """The content of the ledger at ``root`` (a directory or one file), or None when its files
    cannot all be read (then the loader reports why, and nothing is cached)."""
    files, findings = discover(root)
    if findings or not files:
        return None
    h = hashlib.sha256()
    base = root if root.is_dir() else root.parent
    try:
        for ledger_file in files:
            if not stat.S_ISREG(ledger_file.path.stat().st_mode):
                return None  # a FIFO or a device would block: the loader refuses it
            data = ledger_file.path.read_bytes()
            rel = ledger_file.path.relative_to(base).as_posix()
            for part in (ledger_file.name.encode("utf-8"), rel.encode("utf-8"), data):
                h.update(len(part).to_bytes(8, "big"))
                h.update(part)
    except (OSError, ValueError):
        return None
    return h.hexdigest()


class Cache:
    """Entries in one folder, looked up by key (see the module's docstring)."""

    def __init__(
        self,
        root: Path,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        parent: Cache | None = None,
    ) -> None:
        self.root = root
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        #: a subfolder's cache is used only when its parent's folder is usable too
        self.parent = parent

    def sub(self, name: str, max_entries: int, max_bytes: int) -> Cache:
        """A cache in the subfolder ``name``, with bounds of its own."""
        return Cache(self.root / name, max_entries, max_bytes, parent=self)

    @classmethod
    def default(cls) -> Cache:
        return cls(default_dir())

    def path(self, key: str) -> Path:
        return self.root / f"{key}{_SUFFIX}"

    def get(self, key: str, kind: type[T]) -> T | None:
        """The value stored under ``key`` when it is a ``kind``; None for a miss.  An entry
        that cannot be read back is removed."""
        if not self._usable(create=False):
            return None
        path = self.path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        value = _decode(blob)
        if not isinstance(value, kind):
            self._remove(path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # the entry was used: evicted last
        return value

    def get_with_files(self, key: str, kind: type[T]) -> tuple[T, dict[str, Slice]] | None:
        """The value stored under ``key`` with the files stored beside it, by name, as slices
        of the entry read when they are written (:class:`~govcloud.outputs.Slice`: a warm run
        does not hold a whole run's outputs in memory); None for a miss.  The whole entry is
        checked against its checksum first, piece by piece."""
        if not self._usable(create=False):
            return None
        path = self.path(key)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - kept open by the slices
        except OSError:
            return None
        try:
            entry = _read_entry(handle)
        except OSError:
            entry = None
        if entry is None or not isinstance(entry[0], kind):
            handle.close()
            self._remove(path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        value, sizes, offset = entry
        files: dict[str, Slice] = {}
        for name, size in sizes:
            files[name] = Slice(handle, offset, size)
            offset += size
        return value, files

    def put(self, key: str, value: Any, files: list[tuple[str, Path]] | None = None) -> bool:
        """Store ``value`` under ``key``, and the bytes of ``files`` (name, path) after it,
        copied from disk piece by piece (never all in memory); False when the cache cannot be
        written or a file cannot be read (no error)."""
        if not self._usable(create=True):
            return False
        try:
            sources = [(path, path.stat().st_size) for _, path in files or []]
            sizes = [(name, size) for (name, _), (_, size) in zip(files or [], sources, strict=True)]
            with collector_paused():
                payload = pickle.dumps((value, sizes), protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            return False
        except Exception:  # something that cannot be pickled: run without the cache
            return False
        try:
            _write_entry(self.path(key), payload, sources)
        except OSError:
            return False
        self.evict()
        return True

    def evict(self) -> None:
        """Remove the least recently used entries beyond the limits, and stale temporary files;
        the newest entry is always kept."""
        entries: list[tuple[float, int, Path]] = []
        now = time.time()
        try:
            listing = list(self.root.iterdir())
        except OSError:
            return
        for path in listing:
            try:
                info = path.stat()
            except OSError:
                continue
            if path.name.endswith(_SUFFIX):
                entries.append((info.st_mtime, info.st_size, path))
            elif path.name.endswith(".tmp") and now - info.st_mtime > STALE_TMP_SECONDS:
                self._remove(path)
        entries.sort(key=lambda e: (e[0], e[2].name), reverse=True)
        total = 0
        for i, (_, size, path) in enumerate(entries):
            total += size
            if i > 0 and (i >= self.max_entries or total > self.max_bytes):
                self._remove(path)

    def clear(self) -> None:
        """Remove every entry (the per-file entries of a subfolder too)."""
        for path in self.root.glob(f"*{_SUFFIX}"):
            self._remove(path)
        for path in self.root.glob(f"*/*{_SUFFIX}"):
            self._remove(path)

    def _usable(self, *, create: bool) -> bool:
        """The folder exists (or was made, private to this user) and only its owner can write
        it: a pickle is code, so a folder others can write to is never read."""
        if self.parent is not None and not self.parent._usable(create=create):
            return False
        try:
            if create:
                self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            info = self.root.stat()
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode):
            return False
        getuid = getattr(os, "getuid", None)
        if getuid is None:  # pragma: no cover - Windows: the profile folder is private already
            return True
        return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


class FileParts:
    """Ledger files loaded on their own (:class:`govcloud.ledger.loader.FilePart`), kept in
    ``cache``'s ``files/`` subfolder under a key of the file's name, bytes and the code."""

    def __init__(self, cache: Cache) -> None:
        self.store = cache.sub(FILES_DIR, MAX_FILE_ENTRIES, MAX_FILE_BYTES)
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(name: str, data: bytes) -> str:
        return digest("file", code_digest(), name, data)

    def get(self, name: str, data: bytes) -> FilePart | None:
        part = self.store.get(self.key(name, data), FilePart)
        if part is None:
            self.misses += 1
        else:
            self.hits += 1
        return part

    def put(self, name: str, data: bytes, part: FilePart) -> None:
        self.store.put(self.key(name, data), part)


def _decode(blob: bytes) -> Any:
    """The value in an entry, or None when it is truncated, corrupt or not an entry at all."""
    entry = _decode_entry(blob)
    return None if entry is None else entry[0]


#: an entry: magic, SHA-256 of the rest, the pickle's length (8 bytes), the pickle of
#: (value, [(file name, size)]), then the files' bytes one after the other
_HEAD = len(_MAGIC) + hashlib.sha256().digest_size
#: bytes copied or checked at a time
_PIECE = 1 << 20


def _decode_entry(blob: bytes) -> tuple[Any, dict[str, memoryview]] | None:
    if len(blob) < _HEAD + 8 or not blob.startswith(_MAGIC):
        return None
    rest = memoryview(blob)[_HEAD:]  # no copy of a few hundred MB
    if hashlib.sha256(rest).digest() != blob[len(_MAGIC) : _HEAD]:
        return None
    length = int.from_bytes(rest[:8], "big")
    try:
        with collector_paused():
            value, sizes = pickle.loads(rest[8 : 8 + length])  # noqa: S301 - our own entries, checksummed, in a private folder
        files: dict[str, memoryview] = {}
        offset = 8 + length
        for name, size in sizes:
            files[name] = rest[offset : offset + size]
            offset += size
    except Exception:  # an entry of code that has since changed; rebuilt by the caller
        return None
    if offset != len(rest):
        return None
    return value, files


def _read_entry(handle: BinaryIO) -> tuple[Any, list[tuple[str, int]], int] | None:
    """The value of the entry open in ``handle``, its files' names and sizes and where their
    bytes start; None when the entry is truncated, corrupt or not an entry at all."""
    head = handle.read(_HEAD + 8)
    if len(head) < _HEAD + 8 or not head.startswith(_MAGIC):
        return None
    h = hashlib.sha256(head[_HEAD:])
    length = int.from_bytes(head[_HEAD:], "big")
    payload = handle.read(length)
    h.update(payload)
    rest = 0
    while piece := handle.read(_PIECE):
        h.update(piece)
        rest += len(piece)
    if len(payload) != length or h.digest() != head[len(_MAGIC) : _HEAD]:
        return None
    try:
        with collector_paused():
            value, sizes = pickle.loads(payload)  # noqa: S301 - our own entries, checksummed, in a private folder
    except Exception:  # an entry of code that has since changed; rebuilt by the caller
        return None
    if sum(size for _, size in sizes) != rest:
        return None
    return value, sizes, _HEAD + 8 + length


def _write_entry(path: Path, payload: bytes, files: list[tuple[Path, int]]) -> None:
    """``govcloud.outputs.write_atomic``'s pattern, private (0600) and without fsync: an entry
    lost in a crash is a miss, and a torn one fails its checksum.  The parts are written one
    after the other, not joined into one more copy first; the files are copied piece by
    piece and the checksum, summed on the way, written last in its place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            h = hashlib.sha256()
            handle.write(_MAGIC + bytes(h.digest_size))
            for part in (len(payload).to_bytes(8, "big"), payload):
                h.update(part)
                handle.write(part)
            for source, size in files:
                with open(source, "rb") as reader:
                    left = size
                    while left:
                        piece = reader.read(min(left, _PIECE))
                        if not piece:
                            raise OSError(f"{source}: shorter than when it was written")
                        h.update(piece)
                        handle.write(piece)
                        left -= len(piece)
            handle.seek(len(_MAGIC))
            handle.write(h.digest())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
