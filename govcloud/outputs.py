"""Writing outputs so that a reader never sees a half-written file.

Each file is written to a temporary file in the same directory, flushed to disk and renamed
over the target: the rename is atomic, so an interrupted run leaves the previous output intact.
:func:`write_many` does the same for many files with one flush to disk for all of them.

Temporary files are named ``.<target>.govcloud-<pid>-<random>.tmp``.  SIGINT, SIGTERM and
SIGHUP while writing remove them before the process ends (exit 130/143/129); a run killed
outright (SIGKILL, power loss) leaves them, and the next write into the same folder removes
those whose process is gone (:func:`clean_debris`).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import marshal
import os
import re
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring as _string
from pathlib import Path
from typing import Any, NamedTuple

import orjson


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` atomically (text is written as UTF-8, ``\\n`` newlines)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with _interruptible():
        tmp, _ = _stage(path, payload, flush=True)
        try:
            os.replace(tmp, path)
        except BaseException:
            _unlink(tmp)
            raise
        _STAGED.discard(tmp)


def write_many(
    files: Iterable[tuple[str | Path, str | bytes]], progress: Callable[[int, int], None] | None = None
) -> list[Path]:
    """Write many files atomically with one flush to disk for all; the paths written.

    A file that already holds exactly its data is left alone, so a re-run that changes
    nothing costs reads, not writes.  The others are written to temporary files beside their
    targets, flushed to disk together (``os.sync``: one journal commit instead of an fsync per
    file, which at 100k servers' thousands of stack files took seconds), then each renamed over
    its target.  An interruption before the renames leaves every previous output intact;
    after, each file is old or new, never half-written.  ``progress(done, total)`` is told
    as files are prepared.  Paths may be given as strings (cheaper by the ten thousand).
    """
    todo = list(files)
    with staging() as stage:
        for i, (path, data) in enumerate(todo):
            if progress:
                progress(i, len(todo))
            stage.add(path, data.encode("utf-8") if isinstance(data, str) else data)
    if progress:
        progress(len(todo), len(todo))
    return stage.written


#: bytes read, compared or copied at a time (here and by the cache's store of outputs)
PIECE = 1 << 20


class Digest(NamedTuple):
    """What a staged file holds, worked out from its bytes as they were staged: their size and
    SHA-256; and the file that held them then, by its mtime (ns), inode and device (read
    after a new file was written, or before a target found to hold the bytes already was
    compared).  A write in place changes the mtime, a replacement the inode; a rename or a
    new hard link changes neither, so the file renamed into place still matches."""

    size: int
    sha256: bytes
    mtime: int
    inode: int
    device: int


#: told of each file a :class:`Staging` hashes, in the process that staged it: where its
#: bytes are now (the temporary file, or the target that already held them) and their
#: :class:`Digest`; returns whether it kept them (the cache's store of outputs)
Keeper = Callable[[str, Digest], bool]


class Handover(NamedTuple):
    """What a :class:`Staging` hands to another process's (:meth:`Staging.adopt`)."""

    staged: list[tuple[str, str]]
    where: dict[str, str]
    digests: dict[str, Digest]
    kept: set[str]


class Staging:
    """Files staged one at a time beside their targets and renamed over them together
    (:func:`staging`), so that a writer need not hold every output in memory at once.

    With ``hashed`` (or a ``keep``), every file staged, and every target left alone because
    it already held its bytes, gets a :class:`Digest` from the bytes passing through (no file
    is read again for it), and ``keep`` is told of each at once."""

    def __init__(self, *, hashed: bool = False, keep: Keeper | None = None) -> None:
        self.sync: Callable[[], None] | None = getattr(os, "sync", None)
        #: (temporary file, target) of every file staged; "" when written at once (no os.sync)
        self.staged: list[tuple[str, Path]] = []
        #: where each target's bytes are until the commit (its temporary file, or the target
        #: itself when it already held them)
        self.where: dict[str, str] = {}
        self.hashed = hashed or keep is not None
        self.keep = keep
        #: by target, the :class:`Digest` of its bytes (when hashed)
        self.digests: dict[str, Digest] = {}
        #: the targets whose bytes ``keep`` kept
        self.kept: set[str] = set()
        #: when the last file was renamed into place (ns since the epoch; 0 before the commit)
        self.committed = 0

    def add(self, path: str | Path, data: bytes | memoryview | Iterable[bytes | memoryview]) -> None:
        """Stage ``data`` (bytes, chunks of bytes written in turn, or an iterator of chunks
        made as they are written) for ``path``, unless ``path`` already holds exactly those
        bytes."""
        key = str(path)
        if isinstance(data, Iterator):  # made as it is written: staged, then compared
            self._add_stream(key, data)
            return
        chunks = [data] if isinstance(data, (bytes, bytearray, memoryview)) else list(data)
        size = sum(len(c) for c in chunks)
        h = _hash(chunks) if self.hashed else None

        def pieces() -> list[bytes | memoryview]:
            return chunks

        held = _holds(key, size, pieces)
        if held is not None:
            self._left(key, held, h)
            return
        target = Path(path)
        if self.sync is None:  # pragma: no cover - Windows: no os.sync, each file is flushed
            self._at_once(key, target, b"".join(pieces()), h)
            return
        tmp, info = _stage(target, pieces(), flush=False)
        self._staged(key, tmp, target, info, h)

    def _add_stream(self, key: str, data: Iterator[bytes | memoryview]) -> None:
        target = Path(key)
        if self.sync is None:  # pragma: no cover - Windows: no os.sync, each file is flushed
            payload = b"".join(data)
            self._at_once(key, target, payload, _hash([payload]) if self.hashed else None)
            return
        h = hashlib.sha256() if self.hashed else None
        tmp, info = _stage(target, data, flush=False, digest=h)
        held = _same(tmp, key)
        if held is not None:
            _unlink(tmp)
            self._left(key, held, h)
            return
        self._staged(key, tmp, target, info, h)

    def _staged(self, key: str, tmp: str, target: Path, info: os.stat_result, h: Any) -> None:
        """``tmp`` (its stat ``info``) staged for ``target``."""
        self.staged.append((tmp, target))
        self.where[key] = tmp
        self._hashed(key, tmp, info, h)

    def _left(self, key: str, info: os.stat_result, h: Any) -> None:
        """The target ``key`` (its stat ``info``, before it was compared) holds its bytes."""
        self.where[key] = key
        self._hashed(key, key, info, h)

    def _at_once(self, key: str, target: Path, payload: bytes, h: Any) -> None:  # pragma: no cover - Windows
        """``payload`` written into ``target`` at once and flushed (where there is no os.sync)."""
        write_atomic(target, payload)
        self.staged.append(("", target))
        self._left(key, os.stat(target), h)

    def _hashed(self, key: str, where: str, info: os.stat_result, h: Any) -> None:
        if h is None:
            return
        digest = Digest(info.st_size, h.digest(), info.st_mtime_ns, info.st_ino, info.st_dev)
        self.digests[key] = digest
        if self.keep is not None and self.keep(where, digest):
            self.kept.add(key)

    def read(self, path: str | Path) -> bytes:
        """The bytes staged for ``path`` (before or after the commit)."""
        with open(self.where.get(str(path), str(path)), "rb") as handle:
            return handle.read()

    @property
    def written(self) -> list[Path]:
        return [path for _, path in self.staged]

    def commit(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Flush every staged file to disk and rename each over its target
        (``progress(done, total)`` told as they are renamed)."""
        if self.sync is not None and self.staged:
            self.sync()
        total = len(self.staged)
        for i, (tmp, path) in enumerate(self.staged):
            if progress:
                progress(i, total)
            if tmp:
                os.replace(tmp, path)
                _STAGED.discard(tmp)
        if progress:
            progress(total, total)
        self.where = {}
        self.committed = time.time_ns()

    def abort(self) -> None:
        for tmp, _ in self.staged:
            if tmp:
                _unlink(tmp)

    def handover(self) -> Handover:
        """What another process's staging needs to take these files over (:meth:`adopt`)."""
        staged = [(tmp, str(target)) for tmp, target in self.staged]
        return Handover(staged, self.where, self.digests, self.kept)

    def adopt(self, handover: Handover) -> None:
        """Take over the files another process staged (its :meth:`handover`): renamed into
        place or removed with this staging's own, their digests and what it kept with ours."""
        for tmp, target in handover.staged:
            if tmp:
                _STAGED.add(tmp)
            self.staged.append((tmp, Path(target)))
        self.where.update(handover.where)
        self.digests.update(handover.digests)
        self.kept.update(handover.kept)


@contextlib.contextmanager
def staging(
    progress: Callable[[int, int], None] | None = None, *, hashed: bool = False, keep: Keeper | None = None
) -> Iterator[Staging]:
    """A :class:`Staging` whose files are flushed to disk together and renamed over their
    targets when the block ends (``progress`` told of each, :meth:`Staging.commit`); on an
    error or a signal (:func:`_interruptible`) every staged file is removed and each target
    keeps its previous bytes."""
    with _interruptible():
        stage = Staging(hashed=hashed, keep=keep)
        try:
            yield stage
            stage.commit(progress)
        except BaseException:
            stage.abort()
            raise


def _hash(chunks: Iterable[bytes | memoryview]) -> Any:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h


def _holds(
    path: str | Path, size: int, pieces: Callable[[], Iterable[bytes | memoryview]]
) -> os.stat_result | None:
    """``path``'s stat, read before it was compared, when it holds exactly ``pieces``."""
    try:
        info = os.stat(path)
        if info.st_size != size:
            return None
        with open(path, "rb") as handle:
            return info if all(handle.read(len(piece)) == piece for piece in pieces()) else None
    except OSError:
        return None  # missing or unreadable: write it (and let that report a real problem)


def _same(staged: str, path: str) -> os.stat_result | None:
    """``path``'s stat, read before it was compared, when it holds the bytes of the file
    ``staged`` (compared piece by piece)."""
    try:
        info = os.stat(path)
        if info.st_size != os.stat(staged).st_size:
            return None
        with open(staged, "rb") as ours, open(path, "rb") as theirs:
            while piece := ours.read(PIECE):
                if theirs.read(len(piece)) != piece:
                    return None
        return info
    except OSError:
        return None


def _stage(
    path: Path, payload: bytes | Iterable[bytes | memoryview], *, flush: bool, digest: Any = None
) -> tuple[str, os.stat_result]:
    """A temporary file beside ``path`` holding ``payload`` (bytes, or chunks written in turn)
    with the mode ``path`` will have, and its stat once written; ``digest`` (a hashlib object)
    is given each chunk as it is written."""
    fd, tmp = _create(path)
    _STAGED.add(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [payload] if isinstance(payload, bytes) else payload:
                handle.write(chunk)
                if digest is not None:
                    digest.update(chunk)
            handle.flush()
            if flush:
                os.fsync(handle.fileno())
            info = os.fstat(handle.fileno())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp, info


# ---- interrupted runs

_TAG = "govcloud-"
#: temporary files of this process not yet renamed over their targets
_STAGED: set[str] = set()
#: folders whose debris this process has already looked for
_CLEANED: set[str] = set()
#: processes forked to stage outputs another process takes over (:func:`handing_over`):
#: their temporary files are not debris even once they have ended, until taken over
_HANDING: set[int] = set()
_DEBRIS = re.compile(r"^\..+\.govcloud-(?P<pid>\d+)-[^.]+\.tmp$")
#: temporary files of versions that did not tag them with their process (``.name.XXXXXXXX.tmp``)
#: are removed once they are this old (seconds), when no run can still be writing them
_LEGACY = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")
LEGACY_AGE = 3600.0
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(SystemExit):
    """A termination signal arrived while writing: the staged files are removed and the
    process ends with the shell's code for the signal (128 + its number)."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


def forget_staged(tmps: Iterable[str]) -> None:
    """Stop answering for these temporary files (another process has taken them over)."""
    _STAGED.difference_update(tmps)


def _unlink(tmp: str) -> None:
    Path(tmp).unlink(missing_ok=True)
    _STAGED.discard(tmp)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise :class:`Interrupted` (SIGINT already raises
    KeyboardInterrupt), so the writers' cleanup removes their temporary files."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def handler(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    for sig in _SIGNALS:
        try:
            previous[sig] = signal.signal(sig, handler)
        except (OSError, ValueError):  # pragma: no cover - not settable here
            continue
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def interruptible() -> contextlib.AbstractContextManager[None]:
    """SIGTERM and SIGHUP raise :class:`Interrupted` inside the block (in the main thread),
    so that writers remove their temporary files before the process ends."""
    return _interruptible()


def clean_debris(folder: Path) -> list[Path]:
    """Remove the temporary files a killed run left in ``folder``: ours whose process no
    longer exists, and untagged ones of older versions past :data:`LEGACY_AGE`.  Each
    folder is looked at once per process; the files removed are returned."""
    key = str(folder)
    if key in _CLEANED:
        return []
    _CLEANED.add(key)
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    now = time.time()
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")) or entry.path in _STAGED:
            continue
        match = _DEBRIS.match(name)
        if match:
            stale = not _alive(int(match["pid"]))
        else:
            legacy = _LEGACY.match(name)
            try:
                stale = bool(legacy) and now - entry.stat(follow_symlinks=False).st_mtime > LEGACY_AGE
            except OSError:
                stale = False
        if stale and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def handing_over(pid: int, handing: bool = True) -> None:
    """Say that the process ``pid``, forked by this one, stages files it hands over (or, not
    ``handing``, that they were taken over or removed): until then neither this process
    nor any it forks afterwards takes them for a killed run's debris, although ``pid`` may
    have ended (a sibling renderer sweeping the same folder after this one joined it)."""
    if handing:
        _HANDING.add(pid)
    else:
        _HANDING.discard(pid)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or pid in _HANDING:
        return True  # ours: _STAGED says which are still being written
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


#: a number for each temporary file this process creates, unique with its process id
_NUMBERS = itertools.count()


def _create(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` (its folder made when missing, and cleared of what
    killed runs left: :func:`clean_debris`), open for writing, with ``path``'s mode when it
    exists, else what a plain ``open()`` gives (the umask's); named
    ``.<name>.govcloud-<pid>-<n>.tmp``.  At 100k servers' 18,000 files, mkstemp, a mkdir and
    a chmod per file, and the umask read twice to know the mode, took seconds."""
    folder = path.parent
    clean_debris(folder)
    try:
        mode: int | None = os.stat(path).st_mode & 0o777
    except OSError:  # missing (or unreadable: the rename will say)
        mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    prefix = f"{folder}{os.sep}.{path.name}.{_TAG}{os.getpid()}-"
    made = False
    while True:
        tmp = f"{prefix}{next(_NUMBERS)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666 if mode is None else 0o600)
        except FileExistsError:  # pragma: no cover - left by an earlier process of the same id
            continue
        except FileNotFoundError:  # a folder to make first (nothing left in it to clear)
            if made:
                raise
            folder.mkdir(parents=True, exist_ok=True)
            made = True
            continue
        break
    if mode is not None:
        try:
            os.chmod(tmp, mode)
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
    return fd, tmp


class JsonArray:
    """A JSON array written from an iterable as it is consumed, so that a document of
    hundreds of thousands of items (the SARIF's results) is never held as a list."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def json_blocks(value: Any, size: int = 1 << 20) -> Iterator[bytes]:
    """:func:`json_text` as UTF-8 bytes in blocks of about ``size`` bytes, made as they are
    consumed: a document of hundreds of MB is never whole in memory (each item of a
    :class:`JsonArray` is encoded on its own, see :func:`_dump`)."""
    chunks: list[bytes] = []
    held = [0]
    ready: list[bytes] = []

    def out(data: bytes) -> None:
        chunks.append(data)
        held[0] += len(data)
        if held[0] >= size:
            ready.append(b"".join(chunks))
            chunks.clear()
            held[0] = 0

    # a thread-free generator needs the bytes in steps, so the document is walked by a
    # generator of its own that pauses after each item of a JsonArray
    for _ in _walk(value, b"", out):
        if ready:
            yield from ready
            ready.clear()
    yield from ready
    chunks.append(b"\n")
    yield b"".join(chunks)


def _walk(value: Any, indent: bytes, out: Callable[[bytes], object]) -> Iterator[None]:
    """:func:`_dump` of ``value`` at ``indent`` given to ``out`` in pieces, pausing after
    each item of a :class:`JsonArray` (where a large document's bulk is)."""
    kind = type(value)
    if kind is JsonArray:
        yield from _walk_array(value, indent, out)
        return
    if kind is dict or kind is list:
        data = _fast(value)  # holds no JsonArray (orjson refuses one): written whole
        if data is not None:
            out(data.replace(b"\n", b"\n" + indent) if indent else data)
            yield None
            return
        if value and _has_array(value):
            yield from (_walk_dict if kind is dict else _walk_list)(value, indent, out)
            return
        out(_split(value, indent))
    else:
        out(_dump(value, indent))
    yield None


def _has_array(value: Any) -> bool:
    kind = type(value)
    if kind is JsonArray:
        return True
    if kind is dict:
        return any(_has_array(v) for v in value.values())
    if kind is list:
        return any(_has_array(v) for v in value)
    return False


def _walk_dict(value: dict[Any, Any], indent: bytes, out: Callable[[bytes], object]) -> Iterator[None]:
    inner = indent + b"  "
    separator = b",\n" + inner
    out(b"{\n" + inner)
    for i, (key, item) in enumerate(sorted(value.items())):
        if i:
            out(separator)
        out(_name(key) + b": ")
        yield from _walk(item, inner, out)
    out(b"\n" + indent + b"}")


def _walk_list(value: list[Any], indent: bytes, out: Callable[[bytes], object]) -> Iterator[None]:
    inner = indent + b"  "
    separator = b",\n" + inner
    out(b"[\n" + inner)
    for i, item in enumerate(value):
        if i:
            out(separator)
        yield from _walk(item, inner, out)
    out(b"\n" + indent + b"]")


#: items of a :class:`JsonArray` given to orjson in one list (a call per item cost more than
#: encoding them)
_BATCH = 256


def _walk_array(value: JsonArray, indent: bytes, out: Callable[[bytes], object]) -> Iterator[None]:
    """The items of ``value`` in batches of :data:`_BATCH`, each encoded as one list when
    orjson may (its lines between the brackets are the items' own), else item by item."""
    inner = indent + b"  "
    separator = b",\n" + inner
    first = True
    items = iter(value.items)
    while batch := list(itertools.islice(items, _BATCH)):
        data = _fast(batch)
        if data is not None:  # "[\n  item,\n  item\n]": the items at two spaces
            out((b"[\n" if first else b",\n") + indent + data[2:-2].replace(b"\n", b"\n" + indent))
            first = False
            yield None
            continue
        for item in batch:
            out(b"[\n" + inner if first else separator)
            first = False
            yield from _walk(item, inner, out)
    out(b"[]" if first else b"\n" + indent + b"]")


def json_bytes(value: Any) -> bytes:
    """:func:`json_text` as UTF-8 bytes, made by orjson where it writes the same bytes
    (:func:`_dump`): one buffer of the document, not a list of every piece."""
    return _dump(value, b"") + b"\n"


def json_text(value: Any) -> str:
    """Canonical JSON text of an output: sorted keys, UTF-8 kept readable, trailing newline.

    Exactly ``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\\n"``,
    made by orjson (a C encoder that indents; a plan at 100k servers writes about 1 GB of
    JSON) wherever it writes those bytes, and by the hand-written encoder below for the
    parts where it would not (:func:`_fast` says which).  One difference in what is refused:
    a plain :class:`enum.Enum` member or a :class:`uuid.UUID` in a container, which json
    refuses, orjson writes (the member's value, the UUID's text); no output holds one."""
    try:
        return _dump(value, b"").decode("utf-8") + "\n"
    except UnicodeEncodeError:  # a lone surrogate: text that is no UTF-8, kept as json.dumps does
        chunks: list[str] = []
        _encode(value, "", chunks.append)
        chunks.append("\n")
        return "".join(chunks)


# ---- orjson where it writes json.dumps' bytes, the hand-written encoder where it does not

#: orjson's options for ``json.dumps(indent=2, sort_keys=True)``; dataclasses and dates, which
#: orjson would write and json refuses, are handed to :func:`_refuse`
_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)
#: the floats orjson writes otherwise than ``repr``: 1e-05 ≤ |x| < 1e-04 in fixed notation
#: (``0.00001``), 1e-09 ≤ |x| < 1e-05 with a one-digit exponent (``1e-7``); every other
#: finite float (checked from 5e-324 to 1.8e308) is written the same.  Inside a container
#: orjson's indented output ends each value with ``,`` or a newline, which a JSON string
#: holds only as an escape; a text holding ``0.0000`` or ``e-7,`` sends its container to
#: the slow path for nothing, never wrongly to the fast one.
_FIXED = re.compile(rb"0\.0000").search
_EXPONENT = re.compile(rb"e-[1-9][,\n]").search


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _fast(value: Any) -> bytes | None:
    """``value`` (a list or mapping) as orjson indents it at the left margin, or None where
    that would not be json.dumps' text: orjson refuses it (a key that is no text, an int
    beyond 64 bits, a text that is no UTF-8, a type of its own such as
    :class:`JsonArray`, nesting beyond 255), it holds a float that orjson writes otherwise
    (:data:`_FIXED`, :data:`_EXPONENT`) or it may hold NaN or an infinity (which orjson
    writes as ``null``: :func:`_non_finite`)."""
    try:
        data = orjson.dumps(value, default=_refuse, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError
        return None
    if _FIXED(data) or _EXPONENT(data) or (b"null" in data and _non_finite(value)):
        return None
    return data


#: how marshal writes a float (a type byte, then the IEEE double little-endian), checked once
_FLOAT_TYPES = (ord("g"), ord("g") | 0x80)  # TYPE_BINARY_FLOAT, and with FLAG_REF
_MARSHAL_FLOATS = all(
    marshal.dumps(x)[0] in _FLOAT_TYPES and marshal.dumps(x)[1:] == struct.pack("<d", x)
    for x in (1.5, float("-inf"))
)


def _non_finite(value: Any) -> bool:
    """Whether ``value`` may hold a NaN or an infinity (true also when it cannot tell).

    marshal writes the whole value in C about as fast as orjson, each float object once as
    its IEEE bytes: a float is not finite when its exponent bits are all set, that is its
    last byte is 0x7f or 0xff and the one before it at least 0xf0.  Those two bytes are few
    in marshal's output (never in UTF-8 text), so each is looked at; one that only looks
    like a float's (a negative int's bytes may) sends the value to the slow path for nothing."""
    if not _MARSHAL_FLOATS:  # pragma: no cover - a marshal that writes floats otherwise
        return True
    try:
        data = marshal.dumps(value)
    except ValueError:  # a type of its own (an enum, a subclass): cannot tell
        return True
    for top in (0x7F, 0xFF):
        at = data.find(top, 8)
        while at != -1:
            if data[at - 1] >= 0xF0 and data[at - 8] in _FLOAT_TYPES:
                return True
            at = data.find(top, at + 1)
    return False


def _dump(value: Any, indent: bytes) -> bytes:
    """``value`` as json.dumps indents it, as UTF-8, its lines after the first indented by
    ``indent``: by orjson where :func:`_fast` allows, else split (:func:`_split`)."""
    kind = type(value)
    if kind is dict or kind is list or kind is tuple:
        data = _fast(value)
        if data is not None:
            # a JSON text holds no newline but those between its lines
            return data.replace(b"\n", b"\n" + indent) if indent else data
        return _split(value, indent)
    if kind is JsonArray:  # written whole here: as the list of its items
        return _dump(list(value.items), indent)
    chunks: list[str] = []
    _encode(value, indent.decode("ascii"), chunks.append)
    return "".join(chunks).encode("utf-8")


def _split(value: Any, indent: bytes) -> bytes:
    """A list or mapping that orjson does not write as json.dumps does,
    written here with each of its items by :func:`_dump`: only the part that needs it (a
    key that is no text, a tiny float) is left to the hand-written encoder."""
    kind = type(value)
    inner = indent + b"  "
    if kind is dict:
        if not value:
            return b"{}"
        items = [_name(key) + b": " + _dump(item, inner) for key, item in sorted(value.items())]
        return b"{\n" + inner + (b",\n" + inner).join(items) + b"\n" + indent + b"}"
    if kind is list or kind is tuple:
        items = [_dump(item, inner) for item in value]
        if not items:
            return b"[]"
        return b"[\n" + inner + (b",\n" + inner).join(items) + b"\n" + indent + b"]"
    return _dump(value, indent)  # pragma: no cover - only containers are split


def _name(key: Any) -> bytes:
    """A mapping's key as json.dumps writes it."""
    return _string(key if type(key) is str else _key(key)).encode("utf-8")


_INFINITY = float("inf")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _encode(value: Any, indent: str, out: Callable[[str], object]) -> None:
    """``value`` as ``json.dumps`` indents it (two spaces, sorted keys, ``", "``/``": "``):
    the encoder of what orjson does not write as json.dumps does (:func:`_fast`), so only the
    odd value comes here."""
    if isinstance(value, str):
        out(_string(value))
    elif value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif isinstance(value, int):
        out(int.__repr__(value))
    elif isinstance(value, float):
        out(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out("[]")
            return
        inner = indent + "  "
        separator = ",\n" + inner
        out("[\n" + inner)
        for i, item in enumerate(value):
            if i:
                out(separator)
            if type(item) is str:
                out(_string(item))
            else:
                _encode(item, inner, out)
        out("\n" + indent + "]")
    elif isinstance(value, dict):
        if not value:
            out("{}")
            return
        inner = indent + "  "
        separator = ",\n" + inner
        out("{\n" + inner)
        for i, (key, item) in enumerate(sorted(value.items())):
            if i:
                out(separator)
            name = key if type(key) is str else _key(key)
            kind = type(item)
            if kind is str:
                out(_string(name) + ": " + _string(item))
            elif kind is int:
                out(_string(name) + ": " + int.__repr__(item))
            else:
                out(_string(name) + ": ")
                _encode(item, inner, out)
        out("\n" + indent + "}")
    elif type(value) is JsonArray:
        inner = indent + "  "
        separator = ",\n" + inner
        first = True
        for item in value.items:
            out("[\n" + inner if first else separator)
            first = False
            _encode(item, inner, out)
        out("[]" if first else "\n" + indent + "]")
    else:
        _refuse(value)
