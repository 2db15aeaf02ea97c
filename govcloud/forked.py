"""Outputs rendered and staged by a forked child while this process goes on: the machine the
main job runs on has two cores or more, and at 100k servers the stacks' files and the plan's
documents are ready before the baseline is checked.

The child inherits everything computed so far (``os.fork``: nothing is pickled on the way in),
renders its groups of outputs, stages each beside its target (:class:`~govcloud.outputs.Staging`)
and sends back what it staged — the temporary files, their targets and the output names — or
the exception that stopped it.  The parent adds those files to its own staging, so they are
renamed into place with every other output, together, or removed with them on an error or a
signal: an interrupted run still leaves every previous output intact.

Where ``os.fork`` does not exist, or the work is too small to pay for a process, the caller
renders in-process (:func:`start` returns None).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from govcloud.outputs import Staging, forget_staged, interruptible

#: what the child does: stage its outputs into the given staging, and return their names by
#: group (the caller puts the groups in writing order)
Work = Callable[[Staging], dict[str, list[str]]]


class ChildFailed(RuntimeError):
    """The child stopped on an exception that could not be sent back as it was."""


@dataclass
class _Sent:
    staged: list[tuple[str, str]] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    error: BaseException | None = None


class Child:
    """A forked child staging outputs; :meth:`join` takes its files into the parent's
    staging, :meth:`cancel` stops it and removes them."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader
        self.done = False

    def join(self, stage: Staging) -> dict[str, list[str]]:
        """Wait for the child, add what it staged to ``stage`` and return its names by
        group; re-raise the exception that stopped it (after removing its files)."""
        sent = self._finish()
        stage.adopt(sent.staged, sent.where)
        if sent.error is not None:
            raise sent.error
        return sent.names

    def cancel(self) -> None:
        """Stop the child (it removes what it staged) and remove whatever it sent back."""
        if self.done:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        sent = self._finish()
        for tmp, _ in sent.staged:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _finish(self) -> _Sent:
        self.done = True
        with os.fdopen(self.reader, "rb") as pipe:
            blob = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        try:
            sent = pickle.loads(blob)  # noqa: S301 - written by our own child, through a pipe
        except Exception:
            sent = None
        if not isinstance(sent, _Sent):
            code = os.waitstatus_to_exitcode(status)
            return _Sent(error=ChildFailed(f"the rendering process ended without its outputs (exit {code})"))
        return sent


def start(work: Work) -> Child | None:
    """Fork a child that runs ``work``; None where this platform cannot fork (the caller
    then runs ``work`` itself)."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return None
    reader, writer = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (the terminal's progress
        # bar) may deadlock the child: this child takes no lock another thread may hold (it
        # prints nothing and logs nothing), and it ends with os._exit
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: coverage is not collected after a fork
        os.close(reader)
        _child(work, writer)
    os.close(writer)
    return Child(pid, reader)


def _child(work: Work, writer: int) -> None:  # pragma: no cover - runs in the child
    """Run ``work`` and send back what it staged or what stopped it.  Until the parent has
    the list, a SIGTERM (:meth:`Child.cancel`) or any error removes the staged files."""
    code = 0
    stage = Staging()
    try:
        with interruptible():
            try:
                names = work(stage)
                sent = _Sent([(tmp, str(target)) for tmp, target in stage.staged], stage.where, names)
            except BaseException as exc:  # sent back and raised in the parent
                stage.abort()
                sent, code = _Sent(error=_sendable(exc)), 1
            try:
                with os.fdopen(writer, "wb") as pipe:
                    pipe.write(pickle.dumps(sent))
            except BaseException:
                stage.abort()
                raise
        # the parent owns them now: it renames or removes them
        forget_staged(tmp for tmp, _ in sent.staged)
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
