"""Ctrl-C and SIGTERM as exceptions, so an interrupted training run cleans up.

Python turns SIGINT into ``KeyboardInterrupt`` but lets SIGTERM kill the
process on the spot: no ``finally`` runs, the MLflow run stays RUNNING and a
half-written model version stays on disk. :func:`signals_as_exceptions`
(installed by ``stance-train`` only, for the duration of a command) makes both
raise :class:`Interrupted`, a ``KeyboardInterrupt``, so every cleanup path that
handles Ctrl-C handles SIGTERM too.

Once one signal has been raised, further ones are ignored until the command
ends, so a second Ctrl-C cannot cut the cleanup short (SIGKILL still can).
:func:`shielded` holds a signal back while a short critical step runs (starting
or ending the MLflow run) and raises it right after the step.

A handler's exception is raised in whatever Python code runs next, and that
can be a finalizer or a weakref callback that the garbage collector happens to
call, where Python prints "Exception ignored in ..." and drops it. While the
handlers are installed, ``sys.unraisablehook`` catches such a dropped
:class:`Interrupted` and sends the signal again a moment later, so that it
reaches the main code.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; ``exit_code`` is the shell's ``128 + signal``."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        super().__init__(self.signal_name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class _State:
    installed = False
    #: An Interrupted has been raised: ignore further signals while unwinding.
    raised = False
    #: Depth of nested :func:`shielded` blocks, and a signal held back by them.
    shield_depth = 0
    pending: int | None = None


_state = _State()


def _raise(signum: int) -> None:
    _state.raised = True
    _state.pending = None
    raise Interrupted(signum)


def _handle(signum: int, frame: FrameType | None) -> None:
    if _state.raised:
        return
    if _state.shield_depth:
        _state.pending = signum
        return
    _raise(signum)


def _resend(signum: int) -> None:
    if _state.installed:  # not once the command is over and the old handlers are back
        os.kill(os.getpid(), signum)


@contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """Raise :class:`Interrupted` on SIGINT and SIGTERM inside the block.

    The previous handlers (and ``sys.unraisablehook``) are restored afterwards.
    A signal the process was started with ignored stays ignored (``nohup``, or
    SIGINT in a background job of a shell script), as Python itself leaves it.
    Outside the main thread (where Python cannot install handlers) this does
    nothing.
    """
    if threading.current_thread() is not threading.main_thread() or _state.installed:
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in HANDLED_SIGNALS}
    previous_hook = sys.unraisablehook

    def redeliver(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, Interrupted):
            previous_hook(unraisable)
            return
        # Dropped in a finalizer or weakref callback: send the signal again from
        # another thread a moment later, so that the handler runs after this
        # hook (raising here would be dropped too), back in the main code.
        _state.raised = False
        resend = threading.Timer(0.01, _resend, (unraisable.exc_value.signum,))
        resend.daemon = True
        resend.start()

    _state.installed, _state.raised, _state.pending = True, False, None
    sys.unraisablehook = redeliver
    try:
        for signum, handler in previous.items():
            if handler is not signal.SIG_IGN:
                signal.signal(signum, _handle)
        yield
    finally:
        _state.raised = True  # a signal landing while the handlers are put back is ignored
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sys.unraisablehook = previous_hook
        _state.installed, _state.raised, _state.pending = False, False, None


@contextmanager
def shielded() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM until the block ends, then raise :class:`Interrupted`.

    For short steps that must not be cut in half, such as recording a run's
    final status. Without :func:`signals_as_exceptions` installed it changes
    nothing (a plain Ctrl-C still raises where it lands).
    """
    _state.shield_depth += 1
    try:
        yield
    finally:
        _state.shield_depth -= 1
        if not _state.shield_depth and _state.pending is not None and not _state.raised:
            _raise(_state.pending)
