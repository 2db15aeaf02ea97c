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
and rebuilt — never a traceback.  A run's outputs (about 700 MB at 100k servers) are not in
its entry: they are kept once each by the SHA-256 of their bytes (:class:`Blobs`, in the
folder's ``outputs/`` subfolder, with a bound of its own), hashed as they are staged and kept
by whichever process staged them (a hard link of the output file where it can, else a copy),
and the run's entry lists them (:class:`Manifest`) with what each written file looked like on
disk (:func:`signature`), so a warm re-run copies only the outputs that are missing or were
changed since, and checks each copy against its digest.
The cache is optional: a folder that cannot be created,
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
import errno
import functools
import hashlib
import os
import pickle
import stat
import tempfile
import time
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from govcloud import __version__
from govcloud.ledger.files import discover
from govcloud.ledger.loader import FilePart, collector_paused
from govcloud.outputs import PIECE, Digest

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

_MAGIC = b"govcloud-cache 3\n"
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

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (not read: it may not be readable)."""
        return self._usable(create=False) and self.path(key).is_file()

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

    def put(self, key: str, value: Any) -> bool:
        """Store ``value`` under ``key``; False when the cache cannot be written (no error)."""
        if not self._usable(create=True):
            return False
        try:
            with collector_paused():
                payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something that cannot be pickled: run without the cache
            return False
        try:
            _write_entry(self.path(key), payload)
        except OSError:
            return False
        self.evict()
        return True

    def drop(self, key: str) -> None:
        """Remove the entry under ``key`` (it was found wanting)."""
        self._remove(self.path(key))

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
        """Remove every entry (those of the subfolders too) and every output kept."""
        for path in self.root.glob(f"*{_SUFFIX}"):
            self._remove(path)
        for path in self.root.glob(f"*/*{_SUFFIX}"):
            self._remove(path)
        for path in self.root.glob(f"{OUTPUTS_DIR}/*"):
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

    def has(self, name: str, data: bytes) -> bool:
        """Whether a part of the file may be kept (its entry exists; it may still not be
        readable); a miss when not."""
        found = self.store.has(self.key(name, data))
        if not found:
            self.misses += 1
        return found

    def get(self, name: str, data: bytes) -> FilePart | None:
        part = self.store.get(self.key(name, data), FilePart)
        if part is None:
            self.misses += 1
        else:
            self.hits += 1
        return part

    def put(self, name: str, data: bytes, part: FilePart) -> None:
        self.store.put(self.key(name, data), part)


#: an entry: magic, SHA-256 of the pickle, the pickle
_HEAD = len(_MAGIC) + hashlib.sha256().digest_size


def _decode(blob: bytes) -> Any:
    """The value in an entry, or None when it is truncated, corrupt or not an entry at all."""
    if len(blob) < _HEAD or not blob.startswith(_MAGIC):
        return None
    payload = memoryview(blob)[_HEAD:]
    if hashlib.sha256(payload).digest() != blob[len(_MAGIC) : _HEAD]:
        return None
    try:
        with collector_paused():
            return pickle.loads(payload)  # noqa: S301 - our own entries, checksummed, in a private folder
    except Exception:  # an entry of code that has since changed; rebuilt by the caller
        return None


def _write_entry(path: Path, payload: bytes) -> None:
    """``govcloud.outputs.write_atomic``'s pattern, private (0600) and without fsync: an entry
    lost in a crash is a miss, and a torn one fails its checksum."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in (_MAGIC, hashlib.sha256(payload).digest(), payload):
                handle.write(part)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---- a run's outputs, kept once each by their digest


#: what a file looked like on disk: size, mtime and ctime (ns), inode and device.  A file
#: whose signature is still the one it had right after a run wrote it holds what that run
#: wrote: a write in place changes its times, a replacement its inode.
Signature = tuple[int, int, int, int, int]


def signature(path: str | Path) -> Signature | None:
    """The :data:`Signature` of ``path`` (a regular file), or None when it has none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


#: folders a run's entry remembers the signatures of its written files for (the latest ones)
MAX_FOLDERS = 4


@dataclass
class Manifest:
    """The outputs of a run: for each, by its path in the output folder, its size and the
    SHA-256 of its bytes (where :class:`Blobs` keeps them); and, for the last few output
    folders it was written into (by their resolved path), each file's :data:`Signature`
    right after it was written there."""

    files: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    seen: dict[str, dict[str, Signature]] = field(default_factory=dict)

    def trusted(self, folder: str) -> dict[str, Signature]:
        return self.seen.get(folder, {})

    def saw(self, folder: str, signatures: dict[str, Signature]) -> None:
        """Remember ``signatures`` for ``folder``, forgetting the folder seen longest ago."""
        self.seen.pop(folder, None)
        self.seen[folder] = signatures
        while len(self.seen) > MAX_FOLDERS:
            del self.seen[next(iter(self.seen))]


class BrokenBlob(OSError):
    """An output kept in the cache is missing or no longer holds the bytes of its digest."""


#: the subfolder of outputs kept by digest
OUTPUTS_DIR = "outputs"
#: bytes of outputs kept at most (a 100k-server run writes about 1 GB; runs share the outputs
#: they have in common); a kept output that is a hard link of an output file takes no room
#: of its own and is not counted
MAX_OUTPUT_BYTES = 4 * 1024**3
#: why a hard link cannot be made here, for good (the store on another file system, or one
#: without hard links): the outputs are copied instead
_NO_LINKS = frozenset(
    code for name in ("EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP") if (code := getattr(errno, name, None))
)


class Blobs:
    """Outputs kept once each under the SHA-256 of their bytes, in ``cache``'s ``outputs/``
    subfolder; the least recently kept are removed beyond ``max_bytes``.

    An output is kept as the run stages it (:meth:`hold`, a :data:`govcloud.outputs.Keeper`:
    the bytes and their digest are known then, nothing is read again), as a hard link of the
    output's file where the store's file system allows, else as a copy.  A hard link is the
    output file itself: a write in place into the output (an editor writing back into the
    same file, ``>>``) changes the kept bytes too.  That is safe because every kept output is
    checked against its digest as it is read (:meth:`pieces`: :class:`BrokenBlob`, then the
    run is computed again and keeps its own files).  This class never changes a file that is
    an output too (no ``utime``, no new or removed link: the output's ctime, and so its
    :func:`signature`, would change), except one found broken."""

    def __init__(self, cache: Cache, max_bytes: int = MAX_OUTPUT_BYTES) -> None:
        self.store = cache.sub(OUTPUTS_DIR, 0, max_bytes)
        #: False once a hard link into the store was refused for good (:data:`_NO_LINKS`)
        self.linking = True

    def path(self, digest: bytes) -> str:
        return os.path.join(self.store.root, digest.hex())

    def usable(self, *, create: bool) -> bool:
        return self.store._usable(create=create)

    def hold(self, source: str, digest: Digest) -> bool:
        """Keep the bytes of the file ``source`` (just staged, or an output that already held
        them), whose :class:`~govcloud.outputs.Digest` is ``digest``; False when the store
        cannot be written.  The store's file under that digest is made a hard link of
        ``source`` where it can (else a copy) when it is missing, not of that size, or a file
        of the store's own (one link: a copy, or an output since removed; then linking frees
        its room).  A store's file that is another output's too (more than one link) is left
        alone: replacing it would change that output's ctime, and so its signature.  Never a
        half-written file: each is made under a temporary name and renamed."""
        target = self.path(digest.sha256)
        try:
            kept: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            kept = None
        except OSError:
            return False
        whole = kept is not None and kept.st_size == digest.size
        if kept is not None and (kept.st_ino, kept.st_dev) == (digest.inode, digest.device):
            return True
        if whole and kept is not None and kept.st_nlink > 1:
            return True
        tmp = f"{target}.{os.getpid()}.tmp"
        try:
            if self.linking:
                try:
                    os.link(source, tmp)
                    os.replace(tmp, target)
                    return True
                except OSError as exc:  # copied instead (EMLINK: too many links to this file)
                    Path(tmp).unlink(missing_ok=True)
                    if exc.errno in _NO_LINKS:
                        self.linking = False
            if whole:  # a copy of the store's own: marked as used now
                os.utime(target)
            else:
                _copy(source, tmp, digest.size)
                os.replace(tmp, target)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            return False
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    def kept(
        self,
        folder: Path,
        names: list[str],
        digests: Mapping[str, Digest],
        held: Container[str],
        committed: int,
    ) -> Manifest | None:
        """The manifest of the files ``names`` of ``folder``, just written and kept as they
        were staged (``digests`` and ``held``, by path; see :meth:`hold`), with the signature
        each has now; None when one was not kept, or changed between being staged and now:
        another size, mtime, inode or device than when it was staged (a write in place, a
        replacement), or a ctime after ``committed`` (ns: when the run's last file was renamed
        into place; a rename and a hard link into the store, before it, change a file's ctime
        but not its bytes).  Nothing is read but the files' signatures."""
        manifest = Manifest()
        signatures: dict[str, Signature] = {}
        for name in names:
            path = os.path.join(folder, name)
            staged = digests.get(path)
            seen = signature(path)
            if staged is None or seen is None or path not in held:
                return None
            size, mtime, ctime, inode, device = seen
            if (size, mtime, inode, device) != (staged.size, staged.mtime, staged.inode, staged.device):
                return None
            if ctime > committed:
                return None
            manifest.files[name] = (staged.size, staged.sha256)
            signatures[name] = seen
        manifest.saw(str(folder.resolve()), signatures)
        return manifest

    def pieces(self, digest: bytes, size: int) -> Iterator[bytes]:
        """The bytes kept under ``digest``, piece by piece, checked as they are read: after
        the last piece, :class:`BrokenBlob` when they are not ``size`` bytes of that digest."""
        h = hashlib.sha256()
        done = 0
        try:
            with open(self.path(digest), "rb") as handle:
                while piece := handle.read(PIECE):
                    h.update(piece)
                    done += len(piece)
                    if done > size:
                        break
                    yield piece
        except OSError as exc:
            raise BrokenBlob(str(exc)) from exc
        if done != size or h.digest() != digest:
            with contextlib.suppress(OSError):
                os.unlink(self.path(digest))
            raise BrokenBlob(self.path(digest))

    def check(self, files: Iterable[tuple[int, bytes]]) -> None:
        """Read every output of ``files`` (size, digest) back and remove those that are not
        what their digest says, so that the next run keeps them again."""
        for size, digest in set(files):
            with contextlib.suppress(BrokenBlob):
                for _ in self.pieces(digest, size):
                    pass

    def evict(self, keep_since: float) -> None:
        """Remove the outputs kept longest ago while they take more than the bound, but none
        kept or used since ``keep_since`` (the run just kept).  A kept output that is a hard
        link of an output file (more than one link) takes no room of its own: it is neither
        counted nor removed (removing it would free nothing) until that output is gone."""
        found: list[tuple[float, int, str]] = []
        try:
            listing = list(os.scandir(self.store.root))
        except OSError:
            return
        now = time.time()
        for entry in listing:
            try:
                info = entry.stat()
            except OSError:
                continue
            if entry.name.endswith(".tmp"):
                if now - info.st_mtime > STALE_TMP_SECONDS:
                    Cache._remove(Path(entry.path))
                continue
            if info.st_nlink > 1:
                continue
            found.append((info.st_mtime, info.st_size, entry.path))
        total = sum(size for _, size, _ in found)
        for mtime, size, path in sorted(found):
            if total <= self.store.max_bytes or mtime >= keep_since:
                break
            Cache._remove(Path(path))
            total -= size


def _copy(source: str, target: str, size: int) -> None:
    """``size`` bytes of ``source`` into a new private file ``target``, in the kernel where it
    can (``copy_file_range``: no bytes through Python, shared extents where the file system
    has them)."""
    with open(source, "rb") as reader:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as writer:
            copy_range = getattr(os, "copy_file_range", None)
            left = size
            try:
                while left and copy_range is not None:
                    done = copy_range(reader.fileno(), fd, left)
                    if not done:
                        raise BrokenBlob(f"{source}: shorter than it was")
                    left -= done
            except BrokenBlob:
                raise
            except OSError:  # not between these file systems: copied through Python
                pass
            reader.seek(size - left)
            writer.seek(size - left)
            while left:
                piece = reader.read(min(left, PIECE))
                if not piece:
                    raise BrokenBlob(f"{source}: shorter than it was")
                writer.write(piece)
                left -= len(piece)
