"""Work done by a forked child while this process goes on: the machines the main job runs on
have two cores or more, and at 100k servers half the ledger's files can be read, and the
stacks' files and the plan's documents rendered, while this process does the rest.

The child inherits everything computed so far (``os.fork``: nothing is pickled on the way in)
and sends back one pickled value through an unnamed temporary file, or the exception that stopped it, which
:meth:`Child.result` raises in the parent.  :func:`stage` is the form the outputs use: the
child stages files beside their targets (:class:`~govcloud.outputs.Staging`) and sends back
the temporary files, which the parent adopts into its own staging, so they are renamed into
place with every other output, together, or removed with them on an error or a signal: an
interrupted run still leaves every previous output intact.  Given a keeper, the child also
hashes each file as it stages it and keeps it in the cache's store of outputs, and sends the
digests back with the files.

Where ``os.fork`` does not exist, or ``GOVCLOUD_PROCESSES=1`` asks for one process (a machine
short of memory), the starters return None and the caller does the work itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import tempfile
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Generic, TypeVar

from govcloud.outputs import Handover, Keeper, Staging, handing_over, interruptible

T = TypeVar("T")
#: what a staging child's work returns besides the files it staged (the outputs' names …)
W = TypeVar("W")
#: what a staging child sends back: what its staging hands over (the files it staged, where
#: each target's bytes are until the commit, their digests) and what its work returned
Staged = tuple[Handover, W]


class ChildFailed(RuntimeError):
    """The child stopped without a result, or on an exception that could not be sent back as
    it was (its traceback is the message)."""


@dataclass
class _Sent:
    value: Any = None
    error: BaseException | None = None


class Child(Generic[T]):
    """A forked child computing a value: :meth:`result` waits for it, :meth:`cancel` stops
    it (SIGTERM: the child's ``finally`` blocks and staging clean up) and reaps it."""

    def __init__(self, pid: int, result: BinaryIO) -> None:
        self.pid = pid
        self.file = result
        self.sent: _Sent | None = None

    def result(self) -> T:
        """The child's value; its exception raised here."""
        sent = self._finish()
        if sent.error is not None:
            raise sent.error
        value: T = sent.value
        return value

    def cancel(self) -> _Sent:
        """Stop the child unless it has finished, reap it; what it sent, if anything."""
        if self.sent is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
        return self._finish()

    def _finish(self) -> _Sent:
        done = self.sent
        if done is not None:
            return done
        _, status = os.waitpid(self.pid, 0)
        with self.file:
            self.file.seek(0)
            blob = self.file.read()
        loaded: Any = None
        with contextlib.suppress(Exception):
            loaded = pickle.loads(blob)  # noqa: S301 - written by our own child, in our own file
        if isinstance(loaded, _Sent):
            sent = loaded
        else:
            code = os.waitstatus_to_exitcode(status)
            sent = _Sent(error=ChildFailed(f"the forked process ended without its result (exit {code})"))
        self.sent = sent
        return sent


#: the niceness a background child adds to its own (:func:`call`): the scheduler then gives
#: the parent, whose work is on the run's critical path, a core of its own before it
BACKGROUND = 10
#: set to ``1``, no child is forked: one process does all the work, more slowly, in the memory
#: of one (at 100k servers the children's copies of the pages they touch add up to about
#: 0.6–1 GB on top of the parent's 1.3 GB)
PROCESSES_VARIABLE = "GOVCLOUD_PROCESSES"


def forking() -> bool:
    """Whether children may be forked here: the platform can, and :data:`PROCESSES_VARIABLE`
    does not ask for one process."""
    return hasattr(os, "fork") and os.environ.get(PROCESSES_VARIABLE, "").strip() != "1"


def call(work: Callable[[], T], *, background: bool = False) -> Child[T] | None:
    """Fork a child that computes ``work()`` (its value must pickle); None where this
    platform cannot fork.  A ``background`` child (work that is waited for much later, e.g.
    keeping entries in the cache) lowers its priority by :data:`BACKGROUND`, so that while
    the cores are fewer than the processes at work the parent is not slowed down by it (at
    100k servers, three processes sharing two cores slowed the analysis by half)."""
    if not forking():  # Windows, or one process asked for
        return None
    # a file, not a pipe: the child writes its result and ends at once, however long the
    # parent takes to ask for it (a child blocked on a full pipe would hold its memory)
    result = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Child._finish
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (the terminal's progress
        # bar) may deadlock the child: this child takes no lock another thread may hold (it
        # prints nothing and logs nothing), and it ends with os._exit
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: coverage is not collected after a fork
        if background:
            with contextlib.suppress(OSError):
                os.nice(BACKGROUND)
        _child(work, result)
    return Child(pid, result)


def _child(work: Callable[[], Any], result: BinaryIO) -> None:  # pragma: no cover - in the child
    """Compute ``work()`` and send it, or what stopped it, to the parent; SIGTERM raises
    inside ``work`` so that its cleanup runs."""
    code = 0
    try:
        with interruptible():
            try:
                sent = _Sent(value=work())
            except BaseException as exc:  # sent back and raised in the parent
                sent, code = _Sent(error=_sendable(exc)), 1
            pickle.dump(sent, result, protocol=pickle.HIGHEST_PROTOCOL)
            result.flush()
    except BaseException:
        code = 2
    finally:
        os._exit(code)


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` itself when it survives pickling, else a :class:`ChildFailed` with its
    traceback."""
    copy: Any = None
    with contextlib.suppress(Exception):
        copy = pickle.loads(pickle.dumps(exc))  # noqa: S301 - what this process just pickled
    if isinstance(copy, BaseException):
        return copy
    return ChildFailed("".join(traceback.format_exception(exc)))


# ---- outputs staged by a child


def stage(
    work: Callable[[Staging], W], keep: Keeper | None = None, *, background: bool = False
) -> StagingChild[W] | None:
    """Fork a child that stages outputs with ``work`` (which returns what the parent needs
    besides the files, e.g. their names), hashing each and telling ``keep`` of it in the
    child when ``keep`` is given (:class:`~govcloud.outputs.Staging`), in the ``background``
    (see :func:`call`); None where this platform cannot fork."""
    child = call(lambda: _staged(work, keep), background=background)
    if child is None:
        return None
    handing_over(child.pid)  # its files, staged, wait for the parent however long it lives
    return StagingChild(child)


def _staged(
    work: Callable[[Staging], W], keep: Keeper | None
) -> Staged[W]:  # pragma: no cover - in the child
    staging = Staging(keep=keep)
    try:
        value = work(staging)
    except BaseException:
        staging.abort()
        raise
    return staging.handover(), value


class StagingChild(Generic[W]):
    """A child staging outputs: :meth:`join` takes its files into the parent's staging,
    :meth:`cancel` stops it and removes them."""

    def __init__(self, child: Child[Staged[W]]) -> None:
        self.child = child
        self.pid = child.pid
        self.adopted = False

    def join(self, staging: Staging) -> W:
        """Wait for the child, add what it staged to ``staging`` and return what its work
        returned; re-raise the exception that stopped it (it removed its files)."""
        try:
            handover, value = self.child.result()
        finally:
            handing_over(self.pid, False)
        staging.adopt(handover)
        self.adopted = True  # renamed or removed with the parent's own from now on
        return value

    def cancel(self) -> None:
        """Stop the child (it removes what it staged unless it had finished) and remove
        whatever it sent back and nobody adopted."""
        sent = self.child.cancel()
        handing_over(self.pid, False)
        if not self.adopted and sent.error is None and sent.value is not None:
            for tmp, _ in sent.value[0].staged:
                if tmp:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(tmp)


# ---- work shared with the children


class Claims:
    """The items ``0 … n-1`` of some work, shared by this process and the children it forks
    afterwards: iterating claims the next item no process has claimed yet (a counter in
    shared memory, behind its lock), so each item is done once, by whichever process is free
    first, and the work ends at about the same time on every side.  :meth:`make` returns
    None where shared memory cannot be had."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._next = multiprocessing.Value("q", 0)

    @classmethod
    def make(cls, n: int) -> Claims | None:
        try:
            return cls(n)
        except (OSError, ImportError):  # pragma: no cover - no shared semaphores here
            return None

    def __iter__(self) -> Iterator[int]:
        while True:
            with self._next.get_lock():
                i: int = self._next.value
                if i >= self.n:
                    return
                self._next.value = i + 1
            yield i


class Note(Generic[T]):
    """One small value a child sends while it goes on working, through a pipe made before the
    fork: the child sends it (:meth:`send`); the parent closes its own end of the writing
    side once the child is forked (:meth:`forked`) and receives it (:meth:`receive`), or None
    when the child ended without sending it.  Small: the child waits while the pipe is full
    (64 KB)."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()

    def send(self, value: T) -> None:  # pragma: no cover - in the child
        with open(self._write, "wb") as pipe:
            self._write = -1
            pipe.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def forked(self) -> None:
        """In the parent, once the child is forked: only the child writes from now on, so the
        end of its writing is the end of the pipe."""
        self._close_write()

    def receive(self) -> T | None:
        """The value the child sent (waiting for it), or None when it ended without."""
        if self._read < 0:
            return None
        self._close_write()
        with open(self._read, "rb") as pipe:
            self._read = -1
            data = pipe.read()
        if not data:
            return None
        value: T = pickle.loads(data)  # noqa: S301 - written by our own child, in our own pipe
        return value

    def close(self) -> None:
        """Close what is still open of the pipe on this side."""
        self._close_write()
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def _close_write(self) -> None:
        if self._write >= 0:
            os.close(self._write)
            self._write = -1
