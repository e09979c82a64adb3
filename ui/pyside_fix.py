"""A guard for PySide6 6.12 on Python 3.11, whose Python-side ``emit()`` loses a ref to True."""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

log = logging.getLogger(__name__)

_PROBE_EMITS = 8


class _Probe(QObject):
    fired = Signal()


def emit_loses_true() -> bool:
    """Whether each ``Signal.emit()`` from Python drops one reference to ``True``.

    PySide6 6.12.0 does (6.11.3 does not). On Python 3.12+ ``True`` is immortal and the
    count never moves, so this is False there. On 3.11 the interpreter aborts ("bool_dealloc:
    deallocating True or False") once enough signals were emitted: a few thousand.
    """
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.fired.emit()
    return before - sys.getrefcount(True) >= _PROBE_EMITS - 1


def guard_signal_emit() -> bool:
    """Give back the lost reference after every emit, if this PySide6 loses one.

    TODO: remove once the project requires a PySide6 release without the leak (6.12.0 is
    the only one seen with it); until then a crash after a few thousand keystrokes is
    worse than this patch. Returns whether the guard is active.
    """
    current: Callable[..., Any] = SignalInstance.emit
    if getattr(current, "restores_true", False):
        return True
    if not emit_loses_true():
        return False

    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self: SignalInstance, *args: object) -> Any:
        try:
            return current(self, *args)
        finally:
            incref(True)

    emit.restores_true = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    log.info("PySide6 loses a reference to True per emit; compensating")
    return True
